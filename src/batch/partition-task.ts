import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseError } from '../domain/case-error.ts';
import { compareCodePoints } from '../domain/code-point-order.ts';
import { computeInvestorLoss } from '../domain/loss/investor-loss.ts';
import type { LossCase } from '../domain/loss/loss-case.ts';
import { Rational } from '../domain/money/rational.ts';
import { sortTrades, type InvestorRecords, type RejectedRow, type Trade } from '../domain/loss/investor-records.ts';
import { compensationLine } from '../io/compensation-csv.ts';
import { splitCsvLine } from '../io/csv-scan.ts';
import { sharesFromText, tradeFromText } from '../io/investor-files.ts';
import { ResultTally, type TallyTotals } from './result-tally.ts';
import { FIELD } from './spill-records.ts';
import { spillPath } from './scan-task.ts';

/**
 * The compute phase for one partition: gather its investors from every scan task's spill file,
 * compute each, and write their compensation.csv lines in investor order. The partitions in
 * order are the whole output in order, so the result is the same for any number of threads.
 */
export interface PartitionTask {
  partition: number;
  /** The scan tasks that spilled into this partition, with the line offset of each. */
  sources: { task: number; lineOffset: number }[];
  /** Column positions of each file's header, to split the spilled rows again. */
  columns: { trades: Record<string, number>; holdings: Record<string, number> | null; ratios: Record<string, number> | null };
  workDir: string;
}

export interface PartitionResult {
  partition: number;
  investors: number;
  tally: TallyTotals;
  /** The first case-level error met, in investor order, if any. */
  error: { message: string; file: string | null; line: number | null; fix: string } | null;
}

export function partitionOutputPath(workDir: string, partition: number): string {
  return join(workDir, `part-${partition}.csv`);
}

export async function runPartitionTask(task: PartitionTask, lossCase: LossCase): Promise<PartitionResult> {
  const spills = task.sources.map((source) => ({ text: readFileSync(spillPath(task.workDir, source.task, task.partition), 'utf8'), lineOffset: source.lineOffset }));
  const recordsByInvestor = indexRecords(spills.map((spill) => spill.text));
  const investors = [...recordsByInvestor.keys()].sort(compareCodePoints);

  const tally = new ResultTally();
  const lines: string[] = [];
  let error: PartitionResult['error'] = null;
  for (const investor of investors) {
    try {
      const result = computeInvestorLoss(readInvestor(investor, recordsByInvestor.get(investor)!, spills, task.columns), lossCase);
      tally.add(result);
      lines.push(compensationLine(result));
    } catch (caught) {
      if (!(caught instanceof CaseError)) throw caught;
      error = { message: caught.message, file: caught.file, line: caught.line, fix: caught.fix };
      break;
    }
  }
  writeFileSync(partitionOutputPath(task.workDir, task.partition), lines.join(''));
  return { partition: task.partition, investors: investors.length, tally: { counts: tally.counts, totals: tally.totals }, error };
}

/** Where a record starts: its spill's index in the low bits, its offset above them. */
const SPILL_BITS = 4096;

/**
 * Finds each investor's records without parsing them. Trades are turned into objects only when
 * their investor is computed, so they die young: holding a partition's trades as objects would
 * make every one of them survive into the old generation of the heap.
 */
function indexRecords(texts: string[]): Map<string, number[]> {
  if (texts.length > SPILL_BITS) throw new RangeError(`too many scan tasks for one partition: ${texts.length}`);
  const byInvestor = new Map<string, number[]>();
  texts.forEach((text, spill) => {
    let start = 0;
    while (start < text.length) {
      const investorStart = text.indexOf(FIELD, start + 2) + 1;
      const investorEnd = text.indexOf(FIELD, investorStart);
      const investor = text.slice(investorStart, investorEnd);
      let refs = byInvestor.get(investor);
      if (refs === undefined) byInvestor.set(investor, (refs = []));
      refs.push(start * SPILL_BITS + spill);
      start = text.indexOf('\n', investorEnd) + 1;
    }
  });
  return byInvestor;
}

function readInvestor(investor: string, refs: number[], spills: { text: string; lineOffset: number }[], columns: PartitionTask['columns']): InvestorRecords {
  const trades: Trade[] = [];
  const badRows: RejectedRow[] = [];
  let holdings: Rational | null = null;
  let ratio: Rational | null = null;
  for (const ref of refs) {
    const spill = spills[ref % SPILL_BITS]!;
    const start = Math.floor(ref / SPILL_BITS);
    const { text } = spill;
    const lineStart = start + 2;
    const investorStart = text.indexOf(FIELD, lineStart) + 1;
    const payloadStart = text.indexOf(FIELD, investorStart) + 1;
    const payload = text.slice(payloadStart, text.indexOf('\n', payloadStart));
    const line = spill.lineOffset + Number(text.slice(lineStart, investorStart - 1));
    const kind = text.charCodeAt(start);
    if (kind === 88 /* X */) {
      const [file, reason] = payload.split(FIELD) as [string, string];
      badRows.push({ file, line, investor, reason });
      continue;
    }
    const row = splitCsvLine(payload)!;
    if (kind === 84 /* T */) {
      const at = columns.trades;
      trades.push(tradeFromText(line, row[at['account']!]!, row[at['time']!]!, row[at['side']!]!, row[at['quantity']!]!, row[at['price']!]!));
    } else if (kind === 72 /* H */) {
      const quantity = row[columns.holdings!['quantity']!]!;
      holdings = (holdings ?? Rational.ZERO).add(sharesFromText(quantity));
    } else {
      ratio = Rational.parse(row[columns.ratios!['ratio']!]!);
    }
  }
  badRows.sort((a, b) => compareCodePoints(a.file, b.file) || a.line - b.line);
  return { investor, trades: sortTrades(trades), holdings, ratio, badRows };
}
