import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDecoder } from 'node:util';
import { CaseError } from '../domain/case-error.ts';
import { compareCodePoints } from '../domain/code-point-order.ts';
import { buildCalculationSheet } from '../domain/loss/calculation-sheet.ts';
import { computeInvestorLoss } from '../domain/loss/investor-loss.ts';
import type { LossCase } from '../domain/loss/loss-case.ts';
import type { InvestorRecords, RejectedRow } from '../domain/loss/investor-records.ts';
import type { SheetStep } from '../domain/loss/walk-steps.ts';
import { compensationLine, rejectLine, rowAmounts } from '../io/compensation-csv.ts';
import { splitCsvLine, type CsvEncoding } from '../io/csv-scan.ts';
import { InvestorRecordsBuilder, InvestorRowChecker, type InvestorFileKind } from '../io/investor-files.ts';
import { ResultTally, type TallyTotals } from './result-tally.ts';
import { FIELD } from './spill-records.ts';
import { spillPath } from './scan-task.ts';

/**
 * The compute phase for one partition: gather its investors from every scan task's spill file,
 * check every row, compute each investor, and write their compensation.csv lines in investor
 * order, and the partition's bad rows in file-then-line order. The partitions in order are the
 * whole output in order, so the result is the same for any number of threads.
 */
export interface PartitionTask {
  partition: number;
  /** The scan tasks that spilled into this partition. */
  sources: PartitionSource[];
  workDir: string;
  /** Also write each investor's calculation sheet, one JSON line per investor. */
  sheets: boolean;
}

export interface PartitionSource {
  task: number;
  kind: InvestorFileKind;
  file: string;
  /** Rank of `file` in the order of rejects.csv. */
  fileRank: number;
  header: string[];
  encoding: CsvEncoding;
  /** Lines of the same file in the ranges before this task's. */
  lineOffset: number;
}

export interface PartitionResult {
  partition: number;
  investors: number;
  rejects: number;
  tally: TallyTotals;
  /** The first case-level error met, in investor order, if any. */
  error: { message: string; file: string | null; line: number | null; fix: string } | null;
}

export function partitionOutputPath(workDir: string, partition: number): string {
  return join(workDir, `part-${partition}.csv`);
}

export function partitionSheetsPath(workDir: string, partition: number): string {
  return join(workDir, `part-${partition}.sheets`);
}

export function partitionRejectsPath(workDir: string, partition: number): string {
  return join(workDir, `part-${partition}.rejects`);
}

interface Spill {
  source: PartitionSource;
  /** The spill file read one character per byte, so a row of ASCII bytes needs no decoding. */
  text: string;
  bytes: Buffer;
  decoder: TextDecoder;
  checker: InvestorRowChecker;
}

export async function runPartitionTask(task: PartitionTask, lossCase: LossCase): Promise<PartitionResult> {
  const spills: Spill[] = task.sources.map((source) => {
    const bytes = readFileSync(spillPath(task.workDir, source.task, task.partition));
    return { source, bytes, text: bytes.toString('ascii'), decoder: new TextDecoder(source.encoding), checker: new InvestorRowChecker(source.kind, source.header, source.file) };
  });
  const index = indexRecords(spills);
  const investors = [...index.investors.keys()].sort(compareCodePoints);

  const tally = new ResultTally();
  const lines: string[] = [];
  const sheets: string[] = [];
  const rejects: (RejectedRow & { fileRank: number })[] = [];
  let error: PartitionResult['error'] = null;
  for (const investor of investors) {
    const records = readInvestor(investor, index, spills, rejects);
    // Rows that name no investor are only reported; they make no compensation row.
    if (investor.length === 0) continue;
    try {
      const steps: SheetStep[] | undefined = task.sheets ? [] : undefined;
      const result = computeInvestorLoss(records, lossCase, steps);
      const amounts = rowAmounts(result);
      tally.add(result, amounts);
      lines.push(compensationLine(result, amounts));
      if (steps) sheets.push(`${JSON.stringify({ investor, sheet: buildCalculationSheet(result, steps, lossCase) })}\n`);
    } catch (caught) {
      if (!(caught instanceof CaseError)) throw caught;
      error = { message: caught.message, file: caught.file, line: caught.line, fix: caught.fix };
      break;
    }
  }
  rejects.sort((a, b) => a.fileRank - b.fileRank || a.line - b.line);
  writeFileSync(partitionOutputPath(task.workDir, task.partition), lines.join(''));
  if (task.sheets) writeFileSync(partitionSheetsPath(task.workDir, task.partition), sheets.join(''));
  writeFileSync(
    partitionRejectsPath(task.workDir, task.partition),
    rejects.map((row) => `${row.fileRank}${FIELD}${row.line}${FIELD}${rejectLine(row)}`).join(''),
  );
  return { partition: task.partition, investors: lines.length, rejects: rejects.length, tally: { counts: tally.counts, totals: tally.totals }, error };
}

/**
 * Each investor's records, found without parsing their rows: the records in parallel columns
 * (spill, line, where the row starts and ends — the end negative for a row that must be decoded)
 * chained per investor in file order. Trades are turned into objects only when their investor is
 * computed, so they die young: holding a partition's trades as objects would make every one of
 * them survive into the old generation of the heap.
 */
class RecordIndex {
  /** Investor → its number; its first and last records are `first[number]` and `last[number]`. */
  readonly investors = new Map<string, number>();
  first: number[] = [];
  private last: number[] = [];
  spill = new Int32Array(1024);
  line = new Float64Array(1024);
  rowStart = new Float64Array(1024);
  rowEnd = new Float64Array(1024);
  next = new Int32Array(1024);
  size = 0;

  add(investor: string, spill: number, line: number, rowStart: number, rowEnd: number): void {
    if (this.size === this.spill.length) this.grow();
    const record = this.size++;
    this.spill[record] = spill;
    this.line[record] = line;
    this.rowStart[record] = rowStart;
    this.rowEnd[record] = rowEnd;
    this.next[record] = -1;
    const number = this.investors.get(investor);
    if (number === undefined) {
      this.investors.set(investor, this.first.length);
      this.first.push(record);
      this.last.push(record);
    } else {
      this.next[this.last[number]!] = record;
      this.last[number] = record;
    }
  }

  private grow(): void {
    const capacity = this.spill.length * 2;
    const copy = <T extends Int32Array | Float64Array>(array: T): T => {
      const larger = new (array.constructor as new (length: number) => T)(capacity);
      larger.set(array);
      return larger;
    };
    this.spill = copy(this.spill);
    this.line = copy(this.line);
    this.rowStart = copy(this.rowStart);
    this.rowEnd = copy(this.rowEnd);
    this.next = copy(this.next);
  }
}

function indexRecords(spills: Spill[]): RecordIndex {
  const index = new RecordIndex();
  spills.forEach((spill, spillIndex) => {
    const { text } = spill;
    let start = 0;
    while (start < text.length) {
      const record = parseRecordHead(spill, start);
      index.add(record.investor, spillIndex, record.line, record.rowStart, record.ascii ? record.rowEnd : -record.rowEnd);
      start = record.rowEnd + 1;
    }
  });
  return index;
}

/** Reads a record's line, investor and where its row lies (see spill-records.ts for the layout). */
function parseRecordHead(spill: Spill, start: number): { line: number; investor: string; rowStart: number; rowEnd: number; ascii: boolean } {
  const { text } = spill;
  const ascii = text.charCodeAt(start) === 97; /* a */
  const lengthStart = text.indexOf(FIELD, start) + 1;
  const investorStart = text.indexOf(FIELD, lengthStart) + 1;
  const line = Number(text.slice(start + 1, lengthStart - 1));
  const rowEnd = text.indexOf('\n', investorStart);
  if (text.charCodeAt(lengthStart) === 113 /* q */) {
    const row = rowText(spill, investorStart, rowEnd, ascii);
    return { line, investor: spill.checker.investorOf(row, splitCsvLine(row)), rowStart: investorStart, rowEnd, ascii };
  }
  const investorEnd = investorStart + Number(text.slice(lengthStart, investorStart - 1));
  return { line, investor: rowText(spill, investorStart, investorEnd, ascii), rowStart: investorEnd, rowEnd, ascii };
}

/** Text of bytes [start, end) of a spill: sliced as is when the row is ASCII, else decoded. */
function rowText(spill: Spill, start: number, end: number, ascii: boolean): string {
  return ascii ? spill.text.slice(start, end) : spill.decoder.decode(spill.bytes.subarray(start, end));
}

/**
 * Splits an ASCII row without quotes straight out of the spill text, noting control characters
 * on the way; null for a row with a quote, which takes the general path. One pass, no row string.
 */
function splitAsciiRow(text: string, start: number, end: number, scan: { hasControlCharacter: boolean }): string[] | null {
  const fields: string[] = [];
  let control = false;
  let fieldStart = start;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 44) {
      fields.push(text.slice(fieldStart, i));
      fieldStart = i + 1;
    } else if (code === 34) {
      return null;
    } else if (code < 32) {
      control = true;
    }
  }
  fields.push(text.slice(fieldStart, end));
  scan.hasControlCharacter = control;
  return fields;
}

/** What splitAsciiRow saw besides the fields; reused for every row. */
const scan = { hasControlCharacter: false };

function readInvestor(investor: string, index: RecordIndex, spills: Spill[], rejects: (RejectedRow & { fileRank: number })[]): InvestorRecords {
  const sink = new InvestorRecordsBuilder(investor);
  for (let record = index.first[index.investors.get(investor)!]!; record >= 0; record = index.next[record]!) {
    const spill = spills[index.spill[record]!]!;
    const { source, checker } = spill;
    const line = source.lineOffset + index.line[record]!;
    const start = index.rowStart[record]!;
    const end = index.rowEnd[record]!;
    let fields = end >= 0 ? splitAsciiRow(spill.text, start, end, scan) : null;
    let problem: string | null;
    if (fields !== null) {
      problem = checker.checkSplit(fields, scan.hasControlCharacter, line);
    } else {
      const text = rowText(spill, start, Math.abs(end), end >= 0);
      fields = splitCsvLine(text);
      problem = checker.check(text, fields, line).problem;
    }
    if (problem === null) {
      checker.deliver(investor, fields!, line, sink);
    } else {
      const row = { file: source.file, line, investor, reason: problem };
      sink.bad(row);
      rejects.push({ ...row, fileRank: source.fileRank });
    }
  }
  return sink.records();
}
