import cliProgress from 'cli-progress';
import type { CaseInputPaths } from '../batch/case-input-paths.ts';
import type { CsvEncoding } from '../io/csv-scan.ts';
import { UsageError } from './command.ts';

export function encodingFlag(value: string | undefined): CsvEncoding {
  if (value === undefined) return 'utf-8';
  const normalized = value.toLowerCase();
  if (normalized === 'utf-8' || normalized === 'utf8') return 'utf-8';
  if (normalized === 'gb18030' || normalized === 'gbk') return 'gb18030';
  throw new UsageError(`--encoding ${value} is not supported: use utf-8 or gb18030`);
}

export function positiveIntegerFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${name} must be a positive integer, not '${value}'`);
  return Number(value);
}

/**
 * A progress bar on stderr when stderr is a terminal; silent otherwise, so logs and pipes stay
 * clean.
 */
export function progressReporter(units: Record<string, string>): { update: (phase: string, done: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: ' {phase} [{bar}] {percentage}% | {value}/{total} {unit}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(phase, done, total) {
      if (!started) {
        bar.start(total, done, { phase, unit: units[phase] ?? '' });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { phase, unit: units[phase] ?? '' });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** The flags naming a case's input files, shared by every command that reads a case. */
export const CASE_INPUT_FLAGS = {
  plan: { type: 'string' }, trades: { type: 'string' }, holdings: { type: 'string' }, market: { type: 'string' },
  index: { type: 'string' }, actions: { type: 'string' }, ratios: { type: 'string' }, encoding: { type: 'string' },
} as const;

/** The input paths given by CASE_INPUT_FLAGS; --plan and --trades are required. */
export function caseInputPaths(values: Partial<Record<keyof typeof CASE_INPUT_FLAGS, string>>): CaseInputPaths {
  if (!values.plan) throw new UsageError('--plan is required');
  if (!values.trades) throw new UsageError('--trades is required');
  const { holdings, market, index, actions, ratios } = values;
  return { plan: values.plan, trades: values.trades, holdings, market, index, actions, ratios, encoding: encodingFlag(values.encoding) };
}
