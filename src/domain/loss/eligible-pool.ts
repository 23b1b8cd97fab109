import { Rational } from '../money/rational.ts';
import type { AveragePriceMethod } from '../plan/loss-plan.ts';

/**
 * The eligible pool `E` (loss-methodology.md §4.1–4.2): shares bought in the window
 * [implementation date, disclosure date), and the average buy price `P_buy` (买入均价) under the
 * plan's method. A pool works on "prices" in the general sense: stock prices in the main run,
 * index closes in the index-comparison mirror run (§5), where a bonus action scales share counts
 * but leaves the average as it is (an index level is not split).
 */
export interface EligiblePool {
  readonly quantity: Rational;
  buy(quantity: Rational, price: Rational): void;
  /** Removes shares (quantity ≤ this.quantity); `price` is read only by methods that need it. */
  sell(quantity: Rational, price: () => Rational): void;
  /** Average cost of the shares in the pool; only meaningful while quantity > 0. */
  averagePrice(): Rational;
  /**
   * A bonus action of `factor` = 1 + ratio new shares per share. With `priceSplits` the money
   * amounts stay and unit prices fall (stock prices); without it averages stay (index levels).
   */
  applyBonus(factor: Rational, priceSplits: boolean): void;
}

export function createEligiblePool(method: AveragePriceMethod): EligiblePool {
  switch (method) {
    case 'moving-weighted-average':
      return new MovingWeightedAveragePool();
    case 'fifo':
      return new FifoPool();
    case 'actual-cost':
      return new ActualCostPool();
    case 'weighted-buys':
      return new WeightedBuysPool();
  }
}

/** 移动加权平均法: each buy re-averages; a sale reduces the quantity and leaves the average. */
class MovingWeightedAveragePool implements EligiblePool {
  quantity = Rational.ZERO;
  private average = Rational.ZERO;

  buy(quantity: Rational, price: Rational): void {
    const total = this.quantity.add(quantity);
    this.average = this.quantity.isZero()
      ? price
      : this.average.mul(this.quantity).add(price.mul(quantity)).div(total);
    this.quantity = total;
  }

  sell(quantity: Rational): void {
    this.quantity = this.quantity.sub(quantity);
    if (this.quantity.isZero()) this.average = Rational.ZERO;
  }

  averagePrice(): Rational {
    return this.average;
  }

  applyBonus(factor: Rational, priceSplits: boolean): void {
    this.quantity = this.quantity.mul(factor);
    if (priceSplits) this.average = this.average.div(factor);
  }
}

interface Lot {
  quantity: Rational;
  price: Rational;
}

/** 先进先出加权平均法: sales take the oldest lots; the average is over the lots left. */
class FifoPool implements EligiblePool {
  quantity = Rational.ZERO;
  private lots: Lot[] = [];
  private head = 0;

  buy(quantity: Rational, price: Rational): void {
    this.lots.push({ quantity, price });
    this.quantity = this.quantity.add(quantity);
  }

  sell(quantity: Rational): void {
    let remaining = quantity;
    while (remaining.isPositive()) {
      const lot = this.lots[this.head]!;
      if (lot.quantity.lte(remaining)) {
        remaining = remaining.sub(lot.quantity);
        this.head++;
      } else {
        lot.quantity = lot.quantity.sub(remaining);
        remaining = Rational.ZERO;
      }
    }
    this.quantity = this.quantity.sub(quantity);
    if (this.quantity.isZero()) {
      this.lots = [];
      this.head = 0;
    }
  }

  averagePrice(): Rational {
    let cost = Rational.ZERO;
    for (let i = this.head; i < this.lots.length; i++) {
      const lot = this.lots[i]!;
      cost = cost.add(lot.price.mul(lot.quantity));
    }
    return cost.div(this.quantity);
  }

  applyBonus(factor: Rational, priceSplits: boolean): void {
    for (let i = this.head; i < this.lots.length; i++) {
      const lot = this.lots[i]!;
      lot.quantity = lot.quantity.mul(factor);
      if (priceSplits) lot.price = lot.price.div(factor);
    }
    this.quantity = this.quantity.mul(factor);
  }
}

/**
 * 实际成本法: (buy amounts − proceeds of sales taken from E) ÷ (shares bought − shares sold from E).
 * The average can fall to zero or below after profitable round trips; the risk deduction then
 * applies no ratio (§5 requires P_buy > 0).
 */
class ActualCostPool implements EligiblePool {
  private bought = Rational.ZERO;
  private sold = Rational.ZERO;
  private buyAmount = Rational.ZERO;
  private saleProceeds = Rational.ZERO;

  get quantity(): Rational {
    return this.bought.sub(this.sold);
  }

  buy(quantity: Rational, price: Rational): void {
    this.bought = this.bought.add(quantity);
    this.buyAmount = this.buyAmount.add(price.mul(quantity));
  }

  sell(quantity: Rational, price: () => Rational): void {
    this.sold = this.sold.add(quantity);
    this.saleProceeds = this.saleProceeds.add(price().mul(quantity));
    if (this.quantity.isZero()) {
      this.bought = this.sold = this.buyAmount = this.saleProceeds = Rational.ZERO;
    }
  }

  averagePrice(): Rational {
    return this.buyAmount.sub(this.saleProceeds).div(this.quantity);
  }

  applyBonus(factor: Rational, priceSplits: boolean): void {
    this.bought = this.bought.mul(factor);
    this.sold = this.sold.mul(factor);
    if (!priceSplits) {
      this.buyAmount = this.buyAmount.mul(factor);
      this.saleProceeds = this.saleProceeds.mul(factor);
    }
  }
}

/** 综合加权平均法: buy amounts ÷ shares bought; sales reduce the quantity only. */
class WeightedBuysPool implements EligiblePool {
  quantity = Rational.ZERO;
  private bought = Rational.ZERO;
  private buyAmount = Rational.ZERO;

  buy(quantity: Rational, price: Rational): void {
    this.quantity = this.quantity.add(quantity);
    this.bought = this.bought.add(quantity);
    this.buyAmount = this.buyAmount.add(price.mul(quantity));
  }

  sell(quantity: Rational): void {
    this.quantity = this.quantity.sub(quantity);
    if (this.quantity.isZero()) this.bought = this.buyAmount = Rational.ZERO;
  }

  averagePrice(): Rational {
    return this.buyAmount.div(this.bought);
  }

  applyBonus(factor: Rational, priceSplits: boolean): void {
    this.quantity = this.quantity.mul(factor);
    this.bought = this.bought.mul(factor);
    if (!priceSplits) this.buyAmount = this.buyAmount.mul(factor);
  }
}
