import { closeSync, openSync, writeSync } from 'node:fs';
import type { ParsedTradeFields } from '../io/trade-row-bytes.ts';

/**
 * The spill between the two phases of a computation. The scan phase reads each row once, finds
 * its investor and appends a record to the partition of that investor; the compute phase takes
 * one partition at a time. The spill stays in memory for inputs under a budget (compute-case.ts)
 * and goes to files above it, so that memory is then bounded by the largest partition rather than
 * by the whole input.
 *
 * One stream per scan task and partition, of binary records (little-endian). Each carries the row's
 * line (counted within the scan task; the compute phase adds the task's line offset) and its
 * investor's key: the investor in UTF-8, so that in every input encoding the same investor gets
 * the same key, and UTF-8 bytes sort in code-point order, the order of every output.
 *
 *   TRADE_BUY / TRADE_SELL, a trades row parsed on the fast path (trade-row-bytes.ts), 43 bytes
 *   for a ten-byte investor and account:
 *     u8 kind | u32 line | u8 key length | key | u8 account length | account |
 *     f64 time key | u32 quantity | u32 price × 1000
 *   ROW_ASCII / ROW_ENCODED, any other row, judged by the row checker in the compute phase:
 *     u8 kind | u32 line | u32 key length | key | u32 row length | the row's bytes in the file's
 *     encoding (ASCII only, or to be decoded)
 *
 * A trade record is as small as it can be, since every row is written and read once more
 * through it: a row whose investor or account is longer than 255 bytes, or whose quantity or
 * price in thousandths reaches 2^32, goes as a row for the checker instead.
 */
export const TRADE_SELL = 1;
export const ROW_ASCII = 2;
export const ROW_ENCODED = 3;
export const TRADE_BUY = 4;

/** The largest investor or account, and quantity or price in thousandths, a trade record holds. */
const TRADE_FIELD_BYTES = 255;
const TRADE_NUMBER_LIMIT = 2 ** 32;

export function isTradeRecord(kind: number): boolean {
  return kind === TRADE_BUY || kind === TRADE_SELL;
}

export function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) + bytes[at + 3]! * 0x1000000;
}

/** Where the key of the record at `at` starts. */
export function keyStartOf(bytes: Uint8Array, at: number): number {
  return at + (isTradeRecord(bytes[at]!) ? 6 : 9);
}

/** Where the key of the record at `at` ends. */
export function keyEndOf(bytes: Uint8Array, at: number): number {
  return isTradeRecord(bytes[at]!) ? at + 6 + bytes[at + 5]! : at + 9 + readU32(bytes, at + 5);
}

/** Where the numbers of the trade record whose key ends at `keyEnd` start (after its account). */
export function tradeNumbersAt(bytes: Uint8Array, keyEnd: number): number {
  return keyEnd + 1 + bytes[keyEnd]!;
}

/** Bytes of a trade record's numbers. */
export const TRADE_NUMBERS = 16;

/** The end of the record that starts at `at`. */
export function recordEnd(bytes: Uint8Array, at: number): number {
  const keyEnd = keyEndOf(bytes, at);
  if (isTradeRecord(bytes[at]!)) return tradeNumbersAt(bytes, keyEnd) + TRADE_NUMBERS;
  return keyEnd + 4 + readU32(bytes, keyEnd);
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

/** Symbols of an id at a position: 0 for its end, byte + 1 for a byte. */
const SYMBOLS = 257;

/*
 * What an entry of the partitioner's trie says, in its low two bits; the rest is its value.
 *   FINAL: every id that reaches the entry is in partition `value`.
 *   NODE: go on to node `value`, one byte further.
 *   COMPARE: one boundary, number `value`, is left to tell apart: the id is in partition
 *     value + 1 if its remaining bytes are at or above the boundary's, else in partition value.
 *   SEARCH: boundaries [searchLow[value], searchHigh[value]) are left, found by binary search
 *     on their remaining bytes (only where the trie would grow past its budget of nodes).
 */
const FINAL = 0;
const NODE = 1;
const COMPARE = 2;
const SEARCH = 3;

/** Nodes of 257 entries (about 1 KiB each) a partitioner may build; ids with long common prefixes past it are searched. */
const NODE_BUDGET = 4096;

/** Investors are assigned to partitions by code-point ranges, so the partitions in order are the output in order. */
export class InvestorPartitioner {
  readonly boundaries: readonly string[];
  private readonly boundaryBytes: Buffer[];
  /** The bytes every boundary starts with (investor ids mostly share a prefix, like INV0). */
  private readonly prefix: Buffer;
  /**
   * A trie over the boundaries' bytes after the prefix: node n is entries [n × 257, n × 257 + 257),
   * one per symbol of the id at the node's depth (above). A row's partition is a few table reads,
   * mostly three for a million ids of one form; a binary search over the boundaries, comparing
   * bytes, had cost about a tenth of the scan.
   */
  private readonly trie: Int32Array;
  private readonly searchLow: number[] = [];
  private readonly searchHigh: number[] = [];

  /**
   * `boundaries[i]` is the first investor of partition i + 1; they must be sorted by code point.
   * `nodeBudget` bounds the trie (tests lower it to reach the binary search).
   */
  constructor(boundaries: readonly string[], nodeBudget = NODE_BUDGET) {
    this.boundaries = boundaries;
    this.boundaryBytes = boundaries.map((boundary) => Buffer.from(boundary, 'utf8'));
    let prefixLength = this.boundaryBytes[0]?.length ?? 0;
    for (const boundary of this.boundaryBytes) {
      let same = 0;
      while (same < prefixLength && same < boundary.length && boundary[same] === this.boundaryBytes[0]![same]) same++;
      prefixLength = same;
    }
    this.prefix = (this.boundaryBytes[0] ?? Buffer.alloc(0)).subarray(0, prefixLength);
    const entries: number[] = [];
    this.build(entries, 0, this.boundaryBytes.length, prefixLength, { left: Math.max(1, nodeBudget) });
    this.trie = Int32Array.from(entries);
  }

  /** The symbol of a boundary at `depth`. */
  private symbolOf(boundary: number, depth: number): number {
    const bytes = this.boundaryBytes[boundary]!;
    return depth < bytes.length ? bytes[depth]! + 1 : 0;
  }

  /**
   * Appends the node for boundaries [low, high), which share their first `depth` bytes (and ids
   * that reach the node share them too); returns its number.
   */
  private build(entries: number[], low: number, high: number, depth: number, budget: { left: number }): number {
    const node = entries.length / SYMBOLS;
    budget.left--;
    for (let symbol = 0; symbol < SYMBOLS; symbol++) entries.push(0);
    // Boundaries are sorted, so at each depth their symbols rise through [low, high).
    let first = low;
    for (let symbol = 0; symbol < SYMBOLS; symbol++) {
      while (first < high && this.symbolOf(first, depth) < symbol) first++;
      let last = first;
      while (last < high && this.symbolOf(last, depth) === symbol) last++;
      // Ids with this symbol are above the boundaries before `first` and below those from `last`.
      let entry: number;
      if (last === first) entry = first * 4 + FINAL;
      // An id that ends here equals the one boundary that ends here.
      else if (symbol === 0) entry = last * 4 + FINAL;
      else if (last - first === 1) {
        // The boundary ends with this byte: every id that reaches here is at or above it.
        entry = this.boundaryBytes[first]!.length === depth + 1 ? (first + 1) * 4 + FINAL : first * 4 + COMPARE;
      } else if (budget.left > 0) {
        entry = this.build(entries, first, last, depth + 1, budget) * 4 + NODE;
      } else {
        this.searchLow.push(first);
        this.searchHigh.push(last);
        entry = (this.searchLow.length - 1) * 4 + SEARCH;
      }
      entries[node * SYMBOLS + symbol] = entry;
      first = last;
    }
    return node;
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

  /** The partition of the investor whose UTF-8 key is bytes [start, end): how many boundaries are at or below it. */
  partitionOfKey(key: Uint8Array, start: number, end: number): number {
    const prefix = this.prefix;
    const prefixLength = prefix.length;
    for (let i = 0; i < prefixLength; i++) {
      // A key that leaves the prefix is below or above every boundary; one that ends inside it is below.
      if (start + i >= end) return 0;
      const difference = key[start + i]! - prefix[i]!;
      if (difference !== 0) return difference < 0 ? 0 : this.boundaryBytes.length;
    }
    const trie = this.trie;
    let at = start + prefixLength;
    let node = 0;
    for (;;) {
      const entry = trie[node * SYMBOLS + (at < end ? key[at]! + 1 : 0)]!;
      const value = entry >> 2;
      switch (entry & 3) {
        case FINAL:
          return value;
        case NODE:
          node = value;
          at++;
          continue;
        case COMPARE: {
          const boundary = this.boundaryBytes[value]!;
          const depth = at + 1 - start;
          return compareBytes(key, at + 1, end, boundary, depth, boundary.length) >= 0 ? value + 1 : value;
        }
        default: {
          // The boundaries left share the key's bytes up to `at` inclusive.
          const depth = at + 1 - start;
          let low = this.searchLow[value]!;
          let high = this.searchHigh[value]!;
          while (low < high) {
            const middle = (low + high) >>> 1;
            const boundary = this.boundaryBytes[middle]!;
            if (compareBytes(key, at + 1, end, boundary, depth, boundary.length) >= 0) low = middle + 1;
            else high = middle;
          }
          return low;
        }
      }
    }
  }
}

/**
 * Copies bytes [start, end) of `source` to `target` at `at`, four at a time: the scan copies an
 * investor and an account per row, and byte by byte that was a third of its time.
 */
function copyWords(target: Uint8Array, targetView: DataView, at: number, source: Uint8Array, sourceView: DataView, start: number, end: number): void {
  let i = start;
  for (; i + 4 <= end; i += 4, at += 4) targetView.setUint32(at, sourceView.getUint32(i, true), true);
  for (; i < end; i++) target[at++] = source[i]!;
}

/** Copies bytes [start, end) of `source` to `target` at `at`; a loop, because most fields are a few bytes and a subarray per field would cost more. */
function copyBytes(target: Uint8Array, at: number, source: Uint8Array, start: number, end: number): void {
  if (end - start > 64) {
    target.set(source.subarray(start, end), at);
    return;
  }
  for (let i = start; i < end; i++) target[at++] = source[i]!;
}

/**
 * Where a thread's spill in memory lives: its chunks are carved, one after another, out of large
 * SharedArrayBuffers. Shared, so that a chunk reaches the thread that computes its partition as a
 * view of the same memory, with nothing copied or transferred; large, because V8 counts the bytes
 * of every ArrayBuffer as memory outside its heap. With an ArrayBuffer of its own per chunk (some
 * 4,400 for 10M rows), each transferred from the scanning thread and registered again by the
 * receiving one, both threads kept collecting garbage for that memory's sake: on two threads
 * 10M rows took 4.74 s that way and 4.45 s with slabs (medians of ten runs each, alternated).
 * A slab's memory is freed once no chunk of it is left in any thread.
 */
class SpillArena {
  private readonly slabBytes: number;
  private slab: SharedArrayBuffer | null = null;
  private used = 0;

  constructor(slabBytes: number) {
    this.slabBytes = slabBytes;
  }

  /** `bytes` of fresh memory, as a Buffer over a slab; a request larger than a slab gets a slab of its own. */
  carve(bytes: number): Buffer {
    if (this.slab === null || this.used + bytes > this.slab.byteLength) {
      // The slab's pages are the kernel's zeroed pages, committed only as the chunks fill them.
      this.slab = new SharedArrayBuffer(Math.max(bytes, this.slabBytes));
      this.used = 0;
    }
    const chunk = Buffer.from(this.slab, this.used, bytes);
    this.used += bytes;
    return chunk;
  }

  /** Forgets the current slab: its memory goes when its chunks do, and the next carve takes a new one. */
  release(): void {
    this.slab = null;
    this.used = 0;
  }
}

/** This thread's arena, for every scan task it runs. */
const ARENA = new SpillArena(64 << 20);

/**
 * Lets this thread's spill memory go once the chunks carved from it are dropped: called when a
 * computation ends, so that a process that stays (the server) does not keep the last slab.
 */
export function releaseSpillMemory(): void {
  ARENA.release();
}

/**
 * Buffered appenders of spill records, one stream per partition. With a path per partition they
 * go to files, written synchronously (each task runs on its own thread), for tasks run by other
 * processes; with none they stay in memory as chunks of whole records (in the thread's
 * SpillArena), which the thread that computes the partition reads where they are, without the
 * kernel writing and reading every record once more.
 */
export class SpillWriter {
  private readonly buffers: Buffer[];
  private readonly views: DataView[];
  private readonly used: number[];
  private readonly descriptors: (number | null)[];
  private readonly paths: string[] | null;
  /** In memory: the chunks of each partition, in order, each a view of its own ArrayBuffer. */
  private readonly chunks: Uint8Array[][];
  private readonly bufferBytes: number;

  /** `bufferBytes` per partition: the scan's memory is partitions × bufferBytes, plus the chunks kept in memory. */
  constructor(pathOf: ((partition: number) => string) | null, partitions: number, bufferBytes: number) {
    this.bufferBytes = bufferBytes;
    this.paths = pathOf === null ? null : Array.from({ length: partitions }, (_, partition) => pathOf(partition));
    this.buffers = Array.from({ length: partitions }, () => this.freshBuffer(bufferBytes));
    this.views = this.buffers.map((buffer) => new DataView(buffer.buffer, buffer.byteOffset, buffer.length));
    this.used = new Array<number>(partitions).fill(0);
    this.descriptors = new Array<number | null>(partitions).fill(null);
    this.chunks = Array.from({ length: partitions }, () => []);
  }

  /** Room for `size` bytes at the end of a partition's buffer; returns where to write. */
  private reserve(partition: number, size: number): number {
    let at = this.used[partition]!;
    if (at + size > this.buffers[partition]!.length) {
      this.flush(partition);
      at = 0;
      if (size > this.buffers[partition]!.length) this.replaceBuffer(partition, size * 2);
    }
    this.used[partition] = at + size;
    return at;
  }

  /**
   * A trade parsed on the fast path, as a trade record; false, with nothing written, when it does
   * not fit one (the limits above), and the row then goes to the checker. `keyView` and
   * `sourceView` are DataViews of the whole of `key` and `source`.
   */
  appendTrade(
    partition: number, line: number, key: Uint8Array, keyView: DataView, keyStart: number, keyEnd: number,
    source: Uint8Array, sourceView: DataView, accountStart: number, accountEnd: number, trade: ParsedTradeFields,
  ): boolean {
    const keyLength = keyEnd - keyStart;
    const accountLength = accountEnd - accountStart;
    if (keyLength > TRADE_FIELD_BYTES || accountLength > TRADE_FIELD_BYTES || trade.quantity >= TRADE_NUMBER_LIMIT || trade.priceMilli >= TRADE_NUMBER_LIMIT) return false;
    let at = this.reserve(partition, 7 + keyLength + accountLength + TRADE_NUMBERS);
    const buffer = this.buffers[partition]!;
    const view = this.views[partition]!;
    buffer[at] = trade.isBuy ? TRADE_BUY : TRADE_SELL;
    view.setUint32(at + 1, line, true);
    buffer[at + 5] = keyLength;
    copyWords(buffer, view, at + 6, key, keyView, keyStart, keyEnd);
    at += 6 + keyLength;
    buffer[at] = accountLength;
    copyWords(buffer, view, at + 1, source, sourceView, accountStart, accountEnd);
    at += 1 + accountLength;
    view.setFloat64(at, trade.timeKey, true);
    view.setUint32(at + 8, trade.quantity, true);
    view.setUint32(at + 12, trade.priceMilli, true);
    return true;
  }

  /** A row for the checker: its bytes as read; its investor's key is `key[keyStart, keyEnd)`. */
  appendRow(partition: number, line: number, key: Uint8Array, keyStart: number, keyEnd: number, ascii: boolean, source: Uint8Array, rowStart: number, rowEnd: number): void {
    const keyLength = keyEnd - keyStart;
    let at = this.reserve(partition, 13 + keyLength + (rowEnd - rowStart));
    const buffer = this.buffers[partition]!;
    const view = this.views[partition]!;
    buffer[at] = ascii ? ROW_ASCII : ROW_ENCODED;
    view.setUint32(at + 1, line, true);
    view.setUint32(at + 5, keyLength, true);
    copyBytes(buffer, at + 9, key, keyStart, keyEnd);
    at += 9 + keyLength;
    view.setUint32(at, rowEnd - rowStart, true);
    copyBytes(buffer, at + 4, source, rowStart, rowEnd);
  }

  /**
   * A buffer for a partition's records: in memory, from the arena, since it becomes a chunk of the
   * spill as it is; for files, a buffer of its own, written out and reused.
   */
  private freshBuffer(bytes: number): Buffer {
    return this.paths === null ? ARENA.carve(bytes) : Buffer.allocUnsafeSlow(bytes);
  }

  private replaceBuffer(partition: number, bytes: number): void {
    const buffer = this.freshBuffer(bytes);
    this.buffers[partition] = buffer;
    this.views[partition] = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
  }

  private flush(partition: number, last = false): void {
    const used = this.used[partition]!;
    if (used === 0) return;
    this.used[partition] = 0;
    const buffer = this.buffers[partition]!;
    if (this.paths === null) {
      // A chunk is kept as it is: a full one with a tail shorter than a record, the last one
      // often mostly empty. Neither tail costs memory: the arena's pages are committed only
      // when written, and a copy cut to size would not free the pages written before it.
      this.chunks[partition]!.push(buffer.subarray(0, used));
      if (!last) this.replaceBuffer(partition, Math.max(this.bufferBytes, buffer.length));
      return;
    }
    let descriptor = this.descriptors[partition]!;
    if (descriptor === null) {
      descriptor = openSync(this.paths[partition]!, 'w');
      this.descriptors[partition] = descriptor;
    }
    let written = 0;
    while (written < used) written += writeSync(descriptor, buffer, written, used - written);
  }

  /** Flushes and closes; returns which partitions received any record. */
  close(): boolean[] {
    return this.descriptors.map((_, partition) => {
      this.flush(partition, true);
      const descriptor = this.descriptors[partition];
      if (descriptor !== null && descriptor !== undefined) closeSync(descriptor);
      return (descriptor !== null && descriptor !== undefined) || this.chunks[partition]!.length > 0;
    });
  }

  /** In memory: each partition's chunks, in order (none for a partition without records). */
  memoryChunks(): Uint8Array[][] {
    return this.chunks;
  }
}
