import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { databaseOptionsFrom, DEFAULT_DATA_DIR, openDatabase, type Database } from './database.ts';
import { forEachDatabase } from './test-database.ts';

forEachDatabase((name, open) => {
  describe(`type parsing on ${name}`, () => {
    let database: Database;
    before(async () => {
      database = await open();
    });
    after(async () => {
      await database.close();
    });

    test('int8 is a bigint, exact above 2^53', async () => {
      const { rows } = await sql<{ big: unknown; negative: unknown; count: unknown }>`
        select 9007199254740993::int8 as big, (-9223372036854775808)::int8 as negative, count(*) as count from (values (1), (2)) as v(x)`.execute(database.db);
      assert.deepEqual(rows, [{ big: 9007199254740993n, negative: -9223372036854775808n, count: 2n }]);
    });

    test('numeric is its decimal text, not a float', async () => {
      const { rows } = await sql<{ amount: unknown; small: unknown }>`select '12345678901234567890.12'::numeric as amount, 0.10::numeric(10, 2) as small`.execute(database.db);
      assert.deepEqual(rows, [{ amount: '12345678901234567890.12', small: '0.10' }]);
    });

    test('arrays of int8, numeric and date parse their elements the same way, nulls kept', async () => {
      const { rows } = await sql<{ ids: unknown; amounts: unknown; days: unknown }>`
        select array[1, null, 9007199254740993]::int8[] as ids,
               array[array['1.50', '2'], array['-0.01', null]]::numeric[] as amounts,
               array['2024-02-29'::date] as days`.execute(database.db);
      assert.deepEqual(rows, [{ ids: [1n, null, 9007199254740993n], amounts: [['1.50', '2'], ['-0.01', null]], days: ['2024-02-29'] }]);
    });

    test('a date is its ISO text and a timestamptz the same instant as a Date', async () => {
      const { rows } = await sql<{ day: unknown; instant: unknown }>`
        select '2024-03-01'::date as day, '2024-03-01T09:30:00.123+08:00'::timestamptz as instant`.execute(database.db);
      assert.equal(rows[0]!.day, '2024-03-01');
      assert.ok(rows[0]!.instant instanceof Date);
      assert.equal((rows[0]!.instant as Date).toISOString(), '2024-03-01T01:30:00.123Z');
    });

    test('a bigint parameter above 2^53 arrives exactly', async () => {
      const { rows } = await sql<{ doubled: unknown; text: unknown }>`select ${9007199254740993n}::int8 * 2 as doubled, ${9007199254740993n}::int8::text as text`.execute(database.db);
      assert.deepEqual(rows, [{ doubled: 18014398509481986n, text: '9007199254740993' }]);
    });

    test('int4, boolean, text and json keep the drivers’ common defaults', async () => {
      const { rows } = await sql<Record<string, unknown>>`select 7::int4 as n, true as yes, 'x' as t, '{"a":[1,"b"]}'::jsonb as j`.execute(database.db);
      assert.deepEqual(rows, [{ n: 7, yes: true, t: 'x', j: { a: [1, 'b'] } }]);
    });
  });
});

test('node-postgres keeps its global parsers: the pool brings its own', async () => {
  // Nothing connects until the first query, so no server is needed here.
  const database = await openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none', migrate: false });
  assert.equal(database.kind, 'postgres');
  try {
    const parseInt8 = pg.types.getTypeParser(20, 'text') as (text: string) => unknown;
    const parseNumeric = pg.types.getTypeParser(1700, 'text') as (text: string) => unknown;
    assert.equal(parseInt8('9007199254740993'), '9007199254740993');
    assert.equal(parseNumeric('1.5'), '1.5');
  } finally {
    await database.close();
  }
});

test('a file-backed PGlite database keeps its rows across a close and a reopen', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'redress-db-'));
  try {
    const dataDir = join(dir, 'data');
    const first = await openDatabase({ dataDir });
    assert.equal(first.kind, 'pglite');
    await sql`create table kept (amount int8)`.execute(first.db);
    await sql`insert into kept values (${123456789012345678n})`.execute(first.db);
    await first.close();
    await first.close(); // closing twice is harmless

    const second = await openDatabase({ dataDir });
    try {
      const { rows } = await sql<{ amount: bigint }>`select amount from kept`.execute(second.db);
      assert.deepEqual(rows, [{ amount: 123456789012345678n }]);
      const migrations = await second.db.selectFrom('schema_migrations').select('name').orderBy('version').execute();
      assert.equal(migrations[0]?.name, '0001_audit_log.sql');
    } finally {
      await second.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('opening with migrate: false leaves an empty database untouched', async () => {
  const database = await openDatabase({ dataDir: 'memory://', migrate: false });
  try {
    const { rows } = await sql<{ found: string | null }>`select to_regclass('schema_migrations')::text as found`.execute(database.db);
    assert.deepEqual(rows, [{ found: null }]);
  } finally {
    await database.close();
  }
});

test('DATABASE_URL wins over the data directory, which defaults to ./data', () => {
  assert.equal(DEFAULT_DATA_DIR, './data');
  assert.deepEqual(databaseOptionsFrom({ DATABASE_URL: 'postgres://db/redress' }, '/srv/data'), { url: 'postgres://db/redress' });
  assert.deepEqual(databaseOptionsFrom({}, '/srv/data'), { dataDir: '/srv/data' });
  assert.deepEqual(databaseOptionsFrom({ DATABASE_URL: '' }, undefined), { dataDir: './data' });
});
