import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { fundPosition } from '../src/domain/fund/fund-position.ts';
import { trialBalance } from '../src/domain/fund/ledger-state.ts';
import { addDays, epochDay } from '../src/domain/market/calendar-date.ts';
import { formatFen } from '../src/domain/money/fen.ts';
import type { CaseEvent } from '../src/domain/procedure/case-events.ts';
import { replay } from '../src/domain/procedure/case-state.ts';
import { commandAt, SAMPLE_ACTORS, SAMPLE_WALK, samplePlanDocument } from '../src/domain/procedure/sample-case.ts';
import { createActor } from '../src/server/api/actor-store.ts';
import { chinaDate } from '../src/server/api/request-context.ts';
import { shiftProcedureDates } from '../src/server/demo-platform.ts';
import { verifyAuditLog } from '../src/store/audit-log.ts';
import { CaseStore } from '../src/store/case-store.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import { ledgerState } from '../src/store/ledger-store.ts';
import { OfferStore } from '../src/store/offer-store.ts';
import { reconciliationOf } from '../src/store/reconciliation-store.ts';
import { startServe, type ServeProcess } from '../test/support/serve-process.ts';
import { seededRandom } from '../test/support/seeded-random.ts';

/**
 * `npm run bench:api`: investors accepting their settlement offers through `redress serve` on
 * PostgreSQL, beside the simplest write the same PostgreSQL server can do, in one run:
 *
 *   - the ceiling: pgbench, one INSERT per transaction into a scratch table, with as many client
 *     connections as the API gets, for the same duration;
 *   - the API: a case walked through its procedure up to the adopted plan, a finished run of
 *     `--investors` payable investors and one offer each (made by the offer store, as the API's
 *     route makes them), every investor registered with a bearer token; then `redress serve` as a
 *     child process, and autocannon on loopback sending `POST /api/v1/offers/:id/accept`, each
 *     request a different investor accepting its own offer under an Idempotency-Key of its own.
 *
 * Afterwards every request autocannon sent and never saw answered (cut off by the end of the run)
 * is sent again under its key, as a client would, and the database is checked: exactly the
 * offers answered 2xx are accepted, each with one answer, one ledger transaction, one stored
 * answer and one audit entry; the reconciliation balances; the audit chain verifies.
 *
 *   npm run bench:api [-- --investors 100000 --duration 20 --connections 10 --warm-up 3
 *                        --database postgres://postgres@127.0.0.1:5432/postgres --cpu-prof DIR]
 *
 * The bench creates two databases on that server (`redress_bench_<hex>` and `…_ceiling`) and drops
 * them at the end. `--cpu-prof DIR` writes the server's CPU profile there when it stops.
 */
const { values } = parseArgs({
  options: {
    investors: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '10' },
    'warm-up': { type: 'string', default: '3' },
    database: { type: 'string', default: process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    'cpu-prof': { type: 'string' },
  },
});
const positive = (name: string, text: string): number => {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of at least 1, not '${text}'`);
  return value;
};
const INVESTORS = positive('investors', values.investors);
const DURATION_S = positive('duration', values.duration);
const CONNECTIONS = positive('connections', values.connections);
const WARM_UP_S = values['warm-up'] === '0' ? 0 : positive('warm-up', values['warm-up']);
/** The API's goal: at least this share of the ceiling's rate, with p99 under GOAL_P99_MS. */
const GOAL_SHARE = 0.5;
const GOAL_P99_MS = 100;

const suffix = randomBytes(4).toString('hex');
const apiDatabaseName = `redress_bench_${suffix}`;
const ceilingDatabaseName = `${apiDatabaseName}_ceiling`;
const scratch = mkdtempSync(join(tmpdir(), 'redress-bench-api-'));
const execFileAsync = promisify(execFile);

/** The URL of database `name` on the server `--database` names. */
function databaseUrl(name: string): string {
  const url = new URL(values.database);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(statement: string, url = values.database): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Nearest-rank percentile of the first `count` values of `sorted` (ascending). */
function percentile(sorted: Float64Array, count: number, p: number): number {
  if (count === 0) return Number.NaN;
  return sorted[Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1))]!;
}

function sortedPrefix(values: Float64Array, count: number): Float64Array {
  return values.slice(0, count).sort();
}

interface Offer {
  id: string;
  investor: string;
  amountFen: bigint;
  token: string;
}

/**
 * The case: the procedure's sample walk (src/domain/procedure/sample-case.ts), every date moved
 * so that today falls in the second week of the acceptance window, up to the adopted plan; a
 * finished run of the adopted plan recorded as the runner records one, its results stored with
 * the event; the offers made; each investor registered as an actor with a bearer token. The
 * amounts are drawn from a seeded generator rather than computed by the engine, which is not what
 * this measures; each result carries its amount and nothing else.
 */
async function prepareCase(database: Database, investors: number): Promise<{ caseId: string; agreementSha256: string; offers: Offer[] }> {
  const { db } = database;
  const store = new CaseStore(db);
  const today = chinaDate(new Date());
  const timetable = samplePlanDocument(2)['timetable'] as { acceptanceOpensOn: string };
  const shift = epochDay(today) - epochDay(addDays(timetable.acceptanceOpensOn, 7));
  const decisionDate = SAMPLE_WALK[0]!.today;
  let caseId: string | null = null;
  let events: CaseEvent[] = [];
  for (const step of SAMPLE_WALK) {
    const command = shiftProcedureDates(commandAt(step, events.length === 0 ? null : replay(events)), shift, decisionDate);
    const on = addDays(step.today, shift);
    const done = await store.execute({ caseId, command, actor: step.actor, today: on, at: new Date(`${on}T02:00:00Z`) });
    if (!done.outcome.accepted) throw new Error(`the sample walk's ${step.type} was refused: ${done.outcome.refusal.message.en}`);
    caseId = done.caseId;
    events = (await store.events(caseId)).map((entry) => entry.event);
    if (step.type === 'adopt-plan') break;
  }
  const adopted = events.find((event) => event.type === 'plan-adopted');
  if (caseId === null || adopted?.type !== 'plan-adopted') throw new Error('the sample walk did not adopt a plan');

  // Amounts that add up to about half of what the funders deposited, whatever the number of investors.
  const { custodyFen } = fundPosition(await ledgerState(db, caseId));
  const span = Math.max(1, Math.min(300_000, Math.floor(Number(custodyFen) * 3 / (2 * investors)) - 300));
  const random = seededRandom(7);
  const investorIds = Array.from({ length: investors }, (_, index) => `INV${String(index + 1).padStart(7, '0')}`);
  const amounts = investorIds.map(() => BigInt(100 + Math.floor(random() ** 2 * span)));
  const totalFen = amounts.reduce((total, amount) => total + amount, 0n);
  const inputHash = createHash('sha256').update(amounts.join(',')).digest('hex');
  const runId = `run-bench-${suffix}`;
  const at = new Date();
  await db.insertInto('computation_runs').values({ id: runId, case_id: caseId, plan_version: adopted.version, plan_sha256: adopted.planHash, dataset: `synthetic-${investors}`, status: 'running', started_at: at }).execute();
  const recorded = await store.execute({
    caseId, actor: SAMPLE_ACTORS.administrator, today, at, reason: `computation run ${runId} on dataset synthetic-${investors}`,
    command: {
      type: 'record-computation-run', runId, planVersion: adopted.version, planHash: adopted.planHash, inputHash,
      counts: { investors, payable: investors, zero: 0, ineligible: 0, rejected: 0 }, totalPayableFen: totalFen.toString(),
    },
    alongside: async (transaction) => {
      for (let start = 0; start < investors; start += 1000) {
        await transaction.insertInto('investor_results').values(investorIds.slice(start, start + 1000).map((investor, offset) => {
          const total = amounts[start + offset]!;
          return {
            run_id: runId, investor, status: 'payable', reason: '', loss_sold_fen: 0n, loss_held_fen: total, investment_difference_loss_fen: total, deduction_fen: 0n,
            principal_fen: total, commission_fen: 0n, stamp_duty_fen: 0n, interest_fen: 0n, total_fen: total, figures: '{}', sheet: '{}',
          };
        })).execute();
      }
      await transaction.updateTable('computation_runs').set({
        status: 'finished', finished_at: new Date(), input_sha256: inputHash, investors, payable: investors, zero: 0, ineligible: 0, rejected: 0, rejected_rows: 0,
        total_fen: totalFen, summary: JSON.stringify({ counts: { investors, payable: investors, zero: 0, ineligible: 0, rejected: 0, rejectedRows: 0 }, totals: { total: formatFen(totalFen) } }),
      }).where('id', '=', runId).execute();
    },
  });
  if (!recorded.outcome.accepted) throw new Error(`the run was refused: ${recorded.outcome.refusal.message.en}`);
  const issued = await new OfferStore(db).issue({ caseId, runId, actor: SAMPLE_ACTORS.administrator, at: new Date() });
  if (issued.offers !== investors) throw new Error(`${issued.offers} offers made for ${investors} investors`);

  // Investors answer through the API with bearer tokens, as an administrator registers them.
  const tokens = new Map<string, string>();
  const chunk = Math.ceil(investors / 4);
  await Promise.all([0, 1, 2, 3].map((part) => db.transaction().execute(async (transaction) => {
    for (const investor of investorIds.slice(part * chunk, (part + 1) * chunk)) {
      tokens.set(investor, (await createActor(transaction, { id: investor, role: 'investor', name: investor })).token);
    }
  })));
  const rows = await db.selectFrom('offers').select(['id', 'investor', 'amount_fen', 'agreement_sha256']).where('run_id', '=', runId).orderBy('investor').execute();
  await sql`analyze`.execute(db);
  return {
    caseId,
    agreementSha256: rows[0]!.agreement_sha256,
    offers: rows.map((row) => ({ id: row.id, investor: row.investor, amountFen: row.amount_fen, token: tokens.get(row.investor)! })),
  };
}

interface Ceiling {
  transactionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** pgbench on a scratch table: one INSERT per transaction, committed (and flushed) each time. */
async function measureCeiling(): Promise<Ceiling> {
  await onServer(`create database ${ceilingDatabaseName}`);
  const url = databaseUrl(ceilingDatabaseName);
  await onServer('create table ceiling_inserts (id bigserial primary key, client integer not null, at timestamptz not null default now(), note text not null)', url);
  const script = join(scratch, 'insert.sql');
  writeFileSync(script, "INSERT INTO ceiling_inserts (client, note) VALUES (:client_id, 'one acceptance');\n");
  await onServer('checkpoint');
  const threads = Math.min(CONNECTIONS, availableParallelism());
  const { stdout } = await execFileAsync('pgbench', ['-n', '-c', String(CONNECTIONS), '-j', String(threads), '-T', String(DURATION_S), '-f', script, '-l', '--log-prefix', join(scratch, 'ceiling'), url]);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!tps) throw new Error(`pgbench printed no rate:\n${stdout}`);
  // The per-transaction logs: the third field is the transaction's latency in microseconds.
  const latencies: number[] = [];
  for (const file of readdirSync(scratch).filter((name) => name.startsWith('ceiling.'))) {
    for (const line of readFileSync(join(scratch, file), 'utf8').split('\n')) {
      const fields = line.split(' ');
      if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000);
    }
  }
  const sorted = Float64Array.from(latencies).sort();
  return { transactionsPerSecond: Number(tps[1]), p50Ms: percentile(sorted, sorted.length, 50), p99Ms: percentile(sorted, sorted.length, 99) };
}

/** What became of each offer's request: not sent, sent and not answered, or the answer's status. */
const NOT_SENT = 0;
const UNANSWERED = -1;

interface LoadRun {
  seconds: number;
  twoHundreds: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * The investors accepting, in a seeded random order, each offer once over all the runs; what
 * became of each request, by offer, for the checks afterwards.
 */
function makeAcceptor(server: ServeProcess, offers: Offer[], agreementSha256: string) {
  const order = Uint32Array.from(offers.keys());
  const shuffle = seededRandom(11);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(shuffle() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const outcome = new Int16Array(offers.length);
  /** Whether a 2xx answer said the acceptance was new (repeated: false). */
  const firstTime = new Uint8Array(offers.length);
  const body = JSON.stringify({ agreementSha256 });
  const headersOf = (offer: Offer) => ({ authorization: `Bearer ${offer.token}`, 'content-type': 'application/json', 'idempotency-key': `accept-${offer.id}` });
  let next = 0;

  const record = (index: number, status: number, text: string) => {
    outcome[index] = status;
    if (status >= 200 && status < 300 && text.includes('"repeated":false')) firstTime[index] = 1;
  };

  async function run(seconds: number): Promise<LoadRun> {
    const remaining = offers.length - next;
    if (remaining < CONNECTIONS) throw new Error(`only ${remaining} offers left to accept: use more --investors or a shorter --duration`);
    const latencies = new Float64Array(remaining);
    let twoHundreds = 0;
    const options: autocannon.Options = {
      url: server.base,
      connections: CONNECTIONS,
      pipelining: 1,
      duration: seconds,
      maxOverallRequests: remaining,
      timeout: 10,
      requests: [{
        method: 'POST',
        // One request per connection is in flight: the connection's context names its offer
        // until the answer comes back.
        setupRequest: (request, context: { index?: number }) => {
          const index = order[next++]!;
          context.index = index;
          outcome[index] = UNANSWERED;
          const offer = offers[index]!;
          return { ...request, method: 'POST', path: `/api/v1/offers/${offer.id}/accept`, headers: headersOf(offer), body };
        },
        onResponse: (status: number, text: string, context: { index?: number }) => {
          if (context.index !== undefined) record(context.index, status, text);
        },
      } as autocannon.Request],
    };
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(options, (error: unknown, finished: autocannon.Result) => (error ? reject(error) : resolve(finished)));
      // Each answer's own time, to the microsecond (the result's histogram keeps whole milliseconds).
      instance.on('response', (_client: unknown, status: number, _bytes: number, milliseconds: number) => {
        if (status >= 200 && status < 300) latencies[twoHundreds++] = milliseconds;
      });
    });
    const sorted = sortedPrefix(latencies, twoHundreds);
    return {
      seconds: result.duration, twoHundreds, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
      p50Ms: percentile(sorted, twoHundreds, 50), p99Ms: percentile(sorted, twoHundreds, 99),
    };
  }

  /** Sends again, under the same key, every request whose answer autocannon never saw. */
  async function retryUnanswered(): Promise<{ retried: number; replayed: number }> {
    let retried = 0;
    let replayed = 0;
    for (let index = 0; index < offers.length; index++) {
      if (outcome[index] !== UNANSWERED) continue;
      const offer = offers[index]!;
      // The cut-off request may still be at work on the server: a retry that meets it there is
      // refused with a server error, and a client tries again a moment later, as here.
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(`${server.base}/api/v1/offers/${offer.id}/accept`, { method: 'POST', headers: headersOf(offer), body });
        const text = await response.text();
        if (response.status >= 500 && attempt < 5) {
          await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
          continue;
        }
        record(index, response.status, text);
        if (response.headers.get('idempotent-replayed') === 'true') replayed++;
        break;
      }
      retried++;
    }
    return { retried, replayed };
  }

  return { run, retryUnanswered, outcome, firstTime };
}

interface Verdict {
  line: string;
  holds: boolean;
}

/** The database after the load: every 2xx answer is one acceptance, none doubled, the books balanced. */
async function verify(database: Database, caseId: string, offers: Offer[], outcome: Int16Array, firstTime: Uint8Array): Promise<Verdict[]> {
  const { db } = database;
  const count = async (query: ReturnType<typeof sql<{ count: string }>>) => Number((await query.execute(db)).rows[0]!.count);
  const acknowledged = new Set<string>();
  let acceptedAmountFen = 0n;
  let answeredAtAll = 0;
  let notFirstTime = 0;
  for (let index = 0; index < offers.length; index++) {
    const status = outcome[index]!;
    if (status !== NOT_SENT) answeredAtAll++;
    if (status >= 200 && status < 300) {
      acknowledged.add(offers[index]!.id);
      acceptedAmountFen += offers[index]!.amountFen;
      if (firstTime[index] !== 1) notFirstTime++;
    }
  }
  const accepted = await db.selectFrom('offers').select('id').where('case_id', '=', caseId).where('status', '=', 'accepted').execute();
  const acceptedIds = new Set(accepted.map((row) => row.id));
  const sameOffers = acceptedIds.size === acknowledged.size && [...acknowledged].every((id) => acceptedIds.has(id));
  const answers = await count(sql`select count(*) as count from offer_answers a join offers o on o.id = a.offer_id where o.case_id = ${caseId} and a.kind = 'accept'`);
  const ledgerAcceptances = await count(sql`select count(*) as count from fund_transactions where fund_id = ${caseId} and kind = 'offer-accepted'`);
  const doubled = await count(sql`select count(*) as count from (select offer_id from fund_postings where fund_id = ${caseId} and account = 'investor-payables' group by offer_id having count(*) > 1) twice`);
  const unbalanced = await count(sql`select count(*) as count from (select transaction_id from fund_postings where fund_id = ${caseId} group by transaction_id having sum(amount_fen) <> 0) off`);
  const storedAnswers = await count(sql`select count(*) as count from idempotent_requests where key like 'accept-offer-%'`);
  const audited = await count(sql`select count(*) as count from audit_log where case_id = ${caseId} and command = 'accept-offer'`);
  const state = await ledgerState(db, caseId);
  const position = fundPosition(state);
  const trial = trialBalance(state);
  const reconciliation = await reconciliationOf(db, caseId);
  const chain = await verifyAuditLog(db);
  const failing = reconciliation.checks.filter((check) => !check.holds).map((check) => check.name);
  const n = (value: number | bigint) => value.toLocaleString('en');
  return [
    { line: `accepted offers in the database ${n(acceptedIds.size)} = offers answered 2xx ${n(acknowledged.size)}, the same offers`, holds: sameOffers },
    { line: `every 2xx answer a first acceptance (repeated: false): ${n(acknowledged.size - notFirstTime)} of ${n(acknowledged.size)}`, holds: notFirstTime === 0 },
    { line: `acceptance answers ${n(answers)}, ledger acceptances ${n(ledgerAcceptances)}, fund position ${n(position.offersAccepted)} — one each`, holds: answers === acknowledged.size && ledgerAcceptances === acknowledged.size && position.offersAccepted === acknowledged.size },
    { line: `offers with more than one payable posting: ${n(doubled)}; transactions whose postings do not sum to zero: ${n(unbalanced)}`, holds: doubled === 0 && unbalanced === 0 },
    { line: `accepted in the ledger ${n(position.acceptedFen)} fen = the acknowledged offers' amounts ${n(acceptedAmountFen)} fen`, holds: position.acceptedFen === acceptedAmountFen },
    { line: `trial balance: debits ${n(trial.totalDebitFen)} fen = credits ${n(trial.totalCreditFen)} fen`, holds: trial.totalDebitFen === trial.totalCreditFen },
    { line: `stored answers under an Idempotency-Key ${n(storedAnswers)} and audit entries ${n(audited)} = requests answered ${n(answeredAtAll)}`, holds: storedAnswers === answeredAtAll && audited === answeredAtAll },
    { line: `reconciliation ${reconciliation.balanced ? 'balanced' : `NOT balanced: ${failing.join(', ')}`}`, holds: reconciliation.balanced },
    { line: `audit chain ${chain.ok ? `verifies (${n(chain.entries)} entries)` : 'BROKEN'}`, holds: chain.ok },
  ];
}

const cleanUp = async () => {
  for (const name of [apiDatabaseName, ceilingDatabaseName]) await onServer(`drop database if exists ${name} with (force)`).catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

let database: Database | null = null;
let server: ServeProcess | null = null;
try {
  const version = (await onServer<{ server_version: string }>('show server_version'))[0]?.server_version;
  console.log(`API load benchmark — ${availableParallelism()} cores, Node ${process.version}, PostgreSQL ${version}; ${CONNECTIONS} connections, ${DURATION_S} s each`);

  let started = performance.now();
  await onServer(`create database ${apiDatabaseName}`);
  database = await openDatabase({ url: databaseUrl(apiDatabaseName) });
  const prepared = await prepareCase(database, INVESTORS);
  console.log(`case with ${INVESTORS.toLocaleString('en')} investors and their offers ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const ceiling = await measureCeiling();
  console.log(`ceiling: pgbench ${ceiling.transactionsPerSecond.toFixed(0)} inserts/s`);

  server = await startServe({ databaseUrl: databaseUrl(apiDatabaseName), env: values['cpu-prof'] ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${resolve(values['cpu-prof'])}` } : {} });
  const acceptor = makeAcceptor(server, prepared.offers, prepared.agreementSha256);
  if (WARM_UP_S > 0) {
    const warm = await acceptor.run(WARM_UP_S);
    console.log(`warm-up: ${warm.twoHundreds} acceptances in ${warm.seconds} s; non-2xx ${warm.non2xx}, connection errors ${warm.errors}, timeouts ${warm.timeouts}`);
  }
  await onServer('checkpoint');
  const load = await acceptor.run(DURATION_S);
  started = performance.now();
  const { retried, replayed } = await acceptor.retryUnanswered();
  const verdicts = await verify(database, prepared.caseId, prepared.offers, acceptor.outcome, acceptor.firstTime);
  const checkedIn = (performance.now() - started) / 1000;

  const rate = load.twoHundreds / load.seconds;
  const share = rate / ceiling.transactionsPerSecond;
  const goal = share >= GOAL_SHARE && load.p99Ms < GOAL_P99_MS;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const rows = [
    ['what', 'per second', 'p50', 'p99', 'of the ceiling'],
    ['pgbench: one INSERT per transaction', ceiling.transactionsPerSecond.toFixed(0), ms(ceiling.p50Ms), ms(ceiling.p99Ms), '100%'],
    ['redress serve: POST /api/v1/offers/:id/accept', rate.toFixed(0), ms(load.p50Ms), ms(load.p99Ms), `${(share * 100).toFixed(1)}%`],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log('');
  for (const row of rows) console.log(`  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('   ')}`);
  console.log('');
  console.log(`  acceptances answered 2xx ${load.twoHundreds.toLocaleString('en')} in ${load.seconds} s; non-2xx ${load.non2xx}, connection errors ${load.errors}, timeouts ${load.timeouts}`);
  console.log(`  goal (at least ${GOAL_SHARE * 100}% of the ceiling with p99 under ${GOAL_P99_MS} ms): ${goal ? 'met' : 'not met'}`);
  console.log(`  requests cut off by the end of a run, sent again under their key: ${retried} (${replayed} of them answered from the stored answer)`);
  console.log(`  checked in ${checkedIn.toFixed(1)} s:`);
  for (const verdict of verdicts) console.log(`    ${verdict.holds ? 'ok ' : 'NO '} ${verdict.line}`);
  if (verdicts.some((verdict) => !verdict.holds)) process.exitCode = 1;
} finally {
  await server?.stop();
  await database?.close();
  await cleanUp();
}
