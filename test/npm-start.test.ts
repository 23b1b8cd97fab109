import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * What a newcomer's `npm start` runs (`redress serve --demo`): the platform on a fresh embedded
 * database with the demo case loaded, the address and a sign-in for every role printed; started
 * again on the same directory, the case is not loaded twice and the sign-ins are printed again.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const redress = join(root, 'bin/redress.js');

function start(data: string, port: number): { child: ChildProcess; output: () => string; listening: Promise<void> } {
  const child = spawn(process.execPath, [redress, 'serve', '--demo', '--port', String(port), '--data', data], { env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (/Demo case case-[0-9a-f]+ — sign in/.test(seen) && /\n {2}INV\d+ +account \d+[^\n]*\n[^\n]*INV\d+ +account/.test(seen)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve --demo exited with ${code}: ${seen}`)));
  });
  return { child, output: () => seen, listening };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('npm start: the platform with the demo case', () => {
  const data = join(mkdtempSync(join(tmpdir(), 'redress-start-')), 'data');
  const port = 20000 + Math.floor(Math.random() * 20000);
  let running: ChildProcess | null = null;
  after(() => void running?.kill('SIGKILL'));

  it('loads the demo case on first start and prints a sign-in for each role', async () => {
    const first = start(data, port);
    running = first.child;
    await first.listening;
    const output = first.output();
    assert.match(output, new RegExp(`listening on http://127\\.0\\.0\\.1:${port}`));
    for (const role of ['administrator', 'second administrator', 'hearing host', 'funder', 'investor representative', 'lawyer', 'auditor', 'investor:']) {
      assert.ok(output.includes(role), `a sign-in for the ${role}`);
    }
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { status: string };
    assert.equal(health.status, 'ok');
    const home = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(home.status, 200);
    assert.match(home.headers.get('content-type') ?? '', /text\/html/);
    const cases = (await (await fetch(`http://127.0.0.1:${port}/api/v1/cases`)).json()) as { cases: unknown[] };
    assert.equal(cases.cases.length, 1);
    // The admin's printed token works.
    const token = /\n {2}admin +token (\S+)/.exec(output)![1]!;
    const signIn = await fetch(`http://127.0.0.1:${port}/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ actorId: 'admin', token }).toString() });
    assert.equal(signIn.status, 303);
    assert.match(signIn.headers.get('set-cookie') ?? '', /redress_session=/);
    assert.equal(readFileSync(join(data, 'demo-sign-ins.txt'), 'utf8').includes(token), true);
    await stop(first.child);
  });

  it('does not load the case twice on the next start, and prints the same sign-ins', async () => {
    const before = readFileSync(join(data, 'demo-sign-ins.txt'), 'utf8');
    const second = start(data, port);
    running = second.child;
    await second.listening;
    assert.ok(second.output().includes(before.trim()));
    const cases = (await (await fetch(`http://127.0.0.1:${port}/api/v1/cases`)).json()) as { cases: unknown[] };
    assert.equal(cases.cases.length, 1);
    await stop(second.child);
  });
});
