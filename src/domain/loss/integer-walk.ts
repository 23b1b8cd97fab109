import { addDays, epochDay, fromEpochDay, type IsoDate } from '../market/calendar-date.ts';
import { Rational } from '../money/rational.ts';
import type { AveragePriceMethod } from '../plan/loss-plan.ts';
import type { BuySideWalk } from './buy-side-walk.ts';
import { timeOrderKey } from './investor-records.ts';
import { derivedPerCase, type LossCase } from './loss-case.ts';
import type { SellSideWalk } from './sell-side-walk.ts';
import type { TradeColumns } from './trade-columns.ts';
import { gcd } from '../money/integer-gcd.ts';

/*
 * The buy-side and sell-side walks (buy-side-walk.ts, sell-side-walk.ts) over an investor's trade
 * columns in exact integer arithmetic on doubles, for speed: no Rational is made until the
 * result. Each walk returns exactly what the general walk returns, field by field (the same
 * exact values, so equal Rationals), or null when it cannot vouch for that — an overflow, a sale
 * larger than what it may take (a missing position), an index close it needs but does not have,
 * anything unusual — and the caller then takes the general path, which gives the exact result or
 * the cause or the CaseError with its wording. So the fast path never decides anything the
 * general path would decide differently; it only declines.
 *
 * Units, chosen so that every value the walk keeps is an integer:
 * - shares in 1/F of a share, F the product of the denominators of every bonus factor 1 + ratio
 *   (in lowest terms). A share count existing at a given moment has not yet been scaled by the
 *   actions still to come, and is a sum of trade quantities × F scaled by earlier factors only,
 *   so it stays divisible by the denominators of the actions to come: a bonus keeps it integral.
 * - stock prices in thousandths of a yuan (inputs have at most 3 decimals), index closes in
 *   ten-thousandths (at most 4 decimals, §1); a money amount is price units × share units.
 * - FIFO lots of the main run keep a unit price, which a bonus divides (the money stays): those
 *   prices are in 1/(1000·G) of a yuan, G the product of the factors' numerators, for the same
 *   reason as F. Every other method keeps money amounts, which a bonus does not touch in the
 *   main run and multiplies by the factor in the mirror run (an index level is not split).
 * - the moving-weighted-average cost avg × Q becomes a fraction after a sale (cost × (Q − s)/Q):
 *   it is kept as numerator and denominator in lowest terms.
 *
 * Every operation checks that its result is a safe integer (|x| ≤ 2^53 − 1). Its operands are
 * safe integers, so a sum or product whose true value is safe is computed exactly, and one whose
 * true value is not rounds to at least 2^53 (rounding is monotone and 2^53 is a double), which
 * the check rejects: nothing can silently round.
 */

const MAX = Number.MAX_SAFE_INTEGER;
const BIG_MAX = BigInt(MAX);
const STOCK_UNIT = 1000;
const INDEX_UNIT = 10_000;
const NO_DAY = -1e15;

/** Thrown inside a walk when it must decline; caught at its entry, which returns null. */
const DECLINE: unique symbol = Symbol('decline the fast path');

function checked(value: number): number {
  if (!(value <= MAX && value >= -MAX)) throw DECLINE;
  return value;
}

/**
 * x × num / den for an x that the units make divisible by den (or the walk declines). For a safe
 * x the double quotient x / den is an integer exactly when den divides x: otherwise x / den is at
 * least 1/den from every integer, more than its rounding error (< |x / den| × 2^−53 < 1/den).
 * (Tests are by Math.floor rather than %: a double % is a library call.)
 */
function scaled(x: number, num: number, den: number): number {
  const quotient = x / den;
  if (Math.floor(quotient) !== quotient) throw DECLINE;
  return checked(quotient * num);
}

/** scaleFraction's result: a fraction in lowest terms (two numbers, not an object per call). */
let scaledNum = 0;
let scaledDen = 1;

/** num/den × byNum/byDen, both in lowest terms, in lowest terms (into scaledNum, scaledDen). */
function scaleFraction(num: number, den: number, byNum: number, byDen: number): void {
  const g1 = gcd(num, byDen);
  const g2 = gcd(byNum, den);
  scaledNum = checked((num / g1) * (byNum / g2));
  scaledDen = checked((den / g2) * (byDen / g1));
}

// ---- per case ----------------------------------------------------------------------------------

interface IndexTable {
  firstDay: number;
  /** Price units per index point: 10^d for the fewest decimals d (at most 4) that hold every close. */
  unit: number;
  /** Close × unit by epoch day from firstDay; NaN where there is none or it has more than 4 decimals. */
  closes: Float64Array;
}

/** What every investor of a case shares, prepared once per LossCase. */
interface CaseConstants {
  implementation: number;
  disclosure: number;
  afterBase: number;
  actionKeys: Float64Array;
  /** Each action's factor 1 + ratio, in lowest terms. */
  factorNum: Float64Array;
  factorDen: Float64Array;
  /** F: shares are counted in 1/F of a share. */
  shareUnit: number;
  /** G: main-run FIFO lot prices are in 1/(1000·G) of a yuan; NaN when G is not a safe integer. */
  lotPriceScale: number;
  indexTables: Map<string, IndexTable | null>;
  /** Dates of epoch days met so far, as the results give them. */
  dates: Map<number, IsoDate>;
}

const constantsOf = derivedPerCase((lossCase) => prepareConstants(lossCase));

function prepareConstants(lossCase: LossCase): CaseConstants | null {
  const { keyDates, actions } = lossCase;
  const count = actions.length;
  const actionKeys = new Float64Array(count);
  const factorNum = new Float64Array(count);
  const factorDen = new Float64Array(count);
  let shareUnit = 1;
  let lotPriceScale = 1;
  for (let k = 0; k < count; k++) {
    const action = actions[k]!;
    const factor = Rational.ONE.add(action.ratio);
    const num = Number(factor.num);
    const den = Number(factor.den);
    if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num <= 0) return null;
    actionKeys[k] = timeOrderKey(action.date);
    factorNum[k] = num;
    factorDen[k] = den;
    shareUnit *= den;
    lotPriceScale *= num;
    if (!Number.isSafeInteger(shareUnit)) return null;
    if (!Number.isSafeInteger(lotPriceScale)) lotPriceScale = Number.NaN;
  }
  return {
    implementation: timeOrderKey(keyDates.implementationDate),
    disclosure: timeOrderKey(keyDates.disclosureDate),
    afterBase: timeOrderKey(addDays(keyDates.baseDate, 1)),
    actionKeys,
    factorNum,
    factorDen,
    shareUnit,
    lotPriceScale,
    indexTables: new Map(),
    dates: new Map(),
  };
}

function indexTableOf(constants: CaseConstants, lossCase: LossCase, index: string): IndexTable | null {
  let table = constants.indexTables.get(index);
  if (table === undefined) {
    const closes = lossCase.indexCloses?.get(index);
    table = null;
    if (closes !== undefined && closes.size > 0) {
      let first = Infinity;
      let last = -Infinity;
      for (const date of closes.keys()) {
        const day = epochDay(date);
        if (day < first) first = day;
        if (day > last) last = day;
      }
      // The smallest unit keeps the mirror's costs smallest, and so within 2^53 for the most
      // investors (closes of two decimals in units of 10^-4 overflowed for one investor in 400,
      // each then walked by the general walk at some fifty times the cost).
      let unit = 1;
      for (const close of closes.values()) {
        while (unit < INDEX_UNIT && !close.mul(Rational.fromInteger(unit)).isInteger()) unit *= 10;
      }
      const values = new Float64Array(last - first + 1).fill(Number.NaN);
      for (const [date, close] of closes) {
        const scaledClose = close.mul(Rational.fromInteger(unit));
        // A close the units cannot hold stays NaN: the walk then declines where it is read.
        if (scaledClose.isInteger() && scaledClose.num >= 0n && scaledClose.num <= BIG_MAX) values[epochDay(date) - first] = Number(scaledClose.num);
      }
      table = { firstDay: first, unit, closes: values };
    }
    constants.indexTables.set(index, table);
  }
  return table;
}

// ---- one run's prices and results --------------------------------------------------------------

/** The prices of one run: the stock's own (main run), or an index's closes on the trade dates (mirror). */
class Prices {
  readonly columns: TradeColumns;
  readonly table: IndexTable | null;
  /** Price units per yuan (or per index point). */
  readonly unit: number;

  constructor(columns: TradeColumns, table: IndexTable | null) {
    this.columns = columns;
    this.table = table;
    this.unit = table === null ? STOCK_UNIT : table.unit;
  }

  /** The price of trade i; the mirror reads an index close only here, where the general walk calls priceOf. */
  at(i: number): number {
    const table = this.table;
    if (table === null) {
      const price = this.columns.priceMilli[i]!;
      if (!(price >= 0 && price <= MAX) || Math.floor(price) !== price) throw DECLINE;
      return price;
    }
    return closeOn(table, this.columns, i);
  }
}

/** The index's close, in its units, on the date of trade i; DECLINE where the table has none. */
function closeOn(table: IndexTable, columns: TradeColumns, i: number): number {
  const day = columns.epochDay[i]! - table.firstDay;
  const close = day >= 0 && day < table.closes.length ? table.closes[day]! : Number.NaN;
  if (close !== close) throw DECLINE;
  return close;
}

/** Trade i's quantity in share units. */
function sharesOf(columns: TradeColumns, i: number, shareUnit: number): number {
  const quantity = columns.quantity[i]!;
  if (!(quantity > 0) || Math.floor(quantity) !== quantity) throw DECLINE;
  return checked(quantity * shareUnit);
}

/** num / den as a Rational. */
function rational(num: number, den: number): Rational {
  return num === 0 ? Rational.ZERO : Rational.of(num, den);
}

/** num / (den1 × den2 × den3), the denominators' product in bigint when it is not safe. */
function rational3(num: number, den1: number, den2: number, den3: number): Rational {
  const den = den1 * den2 * den3;
  if (den <= MAX) return rational(num, den);
  return Rational.of(BigInt(num), BigInt(den1) * BigInt(den2) * BigInt(den3));
}

/** The date of an epoch day, or null; the texts are kept per case, as few distinct days occur. */
function dateOfDay(constants: CaseConstants, day: number): IsoDate | null {
  if (day === NO_DAY) return null;
  let date = constants.dates.get(day);
  if (date === undefined) constants.dates.set(day, (date = fromEpochDay(day)));
  return date;
}

/** Opening holdings in share units; −1 without holdings; null when they cannot be held. */
function openingShares(holdings: Rational | null, shareUnit: number): number | null {
  if (holdings === null) return -1;
  if (!holdings.isInteger() || holdings.num < 0n || holdings.num > BIG_MAX) return null;
  const shares = Number(holdings.num) * shareUnit;
  return shares <= MAX ? shares : null;
}

// ---- the buy side --------------------------------------------------------------------------------

const MOVING_WEIGHTED_AVERAGE = 0;
const FIFO = 1;
const ACTUAL_COST = 2;
const WEIGHTED_BUYS = 3;
const METHOD_CODE: Record<AveragePriceMethod, number> = {
  'moving-weighted-average': MOVING_WEIGHTED_AVERAGE,
  fifo: FIFO,
  'actual-cost': ACTUAL_COST,
  'weighted-buys': WEIGHTED_BUYS,
};

const PRE_WINDOW = 0;
const WINDOW = 1;
const POST_DISCLOSURE = 2;

/** FIFO lots, shared by every walk (walks never interleave): share units and unit prices. */
let lotShares = new Float64Array(64);
let lotPrices = new Float64Array(64);

function growLots(): void {
  const shares = new Float64Array(lotShares.length * 2);
  const prices = new Float64Array(lotPrices.length * 2);
  shares.set(lotShares);
  prices.set(lotPrices);
  lotShares = shares;
  lotPrices = prices;
}

/**
 * The state of buy-side-walk.ts in integers: the pools P0, E (under its method) and P2, the
 * snapshot, the legs. One instance serves every run (runs never interleave), reset at each
 * start: its fields hold numbers beyond small integers, which V8 keeps in boxes of their own,
 * so a fresh instance per run allocated some 500 bytes — for three runs per investor, over a
 * third of everything the computation allocated.
 */
class BuySideRun {
  method = MOVING_WEIGHTED_AVERAGE;
  splits = true;
  /** 1, or G for main-run FIFO lot prices. */
  lotPriceScale = 1;
  /** Set by start(), before any read. */
  prices!: Prices;
  preWindow = 0;
  late = 0;
  eligible = 0;
  /** Moving weighted average: avg × Q, a fraction of money units in lowest terms. */
  costNum = 0;
  costDen = 1;
  /** FIFO: the lots left are [head, tail). */
  head = 0;
  tail = 0;
  /** Actual cost: buy amounts − proceeds of sales from E. */
  net = 0;
  /** Weighted buys: shares bought and their amount. */
  bought = 0;
  amount = 0;
  firstBuyDay = NO_DAY;
  /** E at the disclosure date and its average as money (num/den) ÷ shares; shares 0 when E was empty. */
  snapshotTaken = false;
  snapQuantity = 0;
  snapNum = 0;
  snapDen = 1;
  snapShares = 0;
  soldAfter = 0;
  soldValue = 0;
  /** From the end of the base date: the fixed results, and the whole position that still moves. */
  closed = false;
  heldAtBase = 0;
  firstDayAtBase = NO_DAY;
  position = 0;
  /** Whether the run records E's events for the index mirrors (MirrorTrace). */
  tracing = false;

  /** Starts a run: every field as a fresh run has it. */
  start(method: number, splits: boolean, lotPriceScale: number, prices: Prices): this {
    this.method = method;
    this.splits = splits;
    this.lotPriceScale = lotPriceScale;
    this.prices = prices;
    this.preWindow = 0;
    this.late = 0;
    this.eligible = 0;
    this.costNum = 0;
    this.costDen = 1;
    this.head = 0;
    this.tail = 0;
    this.net = 0;
    this.bought = 0;
    this.amount = 0;
    this.firstBuyDay = NO_DAY;
    this.snapshotTaken = false;
    this.snapQuantity = 0;
    this.snapNum = 0;
    this.snapDen = 1;
    this.snapShares = 0;
    this.soldAfter = 0;
    this.soldValue = 0;
    this.closed = false;
    this.heldAtBase = 0;
    this.firstDayAtBase = NO_DAY;
    this.position = 0;
    this.tracing = false;
    return this;
  }

  takeSnapshot(): void {
    if (this.tracing) TRACE.add(EVENT_SNAPSHOT, this.eligible, 0);
    this.snapshotTaken = true;
    this.snapQuantity = this.eligible;
    if (this.eligible === 0) return;
    this.snapDen = 1;
    this.snapShares = this.eligible;
    switch (this.method) {
      case MOVING_WEIGHTED_AVERAGE:
        this.snapNum = this.costNum;
        this.snapDen = this.costDen;
        break;
      case FIFO: {
        let cost = 0;
        for (let k = this.head; k < this.tail; k++) cost = checked(cost + checked(lotPrices[k]! * lotShares[k]!));
        this.snapNum = cost;
        break;
      }
      case ACTUAL_COST:
        this.snapNum = this.net;
        break;
      default:
        this.snapNum = this.amount;
        this.snapShares = this.bought;
    }
  }

  /** The moving-weighted-average cost × num/den (num/den in lowest terms), kept in lowest terms. */
  scaleCost(num: number, den: number): void {
    scaleFraction(this.costNum, this.costDen, num, den);
    this.costNum = scaledNum;
    this.costDen = scaledDen;
  }

  bonus(factorNum: number, factorDen: number, atOrAfterDisclosure: boolean): void {
    if (!this.snapshotTaken && atOrAfterDisclosure) this.takeSnapshot();
    if (this.closed) {
      this.position = scaled(this.position, factorNum, factorDen);
      return;
    }
    if (this.tracing) TRACE.add(EVENT_BONUS, factorNum, factorDen);
    this.preWindow = scaled(this.preWindow, factorNum, factorDen);
    this.late = scaled(this.late, factorNum, factorDen);
    this.eligible = scaled(this.eligible, factorNum, factorDen);
    switch (this.method) {
      case MOVING_WEIGHTED_AVERAGE:
        if (!this.splits) this.scaleCost(factorNum, factorDen);
        break;
      case FIFO:
        for (let k = this.head; k < this.tail; k++) {
          lotShares[k] = scaled(lotShares[k]!, factorNum, factorDen);
          if (this.splits) lotPrices[k] = scaled(lotPrices[k]!, factorDen, factorNum);
        }
        break;
      case ACTUAL_COST:
        if (!this.splits) this.net = scaled(this.net, factorNum, factorDen);
        break;
      default:
        this.bought = scaled(this.bought, factorNum, factorDen);
        if (!this.splits) this.amount = scaled(this.amount, factorNum, factorDen);
    }
    this.soldAfter = scaled(this.soldAfter, factorNum, factorDen);
    if (!this.splits) this.soldValue = scaled(this.soldValue, factorNum, factorDen);
    if (this.snapshotTaken) {
      this.snapQuantity = scaled(this.snapQuantity, factorNum, factorDen);
      if (this.splits && this.snapShares > 0) this.snapShares = scaled(this.snapShares, factorNum, factorDen);
    }
  }

  buy(i: number, period: number, shares: number): void {
    if (period === PRE_WINDOW) {
      this.preWindow = checked(this.preWindow + shares);
      return;
    }
    if (period !== WINDOW) {
      this.late = checked(this.late + shares);
      return;
    }
    if (this.eligible === 0) this.firstBuyDay = this.prices.columns.epochDay[i]!;
    if (this.tracing) TRACE.add(EVENT_BUY, i, shares);
    const price = this.prices.at(i);
    switch (this.method) {
      case MOVING_WEIGHTED_AVERAGE:
        this.costNum = checked(this.costNum + checked(checked(price * shares) * this.costDen));
        break;
      case FIFO:
        if (this.tail === lotShares.length) growLots();
        lotShares[this.tail] = shares;
        lotPrices[this.tail] = checked(price * this.lotPriceScale);
        this.tail++;
        break;
      case ACTUAL_COST:
        this.net = checked(this.net + checked(price * shares));
        break;
      default:
        this.bought = checked(this.bought + shares);
        this.amount = checked(this.amount + checked(price * shares));
    }
    this.eligible = checked(this.eligible + shares);
  }

  /** Takes `take` (0 < take ≤ E) from E; `price` is read by actual cost only. */
  sellEligible(take: number, price: number): void {
    if (this.tracing) TRACE.add(EVENT_SELL, take, this.eligible);
    const left = this.eligible - take;
    switch (this.method) {
      case MOVING_WEIGHTED_AVERAGE:
        if (left === 0) {
          this.costNum = 0;
          this.costDen = 1;
        } else {
          const g = gcd(left, this.eligible);
          this.scaleCost(left / g, this.eligible / g);
        }
        break;
      case FIFO:
        if (left === 0) {
          this.head = this.tail = 0;
        } else {
          let remaining = take;
          while (remaining > 0) {
            const lot = lotShares[this.head]!;
            if (lot <= remaining) {
              remaining -= lot;
              this.head++;
            } else {
              lotShares[this.head] = lot - remaining;
              remaining = 0;
            }
          }
        }
        break;
      case ACTUAL_COST:
        this.net = left === 0 ? 0 : checked(this.net - checked(price * take));
        break;
      default:
        if (left === 0) this.bought = this.amount = 0;
    }
    this.eligible = left;
  }

  /** A sale before the base date; false for a missing position. */
  sell(i: number, period: number, shares: number, eligibleFirst: boolean): boolean {
    if (period === PRE_WINDOW) {
      if (shares > this.preWindow) return false;
      this.preWindow -= shares;
      return true;
    }
    if (period === WINDOW) {
      if (shares > this.preWindow + this.eligible) return false;
      const fromPreWindow = Math.min(shares, this.preWindow);
      this.preWindow -= fromPreWindow;
      const fromEligible = shares - fromPreWindow;
      if (fromEligible > 0) {
        this.sellEligible(fromEligible, this.method === ACTUAL_COST ? this.prices.at(i) : 0);
        if (this.eligible === 0) this.firstBuyDay = NO_DAY;
      }
      return true;
    }
    if (shares > this.preWindow + this.eligible + this.late) return false;
    let remaining = shares;
    if (!eligibleFirst) {
      const fromPreWindow = Math.min(remaining, this.preWindow);
      this.preWindow -= fromPreWindow;
      remaining -= fromPreWindow;
    }
    const fromEligible = Math.min(remaining, this.eligible);
    if (fromEligible > 0) {
      const price = this.prices.at(i);
      this.sellEligible(fromEligible, price);
      if (this.tracing) TRACE.add(EVENT_PROCEEDS, i, fromEligible);
      this.soldAfter = checked(this.soldAfter + fromEligible);
      this.soldValue = checked(this.soldValue + checked(price * fromEligible));
      remaining -= fromEligible;
    }
    if (eligibleFirst) {
      const fromPreWindow = Math.min(remaining, this.preWindow);
      this.preWindow -= fromPreWindow;
      remaining -= fromPreWindow;
    }
    this.late -= remaining;
    return true;
  }

  closeBaseDate(): void {
    if (!this.snapshotTaken) this.takeSnapshot();
    this.heldAtBase = this.eligible;
    this.firstDayAtBase = this.snapQuantity > 0 ? this.firstBuyDay : NO_DAY;
    this.position = checked(checked(this.preWindow + this.eligible) + this.late);
    this.closed = true;
  }

  counts(constants: CaseConstants): BuySideCounts {
    return {
      shareUnit: constants.shareUnit,
      priceUnit: this.prices.unit,
      eligibleAtDisclosure: this.snapQuantity,
      costNum: this.snapShares > 0 ? this.snapNum : 0,
      costDen: this.snapDen,
      costShares: this.snapShares,
      costScale: this.lotPriceScale,
      soldAfterDisclosure: this.soldAfter,
      soldValue: this.soldValue,
      heldAtBase: this.heldAtBase,
      firstEligibleBuyDay: this.firstDayAtBase === NO_DAY ? null : this.firstDayAtBase,
    };
  }
}

const BUY_SIDE_RUN = new BuySideRun();

/**
 * The buy-side walk's result as the integers the walk kept, in its units (see above): what
 * `walkBuySideFast` returns as Rationals, for a caller that carries on in integers.
 */
export interface BuySideCounts {
  /** F: share counts are in 1/F of a share. */
  shareUnit: number;
  /** Price units per yuan (main run) or per index point (mirror). */
  priceUnit: number;
  /** E at the disclosure date. */
  eligibleAtDisclosure: number;
  /**
   * P_buy = costNum / (costDen · costShares · priceUnit · costScale); costShares is 0 when E
   * had no average (the walk's averageBuyPrice is null), and costNum is then 0.
   */
  costNum: number;
  costDen: number;
  costShares: number;
  costScale: number;
  /** Q_sold, and their proceeds in 1/(priceUnit · F) of a yuan. */
  soldAfterDisclosure: number;
  soldValue: number;
  /** Q_held. */
  heldAtBase: number;
  /** The epoch day of firstEligibleBuyDate, or null. */
  firstEligibleBuyDay: number | null;
}

/**
 * `walkBuySide` over the columns, under the case's plan (average-price method, post-disclosure
 * order): the main run with the stock's prices when `index` is null, else the mirror run of that
 * index (its closes on the trade dates, priceSplits false). Null when it declines (see above).
 */
export function walkBuySideFast(columns: TradeColumns, holdings: Rational | null, lossCase: LossCase, index: string | null): BuySideWalk | null {
  const counts = buySideCounts(columns, holdings, lossCase, index);
  return counts === null ? null : buySideWalkOf(counts, constantsOf(lossCase)!);
}

/** The integers behind `walkBuySideFast`; null exactly when it declines. */
export function buySideCounts(columns: TradeColumns, holdings: Rational | null, lossCase: LossCase, index: string | null): BuySideCounts | null {
  const constants = constantsOf(lossCase);
  if (constants === null) return null;
  const prices = pricesOf(columns, constants, lossCase, index);
  const opening = openingShares(holdings, constants.shareUnit);
  if (prices === null || opening === null) return null;
  const method = METHOD_CODE[lossCase.plan.averagePrice];
  const splits = index === null;
  const lotPriceScale = splits && method === FIFO ? constants.lotPriceScale : 1;
  // The average's denominator multiplies the two as doubles: past 2^53 the product would round.
  if (lotPriceScale !== lotPriceScale || !Number.isSafeInteger(prices.unit * lotPriceScale)) return null;
  const run = BUY_SIDE_RUN.start(method, splits, lotPriceScale, prices);
  // The stock's run of the moving weighted average records E's events for its index mirrors.
  run.tracing = splits && method === MOVING_WEIGHTED_AVERAGE;
  TRACE.clear();
  try {
    const counts = buySide(run, columns, opening, constants, lossCase.plan.postDisclosureSales === 'eligible-first') ? run.counts(constants) : null;
    if (run.tracing) TRACE.owner = counts;
    return counts;
  } catch (caught) {
    if (caught === DECLINE) return null;
    throw caught;
  }
}

/** What a run of the moving weighted average records of E (MirrorTrace): the kinds of event. */
const EVENT_BUY = 0; // a buy into E: trade, shares
const EVENT_SELL = 1; // a sale from E: shares taken, E before it
const EVENT_PROCEEDS = 2; // a sale from E after disclosure: trade, shares
const EVENT_BONUS = 3; // a bonus action before the base date ended: factor num, den
const EVENT_SNAPSHOT = 4; // E at the disclosure date: its shares

/**
 * The events of the eligible pool E in the stock's last run of the moving weighted average, in
 * order, for its index mirrors. A mirror moves the same shares as the stock's run (no share count
 * depends on a price), so it differs only in E's cost, now in index points, and in the proceeds
 * of E's sales after disclosure: replaying these events gives what the mirror's own full run
 * gives, for a third of its cost (mirrorCountsByReplay).
 */
class MirrorTrace {
  kind: Uint8Array = new Uint8Array(256);
  a: Float64Array = new Float64Array(256);
  b: Float64Array = new Float64Array(256);
  length = 0;
  /** The counts of the run the events are of; null when that run declined or recorded none. */
  owner: BuySideCounts | null = null;

  clear(): void {
    this.length = 0;
    this.owner = null;
  }

  add(kind: number, a: number, b: number): void {
    if (this.length === this.kind.length) {
      const kinds = new Uint8Array(this.length * 2);
      kinds.set(this.kind);
      this.kind = kinds;
      this.a = grownFloat64(this.a);
      this.b = grownFloat64(this.b);
    }
    this.kind[this.length] = kind;
    this.a[this.length] = a;
    this.b[this.length] = b;
    this.length++;
  }
}

function grownFloat64(array: Float64Array): Float64Array {
  const larger = new Float64Array(array.length * 2);
  larger.set(array);
  return larger;
}

const TRACE = new MirrorTrace();

/**
 * The index mirror of `main` (the counts buySideCounts just gave for the stock's run of the
 * moving weighted average), replayed over E's recorded events with the index's closes: exactly
 * buySideCounts(columns, holdings, lossCase, index), which the tests hold it to. Null where that
 * run declines (a close it cannot read, a cost past 2^53); undefined when `main` recorded no events
 * (another method, or another run since), and the caller runs the mirror in full.
 */
export function mirrorCountsByReplay(main: BuySideCounts, columns: TradeColumns, lossCase: LossCase, index: string): BuySideCounts | null | undefined {
  if (TRACE.owner !== main) return undefined;
  const constants = constantsOf(lossCase);
  const table = constants === null ? null : indexTableOf(constants, lossCase, index);
  if (table === null) return null;
  const { kind, a, b, length } = TRACE;
  let costNum = 0;
  let costDen = 1;
  let soldValue = 0;
  let snapNum = 0;
  let snapDen = 1;
  // E's shares at the snapshot: a mirror's prices do not split, so a later bonus does not scale them (as the stock's do).
  let snapShares = 0;
  try {
    for (let k = 0; k < length; k++) {
      switch (kind[k]) {
        case EVENT_BUY:
          costNum = checked(costNum + checked(checked(closeOn(table, columns, a[k]!) * b[k]!) * costDen));
          break;
        case EVENT_SELL: {
          const take = a[k]!;
          const before = b[k]!;
          const left = before - take;
          if (left === 0) {
            costNum = 0;
            costDen = 1;
          } else {
            const g = gcd(left, before);
            scaleFraction(costNum, costDen, left / g, before / g);
            costNum = scaledNum;
            costDen = scaledDen;
          }
          break;
        }
        case EVENT_PROCEEDS:
          soldValue = checked(soldValue + checked(closeOn(table, columns, a[k]!) * b[k]!));
          break;
        case EVENT_BONUS:
          // A mirror's prices do not split: its cost and proceeds follow the shares.
          scaleFraction(costNum, costDen, a[k]!, b[k]!);
          costNum = scaledNum;
          costDen = scaledDen;
          soldValue = scaled(soldValue, a[k]!, b[k]!);
          break;
        default:
          if (a[k]! > 0) {
            snapNum = costNum;
            snapDen = costDen;
            snapShares = a[k]!;
          }
      }
    }
  } catch (caught) {
    if (caught === DECLINE) return null;
    throw caught;
  }
  return {
    shareUnit: main.shareUnit,
    priceUnit: table.unit,
    eligibleAtDisclosure: main.eligibleAtDisclosure,
    costNum: snapShares > 0 ? snapNum : 0,
    costDen: snapDen,
    costShares: snapShares,
    costScale: 1,
    soldAfterDisclosure: main.soldAfterDisclosure,
    soldValue,
    heldAtBase: main.heldAtBase,
    firstEligibleBuyDay: main.firstEligibleBuyDay,
  };
}

function buySideWalkOf(counts: BuySideCounts, constants: CaseConstants): BuySideWalk {
  const { shareUnit, priceUnit } = counts;
  return {
    eligibleAtDisclosure: rational(counts.eligibleAtDisclosure, shareUnit),
    averageBuyPrice: counts.costShares > 0 ? rational3(counts.costNum, counts.costDen, counts.costShares, priceUnit * counts.costScale) : null,
    soldAfterDisclosure: rational(counts.soldAfterDisclosure, shareUnit),
    soldValue: rational3(counts.soldValue, priceUnit, shareUnit, 1),
    heldAtBase: rational(counts.heldAtBase, shareUnit),
    firstEligibleBuyDate: dateOfDay(constants, counts.firstEligibleBuyDay ?? NO_DAY),
  };
}

function pricesOf(columns: TradeColumns, constants: CaseConstants, lossCase: LossCase, index: string | null): Prices | null {
  if (index === null) return new Prices(columns, null);
  const table = indexTableOf(constants, lossCase, index);
  return table === null ? null : new Prices(columns, table);
}

/** replayInvestor (event-order.ts) driving a buy-side run; false for a missing position. */
function buySide(run: BuySideRun, columns: TradeColumns, opening: number, constants: CaseConstants, eligibleFirst: boolean): boolean {
  const { implementation, disclosure, afterBase, actionKeys, factorNum, factorDen, shareUnit } = constants;
  const { timeKey, isBuy } = columns;
  const actions = actionKeys.length;
  const hasHoldings = opening >= 0;
  let next = 0;
  if (hasHoldings) {
    while (next < actions && actionKeys[next]! < implementation) next++;
    run.preWindow = opening;
  }
  for (let i = columns.start; i < columns.end; i++) {
    const key = timeKey[i]!;
    if (hasHoldings && key < implementation) continue;
    if (!run.closed && key >= afterBase) {
      for (; next < actions && actionKeys[next]! < afterBase; next++) run.bonus(factorNum[next]!, factorDen[next]!, actionKeys[next]! >= disclosure);
      run.closeBaseDate();
    }
    for (; next < actions && actionKeys[next]! <= key; next++) run.bonus(factorNum[next]!, factorDen[next]!, actionKeys[next]! >= disclosure);
    const shares = sharesOf(columns, i, shareUnit);
    if (run.closed) {
      // After the base date only the whole position moves: every pool may be sold from.
      if (isBuy[i] === 1) run.position = checked(run.position + shares);
      else if (shares > run.position) return false;
      else run.position -= shares;
      continue;
    }
    const period = key < implementation ? PRE_WINDOW : key < disclosure ? WINDOW : POST_DISCLOSURE;
    if (!run.snapshotTaken && period === POST_DISCLOSURE) run.takeSnapshot();
    if (isBuy[i] === 1) run.buy(i, period, shares);
    else if (!run.sell(i, period, shares, eligibleFirst)) return false;
  }
  if (!run.closed) {
    for (; next < actions && actionKeys[next]! < afterBase; next++) run.bonus(factorNum[next]!, factorDen[next]!, actionKeys[next]! >= disclosure);
    run.closeBaseDate();
  }
  return true;
}

// ---- the sell side -------------------------------------------------------------------------------

/** The sell-side walk's result as the integers the walk kept (see BuySideCounts for the units). */
export interface SellSideCounts {
  shareUnit: number;
  priceUnit: number;
  /** Shares sold in the window, and their proceeds in 1/(priceUnit · F) of a yuan. */
  soldInWindow: number;
  saleValue: number;
  /** Q_back, and its cost in 1/(priceUnit · F) of a yuan. */
  boughtBack: number;
  buyBackValue: number;
  /** The epoch day of firstEligibleSaleDate, or null. */
  firstEligibleSaleDay: number | null;
}

/**
 * `walkSellSide` over the columns: the main run when `index` is null, else the mirror run of
 * that index. Null when it declines.
 */
export function walkSellSideFast(columns: TradeColumns, holdings: Rational | null, lossCase: LossCase, index: string | null): SellSideWalk | null {
  const counts = sellSideCounts(columns, holdings, lossCase, index);
  if (counts === null) return null;
  const { shareUnit, priceUnit } = counts;
  return {
    soldInWindow: rational(counts.soldInWindow, shareUnit),
    saleValue: rational3(counts.saleValue, priceUnit, shareUnit, 1),
    boughtBack: rational(counts.boughtBack, shareUnit),
    buyBackValue: rational3(counts.buyBackValue, priceUnit, shareUnit, 1),
    firstEligibleSaleDate: dateOfDay(constantsOf(lossCase)!, counts.firstEligibleSaleDay ?? NO_DAY),
  };
}

/** The integers behind `walkSellSideFast`; null exactly when it declines. */
export function sellSideCounts(columns: TradeColumns, holdings: Rational | null, lossCase: LossCase, index: string | null): SellSideCounts | null {
  const constants = constantsOf(lossCase);
  if (constants === null) return null;
  const prices = pricesOf(columns, constants, lossCase, index);
  const opening = openingShares(holdings, constants.shareUnit);
  if (prices === null || opening === null) return null;
  try {
    return sellSide(columns, opening, constants, prices, index === null);
  } catch (caught) {
    if (caught === DECLINE) return null;
    throw caught;
  }
}

function sellSide(columns: TradeColumns, opening: number, constants: CaseConstants, prices: Prices, splits: boolean): SellSideCounts | null {
  const { implementation, disclosure, afterBase, actionKeys, factorNum, factorDen, shareUnit } = constants;
  const { timeKey, isBuy } = columns;
  const actions = actionKeys.length;
  const hasHoldings = opening >= 0;
  let position = hasHoldings ? opening : 0;
  let sold = 0;
  let saleValue = 0;
  let back = 0;
  let backValue = 0;
  let firstSaleDay = NO_DAY;
  let closed = false;
  let next = 0;
  const bonus = (k: number) => {
    const num = factorNum[k]!;
    const den = factorDen[k]!;
    position = scaled(position, num, den);
    if (closed) return;
    sold = scaled(sold, num, den);
    back = scaled(back, num, den);
    if (!splits) {
      saleValue = scaled(saleValue, num, den);
      backValue = scaled(backValue, num, den);
    }
  };
  if (hasHoldings) while (next < actions && actionKeys[next]! < implementation) next++;
  for (let i = columns.start; i < columns.end; i++) {
    const key = timeKey[i]!;
    if (hasHoldings && key < implementation) continue;
    if (!closed && key >= afterBase) {
      for (; next < actions && actionKeys[next]! < afterBase; next++) bonus(next);
      closed = true;
    }
    for (; next < actions && actionKeys[next]! <= key; next++) bonus(next);
    const shares = sharesOf(columns, i, shareUnit);
    if (isBuy[i] === 1) {
      position = checked(position + shares);
      if (!closed && key >= disclosure) {
        const counted = Math.min(shares, sold - back);
        if (counted > 0) {
          back += counted;
          backValue = checked(backValue + checked(prices.at(i) * counted));
        }
      }
    } else {
      if (shares > position) return null;
      position -= shares;
      if (!closed && key >= implementation && key < disclosure) {
        sold = checked(sold + shares);
        saleValue = checked(saleValue + checked(prices.at(i) * shares));
        if (firstSaleDay === NO_DAY) firstSaleDay = columns.epochDay[i]!;
      }
    }
  }
  if (!closed) for (; next < actions && actionKeys[next]! < afterBase; next++) bonus(next);
  return {
    shareUnit,
    priceUnit: prices.unit,
    soldInWindow: sold,
    saleValue,
    boughtBack: back,
    buyBackValue: backValue,
    firstEligibleSaleDay: firstSaleDay === NO_DAY ? null : firstSaleDay,
  };
}
