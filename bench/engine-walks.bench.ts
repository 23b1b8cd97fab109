import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadLossCase } from '../src/batch/case-inputs.ts';
import { writeSyntheticCase } from '../src/demo/synthetic-case.ts';
import { compareCodePoints } from '../src/domain/code-point-order.ts';
import { walkBuySide } from '../src/domain/loss/buy-side-walk.ts';
import { fastCompensationRow } from '../src/domain/loss/compensation-row.ts';
import { walkBuySideFast, walkSellSideFast } from '../src/domain/loss/integer-walk.ts';
import { computeInvestorLoss } from '../src/domain/loss/investor-loss.ts';
import type { InvestorRecords, RejectedRow, Trade } from '../src/domain/loss/investor-records.ts';
import type { LossCase } from '../src/domain/loss/loss-case.ts';
import { walkSellSide } from '../src/domain/loss/sell-side-walk.ts';
import { columnsOfTrades } from '../src/domain/loss/trade-columns.ts';
import type { Rational } from '../src/domain/money/rational.ts';
import { compensationLine, compensationOf, rowAmounts } from '../src/io/compensation-csv.ts';
import { InvestorRecordsBuilder, readInvestorFile, type InvestorRowSink } from '../src/io/investor-files.ts';

/**
 * The engine's per-investor computation with and without the integer fast path (integer-walk.ts),
 * side by side in one run, on a generated case:
 *
 *   node bench/engine-walks.bench.ts [--investors 50000] [--seed 1] [--rounds 5]
 *
 * Every investor's records are read once with the ordinary readers and given their trade
 * columns; then `computeInvestorLoss` runs over all of them without columns (the general walk)
 * and with them (the fast path), alternately for `--rounds` rounds, and the best round of each is
 * reported in µs per investor. Every compensation line must be identical. The walks alone (the
 * main run and both index mirrors) are timed the same way, and it counts how many investors the
 * fast path carries whole (its trades never made into objects).
 *
 * Last, the batch's whole per-investor work: `compensationOf` (the integer row of
 * compensation-row.ts) against `computeInvestorLoss` + `rowAmounts` + `compensationLine`, both
 * with columns, every line, status and amount identical, and how many rows the integer row covers.
 */
const { values } = parseArgs({
  options: { investors: { type: 'string', default: '50000' }, seed: { type: 'string', default: '1' }, rounds: { type: 'string', default: '5' } },
});
const investorCount = Number(values.investors);
const rounds = Number(values.rounds);

function percent(part: number, whole: number): string {
  return `${((100 * part) / Math.max(whole, 1)).toFixed(2)}%`;
}

/** Best time in ms of each of two jobs, run alternately (after one warm-up run each). */
function bestOf(rounds: number, without: () => void, withFast: () => void): [number, number] {
  const best: [number, number] = [Infinity, Infinity];
  for (let round = -1; round < rounds; round++) {
    for (const [k, job] of [without, withFast].entries()) {
      const started = performance.now();
      job();
      const elapsed = performance.now() - started;
      if (round >= 0) best[k] = Math.min(best[k]!, elapsed);
    }
  }
  return best;
}

/** Best wall-clock and CPU time in ms of each job, run alternately (after one warm-up run each). */
function bestOfTimes(rounds: number, jobs: (() => void)[]): { wall: number[]; cpu: number[] } {
  const wall = jobs.map(() => Infinity);
  const cpu = jobs.map(() => Infinity);
  for (let round = -1; round < rounds; round++) {
    for (const [k, job] of jobs.entries()) {
      const started = performance.now();
      const startedCpu = process.cpuUsage();
      job();
      const usage = process.cpuUsage(startedCpu);
      const elapsed = performance.now() - started;
      if (round >= 0) {
        wall[k] = Math.min(wall[k]!, elapsed);
        cpu[k] = Math.min(cpu[k]!, (usage.user + usage.system) / 1000);
      }
    }
  }
  return { wall, cpu };
}

function report(what: string, investors: number, [without, withFast]: [number, number]): void {
  const us = (ms: number) => ((ms * 1000) / investors).toFixed(2).padStart(8);
  console.log(`\n${what}, best of ${rounds} rounds over ${investors.toLocaleString('en')} investors:`);
  console.log(`  general walk    ${us(without)} µs per investor`);
  console.log(`  fast path       ${us(withFast)} µs per investor`);
  console.log(`  speed-up        ${(without / withFast).toFixed(2)}×`);
}

function mirrorIndices(lossCase: LossCase): readonly string[] {
  return lossCase.plan.riskDeduction.method === 'index-comparison' ? lossCase.plan.riskDeduction.indices : [];
}

/** The general main walk and, for an investor with a complete position, every mirror. */
function generalWalks(all: InvestorRecords[], lossCase: LossCase): void {
  const { plan, keyDates, actions } = lossCase;
  for (const records of all) {
    const run = (priceOf: (trade: Trade) => Rational, priceSplits: boolean) =>
      plan.direction === 'inflated'
        ? walkBuySide(records, { keyDates, actions, averagePrice: plan.averagePrice, postDisclosureSales: plan.postDisclosureSales, priceOf, priceSplits })
        : walkSellSide(records, { keyDates, actions, priceOf, priceSplits });
    if ('kind' in run((trade) => trade.price, true)) continue;
    for (const index of mirrorIndices(lossCase)) run((trade) => lossCase.indexClose(index, trade.date, records.investor), false);
  }
}

function fastWalks(all: InvestorRecords[], lossCase: LossCase): void {
  const walk = lossCase.plan.direction === 'inflated' ? walkBuySideFast : walkSellSideFast;
  for (const records of all) {
    if (records.columns === undefined || walk(records.columns, records.holdings, lossCase, null) === null) continue;
    for (const index of mirrorIndices(lossCase)) walk(records.columns, records.holdings, lossCase, index);
  }
}

/** How many investors the fast path carries: whole (trades never read), and run by run. */
function fastCoverage(all: InvestorRecords[], lossCase: LossCase) {
  const walk = lossCase.plan.direction === 'inflated' ? walkBuySideFast : walkSellSideFast;
  const tally = { walked: 0, whole: 0, mainFast: 0, mirrors: 0, mirrorsFast: 0 };
  for (const records of all) {
    if (lossCase.plan.exclusions.has(records.investor) || records.badRows.length > 0) continue;
    tally.walked++;
    const columns = columnsOfTrades(records.trades);
    if (columns === null) continue;
    let reads = 0;
    const { trades } = records;
    computeInvestorLoss({ investor: records.investor, holdings: records.holdings, ratio: records.ratio, badRows: records.badRows, columns, get trades() { reads++; return trades; } }, lossCase);
    if (reads === 0) tally.whole++;
    if (walk(columns, records.holdings, lossCase, null) === null) continue;
    tally.mainFast++;
    for (const index of mirrorIndices(lossCase)) {
      tally.mirrors++;
      if (walk(columns, records.holdings, lossCase, index) !== null) tally.mirrorsFast++;
    }
  }
  return tally;
}

/** Every investor's records, as the batch gathers them (all accounts merged, trades in walk order). */
class AllInvestors implements InvestorRowSink {
  private readonly builders = new Map<string, InvestorRecordsBuilder>();

  private builder(investor: string): InvestorRecordsBuilder {
    let builder = this.builders.get(investor);
    if (builder === undefined) this.builders.set(investor, (builder = new InvestorRecordsBuilder(investor)));
    return builder;
  }

  trade(investor: string, trade: Trade): void {
    this.builder(investor).trade(investor, trade);
  }

  holdings(investor: string, quantity: Rational): void {
    this.builder(investor).holdings(investor, quantity);
  }

  ratio(investor: string, ratio: Rational): void {
    this.builder(investor).ratio(investor, ratio);
  }

  bad(row: RejectedRow): void {
    if (row.investor !== '') this.builder(row.investor).bad(row);
  }

  all(): InvestorRecords[] {
    return [...this.builders.keys()].sort(compareCodePoints).map((investor) => this.builders.get(investor)!.records());
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-walks-'));
  try {
    const generated = await writeSyntheticCase({ investors: investorCount, seed: Number(values.seed), outDir: dir });
    const file = (name: string) => join(dir, name);
    const paths = {
      plan: file('plan.json'), trades: file('trades.csv'), holdings: file('holdings.csv'), market: file('market.csv'),
      index: file('index.csv'), actions: file('actions.csv'), encoding: 'utf-8' as const,
    };
    const lossCase = await loadLossCase(paths);
    const sink = new AllInvestors();
    await readInvestorFile('trades', paths.trades, 'utf-8', sink);
    await readInvestorFile('holdings', paths.holdings, 'utf-8', sink);
    const general = sink.all();
    const fast = general.map((records) => {
      const columns = columnsOfTrades(records.trades);
      return columns === null ? records : { ...records, columns };
    });
    console.log(`engine walks — Node ${process.version}; ${generated.rows.trades.toLocaleString('en')} trade rows, ${general.length.toLocaleString('en')} investors`);
    console.log(`plan: ${lossCase.plan.direction}, ${lossCase.plan.averagePrice}, ${lossCase.plan.riskDeduction.method}, ${lossCase.actions.length} bonus action(s)`);

    // The same lines, or the benchmark compares different work.
    const linesOf = (all: InvestorRecords[]) => all.map((records) => compensationLine(computeInvestorLoss(records, lossCase)));
    const expected = linesOf(general);
    const actual = linesOf(fast);
    const differing = expected.filter((line, i) => line !== actual[i]).length;
    console.log(`compensation lines identical with and without the fast path: ${differing === 0 ? 'yes' : `NO (${differing} differ)`}`);
    if (differing > 0) process.exitCode = 1;

    const coverage = fastCoverage(general, lossCase);
    console.log(
      `walked investors (not excluded, no bad row): ${coverage.walked.toLocaleString('en')}; carried whole by the fast path: ` +
      `${coverage.whole.toLocaleString('en')} (${percent(coverage.whole, coverage.walked)}); main run fast ${percent(coverage.mainFast, coverage.walked)}, ` +
      `mirror runs fast ${coverage.mirrorsFast.toLocaleString('en')} of ${coverage.mirrors.toLocaleString('en')} (${percent(coverage.mirrorsFast, coverage.mirrors)})`,
    );

    const timeAll = (all: InvestorRecords[]) => () => {
      for (const records of all) computeInvestorLoss(records, lossCase);
    };
    report('computeInvestorLoss', general.length, bestOf(rounds, timeAll(general), timeAll(fast)));
    report('walks only (main + mirrors)', general.length, bestOf(rounds, () => generalWalks(general, lossCase), () => fastWalks(fast, lossCase)));

    // The batch's work per investor: the old chain against compensationOf, both given columns.
    const oldChain = (records: InvestorRecords) => {
      const result = computeInvestorLoss(records, lossCase);
      const fen = rowAmounts(result);
      return { line: compensationLine(result, fen), status: result.status, fen };
    };
    let differ = 0;
    const statuses: Record<string, number> = {};
    const rows = { covered: 0, payable: 0, payableCovered: 0 };
    for (const records of fast) {
      const before = oldChain(records);
      const after = compensationOf(records, lossCase);
      if (after.line !== before.line || after.status !== before.status || JSON.stringify(after.fen, bigintText) !== JSON.stringify(before.fen, bigintText)) differ++;
      statuses[before.status] = (statuses[before.status] ?? 0) + 1;
      const covered = fastCompensationRow(records, lossCase) !== null;
      if (covered) rows.covered++;
      if (before.status === 'payable') {
        rows.payable++;
        if (covered) rows.payableCovered++;
      }
    }
    console.log(`\ncompensationOf identical to computeInvestorLoss + rowAmounts + compensationLine (line, status, fen): ${differ === 0 ? 'yes' : `NO (${differ} differ)`}`);
    if (differ > 0) process.exitCode = 1;
    console.log(`statuses ${JSON.stringify(statuses)}; rows by the integer row: ${rows.covered.toLocaleString('en')} of ${fast.length.toLocaleString('en')} (${percent(rows.covered, fast.length)}), payable ${rows.payableCovered.toLocaleString('en')} of ${rows.payable.toLocaleString('en')} (${percent(rows.payableCovered, rows.payable)})`);
    // Wall clock on a quiet machine; CPU time (garbage collection threads included) holds up
    // better when other work shares the cores.
    const kept: unknown[] = [];
    const chain = (all: InvestorRecords[], row: (records: InvestorRecords) => unknown) => () => {
      kept.length = 0;
      for (const records of all) kept.push(row(records));
    };
    const newRow = (records: InvestorRecords) => compensationOf(records, lossCase);
    const payableOnly = fast.filter((records) => oldChain(records).status === 'payable');
    for (const [what, all] of [['the batch\'s row (with columns)', fast], ['the batch\'s row, payable investors only', payableOnly]] as const) {
      const times = bestOfTimes(rounds, [chain(all, oldChain), chain(all, newRow), () => fastWalks(all, lossCase)]);
      const us = (ms: number) => ((ms * 1000) / all.length).toFixed(2).padStart(8);
      console.log(`\n${what}, best of ${rounds} rounds over ${all.length.toLocaleString('en')} investors:`);
      console.log('                        wall clock     CPU time');
      console.log(`  old chain             ${us(times.wall[0]!)} µs  ${us(times.cpu[0]!)} µs per investor`);
      console.log(`  compensationOf        ${us(times.wall[1]!)} µs  ${us(times.cpu[1]!)} µs per investor`);
      console.log(`  speed-up              ${(times.wall[0]! / times.wall[1]!).toFixed(2).padStart(8)}×  ${(times.cpu[0]! / times.cpu[1]!).toFixed(2).padStart(8)}×`);
      console.log(`  of which fast walks   ${us(times.wall[2]!)} µs  ${us(times.cpu[2]!)} µs: the tail after them`);
      console.log(`    before              ${us(times.wall[0]! - times.wall[2]!)} µs  ${us(times.cpu[0]! - times.cpu[2]!)} µs`);
      console.log(`    after               ${us(times.wall[1]! - times.wall[2]!)} µs  ${us(times.cpu[1]! - times.cpu[2]!)} µs`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function bigintText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}

// Last, so that the class above is initialized before it runs.
await main();
