import { epochDay, fromEpochDay, type IsoDate } from '../market/calendar-date.ts';
import { Rational, sum } from '../money/rational.ts';
import type { InterestRate } from '../plan/loss-plan.ts';

const DAYS_IN_YEAR = Rational.fromInteger(365);

/** A run of calendar days at one rate. */
export interface InterestPeriod {
  from: IsoDate;
  to: IsoDate;
  days: number;
  rate: Rational;
}

/**
 * The calendar days after `start` up to and including `end`, cut where the rate changes; rate(day)
 * is the rate of the last entry whose `from` is on or before that day, and days before the first
 * entry earn nothing (loss-methodology.md §6; 2003 Provisions Art. 30: bank current-deposit rate, 活期).
 */
export function interestPeriods(rates: readonly InterestRate[], start: IsoDate, end: IsoDate): InterestPeriod[] {
  const firstDay = epochDay(start) + 1;
  const lastDay = epochDay(end);
  const periods: InterestPeriod[] = [];
  rates.forEach((entry, index) => {
    const from = Math.max(epochDay(entry.from), firstDay);
    const next = rates[index + 1];
    const to = Math.min(next === undefined ? Number.POSITIVE_INFINITY : epochDay(next.from) - 1, lastDay);
    if (to >= from) periods.push({ from: fromEpochDay(from), to: fromEpochDay(to), days: to - from + 1, rate: entry.rate });
  });
  return periods;
}

/** Σ rate(day) / 365 over the periods. */
export function interestYearFraction(rates: readonly InterestRate[], start: IsoDate, end: IsoDate): Rational {
  return sum(interestPeriods(rates, start, end).map((period) => period.rate.mul(Rational.fromInteger(period.days)))).div(DAYS_IN_YEAR);
}
