import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobInsert, JobWithMetadata, PgBoss } from 'pg-boss';
import { INPUT_ROLES, inputPathsOf } from './case-input-paths.ts';
import { computeCaseOn, type ComputeOptions, type ComputeSummary, type TaskRunner } from './compute-case.ts';
import type { WorkerRequest } from './compute-worker.ts';
import { DEFAULT_QUEUE_SCHEMA, errorText, failureOf, fromJsonb, openBoss, resultQueueOf, TASK_QUEUE, toJsonb, type ResultMessage, type TaskMessage } from './queue-protocol.ts';

export interface QueueComputeOptions extends ComputeOptions {
  /** The PostgreSQL that holds the queue, shared with the workers. */
  database: string;
  /** pg-boss's schema in it (default redress_queue). */
  schema?: string | undefined;
  /**
   * How many tasks the workers run at once, all machines together (default 8). Like --workers of
   * `redress compute` it only decides how finely the input is cut, never a byte of the output.
   */
  slots?: number | undefined;
  /** A task whose worker has not been heard from for this long is given to another (>= 10, default 30). */
  heartbeatSeconds?: number | undefined;
  /** Attempts after the first before the run fails (default 3). */
  retries?: number | undefined;
  /** Problems with the queue that the run survives (a lost connection, say). */
  onWarning?: ((message: string) => void) | undefined;
}

/**
 * The queue failed the run: its database could not be reached, or a task failed on every
 * attempt (the run stops, as it would on a bug in a thread).
 */
export class QueueError extends Error {
  override readonly name = 'QueueError';
}

const DEFAULT_SLOTS = 8;
const DEFAULT_HEARTBEAT_SECONDS = 30;
const DEFAULT_RETRIES = 3;
/** A task's attempt that runs this long is hung, heartbeat or not. */
const EXPIRE_SECONDS = 4 * 60 * 60;
const INSERT_BATCH = 500;
const RESULT_BATCH = 100;
const RESULT_POLL_MS = 100;
/** The run fails when the queue's database cannot be read for this long. */
const UNREACHABLE_MS = 60_000;

/**
 * `redress compute-coordinator`: computeCase with its scan and partition tasks run by worker
 * processes (`redress compute-worker`, queue-worker.ts) that take them from a pg-boss queue on a
 * shared PostgreSQL, on this machine or others. The plan of the work and the assembly of the
 * outputs are computeCase's own, so the output is byte-identical to `redress compute`'s.
 *
 * The workers reach the inputs and the work folder (inside `out`) by the same paths as this
 * process: a shared filesystem. Paths are made absolute here for that.
 */
export async function computeCaseOnQueue(options: QueueComputeOptions): Promise<ComputeSummary> {
  const absolute: QueueComputeOptions = { ...options, out: resolve(options.out) };
  for (const role of INPUT_ROLES) {
    const path = options[role];
    if (path) absolute[role] = resolve(path);
  }
  const slots = Math.max(1, options.slots ?? DEFAULT_SLOTS);
  const starting = QueueTaskRunner.start(absolute);
  // computeCaseOn awaits it only once the work is planned; a refusal must wait for it unreported.
  starting.catch(() => undefined);
  return computeCaseOn(absolute, slots, starting);
}

interface Pending {
  kind: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Publishes each task as a job and resolves it with the value its worker reports on the run's
 * result queue. pg-boss does the rest: a job whose worker stops sending heartbeats (it died, or
 * its machine did) is failed by the supervisor this process runs and taken again by another
 * worker, up to `retries` times; then it is dead-lettered to the result queue and the run fails.
 */
class QueueTaskRunner implements TaskRunner {
  /** Tasks run in other processes, perhaps on other machines: spills go through files. */
  readonly sharesMemory = false;
  private readonly boss: PgBoss;
  private readonly runId: string;
  private readonly results: string;
  private readonly options: QueueComputeOptions;
  private readonly pending = new Map<string, Pending>();
  private readonly sent: string[] = [];
  private outbox: JobInsert[] = [];
  private closed = false;
  private collecting: Promise<void> = Promise.resolve();

  private constructor(boss: PgBoss, run: string, options: QueueComputeOptions) {
    this.boss = boss;
    this.runId = run;
    this.results = resultQueueOf(run);
    this.options = options;
  }

  static async start(options: QueueComputeOptions): Promise<QueueTaskRunner> {
    const heartbeat = options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS;
    // This process supervises: it fails the jobs of silent workers, so it looks often enough to
    // notice one within a fraction of the heartbeat.
    const supervise = Math.max(1, Math.min(10, Math.floor(heartbeat / 5)));
    const boss = openBoss(options.database, options.schema ?? DEFAULT_QUEUE_SCHEMA, {
      supervise: true, superviseIntervalSeconds: supervise, monitorIntervalSeconds: supervise, instanceName: 'redress compute-coordinator', max: 4,
    });
    boss.on('error', (error) => options.onWarning?.(`queue: ${errorText(error)}`));
    const runner = new QueueTaskRunner(boss, randomUUID().replaceAll('-', ''), options);
    try {
      await boss.start();
      await boss.createQueue(TASK_QUEUE);
      await boss.createQueue(runner.results);
    } catch (error) {
      await boss.stop({ graceful: false }).catch(() => undefined);
      throw new QueueError(`the queue's database cannot be used: ${errorText(error)}`);
    }
    runner.collecting = runner.collect();
    return runner;
  }

  run(request: WorkerRequest): Promise<unknown> {
    if (request.kind === 'init') throw new Error('a queued run loads its case in each worker');
    return new Promise((resolve, reject) => {
      const id = randomUUID();
      this.pending.set(id, { kind: request.kind, resolve, reject });
      const message: TaskMessage = { run: this.runId, results: this.results, paths: inputPathsOf(this.options), request };
      this.outbox.push({
        id, data: toJsonb(message) as object, deadLetter: this.results,
        retryLimit: this.options.retries ?? DEFAULT_RETRIES, heartbeatSeconds: this.options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS, expireInSeconds: EXPIRE_SECONDS,
      });
      // computeCase hands out a phase's tasks all at once: they go in a few inserts, not one each.
      if (this.outbox.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const jobs = this.outbox;
    this.outbox = [];
    for (let at = 0; at < jobs.length; at += INSERT_BATCH) {
      const batch = jobs.slice(at, at + INSERT_BATCH);
      try {
        await this.boss.insert(TASK_QUEUE, batch);
        this.sent.push(...batch.map((job) => job.id!));
      } catch (error) {
        for (const job of batch) this.settle(job.id!, (pending) => pending.reject(error instanceof Error ? error : new Error(String(error))));
      }
    }
  }

  /** Takes the results off the run's queue as they come. */
  private async collect(): Promise<void> {
    let failingSince: number | null = null;
    while (!this.closed) {
      let jobs: JobWithMetadata<unknown>[];
      try {
        jobs = await this.boss.fetch<unknown>(this.results, { batchSize: RESULT_BATCH, includeMetadata: true });
        failingSince = null;
      } catch (error) {
        failingSince ??= Date.now();
        const message = errorText(error);
        if (Date.now() - failingSince > UNREACHABLE_MS) {
          for (const id of [...this.pending.keys()]) this.settle(id, (pending) => pending.reject(new QueueError(`the queue cannot be read: ${message}`)));
          return;
        }
        this.options.onWarning?.(`queue: ${message}; trying again`);
        await sleep(1000);
        continue;
      }
      for (const job of jobs) {
        if (job.sourceId !== null) {
          // Dead-lettered: the task failed on its every attempt.
          this.settle(job.sourceId, (pending) =>
            pending.reject(new QueueError(`a ${pending.kind} task failed on ${attemptsOf(job.sourceRetryCount)}; the last: ${failureOf(job.sourceOutput)}`)));
        } else {
          const result = fromJsonb(job.data) as ResultMessage;
          // A task retried after its first worker went silent may report twice; the first report wins.
          this.settle(result.task, (pending) => pending.resolve(result.value));
        }
      }
      if (jobs.length > 0) await this.boss.deleteJob(this.results, jobs.map((job) => job.id)).catch(() => undefined);
      else await sleep(RESULT_POLL_MS);
    }
  }

  private settle(id: string, how: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    how(pending);
  }

  /** Never throws: the run's own outcome is what its caller must hear. */
  async close(): Promise<void> {
    this.closed = true;
    await this.collecting;
    try {
      // A run that failed leaves tasks queued or running: removed, no worker takes them up, and
      // one still running finds its run's folder gone and stops. The result queue can go only
      // once no job names it as its dead letter queue.
      for (let at = 0; at < this.sent.length; at += INSERT_BATCH) await this.boss.deleteJob(TASK_QUEUE, this.sent.slice(at, at + INSERT_BATCH));
      await this.boss.deleteQueue(this.results);
    } catch (error) {
      this.options.onWarning?.(`queue: the run's jobs could not all be removed: ${errorText(error)}`);
    }
    await this.boss.stop({ graceful: false }).catch((error: unknown) => this.options.onWarning?.(`queue: ${errorText(error)}`));
  }
}

function attemptsOf(retries: number | null): string {
  const attempts = (retries ?? 0) + 1;
  return attempts === 1 ? 'its only attempt' : `all ${attempts} attempts`;
}
