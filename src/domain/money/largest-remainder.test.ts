import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { apportionFen } from './largest-remainder.ts';

test('the leftover fen go to the largest remainders', () => {
  // 1000 fen in 1:2:4 → quotas 142.857…, 285.714…, 571.428…: floors 142 + 285 + 571 = 998, and the
  // two fen left go to remainders .857 and .714.
  assert.deepEqual(
    apportionFen(1000n, [
      { id: 'a', weight: 1n },
      { id: 'b', weight: 2n },
      { id: 'c', weight: 4n },
    ]),
    [143n, 286n, 571n],
  );
});

test('equal remainders go in code-point order of id, whatever the input order', () => {
  const weights = [
    { id: 'z', weight: 1n },
    { id: 'b', weight: 1n },
    { id: 'm', weight: 1n },
  ];
  assert.deepEqual(apportionFen(10_000n, weights), [3333n, 3334n, 3333n]);
  assert.deepEqual(apportionFen(2n, weights), [0n, 1n, 1n]);
  // U+FFFD sorts before U+1F600 by code point, though its UTF-16 unit is larger.
  assert.deepEqual(
    apportionFen(1n, [
      { id: '\u{1F600}', weight: 1n },
      { id: '\uFFFD', weight: 1n },
    ]),
    [0n, 1n],
  );
});

test('a zero weight gets nothing, and nothing divides into nothing', () => {
  assert.deepEqual(
    apportionFen(5n, [
      { id: 'a', weight: 0n },
      { id: 'b', weight: 3n },
      { id: 'c', weight: 3n },
    ]),
    [0n, 3n, 2n],
  );
  assert.deepEqual(apportionFen(0n, [{ id: 'a', weight: 0n }]), [0n]);
  assert.deepEqual(apportionFen(0n, [{ id: 'a', weight: 7n }]), [0n]);
  assert.deepEqual(apportionFen(0n, []), []);
});

test('defects in the input throw', () => {
  assert.throws(() => apportionFen(-1n, [{ id: 'a', weight: 1n }]), RangeError);
  assert.throws(() => apportionFen(1n, [{ id: 'a', weight: -1n }]), RangeError);
  assert.throws(() => apportionFen(1n, [{ id: 'a', weight: 0n }]), RangeError);
  assert.throws(() => apportionFen(1n, []), RangeError);
  assert.throws(
    () =>
      apportionFen(1n, [
        { id: 'a', weight: 1n },
        { id: 'a', weight: 1n },
      ]),
    RangeError,
  );
});

const weightsArbitrary = fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), weight: fc.bigInt({ min: 0n, max: 10n ** 15n }) }), {
  minLength: 1,
  maxLength: 8,
  selector: (entry) => entry.id,
});

test('parts add up to the total, each is its quota rounded down or up, and order does not matter', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 10n ** 14n }), weightsArbitrary, fc.nat(), (total, weights, rotation) => {
      fc.pre(weights.some((entry) => entry.weight > 0n));
      const parts = apportionFen(total, weights);
      const sum = weights.reduce((acc, entry) => acc + entry.weight, 0n);
      assert.equal(
        parts.reduce((acc, part) => acc + part, 0n),
        total,
      );
      parts.forEach((part, index) => {
        const product = total * weights[index]!.weight;
        const floor = product / sum;
        const ceiling = product % sum === 0n ? floor : floor + 1n;
        assert.ok(part >= floor && part <= ceiling, `${part} not within [${floor}, ${ceiling}]`);
      });
      const shift = rotation % weights.length;
      const rotated = [...weights.slice(shift), ...weights.slice(0, shift)];
      const rotatedParts = apportionFen(total, rotated);
      const byId = new Map(rotated.map((entry, index) => [entry.id, rotatedParts[index]]));
      weights.forEach((entry, index) => assert.equal(byId.get(entry.id), parts[index]));
    }),
  );
});
