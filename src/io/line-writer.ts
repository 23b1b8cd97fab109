import { formatScaled } from '../domain/money/rational.ts';

/*
 * Lines of an output file written as UTF-8 bytes, for compensation.csv. Numbers are most of such
 * a line, and turning each into a string of its own (then joining them) costs several times more
 * than writing its digits into a buffer: the digits are written with int32 arithmetic, two at a
 * time.
 *
 * The batch keeps a partition's lines here, one after another, and writes them to its file as
 * they are (takeOutput): no string per line, no joined string, and one buffer reused from one
 * partition to the next (the joined string of every partition had cost a sixth of the run's page
 * faults). A caller that wants one line as a string takes it with finishLine, which leaves the
 * lines kept before it as they were.
 */

let buffer = Buffer.allocUnsafe(1 << 16);
/** The end of what is written. */
let at = 0;
/** Where the line being written starts. */
let lineStart = 0;
/** Whether the line being written has a character beyond ASCII (its bytes are then UTF-8 of more than one byte). */
let beyondAscii = false;

const TENS = new Uint8Array(100);
const ONES = new Uint8Array(100);
for (let n = 0; n < 100; n++) {
  TENS[n] = 48 + Math.floor(n / 10);
  ONES[n] = 48 + (n % 10);
}
const SCALES = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
const TWO_TO_31 = 2 ** 31;
const COMMA = 44;
const POINT = 46;
const MINUS = 45;
const ZERO = 48;

function reserve(bytes: number): void {
  if (at + bytes <= buffer.length) return;
  const larger = Buffer.allocUnsafe(Math.max(buffer.length * 2, at + bytes));
  buffer.copy(larger, 0, 0, at);
  buffer = larger;
}

/** Starts a line after the lines kept so far. */
export function startLine(): void {
  lineStart = at;
  beyondAscii = false;
}

/** The line written since startLine, as a string; it is not kept. */
export function finishLine(): string {
  const line = beyondAscii ? buffer.toString('utf8', lineStart, at) : buffer.toString('latin1', lineStart, at);
  at = lineStart;
  return line;
}

/** Forgets every line kept. */
export function clearOutput(): void {
  at = 0;
  lineStart = 0;
}

/** The lines kept since clearOutput, as UTF-8 bytes, which stay valid until the next line is written; then forgets them. */
export function takeOutput(): Uint8Array {
  const output = buffer.subarray(0, at);
  clearOutput();
  return output;
}

export function comma(): void {
  reserve(1);
  buffer[at++] = COMMA;
}

/** Writes `value` in UTF-8: ASCII byte by byte, and from its first other character on through the encoder. */
export function text(value: string): void {
  const length = value.length;
  reserve(length);
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80) {
      at += i;
      const rest = value.slice(i);
      // At most three bytes per UTF-16 unit (a surrogate pair: four for two).
      reserve(3 * rest.length);
      at += buffer.write(rest, at, 'utf8');
      beyondAscii = true;
      return;
    }
    buffer[at + i] = code;
  }
  at += length;
}

function digitCount(x: number): number {
  if (x < 100_000) return x < 100 ? (x < 10 ? 1 : 2) : x < 1000 ? 3 : x < 10_000 ? 4 : 5;
  return x < 10_000_000 ? (x < 1_000_000 ? 6 : 7) : x < 100_000_000 ? 8 : x < 1_000_000_000 ? 9 : 10;
}

/** The decimal digits of 0 ≤ x < 2^31. */
function int32Digits(x: number): void {
  let end = at + digitCount(x);
  at = end;
  while (x >= 100) {
    const quotient = (x / 100) | 0;
    const pair = x - quotient * 100;
    buffer[--end] = ONES[pair]!;
    buffer[--end] = TENS[pair]!;
    x = quotient;
  }
  if (x >= 10) {
    buffer[--end] = ONES[x]!;
    buffer[--end] = TENS[x]!;
  } else {
    buffer[--end] = ZERO + x;
  }
}

/** Exactly `count` (even) digits of 0 ≤ x < 10^count, zero-padded. */
function paddedDigits(x: number, count: number): void {
  let end = at + count;
  at = end;
  for (let k = 0; k < count; k += 2) {
    const quotient = (x / 100) | 0;
    const pair = x - quotient * 100;
    buffer[--end] = ONES[pair]!;
    buffer[--end] = TENS[pair]!;
    x = quotient;
  }
}

/** The decimal digits of a non-negative safe integer. */
function digits(x: number): void {
  if (x < TWO_TO_31) {
    int32Digits(x | 0);
    return;
  }
  // Past 2^31 the remainder is a double one; it is exact, and the quotient is below 2^31.
  const low = x % 100_000_000;
  int32Digits((x - low) / 100_000_000);
  paddedDigits(low, 8);
}

/** `value` / 10^decimals (decimals 2, 4 or 6) as fixed-point text: the text of formatScaled. */
export function fixed(value: number | bigint, decimals: number): void {
  if (typeof value === 'bigint') {
    text(formatScaled(value, decimals));
    return;
  }
  reserve(decimals + 20);
  let magnitude = value;
  if (magnitude < 0) {
    buffer[at++] = MINUS;
    magnitude = -magnitude;
  }
  const scale = SCALES[decimals]!;
  let whole: number;
  let fraction: number;
  if (magnitude < TWO_TO_31) {
    const x = magnitude | 0;
    whole = (x / scale) | 0;
    fraction = x - whole * scale;
  } else {
    fraction = magnitude % scale;
    whole = (magnitude - fraction) / scale;
  }
  digits(whole);
  buffer[at++] = POINT;
  paddedDigits(fraction, decimals);
}

/**
 * A non-negative count × 10^4 as Rational.toTrimmed(4) writes the count: an integer, or up to 4
 * decimals with trailing zeros dropped.
 */
export function trimmed4(value: number | bigint): void {
  if (typeof value === 'bigint' || value < 0) {
    const full = typeof value === 'bigint' ? formatScaled(value, 4) : formatScaled(BigInt(value), 4);
    text(full.replace(/\.?0+$/, ''));
    return;
  }
  reserve(24);
  let whole: number;
  let fraction: number;
  if (value < TWO_TO_31) {
    const x = value | 0;
    whole = (x / 10_000) | 0;
    fraction = x - whole * 10_000;
  } else {
    fraction = value % 10_000;
    whole = (value - fraction) / 10_000;
  }
  digits(whole);
  if (fraction === 0) return;
  buffer[at++] = POINT;
  paddedDigits(fraction, 4);
  // The fraction is not zero, so a digit other than 0 stops this before the point.
  while (buffer[at - 1] === ZERO) at--;
}
