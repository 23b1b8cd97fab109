import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { formatFen } from '../src/domain/money/fen.ts';
import type { Api } from '../src/server/api/app.ts';
import { demoToday, loadDemoCase, type DemoCase } from '../src/server/demo-platform.ts';
import { chinaDate } from '../src/server/api/request-context.ts';
import { buildServer } from '../src/server/serve.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import type { LocalComputationRunner } from '../src/jobs/computation-runs.ts';
import { startServe, until, type ServeProcess } from './support/serve-process.ts';
import { seededRandom } from './support/seeded-random.ts';

/**
 * `redress serve` on PostgreSQL killed with SIGKILL — no handler runs, nothing is flushed — and
 * started again on the same database, at the moments that matter:
 *
 * 1. While a case's payments go out: two administrators approve and send a batch, the bank's
 *    results come back (every tenth payment failed), the failed ones get a new route and a second
 *    batch pays them. The server is killed inside the results import's transaction, after a
 *    request's work but before its Idempotency-Key answer is stored, after an answer the client
 *    never saw, and at random moments. The client retries what it did not see confirmed, with the
 *    same key. The end state equals that of the same requests on a copy of the database, never
 *    interrupted: every accepted offer paid exactly once, the same ledger, the same
 *    reconciliation, the same commands in the audit log, and the chain verifies.
 * 2. While a computation run computes, and while it stores its results: each interrupted run is
 *    marked failed at the next start with nothing of it stored, and a new run on the same files
 *    stores exactly what an uninterrupted run stores, investor by investor.
 *
 * The case is the demo case (src/server/demo-platform.ts), loaded into a database of the test's
 * own on the PostgreSQL server of TEST_DATABASE_URL; a copy of it (CREATE DATABASE … TEMPLATE)
 * runs the same requests without faults, in-process.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const redress = join(root, 'bin/redress.js');
const url = process.env['TEST_DATABASE_URL'];
const APPLICATION = 'redress-crash-server';
const INVESTORS = 6000;
const DATASET = `registry-${INVESTORS}`;

type Fault = 'none' | 'mid-transaction' | 'before-answer-stored' | 'answer-lost' | 'random';
interface Answer {
  status: number;
  body: any;
  replayed: boolean;
}
interface Step {
  label: string;
  actor: string;
  method: 'GET' | 'POST';
  path: string;
  body?: object;
}

/** The URL of database `name` on the server of `base`. */
function databaseUrl(base: string, name: string, applicationName?: string): string {
  const parsed = new URL(base);
  parsed.pathname = `/${name}`;
  parsed.searchParams.delete('options');
  if (applicationName) parsed.searchParams.set('application_name', applicationName);
  return parsed.toString();
}

async function onServer(base: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describe('the server killed with SIGKILL and restarted on PostgreSQL', { skip: url === undefined || url === '' ? 'needs TEST_DATABASE_URL (a PostgreSQL server the killed server\'s database outlives)' : false }, () => {
  const name = `redress_crash_${randomBytes(6).toString('hex')}`;
  const seed = Number(process.env['REDRESS_CRASH_SEED'] ?? randomBytes(4).readUInt32BE());
  const chance = seededRandom(seed);
  const importRoot = mkdtempSync(join(tmpdir(), 'redress-crash-imports-'));
  // The server's TMPDIR: where a run keeps its scratch files, so the test sees a run computing.
  const scratch = mkdtempSync(join(tmpdir(), 'redress-crash-scratch-'));
  const referenceWork = mkdtempSync(join(tmpdir(), 'redress-crash-runs-'));
  let demo: DemoCase;
  let server: ServeProcess;
  /** The killed server's database, read by the test on connections of its own. */
  let crashed: Database;
  /** The copy that runs the same requests without faults, in-process. */
  let reference: { database: Database; api: Api; computations: LocalComputationRunner };
  const tokens: Record<string, string> = {};
  const kills: string[] = [];

  before(async () => {
    await onServer(url!, `create database ${name}`);
    const loading = await openDatabase({ url: databaseUrl(url!, name) });
    try {
      demo = (await loadDemoCase(loading, { today: demoToday() }))!;
    } finally {
      await loading.close();
    }
    for (const person of demo.signIns) if (person.token) tokens[person.id] = person.token;
    // A copy of the case as it stands: a payment batch prepared by admin-2, waiting for approval.
    await onServer(url!, `create database ${name}_reference template ${name}`);
    const generated = spawnSync(process.execPath, [redress, 'demo-data', '--investors', String(INVESTORS), '--seed', '7', '--out', join(importRoot, DATASET)], { encoding: 'utf8' });
    assert.equal(generated.status, 0, generated.stderr);

    crashed = await openDatabase({ url: databaseUrl(url!, name), migrate: false });
    const referenceDatabase = await openDatabase({ url: databaseUrl(url!, `${name}_reference`), migrate: false });
    const built = await buildServer({ database: referenceDatabase, importRoot, workRoot: referenceWork, notificationSender: { send: async () => {} } });
    reference = { database: referenceDatabase, api: built.api, computations: built.computations };
    server = await startServe({ databaseUrl: databaseUrl(url!, name, APPLICATION), importRoot, env: { TMPDIR: scratch } });
  });

  after(async () => {
    await server?.stop();
    await reference?.api.close();
    await reference?.database.close();
    await crashed?.close();
    for (const database of [name, `${name}_reference`]) await onServer(url!, `drop database if exists ${database} with (force)`);
    for (const directory of [importRoot, scratch, referenceWork]) rmSync(directory, { recursive: true, force: true });
  });

  const decode = async (response: Response): Promise<Answer> => {
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json');
    return { status: response.status, body: json ? JSON.parse(text) : text, replayed: response.headers.get('idempotent-replayed') === 'true' };
  };
  const overHttp = async (step: Step, key: string | null): Promise<Answer> => decode(await fetch(`${server.base}${step.path}`, {
    method: step.method,
    headers: { authorization: `Bearer ${tokens[step.actor]}`, ...(step.body ? { 'content-type': 'application/json' } : {}), ...(key ? { 'idempotency-key': key } : {}) },
    ...(step.body ? { body: JSON.stringify(step.body) } : {}),
  }));
  const inProcess = async (step: Step): Promise<Answer> => {
    const response = await reference.api.inject({ method: step.method, url: step.path, headers: { authorization: `Bearer ${tokens[step.actor]}` }, ...(step.body ? { payload: step.body } : {}) });
    const json = String(response.headers['content-type'] ?? '').includes('json');
    return { status: response.statusCode, body: json ? response.json() : response.body, replayed: false };
  };

  /** What a request that did not finish could have left behind: counts of every table a payment step writes. */
  const footprint = async () => {
    const count = async (table: string) => Number((await sql<{ count: string }>`select count(*) as count from ${sql.table(table)}`.execute(crashed.db)).rows[0]!.count);
    const byStatus = async (table: string) => (await sql<{ status: string; count: string }>`select status, count(*) as count from ${sql.table(table)} group by status order by status`.execute(crashed.db)).rows;
    return {
      ledger: await count('fund_transactions'), postings: await count('fund_postings'), audit: await count('audit_log'), routes: await count('payment_routes'),
      answers: await count('idempotent_requests'), batches: await byStatus('payment_batches'), items: await byStatus('payment_items'),
    };
  };
  const serverBackends = async (condition: ReturnType<typeof sql>) =>
    Number((await sql<{ count: string }>`select count(*) as count from pg_stat_activity where application_name = ${APPLICATION} and ${condition}`.execute(crashed.db)).rows[0]!.count);

  /**
   * One request of the crashed run, with its fault: the server is killed at the fault's moment and
   * started again, and the request retried under the same key unless its answer had been seen.
   */
  const withFault = async (step: Step, fault: Fault): Promise<Answer> => {
    const key = `${step.label}-${randomBytes(6).toString('hex')}`;
    const restart = async (what: string) => {
      kills.push(`${step.label}: ${what}`);
      await server.restart();
    };
    switch (fault) {
      case 'none':
        return overHttp(step, key);
      case 'mid-transaction': {
        // Killed while its transaction has written ledger rows: none of them may survive.
        const before = await footprint();
        const pending = overHttp(step, key).catch(() => null);
        await until(async () => (await serverBackends(sql`backend_xid is not null and query ~ 'fund_(transactions|postings)'`)) > 0, `${step.label} inside its transaction`);
        await server.kill9();
        assert.equal(await pending, null, `${step.label}: killed before it answered`);
        assert.deepEqual(await footprint(), before, `${step.label}: nothing of the killed transaction remains`);
        await restart('killed inside its transaction, after its first ledger rows');
        const answer = await overHttp(step, key);
        assert.equal(answer.replayed, false, `${step.label}: done again, not replayed`);
        return answer;
      }
      case 'before-answer-stored': {
        // The request has done its work and waits to store its answer under the key (the test
        // holds a lock that lets its transaction read the table but not write to it). Killed
        // there, the work must go with the answer: both commit together or neither does.
        const before = await footprint();
        const blocker = new pg.Client({ connectionString: databaseUrl(url!, name) });
        await blocker.connect();
        try {
          await blocker.query('begin');
          await blocker.query('lock table idempotent_requests in share mode');
          const pending = overHttp(step, key).catch(() => null);
          await until(async () => (await serverBackends(sql`wait_event_type = 'Lock'`)) > 0, `${step.label} waiting to store its answer`);
          await server.kill9();
          assert.equal(await pending, null, `${step.label}: killed before it answered`);
        } finally {
          await blocker.query('rollback');
          await blocker.end();
        }
        assert.deepEqual(await footprint(), before, `${step.label}: its work was not committed without its answer`);
        await restart('killed after its work, before its answer was stored');
        const answer = await overHttp(step, key);
        assert.equal(answer.replayed, false, `${step.label}: done again, not replayed`);
        return answer;
      }
      case 'answer-lost': {
        // The answer was sent but never reached the client (a dropped connection, a client crash).
        const unseen = await overHttp(step, key);
        assert.ok(unseen.status < 300, `${step.label}: ${unseen.status} ${JSON.stringify(unseen.body)}`);
        await server.kill9();
        await restart('killed after answering; the client did not see the answer');
        const answer = await overHttp(step, key);
        assert.equal(answer.replayed, true, `${step.label}: the stored answer, not the work again`);
        assert.deepEqual(answer.body, unseen.body, `${step.label}: the same answer`);
        return answer;
      }
      case 'random': {
        const delay = Math.floor(chance() * 40);
        const pending = overHttp(step, key).catch(() => null);
        await new Promise((resolve) => setTimeout(resolve, delay));
        await server.kill9();
        const seen = await pending;
        await restart(`killed ${delay} ms after sending (${seen === null ? 'answer not seen, retried' : 'answer seen'})`);
        return seen ?? overHttp(step, key);
      }
    }
  };

  /**
   * The rest of the demo case's payments: approve and send the waiting batch, import the bank's
   * results (every tenth payment failed), give each failed offer a bank account, and pay those in
   * a second batch. The same requests for both runs; `call` decides how each is delivered.
   */
  const payOut = async (call: (step: Step) => Promise<Answer>) => {
    const answers: Record<string, Answer> = {};
    const step = async (label: string, actor: string, path: string, body?: object) => {
      const answer = await call({ label, actor, method: 'POST', path, ...(body ? { body } : {}) });
      assert.ok(answer.status < 300, `${label}: ${answer.status} ${JSON.stringify(answer.body)}`);
      answers[label] = answer;
      return answer;
    };
    const results = (items: { offerId: string; amountFen: string }[], failed: (index: number) => boolean) =>
      ['offer_id,amount,outcome,reason', ...items.map((item, index) => `${item.offerId},${formatFen(BigInt(item.amountFen))},${failed(index) ? 'failed,账户已销户' : 'paid,'}`)].join('\n');

    const waiting = (await sql<{ id: string }>`select id from payment_batches where status = 'prepared'`.execute(call === inProcess ? reference.database.db : crashed.db)).rows;
    assert.equal(waiting.length, 1, 'the demo leaves one batch waiting for approval');
    const first = waiting[0]!.id;
    const approved = await step('approve-1', 'admin', `/api/v1/payment-batches/${first}/approve`);
    const items = approved.body.items as { offerId: string; amountFen: string }[];
    await step('send-1', 'admin', `/api/v1/payment-batches/${first}/send`);
    await step('results-1', 'admin', `/api/v1/payment-batches/${first}/results`, { csv: results(items, (index) => index % 10 === 0) });
    const failed = items.filter((_, index) => index % 10 === 0);
    for (const [index, item] of failed.entries()) {
      await step(`reroute-${index + 1}`, 'admin', `/api/v1/offers/${item.offerId}/payment-route`, { kind: 'bank-account', reference: `6222${String(index).padStart(12, '0')}`, reason: '投资者提供的银行账户' });
    }
    const second = await step('prepare-2', 'admin-2', `/api/v1/cases/${demo.caseId}/payment-batches`);
    await step('approve-2', 'admin', `/api/v1/payment-batches/${second.body.batchId}/approve`);
    await step('send-2', 'admin', `/api/v1/payment-batches/${second.body.batchId}/send`);
    await step('results-2', 'admin', `/api/v1/payment-batches/${second.body.batchId}/results`, { csv: results(second.body.items, () => false) });
    return { answers, accepted: items.length, failed: failed.length };
  };

  /** What both runs must agree on, without the ids and times that differ by construction (batch ids are random). */
  const endState = async (db: Database['db'], get: (path: string) => Promise<Answer>, auditFrom: number) => {
    const payments = await sql`
      select p.offer_id, p.attempt, p.status, p.amount_fen::text as amount, p.route_kind, p.route_reference, p.failure
      from payment_items p order by p.offer_id, p.attempt`.execute(db);
    const ledger = await sql<Record<string, unknown>>`
      select t.id, t.kind, t.booked_on::text as booked_on, p.line, p.account, p.amount_fen::text as amount, p.investor, p.offer_id
      from fund_transactions t join fund_postings p on p.transaction_id = t.id order by t.id, p.line`.execute(db);
    const audit = await sql<{ command: string; outcome: string }>`select command, outcome from audit_log where seq > ${auditFrom} order by seq`.execute(db);
    return {
      reconciliation: (await get(`/api/v1/cases/${demo.caseId}/reconciliation`)).body,
      ledger: (await get(`/api/v1/cases/${demo.caseId}/ledger`)).body,
      payments: payments.rows,
      ledgerRows: ledger.rows,
      commands: audit.rows.map((row) => `${row.command} ${row.outcome}`),
    };
  };

  it('pays every accepted offer exactly once through kills at every step where money moves', async (t) => {
    t.diagnostic(`seed ${seed} (REDRESS_CRASH_SEED=${seed} replays the random kill moments)`);
    const auditFrom = Number((await sql<{ seq: string }>`select coalesce(max(seq), 0) as seq from audit_log`.execute(crashed.db)).rows[0]!.seq);
    const faults: Record<string, Fault> = {
      'approve-1': 'before-answer-stored',
      'send-1': 'answer-lost',
      'results-1': 'mid-transaction',
      'reroute-1': 'random',
      'prepare-2': 'before-answer-stored',
      'approve-2': 'random',
      'results-2': 'answer-lost',
    };
    const started = Date.now();
    const day = chinaDate(new Date());
    const crashedRun = await payOut((step) => withFault(step, faults[step.label] ?? 'none'));
    t.diagnostic(`${kills.length} kills in ${Date.now() - started} ms: ${kills.join('; ')}`);
    const referenceRun = await payOut(inProcess);
    assert.ok(crashedRun.accepted > 100 && crashedRun.failed > 10, `${crashedRun.accepted} payments, ${crashedRun.failed} failed first`);
    // The answers the client finally holds are those of the uninterrupted run.
    for (const label of ['results-1', 'results-2']) {
      assert.deepEqual([crashedRun.answers[label]!.body.applied, crashedRun.answers[label]!.body.rejected], [referenceRun.answers[label]!.body.applied, referenceRun.answers[label]!.body.rejected], label);
    }
    assert.equal(crashedRun.answers['send-1']!.body.split('\n').length, referenceRun.answers['send-1']!.body.split('\n').length, 'the same payment instructions');

    const get = (path: string) => overHttp({ label: 'read', actor: 'auditor', method: 'GET', path }, null);
    const after = await endState(crashed.db, get, auditFrom);
    const expected = await endState(reference.database.db, (path) => inProcess({ label: 'read', actor: 'auditor', method: 'GET', path }), auditFrom);
    if (chinaDate(new Date()) !== day) {
      // Midnight in China came between the two runs: they booked on different days, rightly.
      for (const state of [after, expected]) state.ledgerRows = state.ledgerRows.map((row) => ({ ...row, booked_on: null }));
    }
    assert.equal(after.reconciliation.balanced, true, JSON.stringify(after.reconciliation.checks?.filter((check: { holds: boolean }) => !check.holds)));
    assert.deepEqual(after.reconciliation, expected.reconciliation, 'the same reconciliation');
    assert.deepEqual(after.ledger, expected.ledger, 'the same ledger balances');
    assert.deepEqual(after.ledgerRows, expected.ledgerRows, 'the same ledger transactions and postings');
    assert.deepEqual(after.payments, expected.payments, 'the same payments, attempt by attempt');
    assert.deepEqual(after.commands, expected.commands, 'each command recorded once, as in the uninterrupted run');

    // Every accepted offer paid exactly once, with its amount, and one ledger payment for it.
    const perOffer = await sql<{ offer_id: string; paid: string; sent: string; accepted: string; amount: string }>`
      select o.id as offer_id, o.amount_fen::text as amount,
        (select count(*) from payment_items p where p.offer_id = o.id and p.status = 'paid' and p.amount_fen = o.amount_fen) as paid,
        (select count(*) from fund_transactions t where t.kind = 'payment-sent' and t.id like 'payment:' || o.id || ':%') as sent,
        (select count(*) from fund_transactions t where t.id = 'accept:' || o.id) as accepted
      from offers o where o.case_id = ${demo.caseId} and o.status = 'accepted'`.execute(crashed.db);
    assert.equal(perOffer.rows.length, crashedRun.accepted);
    const wrong = perOffer.rows.filter((row) => Number(row.paid) !== 1 || Number(row.sent) !== 1 || Number(row.accepted) !== 1);
    assert.deepEqual(wrong, [], 'no payment lost or doubled');
    const paidFen = perOffer.rows.reduce((total, row) => total + BigInt(row.amount), 0n);
    assert.equal(after.ledger.position.paidFen, paidFen.toString());
    assert.equal(after.ledger.position.payableFen, '0');

    const pack = (await get(`/api/v1/cases/${demo.caseId}/auditor-pack`)).body;
    assert.equal(pack.auditLog.ok, true);
    const verified = spawnSync(process.execPath, [redress, 'audit', 'verify'], { env: { ...process.env, DATABASE_URL: databaseUrl(url!, name) }, encoding: 'utf8', timeout: 60_000 });
    assert.equal(verified.status, 0, verified.stderr);
    assert.match(verified.stdout, /audit log intact/);
    assert.ok(server.running(), 'the restarted server still runs');
  });

  it('marks a computation run killed mid-way failed, stores nothing of it, and a new run stores exactly an uninterrupted run\'s results', async (t) => {
    // On its own when the payments test failed with the server down.
    if (!server.running()) await server.restart();
    const admin = (method: 'GET' | 'POST', path: string, body?: object) => overHttp({ label: 'run', actor: 'admin', method, path, ...(body ? { body } : {}) }, null);
    const startRun = async () => {
      const started = await admin('POST', `/api/v1/cases/${demo.caseId}/computation-runs`, { dataset: DATASET });
      assert.equal(started.status, 202, JSON.stringify(started.body));
      return started.body.runId as string;
    };
    const stored = async (runId: string) => {
      const count = async (table: 'investor_results' | 'rejected_rows') => Number((await crashed.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('count')).where('run_id', '=', runId).executeTakeFirstOrThrow()).count);
      return { results: await count('investor_results'), rejects: await count('rejected_rows') };
    };
    const scratchOf = (runId: string) => readdirSync(scratch).filter((entry) => entry.startsWith('redress-runs-')).some((entry) => existsSync(join(scratch, entry, runId)));
    const started = Date.now();

    // Killed while the engine computes: the run is in the database as running, and has written nothing yet.
    const computing = await startRun();
    await until(() => scratchOf(computing), 'the run computing');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await serverBackends(sql`backend_xid is not null`), 0, 'still computing: no transaction open');
    await server.kill9();
    await server.restart();
    // Killed while it stores its results: thousands of rows written in a transaction not committed.
    const storing = await startRun();
    await until(async () => (await serverBackends(sql`backend_xid is not null and query ~ 'investor_results'`)) > 0, 'the run storing its results', 60_000);
    await server.kill9();
    assert.deepEqual(await stored(storing), { results: 0, rejects: 0 }, 'uncommitted rows are never seen');
    await server.restart();

    for (const runId of [computing, storing]) {
      const run = (await admin('GET', `/api/v1/computation-runs/${runId}`)).body;
      assert.equal(run.status, 'failed', runId);
      assert.match(run.error, /interrupted/);
      assert.equal(run.counts, null);
      assert.deepEqual(await stored(runId), { results: 0, rejects: 0 }, `nothing of ${runId} is stored`);
    }

    const rerun = await startRun();
    await until(async () => (await admin('GET', `/api/v1/computation-runs/${rerun}`)).body.status !== 'running', 'the new run', 60_000, 100);
    const leftOver = readdirSync(scratch).filter((entry) => entry.startsWith('redress-runs-')).length;
    t.diagnostic(`two kills and a full run in ${Date.now() - started} ms; the killed servers left ${leftOver - 1} scratch directories behind`);
    const referenceStart = await inProcess({ label: 'run', actor: 'admin', method: 'POST', path: `/api/v1/cases/${demo.caseId}/computation-runs`, body: { dataset: DATASET } });
    await reference.computations.settled(referenceStart.body.runId);

    const summary = async (runId: string, get: (path: string) => Promise<Answer>) => {
      const { runId: _id, startedAt: _started, finishedAt: _finished, ...run } = (await get(`/api/v1/computation-runs/${runId}`)).body;
      return run;
    };
    const done = await summary(rerun, (path) => admin('GET', path));
    const uninterrupted = await summary(referenceStart.body.runId, (path) => inProcess({ label: 'run', actor: 'admin', method: 'GET', path }));
    assert.equal(done.status, 'finished', done.error);
    assert.equal(done.counts.investors, INVESTORS);
    assert.deepEqual(done, uninterrupted, 'the same counts, total, plan and input hash');

    // Every stored row, calculation sheet included, is the uninterrupted run's.
    const rows = async (db: Database['db'], runId: string) => {
      const result = await sql<Record<string, unknown>>`select * from investor_results where run_id = ${runId} order by convert_to(investor, 'UTF8')`.execute(db);
      return result.rows.map(({ run_id: _run, ...row }) => JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)));
    };
    const mine = await rows(crashed.db, rerun);
    const theirs = await rows(reference.database.db, referenceStart.body.runId);
    assert.equal(mine.length, INVESTORS);
    const digest = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex');
    if (digest(mine) !== digest(theirs)) {
      const index = mine.findIndex((line, at) => line !== theirs[at]);
      assert.equal(mine[index], theirs[index], `the first investor that differs (row ${index})`);
    }
    // Only the finished runs are in the case; the interrupted ones were never recorded.
    const recorded = (await admin('GET', `/api/v1/cases/${demo.caseId}`)).body.computationRuns.map((run: { runId: string }) => run.runId) as string[];
    assert.ok(recorded.includes(rerun));
    assert.ok(!recorded.includes(computing) && !recorded.includes(storing), recorded.join(', '));
    assert.equal((await admin('GET', '/api/v1/audit/verify')).body.ok, true);
  });
});
