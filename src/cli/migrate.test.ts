import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../store/database.ts';
import { readMigrationFiles } from '../store/migrate.ts';
import { runCaptured, type CommandRun } from '../../test/support/captured-command.ts';
import { runMigrate } from './migrate.ts';

function migrateCommand(args: string[], environment: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  return runCaptured((output) => runMigrate(args, output, environment));
}

describe('redress migrate', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'redress-migrate-cli-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('creates the data directory, prints each migration applied, then finds nothing to apply', async () => {
    const dataDir = join(root, 'data');
    const files = await readMigrationFiles();
    const last = files.at(-1)!.name;
    const state = `PGlite in ${dataDir} is at ${last} (${files.length} ${files.length === 1 ? 'migration' : 'migrations'})\n`;
    const first = await migrateCommand(['--data', dataDir]);
    assert.deepEqual(first, { code: 0, stdout: `${files.map((file) => `applied ${file.name}\n`).join('')}${state}`, stderr: '' });
    const second = await migrateCommand(['--data', dataDir]);
    assert.deepEqual(second, { code: 0, stdout: `nothing to apply: ${state}`, stderr: '' });
  });

  test('a data directory in use by a running process is refused with its pid, exit code 2', async () => {
    const dataDir = join(root, 'busy');
    const database = await openDatabase({ dataDir, migrate: false });
    try {
      const result = await migrateCommand(['--data', dataDir]);
      assert.deepEqual(result, {
        code: 2,
        stdout: '',
        stderr: `redress: cannot open the database: data directory ${dataDir} is in use by process ${process.pid}; stop it or set DATABASE_URL\n`,
      });
    } finally {
      await database.close();
    }
  });

  test('DATABASE_URL wins over --data', async () => {
    const result = await migrateCommand(['--data', join(root, 'unused')], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^redress: cannot open the database: .*ECONNREFUSED/);
  });

  test('a positional argument or an unknown flag is a usage error', async () => {
    const positional = await migrateCommand(['up']);
    assert.equal(positional.code, 2);
    assert.match(positional.stderr, /^redress: .*'up'/);
    const flag = await migrateCommand(['--dry-run']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--dry-run/);
  });
});
