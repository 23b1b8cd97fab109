import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { sha256Hex } from '../domain/content-hash.ts';
import type { Database } from './database.ts';
import { migrate, MIGRATIONS_DIRECTORY, MigrationError, readMigrationFiles, recordedMigrations } from './migrate.ts';
import { forEachDatabase, openTestSchema } from './test-database.ts';

async function tableNames(database: Database): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = current_schema() order by table_name`.execute(database.db);
  return rows.map((row) => row.name);
}

describe('migration files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redress-migrations-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('are read in version order with the SHA-256 of their bytes; other files are ignored', async () => {
    await writeFile(join(dir, '0010_later.sql'), 'select 10;');
    await writeFile(join(dir, '0002_second.sql'), 'select 2;');
    await writeFile(join(dir, 'README.md'), 'notes');
    const files = await readMigrationFiles(dir);
    assert.deepEqual(
      files.map(({ version, name, checksum }) => ({ version, name, checksum })),
      [
        { version: 2, name: '0002_second.sql', checksum: sha256Hex('select 2;') },
        { version: 10, name: '0010_later.sql', checksum: sha256Hex('select 10;') },
      ],
    );
  });

  test('a misnamed SQL file or a repeated version is refused', async () => {
    await writeFile(join(dir, '2_short.sql'), 'select 1;');
    await assert.rejects(readMigrationFiles(dir), { name: 'MigrationError', message: /^migration file 2_short\.sql is not named NNNN_name\.sql/ });
    await rm(join(dir, '2_short.sql'));
    await writeFile(join(dir, '0000_zero.sql'), 'select 1;');
    await assert.rejects(readMigrationFiles(dir), /migration file 0000_zero\.sql is not named/);
    await rm(join(dir, '0000_zero.sql'));
    await writeFile(join(dir, '0003_a.sql'), 'select 1;');
    await writeFile(join(dir, '0003_b.sql'), 'select 1;');
    await assert.rejects(readMigrationFiles(dir), /migration files 0003_a\.sql and 0003_b\.sql have the same version 0003/);
  });

  test('the project’s own files start with the audit log', async () => {
    const files = await readMigrationFiles(MIGRATIONS_DIRECTORY);
    assert.equal(files[0]?.name, '0001_audit_log.sql');
    assert.equal(files[0]?.checksum, sha256Hex(await readFile(join(MIGRATIONS_DIRECTORY, '0001_audit_log.sql'))));
  });
});

forEachDatabase((name, open) => {
  describe(`migrations on ${name}`, () => {
    let database: Database;
    let dir: string;
    before(async () => {
      database = await open();
    });
    after(async () => {
      await database.close();
    });
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'redress-migrations-'));
      // Each test starts from a schema with only the project's migrations.
      for (const table of await tableNames(database)) {
        if (table.startsWith('widget')) await sql`drop table ${sql.table(table)}`.execute(database.db);
      }
      await sql`delete from schema_migrations where version >= 9000`.execute(database.db);
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    /** The project's migrations plus extra test files numbered from 9000. */
    async function withProjectMigrations(extra: Record<string, string>): Promise<string> {
      for (const file of await readMigrationFiles()) await writeFile(join(dir, file.name), file.sql);
      for (const [file, text] of Object.entries(extra)) await writeFile(join(dir, file), text);
      return dir;
    }

    test('the open database has every project migration recorded, and a second run applies nothing', async () => {
      const files = await readMigrationFiles();
      const recorded = await recordedMigrations(database.db);
      assert.deepEqual(
        recorded.map(({ version, name, checksum }) => ({ version, name, checksum })),
        files.map(({ version, name, checksum }) => ({ version, name, checksum })),
      );
      assert.ok(recorded.every((migration) => migration.appliedAt instanceof Date));
      assert.deepEqual(await migrate(database.db), []);
      assert.equal((await recordedMigrations(database.db)).length, files.length);
      assert.ok((await tableNames(database)).includes('audit_log'));
    });

    test('new files are applied in version order, each recorded, and only once', async () => {
      const directory = await withProjectMigrations({
        '9001_widgets.sql': 'create table widgets (id int8 primary key, price_fen int8 not null);',
        '9002_widget_colours.sql': "alter table widgets add column colour text not null default 'red';\ninsert into widgets (id, price_fen) values (1, 9007199254740993);",
      });
      const applied = await migrate(database.db, { directory });
      assert.deepEqual(applied.map((file) => file.name), ['9001_widgets.sql', '9002_widget_colours.sql']);
      const { rows } = await sql<{ id: bigint; price_fen: bigint; colour: string }>`select * from widgets`.execute(database.db);
      assert.deepEqual(rows, [{ id: 1n, price_fen: 9007199254740993n, colour: 'red' }]);
      assert.deepEqual(await migrate(database.db, { directory }), []);
      const recorded = await recordedMigrations(database.db);
      assert.deepEqual(recorded.slice(-2).map((migration) => [migration.version, migration.name]), [[9001, '9001_widgets.sql'], [9002, '9002_widget_colours.sql']]);
    });

    test('a migration changed after it was applied stops the run, naming the file', async () => {
      const directory = await withProjectMigrations({ '9001_widgets.sql': 'create table widgets (id int8);' });
      await migrate(database.db, { directory });
      await writeFile(join(directory, '9001_widgets.sql'), 'create table widgets (id int8, extra text);');
      await writeFile(join(directory, '9002_widget_parts.sql'), 'create table widget_parts (id int8);');
      await assert.rejects(migrate(database.db, { directory }), (error: unknown) => {
        assert.ok(error instanceof MigrationError);
        assert.equal(
          error.message,
          `migration 9001_widgets.sql was changed after it was applied (checksum ${sha256Hex('create table widgets (id int8);')} recorded, ` +
            `${sha256Hex('create table widgets (id int8, extra text);')} now): restore the file and put the change in a new migration`,
        );
        return true;
      });
      assert.ok(!(await tableNames(database)).includes('widget_parts'), 'nothing after the check ran');
    });

    test('a database with a migration this version does not have is refused', async () => {
      const directory = await withProjectMigrations({ '9001_widgets.sql': 'create table widgets (id int8);' });
      await migrate(database.db, { directory });
      await rm(join(directory, '9001_widgets.sql'));
      await assert.rejects(migrate(database.db, { directory }), /the database has migration 9001_widgets\.sql applied, but there is no such file/);
      await writeFile(join(directory, '9001_gadgets.sql'), 'create table widgets (id int8);');
      await assert.rejects(migrate(database.db, { directory }), /migration 9001_widgets\.sql was applied, but its version is now the file 9001_gadgets\.sql/);
    });

    test('a migration that fails leaves neither its changes nor its record, and the ones before it stay', async () => {
      const directory = await withProjectMigrations({
        '9001_widgets.sql': 'create table widgets (id int8);',
        '9002_widget_broken.sql': 'create table widget_broken (id int8);\nselect 1 / 0;',
      });
      await assert.rejects(migrate(database.db, { directory }), /division by zero/);
      const tables = await tableNames(database);
      assert.ok(tables.includes('widgets'));
      assert.ok(!tables.includes('widget_broken'));
      assert.deepEqual((await recordedMigrations(database.db)).at(-1)?.name, '9001_widgets.sql');
    });
  });
});

const url = process.env['TEST_DATABASE_URL'];
test('migrators starting together on one PostgreSQL schema apply each migration once', { skip: url === undefined || url === '' ? 'TEST_DATABASE_URL is not set' : false }, async () => {
  const database = await openTestSchema(url!, { migrate: false });
  try {
    const results = await Promise.all(Array.from({ length: 4 }, () => migrate(database.db)));
    const files = await readMigrationFiles();
    // Every migration was applied by exactly one of the four.
    assert.deepEqual(results.flat().map((file) => file.name).sort(), files.map((file) => file.name).sort());
    assert.equal((await recordedMigrations(database.db)).length, files.length);
  } finally {
    await database.close();
  }
});
