import { epochDay } from '../market/calendar-date.ts';
import { Rational } from '../money/rational.ts';
import type { Trade } from './investor-records.ts';

/**
 * One investor's valid trades, in walk order (sortTrades: by timeKey, ties by line), as columns.
 * Entries [start, end) of the arrays are this investor's; the arrays may be shared and longer.
 *
 * This is the form the engine's integer fast path (integer-walk.ts) reads: the batch fills it
 * straight from its spill records, so an investor whose walk fits in safe integers never becomes
 * trade objects at all.
 */
export interface TradeColumns {
  start: number;
  end: number;
  line: Float64Array;        // line in trades.csv
  timeKey: Float64Array;     // timeOrderKey(time)
  epochDay: Int32Array;      // epochDay(date of the trade) as in calendar-date.ts
  isBuy: Uint8Array;         // 1 for B, 0 for S
  quantity: Float64Array;    // shares: a positive integer <= Number.MAX_SAFE_INTEGER
  priceMilli: Float64Array;  // price x 1000: a non-negative integer <= Number.MAX_SAFE_INTEGER
}

const THOUSAND = Rational.fromInteger(1000);

/** A Rational that is a safe integer, as a number; null otherwise. */
function safeInteger(value: Rational): number | null {
  if (!value.isInteger()) return null;
  const n = value.num;
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : null;
}

/**
 * The columns of trades already in walk order; null when some quantity is not a positive safe
 * integer or some price × 1000 is not a non-negative safe integer (such an investor can only take
 * the general path).
 */
export function columnsOfTrades(trades: readonly Trade[]): TradeColumns | null {
  const count = trades.length;
  const columns: TradeColumns = {
    start: 0,
    end: count,
    line: new Float64Array(count),
    timeKey: new Float64Array(count),
    epochDay: new Int32Array(count),
    isBuy: new Uint8Array(count),
    quantity: new Float64Array(count),
    priceMilli: new Float64Array(count),
  };
  for (let i = 0; i < count; i++) {
    const trade = trades[i]!;
    const quantity = safeInteger(trade.quantity);
    const priceMilli = safeInteger(trade.price.mul(THOUSAND));
    if (quantity === null || quantity <= 0 || priceMilli === null || priceMilli < 0) return null;
    columns.line[i] = trade.line;
    columns.timeKey[i] = trade.timeKey;
    columns.epochDay[i] = epochDay(trade.date);
    columns.isBuy[i] = trade.side === 'B' ? 1 : 0;
    columns.quantity[i] = quantity;
    columns.priceMilli[i] = priceMilli;
  }
  return columns;
}
