import { CaseError } from '../case-error.ts';
import { computeKeyDates, type KeyDates } from '../market/base-date.ts';
import type { IsoDate } from '../market/calendar-date.ts';
import type { BonusAction, IndexCloses, MarketDay } from '../market/market-data.ts';
import { Rational, sum } from '../money/rational.ts';
import type { LossPlan } from '../plan/loss-plan.ts';
import { stampDutyRateOn } from './stamp-duty.ts';

/**
 * Everything the investors of one case share, decided once before any investor is computed:
 * the plan, the key dates and base price, the bonus actions up to the base date, the stamp duty
 * rate and the reference indices.
 */
export interface LossCase {
  plan: LossPlan;
  keyDates: KeyDates;
  /** Bonus actions in date order (those after the base date only adjust positions for later sales). */
  actions: readonly BonusAction[];
  stampDutyRate: Rational;
  /** Index closes on a date the mirror run reads; a missing close stops the case. */
  indexClose(index: string, date: IsoDate, investor: string): Rational;
  /** `I_base,j`: mean index close over the stock's trading days, day 1 to the base date. */
  indexBaseMean(index: string, investor: string): Rational;
  /**
   * The closes `indexClose` reads, as data, for the engine's integer fast path (integer-walk.ts),
   * which tabulates them once per case; without them the mirror run takes the general path.
   */
  indexCloses?: IndexCloses;
}

export function prepareLossCase(input: {
  plan: LossPlan;
  market: readonly MarketDay[];
  actions: readonly BonusAction[];
  indexCloses: IndexCloses;
}): LossCase {
  const { plan, indexCloses } = input;
  const keyDates = computeKeyDates(plan, input.market, input.actions);

  let stampDutyRate: Rational;
  if (plan.stampDutyRate === 'by-date') {
    const rate = stampDutyRateOn(keyDates.baseDate);
    if (rate === null) {
      throw new CaseError({
        file: 'plan.json',
        problem: `fees.stampDutyRate "by-date" has no rate for the base date ${keyDates.baseDate} (the table starts on 1992-06-12)`,
        fix: 'give fees.stampDutyRate as a decimal string',
      });
    }
    stampDutyRate = rate;
  } else {
    stampDutyRate = plan.stampDutyRate;
  }

  if (plan.riskDeduction.method === 'index-comparison') {
    for (const index of plan.riskDeduction.indices) {
      if (!indexCloses.has(index)) {
        throw new CaseError({
          file: 'index.csv',
          problem: `no rows for index ${index}, named in riskDeduction.indices`,
          fix: `supply ${index} closes in index.csv (--index) or correct the plan`,
        });
      }
    }
  }

  const indexClose = (index: string, date: IsoDate, investor: string): Rational => {
    const close = indexCloses.get(index)?.get(date);
    if (close === undefined) {
      throw new CaseError({
        file: 'index.csv',
        problem: `no close of index ${index} on ${date}, needed for the market-risk deduction of investor ${investor}`,
        fix: `add the ${index} close of ${date} to index.csv`,
      });
    }
    return close;
  };
  const baseMeans = new Map<string, Rational>();
  const indexBaseMean = (index: string, investor: string): Rational => {
    let mean = baseMeans.get(index);
    if (mean === undefined) {
      if (keyDates.baseWindow.length === 0) {
        throw new CaseError({
          file: 'market.csv',
          problem: `no trading day between the disclosure date and the base date ${keyDates.baseDate} to average index ${index} over`,
          fix: 'supply market rows for that period or move baseDate',
        });
      }
      mean = sum(keyDates.baseWindow.map((day) => indexClose(index, day.date, investor))).div(Rational.fromInteger(keyDates.baseWindow.length));
      baseMeans.set(index, mean);
    }
    return mean;
  };

  return {
    plan,
    keyDates,
    actions: input.actions,
    stampDutyRate,
    indexClose,
    indexBaseMean,
    indexCloses,
  };
}

/**
 * A value derived from a case once, for the engine's fast paths: kept by case, and the last case
 * asked for is answered without a lookup, since a batch computes one case at a time and a WeakMap
 * lookup per investor and walk adds up.
 */
export function derivedPerCase<T>(derive: (lossCase: LossCase) => T): (lossCase: LossCase) => T {
  const byCase = new WeakMap<LossCase, { value: T }>();
  let lastCase: LossCase | null = null;
  let lastValue: T | undefined;
  return (lossCase) => {
    if (lossCase === lastCase) return lastValue as T;
    let entry = byCase.get(lossCase);
    if (entry === undefined) {
      entry = { value: derive(lossCase) };
      byCase.set(lossCase, entry);
    }
    lastCase = lossCase;
    lastValue = entry.value;
    return entry.value;
  };
}
