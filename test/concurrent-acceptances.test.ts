import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../src/domain/access/roles.ts';
import type { Database } from '../src/store/database.ts';
import { ledgerState } from '../src/store/ledger-store.ts';
import { OfferRefused, OfferStore, offerId } from '../src/store/offer-store.ts';
import { forEachDatabase } from '../src/store/test-database.ts';
import { fundPosition } from '../src/domain/fund/fund-position.ts';
import { openSampleCase } from './support/sample-cases.ts';

/**
 * A thousand investors accept at once, a fifth of them twice (a double click, a retried request):
 * every acceptance is recorded once, none is lost, and the ledger's payables are exactly the sum
 * of the offers — on PGlite, and on PostgreSQL with a pool of real concurrent connections.
 */
const INVESTORS = 1000;
const admin: Actor = { id: 'admin', role: 'administrator', name: 'admin' };

forEachDatabase((databaseName, open) => {
  describe(`concurrent acceptances on ${databaseName}`, () => {
    let database: Database;
    let caseId = '';
    const agreement = 'd'.repeat(64);
    const amountOf = (index: number) => BigInt(10_000 + index * 37);

    before(async () => {
      database = await open();
      caseId = await openSampleCase(database.db, admin, { number: '〔2026〕7号', issuer: '并发科技', code: '000777', facts: '虚增利润。' });
      // A finished run with one payable result per investor, and the offers made from it.
      await database.db.insertInto('computation_runs').values({ id: 'run-1', case_id: caseId, plan_version: 1, plan_sha256: 'e'.repeat(64), dataset: 'x', status: 'finished' }).execute();
      const rows = Array.from({ length: INVESTORS }, (_, index) => ({
        id: offerId('run-1', `INV${String(index).padStart(6, '0')}`), case_id: caseId, run_id: 'run-1', investor: `INV${String(index).padStart(6, '0')}`,
        amount_fen: amountOf(index), plan_version: 1, plan_sha256: 'e'.repeat(64), agreement_sha256: agreement, opens_on: '2027-01-04', closes_on: '2027-01-22', status: 'offered' as const,
      }));
      for (let start = 0; start < rows.length; start += 500) await database.db.insertInto('offers').values(rows.slice(start, start + 500)).execute();
    });
    after(async () => database?.close());

    it('records each acceptance exactly once, whatever the interleaving', async () => {
      const offers = new OfferStore(database.db);
      const attempts = Array.from({ length: INVESTORS }, (_, index) => index).flatMap((index) => (index % 5 === 0 ? [index, index] : [index]));
      // Shuffle deterministically so duplicates do not arrive side by side.
      for (let i = attempts.length - 1; i > 0; i--) {
        const j = (i * 7919) % (i + 1);
        [attempts[i], attempts[j]] = [attempts[j]!, attempts[i]!];
      }
      const outcomes = await Promise.all(attempts.map(async (index) => {
        const investor = `INV${String(index).padStart(6, '0')}`;
        const actor: Actor = { id: investor, role: 'investor', name: investor };
        try {
          const { decision } = await offers.answer({ offerId: offerId('run-1', investor), answer: { kind: 'accept', channel: 'portal', agreementSha256: agreement }, actor, today: '2027-01-05', at: new Date('2027-01-05T02:00:00Z') });
          return decision.firstTime ? 'first' : 'repeat';
        } catch (error) {
          if (error instanceof OfferRefused) return error.code;
          throw error;
        }
      }));
      assert.equal(outcomes.filter((outcome) => outcome === 'first').length, INVESTORS, 'none lost');
      assert.equal(outcomes.filter((outcome) => outcome === 'repeat').length, INVESTORS / 5, 'duplicates are repeats, not second acceptances');
      const answers = await database.db.selectFrom('offer_answers').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
      assert.equal(Number(answers.count), INVESTORS);
      const position = fundPosition(await ledgerState(database.db, caseId));
      const expected = Array.from({ length: INVESTORS }, (_, index) => amountOf(index)).reduce((total, amount) => total + amount, 0n);
      assert.equal(position.acceptedFen, expected);
      assert.equal(position.payableFen, expected);
      assert.equal(position.offersAccepted, INVESTORS);
      const postings = await sql<{ count: string }>`select count(*) as count from fund_postings where fund_id = ${caseId}`.execute(database.db);
      assert.equal(Number(postings.rows[0]!.count), 2 * INVESTORS, 'one two-posting transaction per acceptance');
      const audit = await database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('count')).where('command', '=', 'accept-offer').executeTakeFirstOrThrow();
      assert.equal(Number(audit.count), attempts.length, 'every attempt is in the audit log');
      // The running tallies followed every acceptance, interleaved as they were.
      const tallies = await database.db.selectFrom('offer_tallies').select(['status', 'offers', 'amount_fen']).where('case_id', '=', caseId).orderBy('status').execute();
      assert.deepEqual(
        tallies.map((row) => [row.status, Number(row.offers), BigInt(row.amount_fen)]),
        [['accepted', INVESTORS, expected], ['offered', 0, 0n]],
      );
    });
  });
});
