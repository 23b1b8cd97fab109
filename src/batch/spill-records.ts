import { closeSync, openSync, writeSync } from 'node:fs';
import type { ParsedTradeFields } from '../io/trade-row-bytes.ts';

/**
 * The spill files between the two phases of a computation. The scan phase reads each row once,
 * finds its investor and appends a record to the partition of that investor; the compute phase
 * reads one partition at a time, so memory is bounded by the largest partition rather than by
 * the whole input.
 *
 * One file per scan task and partition, of binary records (little-endian):
 *
 *   u8 kind | u32 line | u32 hash | u32 key length | key bytes | body
 *
 * `key` is the investor in UTF-8 — in every input encoding the same investor gets the same key,
 * and UTF-8 bytes sort in code-point order, the order of every output — and `hash` is its FNV-1a
 * hash, so the compute phase groups records without making a string per row. `line` counts within
 * the scan task (the compute phase adds the task's line offset). The body depends on the kind:
 *
 *   TRADE (a trades.csv row that parsed on the fast path, see trade-row-bytes.ts):
 *     u16 account length (the fast path takes accounts up to 65,535 bytes) | account bytes | f64 time key | f64 quantity | f64 price × 1000 | i32 epoch day | u8 is buy
 *   ROW_ASCII / ROW_ENCODED (any other row, judged by the row checker in the compute phase):
 *     u32 row length | the row's bytes in the file's encoding (ASCII only, or to be decoded)
 */
export const RecordKind = { TRADE: 1, ROW_ASCII: 2, ROW_ENCODED: 3 } as const;

/** Bytes of a record before its key. */
export const RECORD_HEAD = 13;
/** Bytes of a trade record's numbers after its account. */
export const TRADE_NUMBERS = 29;

/** FNV-1a over bytes [start, end): cheap, and spreads short ids well. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

/** Lexicographic comparison of byte strings: for UTF-8, the order of code points. */
export function compareBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number {
  const length = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < length; i++) {
    const difference = a[aStart + i]! - b[bStart + i]!;
    if (difference !== 0) return difference;
  }
  return aEnd - aStart - (bEnd - bStart);
}

/** Investors are assigned to partitions by code-point ranges, so the partitions in order are the output in order. */
export class InvestorPartitioner {
  readonly boundaries: readonly string[];
  private readonly boundaryBytes: Buffer[];

  /** `boundaries[i]` is the first investor of partition i + 1; they must be sorted by code point. */
  constructor(boundaries: readonly string[]) {
    this.boundaries = boundaries;
    this.boundaryBytes = boundaries.map((boundary) => Buffer.from(boundary, 'utf8'));
  }

  static fromSample(sample: readonly string[], partitions: number): InvestorPartitioner {
    const distinct = [...new Set(sample)].map((investor) => Buffer.from(investor, 'utf8')).sort(Buffer.compare);
    const boundaries: Buffer[] = [];
    for (let i = 1; i < partitions && distinct.length > 0; i++) {
      const candidate = distinct[Math.floor((distinct.length * i) / partitions)]!;
      if (boundaries.length === 0 || Buffer.compare(candidate, boundaries.at(-1)!) > 0) boundaries.push(candidate);
    }
    return new InvestorPartitioner(boundaries.map((boundary) => boundary.toString('utf8')));
  }

  get count(): number {
    return this.boundaries.length + 1;
  }

  /** The partition of the investor whose UTF-8 key is bytes [start, end). */
  partitionOfKey(key: Uint8Array, start: number, end: number): number {
    let low = 0;
    let high = this.boundaryBytes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const boundary = this.boundaryBytes[middle]!;
      if (compareBytes(key, start, end, boundary, 0, boundary.length) >= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Copies bytes [start, end) of `source` to `target` at `at`; a loop, because most fields are a few bytes and a subarray per field would cost more. */
function copyBytes(target: Uint8Array, at: number, source: Uint8Array, start: number, end: number): void {
  if (end - start > 64) {
    target.set(source.subarray(start, end), at);
    return;
  }
  for (let i = start; i < end; i++) target[at++] = source[i]!;
}

/** Buffered appenders of spill records, one file per partition, written synchronously (each task runs on its own thread). */
export class SpillWriter {
  private readonly buffers: Buffer[];
  private readonly views: DataView[];
  private readonly used: number[];
  private readonly descriptors: (number | null)[];
  private readonly paths: string[];

  /** `bufferBytes` per partition: the scan's memory is partitions × bufferBytes. */
  constructor(pathOf: (partition: number) => string, partitions: number, bufferBytes: number) {
    this.buffers = Array.from({ length: partitions }, () => Buffer.allocUnsafeSlow(bufferBytes));
    this.views = this.buffers.map((buffer) => new DataView(buffer.buffer, buffer.byteOffset, buffer.length));
    this.used = new Array<number>(partitions).fill(0);
    this.descriptors = new Array<number | null>(partitions).fill(null);
    this.paths = Array.from({ length: partitions }, (_, partition) => pathOf(partition));
  }

  /** Room for `size` bytes at the end of a partition's buffer; returns where to write. */
  private reserve(partition: number, size: number): number {
    let at = this.used[partition]!;
    if (at + size > this.buffers[partition]!.length) {
      this.flush(partition);
      at = 0;
      if (size > this.buffers[partition]!.length) {
        const larger = Buffer.allocUnsafeSlow(size * 2);
        this.buffers[partition] = larger;
        this.views[partition] = new DataView(larger.buffer, larger.byteOffset, larger.length);
      }
    }
    this.used[partition] = at + size;
    return at;
  }

  private head(partition: number, at: number, kind: number, line: number, hash: number, key: Uint8Array, keyStart: number, keyEnd: number): number {
    const view = this.views[partition]!;
    view.setUint8(at, kind);
    view.setUint32(at + 1, line, true);
    view.setUint32(at + 5, hash, true);
    view.setUint32(at + 9, keyEnd - keyStart, true);
    copyBytes(this.buffers[partition]!, at + RECORD_HEAD, key, keyStart, keyEnd);
    return at + RECORD_HEAD + keyEnd - keyStart;
  }

  /** A trade parsed on the fast path; its account is bytes [accountStart, accountEnd) of `source`. */
  appendTrade(partition: number, line: number, hash: number, source: Uint8Array, keyStart: number, keyEnd: number, accountStart: number, accountEnd: number, trade: ParsedTradeFields): void {
    const accountLength = accountEnd - accountStart;
    const size = RECORD_HEAD + (keyEnd - keyStart) + 2 + accountLength + TRADE_NUMBERS;
    let at = this.reserve(partition, size);
    at = this.head(partition, at, RecordKind.TRADE, line, hash, source, keyStart, keyEnd);
    const view = this.views[partition]!;
    view.setUint16(at, accountLength, true);
    copyBytes(this.buffers[partition]!, at + 2, source, accountStart, accountEnd);
    at += 2 + accountLength;
    view.setFloat64(at, trade.timeKey, true);
    view.setFloat64(at + 8, trade.quantity, true);
    view.setFloat64(at + 16, trade.priceMilli, true);
    view.setInt32(at + 24, trade.epochDay, true);
    view.setUint8(at + 28, trade.isBuy ? 1 : 0);
  }

  /** A row for the checker: its bytes as read; its investor's key is `key[keyStart, keyEnd)`. */
  appendRow(partition: number, line: number, hash: number, key: Uint8Array, keyStart: number, keyEnd: number, ascii: boolean, source: Uint8Array, rowStart: number, rowEnd: number): void {
    const size = RECORD_HEAD + (keyEnd - keyStart) + 4 + (rowEnd - rowStart);
    let at = this.reserve(partition, size);
    at = this.head(partition, at, ascii ? RecordKind.ROW_ASCII : RecordKind.ROW_ENCODED, line, hash, key, keyStart, keyEnd);
    this.views[partition]!.setUint32(at, rowEnd - rowStart, true);
    copyBytes(this.buffers[partition]!, at + 4, source, rowStart, rowEnd);
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
