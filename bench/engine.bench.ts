import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSyntheticCase } from '../src/demo/synthetic-case.ts';

/**
 * `npm run bench`: the loss engine end to end on generated cases of about 1M and 10M trade rows.
 * For each size, measured side by side in one run, each in its own process:
 *   - a bare line scan of trades.csv on one thread (read, decode, cut into lines);
 *   - `redress compute` as a user runs it (the command, its start included) on all cores and on
 *     one thread, checking that both give byte-identical output;
 * and it prints rows/s, peak memory and the ratio of each computation to the line scan.
 * Flags: --investors 110000,1100000 (about 9.1 trade rows each: 1.0M and 10.0M rows), --seed 1, --keep (reuse generated cases).
 */
const { values } = parseArgs({
  options: { investors: { type: 'string', default: '110000,1100000' }, seed: { type: 'string', default: '1' }, keep: { type: 'boolean', default: false } },
});
const work = fileURLToPath(new URL('./.work/', import.meta.url));
const redress = fileURLToPath(new URL('../bin/redress.js', import.meta.url));
const node = process.execPath;
const cores = availableParallelism();
// GNU time gives the peak resident memory of the whole process, worker threads included.
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function lineScan(path: string): { seconds: number; lines: number } {
  return JSON.parse(execFileSync(node, [fileURLToPath(new URL('./line-scan-child.ts', import.meta.url)), path], { encoding: 'utf8' }));
}

function compute(caseDir: string, out: string, workers: number): { seconds: number; maxRssMiB: number | null } {
  const file = (name: string) => `${caseDir}/${name}`;
  const args = [
    redress, 'compute', '--plan', file('plan.json'), '--trades', file('trades.csv'), '--holdings', file('holdings.csv'), '--market', file('market.csv'),
    '--index', file('index.csv'), '--actions', file('actions.csv'), '--out', out, '--workers', String(workers),
  ];
  const started = performance.now();
  const run = gnuTime === null ? spawnSync(node, args, { encoding: 'utf8' }) : spawnSync(gnuTime, ['-f', 'peak-kib %M', node, ...args], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`redress compute failed: ${run.stderr}`);
  const peak = /peak-kib (\d+)/.exec(run.stderr ?? '');
  return { seconds, maxRssMiB: peak ? Number(peak[1]) / 1024 : null };
}

console.log(`engine benchmark — ${cores} cores, Node ${process.version}`);
// The first start of a command fills Node's compile cache; every later start, as a user's, reads it.
execFileSync(node, [redress, 'compute', '--help']);
for (const investors of values.investors.split(',').map(Number)) {
  const caseDir = `${work}case-${investors}-${values.seed}`;
  if (!values.keep || !existsSync(`${caseDir}/trades.csv`)) {
    const generated = await writeSyntheticCase({ investors, seed: Number(values.seed), outDir: caseDir });
    console.log(`\ngenerated ${generated.rows.trades.toLocaleString('en')} trade rows for ${investors.toLocaleString('en')} investors`);
  }
  // The rows are counted by the line scan's child: reading the file here would leave this
  // process collecting a file's worth of garbage while the computations run beside it.
  const scan = lineScan(`${caseDir}/trades.csv`);
  const rows = scan.lines - 1;
  const parallel = compute(caseDir, `${caseDir}/out-parallel`, cores);
  const single = compute(caseDir, `${caseDir}/out-single`, 1);
  const identical = ['compensation.csv', 'rejects.csv', 'summary.json'].every(
    (file) => readFileSync(`${caseDir}/out-parallel/${file}`).equals(readFileSync(`${caseDir}/out-single/${file}`)),
  );
  const line = (name: string, run: { seconds: number; maxRssMiB?: number | null }) =>
    `  ${name.padEnd(30)} ${run.seconds.toFixed(2).padStart(7)} s ${Math.round(rows / run.seconds).toLocaleString('en').padStart(11)} rows/s` +
    `${run.maxRssMiB ? `  peak ${Math.round(run.maxRssMiB).toLocaleString('en').padStart(6)} MiB` : '                 '}` +
    `  ratio to line scan ${(run.seconds / scan.seconds).toFixed(2)}`;
  const summary = JSON.parse(readFileSync(`${caseDir}/out-parallel/summary.json`, 'utf8')) as { counts: { investors: number } };
  console.log(`\n${rows.toLocaleString('en')} trade rows, ${summary.counts.investors.toLocaleString('en')} investors`);
  console.log(line('bare line scan, 1 thread', scan));
  console.log(line(`redress compute, ${cores} threads`, parallel));
  console.log(line('redress compute, 1 thread', single));
  console.log(`  output of ${cores} threads and of 1 thread byte-identical: ${identical ? 'yes' : 'NO'}`);
  console.log(`  speed-up of ${cores} threads over 1: ${(single.seconds / parallel.seconds).toFixed(2)}×`);
  // The goal set for the engine, judged on the faster of the two runs (the default picks the
  // thread count by the input's size).
  const fastest = Math.min(parallel.seconds, single.seconds);
  const rate = rows / fastest;
  const ratio = fastest / scan.seconds;
  const met = rate >= 1_000_000 && ratio <= 3;
  console.log(`  goal (≥ 1,000,000 rows/s and ≤ 3 × the line scan), faster run: ${met ? 'met' : 'not met'} (${Math.round(rate).toLocaleString('en')} rows/s, ${ratio.toFixed(2)} ×)`);
  if (!identical) process.exitCode = 1;
  if (!values.keep) rmSync(caseDir, { recursive: true, force: true });
}
