import type { BonusAction } from '../market/market-data.ts';
import type { Rational } from '../money/rational.ts';
import type { Period } from './event-order.ts';
import type { Trade } from './investor-records.ts';

/** A sale larger than every pool it may take from: the position is missing, never guessed. */
export interface MissingPosition {
  kind: 'missing-position';
  trade: Trade;
  available: Rational;
}

export interface PoolQuantities {
  preWindow: Rational;
  eligible: Rational;
  late: Rational;
}

/**
 * One line of an investor's calculation sheet: what happened to the pools at each event. The
 * buy-side walk fills pools and the eligible average; the sell-side walk fills its own totals.
 */
export type SheetStep =
  | { kind: 'holdings'; quantity: Rational }
  | { kind: 'bonus'; action: BonusAction; factor: Rational; pools: PoolQuantities | null; average: Rational | null }
  | { kind: 'ignored'; trade: Trade; why: 'superseded-by-holdings' }
  | { kind: 'missing-position'; trade: Trade; available: Rational }
  | {
      kind: 'trade';
      trade: Trade;
      period: Period;
      /** The pool a buy went into (buy side). */
      pool: 'pre-window' | 'eligible' | 'late' | null;
      /** The pools a sale took from (buy side). */
      taken: PoolQuantities | null;
      pools: PoolQuantities | null;
      average: Rational | null;
      /** Sell side: shares of this trade that are eligible sales or buy-backs. */
      counted?: { role: 'eligible-sale' | 'buy-back'; quantity: Rational };
      position?: Rational;
    };
