import { closeSync, openSync, readSync } from 'node:fs';
import { splitCsvLine, type CsvEncoding } from '../io/csv-scan.ts';

/**
 * Splitting a large CSV file into byte ranges that threads scan independently. A range always
 * starts just after a newline and ends just after one (or at the end of the file), so no line is
 * cut. This is safe for UTF-8 and GB18030 alike: byte 0x0A never occurs inside a multi-byte
 * character of either encoding.
 */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Ranges of about `targetBytes`; with `taper`, the file's last 2 × targetBytes come in ranges of
 * a quarter of that, so that threads that take ranges as they go end the scan together (the
 * threads wait for the last range before computing partitions).
 */
export async function splitAtNewlines(path: string, size: number, targetBytes: number, taper = false): Promise<ByteRange[]> {
  const tail = taper ? Math.min(size, 2 * targetBytes) : 0;
  const headCount = Math.ceil((size - tail) / targetBytes);
  const tailCount = tail === 0 ? 0 : Math.max(1, Math.ceil(tail / Math.max(1, Math.floor(targetBytes / 4))));
  // Where each range should start, before moving to the next newline.
  const targets: number[] = [];
  for (let i = 1; i < headCount; i++) targets.push(Math.floor(((size - tail) * i) / headCount));
  for (let i = headCount > 0 ? 0 : 1; i < tailCount; i++) targets.push(size - tail + Math.floor((tail * i) / tailCount));
  // Synchronous reads: a few dozen small ones, each far cheaper than a promise's round trip
  // through the thread pool, which the input hashes keep busy meanwhile (80 ms, against 3).
  const descriptor = openSync(path, 'r');
  try {
    const cuts = [0];
    const probe = Buffer.alloc(64 * 1024);
    for (const target of targets) {
      let position = Math.max(target, cuts.at(-1)!);
      let cut = -1;
      while (cut < 0 && position < size) {
        const bytesRead = readSync(descriptor, probe, 0, probe.length, position);
        if (bytesRead === 0) break;
        const newline = probe.subarray(0, bytesRead).indexOf(10);
        if (newline >= 0) cut = position + newline + 1;
        position += bytesRead;
      }
      if (cut < 0 || cut >= size) break;
      if (cut > cuts.at(-1)!) cuts.push(cut);
    }
    cuts.push(size);
    return cuts.slice(0, -1).map((start, i) => ({ start, end: cuts[i + 1]! }));
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Investor ids read from evenly spaced samples of the file, to choose partition boundaries that
 * give partitions of similar size. Only the balance of the work depends on the sample, never the
 * result.
 */
export async function sampleInvestors(path: string, size: number, encoding: CsvEncoding, investorColumn: number, samples: number): Promise<string[]> {
  const found: string[] = [];
  // One investor per sample, from the first whole line after the sample's position: an even
  // spread of samples is what balances the partitions, not the number of lines read. Reads are
  // synchronous: thousands of small reads, each far cheaper than a promise's round trip.
  const descriptor = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(4 * 1024);
    const decoder = new TextDecoder(encoding);
    for (let i = 0; i < samples; i++) {
      const bytesRead = readSync(descriptor, buffer, 0, buffer.length, Math.floor((size * i) / samples));
      let start = buffer.indexOf(10) + 1;
      while (start > 0 && start < bytesRead) {
        const end = buffer.indexOf(10, start);
        if (end < 0 || end >= bytesRead) break;
        const investor = splitCsvLine(decoder.decode(buffer.subarray(start, end)).replace(/\r$/, ''))?.[investorColumn];
        if (investor) {
          found.push(investor);
          break;
        }
        start = end + 1;
      }
    }
  } finally {
    closeSync(descriptor);
  }
  return found;
}
