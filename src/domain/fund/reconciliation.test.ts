import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FundPosition } from './fund-position.ts';
import { percent, reconcile, type ReconciliationInput } from './reconciliation.ts';

const ledger = (over: Partial<FundPosition> = {}): FundPosition => ({
  contributedFen: 1_000_000_00n, committedFen: 0n, interestEarnedFen: 123_45n, recoveredFen: 0n, acceptedFen: 600_00n, paidFen: 450_00n, payableFen: 150_00n,
  managementFeeFen: 0n, residualReturnedFen: 0n, treasuryRemittedFen: 0n, custodyFen: 1_000_000_00n + 123_45n - 450_00n, unspentInterestFen: 0n,
  freeFundsFen: 1_000_000_00n + 123_45n - 450_00n - 150_00n, shortfallFen: 0n, offersAccepted: 3, offersPaid: 2, offersPayable: 1, ...over,
});
const offers: ReconciliationInput['offers'] = {
  offered: { count: 1, amountFen: 100_00n }, accepted: { count: 3, amountFen: 600_00n }, refused: { count: 1, amountFen: 200_00n },
  disputed: { count: 1, amountFen: 100_00n }, superseded: { count: 0, amountFen: 0n },
};
const input = (over: Partial<ReconciliationInput> = {}): ReconciliationInput => ({
  computed: { investors: 10, payable: { count: 6, amountFen: 1000_00n } },
  offers,
  runningTallies: offers,
  awards: { count: 0, amountFen: 0n },
  payments: { paid: { count: 2, amountFen: 450_00n }, failed: { count: 1, amountFen: 150_00n } },
  ledger: ledger(),
  ...over,
});

test('a case whose three records agree: shares of the offers made, and every check holds', () => {
  const report = reconcile(input());
  assert.deepEqual(report.offered, { count: 6, amountFen: 1000_00n });
  assert.deepEqual(report.accepted, { count: 3, amountFen: 600_00n, countPercent: '50.00', amountPercent: '60.00' });
  assert.deepEqual(report.paid, { count: 2, amountFen: 450_00n, countPercent: '33.33', amountPercent: '45.00' });
  assert.equal(report.refused.countPercent, '16.67');
  assert.equal(report.balanced, true);
  assert.equal(report.checks.length, 7);
});

test('a difference is named, with both figures', () => {
  const report = reconcile(input({ ledger: ledger({ paidFen: 449_99n, payableFen: 150_01n }) }));
  assert.equal(report.balanced, false);
  const failed = report.checks.filter((entry) => !entry.holds).map((entry) => entry.name);
  assert.deepEqual(failed, ['ledger-paid-matches-payments']);
  assert.match(report.checks.find((entry) => !entry.holds)!.detail.en, /44999 against 45000 — they differ/);
});

test('percentages round half up to two decimals, and of nothing are zero', () => {
  assert.equal(percent(1n, 8n), '12.50');
  assert.equal(percent(1n, 3n), '33.33');
  assert.equal(percent(2n, 3n), '66.67');
  assert.equal(percent(1n, 200000n), '0.00');
  assert.equal(percent(1n, 20000n), '0.01');
  assert.equal(percent(0n, 0n), '0.00');
});

test('running tallies that drift from the offers themselves are named', () => {
  const report = reconcile(input({ runningTallies: { ...offers, accepted: { count: 3, amountFen: 600_01n } } }));
  assert.equal(report.balanced, false);
  assert.deepEqual(report.checks.filter((entry) => !entry.holds).map((entry) => entry.name), ['running-tallies-match-offers']);
});
