import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { AbortedTransactionError, sql } from 'kysely';
import type { Database } from './database.ts';
import { openMemoryTestDatabase } from './test-database.ts';

describe('the PGlite dialect', () => {
  let database: Database;
  before(async () => {
    database = await openMemoryTestDatabase();
    await sql`create table events (id serial primary key, label text not null)`.execute(database.db);
  });
  after(async () => {
    await database.close();
  });

  async function labels(): Promise<string[]> {
    const { rows } = await sql<{ label: string }>`select label from events order by id`.execute(database.db);
    await sql`delete from events`.execute(database.db);
    return rows.map((row) => row.label);
  }

  test('two concurrent transactions run one after the other, never interleaved', async () => {
    const run = (name: string) =>
      database.db.transaction().execute(async (trx) => {
        await sql`insert into events (label) values (${`${name} begins`})`.execute(trx);
        await sleep(20); // the other transaction has every chance to slip in here
        await sql`insert into events (label) values (${`${name} ends`})`.execute(trx);
      });
    await Promise.all([run('A'), run('B')]);
    assert.deepEqual(await labels(), ['A begins', 'A ends', 'B begins', 'B ends']);
  });

  test('a query outside a transaction waits until the transaction has committed', async () => {
    let committed = false;
    const transaction = database.db.transaction().execute(async (trx) => {
      await sql`insert into events (label) values ('inside')`.execute(trx);
      await sleep(20);
      committed = true;
    });
    await sleep(1);
    const outside = await sql<{ count: bigint }>`select count(*) as count from events`.execute(database.db);
    assert.equal(committed, true);
    assert.deepEqual(outside.rows, [{ count: 1n }]);
    await transaction;
    assert.deepEqual(await labels(), ['inside']);
  });

  test('a transaction that throws is rolled back and frees the connection', async () => {
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await sql`insert into events (label) values ('lost')`.execute(trx);
        throw new Error('the command was refused');
      }),
      /the command was refused/,
    );
    await sql`insert into events (label) values ('kept')`.execute(database.db);
    assert.deepEqual(await labels(), ['kept']);
  });

  test('a failed statement whose error was swallowed makes COMMIT fail rather than silently roll back', async () => {
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await sql`insert into events (label) values ('before the error')`.execute(trx);
        await sql`select 1 / 0`.execute(trx).catch(() => undefined);
      }),
      AbortedTransactionError,
    );
    assert.deepEqual(await labels(), []);
  });

  test('the isolation level and access mode given are those of the transaction', async () => {
    const level = await database.db
      .transaction()
      .setIsolationLevel('serializable')
      .execute(async (trx) => (await sql<{ transaction_isolation: string }>`show transaction_isolation`.execute(trx)).rows[0]?.transaction_isolation);
    assert.equal(level, 'serializable');
    await assert.rejects(
      database.db.transaction().setAccessMode('read only').execute((trx) => sql`insert into events (label) values ('x')`.execute(trx)),
      /read-only transaction/,
    );
    assert.deepEqual(await labels(), []);
  });

  test('a rollback to a savepoint undoes only what followed it', async () => {
    const trx = await database.db.startTransaction().execute();
    await sql`insert into events (label) values ('kept')`.execute(trx);
    const saved = await trx.savepoint('before "risky"').execute();
    await sql`insert into events (label) values ('undone')`.execute(saved);
    const restored = await saved.rollbackToSavepoint('before "risky"').execute();
    const released = await restored.releaseSavepoint('before "risky"').execute();
    await released.commit().execute();
    assert.deepEqual(await labels(), ['kept']);
  });

  test('SQL without parameters may hold several statements, as on node-postgres', async () => {
    await sql.raw(`insert into events (label) values ('one'); insert into events (label) values ('two')`).execute(database.db);
    assert.deepEqual(await labels(), ['one', 'two']);
  });

  test('inserts, updates and deletes report the rows they touched', async () => {
    const inserted = await database.db.executeQuery(sql`insert into events (label) values ('a'), ('b'), ('c')`.compile(database.db));
    assert.equal(inserted.numAffectedRows, 3n);
    const updated = await database.db.executeQuery(sql`update events set label = label || '!' where label <> ${'a'}`.compile(database.db));
    assert.equal(updated.numAffectedRows, 2n);
    const selected = await database.db.executeQuery(sql`select * from events`.compile(database.db));
    assert.equal(selected.numAffectedRows, undefined);
    assert.deepEqual(await labels(), ['a', 'b!', 'c!']);
  });

  test('a query after close is refused', async () => {
    const closing = await openMemoryTestDatabase();
    await closing.close();
    await assert.rejects(sql`select 1`.execute(closing.db));
  });
});
