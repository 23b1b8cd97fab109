import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql, type RawBuilder } from 'kysely';
import { auditEntryHash, GENESIS_HASH, sealAuditEntry, type AuditEntry } from '../domain/audit/audit-chain.ts';
import { contentHash } from '../domain/content-hash.ts';
import { appendAuditEntry, auditLogRow, readAuditHead, readAuditLog, verifyAuditLog, type AuditEntryInput } from './audit-log.ts';
import type { Database } from './database.ts';
import { forEachDatabase } from './test-database.ts';

function input(overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    caseId: 'case-2024-001',
    actorId: 'admin-1',
    role: 'administrator',
    at: '2024-03-01T09:30:00.000Z',
    command: 'open-case',
    reason: 'penalty decision 2024-12 recorded',
    payload: { decision: '2024-12', amountFen: 123456789012345678n },
    outcome: 'accepted',
    ...overrides,
  };
}

/** Runs statements as the table owner with the append-only triggers switched off, as a tamperer would. */
async function behindTheTriggersBack(database: Database, statement: RawBuilder<unknown>): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
    await statement.execute(trx);
    await sql`alter table audit_log enable trigger audit_log_append_only`.execute(trx);
  });
}

forEachDatabase((name, open) => {
  describe(`the audit log on ${name}`, () => {
    let database: Database;
    before(async () => {
      database = await open();
    });
    after(async () => {
      await database.close();
    });
    beforeEach(async () => {
      // Each test starts from an empty log; only the owner can empty it, with the triggers off.
      await database.db.transaction().execute(async (trx) => {
        await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
        await sql`delete from audit_log`.execute(trx);
        await sql`alter table audit_log enable trigger audit_log_append_only`.execute(trx);
      });
    });

    test('the first entry starts from the genesis hash, the next links to it, and both read back as written', async () => {
      const first = await appendAuditEntry(database.db, input());
      const expectedFirst: AuditEntry = sealAuditEntry({
        seq: 1n,
        caseId: 'case-2024-001',
        actorId: 'admin-1',
        role: 'administrator',
        at: '2024-03-01T09:30:00.000Z',
        command: 'open-case',
        reason: 'penalty decision 2024-12 recorded',
        payloadHash: contentHash({ decision: '2024-12', amountFen: '123456789012345678' }),
        outcome: 'accepted',
        prevHash: GENESIS_HASH,
      });
      assert.deepEqual(first, expectedFirst);

      const second = await appendAuditEntry(database.db, input({ caseId: null, reason: null, outcome: 'refused', command: 'pause-case', at: '2024-03-02T01:02:03.004Z' }));
      assert.equal(second.seq, 2n);
      assert.equal(second.prevHash, first.hash);
      assert.equal(second.hash, auditEntryHash(second));

      assert.deepEqual(await readAuditLog(database.db), [first, second]);
      assert.deepEqual(await readAuditLog(database.db, { after: 1n }), [second]);
      assert.deepEqual(await readAuditLog(database.db, { limit: 1 }), [first]);
      assert.deepEqual(await readAuditHead(database.db), { seq: 2n, hash: second.hash });
      assert.deepEqual(await verifyAuditLog(database.db), { ok: true, entries: 2 });
    });

    test('an empty log verifies, and its head is the genesis', async () => {
      assert.deepEqual(await verifyAuditLog(database.db), { ok: true, entries: 0 });
      assert.deepEqual(await readAuditHead(database.db), { seq: 0n, hash: GENESIS_HASH });
    });

    test('an entry appended in a transaction that rolls back leaves no trace and no gap', async () => {
      await appendAuditEntry(database.db, input());
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          await appendAuditEntry(trx, input({ command: 'record-deposit' }));
          throw new Error('the deposit did not match the bank record');
        }),
        /did not match/,
      );
      const third = await appendAuditEntry(database.db, input({ command: 'record-deposit' }));
      assert.equal(third.seq, 2n);
      assert.deepEqual((await readAuditLog(database.db)).map((entry) => entry.command), ['open-case', 'record-deposit']);
      assert.deepEqual(await verifyAuditLog(database.db), { ok: true, entries: 2 });
    });

    test('20 appends at once form one unbroken chain', async () => {
      const appended = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          database.db.transaction().execute((trx) => appendAuditEntry(trx, input({ actorId: `actor-${i}`, payload: { i } }))),
        ),
      );
      assert.deepEqual(appended.map((entry) => entry.seq).sort((a, b) => Number(a - b)), Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
      const log = await readAuditLog(database.db);
      assert.equal(new Set(log.map((entry) => entry.actorId)).size, 20);
      assert.deepEqual(await verifyAuditLog(database.db), { ok: true, entries: 20 });
    });

    test('under SERIALIZABLE an append racing another fails rather than fork the chain', { skip: name === 'pglite' ? 'PGlite runs one transaction at a time' : false }, async () => {
      const first = await database.db.startTransaction().setIsolationLevel('serializable').execute();
      await appendAuditEntry(first, input());
      const second = await database.db.startTransaction().setIsolationLevel('serializable').execute();
      const racing = appendAuditEntry(second, input({ command: 'record-deposit' }));
      await sleep(50); // the second waits on the lock, its snapshot already taken
      await first.commit().execute();
      await assert.rejects(racing, (error: { code?: string }) => error.code === '23505' || error.code === '40001');
      await second.rollback().execute();
      assert.deepEqual(await verifyAuditLog(database.db), { ok: true, entries: 1 });
    });

    test('the table refuses updates, deletes and truncation', async () => {
      await appendAuditEntry(database.db, input());
      await assert.rejects(sql`update audit_log set reason = 'rewritten'`.execute(database.db), /audit_log is append-only/);
      await assert.rejects(sql`delete from audit_log`.execute(database.db), /audit_log is append-only/);
      await assert.rejects(sql`truncate audit_log`.execute(database.db), /audit_log is append-only/);
      assert.equal((await readAuditLog(database.db))[0]?.reason, 'penalty decision 2024-12 recorded');
    });

    test('a row edited behind the trigger’s back is caught, naming its seq', async () => {
      for (let i = 0; i < 4; i++) await appendAuditEntry(database.db, input({ payload: { i } }));
      const original = (await readAuditLog(database.db))[2]!;
      await behindTheTriggersBack(database, sql`update audit_log set outcome = 'refused' where seq = 3`);
      const edited = { ...original, outcome: 'refused' as const };
      assert.deepEqual(await verifyAuditLog(database.db), {
        ok: false,
        brokenAt: 3n,
        problem: `entry 3 was altered: its contents hash to ${auditEntryHash(edited)}, but it records ${original.hash}`,
      });
    });

    test('a row deleted behind the trigger’s back is caught at the entry after it', async () => {
      for (let i = 0; i < 4; i++) await appendAuditEntry(database.db, input({ payload: { i } }));
      await behindTheTriggersBack(database, sql`delete from audit_log where seq = 2`);
      assert.deepEqual(await verifyAuditLog(database.db), { ok: false, brokenAt: 3n, problem: 'entry 3 follows entry 1: entry 2 is missing' });
    });

    test('two rows swapped behind the trigger’s back are caught at the first of them', async () => {
      for (let i = 0; i < 4; i++) await appendAuditEntry(database.db, input({ payload: { i } }));
      await behindTheTriggersBack(
        database,
        sql`update audit_log set seq = 1000 where seq = 2; update audit_log set seq = 2 where seq = 3; update audit_log set seq = 3 where seq = 1000`,
      );
      const verdict = await verifyAuditLog(database.db);
      assert.equal(verdict.ok ? null : verdict.brokenAt, 2n);
      assert.match(verdict.ok ? '' : verdict.problem, /^entry 2 does not link to its predecessor/);
    });

    test('verification runs across pages and names a broken entry deep in the log', async () => {
      // 2,345 entries chained here and inserted at once: appending them one by one would only be slower.
      const entries: AuditEntry[] = [];
      for (let i = 1; i <= 2345; i++) {
        entries.push(sealAuditEntry({ ...unsealedFields(i), prevHash: entries.at(-1)?.hash ?? GENESIS_HASH }));
      }
      for (let start = 0; start < entries.length; start += 500) {
        await database.db.insertInto('audit_log').values(entries.slice(start, start + 500).map(auditLogRow)).execute();
      }
      assert.deepEqual(await verifyAuditLog(database.db), { ok: true, entries: 2345 });
      // The next append continues the imported chain.
      const next = await appendAuditEntry(database.db, input());
      assert.equal(next.seq, 2346n);
      assert.equal(next.prevHash, entries.at(-1)!.hash);

      await behindTheTriggersBack(database, sql`update audit_log set actor_id = 'someone-else' where seq = 2001`);
      const verdict = await verifyAuditLog(database.db);
      assert.equal(verdict.ok ? null : verdict.brokenAt, 2001n);
    });

    test('inputs that would not make a reproducible entry are refused before anything is written', async () => {
      await assert.rejects(appendAuditEntry(database.db, input({ at: '2024-03-01T09:30:00Z' })), /audit entry time '2024-03-01T09:30:00Z' is not a UTC instant/);
      await assert.rejects(appendAuditEntry(database.db, input({ at: '2024-03-01T17:30:00.000+08:00' })), /is not a UTC instant/);
      await assert.rejects(appendAuditEntry(database.db, input({ actorId: '' })), /audit entry actorId must be a non-empty string/);
      await assert.rejects(appendAuditEntry(database.db, input({ caseId: '' })), /caseId must be null or a non-empty string/);
      await assert.rejects(appendAuditEntry(database.db, input({ outcome: 'maybe' as never })), /outcome 'maybe' is neither accepted nor refused/);
      await assert.rejects(appendAuditEntry(database.db, input({ payload: { ratio: 0.1 } })), /safe integers/);
      assert.deepEqual(await readAuditLog(database.db), []);
      await assert.rejects(readAuditLog(database.db, { limit: 0 }), /positive integer/);
    });
  });
});

function unsealedFields(i: number) {
  return {
    seq: BigInt(i),
    caseId: `case-${i % 7}`,
    actorId: `actor-${i % 13}`,
    role: 'administrator',
    at: `2024-03-01T09:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`,
    command: 'record-deposit',
    reason: i % 2 === 0 ? null : `deposit ${i}`,
    payloadHash: contentHash({ i }),
    outcome: 'accepted' as const,
  };
}

