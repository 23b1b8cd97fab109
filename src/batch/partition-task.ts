import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseError } from '../domain/case-error.ts';
import { compareCodePoints } from '../domain/code-point-order.ts';
import { computeInvestorLoss } from '../domain/loss/investor-loss.ts';
import type { LossCase } from '../domain/loss/loss-case.ts';
import { Rational } from '../domain/money/rational.ts';
import { compensationLine } from '../io/compensation-csv.ts';
import { splitCsvLine } from '../io/csv-scan.ts';
import { tradeFromText } from '../io/investor-files.ts';
import { ResultTally, type TallyTotals } from './result-tally.ts';
import { InvestorCollector } from './investor-collector.ts';
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
  const collector = new InvestorCollector();
  for (const source of task.sources) await loadSpill(spillPath(task.workDir, source.task, task.partition), source.lineOffset, task.columns, collector);

  const all = [...collector.records()].sort((a, b) => compareCodePoints(a.investor, b.investor));
  const tally = new ResultTally();
  const lines: string[] = [];
  let error: PartitionResult['error'] = null;
  for (const records of all) {
    try {
      const result = computeInvestorLoss(records, lossCase);
      tally.add(result);
      lines.push(compensationLine(result));
    } catch (caught) {
      if (!(caught instanceof CaseError)) throw caught;
      error = { message: caught.message, file: caught.file, line: caught.line, fix: caught.fix };
      break;
    }
  }
  writeFileSync(partitionOutputPath(task.workDir, task.partition), lines.join(''));
  return { partition: task.partition, investors: all.length, tally: { counts: tally.counts, totals: tally.totals }, error };
}

async function loadSpill(path: string, lineOffset: number, columns: PartitionTask['columns'], collector: InvestorCollector): Promise<void> {
  let pending = '';
  const take = (record: string) => {
    // kind, task, line, then the row as read (or, for a bad row: investor, file, reason)
    const third = record.indexOf(FIELD, record.indexOf(FIELD, 2) + 1);
    const line = lineOffset + Number(record.slice(record.indexOf(FIELD, 2) + 1, third));
    const rest = record.slice(third + 1);
    const kind = record.charCodeAt(0);
    if (kind === 88 /* X */) {
      const [investor, file, reason] = rest.split(FIELD) as [string, string, string];
      collector.bad({ file, line, investor, reason });
      return;
    }
    const row = splitCsvLine(rest)!;
    if (kind === 84 /* T */) {
      const at = columns.trades;
      collector.trade(row[at['investor']!]!, tradeFromText(line, row[at['account']!]!, row[at['time']!]!, row[at['side']!]!, row[at['quantity']!]!, row[at['price']!]!));
    } else if (kind === 72 /* H */) {
      const at = columns.holdings!;
      const quantity = row[at['quantity']!]!;
      collector.holdings(row[at['investor']!]!, Rational.fromInteger(quantity.length <= 15 ? Number(quantity) : BigInt(quantity)));
    } else {
      const at = columns.ratios!;
      collector.ratio(row[at['investor']!]!, Rational.parse(row[at['ratio']!]!));
    }
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = pending + (chunk as string);
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      take(text.slice(start, newline));
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    pending = text.slice(start);
  }
}
