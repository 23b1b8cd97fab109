import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * `redress serve` as an operator runs it: a real process on the embedded database in a data
 * directory, answering HTTP, printing the first administrator's token once, and refusing a second
 * process on the same directory with one clear line.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const redress = join(root, 'bin/redress.js');

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) resolve(match[0]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing ${pattern}: ${seen}`)));
  });
}

describe('redress serve', () => {
  const data = join(mkdtempSync(join(tmpdir(), 'redress-serve-')), 'data');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const env = { ...process.env, DATABASE_URL: '' };
  const server = spawn(process.execPath, [redress, 'serve', '--port', String(port), '--data', data], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  after(() => void server.kill('SIGKILL'));

  it('serves the API on the embedded database, with the first administrator\'s token printed once', async () => {
    const tokenLine = await waitForLine(server, /bearer token \(shown once\): (\S+)/);
    const token = /: (\S+)$/.exec(tokenLine)![1]!;
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { status: string; database: string };
    assert.deepEqual({ status: health.status, database: health.database }, { status: 'ok', database: 'pglite' });
    const me = (await (await fetch(`http://127.0.0.1:${port}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { actor: { role: string } };
    assert.equal(me.actor.role, 'administrator');
    const refused = await fetch(`http://127.0.0.1:${port}/api/v1/actors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'x', name: 'x', role: 'auditor' }) });
    assert.equal(refused.status, 401);
  });

  it('refuses a second process on the same data directory with one line naming it', () => {
    const second = spawnSync(process.execPath, [redress, 'serve', '--port', String(port + 1), '--data', data], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(second.status, 2, second.stderr);
    assert.match(second.stderr, /^redress: data directory .* is in use by process \d+/);
    assert.equal(second.stderr.trim().split('\n').length, 1);
  });

  it('stops cleanly on SIGTERM and releases the directory', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    assert.equal(await exited, 0);
    const audit = spawnSync(process.execPath, [redress, 'audit', 'verify', '--data', data], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(audit.status, 0, audit.stderr);
    assert.match(audit.stdout, /audit log intact/);
  });
});
