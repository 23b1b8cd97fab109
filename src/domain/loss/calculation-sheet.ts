import type { BaseDateRule } from '../market/base-date.ts';
import { epochDay, type IsoDate } from '../market/calendar-date.ts';
import { formatFen, roundToFen } from '../money/fen.ts';
import { Rational } from '../money/rational.ts';
import type { AveragePriceMethod, Direction, PostDisclosureSales, RiskDeduction, RuleSet } from '../plan/loss-plan.ts';
import type { Period } from './event-order.ts';
import type { InvestorResult, InvestorStatus } from './investor-loss.ts';
import type { Trade } from './investor-records.ts';
import type { LossCase } from './loss-case.ts';
import type { LegDeduction } from './market-risk.ts';
import type { PoolQuantities, SheetStep } from './walk-steps.ts';
import { interestPeriods } from './interest.ts';

/**
 * The calculation sheet of one investor (计算明细表): everything a reader needs to redo the
 * number by hand, in a language-neutral, JSON-ready shape (strings and numbers only). The text
 * renderer (io/calculation-sheet-text.ts) turns it into Chinese or English.
 *
 * Display conventions (loss-methodology.md §7): money with 2 decimals (rounded half away from
 * zero from the exact value), prices and index levels with 4, ratios with 6; share counts as
 * integers, or with up to 4 decimals when a bonus action made a fraction. Where a displayed value
 * is not exact, `exact` carries it as a fraction ("12739/450").
 */
export interface CalculationSheet {
  investor: string;
  security: { code: string; name: string; exchange: string };
  ruleSet: RuleSet;
  direction: Direction;
  methods: {
    averagePrice: AveragePriceMethod;
    postDisclosureSales: PostDisclosureSales;
    riskDeduction: RiskDeduction['method'];
    /** `fixed`: the plan's ratio (6 decimals). */
    fixedRatio: SheetNumber | null;
    /** `index-comparison`: the reference indices. */
    indices: string[];
  };
  keyDates: SheetKeyDates;
  /** The investor's history in the order the engine replayed it. */
  history: SheetEvent[];
  /** The two legs of the investment-difference loss; null when excluded, rejected or without eligible shares. */
  loss: SheetLoss | null;
  /** The market-risk deduction; null when there are no legs. */
  deduction: SheetDeduction | null;
  compensation: SheetCompensation;
  status: InvestorStatus;
  /** The engine's reason, as in compensation.csv ('' when payable). */
  reason: string;
  /** The reason in structured form, for a renderer to word in its language. */
  reasonDetail: SheetReason | null;
}

/** A displayed number and its exact value as a fraction. */
export interface SheetNumber {
  value: string;
  exact: string;
}

export interface SheetKeyDates {
  implementationDate: IsoDate;
  disclosureDate: IsoDate;
  firstTradingDay: IsoDate;
  baseDate: IsoDate;
  baseDateRule: SheetBaseDateRule;
  basePrice: SheetNumber;
  basePriceSource: 'plan' | 'mean';
  /** The unrounded mean of the closes, day 1 to the base date (null when the plan fixed the price). */
  basePriceMean: SheetNumber | null;
  /** Decimals the mean was rounded to (null: kept exact, or fixed by the plan). */
  basePriceDecimals: number | null;
  /** Trading days from day 1 to the base date, both included. */
  baseWindowDays: number;
  /** Bonus actions inside (day 1, base date] whose earlier closes were divided by 1 + ratio. */
  closesAdjustedFor: { date: IsoDate; ratio: string }[];
  stampDutyRate: string;
}

export type SheetBaseDateRule =
  | { kind: 'plan' }
  | {
      kind: 'turnover';
      ruleSet: RuleSet;
      /** Trading day on which the cumulative volume reached the float of day 1. */
      reachedOnDay: number;
      baseDay: number;
      /** SPC2022's floor (10) when it moved the base day later; null otherwise. */
      floorDay: number | null;
      float: string;
      /** Cumulative volume from day 1 to the base day. */
      cumulativeVolume: string;
    }
  | { kind: 'fallback'; ruleSet: RuleSet; baseDay: number; float: string; cumulativeVolume: string };

export interface SheetTrade {
  /** Line in trades.csv (the header is line 1). */
  line: number;
  time: string;
  account: string;
  side: 'B' | 'S';
  quantity: string;
  price: string;
}

export interface SheetPools {
  preWindow: string;
  eligible: string;
  late: string;
}

export type SheetEvent =
  | { kind: 'holdings'; quantity: string }
  | { kind: 'bonus'; date: IsoDate; ratio: string; factor: string; pools: SheetPools | null; eligible: string | null; average: SheetNumber | null }
  | {
      kind: 'trade';
      trade: SheetTrade;
      period: Period;
      /** Buy side: the pool a buy went into. */
      pool: 'pre-window' | 'eligible' | 'late' | null;
      /** Buy side: what a sale took from each pool. */
      taken: SheetPools | null;
      /** Buy side: the pools after the trade. */
      pools: SheetPools | null;
      /** Buy side: the eligible pool `E` after the trade, and its average buy price (null while empty). */
      eligible: string | null;
      average: SheetNumber | null;
      /** Sell side: shares of this trade that are eligible sales or buy-backs. */
      counted: { role: 'eligible-sale' | 'buy-back'; quantity: string } | null;
      /** Sell side: the position after the trade. */
      position: string | null;
    }
  | { kind: 'ignored'; trade: SheetTrade; why: 'superseded-by-holdings' }
  | { kind: 'missing-position'; trade: SheetTrade; available: string };

export type SheetLegName = 'sold' | 'held' | 'bought-back' | 'not-bought-back';

/** One leg: loss = (minuend − subtrahend) × quantity. */
export interface SheetLeg {
  name: SheetLegName;
  quantity: string;
  /** Buy side: P_buy; sell side: P_back (bought-back leg, null when nothing was bought back) or the base price. */
  minuend: SheetNumber | null;
  /** Buy side: P_sell (sold leg, null when nothing was sold) or the base price; sell side: P_sell. */
  subtrahend: SheetNumber | null;
  loss: SheetNumber;
}

export interface SheetLoss {
  /** Buy side: E at disclosure; sell side: shares sold in the window. */
  eligibleShares: string;
  /** Buy side Q_sold; sell side Q_back. */
  soldAfterDisclosure: string;
  /** Buy side Q_held; sell side Q_not_back. */
  heldAtBase: string;
  /** Buy side P_buy; sell side P_back (null when nothing was bought back). */
  averageBuyPrice: SheetNumber | null;
  /** Buy side P_sell (null when nothing was sold after disclosure); sell side P_sell. */
  averageSellPrice: SheetNumber | null;
  /** The money behind P_sell: buy side the proceeds of Q_sold, sell side the proceeds of the window sales. */
  sellValue: SheetNumber | null;
  /** Sell side: the cost of the buy-backs behind P_back. */
  buyValue: SheetNumber | null;
  basePrice: SheetNumber;
  legs: [SheetLeg, SheetLeg];
  /** L = the sum of the legs (rounded from its exact value). */
  total: SheetNumber;
  /** Interest runs from the day after this date (first eligible buy; sell side first eligible sale). */
  interestStart: IsoDate | null;
}

export interface SheetIndexChange {
  index: string;
  /** I_buy (buy side) or I_sell (sell side). */
  entry: SheetNumber;
  /** The index analogue of the leg's exit price. */
  exit: SheetNumber;
  /** Relative fall (buy side) or rise (sell side). */
  change: SheetNumber;
}

export interface SheetLegDeduction {
  leg: SheetLegName;
  loss: SheetNumber;
  /** Index comparison: the stock's entry price (P_buy, or P_sell on the sell side) and the leg's exit price. */
  entryPrice: SheetNumber | null;
  exitPrice: SheetNumber | null;
  /** r_s, the stock's relative fall (rise). */
  stockChange: SheetNumber | null;
  /** r_m, the mean of the index changes. */
  marketChange: SheetNumber | null;
  indices: SheetIndexChange[];
  /** k, clamped to [0, 1]. */
  ratio: SheetNumber;
  amount: SheetNumber;
}

export interface SheetDeduction {
  method: RiskDeduction['method'];
  legs: SheetLegDeduction[];
  /** D, rounded from its exact value. */
  amount: SheetNumber;
  /** D ÷ (sum of positive legs), 6 decimals; null without a positive leg. */
  ratio: SheetNumber | null;
}

export interface SheetInterest {
  /** Interest runs over the calendar days after `start` up to and including `end`. */
  start: IsoDate;
  end: IsoDate;
  days: number;
  periods: { from: IsoDate; to: IsoDate; days: number; rate: string }[];
  /** Σ rate × days ÷ 365. */
  yearFraction: SheetNumber;
  /** L' + commission + stamp duty, exact, on which interest runs. */
  base: SheetNumber;
}

export interface SheetCompensation {
  /** L' = L − D; null without legs. */
  lossAfterDeduction: SheetNumber | null;
  principal: SheetNumber;
  commission: SheetNumber;
  stampDuty: SheetNumber;
  interest: SheetNumber;
  /** principal + commission + stamp duty + interest, of the rounded amounts. */
  total: string;
  commissionRate: string;
  stampDutyRate: string;
  stampDutyByDate: boolean;
  /** Whether the plan pays interest at all. */
  interestInPlan: boolean;
  /** Interest detail; null when no interest was computed. */
  interestDetail: SheetInterest | null;
}

export type SheetReason =
  | { kind: 'excluded' }
  | { kind: 'bad-row'; file: string; line: number; problem: string }
  | { kind: 'missing-ratio' }
  | { kind: 'missing-position'; trade: SheetTrade; available: string }
  | { kind: 'no-eligible-shares' }
  | { kind: 'no-loss' }
  | { kind: 'no-loss-after-deduction' };

/**
 * Builds the sheet from an investor's result, the steps the walk recorded
 * (`computeInvestorLoss(records, lossCase, steps)`) and the case. Pure: it only reformats what
 * the engine decided; the amounts are the engine's, never recomputed.
 */
export function buildCalculationSheet(result: InvestorResult, steps: SheetStep[], lossCase: LossCase): CalculationSheet {
  const { plan } = lossCase;
  const risk = plan.riskDeduction;
  const computed = result.computed;
  const legs = computed?.legs ?? null;

  let loss: SheetLoss | null = null;
  let deduction: SheetDeduction | null = null;
  if (computed !== null && legs !== null) {
    const buySide = plan.direction === 'inflated';
    const basePrice = price(computed.basePrice);
    const buyPrice = legs.averageBuyPrice === null ? null : price(legs.averageBuyPrice);
    const sellPrice = legs.averageSellPrice === null ? null : price(legs.averageSellPrice);
    const sheetLegs: [SheetLeg, SheetLeg] = buySide
      ? [
          { name: 'sold', quantity: shares(computed.soldAfterDisclosure), minuend: buyPrice, subtrahend: sellPrice, loss: money(legs.lossSold) },
          { name: 'held', quantity: shares(computed.heldAtBase), minuend: buyPrice, subtrahend: basePrice, loss: money(legs.lossHeld) },
        ]
      : [
          { name: 'bought-back', quantity: shares(computed.soldAfterDisclosure), minuend: buyPrice, subtrahend: sellPrice, loss: money(legs.lossSold) },
          { name: 'not-bought-back', quantity: shares(computed.heldAtBase), minuend: basePrice, subtrahend: sellPrice, loss: money(legs.lossHeld) },
        ];
    const sellShares = buySide ? computed.soldAfterDisclosure : computed.eligibleShares;
    loss = {
      eligibleShares: shares(computed.eligibleShares),
      soldAfterDisclosure: shares(computed.soldAfterDisclosure),
      heldAtBase: shares(computed.heldAtBase),
      averageBuyPrice: buyPrice,
      averageSellPrice: sellPrice,
      sellValue: legs.averageSellPrice === null ? null : money(legs.averageSellPrice.mul(sellShares)),
      buyValue: buySide || legs.averageBuyPrice === null ? null : money(legs.averageBuyPrice.mul(computed.soldAfterDisclosure)),
      basePrice,
      legs: sheetLegs,
      total: money(legs.loss),
      interestStart: legs.interestStart,
    };

    const entryPrice = buySide ? legs.averageBuyPrice : legs.averageSellPrice;
    const exitPriceOf = (name: LegDeduction['leg']): Rational | null =>
      name === 'sold' ? legs.averageSellPrice
      : name === 'bought-back' ? legs.averageBuyPrice
      : computed.basePrice;
    const indexComparison = legs.deduction.method === 'index-comparison';
    deduction = {
      method: legs.deduction.method,
      legs: legs.deduction.legs.map((leg) => {
        const exit = exitPriceOf(leg.leg);
        return {
          leg: leg.leg,
          loss: money(leg.loss),
          entryPrice: indexComparison && entryPrice !== null ? price(entryPrice) : null,
          exitPrice: indexComparison && exit !== null ? price(exit) : null,
          stockChange: leg.stockChange === null ? null : ratio(leg.stockChange),
          marketChange: leg.marketChange === null ? null : ratio(leg.marketChange),
          indices: leg.indices.map((change) => ({ index: change.index, entry: price(change.entry), exit: price(change.exit), change: ratio(change.change) })),
          ratio: ratio(leg.ratio),
          amount: money(leg.amount),
        };
      }),
      amount: money(legs.deduction.amount),
      ratio: legs.deduction.ratio === null ? null : ratio(legs.deduction.ratio),
    };
  }

  const exact = result.exact;
  const amounts = result.amounts;
  const fen = (value: bigint, exactValue: Rational | undefined): SheetNumber => ({ value: formatFen(value), exact: (exactValue ?? Rational.ZERO).toFraction() });
  let interestDetail: SheetInterest | null = null;
  if (exact !== null && plan.interestRates !== null && legs?.interestStart) {
    interestDetail = describeInterest(plan.interestRates, legs.interestStart, lossCase.keyDates.baseDate, exact.interestYearFraction, exact.principal.add(exact.commission).add(exact.stampDuty));
  }

  return {
    investor: result.investor,
    security: { ...plan.security },
    ruleSet: plan.ruleSet,
    direction: plan.direction,
    methods: {
      averagePrice: plan.averagePrice,
      postDisclosureSales: plan.postDisclosureSales,
      riskDeduction: risk.method,
      fixedRatio: risk.method === 'fixed' ? ratio(risk.ratio) : null,
      indices: risk.method === 'index-comparison' ? [...risk.indices] : [],
    },
    keyDates: describeKeyDates(lossCase),
    history: steps.map(describeStep),
    loss,
    deduction,
    compensation: {
      lossAfterDeduction: legs === null ? null : money(legs.lossAfterDeduction),
      principal: fen(amounts.principal, exact?.principal),
      commission: fen(amounts.commission, exact?.commission),
      stampDuty: fen(amounts.stampDuty, exact?.stampDuty),
      interest: fen(amounts.interest, exact?.interest),
      total: formatFen(amounts.total),
      commissionRate: decimalText(plan.commissionRate),
      stampDutyRate: decimalText(lossCase.stampDutyRate),
      stampDutyByDate: plan.stampDutyRate === 'by-date',
      interestInPlan: plan.interestRates !== null,
      interestDetail,
    },
    status: result.status,
    reason: result.reason,
    reasonDetail: describeReason(result),
  };
}

function describeKeyDates(lossCase: LossCase): SheetKeyDates {
  const { keyDates } = lossCase;
  return {
    implementationDate: keyDates.implementationDate,
    disclosureDate: keyDates.disclosureDate,
    firstTradingDay: keyDates.firstTradingDay,
    baseDate: keyDates.baseDate,
    baseDateRule: describeBaseDateRule(keyDates.baseDateRule),
    basePrice: price(keyDates.basePrice),
    basePriceSource: keyDates.basePriceMean === null ? 'plan' : 'mean',
    basePriceMean: keyDates.basePriceMean === null ? null : price(keyDates.basePriceMean),
    basePriceDecimals: keyDates.basePriceMean === null ? null : lossCase.plan.basePriceDecimals,
    baseWindowDays: keyDates.baseWindow.length,
    closesAdjustedFor: keyDates.basePriceMean === null
      ? []
      : lossCase.actions
          .filter((action) => action.date > keyDates.firstTradingDay && action.date <= keyDates.baseDate)
          .map((action) => ({ date: action.date, ratio: decimalText(action.ratio) })),
    stampDutyRate: decimalText(lossCase.stampDutyRate),
  };
}

function describeBaseDateRule(rule: BaseDateRule): SheetBaseDateRule {
  switch (rule.kind) {
    case 'plan':
      return { kind: 'plan' };
    case 'turnover':
      return {
        kind: 'turnover',
        ruleSet: rule.ruleSet,
        reachedOnDay: rule.reachedOnDay,
        baseDay: rule.baseDay,
        floorDay: rule.baseDay > rule.reachedOnDay ? rule.baseDay : null,
        float: rule.float.toString(),
        cumulativeVolume: rule.cumulativeVolume.toString(),
      };
    case 'fallback':
      return { kind: 'fallback', ruleSet: rule.ruleSet, baseDay: rule.baseDay, float: rule.float.toString(), cumulativeVolume: rule.cumulativeVolume.toString() };
  }
}

function describeStep(step: SheetStep): SheetEvent {
  switch (step.kind) {
    case 'holdings':
      return { kind: 'holdings', quantity: shares(step.quantity) };
    case 'bonus':
      return {
        kind: 'bonus',
        date: step.action.date,
        ratio: decimalText(step.action.ratio),
        factor: decimalText(step.factor),
        pools: step.pools === null ? null : pools(step.pools),
        eligible: step.pools === null ? null : shares(step.pools.eligible),
        average: step.average === null ? null : price(step.average),
      };
    case 'ignored':
      return { kind: 'ignored', trade: describeTrade(step.trade), why: step.why };
    case 'missing-position':
      return { kind: 'missing-position', trade: describeTrade(step.trade), available: shares(step.available) };
    case 'trade':
      return {
        kind: 'trade',
        trade: describeTrade(step.trade),
        period: step.period,
        pool: step.trade.side === 'B' ? step.pool : null,
        taken: step.taken === null ? null : pools(step.taken),
        pools: step.pools === null ? null : pools(step.pools),
        eligible: step.pools === null ? null : shares(step.pools.eligible),
        average: step.average === null ? null : price(step.average),
        counted: step.counted === undefined ? null : { role: step.counted.role, quantity: shares(step.counted.quantity) },
        position: step.position === undefined ? null : shares(step.position),
      };
  }
}

function describeTrade(trade: Trade): SheetTrade {
  return { line: trade.line, time: trade.time, account: trade.account, side: trade.side, quantity: shares(trade.quantity), price: trade.price.toFixed(4) };
}

function describeReason(result: InvestorResult): SheetReason | null {
  const cause = result.cause;
  if (cause === null) return null;
  switch (cause.kind) {
    case 'bad-row':
      return { kind: 'bad-row', file: cause.row.file, line: cause.row.line, problem: cause.row.reason };
    case 'missing-position':
      return { kind: 'missing-position', trade: describeTrade(cause.trade), available: shares(cause.available) };
    case 'no-eligible-shares':
      return { kind: 'no-eligible-shares' };
    default:
      return { kind: cause.kind };
  }
}

/** The rate periods behind the interest's year fraction. */
function describeInterest(
  rates: readonly { from: IsoDate; rate: Rational }[],
  start: IsoDate,
  end: IsoDate,
  yearFraction: Rational,
  base: Rational,
): SheetInterest {
  return {
    start,
    end,
    days: Math.max(epochDay(end) - epochDay(start), 0),
    periods: interestPeriods(rates, start, end).map((period) => ({ ...period, rate: decimalText(period.rate) })),
    yearFraction: { value: yearFraction.toFixed(8), exact: yearFraction.toFraction() },
    base: money(base),
  };
}

function pools(quantities: PoolQuantities): SheetPools {
  return { preWindow: shares(quantities.preWindow), eligible: shares(quantities.eligible), late: shares(quantities.late) };
}

const shares = (value: Rational): string => value.toTrimmed(4);
const price = (value: Rational): SheetNumber => ({ value: value.toFixed(4), exact: value.toFraction() });
const ratio = (value: Rational): SheetNumber => ({ value: value.toFixed(6), exact: value.toFraction() });
const money = (value: Rational): SheetNumber => ({ value: formatFen(roundToFen(value)), exact: value.toFraction() });

/**
 * A terminating decimal written out in full ("0.00025"); a value that does not terminate (none
 * the plan can give) is shown with 12 decimals.
 */
export function decimalText(value: Rational): string {
  for (let decimals = 0; decimals <= 24; decimals++) {
    if ((value.num * 10n ** BigInt(decimals)) % value.den === 0n) return value.toFixed(decimals);
  }
  return value.toFixed(12);
}
