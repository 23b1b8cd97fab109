/**
 * Exact rational numbers over bigint.
 *
 * Every intermediate quantity of the loss engine (prices, averages, share counts after a bonus
 * action, ratios, index levels) is a Rational; nothing is rounded until a component is reported
 * (loss-methodology.md §1). Values are kept in lowest terms with a positive denominator, so two
 * equal numbers always have the same representation and `equals` is a field comparison.
 */
export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  /** A normalised rational num/den; den must not be zero. */
  static of(num: bigint | number, den: bigint | number = 1n): Rational {
    let n = BigInt(num);
    let d = BigInt(den);
    if (d === 0n) throw new RangeError('Rational: zero denominator');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    if (d === 1n) return n === 0n ? Rational.ZERO : new Rational(n, 1n);
    const g = gcd(n < 0n ? -n : n, d);
    return g === 1n ? new Rational(n, d) : new Rational(n / g, d / g);
  }

  static fromInteger(n: bigint | number): Rational {
    return new Rational(BigInt(n), 1n);
  }

  /**
   * Parses a plain decimal literal such as "12.345" or "-0.5". The caller validates syntax where
   * the input comes from a file; this throws on anything else so a bug cannot slip a NaN through.
   */
  static parse(text: string): Rational {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!match) throw new SyntaxError(`not a decimal number: '${text}'`);
    const [, sign, whole, fraction = ''] = match;
    const scale = 10n ** BigInt(fraction.length);
    const magnitude = BigInt(whole! + fraction);
    return Rational.of(sign === '-' ? -magnitude : magnitude, scale);
  }

  add(other: Rational): Rational {
    if (this.den === 1n && other.den === 1n) return new Rational(this.num + other.num, 1n);
    if (this.den === other.den) return Rational.of(this.num + other.num, this.den);
    return Rational.of(this.num * other.den + other.num * this.den, this.den * other.den);
  }

  sub(other: Rational): Rational {
    if (this.den === 1n && other.den === 1n) return new Rational(this.num - other.num, 1n);
    if (this.den === other.den) return Rational.of(this.num - other.num, this.den);
    return Rational.of(this.num * other.den - other.num * this.den, this.den * other.den);
  }

  mul(other: Rational): Rational {
    if (this.den === 1n && other.den === 1n) return new Rational(this.num * other.num, 1n);
    return Rational.of(this.num * other.num, this.den * other.den);
  }

  div(other: Rational): Rational {
    if (other.num === 0n) throw new RangeError('Rational: division by zero');
    return Rational.of(this.num * other.den, this.den * other.num);
  }

  neg(): Rational {
    return new Rational(-this.num, this.den);
  }

  sign(): -1 | 0 | 1 {
    return this.num > 0n ? 1 : this.num < 0n ? -1 : 0;
  }

  isZero(): boolean {
    return this.num === 0n;
  }

  isPositive(): boolean {
    return this.num > 0n;
  }

  isInteger(): boolean {
    return this.den === 1n;
  }

  compare(other: Rational): -1 | 0 | 1 {
    const left = this.num * other.den;
    const right = other.num * this.den;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  equals(other: Rational): boolean {
    return this.num === other.num && this.den === other.den;
  }

  lt(other: Rational): boolean {
    return this.compare(other) < 0;
  }

  lte(other: Rational): boolean {
    return this.compare(other) <= 0;
  }

  gt(other: Rational): boolean {
    return this.compare(other) > 0;
  }

  gte(other: Rational): boolean {
    return this.compare(other) >= 0;
  }

  min(other: Rational): Rational {
    return this.lte(other) ? this : other;
  }

  max(other: Rational): Rational {
    return this.gte(other) ? this : other;
  }

  /** Clamps into [low, high]. */
  clamp(low: Rational, high: Rational): Rational {
    return this.lt(low) ? low : this.gt(high) ? high : this;
  }

  /**
   * Rounds half away from zero to `decimals` places and returns the scaled integer, e.g.
   * 12.345 at 2 decimals → 1235n, −0.005 → −1n. This is the only rounding rule of the engine
   * (loss-methodology.md §1).
   */
  roundToScaled(decimals: number): bigint {
    const scale = 10n ** BigInt(decimals);
    const scaledNum = (this.num < 0n ? -this.num : this.num) * scale;
    const quotient = scaledNum / this.den;
    const remainder = scaledNum - quotient * this.den;
    const rounded = remainder * 2n >= this.den ? quotient + 1n : quotient;
    return this.num < 0n ? -rounded : rounded;
  }

  /** Half away from zero to `decimals` places, as an exact Rational. */
  round(decimals: number): Rational {
    return Rational.of(this.roundToScaled(decimals), 10n ** BigInt(decimals));
  }

  /** Fixed-point text with exactly `decimals` places, rounded half away from zero. */
  toFixed(decimals: number): string {
    return formatScaled(this.roundToScaled(decimals), decimals);
  }

  /**
   * Text with at most `maxDecimals` places (rounded half away from zero) and trailing zeros
   * dropped: 4004.5, 14669.25, 3120.
   */
  toTrimmed(maxDecimals: number): string {
    const text = this.toFixed(maxDecimals);
    if (maxDecimals === 0) return text;
    return text.replace(/\.?0+$/, '');
  }

  /** Exact value as a fraction, for audit trails: "7/3" or "12". */
  toFraction(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  toString(): string {
    return this.toFraction();
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Formats a scaled integer (e.g. fen with decimals = 2) as fixed-point text. */
export function formatScaled(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0');
  const whole = decimals === 0 ? digits : digits.slice(0, -decimals);
  const fraction = decimals === 0 ? '' : `.${digits.slice(-decimals)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Sum of rationals; an empty list sums to zero. */
export function sum(values: Iterable<Rational>): Rational {
  let total = Rational.ZERO;
  for (const value of values) total = total.add(value);
  return total;
}
