import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../src/domain/access/roles.ts';
import { formatFen, parseYuan } from '../src/domain/money/fen.ts';
import type { CaseCommand } from '../src/domain/procedure/case-commands.ts';
import { replay } from '../src/domain/procedure/case-state.ts';
import { commandAt, SAMPLE_ACTORS, SAMPLE_WALK } from '../src/domain/procedure/sample-case.ts';
import type { LocalComputationRunner } from '../src/jobs/computation-runs.ts';
import { createActor } from '../src/server/api/actor-store.ts';
import type { Api } from '../src/server/api/app.ts';
import { buildServer } from '../src/server/serve.ts';
import { CaseStore } from '../src/store/case-store.ts';
import type { Database } from '../src/store/database.ts';
import { offerId } from '../src/store/offer-store.ts';
import { forEachDatabase } from '../src/store/test-database.ts';
import { openSampleCase } from './support/sample-cases.ts';

/**
 * Every POST where money moves, sent twice under one Idempotency-Key, as a client does when it
 * did not see the first answer: an offer's acceptance and refusal, a payment batch prepared,
 * approved, sent, its results imported, a failed payment's new route. The retry gets the first
 * answer (marked replayed) and nothing is done twice; a refusal is an answer too, stored and
 * audited. On PGlite these requests once waited forever (their work asked for a second
 * connection while the key's transaction held the only one); on PostgreSQL the work committed
 * apart from its stored answer (test/server-crash.test.ts kills the server between the two).
 * Starting a computation run is such a request too: the run is recorded with its answer.
 */
const OFFERS = 12;
const admin: Actor = { id: 'admin', role: 'administrator', name: 'admin' };
const investor = (index: number) => `INV${String(index).padStart(6, '0')}`;
const AGREEMENT = 'd'.repeat(64);
const root = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(root, 'test/fixtures');

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
      caseId = await openSampleCase(database.db, admin, { number: '〔2026〕3号', issuer: '重试科技', code: '000333' }, {
        sponsorDeposit: { on: '2026-11-03', fen: '100000000' },
      });
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

  describe(`starting a computation run under one Idempotency-Key on ${databaseName}`, () => {
    let database: Database;
    let api: Api;
    let computations: LocalComputationRunner;
    let caseId = '';
    let token = '';
    const workRoot = mkdtempSync(join(tmpdir(), 'redress-retries-'));
    // What the fixture's independently computed results say the run must find.
    const expected = (() => {
      const [header, ...rows] = readFileSync(join(FIXTURES, 'case-1001/expected/compensation.csv'), 'utf8').trim().split('\n').map((line) => line.split(','));
      const column = (name: string) => header!.indexOf(name);
      return {
        investors: rows.length,
        payable: rows.filter((row) => row[column('status')] === 'payable').length,
        totalFen: rows.reduce((total, row) => total + parseYuan(row[column('total')]!)!, 0n),
      };
    })();

    before(async () => {
      database = await open();
      // The procedure's sample case up to its adopted plan, the plan computing the fixture's case.
      const lossParameters = JSON.parse(readFileSync(join(FIXTURES, 'case-1001/plan.json'), 'utf8')) as unknown;
      const store = new CaseStore(database.db);
      let id: string | null = null;
      for (const step of SAMPLE_WALK) {
        const events = id === null ? [] : (await store.events(id)).map((entry) => entry.event);
        let command: CaseCommand = commandAt(step, events.length === 0 ? null : replay(events));
        if (command.type === 'propose-plan-version') command = { ...command, document: { ...(command.document as object), lossParameters } };
        const done = await store.execute({ caseId: id, command, actor: step.actor, today: step.today, at: new Date(`${step.today}T02:00:00Z`) });
        assert.ok(done.outcome.accepted, `${step.type}: ${done.outcome.accepted ? '' : done.outcome.refusal.message.en}`);
        id = done.caseId;
        if (step.type === 'adopt-plan') break;
      }
      caseId = id!;
      token = (await createActor(database.db, { id: SAMPLE_ACTORS.administrator.id, role: 'administrator', name: SAMPLE_ACTORS.administrator.name })).token;
      ({ api, computations } = await buildServer({
        database, importRoot: FIXTURES, workRoot, workers: 1, clock: { now: () => new Date('2026-02-20T10:00:00+08:00') }, notificationSender: { send: async () => {} },
      }));
    });
    after(async () => {
      await api?.close();
      await database?.close();
      rmSync(workRoot, { recursive: true, force: true });
    });

    const start = async (key: string, dataset: string) => {
      const response = await api.inject({
        method: 'POST', url: `/api/v1/cases/${caseId}/computation-runs`, headers: { authorization: `Bearer ${token}`, 'idempotency-key': key }, payload: { dataset },
      });
      return { status: response.statusCode, body: response.json(), replayed: response.headers['idempotent-replayed'] === 'true' };
    };
    const runs = () => database.db.selectFrom('computation_runs').selectAll().where('case_id', '=', caseId).execute();
    const startsAudited = async () =>
      Number((await database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('count')).where('command', '=', 'start-computation-run').executeTakeFirstOrThrow()).count);

    it('records one run with its answer: retries get that run, a different request under the key is refused', { timeout: 120_000 }, async () => {
      // Two first requests at once, as a client that timed out and resent does: one run, never two.
      // On PostgreSQL the one that loses the key's row is rolled back whole, its run with it, and
      // answers with the winner's answer.
      const [one, other] = await Promise.all([start('run-1001', 'case-1001'), start('run-1001', 'case-1001')]);
      const answered = [one, other].filter((answer) => answer.status === 202);
      assert.equal(answered.length, 2, JSON.stringify([one, other]));
      const runId = answered[0]!.body.runId as string;
      assert.match(runId, /^run-20260220-[0-9a-f]{10}$/);
      for (const answer of answered) assert.deepEqual(answer.body, { runId, status: 'running', links: { run: `/api/v1/computation-runs/${runId}` } });

      const again = await start('run-1001', 'case-1001');
      assert.deepEqual([again.status, again.replayed, again.body], [202, true, answered[0]!.body]);
      const reused = await start('run-1001', 'case-1002');
      assert.deepEqual([reused.status, reused.body.error.code], [409, 'idempotency-key-reused']);

      await computations.settled(runId);
      const recorded = await runs();
      assert.deepEqual(recorded.map((run) => [run.id, run.dataset, run.status, run.error]), [[runId, 'case-1001', 'finished', null]], 'one run, computed once its record committed');
      assert.deepEqual([recorded[0]!.investors, recorded[0]!.payable, recorded[0]!.total_fen], [expected.investors, expected.payable, expected.totalFen]);
      assert.equal(await startsAudited(), 1);
      const events = (await new CaseStore(database.db).events(caseId)).filter((entry) => entry.event.type === 'computation-run-recorded');
      assert.equal(events.length, 1);
    });

    it('answers a refused start the same way on a retry, and records nothing', async () => {
      const refused = await start('run-missing', 'no-such-dataset');
      assert.deepEqual([refused.status, refused.replayed, refused.body.error.code], [409, false, 'invalid-dataset']);
      const again = await start('run-missing', 'no-such-dataset');
      assert.deepEqual([again.status, again.replayed, again.body], [409, true, refused.body]);
      assert.equal((await runs()).length, 1);
      assert.equal(await startsAudited(), 1);
    });
  });
});
