import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Rational } from './rational.ts';

/**
 * Rational keeps small values in doubles and large ones in bigint. These properties check that
 * every operation gives exactly what plain bigint fraction arithmetic gives, across the border
 * between the two forms (values near 2^53, products that overflow it, results that fit again).
 */
type Fraction = { num: bigint; den: bigint };

function reduce(num: bigint, den: bigint): Fraction {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  let a = num < 0n ? -num : num;
  let b = den;
  while (b !== 0n) [a, b] = [b, a % b];
  const g = a === 0n ? den : a;
  return { num: num / g, den: den / g };
}

const reference = {
  add: (x: Fraction, y: Fraction) => reduce(x.num * y.den + y.num * x.den, x.den * y.den),
  sub: (x: Fraction, y: Fraction) => reduce(x.num * y.den - y.num * x.den, x.den * y.den),
  mul: (x: Fraction, y: Fraction) => reduce(x.num * y.num, x.den * y.den),
  div: (x: Fraction, y: Fraction) => reduce(x.num * y.den, x.den * y.num),
};

const LIMIT = 2n ** 53n;
/** Integers clustered around 0, around 2^53 and far beyond, so both forms and the border are hit. */
const integer = fc.oneof(
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.bigInt({ min: LIMIT - 1000n, max: LIMIT + 1000n }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
);
const positive = integer.map((value) => (value === 0n ? 1n : value < 0n ? -value : value));
const fraction = fc.tuple(integer, positive).map(([num, den]) => reduce(num, den));

const toRational = (value: Fraction) => Rational.of(value.num, value.den);
const same = (actual: Rational, expected: Fraction) => {
  assert.equal(actual.num, expected.num);
  assert.equal(actual.den, expected.den);
};

describe('Rational gives the results of bigint fraction arithmetic', () => {
  for (const operation of ['add', 'sub', 'mul'] as const) {
    it(operation, () => {
      fc.assert(
        fc.property(fraction, fraction, (x, y) => same(toRational(x)[operation](toRational(y)), reference[operation](x, y))),
        { numRuns: 3000 },
      );
    });
  }

  it('div', () => {
    fc.assert(
      fc.property(fraction, fraction.filter((y) => y.num !== 0n), (x, y) => same(toRational(x).div(toRational(y)), reference.div(x, y))),
      { numRuns: 3000 },
    );
  });

  it('compare and equals', () => {
    fc.assert(
      fc.property(fraction, fraction, (x, y) => {
        const difference = x.num * y.den - y.num * x.den;
        assert.equal(toRational(x).compare(toRational(y)), difference < 0n ? -1 : difference > 0n ? 1 : 0);
        assert.equal(toRational(x).equals(toRational(y)), difference === 0n);
      }),
      { numRuns: 3000 },
    );
  });

  it('a chain of operations ends where the reference ends, whichever form it passed through', () => {
    const step = fc.tuple(fc.constantFrom('add', 'sub', 'mul', 'div'), fraction);
    fc.assert(
      fc.property(fraction, fc.array(step, { maxLength: 12 }), (start, steps) => {
        let actual = toRational(start);
        let expected = start;
        for (const [operation, operand] of steps) {
          if (operation === 'div' && operand.num === 0n) continue;
          actual = actual[operation](toRational(operand));
          expected = reference[operation](expected, operand);
        }
        same(actual, expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('parse gives the same value in both forms', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 25n }), fc.integer({ min: 0, max: 12 }), (digits, decimals) => {
        const text = digits.toString().padStart(decimals + 1, '0');
        const literal = decimals === 0 ? text : `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
        same(Rational.parse(literal), reduce(digits, 10n ** BigInt(decimals)));
      }),
      { numRuns: 2000 },
    );
  });

  it('rounds half away from zero at the fen in both forms', () => {
    fc.assert(
      fc.property(fraction, (x) => {
        const scaled = x.num * 100n;
        const magnitude = scaled < 0n ? -scaled : scaled;
        const quotient = magnitude / x.den;
        const rounded = (magnitude - quotient * x.den) * 2n >= x.den ? quotient + 1n : quotient;
        assert.equal(toRational(x).roundToScaled(2), scaled < 0n ? -rounded : rounded);
      }),
      { numRuns: 3000 },
    );
  });
});
