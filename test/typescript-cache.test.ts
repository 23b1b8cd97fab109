import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * src/typescript-cache.js, the load hook through which bin/redress.js and the compute threads
 * load TypeScript: a first load strips the types as Node does and keeps the text; a later load of
 * the same source reads it back; a changed source is stripped anew; nothing is printed.
 */
const hook = fileURLToPath(new URL('../src/typescript-cache.js', import.meta.url));

function load(module: string, cache: string, env: Record<string, string> = {}): { stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', hook, module], { encoding: 'utf8', env: { ...process.env, REDRESS_STRIPPED_CACHE: cache, NODE_DISABLE_COMPILE_CACHE: '', ...env } });
  assert.equal(run.status, 0, run.stderr);
  return { stdout: run.stdout, stderr: run.stderr };
}

describe('the cache of type-stripped sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-ts-cache-'));
  const stripped = join(dir, 'cache');
  const module = join(dir, 'answer.ts');

  it('strips a module as Node does, keeps the text, and prints nothing else', () => {
    writeFileSync(module, 'const n: number = 41;\nexport const answer: number = n + 1;\nconsole.log(answer);\n');
    assert.deepEqual(load(module, stripped), { stdout: '42\n', stderr: '' });
    const files = readdirSync(stripped);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^[0-9a-f]{64}\.js$/);
    // Stripping keeps every position: the types become spaces.
    assert.equal(readFileSync(join(stripped, files[0]!), 'utf8'), 'const n         = 41;\nexport const answer         = n + 1;\nconsole.log(answer);\n');
  });

  it('loads the kept text for the same source', () => {
    const [file] = readdirSync(stripped);
    writeFileSync(join(stripped, file!), "console.log('kept');\n");
    assert.equal(load(module, stripped).stdout, 'kept\n');
  });

  it('strips a changed source anew, never loading the text of the old one', () => {
    writeFileSync(module, 'const n: number = 41;\nconsole.log(n + 2);\n');
    assert.equal(load(module, stripped).stdout, '43\n');
    assert.equal(readdirSync(stripped).length, 2);
  });

  it('is off, like the compile cache, with NODE_DISABLE_COMPILE_CACHE', () => {
    writeFileSync(module, 'const n: number = 41;\nconsole.log(n + 3);\n');
    assert.equal(load(module, stripped, { NODE_DISABLE_COMPILE_CACHE: '1' }).stdout, '44\n');
    assert.equal(readdirSync(stripped).length, 2);
  });
});
