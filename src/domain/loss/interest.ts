import { epochDay, type IsoDate } from '../market/calendar-date.ts';
import { Rational } from '../money/rational.ts';
import type { InterestRate } from '../plan/loss-plan.ts';

const DAYS_IN_YEAR = Rational.fromInteger(365);

/**
 * Σ rate(day) / 365 over the calendar days after `start` up to and including `end`, where
 * rate(day) is the rate of the last entry whose `from` is on or before that day, 0 before the first
 * entry (loss-methodology.md §6; 2003 Provisions Art. 30: bank current-deposit rate, 活期).
 */
export function interestYearFraction(rates: readonly InterestRate[], start: IsoDate, end: IsoDate): Rational {
  const firstDay = epochDay(start) + 1;
  const lastDay = epochDay(end);
  let rateDays = Rational.ZERO;
  rates.forEach((entry, index) => {
    const from = Math.max(epochDay(entry.from), firstDay);
    const next = rates[index + 1];
    const to = Math.min(next === undefined ? Number.POSITIVE_INFINITY : epochDay(next.from) - 1, lastDay);
    if (to >= from) rateDays = rateDays.add(entry.rate.mul(Rational.fromInteger(to - from + 1)));
  });
  return rateDays.div(DAYS_IN_YEAR);
}
