import { closeSync, createReadStream, createWriteStream, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { CaseError } from '../domain/case-error.ts';
import { compareCodePoints } from '../domain/code-point-order.ts';
import type { InvestorStatus } from '../domain/loss/investor-loss.ts';
import type { LossCase } from '../domain/loss/loss-case.ts';
import { formatFen } from '../domain/money/fen.ts';
import { planWarnings } from '../domain/plan/loss-plan.ts';
import { AMOUNT_COLUMNS, COMPENSATION_HEADER, REJECTS_HEADER, type AmountColumn } from '../io/compensation-csv.ts';
import { readCsvHeader } from '../io/csv-scan.ts';
import { InvestorRowChecker } from '../io/investor-files.ts';
import { describeAppliedPlan } from './applied-plan.ts';
import { sampleInvestors, splitAtNewlines } from './byte-ranges.ts';
import type { CaseInputPaths } from './case-input-paths.ts';
import { loadLossCase } from './case-inputs.ts';
import { hashInputsBeside, type InputHashes } from './input-hashes.ts';
import { FIELD, partitionOutputPath, partitionRejectsPath, partitionSheetsPath, runPartitionTask, type PartitionResult, type PartitionTask } from './partition-task.ts';
import { ResultTally } from './result-tally.ts';
import { runScanTask, type ScanResult, type ScanTask } from './scan-task.ts';
import { InvestorPartitioner, releaseSpillMemory } from './spill-records.ts';
import { TaskPool } from './task-pool.ts';
import type { WorkerRequest } from './compute-worker.ts';

export interface ComputeOptions extends CaseInputPaths {
  out: string;
  /** Threads; 1 runs everything on the calling thread. Default: one per core, or 1 for a small input (SMALL_INPUT_BYTES). */
  workers?: number | undefined;
  /** How the work is cut (defaults suit large inputs; tests vary them to show the output does not depend on them). */
  scanRangeBytes?: number | undefined;
  partitionBytes?: number | undefined;
  /** Bytes of a scan task's buffer per partition, which is also the size of a spill chunk in memory. */
  spillBufferBytes?: number | undefined;
  /** Also write sheets.jsonl: every investor's calculation sheet as one JSON line, in investor order. */
  sheets?: boolean | undefined;
  /**
   * Inputs up to this many bytes keep the scan's spill in memory, handed from thread to thread;
   * larger ones spill to files under the output folder, so memory stays bounded by a partition.
   */
  spillMemoryBytes?: number | undefined;
  onProgress?: (phase: 'scan' | 'compute', done: number, total: number) => void;
}

const OUTPUT_FILES = ['compensation.csv', 'rejects.csv', 'summary.json', 'sheets.jsonl'];

/** What a progress step counts in each phase. */
export const COMPUTE_PROGRESS_UNITS = { scan: 'byte ranges read', compute: 'partitions computed' };

export interface ComputeSummary {
  counts: Record<InvestorStatus, number> & { investors: number; rejectedRows: number };
  totals: Record<AmountColumn, string>;
  files: { compensation: string; rejects: string; summary: string; sheets: string | null };
  partitions: number;
  workers: number;
  /** What the plan does that its author may not have meant (planWarnings). */
  warnings: string[];
}

/**
 * Bytes of trades.csv per scan task and per partition: small enough to bound memory, large enough
 * to amortise. A partition of 3 MiB keeps its columns (some 2.5 MB) in a core's share of the
 * cache when both cores compute: on two threads partitions of 6 MiB took some 10% more time.
 */
const SCAN_RANGE_BYTES = 32 << 20;
const PARTITION_BYTES = 3 << 20;
const MIN_SPLIT_BYTES = 4 << 20;
/**
 * Below this much input, one thread is faster than several: starting each worker thread and
 * warming its compiled code cost more than it saves (measured: 49 MB of trades 1.46 s on one
 * thread, 1.64 s on two; 122 MB 2.78 s and 2.5 s).
 */
const SMALL_INPUT_BYTES = 64 << 20;

function defaultThreads(options: ComputeOptions): number {
  let bytes = 0;
  for (const path of [options.trades, options.holdings, options.ratios]) {
    if (path === undefined) continue;
    try {
      bytes += statSync(path).size;
    } catch {
      // A file that cannot be read is reported by the computation itself, in its words.
    }
  }
  return bytes < SMALL_INPUT_BYTES ? 1 : availableParallelism();
}

/**
 * A spill takes about as many bytes as its input, and the threads' working sets come on top: the
 * spill is held in memory for up to 1 GiB of input (some 20M trade rows; 486 MB of them peaked at
 * about 750 MiB on two threads), or an eighth of the machine's memory if that is less.
 */
const SPILL_MEMORY_BYTES = Math.min(1 << 30, Math.floor(totalmem() / 8));

/**
 * `redress compute`: reads a case, computes every investor and writes compensation.csv,
 * rejects.csv and summary.json (loss-methodology.md §7).
 *
 * Investors are independent, so the work is split twice. The scan phase cuts the per-investor
 * files into byte ranges, checks every row and spills it to the partition of its investor
 * (partitions are ranges of investor ids in code-point order). The compute phase then takes one
 * partition at a time, so memory is bounded by a partition, not by the input. Both phases run on
 * as many threads as there are cores; the output is the partitions' lines concatenated in order,
 * byte-identical for any number of threads. Outputs are written under temporary names and
 * renamed only when everything succeeded, so a case-level error leaves no output files behind.
 */
export async function computeCase(options: ComputeOptions): Promise<ComputeSummary> {
  const threads = Math.max(1, options.workers ?? defaultThreads(options));
  // Workers start (and load the case) while this thread reads the headers and plans the work.
  return computeCaseOn(options, threads, TaskPool.start(threads, options));
}

/**
 * What runs the scan and partition tasks: the threads of this process (TaskPool), or worker
 * processes that take them from a queue (queue-runner.ts). `inline` is the task on this thread.
 */
export interface TaskRunner {
  /** Whether tasks run in this process, so that a scan's spill can be handed over in memory. */
  readonly sharesMemory: boolean;
  run(request: WorkerRequest, inline: () => Promise<unknown>): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * computeCase with its tasks run by `starting`, `threads` of them at once: the same plan, the same
 * assembly and so the same bytes, whoever runs the tasks.
 */
export async function computeCaseOn(options: ComputeOptions, threads: number, starting: Promise<TaskRunner>): Promise<ComputeSummary> {
  // The inputs are hashed on a thread of their own (input-hashes.ts), started as the tasks are
  // dispatched, once the few small reads that plan the work are done.
  let hashing: Promise<InputHashes> | null = null;
  const startHashing = () => {
    if (hashing === null) {
      hashing = hashInputsBeside(options);
      hashing.catch(() => undefined);
    }
    return hashing;
  };
  let workDir: string | null = null;
  try {
    return await computeWith(options, threads, starting, startHashing, (dir) => (workDir = dir));
  } catch (error) {
    // A failed run leaves no output: not even an earlier run's files, which would read as this one's.
    await Promise.all(OUTPUT_FILES.map((name) => rm(join(options.out, name), { force: true })));
    throw error;
  } finally {
    await (await starting.catch(() => null))?.close();
    releaseSpillMemory();
    if (workDir !== null) await rm(workDir, { recursive: true, force: true });
  }
}

async function computeWith(
  options: ComputeOptions,
  threads: number,
  starting: Promise<TaskRunner>,
  startHashing: () => Promise<InputHashes>,
  madeWorkDir: (dir: string) => void,
): Promise<ComputeSummary> {
  const lossCase = await loadLossCase(options);
  const readRatios = Boolean(options.ratios) && lossCase.plan.riskDeduction.method === 'per-investor';
  const files = [
    { kind: 'trades' as const, path: options.trades },
    ...(options.holdings ? [{ kind: 'holdings' as const, path: options.holdings }] : []),
    ...(readRatios ? [{ kind: 'ratios' as const, path: options.ratios! }] : []),
  ];
  const headers = await Promise.all(
    files.map(async (file) => {
      const header = await readCsvHeader(file.path, basename(file.path), options.encoding);
      // The checker refuses a header without the required columns before any work starts.
      const { columns } = new InvestorRowChecker(file.kind, header, basename(file.path));
      return { ...file, header, columns, size: (await stat(file.path)).size };
    }),
  );

  const totalBytes = headers.reduce((total, file) => total + file.size, 0);
  // At least two partitions per thread once there is enough input, so that threads finish together.
  const partitionCount = Math.min(4096, Math.max(Math.ceil(totalBytes / (options.partitionBytes ?? PARTITION_BYTES)), totalBytes > MIN_SPLIT_BYTES ? 2 * threads : 1));
  const trades = headers[0]!;
  const sample = partitionCount === 1 ? [] : await sampleInvestors(trades.path, trades.size, options.encoding, trades.columns['investor']!, Math.min(4096, partitionCount * 64));
  const partitioner = InvestorPartitioner.fromSample(sample, partitionCount);

  await mkdir(options.out, { recursive: true });
  const workDir = await mkdtemp(join(options.out, '.redress-work-'));
  madeWorkDir(workDir);
  const pool = await starting;
  const spillToMemory = pool.sharesMemory && totalBytes <= (options.spillMemoryBytes ?? SPILL_MEMORY_BYTES);
  const scanTasks: ScanTask[] = [];
  for (const file of headers) {
    // On several threads the last ranges are smaller, so that the threads finish the scan together.
    const ranges = file.kind === 'trades' ? await splitAtNewlines(file.path, file.size, options.scanRangeBytes ?? SCAN_RANGE_BYTES, threads > 1) : [{ start: 0, end: file.size }];
    ranges.forEach((range, index) => {
      scanTasks.push({
        task: scanTasks.length, kind: file.kind, path: file.path, file: basename(file.path), range, startsWithHeader: index === 0,
        header: file.header, encoding: options.encoding, boundaries: partitioner.boundaries, workDir, spillToMemory, spillBufferBytes: options.spillBufferBytes,
      });
    });
  }
  const fileRank = new Map([...new Set(scanTasks.map((task) => task.file))].sort(compareCodePoints).map((file, rank) => [file, rank]));
  const hashing = startHashing();
  // An earlier run's outputs go now, while this one computes: a failed run leaves none of them
  // either, and freeing a large file where the new one is renamed to took some 70 ms at the end.
  const clearing = Promise.all(OUTPUT_FILES.map((name) => rm(join(options.out, name), { force: true })));
  clearing.catch(() => undefined);
  let scanned = 0;
  const scanResults = await Promise.all(
    scanTasks.map(async (task) => {
      const result = (await pool.run({ kind: 'scan', task }, () => runScanTask(task))) as ScanResult;
      options.onProgress?.('scan', ++scanned, scanTasks.length);
      return result;
    }),
  );

  // A task's lines continue the numbering of the earlier ranges of the same file.
  const lineOffsets = new Map<number, number>();
  const linesBefore = new Map<string, number>();
  for (const task of scanTasks) {
    const before = linesBefore.get(task.path) ?? 0;
    lineOffsets.set(task.task, before);
    linesBefore.set(task.path, before + scanResults[task.task]!.lines);
  }

  const partitionTasks: PartitionTask[] = [];
  for (let partition = 0; partition < partitioner.count; partition++) {
    const sources = scanResults
      .filter((result) => result.partitions.includes(partition))
      .map((result) => {
        const scan = scanTasks[result.task]!;
        return {
          task: scan.task, kind: scan.kind, file: scan.file, fileRank: fileRank.get(scan.file)!, header: scan.header, encoding: scan.encoding,
          lineOffset: lineOffsets.get(scan.task)!, chunks: result.chunks?.[partition],
        };
      });
    if (sources.length > 0) partitionTasks.push({ partition, sources, workDir, sheets: options.sheets === true, outputInMemory: pool.sharesMemory });
  }
  // From here each spill in memory belongs to its partition task alone, which lets it go once run.
  for (const result of scanResults) result.chunks = null;
  let computed = 0;
  // The outputs are assembled while the partitions are computed: each partition's lines are
  // appended as soon as every partition before it is done.
  const compensation = new OrderedConcatenation(join(workDir, 'compensation.csv'), COMPENSATION_HEADER, partitionTasks.map((task) => partitionOutputPath(workDir, task.partition)));
  const sheets = options.sheets === true ? new OrderedConcatenation(join(workDir, 'sheets.jsonl'), '', partitionTasks.map((task) => partitionSheetsPath(workDir, task.partition))) : null;
  const partitionResults = await Promise.all(
    partitionTasks.map(async (task, index) => {
      const result = (await pool.run({ kind: 'partition', task }, () => runPartitionTask(task, lossCase).finally(() => releaseSpill(task)))) as PartitionResult;
      options.onProgress?.('compute', ++computed, partitionTasks.length);
      compensation.completed(index, result.output ?? null);
      result.output = null;
      sheets?.completed(index);
      return result;
    }),
  ).finally(() => {
    compensation.close();
    sheets?.close();
  });
  const failed = partitionResults.find((result) => result.error !== null);
  if (failed) throw new CaseError({ file: failed.error!.file, line: failed.error!.line, problem: failed.error!.message, fix: failed.error!.fix });

  const tally = new ResultTally();
  for (const result of partitionResults) tally.merge(result.tally);
  const rejectedRows = partitionResults.reduce((total, result) => total + result.rejects, 0);
  await clearing;
  const summary = await commitOutputs(options, lossCase, tally, rejectedRows, async (temporary) => {
    await rename(join(workDir, 'compensation.csv'), temporary.compensation);
    // Only partitions with bad rows have any to merge (opening every partition's empty file took some 50 ms).
    const withRejects = partitionTasks.filter((_, index) => partitionResults[index]!.rejects > 0);
    await mergeRejects(withRejects.map((task) => partitionRejectsPath(workDir, task.partition)), temporary.rejects);
    if (temporary.sheets) await rename(join(workDir, 'sheets.jsonl'), temporary.sheets);
  }, hashing);
  return { ...summary, partitions: partitioner.count, workers: threads, warnings: planWarnings(lossCase.plan) };
}

/**
 * One file made of a header and the partitions' outputs in partition order, each appended as soon
 * as it and every one before it are done. The main thread does this while the workers compute,
 * so the assembly costs the run no time of its own. An output comes in memory or as the
 * partition's file, which is removed once copied.
 */
class OrderedConcatenation {
  private readonly descriptor: number;
  private readonly paths: string[];
  private readonly done: boolean[];
  /** Outputs in memory that wait for an earlier partition. */
  private readonly held: (Uint8Array | null)[];
  private next = 0;
  /** One buffer for every copy: a fresh one per partition made this thread collect garbage while the workers compute. */
  private readonly buffer = Buffer.allocUnsafe(1 << 20);

  constructor(target: string, header: string, paths: string[]) {
    this.descriptor = openSync(target, 'w');
    this.paths = paths;
    this.done = paths.map(() => false);
    this.held = paths.map(() => null);
    if (header.length > 0) writeSync(this.descriptor, header);
  }

  /** Partition `index` is done: its output is `output`, or without one its file. */
  completed(index: number, output: Uint8Array | null = null): void {
    this.done[index] = true;
    this.held[index] = output;
    for (; this.next < this.paths.length && this.done[this.next]; this.next++) {
      const bytes = this.held[this.next];
      if (bytes !== null && bytes !== undefined) {
        this.held[this.next] = null;
        this.write(bytes, bytes.length);
      } else {
        this.copyFile(this.paths[this.next]!);
      }
    }
  }

  private copyFile(path: string): void {
    const source = openSync(path, 'r');
    try {
      for (;;) {
        const read = readSync(source, this.buffer, 0, this.buffer.length, null);
        if (read === 0) break;
        this.write(this.buffer, read);
      }
    } finally {
      closeSync(source);
    }
    rmSync(path);
  }

  /** Bytes [0, length) of `bytes`, all of them (a write may take fewer). */
  private write(bytes: Uint8Array, length: number): void {
    let written = 0;
    while (written < length) written += writeSync(this.descriptor, bytes, written, length - written);
  }

  close(): void {
    closeSync(this.descriptor);
  }
}

/** The lines of a UTF-8 file, split at \n only. */
async function* linesOf(path: string): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (pending + (chunk as string)).split('\n');
    pending = lines.pop()!;
    yield* lines;
  }
  if (pending.length > 0) yield pending;
}

/** Drops a run partition's spill held in memory, so that memory falls as partitions complete. */
function releaseSpill(task: PartitionTask): void {
  for (const source of task.sources) source.chunks = undefined;
}

/**
 * rejects.csv: the partitions' bad rows merged into file-then-line order. Each partition's file is
 * already in that order, so a k-way merge keeps one line per partition in memory.
 */
async function mergeRejects(paths: string[], target: string): Promise<void> {
  const output = createWriteStream(target);
  output.write(REJECTS_HEADER);
  const heads: { fileRank: number; line: number; text: string; rest: AsyncIterator<string> }[] = [];
  const advance = async (rest: AsyncIterator<string>) => {
    const next = await rest.next();
    if (next.done) return null;
    const record = next.value as string;
    const first = record.indexOf(FIELD);
    const second = record.indexOf(FIELD, first + 1);
    return { fileRank: Number(record.slice(0, first)), line: Number(record.slice(first + 1, second)), text: record.slice(second + 1), rest };
  };
  for (const path of paths) {
    const lines = linesOf(path)[Symbol.asyncIterator]();
    const head = await advance(lines);
    if (head) heads.push(head);
  }
  while (heads.length > 0) {
    let least = 0;
    for (let i = 1; i < heads.length; i++) {
      const head = heads[i]!;
      const best = heads[least]!;
      if (head.fileRank < best.fileRank || (head.fileRank === best.fileRank && head.line < best.line)) least = i;
    }
    const head = heads[least]!;
    if (!output.write(`${head.text}\n`)) await new Promise<void>((resolve) => output.once('drain', () => resolve()));
    const next = await advance(head.rest);
    if (next) heads[least] = next;
    else heads.splice(least, 1);
  }
  await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/**
 * Writes the outputs under temporary names through `writeData` (compensation, rejects and, when
 * asked, sheets) and the summary, then renames them into place.
 */
async function commitOutputs(
  options: ComputeOptions,
  lossCase: LossCase,
  tally: ResultTally,
  rejectedRows: number,
  writeData: (temporary: { compensation: string; rejects: string; sheets: string | null }) => Promise<void>,
  hashing: Promise<InputHashes>,
): Promise<Omit<ComputeSummary, 'partitions' | 'workers' | 'warnings'>> {
  const sheets = options.sheets === true ? join(options.out, 'sheets.jsonl') : null;
  const final = { compensation: join(options.out, 'compensation.csv'), rejects: join(options.out, 'rejects.csv'), summary: join(options.out, 'summary.json'), sheets };
  const temporary = { compensation: `${final.compensation}.partial`, rejects: `${final.rejects}.partial`, summary: `${final.summary}.partial`, sheets: sheets === null ? null : `${sheets}.partial` };
  try {
    await writeData(temporary);
    const counts = { ...tally.counts, investors: Object.values(tally.counts).reduce((a, b) => a + b, 0), rejectedRows };
    const totals = Object.fromEntries(AMOUNT_COLUMNS.map((column) => [column, formatFen(tally.totals[column])])) as Record<AmountColumn, string>;
    const summary = { plan: describeAppliedPlan(lossCase), counts, totals, inputs: await hashing };
    await writeFile(temporary.summary, `${JSON.stringify(summary, null, 2)}\n`);
    for (const key of ['compensation', 'rejects', 'summary', 'sheets'] as const) {
      const from = temporary[key];
      if (from !== null) await rename(from, final[key]!);
    }
    // A run without sheets leaves no sheets file of an earlier run behind to be read as this one's.
    if (sheets === null) await rm(join(options.out, 'sheets.jsonl'), { force: true });
    return { counts, totals, files: final };
  } catch (error) {
    await Promise.all(Object.values(temporary).map((path) => (path === null ? undefined : rm(path, { force: true }))));
    throw error;
  }
}
