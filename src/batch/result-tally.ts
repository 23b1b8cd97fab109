import type { InvestorStatus } from '../domain/loss/investor-loss.ts';
import { AMOUNT_COLUMNS, type AmountColumn } from '../io/compensation-csv.ts';

export interface TallyTotals {
  counts: Record<InvestorStatus, number>;
  totals: Record<AmountColumn, bigint>;
}

/**
 * A running tally of statuses and amount totals over results, in any order. Amounts that come as
 * numbers (safe integers, as the fast path gives them) are summed as numbers while the sum stays
 * safe, where a double's sum is exact, and carried into the bigint total when it would not: a
 * bigint per amount and investor cost more than the rest of the tally.
 */
export class ResultTally {
  readonly counts: Record<InvestorStatus, number> = { payable: 0, zero: 0, ineligible: 0, rejected: 0 };
  private readonly big: bigint[] = AMOUNT_COLUMNS.map(() => 0n);
  private readonly small: number[] = AMOUNT_COLUMNS.map(() => 0);

  add(status: InvestorStatus, amounts: Record<AmountColumn, number | bigint>): void {
    this.counts[status]++;
    for (let i = 0; i < AMOUNT_COLUMNS.length; i++) {
      const amount = amounts[AMOUNT_COLUMNS[i]!];
      if (typeof amount === 'bigint') {
        this.big[i]! += amount;
        continue;
      }
      const sum = this.small[i]! + amount;
      if (Number.isSafeInteger(sum)) {
        this.small[i] = sum;
      } else {
        this.big[i]! += BigInt(this.small[i]!) + BigInt(amount);
        this.small[i] = 0;
      }
    }
  }

  get totals(): Record<AmountColumn, bigint> {
    return Object.fromEntries(AMOUNT_COLUMNS.map((column, i) => [column, this.big[i]! + BigInt(this.small[i]!)])) as Record<AmountColumn, bigint>;
  }

  merge(other: TallyTotals): void {
    for (const status of Object.keys(this.counts) as InvestorStatus[]) this.counts[status] += other.counts[status];
    AMOUNT_COLUMNS.forEach((column, i) => (this.big[i]! += other.totals[column]));
  }
}
