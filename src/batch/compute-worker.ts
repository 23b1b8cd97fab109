import { parentPort } from 'node:worker_threads';
import type { LossCase } from '../domain/loss/loss-case.ts';
import { loadLossCase, type CaseInputPaths } from './case-inputs.ts';
import { runPartitionTask, type PartitionTask } from './partition-task.ts';
import { runScanTask, type ScanTask } from './scan-task.ts';
import { scanBuffersOf } from './task-pool.ts';

/**
 * A worker thread of `redress compute`. It loads the case itself (the shared files are small and
 * the result is deterministic), then runs scan and partition tasks as the main thread hands them
 * out, one at a time.
 */
export type WorkerRequest =
  | { kind: 'init'; paths: CaseInputPaths }
  | { kind: 'scan'; task: ScanTask }
  | { kind: 'partition'; task: PartitionTask };

let lossCase: LossCase | null = null;

parentPort!.on('message', async (request: WorkerRequest) => {
  try {
    if (request.kind === 'init') {
      lossCase = await loadLossCase(request.paths);
      parentPort!.postMessage({ ok: true, value: null });
    } else if (request.kind === 'scan') {
      const result = await runScanTask(request.task);
      parentPort!.postMessage({ ok: true, value: result }, scanBuffersOf(result));
    } else {
      parentPort!.postMessage({ ok: true, value: await runPartitionTask(request.task, lossCase!) });
    }
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: error instanceof Error ? `${error.stack ?? error.message}` : String(error) });
  }
});
