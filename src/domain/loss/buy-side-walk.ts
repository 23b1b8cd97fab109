import type { IsoDate } from '../market/calendar-date.ts';
import type { KeyDates } from '../market/base-date.ts';
import type { BonusAction } from '../market/market-data.ts';
import { Rational, sum } from '../money/rational.ts';
import type { AveragePriceMethod, PostDisclosureSales } from '../plan/loss-plan.ts';
import { createEligiblePool } from './eligible-pool.ts';
import { replayInvestor, type Period } from './event-order.ts';
import type { InvestorRecords, Trade } from './investor-records.ts';
import type { MissingPosition, SheetStep } from './walk-steps.ts';

/**
 * The buy-side (诱多) walk over one investor's history (loss-methodology.md §4.1–4.3): the three
 * pools, the eligible pool's average at the end of the window, and the two legs' quantities.
 *
 * The same walk serves the index-comparison mirror run (§5): `priceOf` then returns an index
 * close for the trade's date and `priceSplits` is false, so a bonus action scales share counts
 * but leaves index averages as they are. `priceOf` is called only where a price is used, so the
 * mirror reads exactly the index closes the spec lists.
 *
 * This is the reference. integer-walk.ts walks the same trades in exact integers for the batch,
 * and a change of rule here is a change there too: integer-walk.test.ts holds the two equal on
 * generated histories.
 */
export interface BuySideWalk {
  /** `E` at the disclosure date, in units as of the base date. */
  eligibleAtDisclosure: Rational;
  /** `P_buy` at the end of the window, in units as of the base date; null when E was empty. */
  averageBuyPrice: Rational | null;
  /** `Q_sold`: shares taken from E by sales in [disclosureDate, baseDate]. */
  soldAfterDisclosure: Rational;
  /** Proceeds of those shares (price × shares; index × shares in the mirror run). */
  soldValue: Rational;
  /** `Q_held`: shares left in E after the last sale on the base date. */
  heldAtBase: Rational;
  /** First eligible buy of the position held at the disclosure date (interest starts the day after). */
  firstEligibleBuyDate: IsoDate | null;
}

export interface BuySideOptions {
  keyDates: KeyDates;
  actions: readonly BonusAction[];
  averagePrice: AveragePriceMethod;
  postDisclosureSales: PostDisclosureSales;
  priceOf: (trade: Trade) => Rational;
  priceSplits: boolean;
  /** When given, every step is recorded for the calculation sheet. */
  steps?: SheetStep[];
}

export function walkBuySide(records: InvestorRecords, options: BuySideOptions): BuySideWalk | MissingPosition {
  const { keyDates, priceOf, priceSplits, steps } = options;
  const eligible = createEligiblePool(options.averagePrice);
  let preWindow = Rational.ZERO;
  let late = Rational.ZERO;
  let snapshot: { quantity: Rational; average: Rational | null } | null = null;
  let soldAfterDisclosure = Rational.ZERO;
  let soldValue = Rational.ZERO;
  let firstEligibleBuyDate: IsoDate | null = null;
  let missing: MissingPosition | null = null;
  let atBase: BuySideWalk | null = null;

  const takeSnapshot = () => {
    snapshot = {
      quantity: eligible.quantity,
      average: eligible.quantity.isPositive() ? eligible.averagePrice() : null,
    };
  };
  const pools = () => ({ preWindow, eligible: eligible.quantity, late });
  const currentAverage = () => (eligible.quantity.isPositive() ? eligible.averagePrice() : null);

  replayInvestor(records, keyDates, options.actions, {
    openingHoldings(quantity) {
      preWindow = quantity;
      steps?.push({ kind: 'holdings', quantity });
    },
    bonus(action) {
      const factor = Rational.ONE.add(action.ratio);
      if (snapshot === null && action.date >= keyDates.disclosureDate) takeSnapshot();
      preWindow = preWindow.mul(factor);
      late = late.mul(factor);
      eligible.applyBonus(factor, priceSplits);
      if (atBase !== null) {
        // After the base date only the position moves on; the results are fixed in base-date units.
        steps?.push({ kind: 'bonus', action, factor, pools: pools(), average: null });
        return;
      }
      soldAfterDisclosure = soldAfterDisclosure.mul(factor);
      if (!priceSplits) soldValue = soldValue.mul(factor);
      if (snapshot !== null) {
        const taken: { quantity: Rational; average: Rational | null } = snapshot;
        snapshot = {
          quantity: taken.quantity.mul(factor),
          average: taken.average === null || !priceSplits ? taken.average : taken.average.div(factor),
        };
      }
      steps?.push({ kind: 'bonus', action, factor, pools: pools(), average: currentAverage() });
    },
    ignored(trade, why) {
      steps?.push({ kind: 'ignored', trade, why });
    },
    trade(trade, period) {
      if (snapshot === null && period === 'post-disclosure') takeSnapshot();
      return trade.side === 'B' ? buy(trade, period) : sell(trade, period);
    },
    baseDateClosed() {
      if (snapshot === null) takeSnapshot();
      const final = snapshot as unknown as { quantity: Rational; average: Rational | null };
      atBase = {
        eligibleAtDisclosure: final.quantity,
        averageBuyPrice: final.average,
        soldAfterDisclosure,
        soldValue,
        heldAtBase: eligible.quantity,
        firstEligibleBuyDate: final.quantity.isPositive() ? firstEligibleBuyDate : null,
      };
    },
  });

  function buy(trade: Trade, period: Period): boolean {
    if (period === 'pre-window') {
      preWindow = preWindow.add(trade.quantity);
    } else if (period === 'window') {
      if (eligible.quantity.isZero()) firstEligibleBuyDate = trade.date;
      eligible.buy(trade.quantity, priceOf(trade));
    } else {
      late = late.add(trade.quantity);
    }
    steps?.push({
      kind: 'trade', trade, period,
      pool: period === 'pre-window' ? 'pre-window' : period === 'window' ? 'eligible' : 'late',
      taken: null, pools: pools(), average: currentAverage(),
    });
    return true;
  }

  function sell(trade: Trade, period: Period): boolean {
    const order: ('preWindow' | 'eligible' | 'late')[] =
      period === 'pre-window' ? ['preWindow']
      : period === 'window' ? ['preWindow', 'eligible']
      : options.postDisclosureSales === 'fifo' ? ['preWindow', 'eligible', 'late']
      : ['eligible', 'preWindow', 'late'];
    // A sale after the base date is followed only to find a missing position.
    const quantityIn = (pool: 'preWindow' | 'eligible' | 'late') => (pool === 'preWindow' ? preWindow : pool === 'eligible' ? eligible.quantity : late);
    const available = sum(order.map(quantityIn));
    if (trade.quantity.gt(available)) {
      missing = { kind: 'missing-position', trade, available };
      steps?.push({ kind: 'missing-position', trade, available });
      return false;
    }
    const taken = { preWindow: Rational.ZERO, eligible: Rational.ZERO, late: Rational.ZERO };
    let remaining = trade.quantity;
    for (const pool of order) {
      const take = remaining.min(quantityIn(pool));
      if (!take.isPositive()) continue;
      taken[pool] = take;
      remaining = remaining.sub(take);
      if (pool === 'preWindow') preWindow = preWindow.sub(take);
      else if (pool === 'late') late = late.sub(take);
      else {
        if (period === 'after-base') {
          eligible.sell(take, () => Rational.ZERO);
          continue;
        }
        eligible.sell(take, () => priceOf(trade));
        if (period === 'post-disclosure') {
          soldAfterDisclosure = soldAfterDisclosure.add(take);
          soldValue = soldValue.add(priceOf(trade).mul(take));
        } else if (eligible.quantity.isZero()) {
          firstEligibleBuyDate = null;
        }
      }
    }
    steps?.push({ kind: 'trade', trade, period, pool: null, taken, pools: pools(), average: currentAverage() });
    return true;
  }

  return missing ?? (atBase as unknown as BuySideWalk);
}
