import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatFen, parseYuan } from './fen.ts';

test('parseYuan reads exactly two decimals, signed, and nothing else', () => {
  assert.equal(parseYuan('1234.56'), 123456n);
  assert.equal(parseYuan('-0.05'), -5n);
  assert.equal(parseYuan('0.00'), 0n);
  for (const bad of ['12.5', '12', '1,234.56', '+1.00', '1.234', ' 1.00', '1e2', '', '.50']) assert.equal(parseYuan(bad), null, bad);
});

test('parseYuan is the inverse of formatFen', () => {
  fc.assert(fc.property(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), (fen) => parseYuan(formatFen(fen)) === fen));
});
