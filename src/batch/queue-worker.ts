import { existsSync } from 'node:fs';
import { mkdir, rename, rm, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job, JobAttempt, PgBoss } from 'pg-boss';
import type { WorkerRequest } from './compute-worker.ts';
import { partitionOutputPath, partitionRejectsPath, partitionSheetsPath, type PartitionResult } from './partition-task.ts';
import { DEFAULT_QUEUE_SCHEMA, errorText, fromJsonb, openBoss, TASK_QUEUE, toJsonb, type ResultMessage, type TaskMessage } from './queue-protocol.ts';
import { spillPath, type ScanResult } from './scan-task.ts';
import { callWorker, startComputeWorker } from './task-pool.ts';

export interface QueueWorkerOptions {
  database: string;
  schema?: string | undefined;
  /** Tasks run at once, each on a thread of its own. */
  concurrency: number;
  /** A line per task started, finished or failed, and per problem with the queue. */
  log?: ((line: string) => void) | undefined;
}

export interface QueueWorker {
  /** Takes no more tasks, lets the running ones finish, and disconnects. */
  stop(): Promise<void>;
}

export class QueueUnavailable extends Error {
  override readonly name = 'QueueUnavailable';
}

/** How long an idle slot waits before asking the queue again. */
const IDLE_POLL_MS = 500;
/** And when the queue's database did not answer. */
const UNREACHABLE_POLL_MS = 5000;

/**
 * `redress compute-worker`: takes scan and partition tasks from the queue (queue-protocol.ts)
 * and runs them with the very functions `redress compute` runs on its threads (compute-worker.ts
 * on a thread per slot), whatever run they belong to.
 *
 * Tasks run on threads so that this thread stays free to send the job's heartbeats: a task
 * takes seconds, and a worker that goes quiet that long would have its job given to another.
 *
 * A task's outputs go to a folder of its own attempt and are renamed into the run's folder when
 * complete, so a worker that dies mid-task, or one presumed dead that still finishes, never
 * leaves a partial file where the coordinator or another task reads; a retried task writes the
 * same bytes, tasks being functions of their inputs only.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const log = options.log ?? (() => undefined);
  const boss = openBoss(options.database, options.schema ?? DEFAULT_QUEUE_SCHEMA, {
    supervise: false, instanceName: 'redress compute-worker', max: options.concurrency + 2,
  });
  boss.on('error', (error) => log(`queue: ${errorText(error)}`));
  try {
    await boss.start();
    await boss.createQueue(TASK_QUEUE);
  } catch (error) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw new QueueUnavailable(`the queue's database cannot be used: ${errorText(error)}`);
  }
  const stopping = new AbortController();
  const slots = Array.from({ length: options.concurrency }, () => takeTasks(boss, stopping.signal, log));
  let stopped: Promise<void> | null = null;
  return {
    stop: () =>
      (stopped ??= (async () => {
        stopping.abort();
        await Promise.all(slots);
        await boss.stop({ graceful: false });
      })()),
  };
}

/** One slot: a task at a time, on its own thread, until told to stop. */
async function takeTasks(boss: PgBoss, stopping: AbortSignal, log: (line: string) => void): Promise<void> {
  let thread = new TaskThread();
  try {
    while (!stopping.aborted) {
      let job: Job<object> | undefined;
      let wait = IDLE_POLL_MS;
      try {
        [job] = await boss.fetch<object>(TASK_QUEUE, { batchSize: 1 });
      } catch (error) {
        log(`queue: ${errorText(error)}`);
        wait = UNREACHABLE_POLL_MS;
      }
      if (job === undefined) {
        await sleep(wait, undefined, { signal: stopping }).catch(() => undefined);
        continue;
      }
      if (thread.exited) thread = new TaskThread();
      await runJob(boss, job, thread, log);
    }
  } finally {
    await thread.terminate();
  }
}

async function runJob(boss: PgBoss, job: Job<object>, thread: TaskThread, log: (line: string) => void): Promise<void> {
  const attempt: JobAttempt = { id: job.id, retryCount: job.retryCount };
  const heartbeat = job.heartbeatSeconds
    ? setInterval(() => void boss.touch(TASK_QUEUE, attempt).catch((error: unknown) => log(`queue: heartbeat: ${errorText(error)}`)), job.heartbeatSeconds * 500)
    : null;
  const started = Date.now();
  let name = `job ${job.id}`;
  try {
    const message = fromJsonb(job.data) as TaskMessage;
    name = `${message.request.kind} ${message.request.kind === 'scan' ? message.request.task.task : message.request.task.partition} of run ${message.run}`;
    log(`${name}: started (job ${job.id}, attempt ${job.retryCount + 1})`);
    const value = await runTask(message, job, thread);
    if (value === ABANDONED) {
      log(`${name}: its run is over; dropped`);
    } else {
      const result: ResultMessage = { task: job.id, value };
      await boss.send(message.results, toJsonb(result) as object);
      log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(2)} s`);
    }
    await boss.complete(TASK_QUEUE, attempt);
  } catch (error) {
    log(`${name}: failed: ${errorText(error)}`);
    await boss.fail(TASK_QUEUE, attempt, { message: errorText(error) }).catch((failing: unknown) => log(`queue: ${errorText(failing)}`));
  } finally {
    if (heartbeat !== null) clearInterval(heartbeat);
  }
}

const ABANDONED = Symbol('abandoned');

async function runTask(message: TaskMessage, job: Job<object>, thread: TaskThread): Promise<unknown> {
  const { request } = message;
  const workDir = request.task.workDir;
  // The coordinator removes the run's folder when the run ends, failed or not.
  if (!existsSync(workDir)) return ABANDONED;
  const attemptDir = join(workDir, `attempt-${job.id}-${job.retryCount}`);
  // Not recursive: a run that ended meanwhile must not get its folder back.
  await mkdir(attemptDir);
  try {
    if (request.kind === 'scan') {
      const task = request.task;
      const result = (await thread.call({ kind: 'scan', task: { ...task, workDir: attemptDir } })) as ScanResult;
      for (const partition of result.partitions) await rename(spillPath(attemptDir, task.task, partition), spillPath(workDir, task.task, partition));
      return result;
    }
    const task = request.task;
    // The partition reads the scans' spill files from the folder it writes to: its attempt's,
    // where links point at them.
    for (const source of task.sources) {
      await symlink(join('..', basename(spillPath(workDir, source.task, task.partition))), spillPath(attemptDir, source.task, task.partition));
    }
    if (thread.run !== message.run) {
      thread.run = null;
      await thread.call({ kind: 'init', paths: message.paths });
      thread.run = message.run;
    }
    const result = (await thread.call({ kind: 'partition', task: { ...task, workDir: attemptDir } })) as PartitionResult;
    for (const pathOf of task.sheets ? [partitionOutputPath, partitionRejectsPath, partitionSheetsPath] : [partitionOutputPath, partitionRejectsPath]) {
      await rename(pathOf(attemptDir, task.partition), pathOf(workDir, task.partition));
    }
    return result;
  } finally {
    await rm(attemptDir, { recursive: true, force: true });
  }
}

/** A thread running compute-worker.ts, as TaskPool's threads do; it holds one run's case at a time. */
class TaskThread {
  private readonly worker = startComputeWorker();
  /** The run whose case the thread has loaded. */
  run: string | null = null;
  exited = false;

  constructor() {
    this.worker.once('exit', () => (this.exited = true));
  }

  call(request: WorkerRequest): Promise<unknown> {
    return callWorker(this.worker, request);
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}
