import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideResidualReturn, type ClosingFacts } from './closing.ts';

const facts = (over: Partial<ClosingFacts> = {}): ClosingFacts => ({
  today: '2027-03-01', acceptanceClosesOn: '2027-01-22', lateClaimDays: 30, openOffers: 0, disputedOffers: 0, paymentsInFlight: 0, payableFen: 0n, custodyFen: 1_234_56n, ...over,
});
const code = (decision: ReturnType<typeof decideResidualReturn>) => (decision.ok ? decision.residualFen : decision.code);

test('the residual is all of custody once the late-claim period has passed and nothing is owed', () => {
  assert.equal(code(decideResidualReturn(facts())), 1_234_56n);
  // 2027-01-22 + 30 days = 2027-02-21: the last day of late claims; the day after, the fund may close.
  assert.equal(code(decideResidualReturn(facts({ today: '2027-02-21' }))), 'late-claims-open');
  assert.equal(code(decideResidualReturn(facts({ today: '2027-02-22' }))), 1_234_56n);
});

test('anything still open holds the residual back', () => {
  assert.equal(code(decideResidualReturn(facts({ disputedOffers: 1 }))), 'disputes-open');
  assert.equal(code(decideResidualReturn(facts({ openOffers: 2 }))), 'offers-open');
  assert.equal(code(decideResidualReturn(facts({ paymentsInFlight: 1 }))), 'payments-in-flight');
  assert.equal(code(decideResidualReturn(facts({ payableFen: 1n }))), 'payables-outstanding');
  assert.equal(code(decideResidualReturn(facts({ custodyFen: 0n }))), 'nothing-left');
});
