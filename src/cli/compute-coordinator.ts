import { parseArgs } from 'node:util';
import { COMPUTE_PROGRESS_UNITS } from '../batch/compute-case.ts';
import { DEFAULT_QUEUE_SCHEMA } from '../batch/queue-protocol.ts';
import { computeCaseOnQueue, QueueError } from '../batch/queue-runner.ts';
import { reportComputeSummary } from './compute.ts';
import { runCommand, UsageError } from './command.ts';
import { CASE_INPUT_FLAGS, caseInputPaths, positiveIntegerFlag, progressReporter } from './options.ts';

export const computeCoordinatorHelp = `redress compute-coordinator — compute a case on worker processes, through a PostgreSQL queue

Usage:
  redress compute-coordinator --database URL --plan plan.json --trades trades.csv
                  [--holdings F] [--market F] [--index F] [--actions F] [--ratios F]
                  [--encoding utf-8|gb18030] [--sheets] [--schema S] [--slots N]
                  [--heartbeat SECONDS] [--retries N] --out DIR

The same computation and the same output files as 'redress compute' (byte for byte), with the
scan and partition tasks published as jobs on a pg-boss queue in PostgreSQL and run by
'redress compute-worker' processes on this machine or others, started before or after this
command. Workers read the inputs and write to DIR by the paths given here: DIR and the inputs
must be on storage every worker mounts at the same path (see docs/scaling.md).

  --database URL   the PostgreSQL of the queue (default: DATABASE_URL)
  --schema S       the queue's schema in it (default: ${DEFAULT_QUEUE_SCHEMA}); the workers' too
  --slots N        tasks the workers run at once, all together (default 8); it sets how finely
                   the input is cut, never the output
  --heartbeat S    a task whose worker is silent this long goes to another (default 30, min 10)
  --retries N      attempts after the first before the run fails (default 3)
  Case inputs and --sheets: as for 'redress compute' (redress compute --help).

A task that fails on every attempt, or a queue that cannot be reached, stops the run with one
line and exit code 1, and no output files.`;

export async function runComputeCoordinator(args: string[]): Promise<number> {
  return runCommand(computeCoordinatorHelp, async () => {
    const { values } = parseArgs({
      args,
      options: {
        ...CASE_INPUT_FLAGS, out: { type: 'string' }, sheets: { type: 'boolean' }, database: { type: 'string' }, schema: { type: 'string' },
        slots: { type: 'string' }, heartbeat: { type: 'string' }, retries: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    const paths = caseInputPaths(values);
    if (!values.out) throw new UsageError('--out is required');
    const database = values.database ?? process.env['DATABASE_URL'];
    if (!database) throw new UsageError('--database is required (or DATABASE_URL)');
    const heartbeatSeconds = positiveIntegerFlag('heartbeat', values.heartbeat, 30);
    if (heartbeatSeconds < 10) throw new UsageError('--heartbeat must be at least 10 seconds');
    const retries = values.retries === '0' ? 0 : positiveIntegerFlag('retries', values.retries, 3);
    const progress = progressReporter(COMPUTE_PROGRESS_UNITS);
    try {
      const summary = await computeCaseOnQueue({
        ...paths, out: values.out, sheets: values.sheets === true, database, schema: values.schema,
        slots: positiveIntegerFlag('slots', values.slots, 8), heartbeatSeconds, retries,
        onProgress: progress.update, onWarning: (message) => void process.stderr.write(`redress: ${message}\n`),
      });
      progress.stop();
      reportComputeSummary(summary);
      return 0;
    } catch (error) {
      progress.stop();
      if (!(error instanceof QueueError)) throw error;
      process.stderr.write(`redress: ${error.message}\n`);
      return 1;
    }
  });
}
