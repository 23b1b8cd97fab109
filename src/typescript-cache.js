import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';

/**
 * A load hook that keeps the type-stripped text of each `.ts` module on disk, keyed by the
 * SHA-256 of Node's version and the module's source, in the checkout's node_modules/.cache (or
 * `REDRESS_STRIPPED_CACHE`): never in a directory other users can write, since what is there is
 * run. Node 22 strips types anew at every start (its compile cache keeps the compiled code, not
 * the stripping), and that — loading the stripper, then running it over every module — took
 * about 0.1 s of each thread's start of `redress compute`, a tenth of a run on 1M rows. A
 * changed source has another key, so nothing stale is ever loaded; a missing or unwritable
 * directory only means stripping as Node would. Plain JavaScript, since it must load before any TypeScript.
 *
 * bin/redress.js imports it for its thread, and the compute threads are started with it
 * (`startComputeWorker`, batch/task-pool.ts): hooks are per thread. `NODE_DISABLE_COMPILE_CACHE` turns it off.
 */
const directory = process.env.REDRESS_STRIPPED_CACHE || fileURLToPath(new URL('../node_modules/.cache/redress-stripped', import.meta.url));

if (!process.env.NODE_DISABLE_COMPILE_CACHE) {
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
      const source = readFileSync(fileURLToPath(url), 'utf8');
      const path = join(directory, `${strippedKey(source)}.js`);
      let stripped;
      try {
        stripped = readFileSync(path, 'utf8');
      } catch {
        stripped = strip(source);
        try {
          mkdirSync(directory, { recursive: true });
          // Written whole under another name, then renamed: a thread or process reading it meanwhile never sees half.
          const partial = `${path}.${process.pid}-${threadId}`;
          writeFileSync(partial, stripped);
          renameSync(partial, path);
        } catch {
          // Only a slower next start.
        }
      }
      return { format: 'module', source: stripped, shortCircuit: true };
    },
  });
}

/** The name of a source's stripped text in the cache. */
function strippedKey(source) {
  return createHash('sha256').update(process.version).update('\0').update(source).digest('hex');
}

/**
 * Node's own stripping, the one it applies to `.ts` modules. Its API warns once that it is
 * experimental, on stderr, which would reach a user of the CLI on a first run; that one warning is
 * held back (the stripping is the one Node runs anyway).
 */
function strip(source) {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return stripTypeScriptTypes(source);
  } finally {
    process.emitWarning = emitWarning;
  }
}
