import type { IsoDate } from '../market/calendar-date.ts';
import type { Rational } from '../money/rational.ts';

/** One valid row of trades.csv. */
export interface Trade {
  /** Line in trades.csv (the header is line 1): the tie-breaker that keeps file order. */
  line: number;
  account: string;
  /** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`. */
  time: string;
  date: IsoDate;
  side: 'B' | 'S';
  quantity: Rational;
  price: Rational;
}

/** A row that could not be used, as written to rejects.csv. */
export interface RejectedRow {
  file: string;
  line: number;
  investor: string;
  reason: string;
}

/**
 * Everything the engine knows about one investor (Art. 30: one investor or one investment
 * product, all its accounts merged). Trades must be sorted by time, ties in file order; the
 * batch shell guarantees that with `sortTrades`.
 */
export interface InvestorRecords {
  investor: string;
  trades: readonly Trade[];
  /** Sum of the investor's holdings.csv rows, or null when it has none. */
  holdings: Rational | null;
  /** The expert-report ratio from ratios.csv (read only under per-investor deduction). */
  ratio: Rational | null;
  /** Rows of this investor that could not be used; any one of them makes it `rejected`. */
  badRows: readonly RejectedRow[];
}

/** Orders trades by time (a date-only time first within its date), ties kept in file order. */
export function sortTrades(trades: Trade[]): Trade[] {
  return trades.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.line - b.line));
}
