import type { IsoDate } from '../market/calendar-date.ts';
import { roundToFen, type Fen } from '../money/fen.ts';
import { Rational } from '../money/rational.ts';
import { walkBuySide, type BuySideWalk } from './buy-side-walk.ts';
import { walkBuySideFast, walkSellSideFast } from './integer-walk.ts';
import { interestYearFraction } from './interest.ts';
import type { InvestorRecords, RejectedRow, Trade } from './investor-records.ts';
import type { LossCase } from './loss-case.ts';
import { deductMarketRisk, type Leg, type MarketRiskDeduction, type MirrorReader } from './market-risk.ts';
import { walkSellSide, type SellSideWalk } from './sell-side-walk.ts';
import type { TradeColumns } from './trade-columns.ts';
import type { SheetStep } from './walk-steps.ts';

export type InvestorStatus = 'payable' | 'zero' | 'ineligible' | 'rejected';

/** The computed part of a result: present unless the investor is excluded or rejected. */
export interface ComputedLoss {
  /** Buy side: `E` at disclosure; sell side: shares sold in the window. Units as of the base date. */
  eligibleShares: Rational;
  /** Buy side `Q_sold`; sell side `Q_back`. */
  soldAfterDisclosure: Rational;
  /** Buy side `Q_held`; sell side `Q_not_back`. */
  heldAtBase: Rational;
  basePrice: Rational;
  /** Null when there are no eligible shares (status ineligible). */
  legs: LossLegs | null;
}

export interface LossLegs {
  /** Buy side `P_buy`; sell side `P_back` (null when nothing was bought back). */
  averageBuyPrice: Rational | null;
  /** Buy side `P_sell` (null when nothing was sold after disclosure); sell side `P_sell`. */
  averageSellPrice: Rational | null;
  /** Buy side L_sold; sell side the bought-back leg. */
  lossSold: Rational;
  /** Buy side L_held; sell side the not-bought-back leg. */
  lossHeld: Rational;
  /** Investment difference loss L (投资差额损失). */
  loss: Rational;
  deduction: MarketRiskDeduction;
  /** L' = L − D. */
  lossAfterDeduction: Rational;
  /** Date after which interest runs (first eligible buy, or first eligible sale on the sell side). */
  interestStart: IsoDate | null;
}

export interface CompensationAmounts {
  principal: Fen;
  commission: Fen;
  stampDuty: Fen;
  interest: Fen;
  total: Fen;
}

/** Why an investor is not payable (loss-methodology.md §4.3), as data; `reason` is its wording. */
export type NotPayableCause =
  | { kind: 'excluded' }
  | { kind: 'bad-row'; row: RejectedRow }
  | { kind: 'missing-ratio' }
  | { kind: 'missing-position'; trade: Trade; available: Rational }
  | { kind: 'no-eligible-shares'; direction: 'inflated' | 'deflated' }
  | { kind: 'no-loss' }
  | { kind: 'no-loss-after-deduction' };

export interface InvestorResult {
  investor: string;
  status: InvestorStatus;
  /** Null for payable. */
  cause: NotPayableCause | null;
  /** The cause in words, as compensation.csv shows it; empty for payable. */
  reason: string;
  computed: ComputedLoss | null;
  amounts: CompensationAmounts;
  /** The exact L' × rates behind the rounded fees, for the calculation sheet. */
  exact: { principal: Rational; commission: Rational; stampDuty: Rational; interest: Rational; interestYearFraction: Rational } | null;
}

const NOTHING_PAYABLE: CompensationAmounts = { principal: 0n, commission: 0n, stampDuty: 0n, interest: 0n, total: 0n };

const STATUS_OF: Record<NotPayableCause['kind'], InvestorStatus> = {
  excluded: 'ineligible',
  'bad-row': 'rejected',
  'missing-ratio': 'rejected',
  'missing-position': 'rejected',
  'no-eligible-shares': 'ineligible',
  'no-loss': 'zero',
  'no-loss-after-deduction': 'zero',
};

/** The words of a cause in compensation.csv. */
export function reasonOf(cause: NotPayableCause): string {
  switch (cause.kind) {
    case 'excluded':
      return 'excluded from the plan';
    case 'bad-row':
      return `bad row: ${cause.row.file} line ${cause.row.line}: ${cause.row.reason}`;
    case 'missing-ratio':
      return 'missing ratio: no row in ratios.csv';
    case 'missing-position': {
      const { trade, available } = cause;
      return `missing position: the sale of ${trade.quantity.toTrimmed(4)} on ${trade.time} (line ${trade.line} of the trades file) exceeds the ${available.toTrimmed(4)} shares it could take from`;
    }
    case 'no-eligible-shares':
      return cause.direction === 'inflated' ? 'no eligible shares held at disclosure' : 'no eligible shares sold in the window';
    case 'no-loss':
    case 'no-loss-after-deduction':
      return 'no investment difference loss';
  }
}

function notPayable(investor: string, cause: NotPayableCause, computed: ComputedLoss | null = null): InvestorResult {
  return { investor, status: STATUS_OF[cause.kind], cause, reason: reasonOf(cause), computed, amounts: NOTHING_PAYABLE, exact: null };
}

/**
 * One investor's compensation under the plan, decided in the order of precedence of §4.3:
 * excluded (ineligible) > bad row, missing ratio, missing position (rejected) > no eligible
 * shares (ineligible) > no loss after deduction (zero) > payable. Pure: the same records and case
 * give the same result, whatever else is computed alongside.
 *
 * This is the reference. compensation-row.ts computes the same row in exact integers for the
 * batch, and a change of rule here is a change there too: src/io/compensation-of.test.ts holds the
 * two equal on generated cases.
 */
export function computeInvestorLoss(records: InvestorRecords, lossCase: LossCase, steps?: SheetStep[]): InvestorResult {
  const { plan } = lossCase;
  const investor = records.investor;
  if (plan.exclusions.has(investor)) {
    return notPayable(investor, { kind: 'excluded' });
  }
  const firstBadRow = records.badRows[0];
  if (firstBadRow !== undefined) {
    return notPayable(investor, { kind: 'bad-row', row: firstBadRow });
  }
  if (plan.riskDeduction.method === 'per-investor' && records.ratio === null) {
    return notPayable(investor, { kind: 'missing-ratio' });
  }

  if (records.columns !== undefined && steps === undefined) {
    const fast = fastInvestorLoss(records, records.columns, lossCase);
    if (fast !== null) return fast;
  }

  const walkOptions = { keyDates: lossCase.keyDates, actions: lossCase.actions, priceOf: (trade: Trade) => trade.price, priceSplits: true, ...(steps ? { steps } : {}) };
  const walk = plan.direction === 'inflated'
    ? walkBuySide(records, { ...walkOptions, averagePrice: plan.averagePrice, postDisclosureSales: plan.postDisclosureSales })
    : walkSellSide(records, walkOptions);
  if ('kind' in walk) return notPayable(investor, { kind: 'missing-position', trade: walk.trade, available: walk.available });
  return walkResult(records, lossCase, walk, generalMirrors(records, lossCase));
}

/** The index-comparison mirror runs of one investor (§5): one walk per index, index closes as prices. */
export interface MirrorWalks {
  buySide(index: string): BuySideWalk;
  sellSide(index: string): SellSideWalk;
}

/** The mirror runs by the general walks, which read each index close through the case. */
export function generalMirrors(records: InvestorRecords, lossCase: LossCase): MirrorWalks {
  const { keyDates, actions, plan } = lossCase;
  const priceOf = (index: string) => (trade: Trade) => lossCase.indexClose(index, trade.date, records.investor);
  return {
    // The main walk found the position complete, and the mirror follows the same shares.
    buySide: (index) => walkBuySide(records, { keyDates, actions, averagePrice: plan.averagePrice, postDisclosureSales: plan.postDisclosureSales, priceOf: priceOf(index), priceSplits: false }) as BuySideWalk,
    sellSide: (index) => walkSellSide(records, { keyDates, actions, priceOf: priceOf(index), priceSplits: false }) as SellSideWalk,
  };
}

/** Thrown by a fast mirror run that declines, so that the whole investor takes the general path. */
const FALL_BACK: unique symbol = Symbol('fall back to the general walk');

/**
 * The result by the integer walks (integer-walk.ts), main run and mirrors alike; null when any
 * of them declines, and the caller then computes the whole investor by the general walks, which
 * also give the missing-position cause and any CaseError with their own wording. Never reads
 * `records.trades`.
 */
function fastInvestorLoss(records: InvestorRecords, columns: TradeColumns, lossCase: LossCase): InvestorResult | null {
  const { holdings } = records;
  const walk = lossCase.plan.direction === 'inflated' ? walkBuySideFast(columns, holdings, lossCase, null) : walkSellSideFast(columns, holdings, lossCase, null);
  if (walk === null) return null;
  const mirrors: MirrorWalks = {
    buySide: (index) => walkBuySideFast(columns, holdings, lossCase, index) ?? fallBack(),
    sellSide: (index) => walkSellSideFast(columns, holdings, lossCase, index) ?? fallBack(),
  };
  try {
    return walkResult(records, lossCase, walk, mirrors);
  } catch (caught) {
    if (caught === FALL_BACK) return null;
    throw caught;
  }
}

function fallBack(): never {
  throw FALL_BACK;
}

function walkResult(records: InvestorRecords, lossCase: LossCase, walk: BuySideWalk | SellSideWalk, mirrors: MirrorWalks): InvestorResult {
  const basePrice = lossCase.keyDates.basePrice;
  if ('eligibleAtDisclosure' in walk) return buySideResult(records, lossCase, walk, basePrice, mirrors);
  return sellSideResult(records, lossCase, walk, basePrice, mirrors);
}

function buySideResult(records: InvestorRecords, lossCase: LossCase, walk: BuySideWalk, basePrice: Rational, mirrors: MirrorWalks): InvestorResult {
  const quantities = { eligibleShares: walk.eligibleAtDisclosure, soldAfterDisclosure: walk.soldAfterDisclosure, heldAtBase: walk.heldAtBase, basePrice };
  if (!walk.eligibleAtDisclosure.isPositive() || walk.averageBuyPrice === null) {
    return notPayable(records.investor, { kind: 'no-eligible-shares', direction: 'inflated' }, { ...quantities, legs: null });
  }
  const buyPrice = walk.averageBuyPrice;
  const sellPrice = walk.soldAfterDisclosure.isPositive() ? walk.soldValue.div(walk.soldAfterDisclosure) : null;
  const legs: Leg[] = [
    { name: 'sold', quantity: walk.soldAfterDisclosure, loss: buyPrice.mul(walk.soldAfterDisclosure).sub(walk.soldValue), entryPrice: buyPrice, exitPrice: sellPrice },
    { name: 'held', quantity: walk.heldAtBase, loss: buyPrice.sub(basePrice).mul(walk.heldAtBase), entryPrice: buyPrice, exitPrice: basePrice },
  ];
  const mirror: MirrorReader = (index) => {
    const mirrorWalk = mirrors.buySide(index);
    const baseMean = lossCase.indexBaseMean(index, records.investor);
    return {
      entry: mirrorWalk.averageBuyPrice!,
      exits: [mirrorWalk.soldAfterDisclosure.isPositive() ? mirrorWalk.soldValue.div(mirrorWalk.soldAfterDisclosure) : null, baseMean],
    };
  };
  return finish(records, lossCase, quantities, legs, buyPrice, sellPrice, mirror, walk.firstEligibleBuyDate, 'inflated');
}

function sellSideResult(records: InvestorRecords, lossCase: LossCase, walk: SellSideWalk, basePrice: Rational, mirrors: MirrorWalks): InvestorResult {
  const notBoughtBack = walk.soldInWindow.sub(walk.boughtBack);
  const quantities = { eligibleShares: walk.soldInWindow, soldAfterDisclosure: walk.boughtBack, heldAtBase: notBoughtBack, basePrice };
  if (!walk.soldInWindow.isPositive()) {
    return notPayable(records.investor, { kind: 'no-eligible-shares', direction: 'deflated' }, { ...quantities, legs: null });
  }
  const sellPrice = walk.saleValue.div(walk.soldInWindow);
  const backPrice = walk.boughtBack.isPositive() ? walk.buyBackValue.div(walk.boughtBack) : null;
  const legs: Leg[] = [
    { name: 'bought-back', quantity: walk.boughtBack, loss: walk.buyBackValue.sub(sellPrice.mul(walk.boughtBack)), entryPrice: sellPrice, exitPrice: backPrice },
    { name: 'not-bought-back', quantity: notBoughtBack, loss: basePrice.sub(sellPrice).mul(notBoughtBack), entryPrice: sellPrice, exitPrice: basePrice },
  ];
  const mirror: MirrorReader = (index) => {
    const mirrorWalk = mirrors.sellSide(index);
    return {
      entry: mirrorWalk.saleValue.div(mirrorWalk.soldInWindow),
      exits: [mirrorWalk.boughtBack.isPositive() ? mirrorWalk.buyBackValue.div(mirrorWalk.boughtBack) : null, lossCase.indexBaseMean(index, records.investor)],
    };
  };
  return finish(records, lossCase, quantities, legs, backPrice, sellPrice, mirror, walk.firstEligibleSaleDate, 'deflated');
}

function finish(
  records: InvestorRecords,
  lossCase: LossCase,
  quantities: Omit<ComputedLoss, 'legs'>,
  legs: Leg[],
  averageBuyPrice: Rational | null,
  averageSellPrice: Rational | null,
  mirror: MirrorReader,
  interestStart: IsoDate | null,
  direction: 'inflated' | 'deflated',
): InvestorResult {
  const { plan } = lossCase;
  const [first, second] = legs as [Leg, Leg];
  const loss = first.loss.add(second.loss);
  const deduction = deductMarketRisk(plan.riskDeduction, legs, records.ratio, mirror, direction);
  const lossAfterDeduction = loss.sub(deduction.amount);
  const computed: ComputedLoss = {
    ...quantities,
    legs: { averageBuyPrice, averageSellPrice, lossSold: first.loss, lossHeld: second.loss, loss, deduction, lossAfterDeduction, interestStart },
  };
  if (!loss.isPositive()) return notPayable(records.investor, { kind: 'no-loss' }, computed);
  if (!lossAfterDeduction.isPositive()) return notPayable(records.investor, { kind: 'no-loss-after-deduction' }, computed);
  const commission = lossAfterDeduction.mul(plan.commissionRate);
  const stampDuty = lossAfterDeduction.mul(lossCase.stampDutyRate);
  const yearFraction = plan.interestRates !== null && interestStart !== null
    ? interestYearFraction(plan.interestRates, interestStart, lossCase.keyDates.baseDate)
    : Rational.ZERO;
  const interest = lossAfterDeduction.add(commission).add(stampDuty).mul(yearFraction);
  const amounts = {
    principal: roundToFen(lossAfterDeduction),
    commission: roundToFen(commission),
    stampDuty: roundToFen(stampDuty),
    interest: roundToFen(interest),
    total: 0n,
  };
  amounts.total = amounts.principal + amounts.commission + amounts.stampDuty + amounts.interest;
  return {
    investor: records.investor,
    status: 'payable',
    cause: null,
    reason: '',
    computed,
    amounts,
    exact: { principal: lossAfterDeduction, commission, stampDuty, interest, interestYearFraction: yearFraction },
  };
}
