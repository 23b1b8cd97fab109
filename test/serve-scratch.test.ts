import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { scratchOwnerOf } from '../src/jobs/run-scratch.ts';
import { startServe, type ServeProcess } from './support/serve-process.ts';

/**
 * The scratch space of computation runs when servers are killed: `redress serve` processes on
 * the embedded database, each with the same temporary directory (TMPDIR, the test's own, so
 * that no other process's folders are in play). One server is killed with SIGKILL while its
 * folder holds a run's files; the next server to start removes that folder, and leaves alone the
 * folder of the server still running and folders it cannot tell the owner of.
 */
describe('scratch space of servers killed outright', () => {
  const base = mkdtempSync(join(tmpdir(), 'redress-scratch-'));
  const temporary = join(base, 'tmp');
  mkdirSync(temporary);
  const env = { TMPDIR: temporary };
  const servers: ServeProcess[] = [];
  const start = async (data: string) => {
    const server = await startServe({ dataDir: join(base, data), env });
    servers.push(server);
    return server;
  };
  /** The scratch folders in the temporary directory (Node keeps its compile cache there too). */
  const scratchFolders = () => readdirSync(temporary).filter((name) => name.startsWith('redress-runs-')).sort();
  /** Those that name `pid` as their owner. */
  const foldersOf = (pid: number | undefined) => scratchFolders().filter((name) => scratchOwnerOf(name)?.pid === pid);

  after(async () => {
    for (const server of servers) await server.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('removes a killed server\'s folder at the next start, and no live server\'s', { timeout: 180_000 }, async () => {
    const live = await start('live');
    const [liveFolder] = foldersOf(live.child.pid);
    assert.ok(liveFolder !== undefined, `the live server's folder: ${scratchFolders().join(', ')}`);

    const killed = await start('killed');
    const killedPid = killed.child.pid;
    const [killedFolder] = foldersOf(killedPid);
    assert.ok(killedFolder !== undefined);
    // What a run being computed keeps there: its plan and the engine's spill files.
    const spill = join(temporary, killedFolder, 'run-20260220-0123456789', 'results', '.redress-work-abc123');
    mkdirSync(spill, { recursive: true });
    writeFileSync(join(spill, 'part-0.bin'), Buffer.alloc(64 << 10, 7));
    writeFileSync(join(temporary, killedFolder, 'run-20260220-0123456789', 'plan.json'), '{}\n');
    await killed.kill9();
    assert.ok(existsSync(join(temporary, killedFolder)), 'SIGKILL runs no clean-up: the folder is left');

    // A folder whose pid was reused: it names the live server's pid, but a start of another process.
    const reused = process.platform === 'linux' ? `redress-runs-${live.child.pid}-1-Zz9Yy8` : null;
    if (reused !== null) mkdirSync(join(temporary, reused, 'run-x'), { recursive: true });
    // Folders that name no owner: another tool's or an earlier version's, not this server's to judge.
    const unowned = ['redress-runs-Ab12Cd', 'redress-runs-notes'];
    for (const name of unowned) mkdirSync(join(temporary, name, 'kept'), { recursive: true });

    const next = await start('killed');
    const remaining = scratchFolders();
    assert.equal(remaining.includes(killedFolder), false, `the killed server's folder is gone: ${remaining.join(', ')}`);
    if (reused !== null) assert.equal(remaining.includes(reused), false, 'a folder of a pid now another process\'s is gone');
    assert.ok(remaining.includes(liveFolder), 'the live server\'s folder is left alone');
    assert.ok(existsSync(join(temporary, liveFolder)));
    for (const name of unowned) assert.ok(existsSync(join(temporary, name, 'kept')), `${name} is left alone`);
    const [nextFolder] = foldersOf(next.child.pid);
    assert.ok(nextFolder !== undefined);
    assert.deepEqual(remaining, [...unowned, liveFolder, nextFolder].sort(), 'nothing else is there');
    assert.match(next.output(), new RegExp(`Removed the scratch space of a server that was stopped without clearing it: .*${killedFolder}`));

    // A clean stop removes a server's own folder.
    await live.stop();
    assert.equal(existsSync(join(temporary, liveFolder)), false);
    await next.stop();
    assert.deepEqual(scratchFolders(), [...unowned].sort());
  });
});
