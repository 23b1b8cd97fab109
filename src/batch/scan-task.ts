import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { TextDecoder } from 'node:util';
import type { CsvEncoding } from '../io/csv-scan.ts';
import { InvestorRowChecker, type InvestorFileKind } from '../io/investor-files.ts';
import { splitCsvLine } from '../io/csv-scan.ts';
import type { ByteRange } from './byte-ranges.ts';
import { InvestorPartitioner, SpillWriter } from './spill-records.ts';

/**
 * The scan phase of a computation: one task reads one byte range of trades.csv (or the whole of
 * holdings.csv or ratios.csv), cuts it into lines, finds each line's investor and appends the
 * line, as bytes, to that investor's partition. Nothing is decoded or checked here: the compute
 * phase checks every row, so this phase runs at the speed of reading bytes.
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
}

export interface ScanResult {
  task: number;
  /** Lines in the range, the header included when the range starts with it. */
  lines: number;
  /** The partitions this task wrote a spill file for. */
  partitions: number[];
}

export function spillPath(workDir: string, task: number, partition: number): string {
  return join(workDir, `scan-${task}-part-${partition}.rec`);
}

const READ_BYTES = 4 << 20;
const SPILL_MEMORY = 32 << 20;

export async function runScanTask(task: ScanTask): Promise<ScanResult> {
  const partitioner = new InvestorPartitioner(task.boundaries);
  const spill = new SpillWriter(
    (partition) => spillPath(task.workDir, task.task, partition),
    partitioner.count,
    Math.max(64 << 10, Math.min(1 << 20, Math.floor(SPILL_MEMORY / partitioner.count))),
  );
  const checker = new InvestorRowChecker(task.kind, task.header, task.file);
  const investorAt = checker.columns['investor']!;
  const decoder = new TextDecoder(task.encoding);
  const single = partitioner.count === 1;

  let buffer = Buffer.allocUnsafe(READ_BYTES);
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
        // One pass over the line's bytes finds its end, the investor field and any quote.
        let cursor = start;
        let commas = 0;
        let investorStart = investorAt === 0 ? start : -1;
        let investorEnd = -1;
        let quoted = false;
        let high = 0;
        while (cursor < filled) {
          const byte = buffer[cursor]!;
          if (byte === 10) break;
          high |= byte;
          if (byte === 44) {
            commas++;
            if (commas === investorAt) investorStart = cursor + 1;
            else if (commas === investorAt + 1) investorEnd = cursor;
          } else if (byte === 34) {
            quoted = true;
          }
          cursor++;
        }
        if (cursor >= filled && !atEnd) break;
        if (cursor >= filled && start >= filled) break;
        let rowEnd = cursor;
        if (rowEnd > start && buffer[rowEnd - 1] === 13) rowEnd--;
        // The file's final newline (or a final lone CR) ends the last line; it does not start one.
        if (cursor >= filled && rowEnd === start) break;
        line++;
        if (!(line === 1 && task.startsWithHeader)) {
          if (investorStart < 0) investorStart = investorEnd = rowEnd;
          else if (investorEnd < 0 || investorEnd > rowEnd) investorEnd = rowEnd;
          if (quoted) {
            // Rare: a quoted field. The investor is found as the row checker finds it, so the row
            // lands in the partition where its investor's other rows are.
            const text = decoder.decode(buffer.subarray(start, rowEnd));
            const investor = checker.investorOf(text, splitCsvLine(text));
            spill.appendQuoted(single ? 0 : partitioner.partitionOf(investor), line, high < 0x80, buffer, start, rowEnd);
          } else {
            const partition = single ? 0 : partitioner.partitionOf(decodeInvestor(buffer, investorStart, investorEnd, decoder));
            spill.append(partition, line, high < 0x80, buffer, investorStart, investorEnd, start, rowEnd);
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
      } else {
        buffer.copy(buffer, 0, start, filled);
      }
      filled = rest;
    }
  } finally {
    closeSync(descriptor);
  }
  const written = spill.close();
  return { task: task.task, lines: line, partitions: written.flatMap((wrote, partition) => (wrote ? [partition] : [])) };
}

/** The investor field as text: ASCII bytes directly, anything else through the file's decoder. */
function decodeInvestor(buffer: Buffer, start: number, end: number, decoder: TextDecoder): string {
  for (let i = start; i < end; i++) if (buffer[i]! >= 0x80) return decoder.decode(buffer.subarray(start, end));
  return buffer.toString('latin1', start, end);
}
