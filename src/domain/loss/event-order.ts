import { addDays } from '../market/calendar-date.ts';
import type { BonusAction } from '../market/market-data.ts';
import type { KeyDates } from '../market/base-date.ts';
import { timeOrderKey, type InvestorRecords, type Trade } from './investor-records.ts';

/**
 * Where a date falls against the key dates (Art. 34): "after the implementation date" and
 * "after the disclosure date" include that day, "before the disclosure date" excludes it.
 * The window is [implementationDate, disclosureDate); post-disclosure runs to the base date
 * included; after it, trades only move the position.
 */
export type Period = 'pre-window' | 'window' | 'post-disclosure' | 'after-base';

export interface EventVisitor {
  /** The investor's holdings.csv position at the start of the implementation date. */
  openingHoldings(quantity: InvestorRecords['holdings'] & {}): void;
  /** A bonus action, applied before the first trade of its date. */
  bonus(action: BonusAction): void;
  /** A trade; return false to stop the walk (a missing position). */
  trade(trade: Trade, period: Period): boolean;
  /** A trade that takes no part: before the implementation date when holdings are given. */
  ignored(trade: Trade, why: 'superseded-by-holdings'): void;
  /** The end of the base date: every quantity the result reports is fixed now, in base-date units. */
  baseDateClosed(): void;
}

/**
 * Replays an investor's history in the order the Provisions require: opening position, then
 * trades in time order with each bonus action applied before the first trade of its date. At the
 * end of the base date (after every action up to it, so that share counts are in units as of the
 * base date) the visitor is told to fix its results. Trades after the base date still follow, so
 * that a sale of shares the investor never had is found wherever it is: the position is then
 * incomplete and nothing may be paid on it (loss-methodology.md §4.1).
 *
 * With holdings.csv rows, the opening position replaces the trades before the implementation
 * date, and it is stated in units before any action dated on the implementation date, so only
 * actions from that date on apply to it. Returns false when the visitor stopped the walk.
 */
/** The key dates as trade-time keys (a date's key sorts before every trade of that date), once per case. */
const orderKeyCache = new WeakMap<KeyDates, WeakMap<readonly BonusAction[], { implementation: number; disclosure: number; afterBase: number; actionKeys: number[] }>>();

function orderKeysOf(keyDates: KeyDates, actions: readonly BonusAction[]) {
  let byActions = orderKeyCache.get(keyDates);
  if (byActions === undefined) orderKeyCache.set(keyDates, (byActions = new WeakMap()));
  let keys = byActions.get(actions);
  if (keys === undefined) {
    keys = {
      implementation: timeOrderKey(keyDates.implementationDate),
      disclosure: timeOrderKey(keyDates.disclosureDate),
      afterBase: timeOrderKey(addDays(keyDates.baseDate, 1)),
      actionKeys: actions.map((action) => timeOrderKey(action.date)),
    };
    byActions.set(actions, keys);
  }
  return keys;
}

export function replayInvestor(records: InvestorRecords, keyDates: KeyDates, actions: readonly BonusAction[], visitor: EventVisitor): boolean {
  const { implementation, disclosure, afterBase, actionKeys } = orderKeysOf(keyDates, actions);
  const hasHoldings = records.holdings !== null;
  let nextAction = 0;
  let closed = false;
  const closeBaseDate = () => {
    while (nextAction < actions.length && actionKeys[nextAction]! < afterBase) visitor.bonus(actions[nextAction++]!);
    visitor.baseDateClosed();
    closed = true;
  };
  if (hasHoldings) {
    while (nextAction < actions.length && actionKeys[nextAction]! < implementation) nextAction++;
    visitor.openingHoldings(records.holdings!);
  }
  for (const trade of records.trades) {
    const key = trade.timeKey;
    if (hasHoldings && key < implementation) {
      visitor.ignored(trade, 'superseded-by-holdings');
      continue;
    }
    if (key >= afterBase && !closed) closeBaseDate();
    while (nextAction < actions.length && actionKeys[nextAction]! <= key) {
      visitor.bonus(actions[nextAction++]!);
    }
    const period: Period = key < implementation ? 'pre-window' : key < disclosure ? 'window' : key < afterBase ? 'post-disclosure' : 'after-base';
    if (!visitor.trade(trade, period)) return false;
  }
  if (!closed) closeBaseDate();
  return true;
}
