import { isIsoDate, isTradeTime } from '../domain/market/calendar-date.ts';

/**
 * The syntax of the numbers and dates in the registry's files (loss-methodology.md §2.2):
 * plain digits with an optional decimal part — no sign, exponent, spaces or thousands separators.
 * Each check returns null when the text is valid, or the reason it is not, worded for rejects.csv.
 *
 * The checks run on every row of files with tens of millions of rows, so they scan character
 * codes instead of running regular expressions.
 */

/** Digits with at most one interior point: the number of decimals, or −1 when not a decimal. */
function decimalPlaces(text: string): number {
  const length = text.length;
  if (length === 0) return -1;
  let point = -1;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) continue;
    if (code === 46 && point < 0 && i > 0 && i < length - 1) {
      point = i;
      continue;
    }
    return -1;
  }
  return point < 0 ? 0 : length - point - 1;
}

function allDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

export function checkDecimal(column: string, text: string, maxDecimals: number): string | null {
  const places = decimalPlaces(text);
  if (places < 0) return `${column} '${text}' is not a non-negative decimal number`;
  if (places > maxDecimals) return `${column} '${text}' has more than ${maxDecimals} decimals`;
  return null;
}

export function checkPositiveInteger(column: string, text: string): string | null {
  if (!allDigits(text)) return `${column} '${text}' is not a positive integer`;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== 48) return null;
  return `${column} '${text}' is not a positive integer`;
}

export function checkNonNegativeInteger(column: string, text: string): string | null {
  return allDigits(text) ? null : `${column} '${text}' is not a non-negative integer`;
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
