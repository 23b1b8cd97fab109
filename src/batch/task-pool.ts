import { Worker } from 'node:worker_threads';
import { inputPathsOf, type CaseInputPaths } from './case-input-paths.ts';
import type { WorkerRequest } from './compute-worker.ts';

/** A task waiting for a thread: what a worker thread is sent, or what this thread runs itself. */
interface PendingTask {
  request: WorkerRequest;
  inline: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs tasks on `threads` threads: this one and threads − 1 worker threads. With one thread every
 * task runs here, one after another, through the very same task functions.
 *
 * This thread computes too, rather than only handing tasks to as many workers as there are cores:
 * each worker starts a Node instance, loads the case and warms up its own compiled code (some
 * 0.3 s of CPU to start and 0.5 s to warm up, measured on two cores), and this thread has done
 * both already. It also starts at once, while the workers are still starting.
 *
 * This thread answers a worker only between its own tasks, so a worker is sent up to three tasks
 * at a time (fewer as the waiting ones run out), and rarely waits for an answer to get its next
 * task: with two, it waited some 300 ms in all on 10M rows.
 */
export class TaskPool {
  readonly sharesMemory = true;
  private readonly workers: Worker[] = [];
  /** The workers that have loaded the case, and how many tasks each has been sent and not answered. */
  private readonly ready: { worker: Worker; inFlight: number }[] = [];
  private readonly waiting: PendingTask[] = [];
  private runningHere = false;
  private closed = false;

  private constructor() {}

  /**
   * A pool of `threads` threads, ready to run tasks at once on this one; its workers take tasks
   * as soon as they have loaded the case. A worker that fails to start is left out (this thread
   * has already loaded the same case, and met any error in it).
   */
  static async start(threads: number, paths: CaseInputPaths): Promise<TaskPool> {
    const pool = new TaskPool();
    for (let k = 1; k < threads; k++) pool.startWorker(paths);
    return pool;
  }

  private startWorker(paths: CaseInputPaths): void {
    const worker = startComputeWorker();
    this.workers.push(worker);
    callWorker(worker, { kind: 'init', paths: inputPathsOf(paths) }).then(
      () => {
        if (this.closed) return;
        this.ready.push({ worker, inFlight: 0 });
        this.dispatch();
      },
      () => void worker.terminate(),
    );
  }

  run(request: WorkerRequest, inline: () => Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, inline, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.ready) {
      // Three tasks in flight while many are waiting, fewer near the end, so that the last tasks spread over the threads.
      while (this.waiting.length > 0 && slot.inFlight < Math.min(3, this.waiting.length)) this.send(slot, this.waiting.shift()!);
    }
    if (this.runningHere || this.waiting.length === 0) return;
    this.runningHere = true;
    const task = this.waiting.shift()!;
    // On the next turn of the event loop: the answers and reads already waiting are handled first.
    setImmediate(() => {
      task
        .inline()
        .then(task.resolve, task.reject)
        .finally(() => {
          this.runningHere = false;
          this.dispatch();
        });
    });
  }

  private send(slot: { worker: Worker; inFlight: number }, task: PendingTask): void {
    slot.inFlight++;
    // A partition's spill in memory goes as views of the scanning threads' shared slabs (SpillArena): nothing is copied.
    callWorker(slot.worker, task.request)
      .then(task.resolve, task.reject)
      .finally(() => {
        slot.inFlight--;
        this.dispatch();
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** The calls sent to one worker and not answered yet, by id; a worker answers each with its id. */
interface Connection {
  nextId: number;
  pending: Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>;
}

const connections = new WeakMap<Worker, Connection>();

function connectionOf(worker: Worker): Connection {
  let connection = connections.get(worker);
  if (connection !== undefined) return connection;
  const opened: Connection = { nextId: 0, pending: new Map() };
  const failAll = (error: Error) => {
    for (const call of opened.pending.values()) call.reject(error);
    opened.pending.clear();
  };
  worker.on('message', (reply: { id: number; ok: boolean; value?: unknown; error?: string }) => {
    const call = opened.pending.get(reply.id);
    if (call === undefined) return;
    opened.pending.delete(reply.id);
    if (reply.ok) call.resolve(reply.value);
    else call.reject(new Error(`task failed: ${reply.error}`));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the task's thread stopped (exit code ${code})`)));
  connections.set(worker, opened);
  return opened;
}

/**
 * A thread running compute-worker.ts. It loads its modules through the cache of type-stripped
 * sources (src/typescript-cache.js), as bin/redress.js does for the main thread: load hooks are
 * per thread, and stripping every module anew cost a worker about 0.1 s of its start.
 */
export function startComputeWorker(): Worker {
  const entry = new URL('./compute-worker.ts', import.meta.url);
  const cache = ['--import', new URL('../typescript-cache.js', import.meta.url).href];
  try {
    // The process's own options still apply (a worker given execArgv inherits none)…
    return new Worker(entry, { execArgv: [...process.execArgv, ...cache] });
  } catch (error) {
    // …unless one belongs to the whole process (a V8 flag such as --trace-gc), which a worker refuses.
    if ((error as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(entry, { execArgv: cache });
  }
}

/**
 * Sends a request to a thread running compute-worker.ts and waits for its answer; several may be
 * in flight. A thread that fails or stops rejects every call it has not answered.
 */
export function callWorker(worker: Worker, request: WorkerRequest): Promise<unknown> {
  const connection = connectionOf(worker);
  const id = connection.nextId++;
  return new Promise((resolve, reject) => {
    connection.pending.set(id, { resolve, reject });
    worker.postMessage({ id, request });
  });
}
