import type { IsoDate } from '../market/calendar-date.ts';
import type { BilingualText } from '../procedure/bilingual-text.ts';
import { limitDate } from '../procedure/time-limit.ts';

/** The ordinary limitation period (诉讼时效期间) of a civil claim: 《民法典》第一百八十八条. */
export const LIMITATION_YEARS = 3;

/**
 * The last day of a three-year limitation period that starts on `start`: the same month and day
 * three years later, or the last day of the month where that day does not exist (29 February
 * 2024 → 28 February 2027). The start day itself is not counted (《民法典》第二百零一条、第二百零二条),
 * the same counting as the case's time limit (procedure/time-limit.ts).
 *
 * A case's recourse claims count from the disclosure date (揭露日): that is its default limitation
 * date for every liable party. A demand for payment interrupts the period and it starts again from
 * the demand (第一百九十五条), so the new date is `threeYearsFrom(demandDate)`, recorded as an
 * override with its reason; so is a last day that falls on a public holiday and moves to the next
 * working day (第二百零三条), which this calendar does not know.
 */
export function threeYearsFrom(start: IsoDate): IsoDate {
  return limitDate(start, LIMITATION_YEARS * 12);
}

/** How a default limitation date is explained wherever it is shown. */
export const DISCLOSURE_DATE_RULE: BilingualText = {
  zh: '自揭露日起三年（《民法典》第一百八十八条）',
  en: 'three years from the disclosure date (Civil Code Art. 188)',
};
