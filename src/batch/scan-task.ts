import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { TextDecoder } from 'node:util';
import type { CsvEncoding } from '../io/csv-scan.ts';
import { InvestorRowChecker, type InvestorFileKind } from '../io/investor-files.ts';
import { splitCsvLine } from '../io/csv-scan.ts';
import type { ByteRange } from './byte-ranges.ts';
import { columnKinds, parseTradeFields, plainTradeRowParser, type ParsedTradeFields, type PlainTradeRow } from '../io/trade-row-bytes.ts';
import { InvestorPartitioner, SpillWriter } from './spill-records.ts';

/**
 * The scan phase of a computation: one task reads one byte range of trades.csv (or the whole of
 * holdings.csv or ratios.csv), cuts it into lines, finds each line's investor and appends a
 * record of the line to that investor's partition (spill-records.ts). A plain trades row is
 * checked and parsed here, from its bytes, into a compact trade record — most in one pass by
 * parsePlainTradeRow, the rest after the general scan has found their fields; any other row goes
 * as its bytes, for the row checker of the compute phase to judge.
 *
 * Working on bytes is exact for both encodings we read: in UTF-8 and in GB18030 the bytes of a
 * line break, a comma and a double quote never occur inside a multi-byte character.
 */
export interface ScanTask {
  task: number;
  kind: InvestorFileKind;
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
  /** Keep the spill in memory and return it, instead of writing files under workDir. */
  spillToMemory: boolean;
  /** Bytes of the buffer per partition; by default a share of SPILL_MEMORY. */
  spillBufferBytes?: number | undefined;
  /**
   * Whether plain trades rows are read by the one-pass parser (parsePlainTradeRow) before the
   * general scan; true unless a test turns it off to show that both give the same spill.
   */
  plainRows?: boolean | undefined;
}

export interface ScanResult {
  task: number;
  /** Lines in the range, the header included when the range starts with it. */
  lines: number;
  /** The partitions this task spilled any record into. */
  partitions: number[];
  /** With spillToMemory: each partition's spill, as chunks of whole records; else null. */
  chunks: Uint8Array[][] | null;
}

export function spillPath(workDir: string, task: number, partition: number): string {
  return join(workDir, `scan-${task}-part-${partition}.rec`);
}

const READ_BYTES = 4 << 20;
const SPILL_MEMORY = 32 << 20;

/**
 * The read buffer of this thread's scan tasks, one after another (grown for a line longer than
 * it): a fresh one per task cost a page fault per 4 KiB, a tenth of the run's.
 */
let readBuffer = Buffer.allocUnsafe(READ_BYTES);

export async function runScanTask(task: ScanTask): Promise<ScanResult> {
  const partitioner = new InvestorPartitioner(task.boundaries);
  const spill = new SpillWriter(
    task.spillToMemory ? null : (partition) => spillPath(task.workDir, task.task, partition),
    partitioner.count,
    task.spillBufferBytes ?? Math.max(64 << 10, Math.min(1 << 20, Math.floor(SPILL_MEMORY / partitioner.count))),
  );
  const checker = new InvestorRowChecker(task.kind, task.header, task.file);
  const columns = checker.columns;
  const investorAt = columns['investor']!;
  const width = checker.width;
  const tradeColumns = task.kind === 'trades'
    ? { account: columns['account']!, time: columns['time']!, side: columns['side']!, quantity: columns['quantity']!, price: columns['price']! }
    : null;
  const decoder = new TextDecoder(task.encoding);
  const utf8 = task.encoding !== 'gb18030';
  const single = partitioner.count === 1;
  // Where each field of the current line starts and ends; a line with more fields than the
  // header stops recording at `width` and is left to the checker.
  const fieldStart = new Int32Array(width + 1);
  const fieldEnd = new Int32Array(width + 1);
  const parsed: ParsedTradeFields = { timeKey: 0, isBuy: false, quantity: 0, priceMilli: 0 };
  const plainKinds = tradeColumns !== null && task.plainRows !== false ? columnKinds(width, { investor: investorAt, ...tradeColumns }) : null;
  const parsePlainTradeRow = plainKinds === null ? null : plainTradeRowParser(plainKinds);
  const plain: PlainTradeRow = { timeKey: 0, isBuy: false, quantity: 0, priceMilli: 0, keyStart: 0, keyEnd: 0, accountStart: 0, accountEnd: 0 };

  // The body never awaits, so no other scan task of this thread takes the buffer meanwhile.
  let buffer = readBuffer;
  let bufferView = viewOf(buffer);
  let filled = 0;
  let position = task.range.start;
  let line = 0;
  const descriptor = openSync(task.path, 'r');
  try {
    for (;;) {
      const toRead = Math.min(buffer.length - filled, task.range.end - position);
      const bytesRead = toRead > 0 ? readSync(descriptor, buffer, filled, toRead, position) : 0;
      position += bytesRead;
      filled += bytesRead;
      const atEnd = position >= task.range.end || bytesRead === 0;
      let start = 0;
      for (;;) {
        if (parsePlainTradeRow !== null && !(line === 0 && task.startsWithHeader)) {
          const newline = parsePlainTradeRow(buffer, start, filled, plainKinds!, plain);
          if (newline >= 0) {
            const partition = single ? 0 : partitioner.partitionOfKey(buffer, plain.keyStart, plain.keyEnd);
            if (spill.appendTrade(partition, line + 1, buffer, bufferView, plain.keyStart, plain.keyEnd, buffer, bufferView, plain.accountStart, plain.accountEnd, plain)) {
              line++;
              start = newline + 1;
              continue;
            }
          }
        }
        // One pass over the line's bytes finds its end, its fields, and any quote, control
        // character or non-ASCII byte.
        let cursor = start;
        let fields = 0;
        let quoted = false;
        let high = 0;
        let controls = 0;
        fieldStart[0] = start;
        while (cursor < filled) {
          const byte = buffer[cursor]!;
          if (byte === 10) break;
          high |= byte;
          // Digits and letters, most of a row, take one comparison.
          if (byte < 48) {
            if (byte === 44) {
              if (fields < width) {
                fieldEnd[fields] = cursor;
                fieldStart[++fields] = cursor + 1;
              } else {
                fields = width + 1;
              }
            } else if (byte === 34) {
              quoted = true;
            } else if (byte < 32) {
              controls++;
            }
          }
          cursor++;
        }
        if (cursor >= filled && !atEnd) break;
        if (cursor >= filled && start >= filled) break;
        let rowEnd = cursor;
        if (rowEnd > start && buffer[rowEnd - 1] === 13) {
          // The CR before the newline is not part of the row; any other control character is.
          rowEnd--;
          controls--;
        }
        if (fields <= width) fieldEnd[fields] = rowEnd;
        // The file's final newline (or a final lone CR) ends the last line; it does not start one.
        if (cursor >= filled && rowEnd === start) break;
        line++;
        if (!(line === 1 && task.startsWithHeader)) {
          const ascii = high < 0x80;
          if (quoted) {
            // Rare: a quoted field. The investor is found as the row checker finds it, so the row
            // lands in the partition where its investor's other rows are.
            const text = decoder.decode(buffer.subarray(start, rowEnd));
            const key = Buffer.from(checker.investorOf(text, splitCsvLine(text)), 'utf8');
            spill.appendRow(single ? 0 : partitioner.partitionOfKey(key, 0, key.length), line, key, 0, key.length, ascii, buffer, start, rowEnd);
          } else {
            // The investor's field, or none when the row is too short to have one.
            let keyStart = rowEnd;
            let keyEnd = rowEnd;
            if (investorAt <= Math.min(fields, width)) {
              keyStart = fieldStart[investorAt]!;
              keyEnd = investorAt < fields ? fieldEnd[investorAt]! : rowEnd;
            }
            let key: Uint8Array = buffer;
            // Whether every byte outside the investor's field is ASCII (it is, with `ascii`).
            let asciiBesideKey = ascii;
            if (!ascii) {
              let keyHigh = 0;
              for (let i = keyStart; i < keyEnd; i++) keyHigh |= buffer[i]!;
              if (keyHigh >= 0x80) {
                key = Buffer.from(decoder.decode(buffer.subarray(keyStart, keyEnd)), 'utf8');
                // UTF-8 decodes a field alone as it decodes it within its line, since every ASCII
                // byte ends a sequence; the key's bytes are then the investor's, ready for a
                // trade record, when the rest of the row is ASCII.
                asciiBesideKey = utf8 && isAscii(buffer, start, keyStart) && isAscii(buffer, keyEnd, rowEnd);
                keyStart = 0;
                keyEnd = key.length;
              }
            }
            const partition = single ? 0 : partitioner.partitionOfKey(key, keyStart, keyEnd);
            const asTrade =
              tradeColumns !== null && asciiBesideKey && controls === 0 && fields === width - 1 && keyEnd > keyStart &&
              parseTradeFields(buffer, fieldStart, fieldEnd, tradeColumns, parsed) &&
              spill.appendTrade(partition, line, key, key === buffer ? bufferView : viewOf(key), keyStart, keyEnd, buffer, bufferView, fieldStart[tradeColumns.account]!, fieldEnd[tradeColumns.account]!, parsed);
            if (!asTrade) spill.appendRow(partition, line, key, keyStart, keyEnd, ascii, buffer, start, rowEnd);
          }
        }
        start = cursor + 1;
        if (cursor >= filled) break;
      }
      if (atEnd) break;
      // Keep the partial last line at the front of the buffer; grow it for a line longer than the buffer.
      const rest = filled - start;
      if (rest === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger, 0, 0, rest);
        buffer = larger;
        bufferView = viewOf(buffer);
      } else {
        buffer.copy(buffer, 0, start, filled);
      }
      filled = rest;
    }
  } finally {
    closeSync(descriptor);
    readBuffer = buffer;
  }
  const written = spill.close();
  return {
    task: task.task, lines: line, partitions: written.flatMap((wrote, partition) => (wrote ? [partition] : [])),
    chunks: task.spillToMemory ? spill.memoryChunks() : null,
  };
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  let high = 0;
  for (let i = start; i < end; i++) high |= bytes[i]!;
  return high < 0x80;
}
