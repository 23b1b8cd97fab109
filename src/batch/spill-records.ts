import { closeSync, openSync, writeSync } from 'node:fs';
import { compareCodePoints } from '../domain/code-point-order.ts';

/**
 * The spill files between the two phases of a computation. The scan phase cuts rows out of the
 * input's bytes and appends each, untouched, to the partition of its investor; the compute phase
 * reads one partition at a time, so memory is bounded by the largest partition rather than by the
 * whole input.
 *
 * One file per scan task and partition. A record is
 *   <a|u> <line>  U+001F  <investor byte length>  U+001F  <investor bytes> <row bytes> \n
 * where `a` marks a row of ASCII bytes only (read as is) and `u` one that must be decoded,
 * `line` counts within the scan task (the compute phase adds the task's line offset), the
 * bytes are those of the input file in its own encoding, and the row cannot hold a line break.
 * For a row with a quote the investor is not cut out of the bytes: its length is written as `q`
 * and the compute phase reads the investor from the row itself.
 * Lengths rather than separators delimit the investor, so any byte of a bad row passes through to
 * be judged by the compute phase, which checks every row with the same checker as every reader.
 */
export const FIELD = '\u001f';
const FIELD_BYTE = 0x1f;

/** Investors are assigned to partitions by code-point ranges, so the partitions in order are the output in order. */
export class InvestorPartitioner {
  readonly boundaries: readonly string[];

  /** `boundaries[i]` is the first investor of partition i + 1; they must be sorted by code point. */
  constructor(boundaries: readonly string[]) {
    this.boundaries = boundaries;
  }

  static fromSample(sample: readonly string[], partitions: number): InvestorPartitioner {
    const distinct = [...new Set(sample)].sort(compareCodePoints);
    const boundaries: string[] = [];
    for (let i = 1; i < partitions && distinct.length > 0; i++) {
      const candidate = distinct[Math.floor((distinct.length * i) / partitions)]!;
      if (boundaries.length === 0 || compareCodePoints(candidate, boundaries.at(-1)!) > 0) boundaries.push(candidate);
    }
    return new InvestorPartitioner(boundaries);
  }

  get count(): number {
    return this.boundaries.length + 1;
  }

  partitionOf(investor: string): number {
    let low = 0;
    let high = this.boundaries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareCodePoints(investor, this.boundaries[middle]!) >= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Buffered appenders of spill records, one file per partition, written synchronously (each task runs on its own thread). */
export class SpillWriter {
  private readonly buffers: Buffer[];
  private readonly used: number[];
  private readonly descriptors: (number | null)[];
  private readonly paths: string[];

  /** `bufferBytes` per partition: the scan's memory is partitions × bufferBytes. */
  constructor(pathOf: (partition: number) => string, partitions: number, bufferBytes: number) {
    this.buffers = Array.from({ length: partitions }, () => Buffer.allocUnsafe(bufferBytes));
    this.used = new Array<number>(partitions).fill(0);
    this.descriptors = new Array<number | null>(partitions).fill(null);
    this.paths = Array.from({ length: partitions }, (_, partition) => pathOf(partition));
  }

  /** Appends the record of the row `source[rowStart, rowEnd)` whose investor is `source[investorStart, investorEnd)`. */
  append(partition: number, line: number, ascii: boolean, source: Uint8Array, investorStart: number, investorEnd: number, rowStart: number, rowEnd: number): void {
    this.write(partition, line, ascii, source, investorStart, investorEnd, rowStart, rowEnd, false);
  }

  /** Appends the record of a row whose investor the compute phase reads from the row itself. */
  appendQuoted(partition: number, line: number, ascii: boolean, source: Uint8Array, rowStart: number, rowEnd: number): void {
    this.write(partition, line, ascii, source, rowStart, rowStart, rowStart, rowEnd, true);
  }

  private write(partition: number, line: number, ascii: boolean, source: Uint8Array, investorStart: number, investorEnd: number, rowStart: number, rowEnd: number, quoted: boolean): void {
    const investorLength = investorEnd - investorStart;
    const size = 25 + investorLength + (rowEnd - rowStart);
    let buffer = this.buffers[partition]!;
    let at = this.used[partition]!;
    if (at + size > buffer.length) {
      this.flush(partition);
      at = 0;
      if (size > buffer.length) this.buffers[partition] = buffer = Buffer.allocUnsafe(size * 2);
    }
    buffer[at++] = ascii ? 97 /* a */ : 117 /* u */;
    at = writeDigits(buffer, at, line);
    buffer[at++] = FIELD_BYTE;
    if (quoted) buffer[at++] = 113; // q
    else at = writeDigits(buffer, at, investorLength);
    buffer[at++] = FIELD_BYTE;
    buffer.set(source.subarray(investorStart, investorEnd), at);
    at += investorLength;
    buffer.set(source.subarray(rowStart, rowEnd), at);
    at += rowEnd - rowStart;
    buffer[at++] = 10;
    this.used[partition] = at;
  }

  private flush(partition: number): void {
    const used = this.used[partition]!;
    if (used === 0) return;
    let descriptor = this.descriptors[partition]!;
    if (descriptor === null) {
      descriptor = openSync(this.paths[partition]!, 'w');
      this.descriptors[partition] = descriptor;
    }
    let written = 0;
    while (written < used) written += writeSync(descriptor, this.buffers[partition]!, written, used - written);
    this.used[partition] = 0;
  }

  /** Flushes and closes; returns which partitions received any record. */
  close(): boolean[] {
    return this.descriptors.map((_, partition) => {
      this.flush(partition);
      const descriptor = this.descriptors[partition];
      if (descriptor !== null && descriptor !== undefined) closeSync(descriptor);
      return descriptor !== null && descriptor !== undefined;
    });
  }
}

/** Writes a non-negative integer as ASCII digits; returns the position after it. */
function writeDigits(buffer: Buffer, at: number, value: number): number {
  if (value < 10) {
    buffer[at] = 48 + value;
    return at + 1;
  }
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  for (let i = at + digits - 1; i >= at; i--) {
    buffer[i] = 48 + (value % 10);
    value = Math.floor(value / 10);
  }
  return at + digits;
}
