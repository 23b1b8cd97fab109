import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../src/domain/access/roles.ts';
import type { Database } from '../src/store/database.ts';
import { offerId } from '../src/store/offer-store.ts';
import { forEachDatabase } from '../src/store/test-database.ts';
import { openSampleCase } from './support/sample-cases.ts';

/**
 * The running tallies of offers (migrations 0010, 0011) follow statements that write many offers
 * at once — a case's offers issued in one INSERT, a bulk change of status — and single ones, and
 * always equal the offers counted and summed.
 */
const admin: Actor = { id: 'admin', role: 'administrator', name: 'admin' };

forEachDatabase((databaseName, open) => {
  describe(`offer tallies on ${databaseName}`, () => {
    let database: Database;
    let caseId = '';

    before(async () => {
      database = await open();
      caseId = await openSampleCase(database.db, admin, { number: '〔2026〕8号', issuer: '汇总科技', code: '000778', facts: '虚增利润。' });
      await database.db.insertInto('computation_runs').values({ id: 'run-t', case_id: caseId, plan_version: 1, plan_sha256: 'e'.repeat(64), dataset: 'x', status: 'finished' }).execute();
    });
    after(async () => database?.close());

    /** The tallies beside the offers counted and summed, by source and status. */
    async function talliesAndCounts() {
      const tallies = await sql<{ source: string; status: string; offers: string; amount_fen: string }>`
        select source, status, offers::text, amount_fen::text from offer_tallies where case_id = ${caseId} and offers > 0 order by source, status`.execute(database.db);
      const counted = await sql<{ source: string; status: string; offers: string; amount_fen: string }>`
        select source, status, count(*)::text as offers, sum(amount_fen)::text as amount_fen from offers where case_id = ${caseId} group by source, status order by source, status`.execute(database.db);
      return { tallies: tallies.rows, counted: counted.rows };
    }

    it('follow one INSERT of many offers, bulk and single changes of status, and refuse a change of amount', async () => {
      const offers = Array.from({ length: 3000 }, (_, index) => {
        const investor = `T${String(index).padStart(5, '0')}`;
        return {
          id: offerId('run-t', investor), case_id: caseId, run_id: 'run-t', investor, amount_fen: BigInt(1_000 + index), plan_version: 1,
          plan_sha256: 'e'.repeat(64), agreement_sha256: 'd'.repeat(64), opens_on: '2027-01-04', closes_on: '2027-01-22', status: 'offered' as const,
        };
      });
      await database.db.insertInto('offers').values(offers).execute();
      let state = await talliesAndCounts();
      assert.deepEqual(state.tallies, state.counted);
      const sumOf = (from: number, to: number) => String(Array.from({ length: to - from }, (_, k) => 1_000 + from + k).reduce((a, b) => a + b, 0));
      assert.deepEqual(state.tallies.map((row) => [row.status, row.offers, row.amount_fen]), [['offered', '3000', sumOf(0, 3000)]]);

      // One statement moves a thousand offers; another moves some back and others on; one more changes nothing.
      await sql`update offers set status = 'accepted' where case_id = ${caseId} and investor < 'T01000'`.execute(database.db);
      await sql`update offers set status = case when investor < 'T00100' then 'offered' else 'refused' end where case_id = ${caseId} and investor < 'T00300'`.execute(database.db);
      await sql`update offers set closes_on = '2027-01-23' where case_id = ${caseId} and investor >= 'T02000'`.execute(database.db);
      await database.db.updateTable('offers').set({ status: 'disputed' }).where('id', '=', offerId('run-t', 'T02999')).execute();
      state = await talliesAndCounts();
      assert.deepEqual(state.tallies, state.counted);
      assert.deepEqual(state.tallies.map((row) => [row.status, row.offers]), [['accepted', '700'], ['disputed', '1'], ['offered', '2099'], ['refused', '200']]);

      await assert.rejects(
        sql`update offers set amount_fen = amount_fen + 1 where id = ${offerId('run-t', 'T00001')}`.execute(database.db),
        /an offer's case, source and amount never change/,
      );
      assert.deepEqual((await talliesAndCounts()).tallies, state.tallies);
    });
  });
});
