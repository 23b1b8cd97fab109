/**
 * Calendar dates as ISO text (`YYYY-MM-DD`), which sorts in date order as plain strings, and
 * trade times as `YYYY-MM-DDTHH:MM:SS`. A date-only time sorts before every timed trade of that
 * date because it is a prefix of them (loss-methodology.md §2.2).
 */
export type IsoDate = string;

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The number written by `length` digits at `at`, or −1 if any is not a digit. */
function digitsAt(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

/** Checked character by character: this runs on every row of the trade files. */
function isRealDateAt(text: string): boolean {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** True for a real calendar date written `YYYY-MM-DD` (2021-02-30 is not one). */
export function isIsoDate(text: string): boolean {
  return text.length === 10 && isRealDateAt(text);
}

/** True for `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` naming a real date and a real time of day. */
export function isTradeTime(text: string): boolean {
  if (text.length === 10) return isRealDateAt(text);
  if (text.length !== 19 || !isRealDateAt(text)) return false;
  if (text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false;
  const hours = digitsAt(text, 11, 2);
  const minutes = digitsAt(text, 14, 2);
  const seconds = digitsAt(text, 17, 2);
  return hours >= 0 && hours <= 23 && minutes >= 0 && minutes <= 59 && seconds >= 0 && seconds <= 59;
}

/** Days since 1970-01-01 (proleptic Gregorian), for counting calendar days. */
export function epochDay(date: IsoDate): number {
  return Math.round(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000);
}

/**
 * `epochDay` from the numbers of a date, in integer arithmetic (H. Hinnant's days_from_civil):
 * the batch computes it for every trade row, where a Date and a string would cost more.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function fromEpochDay(day: number): IsoDate {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** True for a Saturday or a Sunday: never a trading day (a disclosure date may still fall on one). */
export function isWeekend(date: IsoDate): boolean {
  const weekday = (epochDay(date) + 4) % 7; // 1970-01-01 was a Thursday; 0 is Sunday
  return weekday === 0 || weekday === 6;
}

/** Monday-to-Friday dates from `from` to `to`, both included. */
export function weekdaysBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = epochDay(from), last = epochDay(to); day <= last; day++) {
    const date = fromEpochDay(day);
    if (!isWeekend(date)) days.push(date);
  }
  return days;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(epochDay(date) + days);
}

/** The date part of a trade time. */
export function dateOf(time: string): IsoDate {
  return time.length === 10 ? time : time.slice(0, 10);
}
