import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDecoder } from 'node:util';
import { CaseError } from '../domain/case-error.ts';
import { compareCodePoints } from '../domain/code-point-order.ts';
import { buildCalculationSheet } from '../domain/loss/calculation-sheet.ts';
import { computeInvestorLoss } from '../domain/loss/investor-loss.ts';
import type { LossCase } from '../domain/loss/loss-case.ts';
import { sortTrades, type InvestorRecords, type RejectedRow, type Trade } from '../domain/loss/investor-records.ts';
import type { TradeColumns } from '../domain/loss/trade-columns.ts';
import { Rational } from '../domain/money/rational.ts';
import type { SheetStep } from '../domain/loss/walk-steps.ts';
import { appendCompensation, appendLine, compensationLine, rejectLine, rowAmounts, startCompensationLines, takeCompensationLines } from '../io/compensation-csv.ts';
import { splitCsvLine, type CsvEncoding } from '../io/csv-scan.ts';
import { InvestorRecordsBuilder, InvestorRowChecker, type InvestorFileKind } from '../io/investor-files.ts';
import { DAY_KEYS, epochDayOfKey, timeOfKey } from '../io/trade-row-bytes.ts';
import { radixKeyOrder } from './key-order.ts';
import { ResultTally, type TallyTotals } from './result-tally.ts';
import { isTradeRecord, keyEndOf, readU32, recordEnd, ROW_ASCII, TRADE_BUY, TRADE_NUMBERS, tradeNumbersAt } from './spill-records.ts';
import { spillPath } from './scan-task.ts';

/**
 * The compute phase for one partition: gather its investors from every scan task's spill,
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
  /**
   * Return the partition's compensation.csv lines in the result (`output`) instead of writing
   * them to its file, and write its rejects only if it has any: the thread that assembles the
   * outputs shares this process's memory.
   */
  outputInMemory?: boolean | undefined;
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
  /** The task's spill for this partition when it was kept in memory; else it is read from its file. */
  chunks?: Uint8Array[] | undefined;
}

export interface PartitionResult {
  partition: number;
  investors: number;
  rejects: number;
  tally: TallyTotals;
  /** The first case-level error met, in investor order, if any. */
  error: { message: string; file: string | null; line: number | null; fix: string } | null;
  /** With `outputInMemory`: the partition's compensation.csv lines, in an ArrayBuffer of their own. */
  output?: Uint8Array | null;
}

/** Separates the sort keys of a partition's rejects lines (file rank, line) from the line itself. */
export const FIELD = '\u001f';

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
  bytes: Buffer;
  view: DataView;
  decoder: TextDecoder;
  checker: InvestorRowChecker;
}

export async function runPartitionTask(task: PartitionTask, lossCase: LossCase): Promise<PartitionResult> {
  const spills: Spill[] = task.sources.flatMap((source) => {
    const decoder = new TextDecoder(source.encoding);
    const checker = new InvestorRowChecker(source.kind, source.header, source.file);
    // Chunks hold whole records, so each reads as a spill of its own, in order.
    const chunks = source.chunks ?? [readFileSync(spillPath(task.workDir, source.task, task.partition))];
    return chunks.map((chunk) => {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      return { source, bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length), decoder, checker };
    });
  });
  // The body below never awaits, so no other partition task of this thread can take the
  // thread's scratch arrays while this one uses them.
  const groups = GROUPS.group(spills);
  const order = groups.inCodePointOrder();
  const reader = new InvestorReader(spills, groups, order, SCRATCH);

  const tally = new ResultTally();
  // The lines are kept as bytes, in one buffer of this thread, until the partition's file is written.
  startCompensationLines();
  let investors = 0;
  const sheets: string[] = [];
  const rejects: (RejectedRow & { fileRank: number })[] = [];
  let error: PartitionResult['error'] = null;
  for (let k = 0; k < order.length; k++) {
    const group = order[k]!;
    // The investor's text is made here, in output order, and dropped with its row.
    const investor = groups.investorOf(group);
    const records = reader.read(group, investor, rejects);
    // Rows that name no investor are only reported; they make no compensation row.
    if (investor.length === 0) continue;
    try {
      if (task.sheets) {
        const steps: SheetStep[] = [];
        const result = computeInvestorLoss(records, lossCase, steps);
        const amounts = rowAmounts(result);
        tally.add(result.status, amounts);
        appendLine(compensationLine(result, amounts));
        sheets.push(`${JSON.stringify({ investor, sheet: buildCalculationSheet(result, steps, lossCase) })}\n`);
      } else {
        const compensation = appendCompensation(records, lossCase);
        tally.add(compensation.status, compensation.fen);
      }
      investors++;
    } catch (caught) {
      if (!(caught instanceof CaseError)) throw caught;
      error = { message: caught.message, file: caught.file, line: caught.line, fix: caught.fix };
      break;
    }
  }
  rejects.sort((a, b) => a.fileRank - b.fileRank || a.line - b.line);
  const lines = takeCompensationLines();
  // In memory, a copy: the lines lie in this thread's buffer, which its next partition reuses.
  // Writing each partition's file, then reading it back to assemble compensation.csv, had cost
  // the kernel two more copies of every line and a file per partition.
  const output = task.outputInMemory === true ? new Uint8Array(lines) : null;
  if (output === null) writeFileSync(partitionOutputPath(task.workDir, task.partition), lines);
  if (task.sheets) writeFileSync(partitionSheetsPath(task.workDir, task.partition), sheets.join(''));
  if (task.outputInMemory !== true || rejects.length > 0) {
    writeFileSync(
      partitionRejectsPath(task.workDir, task.partition),
      rejects.map((row) => `${row.fileRank}${FIELD}${row.line}${FIELD}${rejectLine(row)}`).join(''),
    );
  }
  return { partition: task.partition, investors, rejects: rejects.length, tally: { counts: tally.counts, totals: tally.totals }, error, output };
}

/**
 * The partition's records grouped by investor, found without making a string per row: an
 * open-addressing hash table over the investors' UTF-8 keys (hashed and compared four bytes at
 * a time, and copied into one compact buffer so that comparing them stays in cache). Each record's group is noted in
 * file order, with how many parsed trades each group has, and rows for the checker are chained
 * per group. Everything is in typed arrays: holding a partition as objects would make them
 * survive into the old generation of the heap, where collecting them costs most.
 */
class InvestorGroups {
  /** Groups so far: one per investor. */
  count = 0;
  /** Per record, in spill order (spill by spill): its group. */
  recordGroup = new Int32Array(4096);
  records = 0;
  /** Per group: its parsed trades, and its first row for the checker (-1 when none). */
  tradeCount = new Int32Array(1024);
  firstRow = new Int32Array(1024);
  private lastRow = new Int32Array(1024);
  /** Rows for the checker: where each is (spill, offset) and the next of its group. */
  rowSpill = new Int32Array(256);
  rowAt = new Int32Array(256);
  nextRow = new Int32Array(256);
  private rows = 0;
  private keyStart = new Int32Array(1024);
  private keyLength = new Int32Array(1024);
  private groupHash = new Int32Array(1024);
  private keys = Buffer.allocUnsafe(1 << 16);
  private keysView = new DataView(this.keys.buffer, this.keys.byteOffset, this.keys.length);
  private keysUsed = 0;
  private table = new Int32Array(4096);

  /**
   * Groups the records of `spills`, forgetting any earlier partition's. The arrays are kept,
   * grown as needed, from one partition to the next: fresh ones per partition cost page faults
   * and repeated growth.
   */
  group(spills: Spill[]): this {
    this.count = 0;
    this.records = 0;
    this.rows = 0;
    this.keysUsed = 0;
    this.table.fill(0);
    for (let s = 0; s < spills.length; s++) {
      const { bytes, view } = spills[s]!;
      for (let at = 0; at < bytes.length; ) {
        // The record's key and end, read once (recordEnd and keyStartOf/keyEndOf, inlined).
        const trade = isTradeRecord(bytes[at]!);
        const keyStart = at + (trade ? 6 : 9);
        const keyEnd = trade ? keyStart + bytes[at + 5]! : keyStart + readU32(bytes, at + 5);
        const group = this.groupOf(bytes, view, keyStart, keyEnd - keyStart);
        if (this.records === this.recordGroup.length) this.recordGroup = grown(this.recordGroup);
        this.recordGroup[this.records++] = group;
        if (trade) this.tradeCount[group]!++;
        else this.addRow(group, s, at);
        at = trade ? tradeNumbersAt(bytes, keyEnd) + TRADE_NUMBERS : keyEnd + 4 + readU32(bytes, keyEnd);
      }
    }
    return this;
  }

  private groupOf(bytes: Uint8Array, view: DataView, start: number, length: number): number {
    const hash = hashKey(bytes, view, start, start + length);
    const mask = this.table.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) break;
      const group = entry - 1;
      if (this.groupHash[group] === hash && this.keyLength[group] === length && this.sameKey(group, bytes, view, start, length)) return group;
      slot = (slot + 1) & mask;
    }
    const group = this.count++;
    if (group === this.tradeCount.length) this.growGroups();
    if (this.keysUsed + length > this.keys.length) {
      const larger = Buffer.allocUnsafe(Math.max(this.keys.length * 2, this.keysUsed + length));
      this.keys.copy(larger, 0, 0, this.keysUsed);
      this.keys = larger;
      this.keysView = new DataView(larger.buffer, larger.byteOffset, larger.length);
    }
    for (let i = 0; i < length; i++) this.keys[this.keysUsed + i] = bytes[start + i]!;
    this.keyStart[group] = this.keysUsed;
    this.keysUsed += length;
    this.keyLength[group] = length;
    this.groupHash[group] = hash;
    this.tradeCount[group] = 0;
    this.firstRow[group] = -1;
    this.table[slot] = group + 1;
    if (2 * this.count > this.table.length) this.rehash();
    return group;
  }

  private sameKey(group: number, bytes: Uint8Array, view: DataView, start: number, length: number): boolean {
    const keys = this.keys;
    const keysView = this.keysView;
    const keyStart = this.keyStart[group]!;
    let i = 0;
    for (; i + 4 <= length; i += 4) if (keysView.getInt32(keyStart + i, true) !== view.getInt32(start + i, true)) return false;
    for (; i < length; i++) if (keys[keyStart + i] !== bytes[start + i]) return false;
    return true;
  }

  /** The investor of a group, as text. */
  investorOf(group: number): string {
    const start = this.keyStart[group]!;
    return keyText(this.keys, start, start + this.keyLength[group]!);
  }

  private addRow(group: number, spill: number, at: number): void {
    if (this.rows === this.rowAt.length) {
      this.rowSpill = grown(this.rowSpill);
      this.rowAt = grown(this.rowAt);
      this.nextRow = grown(this.nextRow);
    }
    const row = this.rows++;
    this.rowSpill[row] = spill;
    this.rowAt[row] = at;
    this.nextRow[row] = -1;
    if (this.firstRow[group] === -1) this.firstRow[group] = row;
    else this.nextRow[this.lastRow[group]!] = row;
    this.lastRow[group] = row;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let group = 0; group < this.count; group++) {
      let slot = this.groupHash[group]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = group + 1;
    }
    this.table = table;
  }

  private growGroups(): void {
    this.tradeCount = grown(this.tradeCount);
    this.firstRow = grown(this.firstRow);
    this.lastRow = grown(this.lastRow);
    this.keyStart = grown(this.keyStart);
    this.keyLength = grown(this.keyLength);
    this.groupHash = grown(this.groupHash);
  }

  /** Group numbers in the order of their investors' code points, the order of the output. */
  inCodePointOrder(): Int32Array {
    const byKeys = radixKeyOrder(this.keys, this.keyStart, this.keyLength, this.count);
    if (byKeys !== null) return byKeys;
    const investors = Array.from({ length: this.count }, (_, group) => this.investorOf(group));
    const order = Array.from({ length: this.count }, (_, group) => group);
    // Without surrogates (always, for ASCII ids) UTF-16 order is code-point order, and the
    // engine's own string comparison is several times cheaper than compareCodePoints.
    if (investors.some((investor) => /[\ud800-\udfff]/.test(investor))) order.sort((a, b) => compareCodePoints(investors[a]!, investors[b]!));
    else order.sort((a, b) => (investors[a]! < investors[b]! ? -1 : investors[a]! > investors[b]! ? 1 : 0));
    return Int32Array.from(order);
  }
}

/**
 * A hash of the key bytes [start, end), four at a time (a multiply and a shift per word, mixed at
 * the end): the table's slot is its low bits.
 */
function hashKey(bytes: Uint8Array, view: DataView, start: number, end: number): number {
  let hash = 0x811c9dc5 ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    hash = Math.imul(hash ^ view.getInt32(i, true), 0x9e3779b1);
    hash ^= hash >>> 15;
  }
  for (; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0x85ebca6b);
  return hash ^ (hash >>> 16);
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T): T {
  const larger = new (array.constructor as new (length: number) => T)(array.length * 2);
  larger.set(array);
  return larger;
}

/** An investor key (UTF-8) as text: ASCII bytes directly, anything else decoded. */
function keyText(bytes: Uint8Array, start: number, end: number): string {
  const buffer = bytes as Buffer;
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return buffer.toString('utf8', start, end);
  return buffer.toString('latin1', start, end);
}

/**
 * Typed arrays a thread reuses from one partition to the next, by name, grown as needed and
 * never shrunk; their contents are stale, so a user writes every entry it reads. The columns
 * of a partition are some 5 MB for 6 MB of input: allocated fresh per partition, they cost the
 * kernel a page fault per 4 KiB (about 50,000 for a million investors) and the heap collections
 * that their external memory sets off. The engine reads columns by index, within [start, end),
 * so arrays longer than the partition serve as they are (TradeColumns).
 */
class ColumnScratch {
  private readonly arrays = new Map<string, Float64Array | Int32Array | Uint8Array>();

  float64(name: string, length: number): Float64Array {
    return this.take(name, length, Float64Array);
  }

  int32(name: string, length: number): Int32Array {
    return this.take(name, length, Int32Array);
  }

  uint8(name: string, length: number): Uint8Array {
    return this.take(name, length, Uint8Array);
  }

  private take<T extends Float64Array | Int32Array | Uint8Array>(name: string, length: number, type: new (length: number) => T): T {
    let array = this.arrays.get(name) as T | undefined;
    if (array === undefined || array.length < length) {
      // A quarter more than asked, so that slightly larger partitions do not each grow it again.
      array = new type(Math.max(1024, length + (length >> 2)));
      this.arrays.set(name, array);
    }
    return array;
  }
}

/** This thread's grouping state and column arrays, reused by its partition tasks one after another. */
const GROUPS = new InvestorGroups();
const SCRATCH = new ColumnScratch();

/** Column arrays that the reader fills; TradeColumns as the engine reads them. */
interface PartitionColumns {
  line: Float64Array;
  timeKey: Float64Array;
  epochDay: Int32Array;
  isBuy: Uint8Array;
  quantity: Float64Array;
  priceMilli: Float64Array;
}

/**
 * The investors' records, ready for the engine. Parsed trades are laid out in columns by a
 * counting sort — each investor's trades together, investors in output order, each in file
 * order — in one sequential pass over the spills, so no record is read out of place (an
 * investor's rows lie far apart in a file in time order, and fetching them one by one was
 * dominated by cache misses). The engine's fast path reads the columns; trade objects are made
 * only when the engine asks for them. Every other row is judged by the row checker, as every
 * reader of the files does, and delivered or rejected.
 */
class InvestorReader {
  private readonly spills: Spill[];
  private readonly groups: InvestorGroups;
  private readonly columns: PartitionColumns;
  /** Per trade: its record (spill, offset), where its account is read from. */
  private readonly tradeSpill: Int32Array;
  private readonly tradeAt: Int32Array;
  /** Per group: where its trades start in the columns. */
  private readonly tradeStart: Int32Array;

  constructor(spills: Spill[], groups: InvestorGroups, order: Int32Array, scratch: ColumnScratch) {
    this.spills = spills;
    this.groups = groups;
    const tradeStart = scratch.int32('tradeStart', groups.count);
    let total = 0;
    for (let k = 0; k < order.length; k++) {
      const group = order[k]!;
      tradeStart[group] = total;
      total += groups.tradeCount[group]!;
    }
    this.tradeStart = tradeStart;
    // Entries [0, total) of each array are written below, each once, before any is read.
    const columns: PartitionColumns = {
      line: scratch.float64('line', total), timeKey: scratch.float64('timeKey', total), epochDay: scratch.int32('epochDay', total),
      isBuy: scratch.uint8('isBuy', total), quantity: scratch.float64('quantity', total), priceMilli: scratch.float64('priceMilli', total),
    };
    this.columns = columns;
    this.tradeSpill = scratch.int32('tradeSpill', total);
    this.tradeAt = scratch.int32('tradeAt', total);
    const cursor = scratch.int32('cursor', groups.count);
    cursor.set(tradeStart.subarray(0, groups.count));
    let record = 0;
    let dayStartKey = Number.NaN;
    let day = 0;
    for (let s = 0; s < spills.length; s++) {
      const { bytes, view, source } = spills[s]!;
      for (let at = 0; at < bytes.length; record++) {
        const kind = bytes[at]!;
        if (!isTradeRecord(kind)) {
          at = recordEnd(bytes, at);
          continue;
        }
        // A trade record's key length is a byte (keyEndOf, inlined).
        const keyEnd = at + 6 + bytes[at + 5]!;
        const numbers = tradeNumbersAt(bytes, keyEnd);
        const p = cursor[groups.recordGroup[record]!]!++;
        const timeKey = view.getFloat64(numbers, true);
        columns.line[p] = source.lineOffset + view.getUint32(at + 1, true);
        columns.timeKey[p] = timeKey;
        columns.quantity[p] = view.getUint32(numbers + 8, true);
        columns.priceMilli[p] = view.getUint32(numbers + 12, true);
        // A spill is in file order, mostly time order: most trades fall on the day before them.
        if (!(timeKey >= dayStartKey && timeKey < dayStartKey + DAY_KEYS)) {
          dayStartKey = Math.floor(timeKey / DAY_KEYS) * DAY_KEYS;
          day = epochDayOfKey(timeKey);
        }
        columns.epochDay[p] = day;
        columns.isBuy[p] = kind === TRADE_BUY ? 1 : 0;
        this.tradeSpill[p] = s;
        this.tradeAt[p] = keyEnd;
        at = numbers + 16;
      }
    }
  }

  read(group: number, investor: string, rejects: (RejectedRow & { fileRank: number })[]): InvestorRecords {
    const start = this.tradeStart[group]!;
    const end = start + this.groups.tradeCount[group]!;
    this.sortColumns(start, end);
    const columns: TradeColumns = { start, end, line: this.columns.line, timeKey: this.columns.timeKey, epochDay: this.columns.epochDay, isBuy: this.columns.isBuy, quantity: this.columns.quantity, priceMilli: this.columns.priceMilli };
    if (this.groups.firstRow[group] === -1) return new ColumnRecords(investor, null, null, NO_BAD_ROWS, columns, this);

    const builder = new InvestorRecordsBuilder(investor);
    let checkedTrades = 0;
    const { groups } = this;
    for (let row = groups.firstRow[group]!; row >= 0; row = groups.nextRow[row]!) {
      const spill = this.spills[groups.rowSpill[row]!]!;
      const at = groups.rowAt[row]!;
      const bytes = spill.bytes;
      const line = spill.source.lineOffset + readU32(bytes, at + 1);
      const keyEnd = keyEndOf(bytes, at);
      const rowStart = keyEnd + 4;
      const rowEnd = rowStart + readU32(bytes, keyEnd);
      const text = bytes[at] === ROW_ASCII ? bytes.toString('latin1', rowStart, rowEnd) : spill.decoder.decode(bytes.subarray(rowStart, rowEnd));
      const fields = splitCsvLine(text);
      const { problem } = spill.checker.check(text, fields, line);
      if (problem === null) {
        spill.checker.deliver(investor, fields!, line, builder);
        if (spill.source.kind === 'trades') checkedTrades++;
      } else {
        const row = { file: spill.source.file, line, investor, reason: problem };
        builder.bad(row);
        rejects.push({ ...row, fileRank: spill.source.fileRank });
      }
    }
    const gathered = builder.records();
    // Rows of the other files, or bad rows: the parsed trades are still all the trades.
    if (checkedTrades === 0) return new ColumnRecords(investor, gathered.holdings, gathered.ratio, gathered.badRows, columns, this);
    // Some valid trades took the checker's path: all trades become objects, in walk order.
    return { ...gathered, trades: sortTrades([...gathered.trades, ...this.trades(start, end)]) };
  }

  /** Puts an investor's column trades in walk order (time, then line) when the files did not already. */
  private sortColumns(start: number, end: number): void {
    const { timeKey, line } = this.columns;
    let sorted = true;
    for (let i = start + 1; i < end && sorted; i++) {
      sorted = timeKey[i - 1]! < timeKey[i]! || (timeKey[i - 1] === timeKey[i] && line[i - 1]! < line[i]!);
    }
    if (sorted) return;
    const order = Array.from({ length: end - start }, (_, i) => start + i).sort((a, b) => timeKey[a]! - timeKey[b]! || line[a]! - line[b]!);
    const permute = (array: Float64Array | Int32Array | Uint8Array) => {
      const copy = array.slice(start, end);
      for (let i = 0; i < order.length; i++) array[start + i] = copy[order[i]! - start]!;
    };
    const c = this.columns;
    for (const array of [c.line, c.timeKey, c.epochDay, c.isBuy, c.quantity, c.priceMilli, this.tradeSpill, this.tradeAt]) permute(array);
  }

  /** Column trades [start, end) as trade objects, for the engine's general path, sheets and causes. */
  trades(start: number, end: number): Trade[] {
    const c = this.columns;
    const trades: Trade[] = [];
    for (let i = start; i < end; i++) {
      const bytes = this.spills[this.tradeSpill[i]!]!.bytes;
      const accountStart = this.tradeAt[i]! + 1;
      const time = timeOfKey(c.timeKey[i]!);
      trades.push({
        line: c.line[i]!,
        account: bytes.toString('latin1', accountStart, accountStart + bytes[accountStart - 1]!),
        time,
        timeKey: c.timeKey[i]!,
        date: time.slice(0, 10),
        side: c.isBuy[i] === 1 ? 'B' : 'S',
        quantity: Rational.fromInteger(c.quantity[i]!),
        price: Rational.of(c.priceMilli[i]!, 1000),
      });
    }
    return trades;
  }
}

const NO_BAD_ROWS: readonly RejectedRow[] = [];

/** An investor's records whose trades are columns; the trade objects are made once, if the engine asks. */
class ColumnRecords implements InvestorRecords {
  readonly investor: string;
  readonly holdings: Rational | null;
  readonly ratio: Rational | null;
  readonly badRows: readonly RejectedRow[];
  readonly columns: TradeColumns;
  private readonly reader: InvestorReader;
  private made: Trade[] | null = null;

  constructor(investor: string, holdings: Rational | null, ratio: Rational | null, badRows: readonly RejectedRow[], columns: TradeColumns, reader: InvestorReader) {
    this.investor = investor;
    this.holdings = holdings;
    this.ratio = ratio;
    this.badRows = badRows;
    this.columns = columns;
    this.reader = reader;
  }

  get trades(): readonly Trade[] {
    return (this.made ??= this.reader.trades(this.columns.start, this.columns.end));
  }
}

/** The epoch day of a time key's date (YYYYMMDD × 100000 + seconds): arithmetic is cheaper than spilling it. */
