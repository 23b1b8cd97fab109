import { parentPort } from 'node:worker_threads';
import type { LossCase } from '../domain/loss/loss-case.ts';
import type { CaseInputPaths } from './case-input-paths.ts';
import { loadLossCase } from './case-inputs.ts';
import { runPartitionTask, type PartitionTask } from './partition-task.ts';
import { runScanTask, type ScanTask } from './scan-task.ts';

/**
 * A worker thread of `redress compute`. It loads the case itself (the shared files are small and
 * the result is deterministic), then runs scan and partition tasks one at a time, in the order the
 * main thread sends them (which may send the next before this one is done).
 */
export type WorkerRequest =
  | { kind: 'init'; paths: CaseInputPaths }
  | { kind: 'scan'; task: ScanTask }
  | { kind: 'partition'; task: PartitionTask };

let lossCase: LossCase | null = null;

// Each request comes with an id, which its answer carries: several may be in flight.
parentPort!.on('message', async ({ id, request }: { id: number; request: WorkerRequest }) => {
  try {
    if (request.kind === 'init') {
      lossCase = await loadLossCase(request.paths);
      parentPort!.postMessage({ id, ok: true, value: null });
    } else if (request.kind === 'scan') {
      const result = await runScanTask(request.task);
      // The spill in memory is views of this thread's shared slabs (SpillArena): nothing to transfer.
      parentPort!.postMessage({ id, ok: true, value: result });
    } else {
      const result = await runPartitionTask(request.task, lossCase!);
      // The lines in memory move to the main thread, not copied.
      parentPort!.postMessage({ id, ok: true, value: result }, result.output ? [result.output.buffer as ArrayBuffer] : []);
    }
  } catch (error) {
    parentPort!.postMessage({ id, ok: false, error: error instanceof Error ? `${error.stack ?? error.message}` : String(error) });
  }
});
