import { computeCase } from '../src/batch/compute-case.ts';

/**
 * Runs one computation in a fresh process and prints its wall time and peak resident memory as
 * JSON, so the benchmark measures each run on its own (worker threads included in the memory).
 */
const [caseDir, out, workers] = process.argv.slice(2) as [string, string, string];
const file = (name: string) => `${caseDir}/${name}`;
const started = performance.now();
const summary = await computeCase({
  plan: file('plan.json'), trades: file('trades.csv'), holdings: file('holdings.csv'), market: file('market.csv'),
  index: file('index.csv'), actions: file('actions.csv'), encoding: 'utf-8', out, workers: Number(workers),
});
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, investors: summary.counts.investors, partitions: summary.partitions })}\n`);
