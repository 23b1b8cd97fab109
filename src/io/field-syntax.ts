import { isIsoDate, isTradeTime } from '../domain/market/calendar-date.ts';

/**
 * The syntax of the numbers and dates in the registry's files (loss-methodology.md §2.2):
 * plain digits with an optional decimal part — no sign, exponent, spaces or thousands separators.
 * Each check returns null when the text is valid, or the reason it is not, worded for rejects.csv.
 */
const DECIMAL = /^\d+(\.\d+)?$/;
const INTEGER = /^\d+$/;

export function checkDecimal(column: string, text: string, maxDecimals: number): string | null {
  if (!DECIMAL.test(text)) return `${column} '${text}' is not a non-negative decimal number`;
  const point = text.indexOf('.');
  if (point >= 0 && text.length - point - 1 > maxDecimals) return `${column} '${text}' has more than ${maxDecimals} decimals`;
  return null;
}

export function checkPositiveInteger(column: string, text: string): string | null {
  if (!INTEGER.test(text)) return `${column} '${text}' is not a positive integer`;
  if (/^0+$/.test(text)) return `${column} '${text}' is not a positive integer`;
  return null;
}

export function checkNonNegativeInteger(column: string, text: string): string | null {
  return INTEGER.test(text) ? null : `${column} '${text}' is not a non-negative integer`;
}

export function checkDate(column: string, text: string): string | null {
  return isIsoDate(text) ? null : `${column} '${text}' is not a real date (YYYY-MM-DD)`;
}

export function checkTradeTime(text: string): string | null {
  if (isTradeTime(text)) return null;
  return /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/.test(text)
    ? `time '${text}' is not a real date`
    : `time '${text}' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS`;
}
