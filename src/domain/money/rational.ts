import { gcd as safeGcd } from './integer-gcd.ts';

/**
 * Exact rational numbers.
 *
 * Every intermediate quantity of the loss engine (prices, averages, share counts after a bonus
 * action, ratios, index levels) is a Rational; nothing is rounded until a component is reported
 * (loss-methodology.md §1). Values are kept in lowest terms with a positive denominator, so two
 * equal numbers always have the same representation and `equals` is a field comparison.
 */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** True when a double computed from safe integers is itself exact (see the class comment). */
function safe(value: number): boolean {
  return value <= MAX_SAFE && value >= -MAX_SAFE;
}

export class Rational {
  /*
   * Two representations of the same value. The small form keeps numerator and denominator as
   * safe integers in doubles (|x| ≤ 2^53 − 1), which is exact: the product or sum of two safe
   * integers is computed exactly when the true result is safe, and when it is not the rounded
   * double is at least 2^53, so `safe()` rejects it and the operation redoes itself in bigint.
   * The big form is used only for values that do not fit. Both forms give identical results;
   * the property tests compare them, and the small form is only there for speed (most prices,
   * quantities and averages fit in 53 bits, and bigint arithmetic allocates on every step).
   */
  private n: number;
  private d: number;
  /**
   * The big form. It may be left unreduced (`reduced` false) while it stays below REDUCE_ABOVE:
   * most big values only feed a rounding, and reducing each one costs a bigint gcd. `settle`
   * reduces it (and returns to the small form when it fits) before anything that depends on the
   * representation: equality, the numerator and denominator, integer tests.
   */
  private big: { num: bigint; den: bigint; reduced: boolean } | null;

  private constructor(n: number, d: number, big: { num: bigint; den: bigint; reduced: boolean } | null) {
    this.n = n;
    this.d = d;
    this.big = big;
  }

  static readonly ZERO = new Rational(0, 1, null);
  static readonly ONE = new Rational(1, 1, null);

  /** Numerator in lowest terms (the sign is carried here). */
  get num(): bigint {
    this.settle();
    return this.big === null ? BigInt(this.n) : this.big.num;
  }

  /** Denominator in lowest terms, always positive. */
  get den(): bigint {
    this.settle();
    return this.big === null ? BigInt(this.d) : this.big.den;
  }

  /** Numerator and denominator of the value as held, possibly not in lowest terms. */
  private rawNum(): bigint {
    return this.big === null ? BigInt(this.n) : this.big.num;
  }

  private rawDen(): bigint {
    return this.big === null ? BigInt(this.d) : this.big.den;
  }

  /** Brings a big value to lowest terms, and to the small form when it fits. */
  private settle(): void {
    const big = this.big;
    if (big === null || big.reduced) return;
    const g = gcd(big.num < 0n ? -big.num : big.num, big.den);
    const num = big.num / g;
    const den = big.den / g;
    if (num <= BIG_MAX_SAFE && num >= -BIG_MAX_SAFE && den <= BIG_MAX_SAFE) {
      this.n = Number(num);
      this.d = Number(den);
      this.big = null;
    } else {
      this.big = { num, den, reduced: true };
    }
  }

  /** A normalised rational num/den; den must not be zero. */
  static of(num: bigint | number, den: bigint | number = 1n): Rational {
    if (typeof num === 'number' && typeof den === 'number' && Number.isSafeInteger(num) && Number.isSafeInteger(den)) {
      return Rational.small(num, den);
    }
    return Rational.fromBig(BigInt(num), BigInt(den));
  }

  /** From safe integers, den ≠ 0. */
  private static small(n: number, d: number): Rational {
    if (d === 0) throw new RangeError('Rational: zero denominator');
    if (d < 0) {
      n = -n;
      d = -d;
    }
    if (d === 1) return n === 0 ? Rational.ZERO : new Rational(n, 1, null);
    const g = safeGcd(n < 0 ? -n : n, d);
    return g === 1 ? new Rational(n, d, null) : new Rational(n / g, d / g, null);
  }

  private static fromBig(n: bigint, d: bigint): Rational {
    if (d === 0n) throw new RangeError('Rational: zero denominator');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    if (n === 0n) return Rational.ZERO;
    if (n <= BIG_MAX_SAFE && n >= -BIG_MAX_SAFE && d <= BIG_MAX_SAFE) return Rational.small(Number(n), Number(d));
    const value = new Rational(0, 1, { num: n, den: d, reduced: d === 1n });
    // Past this size an unreduced value would make every later product slower than a gcd now.
    if (d > REDUCE_ABOVE || n > REDUCE_ABOVE || n < -REDUCE_ABOVE) value.settle();
    return value;
  }

  static fromInteger(n: bigint | number): Rational {
    if (typeof n === 'number' && Number.isSafeInteger(n)) return n === 0 ? Rational.ZERO : new Rational(n, 1, null);
    return Rational.fromBig(BigInt(n), 1n);
  }

  /**
   * Parses a plain decimal literal such as "12.345" or "-0.5". The caller validates syntax where
   * the input comes from a file; this throws on anything else so a bug cannot slip a NaN through.
   */
  static parse(text: string): Rational {
    // Fast path for the unsigned decimals of the data files: digits with at most one point.
    if (text.length <= 15 && text.length > 0) {
      let digits = 0;
      let decimals = -1;
      let valid = true;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 48 && code <= 57) {
          digits = digits * 10 + (code - 48);
          if (decimals >= 0) decimals++;
        } else if (code === 46 && decimals < 0 && i > 0 && i < text.length - 1) {
          decimals = 0;
        } else {
          valid = false;
          break;
        }
      }
      if (valid) return decimals <= 0 ? Rational.fromInteger(digits) : Rational.small(digits, 10 ** decimals);
    }
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!match) throw new SyntaxError(`not a decimal number: '${text}'`);
    const [, sign, whole, fraction = ''] = match;
    const digits = whole! + fraction;
    if (digits.length <= 15) {
      const magnitude = Number(digits);
      return Rational.small(sign === '-' ? -magnitude : magnitude, 10 ** fraction.length);
    }
    const magnitude = BigInt(digits);
    return Rational.fromBig(sign === '-' ? -magnitude : magnitude, 10n ** BigInt(fraction.length));
  }

  add(other: Rational): Rational {
    if (this.big === null && other.big === null) {
      if (this.d === other.d) {
        const n = this.n + other.n;
        if (safe(n)) return this.d === 1 ? new Rational(n, 1, null) : Rational.small(n, this.d);
      } else {
        const left = this.n * other.d;
        const right = other.n * this.d;
        const d = this.d * other.d;
        if (safe(left) && safe(right) && safe(d) && safe(left + right)) return Rational.small(left + right, d);
      }
    }
    return Rational.fromBig(this.rawNum() * other.rawDen() + other.rawNum() * this.rawDen(), this.rawDen() * other.rawDen());
  }

  sub(other: Rational): Rational {
    return this.add(other.neg());
  }

  mul(other: Rational): Rational {
    if (this.big === null && other.big === null) {
      // Cross-reducing first keeps the products small and the result already in lowest terms.
      const g1 = safeGcd(this.n < 0 ? -this.n : this.n, other.d);
      const g2 = safeGcd(other.n < 0 ? -other.n : other.n, this.d);
      const n = (this.n / g1) * (other.n / g2);
      const d = (this.d / g2) * (other.d / g1);
      if (safe(n) && safe(d)) return n === 0 ? Rational.ZERO : new Rational(n, d, null);
    }
    return Rational.fromBig(this.rawNum() * other.rawNum(), this.rawDen() * other.rawDen());
  }

  div(other: Rational): Rational {
    if (other.isZero()) throw new RangeError('Rational: division by zero');
    return this.mul(other.reciprocal());
  }

  private reciprocal(): Rational {
    if (this.big === null) return this.n < 0 ? new Rational(-this.d, -this.n, null) : new Rational(this.d, this.n, null);
    const { num, den, reduced } = this.big;
    return num < 0n ? new Rational(0, 1, { num: -den, den: -num, reduced }) : new Rational(0, 1, { num: den, den: num, reduced });
  }

  neg(): Rational {
    if (this.big === null) return this.n === 0 ? this : new Rational(-this.n, this.d, null);
    return new Rational(0, 1, { num: -this.big.num, den: this.big.den, reduced: this.big.reduced });
  }

  sign(): -1 | 0 | 1 {
    if (this.big === null) return this.n > 0 ? 1 : this.n < 0 ? -1 : 0;
    return this.big.num > 0n ? 1 : this.big.num < 0n ? -1 : 0;
  }

  isZero(): boolean {
    return this.big === null && this.n === 0;
  }

  isPositive(): boolean {
    return this.sign() > 0;
  }

  isInteger(): boolean {
    this.settle();
    return this.big === null ? this.d === 1 : this.big.den === 1n;
  }

  compare(other: Rational): -1 | 0 | 1 {
    if (this.big === null && other.big === null) {
      if (this.d === other.d) return this.n < other.n ? -1 : this.n > other.n ? 1 : 0;
      const left = this.n * other.d;
      const right = other.n * this.d;
      if (safe(left) && safe(right)) return left < right ? -1 : left > right ? 1 : 0;
    }
    const left = this.rawNum() * other.rawDen();
    const right = other.rawNum() * this.rawDen();
    return left < right ? -1 : left > right ? 1 : 0;
  }

  equals(other: Rational): boolean {
    this.settle();
    other.settle();
    if (this.big === null && other.big === null) return this.n === other.n && this.d === other.d;
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
    const small = this.roundSmall(decimals);
    if (small !== null) return BigInt(small);
    const num = this.rawNum();
    const den = this.rawDen();
    const scale = 10n ** BigInt(decimals);
    const scaledNum = (num < 0n ? -num : num) * scale;
    const quotient = scaledNum / den;
    const remainder = scaledNum - quotient * den;
    const rounded = remainder * 2n >= den ? quotient + 1n : quotient;
    return num < 0n ? -rounded : rounded;
  }

  /**
   * roundToScaled in doubles, for a small value whose scaled numerator and the divisions it needs
   * stay safe integers (so every step is exact); null otherwise. Output formatting rounds a dozen
   * values per investor, and this spares each of them a handful of bigint operations.
   */
  private roundSmall(decimals: number): number | null {
    if (this.big !== null || decimals > 15) return null;
    const magnitude = (this.n < 0 ? -this.n : this.n) * 10 ** decimals;
    if (magnitude + this.d > MAX_SAFE) return null;
    let quotient = Math.floor(magnitude / this.d);
    let remainder = magnitude - quotient * this.d;
    // The double division can land one off when the true quotient is within an ulp of an integer.
    if (remainder < 0) {
      quotient--;
      remainder += this.d;
    } else if (remainder >= this.d) {
      quotient++;
      remainder -= this.d;
    }
    const rounded = remainder * 2 >= this.d ? quotient + 1 : quotient;
    return this.n < 0 ? -rounded : rounded;
  }

  /** Half away from zero to `decimals` places, as an exact Rational. */
  round(decimals: number): Rational {
    return Rational.of(this.roundToScaled(decimals), 10n ** BigInt(decimals));
  }

  /** Fixed-point text with exactly `decimals` places, rounded half away from zero. */
  toFixed(decimals: number): string {
    // Output writes a dozen of these per investor: a small value is formatted without a bigint.
    const small = this.roundSmall(decimals);
    return small !== null ? formatScaledNumber(small, decimals) : formatScaled(this.roundToScaled(decimals), decimals);
  }

  /**
   * Text with at most `maxDecimals` places (rounded half away from zero) and trailing zeros
   * dropped: 4004.5, 14669.25, 3120.
   */
  toTrimmed(maxDecimals: number): string {
    if (this.big === null && this.d === 1) return String(this.n);
    const text = this.toFixed(maxDecimals);
    if (maxDecimals === 0) return text;
    return text.replace(/\.?0+$/, '');
  }

  /** Exact value as a fraction, for audit trails: "7/3" or "12". */
  toFraction(): string {
    return this.isInteger() ? this.num.toString() : `${this.num}/${this.den}`;
  }

  toString(): string {
    return this.toFraction();
  }
}

const BIG_MAX_SAFE = BigInt(MAX_SAFE);
const REDUCE_ABOVE = 2n ** 256n;


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
  if (value <= BIG_MAX_SAFE && value >= -BIG_MAX_SAFE) return formatScaledNumber(Number(value), decimals);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0');
  const whole = decimals === 0 ? digits : digits.slice(0, -decimals);
  const fraction = decimals === 0 ? '' : `.${digits.slice(-decimals)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** formatScaled for a safe integer held in a double (exact: its decimal digits are those of the integer). */
function formatScaledNumber(value: number, decimals: number): string {
  const negative = value < 0;
  const digits = String(negative ? -value : value).padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

/** Sum of rationals; an empty list sums to zero. */
export function sum(values: Iterable<Rational>): Rational {
  let total = Rational.ZERO;
  for (const value of values) total = total.add(value);
  return total;
}
