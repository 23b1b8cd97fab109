import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../src/domain/access/roles.ts';
import { formatFen } from '../src/domain/money/fen.ts';
import { fundPosition } from '../src/domain/fund/fund-position.ts';
import { ledgerState } from '../src/store/ledger-store.ts';
import { OfferStore, offerId } from '../src/store/offer-store.ts';
import { PaymentStore } from '../src/store/payment-store.ts';
import { openTestSchema } from '../src/store/test-database.ts';
import type { Database } from '../src/store/database.ts';
import { openSampleCase } from './support/sample-cases.ts';

/**
 * A process importing a payment batch's results is killed with SIGKILL in the middle; importing
 * again gives exactly the end state of an import that was never interrupted — nothing paid twice,
 * nothing lost. Needs a PostgreSQL server (TEST_DATABASE_URL), where the child is a real second
 * client of the same database.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const url = process.env['TEST_DATABASE_URL'];
const OFFERS = 1500;
const admin: Actor = { id: 'admin', role: 'administrator', name: 'admin' };
const checker: Actor = { id: 'admin-2', role: 'administrator', name: 'admin-2' };
const investor = (index: number) => `INV${String(index).padStart(6, '0')}`;
const amountOf = (index: number) => BigInt(5_000 + index * 13);

describe('a payment import killed mid-way', { skip: url === undefined || url === '' ? 'needs TEST_DATABASE_URL' : false }, () => {
  let database: Database & { url: string };
  let batchId = '';
  let file = '';

  before(async () => {
    database = await openTestSchema(url!);
    const caseId = await openSampleCase(database.db, admin, { number: '〔2026〕9号', issuer: '崩溃科技', code: '000999' }, {
      sponsorDeposit: { on: '2026-11-03', fen: '100000000000' },
    });
    await database.db.insertInto('computation_runs').values({ id: 'run-1', case_id: caseId, plan_version: 1, plan_sha256: 'e'.repeat(64), dataset: 'x', status: 'finished' }).execute();
    const rows = Array.from({ length: OFFERS }, (_, index) => ({
      id: offerId('run-1', investor(index)), case_id: caseId, run_id: 'run-1', investor: investor(index), amount_fen: amountOf(index), plan_version: 1,
      plan_sha256: 'e'.repeat(64), agreement_sha256: 'd'.repeat(64), opens_on: '2027-01-04', closes_on: '2027-01-22', status: 'offered' as const,
    }));
    for (let start = 0; start < rows.length; start += 500) await database.db.insertInto('offers').values(rows.slice(start, start + 500)).execute();
    const offers = new OfferStore(database.db);
    for (let index = 0; index < OFFERS; index++) {
      await offers.answer({ offerId: offerId('run-1', investor(index)), answer: { kind: 'accept', channel: 'counter', agreementSha256: 'd'.repeat(64) }, actor: admin, today: '2027-01-05', at: new Date('2027-01-05T02:00:00Z') });
    }
    const payments = new PaymentStore(database.db);
    batchId = (await payments.prepare({ caseId, actor: admin, today: '2027-01-25', at: new Date('2027-01-25T02:00:00Z') })).batchId;
    await payments.approve({ batchId, actor: checker, at: new Date('2027-01-25T03:00:00Z') });
    await payments.send({ batchId, actor: admin, at: new Date('2027-01-25T04:00:00Z') });
    // Every tenth payment failed; the rest were paid.
    const lines = ['offer_id,amount,outcome,reason'];
    for (let index = 0; index < OFFERS; index++) lines.push(`${offerId('run-1', investor(index))},${formatFen(amountOf(index))},${index % 10 === 0 ? 'failed,账户冻结' : 'paid,'}`);
    file = join(mkdtempSync(join(tmpdir(), 'redress-crash-')), 'results.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
  });
  after(async () => database?.close());

  const childUrl = () => {
    const named = new URL(database.url);
    named.searchParams.set('application_name', 'redress-crash-child');
    return named.toString();
  };
  const child = () => spawn(process.execPath, [join(root, 'test/support/import-results-child.ts'), childUrl(), batchId, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  /** Resolves once the child's connection is inside an open transaction that has written (holds a transaction id). */
  const midTransaction = async () => {
    for (;;) {
      const open = await sql<{ count: string }>`select count(*) as count from pg_stat_activity where application_name = 'redress-crash-child' and backend_xid is not null`.execute(database.db);
      if (Number(open.rows[0]!.count) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('leaves no trace when killed, and the import run again ends where an uninterrupted one would', async () => {
    const importing = child();
    const exited = new Promise((resolve) => importing.once('exit', resolve));
    await midTransaction();
    importing.kill('SIGKILL');
    await exited;
    assert.equal(importing.signalCode, 'SIGKILL');
    const caseId = (await database.db.selectFrom('payment_batches').select('case_id').where('id', '=', batchId).executeTakeFirstOrThrow()).case_id;
    // Killed inside its transaction: nothing of the import is there, not a single payment.
    const between = fundPosition(await ledgerState(database.db, caseId));
    const itemsSettled = await database.db.selectFrom('payment_items').select((eb) => eb.fn.countAll<string>().as('count')).where('batch_id', '=', batchId).where('status', 'in', ['paid', 'failed']).executeTakeFirstOrThrow();
    assert.deepEqual([between.offersPaid, between.paidFen, Number(itemsSettled.count)], [0, 0n, 0]);

    const resumed = child();
    const output = await new Promise<string>((resolve, reject) => {
      let text = '';
      resumed.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      resumed.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      resumed.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(text))));
    });
    assert.match(output, /rejected 0/);
    const position = fundPosition(await ledgerState(database.db, caseId));
    const paidExpected = Array.from({ length: OFFERS }, (_, index) => index).filter((index) => index % 10 !== 0).reduce((total, index) => total + amountOf(index), 0n);
    assert.equal(position.offersPaid, OFFERS - OFFERS / 10);
    assert.equal(position.paidFen, paidExpected);
    assert.equal(position.custodyFen, 100000000000n - paidExpected);
    const ledgerRows = await database.db.selectFrom('fund_transactions').select((eb) => eb.fn.countAll<string>().as('count')).where('fund_id', '=', caseId).where('kind', '=', 'payment-sent').executeTakeFirstOrThrow();
    assert.equal(Number(ledgerRows.count), OFFERS - OFFERS / 10, 'one payment transaction per paid offer, none twice');
  });
});
