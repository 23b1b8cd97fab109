import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTradeTime, isWeekend, weekdaysBetween } from './calendar-date.ts';

test('weekends: 2022-04-30 was a Saturday and 2019-01-12 (香溢融通\'s disclosure date) too; 2024-01-01 a Monday', () => {
  assert.equal(isWeekend('2022-04-30'), true);
  assert.equal(isWeekend('2022-05-01'), true);
  assert.equal(isWeekend('2019-01-12'), true);
  assert.equal(isWeekend('2024-01-01'), false);
  assert.equal(isWeekend('1970-01-01'), false);
});

test('weekdaysBetween includes both ends and skips Saturdays and Sundays', () => {
  assert.deepEqual(weekdaysBetween('2023-12-29', '2024-01-02'), ['2023-12-29', '2024-01-01', '2024-01-02']);
  assert.deepEqual(weekdaysBetween('2024-01-06', '2024-01-07'), []);
  assert.equal(weekdaysBetween('2024-01-01', '2024-12-31').length, 262);
});

test('trade times: real dates and times of day only', () => {
  assert.equal(isTradeTime('2024-02-29'), true);
  assert.equal(isTradeTime('2023-02-29'), false);
  assert.equal(isTradeTime('2024-02-29T23:59:59'), true);
  assert.equal(isTradeTime('2024-02-29T24:00:00'), false);
  assert.equal(isTradeTime('2024-02-29 10:00:00'), false);
});
