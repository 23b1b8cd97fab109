import { daysInMonth, epochDay, isIsoDate, type IsoDate } from '../market/calendar-date.ts';

/**
 * The time limit of a case (procedure.md step 1): the whole procedure closes within three months of
 * opening; a case may set fewer months, never more, and nothing extends it.
 */
export const MAX_TIME_LIMIT_MONTHS = 3;

/**
 * The limit date: the opening date moved forward by whole calendar months, keeping the day of the
 * month; where the target month has no such day, its last day. This is how the Civil Code counts a
 * period in months (民法典 第二百零一条、第二百零二条: 到期月的对应日为期间的最后一日；没有对应日的，
 * 为月末日): opened 2026-01-31 with three months gives 2026-04-30, 2026-11-30 gives 2027-02-28.
 * The case may still act on the limit date itself. Article 203's move of a last day that is a public
 * holiday to the next working day is deliberately not applied: nothing extends this limit.
 */
export function limitDate(openedOn: IsoDate, months: number): IsoDate {
  if (!isIsoDate(openedOn)) throw new RangeError(`'${openedOn}' is not a date written YYYY-MM-DD`);
  if (!Number.isInteger(months) || months < 0) throw new RangeError(`a time limit counts whole months, not ${months}`);
  const year = Number(openedOn.slice(0, 4));
  const month = Number(openedOn.slice(5, 7));
  const day = Number(openedOn.slice(8, 10));
  const monthIndex = month - 1 + months;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return `${String(targetYear).padStart(4, '0')}-${pad2(targetMonth)}-${pad2(targetDay)}`;
}

/** Calendar days from `today` to the limit date: 0 on the limit date, negative once it has passed. */
export function daysLeft(today: IsoDate, limit: IsoDate): number {
  return epochDay(limit) - epochDay(today);
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
