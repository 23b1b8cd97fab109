import { CaseError } from '../case-error.ts';
import { Rational } from '../money/rational.ts';
import type { LossPlan } from '../plan/loss-plan.ts';
import type { IsoDate } from './calendar-date.ts';
import type { BonusAction, MarketDay } from './market-data.ts';

/**
 * The three dates and the price (三日一价) that every investor's calculation shares:
 * implementation date (实施日), disclosure date (揭露日/更正日), base date (基准日) and base price
 * (基准价). loss-methodology.md §3.
 */
export interface KeyDates {
  implementationDate: IsoDate;
  disclosureDate: IsoDate;
  /** Day 1: the first trading day on or after the disclosure date. */
  firstTradingDay: IsoDate;
  baseDate: IsoDate;
  /** How the base date was found, for the calculation sheet and summary.json. */
  baseDateRule: BaseDateRule;
  /** The base price the engine uses: the plan's, or the mean rounded to basePriceDecimals. */
  basePrice: Rational;
  /** The unrounded mean of the adjusted closes (null when the plan fixed the price). */
  basePriceMean: Rational | null;
  /** Trading days of the stock from day 1 to the base date, both included. */
  baseWindow: readonly MarketDay[];
}

export type BaseDateRule =
  | { kind: 'plan' }
  | { kind: 'turnover'; ruleSet: 'SPC2022' | 'SPC2003'; reachedOnDay: number; baseDay: number; float: bigint; cumulativeVolume: bigint }
  | { kind: 'fallback'; ruleSet: 'SPC2022' | 'SPC2003'; baseDay: number; float: bigint; cumulativeVolume: bigint };

/** SPC 2022 Art. 26: the base date is at least the 10th and at most the 30th trading day. */
const SPC2022_FLOOR_DAY = 10;
const CAP_DAY = 30;

/**
 * Finds day 1, the base date and the base price. `market` must be sorted by date with no
 * repeated dates; `actions` sorted by date.
 */
export function computeKeyDates(plan: LossPlan, market: readonly MarketDay[], actions: readonly BonusAction[]): KeyDates {
  const firstIndex = market.findIndex((day) => day.date >= plan.disclosureDate);
  if (firstIndex < 0) {
    throw new CaseError({
      file: 'market.csv',
      problem: `no trading day on or after the disclosure date ${plan.disclosureDate}`,
      fix: 'supply market rows from the disclosure date to the base date',
    });
  }
  const fromDayOne = market.slice(firstIndex);
  const firstTradingDay = fromDayOne[0]!.date;

  let baseDate: IsoDate;
  let baseDateRule: BaseDateRule;
  if (plan.baseDate !== null) {
    baseDate = plan.baseDate;
    baseDateRule = { kind: 'plan' };
  } else {
    const rule = turnoverBaseDay(plan.ruleSet, fromDayOne);
    baseDateRule = rule;
    baseDate = fromDayOne[rule.baseDay - 1]!.date;
  }

  const baseWindow = fromDayOne.filter((day) => day.date <= baseDate);
  let basePrice: Rational;
  let basePriceMean: Rational | null = null;
  if (plan.basePrice !== null) {
    basePrice = plan.basePrice;
  } else {
    if (baseWindow.length === 0) {
      throw new CaseError({
        file: 'plan.json',
        problem: `no trading day between the disclosure date ${plan.disclosureDate} and the base date ${baseDate} to average`,
        fix: 'set basePrice in the plan or move baseDate to a trading day',
      });
    }
    basePriceMean = meanAdjustedClose(baseWindow, actions, baseDate);
    basePrice = plan.basePriceDecimals === null ? basePriceMean : basePriceMean.round(plan.basePriceDecimals);
  }

  return {
    implementationDate: plan.implementationDate,
    disclosureDate: plan.disclosureDate,
    firstTradingDay,
    baseDate,
    baseDateRule,
    basePrice,
    basePriceMean,
    baseWindow,
  };
}

/**
 * Art. 26 (2022): the first day n on which centralized volume summed from day 1 reaches the float
 * of day 1 gives base day max(n, 10); not reached by day 30 gives day 30.
 * 2003 Art. 33: the first such day with no floor and no cap; if the data end first, day 30.
 */
function turnoverBaseDay(ruleSet: 'SPC2022' | 'SPC2003', fromDayOne: readonly MarketDay[]): Exclude<BaseDateRule, { kind: 'plan' }> {
  const float = fromDayOne[0]!.float;
  let cumulativeVolume = 0n;
  const lastDay = ruleSet === 'SPC2022' ? Math.min(CAP_DAY, fromDayOne.length) : fromDayOne.length;
  for (let day = 1; day <= lastDay; day++) {
    cumulativeVolume += fromDayOne[day - 1]!.volume;
    if (cumulativeVolume >= float) {
      const baseDay = ruleSet === 'SPC2022' ? Math.max(day, SPC2022_FLOOR_DAY) : day;
      requireDays(fromDayOne, baseDay, `the base date is trading day ${baseDay}`);
      return { kind: 'turnover', ruleSet, reachedOnDay: day, baseDay, float, cumulativeVolume: volumeThrough(fromDayOne, baseDay) };
    }
  }
  requireDays(fromDayOne, CAP_DAY, 'the cumulative volume has not reached the float');
  return { kind: 'fallback', ruleSet, baseDay: CAP_DAY, float, cumulativeVolume: volumeThrough(fromDayOne, CAP_DAY) };
}

/** Centralized volume summed from day 1 through trading day `days`. */
function volumeThrough(fromDayOne: readonly MarketDay[], days: number): bigint {
  return fromDayOne.slice(0, days).reduce((total, row) => total + row.volume, 0n);
}

function requireDays(fromDayOne: readonly MarketDay[], days: number, why: string): void {
  if (fromDayOne.length < days) {
    throw new CaseError({
      file: 'market.csv',
      problem: `too few market rows to decide the base date: ${why}, but only ${fromDayOne.length} trading day(s) from ${fromDayOne[0]!.date} are given`,
      fix: `supply at least ${days} trading days from the disclosure date, or fix baseDate and basePrice in the plan`,
    });
  }
}

/**
 * Arithmetic mean of the closes of the window. A close dated before a bonus action that falls
 * inside the window is divided by 1 + ratio (Art. 29), so every close is in units of the base date.
 */
function meanAdjustedClose(window: readonly MarketDay[], actions: readonly BonusAction[], baseDate: IsoDate): Rational {
  let total = Rational.ZERO;
  for (const day of window) {
    let close = day.close;
    for (const action of actions) {
      if (action.date > day.date && action.date <= baseDate) close = close.div(Rational.ONE.add(action.ratio));
    }
    total = total.add(close);
  }
  return total.div(Rational.fromInteger(window.length));
}
