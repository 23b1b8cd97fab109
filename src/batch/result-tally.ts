import type { InvestorStatus } from '../domain/loss/investor-loss.ts';
import { AMOUNT_COLUMNS, type AmountColumn } from '../io/compensation-csv.ts';

export interface TallyTotals {
  counts: Record<InvestorStatus, number>;
  totals: Record<AmountColumn, bigint>;
}

/** A running tally of statuses and amount totals over results, in any order. */
export class ResultTally {
  readonly counts: Record<InvestorStatus, number> = { payable: 0, zero: 0, ineligible: 0, rejected: 0 };
  readonly totals = Object.fromEntries(AMOUNT_COLUMNS.map((column) => [column, 0n])) as Record<AmountColumn, bigint>;

  add(status: InvestorStatus, amounts: Record<AmountColumn, bigint>): void {
    this.counts[status]++;
    for (const column of AMOUNT_COLUMNS) this.totals[column] += amounts[column];
  }

  merge(other: TallyTotals): void {
    for (const status of Object.keys(this.counts) as InvestorStatus[]) this.counts[status] += other.counts[status];
    for (const column of AMOUNT_COLUMNS) this.totals[column] += other.totals[column];
  }
}

