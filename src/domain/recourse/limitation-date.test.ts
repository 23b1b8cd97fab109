import assert from 'node:assert/strict';
import { test } from 'node:test';
import { threeYearsFrom } from './limitation-date.ts';

test('three years from a date is the same month and day three years later', () => {
  assert.equal(threeYearsFrom('2023-04-14'), '2026-04-14');
  assert.equal(threeYearsFrom('2016-06-01'), '2019-06-01');
  assert.equal(threeYearsFrom('2021-12-31'), '2024-12-31');
  assert.equal(threeYearsFrom('2021-01-01'), '2024-01-01');
});

test('29 February has no day three years later and ends on 28 February', () => {
  assert.equal(threeYearsFrom('2024-02-29'), '2027-02-28');
  assert.equal(threeYearsFrom('2020-02-29'), '2023-02-28');
  // 28 February stays 28 February, also into a leap year.
  assert.equal(threeYearsFrom('2021-02-28'), '2024-02-28');
  // A 29 February three years on exists only from a date that is not one: 2025-03-01 → 2028-03-01.
  assert.equal(threeYearsFrom('2025-03-01'), '2028-03-01');
});

test('a date that is not real is refused', () => {
  assert.throws(() => threeYearsFrom('2023-02-29'), RangeError);
  assert.throws(() => threeYearsFrom('2023-4-14'), RangeError);
});
