import { addDays, type IsoDate } from '../market/calendar-date.ts';
import type { BonusAction } from '../market/market-data.ts';
import type { KeyDates } from '../market/base-date.ts';
import { timeOrderKey, type InvestorRecords, type Trade } from './investor-records.ts';

/**
 * Where a date falls against the key dates (Art. 34): "after the implementation date" and
 * "after the disclosure date" include that day, "before the disclosure date" excludes it.
 * The window is [implementationDate, disclosureDate); post-disclosure runs to the base date
 * included.
 */
export type Period = 'pre-window' | 'window' | 'post-disclosure';

export function periodOf(date: IsoDate, keyDates: KeyDates): Period {
  if (date < keyDates.implementationDate) return 'pre-window';
  if (date < keyDates.disclosureDate) return 'window';
  return 'post-disclosure';
}

export interface EventVisitor {
  /** The investor's holdings.csv position at the start of the implementation date. */
  openingHoldings(quantity: InvestorRecords['holdings'] & {}): void;
  /** A bonus action, applied before the first trade of its date. */
  bonus(action: BonusAction): void;
  /** A trade; return false to stop the walk (a missing position). */
  trade(trade: Trade, period: Period): boolean;
  /** A trade that takes no part: before the implementation date when holdings are given, or after the base date. */
  ignored(trade: Trade, why: 'superseded-by-holdings' | 'after-base-date'): void;
}

/**
 * Replays an investor's history in the order the Provisions require: opening position, then
 * trades in time order with each bonus action applied before the first trade of its date, up to
 * and including the base date; actions up to the base date that no trade reached are applied at
 * the end so that every share count is in units as of the base date.
 *
 * With holdings.csv rows, the opening position replaces the trades before the implementation
 * date, and it is stated in units before any action dated on the implementation date, so only
 * actions from that date on apply to it. Returns false when the visitor stopped the walk.
 */
export function replayInvestor(records: InvestorRecords, keyDates: KeyDates, actions: readonly BonusAction[], visitor: EventVisitor): boolean {
  // Dates compared as trade-time keys: a date's key sorts before every trade of that date.
  const implementation = timeOrderKey(keyDates.implementationDate);
  const disclosure = timeOrderKey(keyDates.disclosureDate);
  const afterBase = timeOrderKey(addDays(keyDates.baseDate, 1));
  const actionKeys = actions.map((action) => timeOrderKey(action.date));
  const hasHoldings = records.holdings !== null;
  let nextAction = 0;
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
    if (key >= afterBase) {
      visitor.ignored(trade, 'after-base-date');
      continue;
    }
    while (nextAction < actions.length && actionKeys[nextAction]! <= key) {
      visitor.bonus(actions[nextAction++]!);
    }
    if (!visitor.trade(trade, key < implementation ? 'pre-window' : key < disclosure ? 'window' : 'post-disclosure')) return false;
  }
  while (nextAction < actions.length && actions[nextAction]!.date <= keyDates.baseDate) {
    visitor.bonus(actions[nextAction++]!);
  }
  return true;
}
