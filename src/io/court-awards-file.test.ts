import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCourtAwards } from './court-awards-file.ts';

test('court awards: rows in fen, every bad line reported with its reason', () => {
  const { rows, errors } = parseCourtAwards([
    '\uFEFFinvestor,amount,judgment,judgment_date',
    'INV0000007,12345.67,(2027)京74民初88号,2027-05-20',
    ',1.00,(2027)京74民初88号,2027-05-20',
    'INV0000008,12.5,(2027)京74民初88号,2027-05-20',
    'INV0000009,0.00,(2027)京74民初88号,2027-05-20',
    'INV0000010,1.00,,2027-05-20',
    'INV0000011,1.00,(2027)京74民初88号,2027-02-30',
    'INV0000007,1.00,(2027)京74民初88号,2027-05-20',
    'INV0000012,1.00',
    '"INV0000013,1.00,x,2027-05-20',
    'INV0000007,1.00,(2027)京74民初99号,2027-06-01',
  ].join('\r\n'));
  assert.deepEqual(rows.map((row) => [row.line, row.investor, row.amountFen, row.judgment]), [
    [2, 'INV0000007', 1234567n, '(2027)京74民初88号'],
    [11, 'INV0000007', 100n, '(2027)京74民初99号'],
  ]);
  assert.deepEqual(errors.map((error) => error.line), [3, 4, 5, 6, 7, 8, 9, 10]);
  assert.match(errors[5]!.reason, /same judgment and investor as line 2/);
});

test('a file without the header is one error on line 1', () => {
  assert.deepEqual(parseCourtAwards('INV1,1.00,x,2027-01-01\n'), { rows: [], errors: [{ line: 1, reason: 'the header lacks investor, amount, judgment, judgment_date; it must name investor,amount,judgment,judgment_date' }] });
});
