import type { IsoDate } from '../market/calendar-date.ts';
import { Rational } from '../money/rational.ts';

/**
 * Seller's stamp duty on A-share trades (印花税), by effective date (loss-methodology.md §6;
 * sources in research/loss-methodology-research.md §5.2). Seller-only from 2008-09-19 changes who
 * pays, not the seller's rate.
 */
export const STAMP_DUTY_HISTORY: readonly { from: IsoDate; rate: string }[] = [
  { from: '1992-06-12', rate: '0.003' },
  { from: '1997-05-12', rate: '0.005' },
  { from: '1998-06-12', rate: '0.004' },
  { from: '2001-11-16', rate: '0.002' },
  { from: '2005-01-24', rate: '0.001' },
  { from: '2007-05-30', rate: '0.003' },
  { from: '2008-04-24', rate: '0.001' },
  { from: '2023-08-28', rate: '0.0005' },
];

/** The rate in force on `date`, or null before 1992-06-12 (no national rate to apply). */
export function stampDutyRateOn(date: IsoDate): Rational | null {
  let rate: string | null = null;
  for (const entry of STAMP_DUTY_HISTORY) {
    if (entry.from <= date) rate = entry.rate;
  }
  return rate === null ? null : Rational.parse(rate);
}
