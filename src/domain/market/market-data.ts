import type { Rational } from '../money/rational.ts';
import type { IsoDate } from './calendar-date.ts';

/** One trading day of the security (a row of market.csv); a missing day is a non-trading day. */
export interface MarketDay {
  date: IsoDate;
  close: Rational;
  /** Centralized-auction volume in shares (集中交易, block trades excluded). */
  volume: bigint;
  /** Tradable shares (可流通股份). */
  float: bigint;
}

/** A bonus or capitalization issue (送股/转增): `ratio` new shares per held share (Art. 29). */
export interface BonusAction {
  date: IsoDate;
  ratio: Rational;
}

/** Closes of the reference indices: index code → date → close. */
export type IndexCloses = ReadonlyMap<string, ReadonlyMap<IsoDate, Rational>>;
