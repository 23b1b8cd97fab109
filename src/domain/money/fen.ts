import { formatScaled, type Rational } from './rational.ts';

/**
 * Money as an integer number of fen (分, 0.01 yuan). A reported amount is rounded from its exact
 * value half away from zero to the fen (loss-methodology.md §1); sums are taken over fen, so a
 * calculation sheet always adds up.
 */
export type Fen = bigint;

export function roundToFen(exact: Rational): Fen {
  return exact.roundToScaled(2);
}

/**
 * The inverse of `formatFen`: yuan written with exactly two decimals, as the output files and the
 * banks' files write amounts ("1234.56", "-0.05"), to fen without floating point; null for any
 * other text.
 */
export function parseYuan(text: string): Fen | null {
  const match = /^(-?)(\d{1,16})\.(\d{2})$/.exec(text);
  if (match === null) return null;
  const fen = BigInt(match[2]!) * 100n + BigInt(match[3]!);
  return match[1] === '-' ? -fen : fen;
}

/** 123456n → "1234.56"; −5n → "-0.05". */
export function formatFen(amount: Fen): string {
  return formatScaled(amount, 2);
}
