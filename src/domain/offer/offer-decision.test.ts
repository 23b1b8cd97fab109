import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideOfferAnswer, type Offer, type OfferAnswer } from './offer-decision.ts';

const AGREEMENT = 'a'.repeat(64);
const offer = (status: Offer['status'] = 'offered'): Offer => ({
  offerId: 'offer-1', investor: 'INV0000013', amountFen: 1234567n, planVersion: 1, agreementSha256: AGREEMENT, status,
  window: { opensOn: '2027-01-04', closesOn: '2027-01-22' },
});
const answer = (kind: OfferAnswer['kind'], extra: Partial<OfferAnswer> = {}): OfferAnswer => ({ kind, channel: 'portal', agreementSha256: AGREEMENT, ...extra });
const code = (decision: ReturnType<typeof decideOfferAnswer>) => (decision.ok ? decision.status : decision.code);

test('an open offer is accepted, refused or disputed within the window, on its first and last day', () => {
  assert.deepEqual(decideOfferAnswer(offer(), answer('accept'), '2027-01-04'), { ok: true, status: 'accepted', firstTime: true });
  assert.deepEqual(decideOfferAnswer(offer(), answer('refuse'), '2027-01-22'), { ok: true, status: 'refused', firstTime: true });
  assert.deepEqual(decideOfferAnswer(offer(), answer('dispute', { reason: '漏计一笔买入' }), '2027-01-10'), { ok: true, status: 'disputed', firstTime: true });
});

test('outside the window nothing is taken', () => {
  assert.equal(code(decideOfferAnswer(offer(), answer('accept'), '2027-01-03')), 'window-not-open');
  assert.equal(code(decideOfferAnswer(offer(), answer('accept'), '2027-01-23')), 'window-closed');
});

test('an acceptance binds the agreement the offer carries, and a dispute needs a reason', () => {
  assert.equal(code(decideOfferAnswer(offer(), answer('accept', { agreementSha256: 'b'.repeat(64) }), '2027-01-05')), 'agreement-mismatch');
  assert.equal(code(decideOfferAnswer(offer(), answer('dispute', { reason: '  ' }), '2027-01-05')), 'reason-required');
  // Refusing needs no agreement: the investor keeps the right to sue whatever text it read.
  assert.equal(code(decideOfferAnswer(offer(), answer('refuse', { agreementSha256: 'b'.repeat(64) }), '2027-01-05')), 'refused');
});

test('the same answer again is a harmless repetition; another answer is refused', () => {
  assert.deepEqual(decideOfferAnswer(offer('accepted'), answer('accept'), '2027-01-05'), { ok: true, status: 'accepted', firstTime: false });
  // A repetition is recognised even after the window, so a late retry of an acceptance is not an error.
  assert.deepEqual(decideOfferAnswer(offer('refused'), answer('refuse'), '2027-02-01'), { ok: true, status: 'refused', firstTime: false });
  assert.equal(code(decideOfferAnswer(offer('accepted'), answer('refuse'), '2027-01-05')), 'already-answered');
  assert.equal(code(decideOfferAnswer(offer('refused'), answer('accept'), '2027-01-05')), 'already-answered');
  assert.equal(code(decideOfferAnswer(offer('disputed'), answer('accept'), '2027-01-05')), 'under-review');
  assert.equal(code(decideOfferAnswer(offer('superseded'), answer('accept'), '2027-01-05')), 'superseded');
});
