/**
 * `redress demo-data`: write a deterministic synthetic case (the bundled demo and the benchmark input).
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { MAX_INVESTORS, writeSyntheticCase } from '../demo/synthetic-case.ts';

export const demoDataHelp = `Usage: redress demo-data --investors N --seed S --out DIR

Write a synthetic but realistic false-statement case (fictional security, exchange calendar, limit-down crash
after a weekend disclosure, bonus shares, suspension, investors of every profile) that \`redress compute\` runs on.
The same N and S always give byte-identical files.

Options:
  --investors N   number of investors, 1 to ${MAX_INVESTORS} (default 1000; about 10 trades each)
  --seed S        seed of the random generator, 0 to 4294967295 (default 1)
  --out DIR       directory to write into (required; created if missing, files in it are overwritten)
  --malformed     also write a few invalid trades rows, to see rejects.csv at work (default: clean data)
  -h, --help      show this help

Writes DIR/plan.json, market.csv, index.csv, trades.csv, holdings.csv, actions.csv and README.md (the case
and the exact \`redress compute\` command line for it).
`;

const PROGRESS_MIN_INVESTORS = 20_000;

function fail(message: string): number {
  process.stderr.write(`redress demo-data: ${message} (see redress demo-data --help)\n`);
  return 2;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** a whole number in [min, max] written in plain decimal digits, or undefined */
function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^[0-9]{1,10}$/.test(text)) return undefined;
  const v = Number(text);
  return v >= min && v <= max ? v : undefined;
}

export async function runDemoData(args: string[]): Promise<number> {
  let values: { investors?: string; seed?: string; out?: string; malformed?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        investors: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        malformed: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return fail(err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }
  if (values.help) {
    process.stdout.write(demoDataHelp);
    return 0;
  }
  const investors = wholeNumber(values.investors ?? '1000', 1, MAX_INVESTORS);
  if (investors === undefined) {
    return fail(`--investors must be a whole number from 1 to ${MAX_INVESTORS}, got '${values.investors}'`);
  }
  const seed = wholeNumber(values.seed ?? '1', 0, 0xffff_ffff);
  if (seed === undefined) return fail(`--seed must be a whole number from 0 to 4294967295, got '${values.seed}'`);
  if (values.out === undefined || values.out === '') return fail('--out DIR is required');

  let bar: cliProgress.SingleBar | undefined;
  if (process.stderr.isTTY && investors >= PROGRESS_MIN_INVESTORS) {
    bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: 'demo-data |{bar}| {percentage}% | trading day {value}/{total} | {investors} investors done',
        fps: 5,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1, 0, { investors: 0 });
  }
  let summary;
  try {
    summary = await writeSyntheticCase({
      investors,
      seed,
      outDir: values.out,
      malformed: values.malformed === true,
      ...(bar
        ? {
            onProgress: (done: number, days: number, totalDays: number) => {
              bar.setTotal(totalDays);
              bar.update(days, { investors: done });
            },
          }
        : {}),
    });
  } catch (err) {
    bar?.stop();
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`redress demo-data: cannot write the case to ${values.out}: ${message}\n`);
    return 1;
  }
  bar?.stop();

  const width = Math.max(...summary.files.map((f) => f.name.length));
  const lines = [
    `Wrote a synthetic case (investors ${summary.investors}, seed ${summary.seed}${summary.malformed ? ', with malformed rows' : ''}) to ${summary.outDir}`,
    ...summary.files.map(
      (f) => `  ${f.name.padEnd(width)}  ${f.name.endsWith('.csv') ? `${f.rows} ${f.rows === 1 ? 'row' : 'rows'}` : ''}`.trimEnd(),
    ),
    `Implementation ${summary.dates.implementationDate}, disclosure ${summary.dates.disclosureDate} (day 1 ${summary.dates.day1}), ` +
      `float turned over on day ${summary.floatReachedOnDay} (base date ${summary.dates.baseDate}).`,
    `Compute it: cd ${shellQuote(summary.outDir)} && ${summary.computeCommand}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
