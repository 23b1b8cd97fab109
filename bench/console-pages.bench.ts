import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { EXAMPLES_DIR, loadDemoCase } from '../src/server/demo-platform.ts';
import { buildServer } from '../src/server/serve.ts';
import { openDatabase } from '../src/store/database.ts';
import { openSession } from '../src/store/web-sessions.ts';

/**
 * Do the console's large tables stay fast with 100k investors? The demo case is loaded, then
 * `--offers` more offers are added to it (the same plan, run and window, amounts and statuses
 * varied), and each page is timed against the bare SQL of its first page, side by side in this run:
 * the page's cost over the query is rendering and the counts above the table.
 *
 *   node --import ./src/web/register-jsx.ts bench/console-pages.bench.ts [--offers 100000] [--rounds 15]
 *
 * The embedded database by default; DATABASE_URL names a PostgreSQL one (an empty database: the
 * demo is loaded into it).
 */
const { values } = parseArgs({ options: { offers: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '15' } } });
const extra = Number(values.offers);
const rounds = Number(values.rounds);
const today = '2026-11-25';

const database = await openDatabase(process.env['DATABASE_URL'] ? { url: process.env['DATABASE_URL'] } : { dataDir: 'memory://' });
const demo = (await loadDemoCase(database, { today }))!;
const template = await database.db.selectFrom('offers').selectAll().where('case_id', '=', demo.caseId).limit(1).executeTakeFirstOrThrow();
await sql`
  insert into offers (id, case_id, run_id, investor, amount_fen, plan_version, plan_sha256, agreement_sha256, opens_on, closes_on, status)
  select 'offer-syn-' || n, ${demo.caseId}, ${template.run_id}, 'SYN' || lpad(n::text, 7, '0'), 100 + (n * 7919) % 5000000,
         ${template.plan_version}, ${template.plan_sha256}, ${template.agreement_sha256}, ${template.opens_on}::date, ${template.closes_on}::date,
         (array['offered', 'accepted', 'accepted', 'refused', 'disputed'])[1 + n % 5]
  from generate_series(1, ${extra}) as n`.execute(database.db);
await sql`analyze offers`.execute(database.db);
const total = await database.db.selectFrom('offers').select((eb) => eb.fn.countAll<bigint>().as('n')).where('case_id', '=', demo.caseId).executeTakeFirstOrThrow();

const { api } = await buildServer({ database, importRoot: EXAMPLES_DIR, workRoot: mkdtempSync(join(tmpdir(), 'redress-bench-')), workers: 1, clock: { now: () => new Date(`${today}T10:00:00+08:00`) }, notificationSender: { send: async () => {} } });
const cookie = `redress_session=${(await openSession(database.db, 'admin', new Date(`${today}T10:00:00+08:00`))).cookie}`;

async function median(work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const page = (url: string) => async () => {
  const response = await api.inject({ url, headers: { cookie } });
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
};
const bare = await median(() => database.db.selectFrom('offers').selectAll().where('case_id', '=', demo.caseId).orderBy('investor').limit(50).execute());
const tally = await median(() => database.db.selectFrom('offers').select(['status', (eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.sum('amount_fen').as('fen')]).where('case_id', '=', demo.caseId).groupBy('status').execute());
const offers = `/console/cases/${demo.caseId}/offers`;
const measured: [string, number][] = [
  ['offers, first page', await median(page(offers))],
  ['offers, page after SYN0050000', await median(page(`${offers}?after=SYN0050000`))],
  ['offers, status accepted', await median(page(`${offers}?status=accepted`))],
  ["offers, investor prefix SYN00999", await median(page(`${offers}?q=SYN00999`))],
  ['dashboard', await median(page(`/console/cases/${demo.caseId}`))],
  ['public progress', await median(page(`/cases/${demo.caseId}/progress`))],
];

process.stdout.write(`${database.kind}, ${total.n} offers in the case, median of ${rounds} rounds\n`);
process.stdout.write(`${'bare SQL: first 50 offers by investor'.padEnd(40)} ${bare.toFixed(1).padStart(8)} ms   1.0×\n`);
process.stdout.write(`${'bare SQL: count and sum by status'.padEnd(40)} ${tally.toFixed(1).padStart(8)} ms ${(tally / bare).toFixed(1).padStart(5)}×\n`);
for (const [name, ms] of measured) process.stdout.write(`${name.padEnd(40)} ${ms.toFixed(1).padStart(8)} ms ${(ms / bare).toFixed(1).padStart(5)}×\n`);
await api.close();
await database.close();
