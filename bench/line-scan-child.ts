import { stat } from 'node:fs/promises';
import { scanRangeLines } from '../src/batch/byte-ranges.ts';

/**
 * The floor a computation is measured against: reading the same file, decoding it and cutting it
 * into lines on one thread, with nothing done per line.
 */
const [path] = process.argv.slice(2) as [string];
const started = performance.now();
let lines = 0;
await scanRangeLines(path, { start: 0, end: (await stat(path)).size }, 'utf-8', () => {
  lines++;
});
process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - started) / 1000, lines })}\n`);
