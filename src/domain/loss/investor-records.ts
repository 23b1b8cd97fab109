import type { IsoDate } from '../market/calendar-date.ts';
import type { Rational } from '../money/rational.ts';
import type { TradeColumns } from './trade-columns.ts';

/** One valid row of trades.csv. */
export interface Trade {
  /** Line in trades.csv (the header is line 1): the tie-breaker that keeps file order. */
  line: number;
  account: string;
  /** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`. */
  time: string;
  /** `time` as a number in the same order (see `timeOrderKey`), so sorting compares numbers. */
  timeKey: number;
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
  /**
   * The same trades as `trades`, in columns; when present the engine may use the fast path
   * (integer-walk.ts), which then never reads `trades`, so a caller may make `trades` a lazy
   * getter that builds the trade objects only when the engine falls back to the general path.
   */
  columns?: TradeColumns;
}

/**
 * A number that orders trade times as the spec does: by date, a date-only time before every
 * timed trade of its date, then by time of day. `time` must be valid (YYYY-MM-DD[THH:MM:SS]).
 */
export function timeOrderKey(time: string): number {
  const digit = (at: number) => time.charCodeAt(at) - 48;
  const date =
    digit(0) * 10_000_000 + digit(1) * 1_000_000 + digit(2) * 100_000 + digit(3) * 10_000 +
    digit(5) * 1000 + digit(6) * 100 + digit(8) * 10 + digit(9);
  if (time.length === 10) return date * 100_000;
  const seconds = (digit(11) * 10 + digit(12)) * 3600 + (digit(14) * 10 + digit(15)) * 60 + digit(17) * 10 + digit(18);
  return date * 100_000 + 1 + seconds;
}

/** Orders trades by time (a date-only time first within its date), ties kept in file order. */
export function sortTrades(trades: Trade[]): Trade[] {
  return trades.sort((a, b) => a.timeKey - b.timeKey || a.line - b.line);
}
