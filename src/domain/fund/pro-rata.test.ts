import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { allocateProRata, type Claim } from './pro-rata.ts';

const byId = (allocations: readonly { id: string; amountFen: bigint }[]) => new Map(allocations.map((allocation) => [allocation.id, allocation.amountFen]));

test('a fund that covers the claims pays each claim in full, and no more', () => {
  const claims = [
    { id: 'a', amountFen: 5_000n },
    { id: 'b', amountFen: 3_000n },
    { id: 'c', amountFen: 2_000n },
  ];
  assert.deepEqual(allocateProRata(10_000n, claims), claims);
  assert.deepEqual(allocateProRata(1_000_000n, claims), claims);
});

test('floors first, then one fen each to the largest remainders', () => {
  // 7 among 5 : 3 : 2 (total 10): 35/10 = 3 r 5, 21/10 = 2 r 1, 14/10 = 1 r 4; floors give 6, the
  // one fen left goes to a (remainder 5).
  assert.deepEqual(
    allocateProRata(7n, [
      { id: 'a', amountFen: 5n },
      { id: 'b', amountFen: 3n },
      { id: 'c', amountFen: 2n },
    ]),
    [
      { id: 'a', amountFen: 4n },
      { id: 'b', amountFen: 2n },
      { id: 'c', amountFen: 1n },
    ],
  );
  // 999 among 333 : 333 : 334 (total 1000): 332 r 667, 332 r 667, 333 r 666; the 2 fen left go to
  // x and y, so the largest claim ends up with the same as the others.
  assert.deepEqual(
    allocateProRata(999n, [
      { id: 'z', amountFen: 334n },
      { id: 'y', amountFen: 333n },
      { id: 'x', amountFen: 333n },
    ]),
    [
      { id: 'z', amountFen: 333n },
      { id: 'y', amountFen: 333n },
      { id: 'x', amountFen: 333n },
    ],
  );
});

test('the sample fund: 503,443.79 yuan among 400,000 : 350,000 : 250,000', () => {
  assert.deepEqual(
    allocateProRata(50_344_379n, [
      { id: 'sponsor', amountFen: 40_000_000n },
      { id: 'controller', amountFen: 35_000_000n },
      { id: 'auditor', amountFen: 25_000_000n },
    ]),
    [
      { id: 'sponsor', amountFen: 20_137_751n },
      { id: 'controller', amountFen: 17_620_533n },
      { id: 'auditor', amountFen: 12_586_095n },
    ],
  );
});

test('equal remainders go by id in code-point order, whatever the listing order', () => {
  // 100 among three equal claims of 100: 33 r 100 each, one fen left, to the smallest id.
  const expected = new Map([
    ['a', 34n],
    ['b', 33n],
    ['c', 33n],
  ]);
  for (const order of [['a', 'b', 'c'], ['c', 'b', 'a'], ['b', 'c', 'a']]) {
    assert.deepEqual(byId(allocateProRata(100n, order.map((id) => ({ id, amountFen: 100n })))), expected);
  }
  // U+FF41 comes before U+1F600 by code point, though not by UTF-16 code unit (0xFF41 > 0xD83D).
  assert.deepEqual(
    allocateProRata(1n, [
      { id: '\u{1F600}', amountFen: 1n },
      { id: '\uFF41', amountFen: 1n },
    ]),
    [
      { id: '\u{1F600}', amountFen: 0n },
      { id: '\uFF41', amountFen: 1n },
    ],
  );
  // Upper case before lower case: B (U+0042) before a (U+0061).
  assert.deepEqual(byId(allocateProRata(1n, [{ id: 'a', amountFen: 1n }, { id: 'B', amountFen: 1n }])), new Map([['a', 0n], ['B', 1n]]));
});

test('zero claims get nothing, nothing available gives nothing, no claims give an empty list', () => {
  assert.deepEqual(allocateProRata(5n, [{ id: 'a', amountFen: 0n }, { id: 'b', amountFen: 10n }]), [{ id: 'a', amountFen: 0n }, { id: 'b', amountFen: 5n }]);
  assert.deepEqual(allocateProRata(0n, [{ id: 'a', amountFen: 3n }, { id: 'b', amountFen: 10n }]), [{ id: 'a', amountFen: 0n }, { id: 'b', amountFen: 0n }]);
  assert.deepEqual(allocateProRata(0n, [{ id: 'a', amountFen: 0n }]), [{ id: 'a', amountFen: 0n }]);
  assert.deepEqual(allocateProRata(100n, []), []);
});

test('a caller mistake throws: negative amounts, a claim listed twice, a number instead of fen', () => {
  assert.throws(() => allocateProRata(-1n, [{ id: 'a', amountFen: 1n }]), /available amount must be whole fen ≥ 0, not -1/);
  assert.throws(() => allocateProRata(1n, [{ id: 'a', amountFen: -1n }]), /claim 'a' must be whole fen ≥ 0, not -1/);
  assert.throws(() => allocateProRata(1n, [{ id: 'a', amountFen: 1n }, { id: 'a', amountFen: 2n }]), /claim 'a' is listed twice/);
  assert.throws(() => allocateProRata(1 as never, [{ id: 'a', amountFen: 1n }]), RangeError);
  assert.throws(() => allocateProRata(1n, [{ id: 'a', amountFen: 1.5 as never }]), RangeError);
});

const claimsArb = fc.uniqueArray(fc.record({ id: fc.string({ unit: 'grapheme', maxLength: 4 }), amountFen: fc.oneof(fc.bigInt({ min: 0n, max: 100n }), fc.bigInt({ min: 0n, max: 10n ** 15n })) }), {
  selector: (claim) => claim.id,
  maxLength: 12,
});
const availableArb = fc.oneof(fc.bigInt({ min: 0n, max: 1_000n }), fc.bigInt({ min: 0n, max: 10n ** 16n }));

test('property: the allocations add up to min(available, total), each between zero and its claim, within a fen of its exact share', () => {
  fc.assert(
    fc.property(availableArb, claimsArb, (available, claims: Claim[]) => {
      const allocations = allocateProRata(available, claims);
      const total = claims.reduce((sum, claim) => sum + claim.amountFen, 0n);
      assert.equal(allocations.reduce((sum, allocation) => sum + allocation.amountFen, 0n), available < total ? available : total);
      assert.deepEqual(allocations.map((allocation) => allocation.id), claims.map((claim) => claim.id));
      for (const [index, claim] of claims.entries()) {
        const amount = allocations[index]!.amountFen;
        assert.ok(amount >= 0n && amount <= claim.amountFen);
        if (available < total) {
          // floor(exact) ≤ amount ≤ floor(exact) + 1, where exact = available × claim / total.
          const floor = (available * claim.amountFen) / total;
          assert.ok(amount === floor || amount === floor + 1n);
        }
      }
    }),
    { numRuns: 1000 },
  );
});

test('property: the allocation does not depend on the order in which the claims are listed', () => {
  fc.assert(
    fc.property(
      availableArb,
      claimsArb.chain((claims) => fc.tuple(fc.constant(claims), fc.shuffledSubarray(claims, { minLength: claims.length, maxLength: claims.length }))),
      (available, [claims, shuffled]) => {
        assert.deepEqual(byId(allocateProRata(available, shuffled)), byId(allocateProRata(available, claims)));
      },
    ),
    { numRuns: 1000 },
  );
});

test('property: a larger claim never gets less than a smaller one', () => {
  fc.assert(
    fc.property(availableArb, claimsArb, (available, claims) => {
      const allocations = byId(allocateProRata(available, claims));
      for (const x of claims) {
        for (const y of claims) {
          if (x.amountFen > y.amountFen) assert.ok(allocations.get(x.id)! >= allocations.get(y.id)!);
        }
      }
    }),
    { numRuns: 500 },
  );
});
