import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AMOUNT_COLUMNS, type AmountColumn } from '../io/compensation-csv.ts';
import { ResultTally } from './result-tally.ts';

const amountsOf = (value: number | bigint) => Object.fromEntries(AMOUNT_COLUMNS.map((column) => [column, value])) as Record<AmountColumn, number | bigint>;

describe('ResultTally', () => {
  test('sums past 2^53 exactly, whether amounts come as numbers or bigints', () => {
    const tally = new ResultTally();
    const max = Number.MAX_SAFE_INTEGER;
    tally.add('payable', amountsOf(max));
    tally.add('payable', amountsOf(max));
    tally.add('zero', amountsOf(-3));
    tally.add('payable', amountsOf(10n ** 20n));
    tally.add('payable', amountsOf(1));
    assert.equal(tally.totals.total, 2n * BigInt(max) - 3n + 10n ** 20n + 1n);
    assert.deepEqual(tally.counts, { payable: 4, zero: 1, ineligible: 0, rejected: 0 });
  });

  test('any mix of safe numbers and bigints totals as bigints would, in any order, and merges', () => {
    const amount = fc.oneof(
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      fc.maxSafeInteger(),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
    );
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 60 }), fc.nat(60), (amounts, cut) => {
        const expected = amounts.reduce<bigint>((sum, value) => sum + BigInt(value), 0n);
        const whole = new ResultTally();
        for (const value of amounts) whole.add('payable', amountsOf(value));
        const first = new ResultTally();
        const second = new ResultTally();
        amounts.forEach((value, i) => (i < cut ? first : second).add('payable', amountsOf(value)));
        first.merge({ counts: second.counts, totals: second.totals });
        for (const tally of [whole, first]) {
          for (const column of AMOUNT_COLUMNS) assert.equal(tally.totals[column], expected);
          assert.equal(tally.counts.payable, amounts.length);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
