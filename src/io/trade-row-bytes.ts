import { daysFromCivil, daysInMonth } from '../domain/market/calendar-date.ts';

/**
 * A trades.csv row parsed straight from its bytes, for the batch's scan phase: the time, side,
 * quantity and price of a row, checked and turned into numbers without making a string.
 *
 * This is a fast path, not a second set of rules. It accepts only rows that the row checker of
 * investor-files.ts would accept, and only in the plainest form (ASCII, no quote, years 1000 to
 * 9999, numbers short enough to be exact in a double), and it gives exactly the values that
 * `tradeFromText` would. Every other row — a bad one, or a good one in an unusual form — is left
 * to the checker, which judges it and words its reason. The tests compare both on generated rows.
 */

/** What the parser reads a row into; one instance is reused for every row. */
export interface ParsedTradeFields {
  /** `timeOrderKey` of the time. */
  timeKey: number;
  isBuy: boolean;
  /** Shares: a positive integer below 10^15. */
  quantity: number;
  /** The price in thousandths of a yuan: a non-negative integer below 10^15. */
  priceMilli: number;
}

const DIGIT_0 = 48;

/**
 * Reads the row's fields `[fieldStart[k], fieldEnd[k])` of `bytes` at the trade columns. The
 * caller has already checked that the row is ASCII, has no quote and no control character, has
 * as many fields as the header and a non-empty investor. Returns false when the row needs the
 * checker (invalid, or valid in a form this path does not take).
 */
export function parseTradeFields(
  bytes: Uint8Array,
  fieldStart: Int32Array,
  fieldEnd: Int32Array,
  columns: { time: number; side: number; quantity: number; price: number },
  into: ParsedTradeFields,
): boolean {
  // Each field is read whole: its reader must stop exactly at the field's end.
  const { side, quantity, price, time } = columns;
  return (
    readSide(bytes, fieldStart[side]!, fieldEnd[side]!, into) === fieldEnd[side] &&
    readQuantity(bytes, fieldStart[quantity]!, fieldEnd[quantity]!, into) === fieldEnd[quantity] &&
    readPrice(bytes, fieldStart[price]!, fieldEnd[price]!, into) === fieldEnd[price] &&
    readTime(bytes, fieldStart[time]!, fieldEnd[time]!, into) === fieldEnd[time]
  );
}

/*
 * The readers of the trade fields, shared by both parsers: each reads its field's form from `at`,
 * never past `limit`, into `into`, and returns where the form ends (the caller checks that the
 * field ends there), or -1 when the bytes at `at` do not start it.
 */

/** side: B or S. */
function readSide(bytes: Uint8Array, at: number, limit: number, into: ParsedTradeFields): number {
  if (at >= limit) return -1;
  const side = bytes[at];
  if (side !== 66 /* B */ && side !== 83 /* S */) return -1;
  into.isBuy = side === 66;
  return at + 1;
}

/** quantity: 1 to 15 digits, not all zeros. */
function readQuantity(bytes: Uint8Array, at: number, limit: number, into: ParsedTradeFields): number {
  const end = digitsUntil(bytes, at, limit);
  if (end === at || end - at > 15 || digitsRead === 0) return -1;
  into.quantity = digitsRead;
  return end;
}

/** price: 1 to 12 whole digits, then possibly a point and 1 to 3 decimals; in thousandths. */
function readPrice(bytes: Uint8Array, at: number, limit: number, into: ParsedTradeFields): number {
  let end = digitsUntil(bytes, at, limit);
  const wholeDigits = end - at;
  if (wholeDigits === 0 || wholeDigits > 12) return -1;
  let milli = digitsRead * 1000;
  if (end < limit && bytes[end] === 46 /* . */) {
    const point = ++end;
    end = digitsUntil(bytes, end, limit);
    const decimals = end - point;
    if (decimals === 0 || decimals > 3) return -1;
    milli += decimals === 1 ? digitsRead * 100 : decimals === 2 ? digitsRead * 10 : digitsRead;
  }
  into.priceMilli = milli;
  return end;
}

/**
 * time: YYYY-MM-DD, possibly followed by THH:MM:SS, naming a real date and time of day. The
 * digits are read one by one, without a loop: a loop per number took a third of the parse.
 */
function readTime(bytes: Uint8Array, at: number, limit: number, into: ParsedTradeFields): number {
  if (at + 10 > limit || bytes[at + 4] !== 45 || bytes[at + 7] !== 45) return -1;
  const y0 = bytes[at]! - DIGIT_0, y1 = bytes[at + 1]! - DIGIT_0, y2 = bytes[at + 2]! - DIGIT_0, y3 = bytes[at + 3]! - DIGIT_0;
  const m0 = bytes[at + 5]! - DIGIT_0, m1 = bytes[at + 6]! - DIGIT_0, d0 = bytes[at + 8]! - DIGIT_0, d1 = bytes[at + 9]! - DIGIT_0;
  if (!(isDigit(y0) && isDigit(y1) && isDigit(y2) && isDigit(y3) && isDigit(m0) && isDigit(m1) && isDigit(d0) && isDigit(d1))) return -1;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  // Years below 1000 are real dates too, but the date arithmetic of calendar-date.ts reads
  // two-digit years as 19xx; such rows take the checker's path, which is the reference.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return -1;
  let timeKey = (year * 10_000 + month * 100 + day) * 100_000;
  let end = at + 10;
  if (end < limit && bytes[end] === 84 /* T */) {
    if (end + 9 > limit || bytes[end + 3] !== 58 || bytes[end + 6] !== 58) return -1;
    const h0 = bytes[end + 1]! - DIGIT_0, h1 = bytes[end + 2]! - DIGIT_0;
    const n0 = bytes[end + 4]! - DIGIT_0, n1 = bytes[end + 5]! - DIGIT_0;
    const s0 = bytes[end + 7]! - DIGIT_0, s1 = bytes[end + 8]! - DIGIT_0;
    if (!(isDigit(h0) && isDigit(h1) && isDigit(n0) && isDigit(n1) && isDigit(s0) && isDigit(s1))) return -1;
    const hours = h0 * 10 + h1;
    const minutes = n0 * 10 + n1;
    const seconds = s0 * 10 + s1;
    if (hours > 23 || minutes > 59 || seconds > 59) return -1;
    timeKey += 1 + hours * 3600 + minutes * 60 + seconds;
    end += 9;
  }
  into.timeKey = timeKey;
  return end;
}

/** Whether a byte minus '0' is a digit's value (one unsigned comparison: a negative value is above 9 as unsigned). */
function isDigit(value: number): boolean {
  return value >>> 0 <= 9;
}

/**
 * A text field (investor, account, any other column): printable ASCII but the quote, up to the
 * comma or the line's end. Returns where it ends, or -1.
 */
function readText(bytes: Uint8Array, at: number, limit: number): number {
  for (;; at++) {
    if (at >= limit) return -1;
    const byte = bytes[at]!;
    if (byte === 44 || byte < 32) return at;
    if (byte > 127 || byte === 34) return -1;
  }
}

/** The line's end after its last field at `at`: where its newline is, or -1. */
function rowEnd(bytes: Uint8Array, at: number, limit: number): number {
  if (at < limit && bytes[at] === 10) return at;
  if (at + 1 < limit && bytes[at] === 13 && bytes[at + 1] === 10) return at + 1;
  return -1;
}

/** After a field that ends at `at` (or -1): where the next field starts, past its comma, or -1. */
function nextField(bytes: Uint8Array, at: number, limit: number): number {
  return at >= 0 && at < limit && bytes[at] === 44 ? at + 1 : -1;
}

/** What each column of trades.csv is, for `parsePlainTradeRow`. */
export const COLUMN_OTHER = 0;
export const COLUMN_INVESTOR = 1;
export const COLUMN_ACCOUNT = 2;
export const COLUMN_TIME = 3;
export const COLUMN_SIDE = 4;
export const COLUMN_QUANTITY = 5;
export const COLUMN_PRICE = 6;

/** The kinds of a trades header's columns, in order. */
export function columnKinds(width: number, columns: { investor: number; account: number; time: number; side: number; quantity: number; price: number }): Uint8Array {
  const kinds = new Uint8Array(width);
  kinds[columns.investor] = COLUMN_INVESTOR;
  kinds[columns.account] = COLUMN_ACCOUNT;
  kinds[columns.time] = COLUMN_TIME;
  kinds[columns.side] = COLUMN_SIDE;
  kinds[columns.quantity] = COLUMN_QUANTITY;
  kinds[columns.price] = COLUMN_PRICE;
  return kinds;
}

/** A plain trades row as `parsePlainTradeRow` reads it: the parsed fields, and where its investor and account are. */
export interface PlainTradeRow extends ParsedTradeFields {
  keyStart: number;
  keyEnd: number;
  accountStart: number;
  accountEnd: number;
}

/**
 * Reads the plainest trades row in one pass, field after field, with no line or field scan
 * before it: the row that starts at `start` and ends with a newline before `limit`, in the
 * columns `kinds`. Returns where its newline is, or -1 for any row that is not plain: then the
 * general scan reads it (and the row may still be a trade, or a good row in another form).
 *
 * A plain row is one the general scan would find ASCII, quote-free, free of control characters
 * (but the CR of a CRLF), with as many fields as the header, a non-empty investor, and fields
 * that `parseTradeFields` takes (the same readers read them); the values are the ones it gives.
 * Reading the row once instead of finding its fields and then parsing them halves the scan's
 * time per byte.
 */
export function parsePlainTradeRow(bytes: Uint8Array, start: number, limit: number, kinds: Uint8Array, into: PlainTradeRow): number {
  let at = start;
  const last = kinds.length - 1;
  for (let k = 0; k <= last; k++) {
    const kind = kinds[k]!;
    if (kind === COLUMN_QUANTITY) at = readQuantity(bytes, at, limit, into);
    else if (kind === COLUMN_PRICE) at = readPrice(bytes, at, limit, into);
    else if (kind === COLUMN_TIME) at = readTime(bytes, at, limit, into);
    else if (kind === COLUMN_SIDE) at = readSide(bytes, at, limit, into);
    else {
      const first = at;
      at = readText(bytes, at, limit);
      if (at < 0) return -1;
      if (kind === COLUMN_INVESTOR) {
        if (at === first) return -1;
        into.keyStart = first;
        into.keyEnd = at;
      } else if (kind === COLUMN_ACCOUNT) {
        into.accountStart = first;
        into.accountEnd = at;
      }
    }
    if (at < 0) return -1;
    if (k < last) {
      if (at >= limit || bytes[at] !== 44) return -1;
      at++;
    }
  }
  return rowEnd(bytes, at, limit);
}

/**
 * parsePlainTradeRow for the columns in the order of the spec's header,
 * `investor,account,time,side,quantity,price`, as the registry's files and ours have them: the
 * same readers called in a fixed sequence. Without the loop over the columns' kinds a row takes
 * about two thirds of the time.
 */
function parseCanonicalTradeRow(bytes: Uint8Array, start: number, limit: number, _kinds: Uint8Array, into: PlainTradeRow): number {
  let at = readText(bytes, start, limit);
  if (at <= start) return -1;
  into.keyStart = start;
  into.keyEnd = at;
  const accountStart = nextField(bytes, at, limit);
  if (accountStart < 0) return -1;
  at = readText(bytes, accountStart, limit);
  if (at < 0) return -1;
  into.accountStart = accountStart;
  into.accountEnd = at;
  at = nextField(bytes, at, limit);
  if (at < 0) return -1;
  at = nextField(bytes, readTime(bytes, at, limit, into), limit);
  if (at < 0) return -1;
  at = nextField(bytes, readSide(bytes, at, limit, into), limit);
  if (at < 0) return -1;
  at = nextField(bytes, readQuantity(bytes, at, limit, into), limit);
  if (at < 0) return -1;
  at = readPrice(bytes, at, limit, into);
  return at < 0 ? -1 : rowEnd(bytes, at, limit);
}

const CANONICAL_KINDS = [COLUMN_INVESTOR, COLUMN_ACCOUNT, COLUMN_TIME, COLUMN_SIDE, COLUMN_QUANTITY, COLUMN_PRICE];

/** The one-pass parser for a header's column kinds (columnKinds): parsePlainTradeRow, or its equal for the spec's column order. */
export function plainTradeRowParser(kinds: Uint8Array): typeof parsePlainTradeRow {
  const canonical = kinds.length === CANONICAL_KINDS.length && CANONICAL_KINDS.every((kind, k) => kinds[k] === kind);
  return canonical ? parseCanonicalTradeRow : parsePlainTradeRow;
}

/** The value of the digits digitsUntil last read (one number, not an object per field). */
let digitsRead = 0;

/** Reads the digits from `at` up to the first other byte or `limit`; returns where they end, their value in digitsRead. */
function digitsUntil(bytes: Uint8Array, at: number, limit: number): number {
  let value = 0;
  for (; at < limit; at++) {
    const digit = bytes[at]! - DIGIT_0;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  digitsRead = value;
  return at;
}

/** Time keys per calendar day: timeOrderKey is the date × 100,000, plus the second of the day + 1. */
export const DAY_KEYS = 100_000;

/** `epochDay` of a trade's date, from its order key. */
export function epochDayOfKey(timeKey: number): number {
  const date = Math.floor(timeKey / DAY_KEYS);
  return daysFromCivil(Math.floor(date / 10_000), Math.floor(date / 100) % 100, date % 100);
}

/** The `time` text of a trade from its order key (the inverse of timeOrderKey for the forms this path accepts). */
export function timeOfKey(timeKey: number): string {
  const date = Math.floor(timeKey / 100_000);
  const rest = timeKey - date * 100_000;
  const text = `${Math.floor(date / 10_000)}-${pad2(Math.floor(date / 100) % 100)}-${pad2(date % 100)}`;
  if (rest === 0) return text;
  const seconds = rest - 1;
  return `${text}T${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
