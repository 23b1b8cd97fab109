import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COMPUTE_PROGRESS_UNITS, computeCase } from '../batch/compute-case.ts';
import { runCommand } from './command.ts';
import { progressReporter } from './options.ts';

/** The demo case shipped with the project, made by `redress demo-data` (see its README.md). */
export const DEMO_CASE_DIR = fileURLToPath(new URL('../../examples/demo-case/', import.meta.url));

export const demoHelp = `redress demo — compute the bundled demo case

Usage: redress demo [--out DIR]

Computes examples/demo-case (a synthetic case of 2,000 investors written by
'redress demo-data --investors 2000 --seed 2026') and prints where the results are.
  --out DIR   where to write (default: out/demo)`;

export async function runDemo(args: string[]): Promise<number> {
  return runCommand(demoHelp, async () => {
    const { values } = parseArgs({ args, options: { out: { type: 'string' } }, strict: true, allowPositionals: false });
    const out = resolve(values.out ?? 'out/demo');
    const input = (name: string) => resolve(DEMO_CASE_DIR, name);
    const progress = progressReporter(COMPUTE_PROGRESS_UNITS);
    const summary = await computeCase({
      plan: input('plan.json'), trades: input('trades.csv'), holdings: input('holdings.csv'), market: input('market.csv'),
      index: input('index.csv'), actions: input('actions.csv'), encoding: 'utf-8', out, onProgress: progress.update,
    });
    progress.stop();
    const { counts, totals } = summary;
    const compensation = await readFile(summary.files.compensation, 'utf8');
    const example = /\n([^,\n]+),payable,/.exec(compensation)?.[1] ?? '<investor>';
    const shown = (name: string) => relative(process.cwd(), input(name)) || input(name);
    process.stdout.write(
      `Redress demo case (${DEMO_CASE_DIR})\n` +
        `${counts.investors} investors: ${counts.payable} payable, ${counts.zero} zero, ${counts.ineligible} ineligible, ${counts.rejected} rejected\n` +
        `total payable: ${totals.total} yuan (principal ${totals.principal}, commission ${totals.commission}, stamp duty ${totals.stamp_duty})\n\n` +
        `results:\n  ${summary.files.compensation}\n  ${summary.files.rejects}\n  ${summary.files.summary}\n\n` +
        `next: the calculation sheet of one investor (add --lang en for English):\n  npx redress explain --plan ${shown('plan.json')} --trades ${shown('trades.csv')} \\\n` +
        `    --holdings ${shown('holdings.csv')} --market ${shown('market.csv')} --index ${shown('index.csv')} \\\n` +
        `    --actions ${shown('actions.csv')} --investor ${example}\n`,
    );
    return 0;
  });
}
