import { Worker } from 'node:worker_threads';
import { inputPathsOf, type CaseInputPaths } from './case-inputs.ts';
import type { WorkerRequest } from './compute-worker.ts';
import type { PartitionTask } from './partition-task.ts';
import type { ScanResult } from './scan-task.ts';

/**
 * Runs tasks on worker threads, one task per idle worker; with a single thread it runs them on
 * the calling thread instead (`inline`), through the very same task functions.
 */
export class TaskPool {
  readonly sharesMemory = true;
  private readonly workers: Worker[];
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];
  /** On a single thread tasks run one after another, so only one partition is in memory at a time. */
  private inlineQueue: Promise<unknown> = Promise.resolve();

  private constructor(workers: Worker[]) {
    this.workers = workers;
    this.idle.push(...workers);
  }

  static async start(threads: number, paths: CaseInputPaths): Promise<TaskPool> {
    if (threads === 1) return new TaskPool([]);
    const workers = Array.from({ length: threads }, () => new Worker(new URL('./compute-worker.ts', import.meta.url)));
    const pool = new TaskPool(workers);
    try {
      await Promise.all(workers.map((worker) => callWorker(worker, { kind: 'init', paths: inputPathsOf(paths) })));
    } catch (error) {
      // The calling thread meets the same error when it loads the case and reports it.
      await pool.close();
      throw error;
    }
    return pool;
  }

  async run(request: WorkerRequest, inline: () => Promise<unknown>): Promise<unknown> {
    if (this.workers.length === 0) {
      const result = this.inlineQueue.then(inline);
      this.inlineQueue = result.catch(() => undefined);
      return result;
    }
    const worker = this.idle.pop() ?? (await new Promise<Worker>((resolve) => this.waiting.push(resolve)));
    try {
      // A partition's spill in memory moves to the worker, not copied; it is the worker's alone from here.
      return await callWorker(worker, request, request.kind === 'partition' ? spillBuffersOf(request.task) : []);
    } finally {
      const next = this.waiting.shift();
      if (next) next(worker);
      else this.idle.push(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** The ArrayBuffers of a partition task's spill in memory, to transfer with it. */
function spillBuffersOf(task: PartitionTask): ArrayBuffer[] {
  return task.sources.flatMap((source) => (source.chunks ?? []).map((chunk) => chunk.buffer as ArrayBuffer));
}

/** The ArrayBuffers of a scan result's spill in memory, to transfer with it. */
export function scanBuffersOf(result: ScanResult): ArrayBuffer[] {
  return (result.chunks ?? []).flatMap((chunks) => chunks.map((chunk) => chunk.buffer as ArrayBuffer));
}

/**
 * Sends a request to a thread running compute-worker.ts and waits for its one reply; a thread
 * that fails or stops before it replies rejects the call.
 */
export function callWorker(worker: Worker, request: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const settle = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (reply: { ok: boolean; value?: unknown; error?: string }) => {
      settle();
      if (reply.ok) resolve(reply.value);
      else reject(new Error(`task failed: ${reply.error}`));
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    const onExit = (code: number) => {
      settle();
      reject(new Error(`the task's thread stopped (exit code ${code})`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(request, transfer);
  });
}
