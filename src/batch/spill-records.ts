import { closeSync, openSync, writeSync } from 'node:fs';
import { compareCodePoints } from '../domain/code-point-order.ts';

/**
 * The spill files between the two phases of a computation. The scan phase validates rows and
 * appends each to the partition of its investor; the compute phase reads one partition at a time,
 * so memory is bounded by the largest partition rather than by the whole input.
 *
 * One file per scan task and partition; one record per line, fields separated by U+001F (unit
 * separator), which the scan phase refuses inside a row:
 *   T line investor <the trades.csv row as read>      a valid trade
 *   H line investor <the holdings.csv row as read>    a valid holdings row
 *   Q line investor <the ratios.csv row as read>      a valid ratio row
 *   X line investor file reason                       a bad row naming an investor
 * `line` is counted within the scan task; the compute phase adds the task's line offset. Valid
 * rows are kept as text so the scan phase does no more than check them; the compute phase splits
 * them again, one investor at a time, with the columns of their file's header.
 */
export const FIELD = '\u001f';

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

/** Buffered appenders, one file per partition, written synchronously (each task runs on its own thread). */
export class SpillWriter {
  private readonly buffers: string[];
  private readonly descriptors: (number | null)[];
  private readonly paths: string[];
  static readonly FLUSH_AT = 256 * 1024;

  constructor(pathOf: (partition: number) => string, partitions: number) {
    this.buffers = new Array<string>(partitions).fill('');
    this.descriptors = new Array<number | null>(partitions).fill(null);
    this.paths = Array.from({ length: partitions }, (_, partition) => pathOf(partition));
  }

  append(partition: number, record: string): void {
    const buffered = this.buffers[partition]! + record;
    if (buffered.length >= SpillWriter.FLUSH_AT) {
      this.write(partition, buffered);
      this.buffers[partition] = '';
    } else {
      this.buffers[partition] = buffered;
    }
  }

  private write(partition: number, text: string): void {
    let descriptor = this.descriptors[partition]!;
    if (descriptor === null) {
      descriptor = openSync(this.paths[partition]!, 'w');
      this.descriptors[partition] = descriptor;
    }
    writeSync(descriptor, text);
  }

  /** Flushes and closes; returns which partitions received any record. */
  close(): boolean[] {
    const written: boolean[] = [];
    this.buffers.forEach((text, partition) => {
      if (text.length > 0) this.write(partition, text);
      const descriptor = this.descriptors[partition];
      if (descriptor !== null && descriptor !== undefined) closeSync(descriptor);
      written.push(descriptor !== null && descriptor !== undefined);
    });
    return written;
  }
}
