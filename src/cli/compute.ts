import { parseArgs } from 'node:util';
import { COMPUTE_PROGRESS_UNITS, computeCase, type ComputeSummary } from '../batch/compute-case.ts';
import { runCommand, UsageError } from './command.ts';
import { CASE_INPUT_FLAGS, caseInputPaths, positiveIntegerFlag, progressReporter } from './options.ts';

export const computeHelp = `redress compute — compute every investor's compensation for a case

Usage:
  redress compute --plan plan.json --trades trades.csv [--holdings F] [--market F]
                  [--index F] [--actions F] [--ratios F] [--encoding utf-8|gb18030]
                  [--workers N] [--sheets] --out DIR

Inputs (loss-methodology.md §2; CSV with a header row, UTF-8 with or without BOM):
  --plan F       the plan's loss parameters (JSON)
  --trades F     investor,account,time,side,quantity,price
  --holdings F   investor,account,quantity — shares held at the start of the implementation date
  --market F     date,close,volume,float — one row per trading day of the security
  --index F      date,index,close — reference indices (index-comparison deduction)
  --actions F    date,ratio — bonus and capitalization shares (送股/转增)
  --ratios F     investor,ratio — per-investor deduction ratios (per-investor deduction)
  --encoding E   utf-8 (default) or gb18030
  --workers N    threads that compute (default: one per core; one for inputs under
                 64 MiB, which threads would only slow); the inputs' SHA-256 is
                 computed meanwhile on a thread of its own
  --sheets       also write sheets.jsonl: every investor's calculation sheet (as
                 'redress explain --format json' prints it), one JSON line per investor

Writes to DIR: compensation.csv (one row per investor, sorted), rejects.csv (every row that
could not be used, with file, line and reason) and summary.json (the plan as applied, counts,
totals and SHA-256 of the inputs). A plan or shared file that cannot be used stops the run with
one line naming the file, the line and the fix, exit code 2, and no output files (earlier
outputs in DIR are removed, so nothing stale reads as this run's).`;

export async function runCompute(args: string[]): Promise<number> {
  return runCommand(computeHelp, async () => {
    const { values } = parseArgs({
      args,
      options: { ...CASE_INPUT_FLAGS, out: { type: 'string' }, workers: { type: 'string' }, sheets: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    const paths = caseInputPaths(values);
    if (!values.out) throw new UsageError('--out is required');
    const progress = progressReporter(COMPUTE_PROGRESS_UNITS);
    const summary = await computeCase({
      ...paths,
      out: values.out,
      workers: values.workers === undefined ? undefined : positiveIntegerFlag('workers', values.workers, 1),
      sheets: values.sheets === true,
      onProgress: progress.update,
    });
    progress.stop();
    reportComputeSummary(summary);
    return 0;
  });
}

/** What `compute` and `compute-coordinator` print when a run succeeds: the plan's warnings on stderr, the summary on stdout. */
export function reportComputeSummary(summary: ComputeSummary): void {
  for (const warning of summary.warnings) process.stderr.write(`redress: warning: ${warning}\n`);
  process.stdout.write(describeComputeSummary(summary));
}

/** The counts, the total and the files of a run that succeeded. */
export function describeComputeSummary(summary: Pick<ComputeSummary, 'counts' | 'totals' | 'files'>): string {
  const { counts, totals, files } = summary;
  return (
    `${counts.investors} investors: ${counts.payable} payable, ${counts.zero} zero, ${counts.ineligible} ineligible, ${counts.rejected} rejected` +
    ` (${counts.rejectedRows} rejected rows)\ntotal payable: ${totals.total} yuan\nwritten: ${[files.compensation, files.rejects, files.summary, files.sheets].filter(Boolean).join(', ')}\n`
  );
}
