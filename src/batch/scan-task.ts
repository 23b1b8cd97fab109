import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CsvEncoding } from '../io/csv-scan.ts';
import { splitCsvLine } from '../io/csv-scan.ts';
import { InvestorRowChecker } from '../io/investor-files.ts';
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
  /** The file's header fields (read once by the main thread). */
  header: string[];
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
  const checker = new InvestorRowChecker(task.kind, task.header, task.file);
  const rejectLines: string[] = [];
  const kindCode = task.kind === 'trades' ? 'T' : task.kind === 'holdings' ? 'H' : 'Q';

  const lines = await scanRangeLines(task.path, task.range, task.encoding, (text, line) => {
    if (line === 1 && task.startsWithHeader) return;
    const { investor, problem } = checker.check(text, splitCsvLine(text), line);
    if (problem === null) {
      spill.append(partitioner.partitionOf(investor), `${kindCode}${FIELD}${line}${FIELD}${investor}${FIELD}${text}\n`);
      return;
    }
    rejectLines.push(`${line}${FIELD}${clean(investor)}${FIELD}${clean(problem)}\n`);
    if (investor.length > 0) {
      spill.append(partitioner.partitionOf(investor), `X${FIELD}${line}${FIELD}${clean(investor)}${FIELD}${task.file}${FIELD}${clean(problem)}\n`);
    }
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
