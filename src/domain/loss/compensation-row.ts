import { epochDay } from '../market/calendar-date.ts';
import { Rational } from '../money/rational.ts';
import { buySideCounts, mirrorCountsByReplay, sellSideCounts, type BuySideCounts, type SellSideCounts } from './integer-walk.ts';
import { generalMirrors, reasonOf, type InvestorStatus } from './investor-loss.ts';
import type { InvestorRecords } from './investor-records.ts';
import { derivedPerCase, type LossCase } from './loss-case.ts';
import type { TradeColumns } from './trade-columns.ts';
import { gcd } from '../money/integer-gcd.ts';

/*
 * One investor's row of compensation.csv as rounded integers, straight from the integer walks
 * (integer-walk.ts): the legs, the market-risk deduction, fees and interest of investor-loss.ts
 * and market-risk.ts, without an InvestorResult or a single Rational on the way. It exists for
 * speed only: `computeInvestorLoss` is the reference, and every value here is the exact value it
 * computes, rounded by the same rule (half away from zero), so the row it prints is the same.
 *
 * Exact rationals are carried as numerator/denominator pairs of exact integers (Int, below) with
 * positive denominators, never reduced: a bigint gcd costs more than the few products it would
 * save, and neither a comparison nor a rounding needs lowest terms.
 *
 * `fastCompensationRow` returns null whenever it cannot vouch for the row (no columns, a walk
 * that declines, a plan whose constants do not fit), and the caller then takes the general path,
 * which also gives the missing-position cause and any CaseError in its own words.
 */

const PRICE_DECIMALS = 4;
const RATIO_DECIMALS = 6;

/**
 * An exact integer: a safe integer in a double while it fits, else a bigint. The operations on
 * them (mul, add, sub below) compute in doubles when both operands are doubles and check the
 * result against 2^53 as integer-walk.ts does (operands are safe integers, so a true result that is safe comes out
 * exact, and one that is not rounds to at least 2^53 and is redone in bigint). Most investors'
 * legs, prices and fees fit; the index-comparison deduction mostly does not, and pays bigint only
 * where it must.
 */
export type Int = number | bigint;

/** The columns computed from the walk (blank for an excluded or rejected investor). */
export interface RoundedShares {
  /** Share counts × 10^4, rounded (exact when whole), in units as of the base date. */
  eligibleShares: Int;
  soldAfterDisclosure: Int;
  heldAtBase: Int;
  /** The base price × 10^4, rounded. */
  basePrice: Int;
}

/** The columns of a row with legs (absent for lack of eligible shares). */
export interface RoundedLegs {
  /** Prices × 10^4, rounded; null where compensation.csv leaves them blank. */
  averageBuyPrice: Int | null;
  averageSellPrice: Int | null;
  /** Fen. */
  lossSold: Int;
  lossHeld: Int;
  loss: Int;
  /** D ÷ (sum of positive legs) × 10^6, rounded; null without a positive leg. */
  deductionRatio: Int | null;
  deduction: Int;
}

/** An investor's row of compensation.csv (loss-methodology.md §7), every value rounded as reported. */
export interface CompensationRow {
  status: InvestorStatus;
  /** Empty for payable. */
  reason: string;
  shares: RoundedShares | null;
  legs: RoundedLegs | null;
  /** Fen; zero unless payable. */
  principal: Int;
  commission: Int;
  stampDuty: Int;
  interest: Int;
  total: Int;
}

// ---- exact integers -------------------------------------------------------------------------------

const MAX = Number.MAX_SAFE_INTEGER;
const BIG_MAX = BigInt(MAX);

function big(x: Int): bigint {
  return typeof x === 'bigint' ? x : BigInt(x);
}

function mul(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number') {
    const product = x * y;
    if (product <= MAX && product >= -MAX) return product;
  }
  return big(x) * big(y);
}

function add(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number') {
    const sum = x + y;
    if (sum <= MAX && sum >= -MAX) return sum;
  }
  return big(x) + big(y);
}

function sub(x: Int, y: Int): Int {
  if (typeof x === 'number' && typeof y === 'number') {
    const difference = x - y;
    if (difference <= MAX && difference >= -MAX) return difference;
  }
  return big(x) - big(y);
}

function isPositive(x: Int): boolean {
  return typeof x === 'number' ? x > 0 : x > 0n;
}

function isZero(x: Int): boolean {
  return x === 0 || x === 0n;
}

/** x < y. */
function less(x: Int, y: Int): boolean {
  return typeof x === 'number' && typeof y === 'number' ? x < y : big(x) < big(y);
}

/** A bigint as a number when it is safe, so that what follows runs in doubles again. */
function narrow(value: bigint): Int {
  return value <= BIG_MAX && value >= -BIG_MAX ? Number(value) : value;
}

// ---- rounding ------------------------------------------------------------------------------------

/**
 * num/den × scale rounded half away from zero (den > 0), as an exact integer. Rounding needs
 * floor(|num|·scale / den) and whether twice the remainder reaches den, nothing else: no lowest
 * terms.
 */
function round(num: Int, den: Int, scale: number): Int {
  if (isZero(num)) return 0;
  if (typeof num === 'number' && typeof den === 'number') {
    const rounded = roundNumber(num, den, scale);
    if (rounded !== null) return rounded;
  }
  return narrow(roundBig(big(num), big(den), scale === 100 ? 200n : scale === 10_000 ? 20_000n : scale === 1_000_000 ? 2_000_000n : BigInt(2 * scale)));
}

/**
 * `round` in doubles for safe num and den, in two steps so that |num|·scale need not be safe:
 * |num| = q0·den + r0, then r0·scale = q1·den + r1, and the quotient is q0·scale + q1. Each
 * double quotient of safe integers is within one of the true floor, which the remainder then
 * corrects; null when a step would leave the safe integers.
 */
function roundNumber(num: number, den: number, scale: number): number | null {
  const magnitude = num < 0 ? -num : num;
  if (!(magnitude + den <= MAX)) return null;
  let q0 = Math.floor(magnitude / den);
  let r0 = magnitude - q0 * den;
  if (r0 < 0) {
    q0--;
    r0 += den;
  } else if (r0 >= den) {
    q0++;
    r0 -= den;
  }
  const scaledRemainder = r0 * scale;
  if (!(scaledRemainder + den <= MAX)) return null;
  let q1 = Math.floor(scaledRemainder / den);
  let r1 = scaledRemainder - q1 * den;
  if (r1 < 0) {
    q1--;
    r1 += den;
  } else if (r1 >= den) {
    q1++;
    r1 -= den;
  }
  const rounded = q0 * scale + q1 + (r1 * 2 >= den ? 1 : 0);
  if (!(rounded <= MAX)) return null;
  return num < 0 ? -rounded : rounded;
}

/** floor((|num|·2·scale + den) / (2·den)) is |num|·scale/den rounded half up: one division. */
function roundBig(num: bigint, den: bigint, twiceScale: bigint): bigint {
  if (num < 0n) return -((-num * twiceScale + den) / (den << 1n));
  return (num * twiceScale + den) / (den << 1n);
}

/*
 * floor(num / den) and the remainder, set by `splitQuotient` instead of allocating a pair.
 */
let quotientOf: Int = 0;
let remainderOf: Int = 0;

/** Sets quotientOf and remainderOf to num = quotient·den + remainder, 0 ≤ remainder < den, for num ≥ 0, den > 0. */
function splitQuotient(num: Int, den: Int): void {
  if (typeof num === 'number' && typeof den === 'number' && num + den <= MAX) {
    // The double quotient of safe integers is within one of the floor; the remainder corrects it.
    let quotient = Math.floor(num / den);
    let remainder = num - quotient * den;
    if (remainder < 0) {
      quotient--;
      remainder += den;
    } else if (remainder >= den) {
      quotient++;
      remainder -= den;
    }
    quotientOf = quotient;
    remainderOf = remainder;
    return;
  }
  const bigNum = big(num);
  const bigDen = big(den);
  const quotient = bigNum / bigDen;
  quotientOf = narrow(quotient);
  remainderOf = bigNum - quotient * bigDen;
}

/**
 * (whole + part/partDen) / den × scale × rateNum/rateDen rounded half up, for whole ≥ 0,
 * 0 ≤ part < partDen, den > 0, 0 ≤ rateNum ≤ rateDen and scale a power of ten: an amount kept
 * over den, with a part below one unit that a deduction's own denominator leaves, in fen
 * (scale 100, times a fee rate) or as a ratio (scale 10^6).
 *
 * In doubles: whole·scale = A·den + B, digit by digit, so that the value × scale is A + f/den
 * with f = B + scale·part/partDen in [B, B + scale). When B + scale ≤ den, f/den < 1, and with
 * A·rateNum = Aq·rateDen + Ar the result is Aq + floor((t + e) / (2·rateDen)) for
 * t = 2·Ar + rateDen in [rateDen, 3·rateDen) and e = 2·rateNum·f/den below 2·rateDen: one
 * boundary at most is crossed, and the bounds of f decide whether it is, except when they
 * straddle it, which one exact comparison settles. Anything that would leave the safe integers
 * is rounded from the exact fraction instead.
 */
function roundParts(whole: Int, part: Int, partDen: Int, den: Int, scale: number, rateNum: Int, rateDen: Int): Int {
  if (
    typeof whole === 'number' && typeof den === 'number' && typeof rateNum === 'number' && typeof rateDen === 'number' &&
    rateNum <= rateDen && 4 * rateDen * den <= MAX && den * 10 <= MAX && whole + den <= MAX
  ) {
    splitQuotient(whole, den);
    let quotient = quotientOf as number;
    let remainder = remainderOf as number;
    const step = den * 100 <= MAX ? 100 : 10;
    for (let done = 1; done < scale && quotient <= MAX; done *= step) {
      const scaled = remainder * step;
      let digits = Math.floor(scaled / den);
      remainder = scaled - digits * den;
      if (remainder < 0) {
        digits--;
        remainder += den;
      } else if (remainder >= den) {
        digits++;
        remainder -= den;
      }
      quotient = quotient * step + digits;
    }
    const product = quotient * rateNum;
    if (quotient <= MAX && remainder + scale <= den && product + rateDen <= MAX) {
      splitQuotient(product, rateDen);
      const twice = 2 * (remainderOf as number) + rateDen;
      const crossed = twice >= 2 * rateDen;
      const rounded = (quotientOf as number) + (crossed ? 1 : 0);
      const needed = (crossed ? 4 * rateDen : 2 * rateDen) - twice;
      // e ≥ needed ⇔ 2·rateNum·f ≥ needed·den, with f in [remainder, remainder + scale)
      const threshold = needed * den;
      if (2 * rateNum * remainder >= threshold) return rounded + 1;
      if (isZero(part) || 2 * rateNum * (remainder + scale) <= threshold) return rounded;
      const f = add(mul(remainder, partDen), mul(scale, part));
      return less(mul(2 * rateNum, f), mul(threshold, partDen)) ? rounded : rounded + 1;
    }
  }
  return round(mul(add(mul(whole, partDen), part), rateNum), mul(mul(den, partDen), rateDen), scale);
}

function scaledRational(value: Rational, decimals: number): Int {
  return narrow(value.roundToScaled(decimals));
}

// ---- per case ------------------------------------------------------------------------------------

const NONE = 0;
const FIXED = 1;
const PER_INVESTOR = 2;
const INDEX_COMPARISON = 3;

/** What every investor's row of a case shares, prepared once per LossCase. */
interface RowConstants {
  inflated: boolean;
  method: number;
  indices: readonly string[];
  /** Fixed method: k = clamp(ratio, 0, 1), and its display. */
  fixedNum: Int;
  fixedDen: Int;
  fixedRatio: Int;
  baseNum: Int;
  baseDen: Int;
  basePrice: Int;
  commissionNum: Int;
  commissionDen: Int;
  stampNum: Int;
  stampDen: Int;
  /** 1 + commissionRate + stampDutyRate: interest runs on L' plus both fees. */
  feeNum: Int;
  feeDen: Int;
  /** Interest: entry i's rate, rateNum[i] / rateDen, runs from its day to the day before the next. */
  rateFrom: Float64Array | null;
  rateNum: Float64Array;
  /** 365 × rateDen: Σ rateNum × days over it is the year fraction. */
  yearDen: Int;
  baseDay: number;
  /** I_base,j of the plan's j-th index, once read without a CaseError. */
  baseMeans: ([Int, Int] | undefined)[];
}

const rowConstantsOf = derivedPerCase((lossCase) => prepareRowConstants(lossCase));

function clampToUnit(ratio: Rational): Rational {
  return ratio.clamp(Rational.ZERO, Rational.ONE);
}

function prepareRowConstants(lossCase: LossCase): RowConstants | null {
  const { plan, keyDates } = lossCase;
  const deduction = plan.riskDeduction;
  const fixed = clampToUnit(deduction.method === 'fixed' ? deduction.ratio : Rational.ZERO);
  const commission = plan.commissionRate;
  const stamp = lossCase.stampDutyRate;
  const fee = Rational.ONE.add(commission).add(stamp);

  let rateFrom: Float64Array | null = null;
  let rateNum = new Float64Array(0);
  let rateDen = 1;
  const rates = plan.interestRates;
  if (rates !== null) {
    // One denominator for every rate, so that Σ rate × days is one safe integer sum.
    for (const entry of rates) {
      const den = Number(entry.rate.den);
      rateDen = (rateDen / gcd(rateDen, den)) * den;
      if (!Number.isSafeInteger(rateDen)) return null;
    }
    rateFrom = new Float64Array(rates.length);
    rateNum = new Float64Array(rates.length);
    for (const [i, entry] of rates.entries()) {
      const num = entry.rate.num * (BigInt(rateDen) / entry.rate.den);
      if (num > BIG_MAX || num < 0n) return null;
      rateFrom[i] = epochDay(entry.from);
      rateNum[i] = Number(num);
    }
  }

  return {
    inflated: plan.direction === 'inflated',
    method: deduction.method === 'none' ? NONE : deduction.method === 'fixed' ? FIXED : deduction.method === 'per-investor' ? PER_INVESTOR : INDEX_COMPARISON,
    indices: deduction.method === 'index-comparison' ? deduction.indices : [],
    fixedNum: narrow(fixed.num),
    fixedDen: narrow(fixed.den),
    fixedRatio: scaledRational(fixed, RATIO_DECIMALS),
    baseNum: narrow(keyDates.basePrice.num),
    baseDen: narrow(keyDates.basePrice.den),
    basePrice: scaledRational(keyDates.basePrice, PRICE_DECIMALS),
    commissionNum: narrow(commission.num),
    commissionDen: narrow(commission.den),
    stampNum: narrow(stamp.num),
    stampDen: narrow(stamp.den),
    feeNum: narrow(fee.num),
    feeDen: narrow(fee.den),
    rateFrom,
    rateNum,
    yearDen: mul(365, rateDen),
    baseDay: epochDay(keyDates.baseDate),
    baseMeans: [],
  };
}

/** I_base,j; a CaseError (a missing close) is thrown for every investor that reads it, as on the general path. */
function baseMeanOf(constants: RowConstants, lossCase: LossCase, j: number, investor: string): [Int, Int] {
  let mean = constants.baseMeans[j];
  if (mean === undefined) {
    const value = lossCase.indexBaseMean(constants.indices[j]!, investor);
    mean = [narrow(value.num), narrow(value.den)];
    constants.baseMeans[j] = mean;
  }
  return mean;
}

/**
 * Σ rate(day) over the calendar days after `startDay` up to and including the base date
 * (interestPeriods in interest.ts, entry by entry), in 1/rateDen; null past 2^53; 0 when the
 * plan pays no interest or the investor has no day to count from.
 */
function rateDays(constants: RowConstants, startDay: number | null): number | null {
  const rateFrom = constants.rateFrom;
  if (rateFrom === null || startDay === null) return 0;
  const firstDay = startDay + 1;
  const lastDay = constants.baseDay;
  const count = rateFrom.length;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const from = Math.max(rateFrom[i]!, firstDay);
    const to = Math.min(i + 1 < count ? rateFrom[i + 1]! - 1 : Number.POSITIVE_INFINITY, lastDay);
    // Every term is non-negative, so a term past 2^53 leaves the total past it too.
    if (to >= from) total += constants.rateNum[i]! * (to - from + 1);
  }
  return total <= MAX ? total : null;
}

// ---- one investor --------------------------------------------------------------------------------

const EXCLUDED = reasonOf({ kind: 'excluded' });
const MISSING_RATIO = reasonOf({ kind: 'missing-ratio' });
const NO_ELIGIBLE_SHARES_BOUGHT = reasonOf({ kind: 'no-eligible-shares', direction: 'inflated' });
const NO_ELIGIBLE_SHARES_SOLD = reasonOf({ kind: 'no-eligible-shares', direction: 'deflated' });
const NO_LOSS = reasonOf({ kind: 'no-loss' });
const NO_LOSS_AFTER_DEDUCTION = reasonOf({ kind: 'no-loss-after-deduction' });

function notPayable(status: InvestorStatus, reason: string, shares: RoundedShares | null, legs: RoundedLegs | null): CompensationRow {
  return { status, reason, shares, legs, principal: 0, commission: 0, stampDuty: 0, interest: 0, total: 0 };
}

/**
 * The row `computeInvestorLoss` gives this investor, rounded as compensation.csv reports it, by
 * the integer walks; null when the general path must decide (see above). Pure.
 */
export function fastCompensationRow(records: InvestorRecords, lossCase: LossCase): CompensationRow | null {
  const { plan } = lossCase;
  // The precedence of computeInvestorLoss (§4.3); these rows need no walk.
  if (plan.exclusions.has(records.investor)) return notPayable('ineligible', EXCLUDED, null, null);
  const firstBadRow = records.badRows[0];
  if (firstBadRow !== undefined) return notPayable('rejected', reasonOf({ kind: 'bad-row', row: firstBadRow }), null, null);
  if (plan.riskDeduction.method === 'per-investor' && records.ratio === null) return notPayable('rejected', MISSING_RATIO, null, null);

  const { columns } = records;
  if (columns === undefined) return null;
  const constants = rowConstantsOf(lossCase);
  if (constants === null) return null;
  if (constants.inflated) {
    const counts = buySideCounts(columns, records.holdings, lossCase, null);
    return counts === null ? null : buySideRow(records, columns, lossCase, constants, counts);
  }
  const counts = sellSideCounts(columns, records.holdings, lossCase, null);
  return counts === null ? null : sellSideRow(records, columns, lossCase, constants, counts);
}

/**
 * The legs of one investor over one common denominator, with what the deduction reads: the
 * entry price's numerator (P_buy, or P_sell on the sell side), whether leg 0 has an exit price,
 * and each leg's quantity in share units.
 */
interface ExactLegs {
  lossNum0: Int;
  lossNum1: Int;
  /** entryDen × F × βd, for the entry price entryNum / entryDen and shares in 1/F. */
  lossDen: Int;
  entryNum: Int;
  /** Leg 0 has no exit price (nothing sold after disclosure, nothing bought back). */
  noExit0: boolean;
  quantity0: number;
  quantity1: number;
}

/** One index's mirror run as the deduction reads it: its entry and leg 0's exit (leg 1 exits at I_base,j). */
interface MirrorValues {
  entryNum: Int;
  entryDen: Int;
  exitNum0: Int;
  exitDen0: Int;
  noExit0: boolean;
  baseNum: Int;
  baseDen: Int;
}

/** One index's mirror run without the index's base mean: entry price, and leg 0's exit price. */
type MirrorRun = Omit<MirrorValues, 'baseNum' | 'baseDen'>;

/** A mirror run's prices from the general walk; the deduction reads only their values, not their terms. */
function mirrorOfRationals(entry: Rational, exit: Rational | null): MirrorRun {
  return {
    entryNum: narrow(entry.num),
    entryDen: narrow(entry.den),
    exitNum0: exit === null ? 0 : narrow(exit.num),
    exitDen0: exit === null ? 1 : narrow(exit.den),
    noExit0: exit === null,
  };
}

/** A mirror run for each index, in the plan's order; null when one declines. */
type MirrorRuns = () => MirrorValues[] | null;

/**
 * The mirror runs of an investor, read when the deduction needs them: `runOf` gives one index's
 * run by the integer walk or, where that declines (past 2^53, or a close it cannot read), by the
 * general walk, which also words any case error as the general path does; null when the run has
 * no entry price. Each index's base mean is read after its run, in the general path's order, so
 * that a case error is the same one.
 */
function mirrorRuns(records: InvestorRecords, lossCase: LossCase, constants: RowConstants, runOf: (index: string) => MirrorRun | null): MirrorRuns {
  // Read once: the exact deduction reads them again where the approximate one cannot decide.
  let read: MirrorValues[] | null | undefined;
  return () => (read === undefined ? (read = readMirrorRuns(records, lossCase, constants, runOf)) : read);
}

function readMirrorRuns(records: InvestorRecords, lossCase: LossCase, constants: RowConstants, runOf: (index: string) => MirrorRun | null): MirrorValues[] | null {
  const runs: MirrorValues[] = [];
  for (let j = 0; j < constants.indices.length; j++) {
    const run = runOf(constants.indices[j]!);
    if (run === null) return null;
    const [baseNum, baseDen] = baseMeanOf(constants, lossCase, j, records.investor);
    runs.push({ ...run, baseNum, baseDen });
  }
  return runs;
}

/** A share count in 1/F as × 10^4, rounded. */
function sharesOf(units: number, shareUnit: number): Int {
  return shareUnit === 1 ? mul(units, 10_000) : round(units, shareUnit, 10_000);
}

function buySideRow(records: InvestorRecords, columns: TradeColumns, lossCase: LossCase, constants: RowConstants, counts: BuySideCounts): CompensationRow | null {
  const F = counts.shareUnit;
  const U = counts.priceUnit;
  const eligible = counts.eligibleAtDisclosure;
  const sold = counts.soldAfterDisclosure;
  const held = counts.heldAtBase;
  const shares: RoundedShares = { eligibleShares: sharesOf(eligible, F), soldAfterDisclosure: sharesOf(sold, F), heldAtBase: sharesOf(held, F), basePrice: constants.basePrice };
  if (!(eligible > 0) || counts.costShares === 0) return notPayable('ineligible', NO_ELIGIBLE_SHARES_BOUGHT, shares, null);

  // P_buy = a / (c·U), P_sell = v / (U·Q_sold), B = βn / βd; shares in 1/F.
  const a = counts.costNum;
  const v = counts.soldValue;
  const c = mul(mul(counts.costDen, counts.costShares), counts.costScale);
  const cU = mul(c, U);
  const { baseNum, baseDen } = constants;
  // L_sold = (a·s − v·c) / (c·U·F) and L_held = (a·βd − βn·c·U)·h / (c·U·βd·F), over c·U·βd·F.
  const legs: ExactLegs = {
    lossNum0: sold === 0 ? 0 : mul(sub(mul(a, sold), mul(v, c)), baseDen),
    lossNum1: held === 0 ? 0 : mul(sub(mul(a, baseDen), mul(baseNum, cU)), held),
    lossDen: mul(mul(cU, baseDen), F),
    entryNum: a,
    noExit0: sold === 0,
    quantity0: sold,
    quantity1: held,
  };
  const averageBuyPrice = round(a, cU, 10_000);
  const averageSellPrice = sold > 0 ? round(v, mul(U, sold), 10_000) : null;
  const mirrors = mirrorRuns(records, lossCase, constants, (index) => {
    // Replayed over the stock run's events of E where it recorded them, else walked in full: the same counts.
    const replayed = mirrorCountsByReplay(counts, columns, lossCase, index);
    const mirror = replayed === undefined ? buySideCounts(columns, records.holdings, lossCase, index) : replayed;
    if (mirror === null) {
      const walk = generalMirrors(records, lossCase).buySide(index);
      if (walk.averageBuyPrice === null) return null;
      return mirrorOfRationals(walk.averageBuyPrice, walk.soldAfterDisclosure.isPositive() ? walk.soldValue.div(walk.soldAfterDisclosure) : null);
    }
    if (mirror.costShares === 0) return null;
    return {
      entryNum: mirror.costNum,
      entryDen: mul(mul(mul(mirror.costDen, mirror.costShares), mirror.costScale), mirror.priceUnit),
      exitNum0: mirror.soldValue,
      exitDen0: mul(mirror.priceUnit, mirror.soldAfterDisclosure),
      noExit0: !(mirror.soldAfterDisclosure > 0),
    };
  });
  return legsRow(records, constants, shares, legs, averageBuyPrice, averageSellPrice, mirrors, counts.firstEligibleBuyDay);
}

function sellSideRow(records: InvestorRecords, columns: TradeColumns, lossCase: LossCase, constants: RowConstants, counts: SellSideCounts): CompensationRow | null {
  const F = counts.shareUnit;
  const U = counts.priceUnit;
  const sold = counts.soldInWindow;
  const back = counts.boughtBack;
  const notBack = sold - back;
  const shares: RoundedShares = { eligibleShares: sharesOf(sold, F), soldAfterDisclosure: sharesOf(back, F), heldAtBase: sharesOf(notBack, F), basePrice: constants.basePrice };
  if (!(sold > 0)) return notPayable('ineligible', NO_ELIGIBLE_SHARES_SOLD, shares, null);

  // P_sell = sv / (U·sold), P_back = bv / (U·back), B = βn / βd; shares in 1/F.
  const sv = counts.saleValue;
  const bv = counts.buyBackValue;
  const uSold = mul(U, sold);
  const { baseNum, baseDen } = constants;
  // bought back (bv·sold − sv·back) / (U·F·sold), not bought back (βn·U·sold − sv·βd)·nb / (βd·U·sold·F), over βd·U·sold·F.
  const legs: ExactLegs = {
    lossNum0: back === 0 ? 0 : mul(sub(mul(bv, sold), mul(sv, back)), baseDen),
    lossNum1: notBack === 0 ? 0 : mul(sub(mul(baseNum, uSold), mul(sv, baseDen)), notBack),
    lossDen: mul(mul(baseDen, uSold), F),
    entryNum: sv,
    noExit0: back === 0,
    quantity0: back,
    quantity1: notBack,
  };
  const averageSellPrice = round(sv, uSold, 10_000);
  const averageBackPrice = back > 0 ? round(bv, mul(U, back), 10_000) : null;
  const mirrors = mirrorRuns(records, lossCase, constants, (index) => {
    const mirror = sellSideCounts(columns, records.holdings, lossCase, index);
    if (mirror === null) {
      const walk = generalMirrors(records, lossCase).sellSide(index);
      if (!walk.soldInWindow.isPositive()) return null;
      return mirrorOfRationals(walk.saleValue.div(walk.soldInWindow), walk.boughtBack.isPositive() ? walk.buyBackValue.div(walk.boughtBack) : null);
    }
    if (!(mirror.soldInWindow > 0)) return null;
    return {
      entryNum: mirror.saleValue,
      entryDen: mul(mirror.priceUnit, mirror.soldInWindow),
      exitNum0: mirror.buyBackValue,
      exitDen0: mul(mirror.priceUnit, mirror.boughtBack),
      noExit0: !(mirror.boughtBack > 0),
    };
  });
  return legsRow(records, constants, shares, legs, averageBackPrice, averageSellPrice, mirrors, counts.firstEligibleSaleDay);
}

/**
 * finish() in investor-loss.ts with deductMarketRisk() of market-risk.ts, on exact integers:
 * L, D, L' and the statuses decided on them, then the rounded amounts. Amounts are kept over the
 * legs' denominator lossDen; the deduction's own denominator (k's, or the index comparison's
 * huge one) only adds a part below one unit of it, carried apart: so D, L' and the fees on L'
 * round from safe integers (roundParts), and only that part is ever a bigint.
 */
function legsRow(
  records: InvestorRecords,
  constants: RowConstants,
  shares: RoundedShares,
  legs: ExactLegs,
  averageBuyPrice: Int | null,
  averageSellPrice: Int | null,
  mirrors: MirrorRuns,
  interestStartDay: number | null,
): CompensationRow | null {
  const { lossNum0, lossNum1, lossDen } = legs;
  const lossNum = add(lossNum0, lossNum1);
  const positive0 = isPositive(lossNum0);
  const positive1 = isPositive(lossNum1);
  // The sum of the positive legs, over lossDen.
  const positiveNum = positive0 ? (positive1 ? lossNum : lossNum0) : lossNum1;
  // The legs the index comparison deducts: a positive leg with a positive entry price, and leg 0
  // with an exit price too (stockChange in market-risk.ts is null otherwise, and then k = 0).
  const deducted0 = positive0 && isPositive(legs.entryNum) && !legs.noExit0;
  const deducted1 = positive1 && isPositive(legs.entryNum);

  if (constants.method === INDEX_COMPARISON && (deducted0 || deducted1) && indexComparisonRows.approximate) {
    const row = approximateIndexRow(constants, shares, legs, lossNum, positiveNum, deducted0, deducted1, averageBuyPrice, averageSellPrice, mirrors, interestStartDay);
    if (row !== undefined) {
      indexComparisonRows.approximated++;
      return row;
    }
    indexComparisonRows.undecided++;
  }

  // D × lossDen = deductionWhole + deductionPart / deductionPartDen, the part below one.
  let deductionWhole: Int = 0;
  let deductionPart: Int = 0;
  let deductionPartDen: Int = 1;
  let deductionRatio: Int | null = null;
  if (positive0 || positive1) {
    switch (constants.method) {
      case NONE:
        deductionRatio = 0;
        break;
      case FIXED:
      case PER_INVESTOR: {
        // Every positive leg at the same k: D = k × (sum of positive legs), so D ÷ that sum is k.
        let kNum = constants.fixedNum;
        let kDen = constants.fixedDen;
        deductionRatio = constants.fixedRatio;
        if (constants.method === PER_INVESTOR) {
          const k = clampToUnit(records.ratio!);
          kNum = narrow(k.num);
          kDen = narrow(k.den);
          deductionRatio = scaledRational(k, RATIO_DECIMALS);
        }
        splitQuotient(mul(kNum, positiveNum), kDen);
        deductionWhole = quotientOf;
        deductionPart = remainderOf;
        deductionPartDen = kDen;
        break;
      }
      default: {
        const deduction = indexComparison(constants, legs, deducted0, deducted1, mirrors);
        if (deduction === null) return null;
        deductionWhole = deduction.whole;
        deductionPart = deduction.part;
        deductionPartDen = deduction.partDen;
        deductionRatio = isZero(deductionWhole) && isZero(deductionPart) ? 0 : roundParts(deductionWhole, deductionPart, deductionPartDen, positiveNum, 1_000_000, 1, 1);
      }
    }
  }

  const rounded = roundedLegs(legs, lossNum, averageBuyPrice, averageSellPrice, deductionRatio, roundParts(deductionWhole, deductionPart, deductionPartDen, lossDen, 100, 1, 1));
  if (!isPositive(lossNum)) return notPayable('zero', NO_LOSS, shares, rounded);

  // L' × lossDen = lossNum − deductionWhole − part, as a whole and a part below one again.
  let afterWhole = sub(lossNum, deductionWhole);
  let afterPart: Int = 0;
  if (!isZero(deductionPart)) {
    afterWhole = sub(afterWhole, 1);
    afterPart = sub(deductionPartDen, deductionPart);
  }
  if (!isPositive(afterWhole) && !(isZero(afterWhole) && !isZero(afterPart))) return notPayable('zero', NO_LOSS_AFTER_DEDUCTION, shares, rounded);

  const principal = roundParts(afterWhole, afterPart, deductionPartDen, lossDen, 100, 1, 1);
  const commission = roundParts(afterWhole, afterPart, deductionPartDen, lossDen, 100, constants.commissionNum, constants.commissionDen);
  const stampDuty = roundParts(afterWhole, afterPart, deductionPartDen, lossDen, 100, constants.stampNum, constants.stampDen);
  const days = rateDays(constants, interestStartDay);
  if (days === null) return null;
  let interest: Int = 0;
  // (L' + L'·commissionRate + L'·stampRate) × Σ rate × days / 365
  if (days > 0) {
    const afterNum = add(mul(afterWhole, deductionPartDen), afterPart);
    interest = round(mul(mul(afterNum, constants.feeNum), days), mul(mul(mul(lossDen, deductionPartDen), constants.feeDen), constants.yearDen), 100);
  }
  return {
    status: 'payable',
    reason: '',
    shares,
    legs: rounded,
    principal,
    commission,
    stampDuty,
    interest,
    total: add(add(principal, commission), add(stampDuty, interest)),
  };
}

/** The rounded legs of a row, with its deduction as rounded. */
function roundedLegs(legs: ExactLegs, lossNum: Int, averageBuyPrice: Int | null, averageSellPrice: Int | null, deductionRatio: Int | null, deduction: Int): RoundedLegs {
  const { lossNum0, lossNum1, lossDen } = legs;
  const loss = round(lossNum, lossDen, 100);
  return {
    averageBuyPrice,
    averageSellPrice,
    // A leg that is all of L needs no rounding of its own.
    lossSold: isZero(lossNum1) ? loss : round(lossNum0, lossDen, 100),
    lossHeld: isZero(lossNum0) ? loss : round(lossNum1, lossDen, 100),
    loss,
    deductionRatio,
    deduction,
  };
}

// ---- the index-comparison row from approximations --------------------------------------------------

/*
 * The exact index-comparison deduction needs bigints: r_m's sum over the indices has the product
 * of their denominators, a few hundred bits, and W = entry × Q × r_m × lossDen and its remainder
 * are divided out of it. Yet what the row reports of D is a handful of roundings: D and L' = L − D
 * to the fen, D ÷ the positive legs to 10^-6, fees and interest on L'. So the row is first
 * computed from double approximations carried with a bound on their error: every decision — the
 * sign of r_m, whether a leg's k is clamped to 1, whether L' is positive, each rounding — that the
 * bound leaves on one side is the exact decision, and where one falls within the bound (an amount
 * within about 10^-7 fen of a half fen, an r_m within 10^-12 of zero, a k of exactly 1) the exact
 * path decides instead. About a sixth of the compute phase's CPU had gone to those bigints.
 *
 * The bound: every approximation below comes from exact integers through a dozen roundings at
 * most, each of relative size u = 2^-53, apart from three subtractions (1 − X/I in r_m, the sum
 * over the indices, L − D), whose error is bounded through the magnitudes of their operands.
 * APPROXIMATION, 2^-40 = 8192u of each magnitude involved, exceeds that by more than a hundred
 * times for up to MAX_APPROXIMATED_INDICES indices.
 */
const APPROXIMATION = 2 ** -40;
const MAX_APPROXIMATED_INDICES = 64;
/** Past this (in fen, or 10^-6), a double no longer tells the halves apart with room to spare. */
const MAX_APPROXIMATED_VALUE = 2 ** 48;

/**
 * Whether index-comparison rows are first computed from approximations, and how many were
 * decided so and how many left to the exact path: tests count them, and run without them to
 * hold the exact path to the general one on every row.
 */
export const indexComparisonRows = { approximate: true, approximated: 0, undecided: 0 };

function toDouble(x: Int): number {
  return typeof x === 'number' ? x : Number(x);
}

/**
 * The value V, known to lie within `error` of `value` (V ≥ 0), rounded half up, when every
 * value in that interval rounds alike; undefined when they do not. The interval is widened by
 * what computing its ends in doubles could lose.
 */
export function certifiedRound(value: number, error: number): number | undefined {
  if (!(value >= 0 && value + error < MAX_APPROXIMATED_VALUE)) return undefined;
  const margin = error + APPROXIMATION * (value + 1);
  const low = Math.floor(value - margin + 0.5);
  return low === Math.floor(value + margin + 0.5) ? low : undefined;
}

/** certifiedRound of value × scale (scale ≥ 0), for a value known within `error`; the product's own rounding is inside the bound. */
function certifiedScaled(value: number, error: number, scale: number): number | undefined {
  const scaled = value * scale;
  return certifiedRound(scaled, error * scale + APPROXIMATION * scaled);
}

/**
 * legsRow for the index-comparison method (个体相对比例法, Art. 31; byIndexComparison in
 * market-risk.ts) with a deducted leg, from approximations (above): the same row, null where the
 * exact path returns null (a mirror run that declines, interest past 2^53), and undefined where a
 * decision falls within the bound, or where D is zero before any r_m is needed (a mirror without
 * an entry price), which the exact path computes as cheaply. A D of zero because every r_m is
 * negative is exact here too.
 */
function approximateIndexRow(
  constants: RowConstants,
  shares: RoundedShares,
  legs: ExactLegs,
  lossNum: Int,
  positiveNum: Int,
  deducted0: boolean,
  deducted1: boolean,
  averageBuyPrice: Int | null,
  averageSellPrice: Int | null,
  mirrors: MirrorRuns,
  interestStartDay: number | null,
): CompensationRow | null | undefined {
  // The runs decline, or leave D at zero, as in indexComparison.
  const { entryNum, lossDen } = legs;
  const runs = mirrors();
  if (runs === null) return null;
  if (runs.length > MAX_APPROXIMATED_INDICES) return undefined;
  for (const run of runs) if (!isPositive(run.entryNum)) return undefined;
  if (deducted0) for (const run of runs) if (run.noExit0) return null;

  const den = toDouble(lossDen);
  // entry × Q × r_m = C × Q × Σ_j ±(1 − X_j / I_j), with C = entryNum × βd ÷ (n × lossDen).
  const c = (toDouble(entryNum) * toDouble(constants.baseDen)) / (runs.length * den);
  let deduction = 0;
  let deductionError = 0;
  let byMarketLegs = false;
  // The legs deducted in full (k clamped to 1), exactly, over lossDen.
  let clampedNum: Int = 0;
  for (let leg = 0; leg < 2; leg++) {
    if (leg === 0 ? !deducted0 : !deducted1) continue;
    let sum = 0;
    let magnitudes = 0;
    for (const run of runs) {
      // X / I = (x / p) × (q / y) for I = p / q and X = x / y; a bigint past the doubles would read as infinity.
      const x = toDouble(leg === 0 ? run.exitNum0 : run.baseNum);
      const y = toDouble(leg === 0 ? run.exitDen0 : run.baseDen);
      const p = toDouble(run.entryNum);
      const q = toDouble(run.entryDen);
      if (!Number.isFinite(x + y + p + q)) return undefined;
      const ratio = (x / p) * (q / y);
      const term = constants.inflated ? 1 - ratio : ratio - 1;
      sum += term;
      magnitudes += ratio + Math.abs(term);
    }
    const sumError = APPROXIMATION * magnitudes;
    if (!(Math.abs(sum) > sumError)) return undefined;
    if (sum < 0) continue; // r_m < 0: k = 0
    const quantity = leg === 0 ? legs.quantity0 : legs.quantity1;
    const market = c * quantity * sum;
    const marketError = APPROXIMATION * market + c * quantity * sumError * (1 + APPROXIMATION);
    const lossLegNum = leg === 0 ? legs.lossNum0 : legs.lossNum1;
    const lossLeg = toDouble(lossLegNum) / den;
    const lossLegError = APPROXIMATION * lossLeg;
    if (!(Math.abs(market - lossLeg) > marketError + lossLegError)) return undefined;
    if (market < lossLeg) {
      deduction += market;
      deductionError += marketError;
      byMarketLegs = true;
    } else {
      deduction += lossLeg;
      deductionError += lossLegError;
      clampedNum = add(clampedNum, lossLegNum);
    }
  }
  deductionError += APPROXIMATION * deduction;
  if (!Number.isFinite(deduction + deductionError)) return undefined;

  const positive = toDouble(positiveNum) / den;
  // The positive legs' own error (a few ulps) widens D's bound by a factor 1 + APPROXIMATION.
  const deductionRatio = certifiedScaled(deduction, deductionError * (1 + APPROXIMATION), 1_000_000 / positive);
  const deductionFen = certifiedScaled(deduction, deductionError, 100);
  if (deductionRatio === undefined || deductionFen === undefined) return undefined;
  const rounded = roundedLegs(legs, lossNum, averageBuyPrice, averageSellPrice, deductionRatio, deductionFen);
  if (!isPositive(lossNum)) return notPayable('zero', NO_LOSS, shares, rounded);

  // L' = L − D: exact when every deducted leg is deducted in full.
  let after: number;
  let afterError: number;
  if (!byMarketLegs) {
    const afterNum = sub(lossNum, clampedNum);
    if (!isPositive(afterNum)) return notPayable('zero', NO_LOSS_AFTER_DEDUCTION, shares, rounded);
    after = toDouble(afterNum) / den;
    afterError = APPROXIMATION * after;
  } else {
    const loss = toDouble(lossNum) / den;
    after = loss - deduction;
    afterError = deductionError + APPROXIMATION * (2 * Math.abs(loss) + deduction);
    if (!(Math.abs(after) > afterError)) return undefined;
    if (after < 0) return notPayable('zero', NO_LOSS_AFTER_DEDUCTION, shares, rounded);
  }
  const principal = certifiedScaled(after, afterError, 100);
  const commission = certifiedScaled(after, afterError, (100 * toDouble(constants.commissionNum)) / toDouble(constants.commissionDen));
  const stampDuty = certifiedScaled(after, afterError, (100 * toDouble(constants.stampNum)) / toDouble(constants.stampDen));
  if (principal === undefined || commission === undefined || stampDuty === undefined) return undefined;
  const days = rateDays(constants, interestStartDay);
  if (days === null) return null;
  let interest = 0;
  if (days > 0) {
    // (L' + L'·commissionRate + L'·stampRate) × Σ rate × days / 365, to the fen.
    const fen = certifiedScaled(after, afterError, ((toDouble(constants.feeNum) / toDouble(constants.feeDen)) * days * 100) / toDouble(constants.yearDen));
    if (fen === undefined) return undefined;
    interest = fen;
  }
  return { status: 'payable', reason: '', shares, legs: rounded, principal, commission, stampDuty, interest, total: principal + commission + stampDuty + interest };
}

/** D × lossDen = whole + part / partDen, 0 ≤ part < partDen. */
interface IndexDeduction {
  whole: Int;
  part: Int;
  partDen: Int;
}

const NO_DEDUCTION: IndexDeduction = { whole: 0, part: 0, partDen: 1 };

/**
 * D of 个体相对比例法 (byIndexComparison in market-risk.ts); null when a mirror run declines.
 *
 * For a positive leg, L = ±(entry − exit) × Q and r_s = ±(entry − exit) / entry, so with
 * entry > 0 its r_s is positive (the mirror is needed) and L / r_s = entry × Q: the leg's
 * deduction L × clamp(r_m / r_s, 0, 1) is min(entry × Q × r_m, L) when r_m > 0, else 0. That
 * spares the quotient r_m / r_s and its huge terms. As lossDen = entryDen × F × βd (both sides
 * build it so), entry × Q × r_m × lossDen = entryNum × βd × quantity × r_m, whose floor W and
 * remainder one division gives; L × lossDen is an integer, so entry × Q × r_m < L exactly when
 * W < L × lossDen, and a k clamped to 1 is decided exactly.
 */
function indexComparison(constants: RowConstants, legs: ExactLegs, deducted0: boolean, deducted1: boolean, mirrors: MirrorRuns): IndexDeduction | null {
  const { entryNum } = legs;
  if (!deducted0 && !deducted1) return NO_DEDUCTION;
  const runs = mirrors();
  if (runs === null) return null;
  for (const run of runs) if (!isPositive(run.entryNum)) return NO_DEDUCTION;

  const entryBase = mul(entryNum, constants.baseDen);
  let whole: Int = 0;
  let part: Int = 0;
  let partDen: Int = 1;
  for (let leg = 0; leg < 2; leg++) {
    if (leg === 0 ? !deducted0 : !deducted1) continue;
    // n × r_m = Σ_j ±(I_j − X_j) / I_j = Σ_j ±(p·y − x·q) / (p·y) for I_j = p/q, X_j = x/y.
    let sumNum: Int = 0;
    let sumDen: Int = 1;
    let first = true;
    for (const run of runs) {
      // A sold leg's mirror has sold the same shares, so its exit exists; the general path would fail otherwise.
      if (leg === 0 && run.noExit0) return null;
      const py = mul(run.entryNum, leg === 0 ? run.exitDen0 : run.baseDen);
      const xq = mul(leg === 0 ? run.exitNum0 : run.baseNum, run.entryDen);
      const termNum = constants.inflated ? sub(py, xq) : sub(xq, py);
      if (first) {
        sumNum = termNum;
        sumDen = py;
        first = false;
      } else {
        // Each operand converted to a bigint once, not once per product it enters.
        const bigPy = big(py);
        const bigSumDen = big(sumDen);
        sumNum = big(sumNum) * bigPy + big(termNum) * bigSumDen;
        sumDen = bigSumDen * bigPy;
      }
    }
    if (!isPositive(sumNum)) continue; // r_m ≤ 0: k = 0
    const lossNum = leg === 0 ? legs.lossNum0 : legs.lossNum1;
    // entry × Q × r_m × lossDen = marketNum / marketDen
    const marketDen = mul(runs.length, sumDen);
    splitQuotient(mul(mul(entryBase, leg === 0 ? legs.quantity0 : legs.quantity1), sumNum), marketDen);
    const byMarket = less(quotientOf, lossNum);
    const legWhole = byMarket ? quotientOf : lossNum;
    const legPart = byMarket ? remainderOf : 0;
    const legPartDen = byMarket ? marketDen : 1;
    if (isZero(part)) {
      whole = add(whole, legWhole);
      part = legPart;
      partDen = legPartDen;
    } else if (isZero(legPart)) {
      whole = add(whole, legWhole);
    } else {
      // Two parts below one add up to less than two.
      whole = add(whole, legWhole);
      let sum = add(mul(part, legPartDen), mul(legPart, partDen));
      const den = mul(partDen, legPartDen);
      if (!less(sum, den)) {
        whole = add(whole, 1);
        sum = sub(sum, den);
      }
      part = sum;
      partDen = den;
    }
  }
  return { whole, part, partDen };
}
