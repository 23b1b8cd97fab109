import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../src/domain/access/roles.ts';
import { formatFen } from '../src/domain/money/fen.ts';
import { createActor } from '../src/server/api/actor-store.ts';
import type { Api } from '../src/server/api/app.ts';
import { buildServer } from '../src/server/serve.ts';
import { CaseStore } from '../src/store/case-store.ts';
import type { Database } from '../src/store/database.ts';
import { offerId } from '../src/store/offer-store.ts';
import { forEachDatabase } from '../src/store/test-database.ts';

/**
 * Every POST where money moves, sent twice under one Idempotency-Key, as a client does when it
 * did not see the first answer: an offer's acceptance and refusal, a payment batch prepared,
 * approved, sent, its results imported, a failed payment's new route. The retry gets the first
 * answer (marked replayed) and nothing is done twice; a refusal is an answer too, stored and
 * audited. On PGlite these requests once waited forever (their work asked for a second
 * connection while the key's transaction held the only one); on PostgreSQL the work committed
 * apart from its stored answer (test/server-crash.test.ts kills the server between the two).
 */
const OFFERS = 12;
const admin: Actor = { id: 'admin', role: 'administrator', name: 'admin' };
const investor = (index: number) => `INV${String(index).padStart(6, '0')}`;
const AGREEMENT = 'd'.repeat(64);

forEachDatabase((databaseName, open) => {
  describe(`retries under one Idempotency-Key on ${databaseName}`, () => {
    let database: Database;
    let api: Api;
    let caseId = '';
    let today = '2027-01-05';
    const workRoot = mkdtempSync(join(tmpdir(), 'redress-retries-'));
    const tokens: Record<string, string> = {};

    before(async () => {
      database = await open();
      const cases = new CaseStore(database.db);
      const run = async (on: string, command: Parameters<CaseStore['execute']>[0]['command'], id: string | null) => {
        const done = await cases.execute({ caseId: id, command, actor: admin, today: on, at: new Date(`${on}T02:00:00Z`) });
        assert.ok(done.outcome.accepted, done.outcome.accepted ? '' : done.outcome.refusal.message.en);
        return done.caseId;
      };
      caseId = await run('2026-11-02', {
        type: 'record-penalty-decision', decisionNumber: '〔2026〕3号', decisionDate: '2026-11-02', authority: '中国证监会', issuer: '重试科技', security: { code: '000333', name: '重试科技' },
        liableParties: [{ id: 'issuer', name: '重试科技', kind: 'issuer' }, { id: 'sponsor', name: '保荐机构', kind: 'sponsor' }], facts: '虚增收入。',
      }, null);
      await run('2026-11-03', { type: 'add-funder', funderId: 'sponsor-1', name: '保荐机构', liableParty: 'sponsor', pledgeFen: '100000000' }, caseId);
      await run('2026-11-03', { type: 'confirm-deposit', funderId: 'sponsor-1', amountFen: '100000000', bankReference: 'BANK-1', valueDate: '2026-11-03' }, caseId);
      await database.db.insertInto('computation_runs').values({ id: 'run-1', case_id: caseId, plan_version: 1, plan_sha256: 'e'.repeat(64), dataset: 'x', status: 'finished' }).execute();
      await database.db.insertInto('offers').values(Array.from({ length: OFFERS }, (_, index) => ({
        id: offerId('run-1', investor(index)), case_id: caseId, run_id: 'run-1', investor: investor(index), amount_fen: BigInt(10_000 + index), plan_version: 1,
        plan_sha256: 'e'.repeat(64), agreement_sha256: AGREEMENT, opens_on: '2027-01-04', closes_on: '2027-01-22', status: 'offered' as const,
      }))).execute();
      for (const id of ['admin', 'admin-2', 'auditor']) tokens[id] = (await createActor(database.db, { id, role: id === 'auditor' ? 'auditor' : 'administrator', name: id })).token;
      ({ api } = await buildServer({ database, importRoot: tmpdir(), workRoot, clock: { now: () => new Date(`${today}T10:00:00+08:00`) }, notificationSender: { send: async () => {} } }));
    });
    after(async () => {
      await api?.close();
      await database?.close();
      rmSync(workRoot, { recursive: true, force: true });
    });

    const post = async (actor: string, url: string, key: string, body?: object) => {
      const response = await api.inject({ method: 'POST', url, headers: { authorization: `Bearer ${tokens[actor]}`, 'idempotency-key': key }, ...(body ? { payload: body } : {}) });
      const json = String(response.headers['content-type']).includes('json');
      return { status: response.statusCode, body: json ? response.json() : response.body, type: String(response.headers['content-type']), replayed: response.headers['idempotent-replayed'] === 'true' };
    };
    /** Sends the request twice under one key: the second answer is the first, replayed. */
    const twice = async (actor: string, url: string, key: string, body?: object) => {
      const first = await post(actor, url, key, body);
      const again = await post(actor, url, key, body);
      assert.equal(first.replayed, false, url);
      assert.equal(again.replayed, true, url);
      assert.deepEqual([again.status, again.body, again.type], [first.status, first.body, first.type], url);
      return first;
    };
    const count = async (table: 'audit_log' | 'fund_transactions' | 'payment_batches' | 'offer_answers' | 'payment_routes') =>
      Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow()).count);

    it('answers each retry with the first answer and does nothing twice', { timeout: 60_000 }, async () => {
      for (let index = 0; index < OFFERS - 1; index++) {
        const accepted = await twice('admin', `/api/v1/offers/${offerId('run-1', investor(index))}/accept`, `accept-${index}`, { agreementSha256: AGREEMENT, channel: 'counter' });
        assert.deepEqual([accepted.status, accepted.body.offer.status, accepted.body.repeated], [200, 'accepted', false]);
      }
      const refused = await twice('admin', `/api/v1/offers/${offerId('run-1', investor(OFFERS - 1))}/refuse`, 'refuse', { channel: 'counter' });
      assert.equal(refused.body.offer.status, 'refused');
      // Refused by the rules: the refusal is the stored answer, and its audit entry stays.
      const audited = await count('audit_log');
      const late = await twice('admin', `/api/v1/offers/${offerId('run-1', investor(0))}/refuse`, 'refuse-again', { channel: 'counter' });
      assert.deepEqual([late.status, late.body.error.code], [409, 'already-answered']);
      assert.equal(await count('audit_log'), audited + 1);
      assert.equal(await count('offer_answers'), OFFERS);
      const reused = await post('admin', `/api/v1/offers/${offerId('run-1', investor(1))}/accept`, 'accept-0', { agreementSha256: AGREEMENT, channel: 'counter' });
      assert.equal(reused.body.error.code, 'idempotency-key-reused');

      today = '2027-01-25';
      const batch = await twice('admin', `/api/v1/cases/${caseId}/payment-batches`, 'prepare', undefined);
      assert.deepEqual([batch.status, batch.body.counts.items], [201, OFFERS - 1]);
      assert.equal(await count('payment_batches'), 1);
      const samePerson = await twice('admin', `/api/v1/payment-batches/${batch.body.batchId}/approve`, 'approve-mine');
      assert.deepEqual([samePerson.status, samePerson.body.error.code], [403, 'same-person']);
      const approved = await twice('admin-2', `/api/v1/payment-batches/${batch.body.batchId}/approve`, 'approve');
      assert.equal(approved.body.status, 'approved');
      const sent = await twice('admin', `/api/v1/payment-batches/${batch.body.batchId}/send`, 'send');
      assert.match(sent.type, /^text\/csv/);
      assert.equal(sent.body.trim().split('\n').length, OFFERS);
      const items = batch.body.items as { offerId: string; amountFen: string }[];
      const csv = ['offer_id,amount,outcome,reason', ...items.map((item, index) => `${item.offerId},${formatFen(BigInt(item.amountFen))},${index === 0 ? 'failed,账户冻结' : 'paid,'}`)].join('\n');
      const ledger = await count('fund_transactions');
      const imported = await twice('admin', `/api/v1/payment-batches/${batch.body.batchId}/results`, 'results', { csv });
      assert.deepEqual([imported.body.applied, imported.body.rejected], [OFFERS - 1, []]);
      assert.equal(await count('fund_transactions'), ledger + OFFERS - 2, 'one payment transaction per payment made, none twice');
      await twice('admin', `/api/v1/offers/${items[0]!.offerId}/payment-route`, 'route', { kind: 'bank-account', reference: '6222000011112222', reason: '投资者提供的银行账户' });
      assert.equal(await count('payment_routes'), 1);

      const entries = (await api.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: { authorization: `Bearer ${tokens['auditor']}` } })).json();
      assert.equal(entries.ok, true);
    });
  });
});
