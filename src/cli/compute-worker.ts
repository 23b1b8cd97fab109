import { availableParallelism, hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_QUEUE_SCHEMA } from '../batch/queue-protocol.ts';
import { QueueUnavailable, startQueueWorker, type QueueWorker } from '../batch/queue-worker.ts';
import { runCommand, UsageError } from './command.ts';
import { positiveIntegerFlag } from './options.ts';

export const computeWorkerHelp = `redress compute-worker — run the tasks of 'redress compute-coordinator' runs

Usage: redress compute-worker --database URL [--schema S] [--concurrency N]

Takes scan and partition tasks of any run from the pg-boss queue in PostgreSQL and runs them,
N at once on threads, until stopped with SIGINT or SIGTERM (the running tasks finish first).
Start as many as you like, on any machine that mounts the runs' inputs and output folders at
the same paths as the coordinator's (docs/scaling.md). A worker that dies mid-task is noticed
when its heartbeat stops, and its task is run again by another.

  --database URL    the PostgreSQL of the queue (default: DATABASE_URL)
  --schema S        the queue's schema in it (default: ${DEFAULT_QUEUE_SCHEMA})
  --concurrency N   tasks at once (default: one per core)

Prints a line per task started, done or failed.`;

export async function runComputeWorker(args: string[]): Promise<number> {
  return runCommand(computeWorkerHelp, async () => {
    const { values } = parseArgs({
      args,
      options: { database: { type: 'string' }, schema: { type: 'string' }, concurrency: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    const database = values.database ?? process.env['DATABASE_URL'];
    if (!database) throw new UsageError('--database is required (or DATABASE_URL)');
    const concurrency = positiveIntegerFlag('concurrency', values.concurrency, availableParallelism());
    const log = (line: string) => void process.stdout.write(`${new Date().toISOString()} ${line}\n`);
    let worker: QueueWorker;
    try {
      worker = await startQueueWorker({ database, schema: values.schema, concurrency, log });
    } catch (error) {
      if (!(error instanceof QueueUnavailable)) throw error;
      process.stderr.write(`redress: ${error.message}\n`);
      return 1;
    }
    log(`compute-worker ${process.pid} on ${hostname()}: taking tasks, ${concurrency} at once`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    log('stopping: the running tasks finish first');
    await worker.stop();
    log('stopped');
    return 0;
  });
}
