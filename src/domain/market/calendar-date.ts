/**
 * Calendar dates as ISO text (`YYYY-MM-DD`), which sorts in date order as plain strings, and
 * trade times as `YYYY-MM-DDTHH:MM:SS`. A date-only time sorts before every timed trade of that
 * date because it is a prefix of them (loss-methodology.md §2.2).
 */
export type IsoDate = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

function isRealDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a real calendar date written `YYYY-MM-DD` (2021-02-30 is not one). */
export function isIsoDate(text: string): boolean {
  const match = DATE.exec(text);
  return match !== null && isRealDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** True for `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` naming a real date and a real time of day. */
export function isTradeTime(text: string): boolean {
  if (text.length === 10) return isIsoDate(text);
  const match = DATE_TIME.exec(text);
  if (match === null) return false;
  return (
    isRealDay(Number(match[1]), Number(match[2]), Number(match[3])) &&
    Number(match[4]) <= 23 &&
    Number(match[5]) <= 59 &&
    Number(match[6]) <= 59
  );
}

/** Days since 1970-01-01 (proleptic Gregorian), for counting calendar days. */
export function epochDay(date: IsoDate): number {
  return Math.round(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000);
}

export function fromEpochDay(day: number): IsoDate {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(epochDay(date) + days);
}

/** The date part of a trade time. */
export function dateOf(time: string): IsoDate {
  return time.length === 10 ? time : time.slice(0, 10);
}
