import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openDatabase } from './database.ts';
import { DataDirInUseError, LOCK_FILE, lockDataDir } from './data-dir-lock.ts';

/** The pid of a process that has exited: no process has it (until the system reuses it). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.equal(child.status, 0);
  return child.pid;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe('the data directory lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redress-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('holds the pid of its owner and refuses a second holder, naming the directory and the pid', async () => {
    const lock = await lockDataDir(dir);
    assert.equal(await readFile(join(dir, LOCK_FILE), 'utf8'), `${process.pid}\n`);
    await assert.rejects(lockDataDir(dir), (error: unknown) => {
      assert.ok(error instanceof DataDirInUseError);
      assert.equal(error.message, `data directory ${dir} is in use by process ${process.pid}; stop it or set DATABASE_URL`);
      assert.equal(error.pid, process.pid);
      return true;
    });
    await lock.release();
    assert.equal(await exists(join(dir, LOCK_FILE)), false);
    const again = await lockDataDir(dir);
    await again.release();
    await again.release(); // releasing twice is harmless
  });

  test('takes over a stale lock whose process is gone', async () => {
    await writeFile(join(dir, LOCK_FILE), `${deadPid()}\n`);
    const lock = await lockDataDir(dir);
    assert.equal(await readFile(join(dir, LOCK_FILE), 'utf8'), `${process.pid}\n`);
    await lock.release();
  });

  test('takes over a lock file that holds no pid', async () => {
    await writeFile(join(dir, LOCK_FILE), 'not a pid');
    const lock = await lockDataDir(dir);
    assert.equal(await readFile(join(dir, LOCK_FILE), 'utf8'), `${process.pid}\n`);
    await lock.release();
  });

  test('is not blocked by a takeover left behind by a process that died taking over', async () => {
    await writeFile(join(dir, LOCK_FILE), `${deadPid()}\n`);
    await writeFile(join(dir, `${LOCK_FILE}.takeover`), `${deadPid()}\n`);
    const lock = await lockDataDir(dir);
    assert.equal(await readFile(join(dir, LOCK_FILE), 'utf8'), `${process.pid}\n`);
    assert.equal(await exists(join(dir, `${LOCK_FILE}.takeover`)), false);
    await lock.release();
  });

  test('of many takeovers of one stale lock at once, exactly one wins', async () => {
    await writeFile(join(dir, LOCK_FILE), `${deadPid()}\n`);
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, () => lockDataDir(dir)));
    const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const attempt of attempts) {
      if (attempt.status === 'rejected') assert.ok(attempt.reason instanceof DataDirInUseError, String(attempt.reason));
    }
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof lockDataDir>>>).value.release();
  });

  test('release leaves a lock that another process has since taken', async () => {
    const lock = await lockDataDir(dir);
    await writeFile(join(dir, LOCK_FILE), '1\n');
    await lock.release();
    assert.equal(await readFile(join(dir, LOCK_FILE), 'utf8'), '1\n');
  });
});

test('a second process opening the same PGlite data directory fails with the message, and may open it once the first has closed', async () => {
  const root = await mkdtemp(join(tmpdir(), 'redress-lock-db-'));
  const dataDir = join(root, 'data');
  const script = `
    import { openDatabase } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'database.ts')).href)};
    try {
      const database = await openDatabase({ dataDir: process.argv[1], migrate: false });
      await database.close();
      process.stdout.write('opened');
    } catch (error) {
      process.stderr.write(error.message);
      process.exitCode = 3;
    }`;
  const child = () => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, dataDir]);
  try {
    const database = await openDatabase({ dataDir });
    try {
      await assert.rejects(child(), (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 3);
        assert.equal(error.stderr, `data directory ${dataDir} is in use by process ${process.pid}; stop it or set DATABASE_URL`);
        return true;
      });
    } finally {
      await database.close();
    }
    assert.equal(await exists(join(dataDir, LOCK_FILE)), false);
    const { stdout } = await child();
    assert.equal(stdout, 'opened');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
