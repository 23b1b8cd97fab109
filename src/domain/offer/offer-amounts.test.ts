import assert from 'node:assert/strict';
import { test } from 'node:test';
import { offerAmounts } from './offer-amounts.ts';

const computed = [
  { investor: 'A', amountFen: 50000n },
  { investor: 'B', amountFen: 30000n },
  { investor: 'C', amountFen: 20001n },
];

test('a fund that covers the total offers the computed amounts, whatever the rule', () => {
  assert.deepEqual(offerAmounts(computed, 100001n, 'pro-rata'), { proRata: false, offers: computed });
  assert.deepEqual(offerAmounts(computed, 1n, 'top-up'), { proRata: false, offers: computed });
});

test('pro rata by largest remainder: 600.00 among claims of 1000.01', () => {
  // 60000 × 50000 / 100001 = 29999.70, × 30000 → 17999.82, × 20001 → 12000.48: floors 59998,
  // the 2 fen left go to the largest remainders, B (.82) then A (.70).
  assert.deepEqual(offerAmounts(computed, 60000n, 'pro-rata'), {
    proRata: true,
    offers: [{ investor: 'A', amountFen: 30000n }, { investor: 'B', amountFen: 18000n }, { investor: 'C', amountFen: 12000n }],
  });
});

test('a share of nothing is no offer', () => {
  assert.deepEqual(offerAmounts(computed, 1n, 'pro-rata'), { proRata: true, offers: [{ investor: 'A', amountFen: 1n }] });
  assert.deepEqual(offerAmounts(computed, 0n, 'pro-rata'), { proRata: true, offers: [] });
});
