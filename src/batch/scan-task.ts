import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CsvEncoding } from '../io/csv-scan.ts';
import { splitCsvLine } from '../io/csv-scan.ts';
import { checkHoldingsRow, checkRatioRow, checkTradeRow, type TradeColumns } from '../io/investor-files.ts';
import { scanRangeLines, type ByteRange } from './byte-ranges.ts';
import { FIELD, InvestorPartitioner, SpillWriter } from './spill-records.ts';

/**
 * The scan phase of a computation: one task reads one byte range of trades.csv (or the whole of
 * holdings.csv or ratios.csv), checks every row, and spills it to its investor's partition. Bad
 * rows are kept twice: in the task's rejects file (for rejects.csv) and in the partition (so the
 * investor is rejected).
 */
export interface ScanTask {
  task: number;
  kind: 'trades' | 'holdings' | 'ratios';
  path: string;
  /** Base name, as rejects.csv names it. */
  file: string;
  range: ByteRange;
  /** True for the range that starts with the header line. */
  startsWithHeader: boolean;
  columns: Record<string, number>;
  width: number;
  encoding: CsvEncoding;
  boundaries: readonly string[];
  workDir: string;
}

export interface ScanResult {
  task: number;
  /** Lines in the range, the header included when the range starts with it. */
  lines: number;
  rejects: number;
  /** The partitions this task wrote a spill file for. */
  partitions: number[];
}

export function spillPath(workDir: string, task: number, partition: number): string {
  return join(workDir, `scan-${task}-part-${partition}.rec`);
}

export function rejectsPath(workDir: string, task: number): string {
  return join(workDir, `scan-${task}.rejects`);
}

/** Field text safe for a spill record: the separator and line breaks cannot occur inside. */
function clean(text: string): string {
  return /[\u0000-\u001f]/.test(text) ? text.replace(/[\u0000-\u001f]/g, '?') : text;
}

export async function runScanTask(task: ScanTask): Promise<ScanResult> {
  const partitioner = new InvestorPartitioner(task.boundaries);
  const spill = new SpillWriter((partition) => spillPath(task.workDir, task.task, partition), partitioner.count);
  const rejectLines: string[] = [];
  const { columns: at, width, file } = task;
  const investorAt = at['investor']!;
  const firstRatioLine = new Map<string, number>();
  const reject = (line: number, investor: string, reason: string) => {
    const record = `${line}${FIELD}${clean(investor)}${FIELD}${clean(reason)}\n`;
    rejectLines.push(record);
    if (investor.length > 0) spill.append(partitioner.partitionOf(investor), `X${FIELD}${line}${FIELD}${clean(investor)}${FIELD}${file}${FIELD}${clean(reason)}\n`);
  };

  const lines = await scanRangeLines(task.path, task.range, task.encoding, (text, line) => {
    if (line === 1 && task.startsWithHeader) return;
    const fields = splitCsvLine(text);
    const investor = fields?.[investorAt] ?? '';
    let problem: string | null;
    if (task.kind === 'trades') problem = checkTradeRow(fields, at as TradeColumns, width);
    else if (task.kind === 'holdings') problem = checkHoldingsRow(fields, at as Record<'investor' | 'quantity', number>, width);
    else problem = checkRatioRow(fields, at as Record<'investor' | 'ratio', number>, width);
    if (problem === null && /[\u0000-\u001f]/.test(text)) problem = 'a control character inside a field';
    if (problem === null && task.kind === 'ratios') {
      const first = firstRatioLine.get(investor);
      if (first !== undefined) problem = `a second ratio for ${investor} (first on line ${first})`;
      else firstRatioLine.set(investor, line);
    }
    if (problem !== null) {
      reject(line, investor, problem);
      return;
    }
    const kindCode = task.kind === 'trades' ? 'T' : task.kind === 'holdings' ? 'H' : 'Q';
    spill.append(partitioner.partitionOf(investor), `${kindCode}${FIELD}${line}${FIELD}${investor}${FIELD}${text}\n`);
  });
  const written = spill.close();
  writeFileSync(rejectsPath(task.workDir, task.task), rejectLines.join(''));
  return {
    task: task.task,
    lines,
    rejects: rejectLines.length,
    partitions: written.flatMap((wrote, partition) => (wrote ? [partition] : [])),
  };
}
