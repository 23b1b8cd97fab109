import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Rational, formatScaled, sum } from './rational.ts';
import { formatFen, roundToFen } from './fen.ts';

/** Asserts the exact normalised fraction num/den. */
function assertFraction(value: Rational, num: bigint, den: bigint): void {
  assert.equal(value.num, num, `numerator of ${value.toFraction()}`);
  assert.equal(value.den, den, `denominator of ${value.toFraction()}`);
}

const q = (text: string) => Rational.parse(text);

describe('Rational.parse', () => {
  test('plain decimals become exact fractions in lowest terms', () => {
    assertFraction(q('12.345'), 2469n, 200n); // 12345/1000 = 2469/200 (gcd 5)
    assertFraction(q('-0.5'), -1n, 2n); // −5/10
    assertFraction(q('3.10'), 31n, 10n); // 310/100
    assertFraction(q('007'), 7n, 1n); // leading zeros are harmless
    assertFraction(q('0.000'), 0n, 1n); // zero is always 0/1
    assertFraction(q('-0'), 0n, 1n); // no negative zero
    assertFraction(q('0.0003'), 3n, 10000n);
    assertFraction(q('123456789012345678901234567890.125'), 987654312098765431209876543121n, 8n); // ×8: exact beyond 2^53
  });

  test('anything but a plain decimal literal throws', () => {
    for (const text of ['', '1.', '.5', '+1', '1e3', ' 1', '1 ', '1,5', '--1', '0x10', 'NaN', '1.2.3', '１']) {
      assert.throws(() => Rational.parse(text), SyntaxError, `'${text}'`);
    }
  });
});

describe('construction and normalisation', () => {
  test('Rational.of reduces and puts the sign on the numerator', () => {
    assertFraction(Rational.of(10, 20), 1n, 2n);
    assertFraction(Rational.of(6, -4), -3n, 2n);
    assertFraction(Rational.of(-3, -6), 1n, 2n);
    assertFraction(Rational.of(0, -5), 0n, 1n);
    assertFraction(Rational.of(-7n), -7n, 1n);
    assertFraction(Rational.fromInteger(42), 42n, 1n);
    assert.throws(() => Rational.of(1, 0), RangeError);
  });

  test('equal values have one representation, so equals is a field comparison', () => {
    assert.ok(Rational.of(2, 4).equals(Rational.of(1, 2)));
    assert.ok(q('0.50').equals(Rational.of(-1, -2)));
    assert.ok(!Rational.of(1, 3).equals(Rational.of(333, 1000)));
    // Results of arithmetic are normalised too.
    assertFraction(Rational.of(1, 6).add(Rational.of(1, 3)), 1n, 2n); // 1/6 + 2/6 = 3/6
    assertFraction(Rational.of(1, 3).sub(Rational.of(1, 3)), 0n, 1n); // same denominators → 0/3 → 0/1
    assertFraction(Rational.of(2, 3).mul(Rational.of(3, 2)), 1n, 1n); // 6/6
    assertFraction(Rational.of(3, 4).div(Rational.of(3, 8)), 2n, 1n); // 24/12
    assert.ok(Rational.of(1, 3).sub(Rational.of(1, 3)).equals(Rational.ZERO));
  });
});

describe('arithmetic', () => {
  test('add, sub, mul, div, neg on hand-checked values', () => {
    assertFraction(q('0.1').add(q('0.2')), 3n, 10n); // exactly 0.3 (not 0.30000000000000004)
    assertFraction(q('9.60').sub(q('6.50')), 31n, 10n); // 3.10
    assertFraction(q('9.6').mul(Rational.of(1200)), 11520n, 1n); // 9.6 × 1200
    assertFraction(Rational.of(1570).div(Rational.of(500)), 157n, 50n); // 3.14
    assertFraction(Rational.of(-5, 3).add(Rational.of(2)), 1n, 3n); // −5/3 + 6/3
    assertFraction(Rational.of(2).sub(Rational.of(5, 2)), -1n, 2n);
    assertFraction(Rational.of(-2, 3).mul(Rational.of(-9, 4)), 3n, 2n); // 18/12
    assertFraction(Rational.of(1, 2).div(Rational.of(-1, 4)), -2n, 1n);
    assertFraction(Rational.of(7, 3).neg(), -7n, 3n);
    assert.throws(() => Rational.ONE.div(Rational.ZERO), RangeError);
  });

  test('sign and predicates', () => {
    assert.equal(Rational.of(-1, 3).sign(), -1);
    assert.equal(Rational.ZERO.sign(), 0);
    assert.equal(Rational.of(1, 3).sign(), 1);
    assert.ok(Rational.ZERO.isZero());
    assert.ok(!Rational.ZERO.isPositive());
    assert.ok(Rational.of(1, 1000).isPositive());
    assert.ok(Rational.of(6, 3).isInteger()); // 2
    assert.ok(!Rational.of(3, 2).isInteger());
  });

  test('sum', () => {
    assert.ok(sum([]).equals(Rational.ZERO));
    assertFraction(sum([Rational.of(1, 2), Rational.of(1, 3), Rational.of(1, 6)]), 1n, 1n);
  });
});

describe('compare', () => {
  test('orders by value, not by representation', () => {
    assert.equal(Rational.of(-1, 2).compare(Rational.of(1, 3)), -1);
    assert.equal(Rational.of(1, 3).compare(Rational.of(-1, 2)), 1);
    assert.equal(Rational.of(2, 4).compare(Rational.of(1, 2)), 0);
    // 1/3 vs 0.3333333333: 1/3 is larger by 1/30000000000
    assert.equal(Rational.of(1, 3).compare(q('0.3333333333')), 1);
    assert.equal(Rational.of(-1, 3).compare(q('-0.3333333333')), -1);
    assert.ok(q('2.675').lt(q('2.6751')));
    assert.ok(q('2.675').lte(q('2.675')));
    assert.ok(q('2.675').gt(q('2.6749')));
    assert.ok(q('2.675').gte(Rational.of(107, 40))); // 2.675 = 107/40
  });

  test('min, max and clamp', () => {
    const a = Rational.of(1, 3);
    const b = Rational.of(1, 2);
    assert.ok(a.min(b).equals(a));
    assert.ok(a.max(b).equals(b));
    assert.ok(Rational.of(3, 2).clamp(Rational.ZERO, Rational.ONE).equals(Rational.ONE));
    assert.ok(Rational.of(-3, 2).clamp(Rational.ZERO, Rational.ONE).equals(Rational.ZERO));
    assert.ok(a.clamp(Rational.ZERO, Rational.ONE).equals(a));
  });
});

describe('roundToScaled: half away from zero', () => {
  test('the spec examples', () => {
    assert.equal(q('0.005').roundToScaled(2), 1n); // 0.005 → 0.01
    assert.equal(q('-0.005').roundToScaled(2), -1n); // −0.005 → −0.01
    assert.equal(q('0.0049999').roundToScaled(2), 0n); // below the half → 0.00
    assert.equal(q('-0.0049999').roundToScaled(2), 0n);
    // 2.675 is exact here; as a binary double it is 2.67499999… and Number.toFixed gives 2.67.
    assert.equal((2.675).toFixed(2), '2.67');
    assert.equal(q('2.675').roundToScaled(2), 268n);
    assert.equal(q('-2.675').roundToScaled(2), -268n);
    assert.equal(q('12.345').roundToScaled(2), 1235n);
    assert.equal(q('1.0049999999999999999999').roundToScaled(2), 100n);
  });

  test('repeating fractions and other scales', () => {
    assert.equal(Rational.of(1, 3).roundToScaled(2), 33n); // 0.333…
    assert.equal(Rational.of(2, 3).roundToScaled(2), 67n); // 0.666…
    assert.equal(Rational.of(-2, 3).roundToScaled(2), -67n);
    assert.equal(Rational.of(5, 2).roundToScaled(0), 3n); // 2.5 → 3
    assert.equal(Rational.of(-5, 2).roundToScaled(0), -3n); // −2.5 → −3
    assert.equal(Rational.of(7, 3).roundToScaled(0), 2n);
    assert.equal(Rational.of(1, 8).roundToScaled(2), 13n); // 0.125 → 0.13
    assert.equal(Rational.of(1, 16).roundToScaled(3), 63n); // 0.0625 → 0.063
    assert.equal(Rational.of(80640, 57).roundToScaled(2), 141474n); // 1414.736842… → 1414.74
    assert.equal(Rational.of(300400, 57).roundToScaled(2), 527018n); // 5270.175438… → 5270.18
    assert.equal(Rational.ZERO.roundToScaled(4), 0n);
  });

  test('round returns the rounded value as a Rational', () => {
    assertFraction(Rational.of(37, 5).round(2), 37n, 5n); // 7.40 stays 7.4
    assertFraction(Rational.of(4, 3).round(2), 133n, 100n);
    assertFraction(q('7.005').round(2), 701n, 100n);
    assertFraction(q('-7.005').round(2), -701n, 100n);
  });

  test('fen helpers', () => {
    assert.equal(roundToFen(q('22.496')), 2250n); // TV-8: 22,496 × 0.001 → 22.50
    assert.equal(roundToFen(q('-0.005')), -1n);
    assert.equal(formatFen(123456n), '1234.56');
    assert.equal(formatFen(-5n), '-0.05');
    assert.equal(formatFen(0n), '0.00');
    assert.equal(formatFen(7n), '0.07');
  });
});

describe('text output', () => {
  test('toFixed pads and rounds half away from zero', () => {
    assert.equal(q('0.005').toFixed(2), '0.01');
    assert.equal(q('-0.005').toFixed(2), '-0.01');
    assert.equal(q('-0.004').toFixed(2), '0.00'); // rounds to zero: no "-0.00"
    assert.equal(q('2.675').toFixed(2), '2.68');
    assert.equal(q('0.05').toFixed(2), '0.05');
    assert.equal(q('6').toFixed(4), '6.0000');
    assert.equal(Rational.of(1, 3).toFixed(4), '0.3333');
    assert.equal(Rational.of(1000, 63).toFixed(4), '15.8730'); // 15.873015…
    assert.equal(Rational.of(446, 1197).toFixed(6), '0.372598'); // 0.37259816…
    assert.equal(Rational.of(5).toFixed(0), '5');
    assert.equal(Rational.of(-5, 2).toFixed(0), '-3');
    assert.equal(q('-1234.5').toFixed(2), '-1234.50');
  });

  test('toTrimmed drops trailing zeros and a bare point', () => {
    assert.equal(q('4004.5').toTrimmed(4), '4004.5');
    assert.equal(q('14669.25').toTrimmed(4), '14669.25');
    assert.equal(Rational.of(3120).toTrimmed(4), '3120');
    assert.equal(Rational.of(100).toTrimmed(4), '100'); // zeros before the point stay
    assert.equal(Rational.of(10).toTrimmed(4), '10');
    assert.equal(Rational.ZERO.toTrimmed(4), '0');
    assert.equal(Rational.of(1, 3).toTrimmed(4), '0.3333');
    assert.equal(Rational.of(2, 3).toTrimmed(4), '0.6667');
    assert.equal(q('0.00004').toTrimmed(4), '0'); // rounds to 0.0000
    assert.equal(q('0.00005').toTrimmed(4), '0.0001');
    assert.equal(q('2.5').toTrimmed(0), '3');
    assert.equal(Rational.of(120).toTrimmed(0), '120'); // no decimals: nothing is trimmed
  });

  test('toFraction and formatScaled', () => {
    assert.equal(Rational.of(7, 3).toFraction(), '7/3');
    assert.equal(Rational.of(-7, 3).toString(), '-7/3');
    assert.equal(Rational.of(12).toFraction(), '12');
    assert.equal(formatScaled(5n, 3), '0.005');
    assert.equal(formatScaled(-12345n, 2), '-123.45');
    assert.equal(formatScaled(42n, 0), '42');
  });
});

// ---- properties ----

const bigintArb = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
const denArb = fc.bigInt({ min: 1n, max: 10n ** 9n });
const rationalArb = fc.tuple(bigintArb, denArb).map(([n, d]) => Rational.of(n, d));
const nonZeroRationalArb = rationalArb.filter((r) => !r.isZero());

/** Euclid's gcd, for the normal-form check. */
function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * Reference rounding by decimal digits: truncate |x| to decimals + 1 digits and round up when the
 * first dropped digit is 5 or more (that digit is ≥ 5 exactly when the remainder is ≥ half a unit).
 */
function referenceRound(num: bigint, den: bigint, decimals: number): bigint {
  const negative = num < 0n;
  const magnitude = negative ? -num : num;
  const truncated = (magnitude * 10n ** BigInt(decimals + 1)) / den;
  const kept = truncated / 10n;
  const rounded = truncated % 10n >= 5n ? kept + 1n : kept;
  return negative ? -rounded : rounded;
}

describe('properties', () => {
  test('results are in normal form: positive denominator, lowest terms', () => {
    fc.assert(
      fc.property(rationalArb, rationalArb, (a, b) => {
        for (const r of [a, b, a.add(b), a.sub(b), a.mul(b)]) {
          assert.ok(r.den > 0n);
          assert.equal(gcd(r.num, r.den), r.isZero() ? r.den : 1n);
          if (r.isZero()) assert.equal(r.den, 1n);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('(a + b) − b = a', () => {
    fc.assert(fc.property(rationalArb, rationalArb, (a, b) => a.add(b).sub(b).equals(a)), { numRuns: 500 });
  });

  test('a · b / b = a for b ≠ 0', () => {
    fc.assert(fc.property(rationalArb, nonZeroRationalArb, (a, b) => a.mul(b).div(b).equals(a)), { numRuns: 500 });
  });

  test('compare agrees with the sign of the difference and is antisymmetric', () => {
    fc.assert(
      fc.property(rationalArb, rationalArb, (a, b) => {
        assert.equal(a.compare(b), a.sub(b).sign());
        // the sum, not −compare, which is −0 for equal values and strictly unequal to 0
        assert.equal(b.compare(a) + a.compare(b), 0);
      }),
      { numRuns: 300 },
    );
  });

  test('roundToScaled agrees with a digit-by-digit BigInt reference', () => {
    fc.assert(
      fc.property(bigintArb, denArb, fc.integer({ min: 0, max: 6 }), (n, d, decimals) => {
        const r = Rational.of(n, d);
        assert.equal(r.roundToScaled(decimals), referenceRound(n, d, decimals));
      }),
      { numRuns: 1000 },
    );
  });

  test('roundToScaled on exact halves (k + 1/2 units) goes away from zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 4 }), (k, decimals) => {
        // x = (2k + 1) / (2 · 10^decimals): exactly halfway between k and k + 1 units
        const x = Rational.of(2n * k + 1n, 2n * 10n ** BigInt(decimals));
        const expected = 2n * k + 1n > 0n ? k + 1n : k;
        assert.equal(x.roundToScaled(decimals), expected);
        assert.equal(x.neg().roundToScaled(decimals), -expected); // symmetric
      }),
      { numRuns: 300 },
    );
  });

  test('the rounded value is within half a unit and parse(toFixed) is the rounded value', () => {
    fc.assert(
      fc.property(rationalArb, fc.integer({ min: 0, max: 6 }), (r, decimals) => {
        const rounded = r.round(decimals);
        const half = Rational.of(1n, 2n * 10n ** BigInt(decimals));
        assert.ok(rounded.sub(r).compare(half) <= 0);
        assert.ok(r.sub(rounded).compare(half) <= 0);
        assert.ok(Rational.parse(r.toFixed(decimals)).equals(rounded));
        assert.ok(Rational.parse(r.toTrimmed(decimals)).equals(rounded));
      }),
      { numRuns: 500 },
    );
  });
});

// ---- agreement with a plain bigint reference model ----
//
// The engine's Rational may take shortcuts (e.g. a fast path for numbers that fit in doubles).
// Every result must equal the textbook bigint computation, whichever path produced it, so the
// generators deliberately mix small values, values around 2^53 and values far beyond it.

interface Ref {
  n: bigint;
  d: bigint;
}

function refOf(n: bigint, d: bigint): Ref {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return { n: n / g, d: d / g };
}
const refAdd = (a: Ref, b: Ref) => refOf(a.n * b.d + b.n * a.d, a.d * b.d);
const refSub = (a: Ref, b: Ref) => refOf(a.n * b.d - b.n * a.d, a.d * b.d);
const refMul = (a: Ref, b: Ref) => refOf(a.n * b.n, a.d * b.d);
const refDiv = (a: Ref, b: Ref) => refOf(a.n * b.d, a.d * b.n);
const refCompare = (a: Ref, b: Ref) => {
  const left = a.n * b.d;
  const right = b.n * a.d;
  return left < right ? -1 : left > right ? 1 : 0;
};
function refToFixed(a: Ref, decimals: number): string {
  const scaled = referenceRound(a.n, a.d, decimals);
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}
function refToTrimmed(a: Ref, decimals: number): string {
  const text = refToFixed(a, decimals);
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

function assertSame(actual: Rational, expected: Ref, what: string): void {
  assert.equal(actual.num, expected.n, `${what}: numerator`);
  assert.equal(actual.den, expected.d, `${what}: denominator`);
  assert.equal(actual.sign(), expected.n > 0n ? 1 : expected.n < 0n ? -1 : 0, `${what}: sign`);
  assert.equal(actual.isZero(), expected.n === 0n, `${what}: isZero`);
  assert.equal(actual.isInteger(), expected.d === 1n, `${what}: isInteger`);
}

const TWO_53 = 2n ** 53n;
const magnitudeArb = fc.oneof(
  fc.bigInt({ min: 0n, max: 1000n }),
  fc.bigInt({ min: 0n, max: 10n ** 9n }),
  fc.bigInt({ min: TWO_53 - 2000n, max: TWO_53 + 2000n }),
  fc.bigInt({ min: 2n ** 26n - 50n, max: 2n ** 27n + 50n }), // products land around 2^53
  fc.bigInt({ min: 0n, max: 10n ** 30n }),
);
const numeratorArb = fc.tuple(fc.boolean(), magnitudeArb).map(([negative, m]) => (negative ? -m : m));
const denominatorArb = magnitudeArb.map((m) => (m === 0n ? 1n : m));
/** A pair (engine value, reference value), built through of(bigint), of(number) or parse. */
const pairArb = fc.oneof(
  fc.tuple(numeratorArb, denominatorArb).map(([num, den]) => ({ value: Rational.of(num, den), ref: refOf(num, den) })),
  fc
    .tuple(fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }), fc.integer({ min: 1, max: 2 ** 53 - 1 }))
    .map(([num, den]) => ({ value: Rational.of(num, den), ref: refOf(BigInt(num), BigInt(den)) })),
  fc
    .tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,20}$/), fc.stringMatching(/^[0-9]{0,20}$/))
    .map(([negative, whole, fraction]) => {
      const text = `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
      const magnitude = BigInt(whole + fraction);
      return { value: Rational.parse(text), ref: refOf(negative ? -magnitude : magnitude, 10n ** BigInt(fraction.length)) };
    }),
);

describe('agreement with a bigint reference', () => {
  test('construction and parse', () => {
    fc.assert(fc.property(pairArb, ({ value, ref }) => assertSame(value, ref, value.toFraction())), { numRuns: 1000 });
  });

  test('add, sub, mul, div, compare, equals', () => {
    fc.assert(
      fc.property(pairArb, pairArb, (a, b) => {
        assertSame(a.value.add(b.value), refAdd(a.ref, b.ref), 'add');
        assertSame(a.value.sub(b.value), refSub(a.ref, b.ref), 'sub');
        assertSame(a.value.mul(b.value), refMul(a.ref, b.ref), 'mul');
        if (b.ref.n !== 0n) assertSame(a.value.div(b.value), refDiv(a.ref, b.ref), 'div');
        else assert.throws(() => a.value.div(b.value), RangeError);
        assertSame(a.value.neg(), refOf(-a.ref.n, a.ref.d), 'neg');
        assert.equal(a.value.compare(b.value), refCompare(a.ref, b.ref), 'compare');
        assert.equal(a.value.equals(b.value), refCompare(a.ref, b.ref) === 0, 'equals');
        assert.equal(a.value.lt(b.value), refCompare(a.ref, b.ref) < 0, 'lt');
        assert.equal(a.value.gte(b.value), refCompare(a.ref, b.ref) >= 0, 'gte');
      }),
      { numRuns: 1500 },
    );
  });

  test('an operand combined with itself or with its negation', () => {
    fc.assert(
      fc.property(pairArb, ({ value, ref }) => {
        assertSame(value.sub(value), refOf(0n, 1n), 'a − a');
        assertSame(value.add(value.neg()), refOf(0n, 1n), 'a + (−a)');
        assertSame(value.add(value), refAdd(ref, ref), 'a + a');
        assertSame(value.mul(value), refMul(ref, ref), 'a · a');
        if (ref.n !== 0n) assertSame(value.div(value), refOf(1n, 1n), 'a / a');
        assert.ok(value.equals(Rational.of(ref.n, ref.d)));
      }),
      { numRuns: 500 },
    );
  });

  test('rounding and text', () => {
    fc.assert(
      fc.property(pairArb, fc.integer({ min: 0, max: 6 }), ({ value, ref }, decimals) => {
        assert.equal(value.roundToScaled(decimals), referenceRound(ref.n, ref.d, decimals));
        assert.equal(value.toFixed(decimals), refToFixed(ref, decimals));
        assert.equal(value.toTrimmed(decimals), refToTrimmed(ref, decimals));
        assert.equal(value.toFraction(), ref.d === 1n ? `${ref.n}` : `${ref.n}/${ref.d}`);
      }),
      { numRuns: 1000 },
    );
  });

  test('chains of operations stay equal to the reference', () => {
    const opArb = fc.constantFrom('add', 'sub', 'mul', 'div');
    fc.assert(
      fc.property(pairArb, fc.array(fc.tuple(opArb, pairArb), { maxLength: 12 }), (start, steps) => {
        let value = start.value;
        let ref = start.ref;
        for (const [op, operand] of steps) {
          if (op === 'div' && operand.ref.n === 0n) continue;
          value = value[op](operand.value);
          ref = op === 'add' ? refAdd(ref, operand.ref) : op === 'sub' ? refSub(ref, operand.ref) : op === 'mul' ? refMul(ref, operand.ref) : refDiv(ref, operand.ref);
          // keep the reference from growing without bound: stop once it is astronomically large
          if (ref.d > 10n ** 200n || ref.n > 10n ** 200n || ref.n < -(10n ** 200n)) break;
        }
        assertSame(value, ref, 'chain');
      }),
      { numRuns: 500 },
    );
  });
});
