import type { IsoDate } from '../market/calendar-date.ts';
import type { KeyDates } from '../market/base-date.ts';
import type { BonusAction } from '../market/market-data.ts';
import { Rational } from '../money/rational.ts';
import { replayInvestor } from './event-order.ts';
import type { InvestorRecords, Trade } from './investor-records.ts';
import type { MissingPosition, SheetStep } from './walk-steps.ts';

/**
 * The sell-side (诱空, 2022 Art. 28) walk (loss-methodology.md §4.4): eligible are all shares sold
 * in the window, whatever pool they came from; buys in [disclosureDate, baseDate] buy them back in
 * time order up to the eligible quantity. The position is still tracked, so a sale of shares the
 * investor never had is a missing position. As on the buy side, the mirror run passes index
 * closes as prices and `priceSplits` false.
 *
 * This is the reference. integer-walk.ts walks the same trades in exact integers for the batch,
 * and a change of rule here is a change there too: integer-walk.test.ts holds the two equal on
 * generated histories.
 */
export interface SellSideWalk {
  /** Shares sold in the window, in units as of the base date. */
  soldInWindow: Rational;
  /** Their proceeds (price × shares). */
  saleValue: Rational;
  /** `Q_back`: shares bought back in [disclosureDate, baseDate]. */
  boughtBack: Rational;
  /** Their cost (price × shares). */
  buyBackValue: Rational;
  firstEligibleSaleDate: IsoDate | null;
}

export interface SellSideOptions {
  keyDates: KeyDates;
  actions: readonly BonusAction[];
  priceOf: (trade: Trade) => Rational;
  priceSplits: boolean;
  steps?: SheetStep[];
}

export function walkSellSide(records: InvestorRecords, options: SellSideOptions): SellSideWalk | MissingPosition {
  const { priceOf, priceSplits, steps } = options;
  let position = Rational.ZERO;
  let soldInWindow = Rational.ZERO;
  let saleValue = Rational.ZERO;
  let boughtBack = Rational.ZERO;
  let buyBackValue = Rational.ZERO;
  let firstEligibleSaleDate: IsoDate | null = null;
  let missing: MissingPosition | null = null;
  let atBase: SellSideWalk | null = null;

  replayInvestor(records, options.keyDates, options.actions, {
    openingHoldings(quantity) {
      position = quantity;
      steps?.push({ kind: 'holdings', quantity });
    },
    bonus(action) {
      const factor = Rational.ONE.add(action.ratio);
      position = position.mul(factor);
      if (atBase !== null) {
        // After the base date only the position moves on; the results are fixed in base-date units.
        steps?.push({ kind: 'bonus', action, factor, pools: null, average: null });
        return;
      }
      soldInWindow = soldInWindow.mul(factor);
      boughtBack = boughtBack.mul(factor);
      if (!priceSplits) {
        saleValue = saleValue.mul(factor);
        buyBackValue = buyBackValue.mul(factor);
      }
      steps?.push({ kind: 'bonus', action, factor, pools: null, average: null });
    },
    ignored(trade, why) {
      steps?.push({ kind: 'ignored', trade, why });
    },
    trade(trade, period) {
      let counted: { role: 'eligible-sale' | 'buy-back'; quantity: Rational } | undefined;
      if (trade.side === 'S') {
        if (trade.quantity.gt(position)) {
          missing = { kind: 'missing-position', trade, available: position };
          steps?.push({ kind: 'missing-position', trade, available: position });
          return false;
        }
        position = position.sub(trade.quantity);
        if (period === 'window') {
          soldInWindow = soldInWindow.add(trade.quantity);
          saleValue = saleValue.add(priceOf(trade).mul(trade.quantity));
          firstEligibleSaleDate ??= trade.date;
          counted = { role: 'eligible-sale', quantity: trade.quantity };
        }
      } else {
        position = position.add(trade.quantity);
        if (period === 'post-disclosure') {
          const back = trade.quantity.min(soldInWindow.sub(boughtBack));
          if (back.isPositive()) {
            boughtBack = boughtBack.add(back);
            buyBackValue = buyBackValue.add(priceOf(trade).mul(back));
            counted = { role: 'buy-back', quantity: back };
          }
        }
      }
      steps?.push({ kind: 'trade', trade, period, pool: null, taken: null, pools: null, average: null, position, ...(counted ? { counted } : {}) });
      return true;
    },
    baseDateClosed() {
      atBase = { soldInWindow, saleValue, boughtBack, buyBackValue, firstEligibleSaleDate };
    },
  });

  return missing ?? (atBase as unknown as SellSideWalk);
}
