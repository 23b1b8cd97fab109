import { parentPort, workerData } from 'node:worker_threads';
import type { CaseInputPaths } from './case-input-paths.ts';
import { hashInputs } from './input-hashes.ts';

/** The thread of hashInputsBeside: hashes the inputs it is given and answers once. */
try {
  parentPort!.postMessage({ ok: true, hashes: hashInputs(workerData as CaseInputPaths) });
} catch (error) {
  parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
