import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance, version as duckdbVersion, type DuckDBConnection } from '@duckdb/node-api';
import { writeSyntheticCase } from '../src/demo/synthetic-case.ts';

/**
 * `npm run bench:duckdb`: the loss engine against DuckDB on the same generated case, both timed in one run.
 *
 * What is compared. The synthetic case (src/demo/synthetic-case.ts) is computed under a plan reduced to the
 * simplest method of docs/loss-methodology.md: buy-side, SPC2022 base date and price computed from
 * market.csv, moving weighted average, FIFO post-disclosure sales, no risk deduction, no interest, no
 * exclusions. `redress compute` runs as a user runs it (its process start included, all cores). DuckDB runs
 * bench/duckdb-simple-loss.sql in a process of its own (default threads = all cores), reading trades.csv,
 * holdings.csv, market.csv and actions.csv itself: it finds the base date and price too, applies the bonus
 * action (the case has one, inside the window) to share counts, and gives each investor's status,
 * principal, commission, stamp duty and total in fen. The two must agree on every investor to the fen.
 *
 * Why the SQL is a fair "simplest method". It does all of §3, §4.1–4.3 and §6 that this plan uses, in exact
 * integer arithmetic (no DOUBLE; the one rational, the moving-average cost, as a HUGEINT fraction in lowest
 * terms), with the rounding of §1 — not a float approximation that would be cheaper and could be wrong by a
 * fen. It is written for DuckDB's strengths: FIFO across the three pools is one queue, so running sums
 * (window functions) give what each sale takes from E; only E's sales in the window need a sequential fold
 * (list_reduce), and most investors have none. What it leaves out is what this plan makes idle (risk
 * deduction, interest, exclusions, the other average methods, sell-side, a fixed base date) and input
 * validation: it trusts the CSV files (DuckDB's reader would stop the whole run on a bad row rather than
 * reject it), so the bench checks that redress rejected no row. It writes only its result (investor,
 * status, the four amounts), not the other columns of compensation.csv, rejects.csv or summary.json that
 * redress's time includes. The plan's rates reach the SQL as integer fractions; the base date and price are
 * the SQL's own, and are checked against redress's summary.json.
 *
 * Flags: --investors N (default 1,000,000, about 9 trade rows each), --quick (20,000), --seed 1,
 * --keep (keep the generated case in bench/.work/ and reuse it next time). Exit code 1 on any mismatch.
 */
const { values } = parseArgs({
  options: {
    investors: { type: 'string', default: '1000000' },
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    // internal: the DuckDB side, run in its own process so that its time and peak memory are measured as redress's are
    'sql-child': { type: 'string' },
  },
});
const work = fileURLToPath(new URL('./.work/', import.meta.url));
const sqlFile = fileURLToPath(new URL('./duckdb-simple-loss.sql', import.meta.url));
const redress = fileURLToPath(new URL('../bin/redress.js', import.meta.url));
const node = process.execPath;
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

interface SimplePlan {
  ruleSet?: string;
  direction?: string;
  implementationDate: string;
  disclosureDate: string;
  baseDate?: string;
  basePrice?: string;
  basePriceDecimals?: number | null;
  averagePrice?: string;
  postDisclosureSales?: string;
  riskDeduction?: { method: string };
  fees?: { commissionRate?: string; stampDutyRate?: string };
  interest?: unknown;
  exclusions?: string[];
}

interface SqlChildReport {
  sqlSeconds: number;
  loadSeconds: number;
  tradeRows: number;
  baseDate: string;
  basePrice: string;
  basePriceMean: string;
  statuses: Record<string, number>;
}

/** "0.0003" → [3n, 10000n] in lowest terms */
function decimalFraction(text: string): [bigint, bigint] {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const decimals = match[2] ?? '';
  let num = BigInt(match[1]! + decimals);
  let den = 10n ** BigInt(decimals.length);
  const divisor = gcd(num, den);
  num /= divisor;
  den /= divisor;
  return [num, den];
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** thousandths of a yuan → yuan with `decimals` (0 … 3) decimals; the value is a multiple of 10^(3 − decimals) */
function millsText(mills: bigint, decimals: number): string {
  const fraction = String(mills % 1000n).padStart(3, '0').slice(0, decimals);
  return `${mills / 1000n}${decimals > 0 ? `.${fraction}` : ''}`;
}

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;
const sqlDate = (text: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new Error(`not an ISO date: ${text}`);
  return `DATE '${text}'`;
};

async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson();
}

/** The DuckDB side: run the SQL on the case, write its result next to the case, report times. */
async function sqlChild(caseDir: string): Promise<void> {
  const plan = JSON.parse(readFileSync(`${caseDir}/plan-simple.json`, 'utf8')) as SimplePlan;
  const [commissionNum, commissionDen] = decimalFraction(plan.fees?.commissionRate ?? '0.0003');
  const [stampNum, stampDen] = decimalFraction(plan.fees?.stampDutyRate ?? '0.001');
  const variables: Record<string, string> = {
    trades_csv: sqlText(`${caseDir}/trades.csv`),
    holdings_csv: sqlText(`${caseDir}/holdings.csv`),
    market_csv: sqlText(`${caseDir}/market.csv`),
    actions_csv: sqlText(`${caseDir}/actions.csv`),
    impl: sqlDate(plan.implementationDate),
    disclosure: sqlDate(plan.disclosureDate),
    base_price_decimals: String(plan.basePriceDecimals ?? 2),
    commission_num: `${commissionNum}::HUGEINT`,
    commission_den: `${commissionDen}::HUGEINT`,
    stamp_num: `${stampNum}::HUGEINT`,
    stamp_den: `${stampDen}::HUGEINT`,
  };
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: `${caseDir}/duckdb-tmp` });
  const connection = await instance.connect();
  for (const [name, value] of Object.entries(variables)) await connection.run(`SET VARIABLE ${name} = ${value}`);
  let loadSeconds = 0;
  // Statements end at a line ending in ';' (no comment line of the file ends in one).
  for (const statement of readFileSync(sqlFile, 'utf8').split(/;[ \t]*$/m).filter((text) => /\S/.test(text.replace(/--.*$/gm, '')))) {
    const statementStarted = performance.now();
    await connection.run(statement);
    if (/\bread_csv\(/.test(statement)) loadSeconds += (performance.now() - statementStarted) / 1000;
  }
  // Writing the result is part of the job, as writing compensation.csv is part of redress's.
  await connection.run(`COPY (SELECT * FROM result ORDER BY investor) TO ${sqlText(`${caseDir}/duckdb-result.csv`)} (HEADER)`);
  const sqlSeconds = (performance.now() - started) / 1000;

  // Untimed from here: facts for the report.
  const [facts] = await rows(
    connection,
    `SELECT (SELECT count(*) FROM trades) AS trade_rows, getvariable('base_date')::VARCHAR AS base_date,
       (SELECT price_mills FROM base) AS price_mills, (SELECT mean_num FROM base) AS mean_num, (SELECT mean_den FROM base) AS mean_den`,
  );
  const statuses = Object.fromEntries(
    (await rows(connection, 'SELECT status, count(*) AS n FROM result GROUP BY status')).map((row) => [String(row.status), Number(row.n)]),
  );
  const priceMills = BigInt(String(facts!.price_mills));
  const meanNum = BigInt(String(facts!.mean_num));
  const meanDen = BigInt(String(facts!.mean_den));
  const meanGcd = gcd(meanNum, meanDen);
  const report: SqlChildReport = {
    sqlSeconds,
    loadSeconds,
    tradeRows: Number(facts!.trade_rows),
    baseDate: String(facts!.base_date),
    basePrice: millsText(priceMills, plan.basePriceDecimals ?? 2),
    basePriceMean: `${meanNum / meanGcd}/${meanDen / meanGcd}`,
    statuses,
  };
  connection.closeSync();
  instance.closeSync();
  process.stdout.write(JSON.stringify(report));
}

function timed(args: string[]): { seconds: number; maxRssMiB: number | null; stdout: string } {
  const started = performance.now();
  const run = gnuTime === null ? spawnSync(node, args, { encoding: 'utf8' }) : spawnSync(gnuTime, ['-f', 'peak-kib %M', node, ...args], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`${args.slice(0, 2).join(' ')} failed (${run.status}): ${run.stderr}`);
  const peak = /peak-kib (\d+)/.exec(run.stderr ?? '');
  return { seconds, maxRssMiB: peak ? Number(peak[1]) / 1024 : null, stdout: run.stdout };
}

async function main(): Promise<void> {
  const investors = values.quick ? 20_000 : Number(values.investors);
  if (!Number.isSafeInteger(investors) || investors < 1) throw new Error(`--investors: not a positive integer: ${values.investors}`);
  const cores = availableParallelism();
  const caseDir = `${work}duckdb-case-${investors}-${values.seed}`;
  console.log(`redress vs DuckDB ${duckdbVersion()} — ${cores} cores, Node ${process.version}`);
  if (!values.keep || !existsSync(`${caseDir}/trades.csv`)) {
    rmSync(caseDir, { recursive: true, force: true });
    const generated = await writeSyntheticCase({ investors, seed: Number(values.seed), outDir: caseDir });
    console.log(`generated ${generated.rows.trades.toLocaleString('en')} trade rows for ${investors.toLocaleString('en')} investors in ${caseDir}`);
  }
  const plan = JSON.parse(readFileSync(`${caseDir}/plan.json`, 'utf8')) as SimplePlan;
  const simple: SimplePlan = {
    ...plan,
    averagePrice: 'moving-weighted-average',
    postDisclosureSales: 'fifo',
    riskDeduction: { method: 'none' },
    interest: null,
    exclusions: [],
  };
  // The SQL implements only this corner of the plan space; anything else would be compared unfairly.
  const unsupported = [
    (simple.ruleSet ?? 'SPC2022') !== 'SPC2022' && 'ruleSet',
    (simple.direction ?? 'inflated') !== 'inflated' && 'direction',
    (simple.baseDate !== undefined || simple.basePrice !== undefined) && 'a fixed base date or price',
    !(simple.basePriceDecimals === undefined || (Number.isInteger(simple.basePriceDecimals) && simple.basePriceDecimals! >= 0 && simple.basePriceDecimals! <= 3)) && 'basePriceDecimals',
    simple.fees?.stampDutyRate === 'by-date' && 'stampDutyRate by-date',
  ].filter((reason) => reason !== false);
  if (unsupported.length > 0) throw new Error(`the SQL does not implement: ${unsupported.join(', ')}`);
  writeFileSync(`${caseDir}/plan-simple.json`, `${JSON.stringify(simple, null, 2)}\n`);

  const file = (name: string) => `${caseDir}/${name}`;
  // The first start of a command fills Node's compile cache; every later start, as a user's, reads it.
  spawnSync(node, [redress, 'compute', '--help']);
  rmSync(file('out'), { recursive: true, force: true });
  const engine = timed([
    redress, 'compute', '--plan', file('plan-simple.json'), '--trades', file('trades.csv'), '--holdings', file('holdings.csv'),
    '--market', file('market.csv'), '--actions', file('actions.csv'), '--out', file('out'),
  ]);
  const duck = timed([fileURLToPath(import.meta.url), '--sql-child', caseDir]);
  const sql = JSON.parse(duck.stdout) as SqlChildReport;

  // ---- comparison (untimed), itself in DuckDB: the two result files joined on investor
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const amounts = ['principal', 'commission', 'stamp_duty', 'total'];
  await connection.run(`
    CREATE TEMP TABLE redress AS
    SELECT investor, status, ${amounts.map((name) => `CAST(CAST(${name} AS DECIMAL(38,2)) * 100 AS HUGEINT) AS ${name}`).join(', ')}
    FROM read_csv(${sqlText(file('out/compensation.csv'))}, header = true, auto_detect = false, all_varchar = true,
      columns = {${['investor', 'status', 'reason', 'eligible_shares', 'sold_after_disclosure', 'held_at_base', 'avg_buy_price', 'avg_sell_price',
        'base_price', 'loss_sold', 'loss_held', 'investment_difference_loss', 'deduction_ratio', 'deduction', 'principal', 'commission',
        'stamp_duty', 'interest', 'total'].map((name) => `'${name}': 'VARCHAR'`).join(', ')}});
    CREATE TEMP TABLE duck AS SELECT * FROM read_csv(${sqlText(file('duckdb-result.csv'))}, header = true, auto_detect = false,
      columns = {'investor': 'VARCHAR', 'status': 'VARCHAR', ${amounts.map((name) => `'${name}': 'HUGEINT'`).join(', ')}});`);
  const mismatch = `r.investor IS NULL OR d.investor IS NULL OR r.status IS DISTINCT FROM d.status OR ${amounts.map((name) => `r.${name} IS DISTINCT FROM d.${name}`).join(' OR ')}`;
  const [counts] = await rows(
    connection,
    `SELECT count(*) AS compared, count(*) FILTER (WHERE ${mismatch}) AS mismatching,
       count(*) FILTER (WHERE r.status = 'payable') AS payable_redress, count(*) FILTER (WHERE d.status = 'payable') AS payable_duckdb,
       coalesce(sum(r.total), 0)::VARCHAR AS total_redress, coalesce(sum(d.total), 0)::VARCHAR AS total_duckdb
     FROM redress r FULL OUTER JOIN duck d USING (investor)`,
  );
  const examples = await rows(
    connection,
    `SELECT coalesce(r.investor, d.investor) AS investor, r.status AS redress_status, d.status AS duckdb_status,
       ${amounts.map((name) => `r.${name}::VARCHAR AS redress_${name}, d.${name}::VARCHAR AS duckdb_${name}`).join(', ')}
     FROM redress r FULL OUTER JOIN duck d USING (investor) WHERE ${mismatch} ORDER BY 1 LIMIT 5`,
  );
  connection.closeSync();
  instance.closeSync();

  const summary = JSON.parse(readFileSync(file('out/summary.json'), 'utf8')) as {
    plan: { baseDate: string; basePrice: string; applied?: { basePriceMean?: string } };
    counts: Record<string, number>;
  };
  const fen = (value: unknown) => {
    const cents = BigInt(String(value));
    return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  };
  const tradeRows = sql.tradeRows;
  const line = (name: string, run: { seconds: number; maxRssMiB: number | null }) =>
    `  ${name.padEnd(34)} ${run.seconds.toFixed(2).padStart(7)} s ${Math.round(tradeRows / run.seconds).toLocaleString('en').padStart(11)} rows/s` +
    `${run.maxRssMiB ? `  peak ${Math.round(run.maxRssMiB).toLocaleString('en').padStart(6)} MiB` : ''}`;
  const compared = Number(counts!.compared);
  const mismatching = Number(counts!.mismatching);
  console.log(`\n${tradeRows.toLocaleString('en')} trade rows, ${compared.toLocaleString('en')} investors; plan: moving weighted average, FIFO, no risk deduction, no interest, no exclusions`);
  console.log(line(`redress compute, ${cores} threads`, engine));
  console.log(line(`DuckDB SQL, ${cores} threads (process)`, duck));
  console.log(`    of which in DuckDB, CSV in to CSV out: ${sql.sqlSeconds.toFixed(2)} s (reading the CSV files into tables ${sql.loadSeconds.toFixed(2)} s)`);
  console.log(`  DuckDB / redress wall time: ${(duck.seconds / engine.seconds).toFixed(2)}×`);
  const baseAgrees = sql.baseDate === summary.plan.baseDate && Number(sql.basePrice) === Number(summary.plan.basePrice);
  console.log(
    `  base date and price: redress ${summary.plan.baseDate} ${summary.plan.basePrice} (mean ${summary.plan.applied?.basePriceMean ?? '?'}),` +
      ` DuckDB ${sql.baseDate} ${sql.basePrice} (mean ${sql.basePriceMean})${baseAgrees ? '' : '  DIFFERENT'}`,
  );
  console.log(`  statuses: redress ${JSON.stringify(summary.counts)}, DuckDB ${JSON.stringify(sql.statuses)}`);
  console.log(
    `  payable: redress ${Number(counts!.payable_redress).toLocaleString('en')}, DuckDB ${Number(counts!.payable_duckdb).toLocaleString('en')};` +
      ` total payable: redress ${fen(counts!.total_redress)}, DuckDB ${fen(counts!.total_duckdb)} yuan`,
  );
  console.log(`  investors compared: ${compared.toLocaleString('en')}, mismatching (status, principal, commission, stamp duty or total): ${mismatching}`);
  for (const example of examples) console.log(`    ${JSON.stringify(example)}`);
  const rejectedRows = summary.counts.rejectedRows ?? 0;
  if (rejectedRows > 0) console.log(`  redress rejected ${rejectedRows} rows, which the SQL does not validate: the comparison is not like for like`);
  if (mismatching > 0 || compared === 0 || rejectedRows > 0 || !baseAgrees) process.exitCode = 1;
  if (!values.keep) rmSync(caseDir, { recursive: true, force: true });
}

if (values['sql-child'] !== undefined) await sqlChild(values['sql-child']);
else await main();
