import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareCodePoints } from '../domain/code-point-order.ts';
import { computeInvestorLoss, type InvestorResult, type InvestorStatus } from '../domain/loss/investor-loss.ts';
import type { LossCase } from '../domain/loss/loss-case.ts';
import type { RejectedRow } from '../domain/loss/investor-records.ts';
import { formatFen } from '../domain/money/fen.ts';
import {
  AMOUNT_COLUMNS, COMPENSATION_HEADER, REJECTS_HEADER, compensationLine, rejectLine, rowAmounts, type AmountColumn,
} from '../io/compensation-csv.ts';
import { readHoldingsFile, readRatiosFile, readTradesFile } from '../io/investor-files.ts';
import { hashInputs, loadLossCase, type CaseInputPaths } from './case-inputs.ts';
import { InvestorCollector } from './investor-collector.ts';
import { describeAppliedPlan } from './applied-plan.ts';

export interface ComputeOptions extends CaseInputPaths {
  out: string;
  onProgress?: (phase: 'read' | 'compute', done: number, total: number) => void;
}

export interface ComputeSummary {
  counts: Record<InvestorStatus, number> & { investors: number; rejectedRows: number };
  totals: Record<AmountColumn, string>;
  files: { compensation: string; rejects: string; summary: string };
}

/**
 * `redress compute`: reads a case, computes every investor and writes compensation.csv,
 * rejects.csv and summary.json. Output goes to temporary names first and is renamed only when
 * everything succeeded, so a case-level error leaves no output files behind.
 */
export async function computeCase(options: ComputeOptions): Promise<ComputeSummary> {
  const lossCase = await loadLossCase(options);
  const collector = new InvestorCollector();
  await readTradesFile(options.trades, options.encoding, collector);
  if (options.holdings) await readHoldingsFile(options.holdings, options.encoding, collector);
  if (options.ratios && lossCase.plan.riskDeduction.method === 'per-investor') await readRatiosFile(options.ratios, options.encoding, collector);

  const results: InvestorResult[] = [];
  let done = 0;
  for (const records of collector.records()) {
    results.push(computeInvestorLoss(records, lossCase));
    if (++done % 10_000 === 0) options.onProgress?.('compute', done, collector.size);
  }
  results.sort((a, b) => compareCodePoints(a.investor, b.investor));
  return writeOutputs(options, lossCase, results, collector.rejects);
}

export function sortRejects(rejects: RejectedRow[]): RejectedRow[] {
  return rejects.sort((a, b) => compareCodePoints(a.file, b.file) || a.line - b.line);
}

/** A running tally of statuses and amount totals over results, in any order. */
export class ResultTally {
  readonly counts: Record<InvestorStatus, number> = { payable: 0, zero: 0, ineligible: 0, rejected: 0 };
  readonly totals = Object.fromEntries(AMOUNT_COLUMNS.map((column) => [column, 0n])) as Record<AmountColumn, bigint>;

  add(result: InvestorResult): void {
    this.counts[result.status]++;
    const amounts = rowAmounts(result);
    for (const column of AMOUNT_COLUMNS) this.totals[column] += amounts[column];
  }

  merge(other: { counts: Record<InvestorStatus, number>; totals: Record<AmountColumn, bigint> }): void {
    for (const status of Object.keys(this.counts) as InvestorStatus[]) this.counts[status] += other.counts[status];
    for (const column of AMOUNT_COLUMNS) this.totals[column] += other.totals[column];
  }
}

async function writeOutputs(options: ComputeOptions, lossCase: LossCase, results: InvestorResult[], rejects: RejectedRow[]): Promise<ComputeSummary> {
  const tally = new ResultTally();
  const lines: string[] = [COMPENSATION_HEADER];
  for (const result of results) {
    tally.add(result);
    lines.push(compensationLine(result));
  }
  const rejectText = REJECTS_HEADER + sortRejects(rejects).map(rejectLine).join('');
  return commitOutputs(options, lossCase, tally, rejects.length, async (temporary) => {
    await writeFile(temporary.compensation, lines.join(''));
    await writeFile(temporary.rejects, rejectText);
  });
}

/**
 * Writes the three outputs under temporary names through `writeData` (compensation and rejects)
 * and the summary, then renames them into place.
 */
export async function commitOutputs(
  options: ComputeOptions,
  lossCase: LossCase,
  tally: ResultTally,
  rejectedRows: number,
  writeData: (temporary: { compensation: string; rejects: string }) => Promise<void>,
): Promise<ComputeSummary> {
  await mkdir(options.out, { recursive: true });
  const final = { compensation: join(options.out, 'compensation.csv'), rejects: join(options.out, 'rejects.csv'), summary: join(options.out, 'summary.json') };
  const temporary = { compensation: `${final.compensation}.partial`, rejects: `${final.rejects}.partial`, summary: `${final.summary}.partial` };
  try {
    await writeData(temporary);
    const counts = { ...tally.counts, investors: Object.values(tally.counts).reduce((a, b) => a + b, 0), rejectedRows };
    const totals = Object.fromEntries(AMOUNT_COLUMNS.map((column) => [column, formatFen(tally.totals[column])])) as Record<AmountColumn, string>;
    const summary = {
      plan: describeAppliedPlan(lossCase),
      counts,
      totals,
      inputs: await hashInputs(options),
    };
    await writeFile(temporary.summary, `${JSON.stringify(summary, null, 2)}\n`);
    for (const key of ['compensation', 'rejects', 'summary'] as const) await rename(temporary[key], final[key]);
    return { counts, totals, files: final };
  } catch (error) {
    await Promise.all(Object.values(temporary).map((path) => rm(path, { force: true })));
    throw error;
  }
}
