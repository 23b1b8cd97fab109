import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import type { Actor } from '../src/domain/access/roles.ts';
import { addDays } from '../src/domain/market/calendar-date.ts';
import { createActor } from '../src/server/api/actor-store.ts';
import { chinaDate } from '../src/server/api/request-context.ts';
import { openDatabase } from '../src/store/database.ts';
import { ledgerState } from '../src/store/ledger-store.ts';
import { offerId } from '../src/store/offer-store.ts';
import { fundPosition } from '../src/domain/fund/fund-position.ts';
import { findPostgresBinaries, startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.ts';
import { openSampleCase } from './support/sample-cases.ts';
import { startServe, until, type ServeProcess } from './support/serve-process.ts';

/**
 * PostgreSQL stopped (fast mode: open transactions rolled back, every connection closed) and
 * started again under a steady stream of requests to `redress serve` — reads, and acceptances
 * sent with an Idempotency-Key and retried under it until acknowledged. While the database is
 * down every request is answered at once with 503 and the API's one error body; the server
 * process stays up; once the database is back, requests succeed again without restarting the
 * server; and every acknowledged acceptance is in the database exactly once. Then the connection
 * of one acceptance is cut at a chosen moment, in the middle of its ledger write: its retry does
 * all of it.
 *
 * The web pages meet an outage too: a page is answered with a 503 page in the reader's language
 * that says to try again shortly, and nothing of what failed inside.
 *
 * The PostgreSQL server is the test's own (initdb in a temporary directory, a free port): the
 * shared one other test files use at the same time is never stopped.
 */
const binaries = findPostgresBinaries();
const OFFERS = 600;
const WORKERS = 4;
const AGREEMENT = 'd'.repeat(64);
/** No request may take longer than this, up or down. */
const BOUND_MS = 5_000;
const admin: Actor = { id: 'admin', role: 'administrator', name: 'admin' };
const investor = (index: number) => `INV${String(index).padStart(6, '0')}`;
const amountOf = (index: number) => BigInt(10_000 + index * 7);

interface Seen {
  kind: 'accept' | 'read';
  path: string;
  /** Milliseconds from the start of the stream. */
  at: number;
  ms: number;
  status: number | 'no answer';
  body: any;
  retryAfter: string | null;
  replayed: boolean;
}

describe('PostgreSQL restarted under load', { skip: 'missing' in binaries ? binaries.missing : false }, () => {
  let postgres: PrivatePostgres;
  let server: ServeProcess;
  let token = '';
  let caseId = '';

  before(async () => {
    postgres = await startPrivatePostgres((binaries as { bin: string }).bin);
    // A case whose offers are open today, by the server's own clock: its funder's deposit in the
    // ledger, and offers to accept at the counter.
    const today = chinaDate(new Date());
    const decided = addDays(today, -2);
    const database = await openDatabase({ url: postgres.url });
    try {
      caseId = await openSampleCase(database.db, admin, { number: '〔2026〕5号', issuer: '重启科技', code: '000555', decided }, {
        sponsorDeposit: { on: today, fen: '100000000000' },
        at: () => new Date(),
      });
      await database.db.insertInto('computation_runs').values({ id: 'run-1', case_id: caseId, plan_version: 1, plan_sha256: 'e'.repeat(64), dataset: 'x', status: 'finished' }).execute();
      const rows = Array.from({ length: OFFERS }, (_, index) => ({
        id: offerId('run-1', investor(index)), case_id: caseId, run_id: 'run-1', investor: investor(index), amount_fen: amountOf(index), plan_version: 1,
        plan_sha256: 'e'.repeat(64), agreement_sha256: AGREEMENT, opens_on: decided, closes_on: addDays(today, 10), status: 'offered' as const,
      }));
      for (let start = 0; start < rows.length; start += 500) await database.db.insertInto('offers').values(rows.slice(start, start + 500)).execute();
      token = (await createActor(database.db, { id: 'admin', role: 'administrator', name: '基金管理人' })).token;
    } finally {
      await database.close();
    }
    server = await startServe({ databaseUrl: postgres.url });
  });

  after(async () => {
    await server?.stop();
    await postgres?.destroy();
  });

  it('answers 503 while the database is down, stays up, and recovers with no acceptance lost or doubled', async (t) => {
    const started = Date.now();
    const seen: Seen[] = [];
    const request = async (kind: Seen['kind'], path: string, body?: object, key?: string): Promise<Seen> => {
      const at = Date.now() - started;
      let entry: Seen;
      try {
        const response = await fetch(`${server.base}${path}`, {
          method: body ? 'POST' : 'GET',
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...(key ? { 'idempotency-key': key } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(BOUND_MS * 3),
        });
        const text = await response.text();
        entry = {
          kind, path, at, ms: Date.now() - started - at, status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text,
          retryAfter: response.headers.get('retry-after'), replayed: response.headers.get('idempotent-replayed') === 'true',
        };
      } catch (error) {
        entry = { kind, path, at, ms: Date.now() - started - at, status: 'no answer', body: String(error), retryAfter: null, replayed: false };
      }
      seen.push(entry);
      return entry;
    };

    // The stream: each worker accepts the next offer, or retries one not yet acknowledged under
    // its key, and reads an offer, at a steady pace until the timeline below says stop.
    const waiting = Array.from({ length: OFFERS }, (_, index) => index);
    const retry: number[] = [];
    const acknowledged = new Map<number, Seen>();
    let taking = true;
    let abandoned = false;
    const worker = async () => {
      while (!abandoned) {
        const index = retry.shift() ?? (taking ? waiting.shift() : undefined);
        if (index === undefined) {
          if (!taking && retry.length === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        const id = offerId('run-1', investor(index));
        const answer = await request('accept', `/api/v1/offers/${id}/accept`, { agreementSha256: AGREEMENT, channel: 'counter' }, `accept-${id}`);
        if (answer.status === 200) acknowledged.set(index, answer);
        else retry.push(index);
        await request('read', index % 2 === 0 ? `/api/v1/cases/${caseId}/ledger` : `/api/v1/cases/${caseId}/offers?status=accepted&limit=20`);
        await new Promise((resolve) => setTimeout(resolve, answer.status === 200 ? 15 : 50));
      }
    };
    const workers = Array.from({ length: WORKERS }, worker);

    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const succeeded = (from: number) => seen.some((entry) => entry.at >= from && entry.status === 200);
    await sleep(1_000);
    assert.ok(succeeded(0), 'requests succeed before the stop');
    const stopping = Date.now() - started;
    await postgres.stop('fast');
    const stopped = Date.now() - started;
    await sleep(2_000);
    await postgres.start();
    const restarted = Date.now() - started;
    for (let waited = 0; !succeeded(restarted) && waited < 10_000; waited += 50) await sleep(50);
    const recovered = seen.filter((entry) => entry.at >= restarted && entry.status === 200).map((entry) => entry.at + entry.ms)[0];
    await sleep(1_000);
    taking = false;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([Promise.all(workers).then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 30_000)))]);
    clearTimeout(timer);
    abandoned = true;
    if (!drained) {
      const last = retry.map((index) => seen.filter((entry) => entry.path.includes(offerId('run-1', investor(index)))).at(-1));
      assert.fail(`acceptances never acknowledged: ${retry.map(investor).join(", ")}; last answers ${JSON.stringify(last)}; the server ${server.running() ? "runs" : "exited"}:\n${server.output().slice(-3000)}`);
    }
    const outage = seen.filter((entry) => entry.status !== 200);
    const slowest = Math.max(...seen.map((entry) => entry.ms));
    t.diagnostic(`${seen.length} requests, the slowest ${slowest} ms; stop ${stopping}-${stopped} ms, start ${restarted} ms, first success again ${recovered} ms; ${outage.length} refused; ${acknowledged.size} acceptances, ${[...acknowledged.values()].filter((entry) => entry.replayed).length} of them replays`);

    // The server never went away, never hung, and refused in its own words.
    assert.ok(server.running(), `the server process stays up:\n${server.output().slice(-2000)}`);
    assert.deepEqual(seen.filter((entry) => entry.status === 'no answer'), [], 'every request was answered');
    assert.ok(slowest < BOUND_MS, `the slowest answer took ${slowest} ms`);
    for (const entry of outage) {
      assert.equal(entry.status, 503, JSON.stringify(entry));
      assert.equal(entry.body?.error?.code, 'database-unavailable', JSON.stringify(entry));
      assert.ok(entry.body.error.message.zh && entry.body.error.message.en, JSON.stringify(entry));
      assert.deepEqual(Object.keys(entry.body), ['error'], 'nothing but the error body');
      assert.equal(entry.retryAfter, '2');
    }
    assert.ok(outage.some((entry) => entry.kind === 'accept') && outage.some((entry) => entry.kind === 'read'), 'the stream met the outage');
    assert.ok(outage.every((entry) => entry.at + entry.ms >= stopping && entry.at <= restarted + 2_000), 'refusals only around the outage');
    assert.ok(recovered !== undefined && recovered - restarted < 5_000, `requests succeed again ${recovered === undefined ? 'never' : `${recovered - restarted} ms`} after the restart, the server untouched`);
    assert.ok(seen.some((entry) => entry.at > recovered! && entry.kind === 'accept' && entry.status === 200), 'writes succeed again');

    // Each acknowledged acceptance is there once; each retried one was done once, not repeated.
    for (const [index, entry] of acknowledged) {
      assert.equal(entry.body.offer.status, 'accepted');
      assert.equal(entry.body.repeated, false, `${investor(index)}: a retry under the same key is the first answer, not a repeat`);
    }
    const database = await openDatabase({ url: postgres.url, migrate: false });
    try {
      const ids = [...acknowledged.keys()].map((index) => offerId('run-1', investor(index)));
      const accepted = await database.db.selectFrom('offers').select('id').where('case_id', '=', caseId).where('status', '=', 'accepted').execute();
      assert.deepEqual(accepted.map((row) => row.id).sort(), [...ids].sort(), 'the acknowledged acceptances and no other');
      const perOffer = await sql<{ id: string; answers: string; ledger: string; keys: string }>`
        select o.id,
          (select count(*) from offer_answers a where a.offer_id = o.id) as answers,
          (select count(*) from fund_transactions f where f.id = 'accept:' || o.id) as ledger,
          (select count(*) from idempotent_requests r where r.key = 'accept-' || o.id) as keys
        from offers o where o.case_id = ${caseId} and o.status = 'accepted'`.execute(database.db);
      assert.deepEqual(perOffer.rows.filter((row) => [row.answers, row.ledger, row.keys].some((count) => Number(count) !== 1)), [], 'one answer, one ledger transaction, one stored answer per acceptance');
      const audited = await database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('count')).where('command', '=', 'accept-offer').executeTakeFirstOrThrow();
      assert.equal(Number(audited.count), acknowledged.size, 'every acceptance audited once: none done twice');
      const position = fundPosition(await ledgerState(database.db, caseId));
      assert.equal(position.offersAccepted, acknowledged.size);
      assert.equal(position.acceptedFen, [...acknowledged.keys()].reduce((total, index) => total + amountOf(index), 0n));
    } finally {
      await database.close();
    }
  });

  it('does the whole of a write whose connection was cut mid-way when it is retried, its ledger posting included', async () => {
    // What the stop above does at a random moment, here at a chosen one: the acceptance has decided
    // and is writing its ledger transaction (held back by the test's lock) when its connection ends.
    const id = offerId('run-1', investor(OFFERS - 1));
    const accept = async () => {
      const response = await fetch(`${server.base}/api/v1/offers/${id}/accept`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `cut-${id}` }, body: JSON.stringify({ agreementSha256: AGREEMENT, channel: 'counter' }),
      });
      return { status: response.status, body: await response.json() as any };
    };
    const blocker = new pg.Client({ connectionString: postgres.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table fund_transactions in share mode');
      const pending = accept();
      const waiting = async () => (await blocker.query(`select pid from pg_stat_activity where wait_event_type = 'Lock' and pid <> pg_backend_pid()`)).rows as { pid: number }[];
      await until(async () => (await waiting()).length > 0, 'the acceptance writing its ledger transaction');
      // A plain client of the same server may end another session of the same user.
      const cutter = new pg.Client({ connectionString: postgres.url });
      await cutter.connect();
      await cutter.query('select pg_terminate_backend(pid) from pg_stat_activity where wait_event_type = $1 and pid <> $2', ['Lock', (await blocker.query('select pg_backend_pid() as pid')).rows[0].pid]);
      await cutter.end();
      const cut = await pending;
      assert.deepEqual([cut.status, cut.body.error.code], [503, 'database-unavailable']);
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    const retried = await accept();
    assert.deepEqual([retried.status, retried.body.offer?.status, retried.body.repeated], [200, 'accepted', false], JSON.stringify(retried.body));
    const database = await openDatabase({ url: postgres.url, migrate: false });
    try {
      const posted = await database.db.selectFrom('fund_transactions').select('id').where('id', '=', `accept:${id}`).execute();
      assert.equal(posted.length, 1, 'the acceptance made its amount payable in the ledger');
      const position = fundPosition(await ledgerState(database.db, caseId));
      const accepted = await database.db.selectFrom('offers').select((eb) => eb.fn.sum<string>('amount_fen').as('total')).where('status', '=', 'accepted').executeTakeFirstOrThrow();
      assert.equal(position.acceptedFen, BigInt(accepted.total ?? 0), 'the ledger holds every acceptance');
    } finally {
      await database.close();
    }
  });

  it('answers pages with a 503 page in the reader\'s language while the database is down', async () => {
    // Signed in before the outage: a signed-in page looks its session up first.
    const signIn = await fetch(`${server.base}/sign-in`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ actorId: 'admin', token, next: '/console' }),
    });
    assert.equal(signIn.status, 303);
    const session = /redress_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0];
    assert.ok(session !== undefined, 'a session cookie');
    assert.equal((await fetch(`${server.base}/cases`)).status, 200);
    const page = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${server.base}${path}`, { redirect: 'manual', signal: AbortSignal.timeout(BOUND_MS), ...init });
      return { status: response.status, type: response.headers.get('content-type'), retryAfter: response.headers.get('retry-after'), body: await response.text() };
    };
    const logged = server.output().length;

    await postgres.stop('fast');
    try {
      const chinese = { title: '服务暂时不可用', text: '系统暂时无法提供服务，请稍候几秒后重试。', retry: '重试', lang: 'zh-CN' };
      const english = { title: 'Briefly unavailable', text: 'The service is briefly unavailable. Wait a few seconds and try again.', retry: 'Try again', lang: 'en' };
      const cases: [string, RequestInit, typeof chinese, boolean][] = [
        ['/cases', {}, chinese, true],
        [`/cases/${caseId}`, {}, chinese, true],
        ['/cases?lang=en', {}, english, true],
        ['/cases', { headers: { cookie: 'lang=en' } }, english, true],
        ['/console', { headers: { cookie: session } }, chinese, true],
        ['/console', { headers: { cookie: `${session}; lang=en` } }, english, true],
        ['/sign-in', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ actorId: 'admin', token }) }, chinese, false],
      ];
      for (const [path, init, words, retry] of cases) {
        const answer = await page(path, init);
        const what = `${init.method ?? 'GET'} ${path} ${JSON.stringify(init.headers ?? {})}`;
        assert.deepEqual([answer.status, answer.type, answer.retryAfter], [503, 'text/html; charset=utf-8', '2'], what);
        assert.match(answer.body, new RegExp(`<html lang="${words.lang}">`), what);
        assert.match(answer.body, new RegExp(`<h1>${words.title}</h1>`), what);
        assert.ok(answer.body.includes(words.text), what);
        // A page is asked for again as it was; a form is sent again from its page, not from here.
        const again = `<a href="${path.replaceAll('&', '&amp;')}">${words.retry}</a>`;
        assert.equal(answer.body.includes(again), retry, `${what}: ${again}`);
        for (const internal of ['ECONNREFUSED', 'Connection terminated', 'postgres', 'stack', 'node_modules', '.ts:', '    at ']) {
          assert.ok(!answer.body.includes(internal), `${what} shows '${internal}'`);
        }
      }
      // The log says it once per page, as a warning, with no stack.
      const warnings = () => server.output().slice(logged).split('\n').filter((line) => line.includes('"msg":"database unavailable"')).length;
      await until(() => warnings() >= cases.length, 'the log to say each', 5_000);
      const log = server.output().slice(logged).split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number; msg: string });
      const warned = log.filter((line) => line.msg === 'database unavailable');
      assert.equal(warned.length, cases.length, JSON.stringify(log));
      assert.ok(warned.every((line) => line.level === 40));
      assert.deepEqual(log.filter((line) => line.level >= 50), [], 'no error logged');
      assert.ok(!server.output().slice(logged).includes('"stack"'));
    } finally {
      await postgres.start();
    }
    await until(async () => (await page('/cases')).status === 200, 'the pages to answer again');
    assert.ok(server.running());
  });
});
