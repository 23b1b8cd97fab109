import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daysLeft, limitDate } from './time-limit.ts';

test('the limit date keeps the day of the month', () => {
  assert.equal(limitDate('2026-01-16', 3), '2026-04-16');
  assert.equal(limitDate('2026-10-15', 3), '2027-01-15');
  assert.equal(limitDate('2026-03-01', 1), '2026-04-01');
});

test('a day the target month lacks becomes its last day', () => {
  assert.equal(limitDate('2026-11-30', 3), '2027-02-28');
  assert.equal(limitDate('2027-11-30', 3), '2028-02-29'); // 2028 is a leap year
  assert.equal(limitDate('2026-11-29', 3), '2027-02-28');
  assert.equal(limitDate('2026-01-31', 3), '2026-04-30');
  assert.equal(limitDate('2026-01-31', 1), '2026-02-28');
  assert.equal(limitDate('2026-03-31', 2), '2026-05-31');
  assert.equal(limitDate('2026-12-31', 2), '2027-02-28');
  assert.equal(limitDate('2099-11-30', 3), '2100-02-28'); // 2100 is not a leap year
  assert.equal(limitDate('2399-11-30', 3), '2400-02-29'); // 2400 is
});

test('a month end that exists in the target month is kept, not moved to that month’s end', () => {
  // Opened on 28 February: three months later is 28 May, not 31 May.
  assert.equal(limitDate('2026-02-28', 3), '2026-05-28');
  assert.equal(limitDate('2028-02-29', 3), '2028-05-29');
});

test('limitDate refuses what is not a date or a whole number of months', () => {
  assert.throws(() => limitDate('2026-02-30', 3), /not a date/);
  assert.throws(() => limitDate('2026-01-16', 1.5), /whole months/);
  assert.throws(() => limitDate('2026-01-16', -1), /whole months/);
});

test('days left count calendar days to the limit date: 0 on it, negative after', () => {
  // 15 days left in January after the 16th, 28 in February, 31 in March, 16 in April.
  assert.equal(daysLeft('2026-01-16', '2026-04-16'), 90);
  assert.equal(daysLeft('2026-04-16', '2026-04-16'), 0);
  assert.equal(daysLeft('2026-04-18', '2026-04-16'), -2);
  assert.equal(daysLeft('2027-12-31', '2028-01-01'), 1);
});
