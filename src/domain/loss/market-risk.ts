import { Rational, sum } from '../money/rational.ts';
import type { RiskDeduction } from '../plan/loss-plan.ts';

/**
 * Deduction of the loss caused by market (systematic) risk (证券市场风险, Art. 31;
 * loss-methodology.md §5). The deduction applies leg by leg, only to legs with a positive loss,
 * with a ratio k clamped to [0, 1].
 *
 * This is the reference. compensation-row.ts computes the same row in exact integers for the
 * batch, and a change of rule here is a change there too: src/io/compensation-of.test.ts holds the
 * two equal on generated cases.
 */
export interface Leg {
  name: 'sold' | 'held' | 'bought-back' | 'not-bought-back';
  quantity: Rational;
  loss: Rational;
  /** The price the investor entered at: P_buy (buy side) or P_sell (sell side). */
  entryPrice: Rational;
  /** The price the leg is valued at: P_sell / base price (buy side), P_back / base price (sell side). */
  exitPrice: Rational | null;
}

/**
 * The index-comparison mirror run for one index: the index analogue of the entry price and of
 * each leg's exit price (index closes in place of trade prices, weighted by the same shares).
 */
export type MirrorReader = (index: string) => { entry: Rational; exits: [Rational | null, Rational] };

export interface IndexChange {
  index: string;
  entry: Rational;
  exit: Rational;
  /** Fall (buy side) or rise (sell side) of the index, relative to its entry level. */
  change: Rational;
}

export interface LegDeduction {
  leg: Leg['name'];
  loss: Rational;
  ratio: Rational;
  amount: Rational;
  /** Index comparison only: the stock's relative fall (rise) r_s and the mean index change r_m. */
  stockChange: Rational | null;
  marketChange: Rational | null;
  indices: IndexChange[];
}

export interface MarketRiskDeduction {
  method: RiskDeduction['method'];
  legs: LegDeduction[];
  /** D, the exact deduction. */
  amount: Rational;
  /** D ÷ (sum of positive legs); null without a positive leg. */
  ratio: Rational | null;
}

export function deductMarketRisk(
  method: RiskDeduction,
  legs: readonly Leg[],
  investorRatio: Rational | null,
  mirror: MirrorReader,
  direction: 'inflated' | 'deflated',
): MarketRiskDeduction {
  const positiveLegs = legs.filter((leg) => leg.loss.isPositive());
  const legDeductions: LegDeduction[] = [];
  if (positiveLegs.length === 0) return { method: method.method, legs: [], amount: Rational.ZERO, ratio: null };

  const byFixedRatio = (ratio: Rational) =>
    positiveLegs.map((leg) => {
      const k = ratio.clamp(Rational.ZERO, Rational.ONE);
      return { leg: leg.name, loss: leg.loss, ratio: k, amount: leg.loss.mul(k), stockChange: null, marketChange: null, indices: [] };
    });

  switch (method.method) {
    case 'none':
      legDeductions.push(...byFixedRatio(Rational.ZERO));
      break;
    case 'fixed':
      legDeductions.push(...byFixedRatio(method.ratio));
      break;
    case 'per-investor':
      legDeductions.push(...byFixedRatio(investorRatio ?? Rational.ZERO));
      break;
    case 'index-comparison':
      legDeductions.push(...byIndexComparison(method.indices, legs, positiveLegs, mirror, direction));
      break;
  }
  const amount = sum(legDeductions.map((leg) => leg.amount));
  const positiveTotal = sum(positiveLegs.map((leg) => leg.loss));
  return { method: method.method, legs: legDeductions, amount, ratio: amount.div(positiveTotal) };
}

/**
 * 个体相对比例法 / 同步指数对比法: per leg, k = r_m / r_s, where r_s is the stock's relative fall
 * from the investor's own entry price and r_m the mean over the indices of the same fall measured
 * by the mirror run. The mirror is run only when some positive leg has P_buy > 0 and r_s > 0.
 */
function byIndexComparison(
  indices: readonly string[],
  legs: readonly Leg[],
  positiveLegs: readonly Leg[],
  mirror: MirrorReader,
  direction: 'inflated' | 'deflated',
): LegDeduction[] {
  const entry = legs[0]!.entryPrice;
  const relativeChange = (from: Rational, to: Rational) => (direction === 'inflated' ? from.sub(to) : to.sub(from)).div(from);
  const stockChanges = positiveLegs.map((leg) => (entry.isPositive() && leg.exitPrice !== null ? relativeChange(entry, leg.exitPrice) : null));
  const needsMirror = stockChanges.some((change) => change !== null && change.isPositive());
  const mirrors = needsMirror ? indices.map((index) => ({ index, ...mirror(index) })) : [];
  const allEntriesPositive = mirrors.every((run) => run.entry.isPositive());

  return positiveLegs.map((leg, position) => {
    const stockChange = stockChanges[position] ?? null;
    const legIndex = legs.indexOf(leg) as 0 | 1;
    const changes: IndexChange[] = [];
    let marketChange: Rational | null = null;
    if (stockChange !== null && stockChange.isPositive() && allEntriesPositive) {
      for (const run of mirrors) {
        const exit = run.exits[legIndex]!;
        changes.push({ index: run.index, entry: run.entry, exit, change: relativeChange(run.entry, exit) });
      }
      marketChange = sum(changes.map((item) => item.change)).div(Rational.fromInteger(changes.length));
    }
    const ratio = stockChange !== null && marketChange !== null && stockChange.isPositive() && marketChange.isPositive()
      ? marketChange.div(stockChange).clamp(Rational.ZERO, Rational.ONE)
      : Rational.ZERO;
    return { leg: leg.name, loss: leg.loss, ratio, amount: leg.loss.mul(ratio), stockChange, marketChange, indices: changes };
  });
}
