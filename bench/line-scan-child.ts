import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * The floor a computation is measured against: reading the same file, decoding it and cutting it
 * into line strings on one thread, with nothing done per line — the least any program that reads
 * the file as text lines does.
 */
const [path] = process.argv.slice(2) as [string];
const started = performance.now();
const decoder = new TextDecoder('utf-8');
let pending = '';
let lines = 0;
const size = (await stat(path)).size;
for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
  const text = pending + decoder.decode(chunk as Buffer, { stream: true });
  let start = 0;
  let newline = text.indexOf('\n');
  while (newline >= 0) {
    const line = text.slice(start, newline);
    if (line.length >= 0) lines++;
    start = newline + 1;
    newline = text.indexOf('\n', start);
  }
  pending = text.slice(start);
}
if ((pending + decoder.decode()).length > 0) lines++;
process.stdout.write(`${JSON.stringify({ seconds: (performance.now() - started) / 1000, lines, bytes: size })}\n`);
