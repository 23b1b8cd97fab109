import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import { INPUT_ROLES, inputPathsOf, type CaseInputPaths } from './case-input-paths.ts';

/**
 * The fingerprints of a computation's inputs, which summary.json records: SHA-256 of each file's
 * bytes, as `sha256sum` prints it, and one digest over all of them. This module imports nothing
 * of the engine, so that the thread that hashes starts in a few milliseconds.
 */

export interface InputHashes {
  files: Record<string, { file: string; sha256: string }>;
  sha256: string;
}

/** SHA-256 of each input file's bytes, and one digest over all of them (role, name, digest per line). */
export function hashInputs(paths: CaseInputPaths): InputHashes {
  const files: Record<string, { file: string; sha256: string }> = {};
  for (const role of INPUT_ROLES) {
    const path = paths[role];
    if (!path) continue;
    files[role] = { file: basename(path), sha256: hashFile(path) };
  }
  const combined = createHash('sha256');
  for (const role of INPUT_ROLES) {
    const entry = files[role];
    if (entry) combined.update(`${role}\t${entry.file}\t${entry.sha256}\n`);
  }
  combined.update(`encoding\t${paths.encoding}\n`);
  return { files, sha256: combined.digest('hex') };
}

/** One file's SHA-256, read through one buffer. */
function hashFile(path: string): string {
  const hash = createHash('sha256');
  const descriptor = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const bytesRead = readSync(descriptor, buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
    }
  } finally {
    closeSync(descriptor);
  }
  return hash.digest('hex');
}

/**
 * hashInputs on a thread of its own, beside the computation. On the thread that computes, the
 * hash took its turns between tasks: a tenth of a one-thread run's time on 1M rows, and on two
 * threads it held up the other thread at the barrier between the phases. A file that cannot be
 * read rejects with the thread's error; a thread that cannot start or stops without an answer
 * leaves the hash to this thread, as before.
 */
export function hashInputsBeside(paths: CaseInputPaths): Promise<InputHashes> {
  const request = inputPathsOf(paths);
  const here = () => hashInputs(request);
  let worker: Worker;
  try {
    worker = new Worker(new URL('./input-hashes-worker.ts', import.meta.url), { workerData: request, execArgv: [] });
  } catch {
    return Promise.resolve().then(here);
  }
  return new Promise<InputHashes>((resolve, reject) => {
    let answered = false;
    worker.once('message', (reply: { ok: true; hashes: InputHashes } | { ok: false; message: string }) => {
      answered = true;
      if (reply.ok) resolve(reply.hashes);
      else reject(new Error(reply.message));
    });
    const instead = () => {
      if (answered) return;
      answered = true;
      try {
        resolve(here());
      } catch (error) {
        reject(error);
      }
    };
    worker.once('error', instead);
    worker.once('exit', instead);
  });
}
