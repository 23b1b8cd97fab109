import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyResults, approveBatch, batchTotalFen, prepareBatch, sendBatch, type PayableOffer, type PaymentBatch } from './payment-batch.ts';

const route = (reference: string) => ({ kind: 'securities-account' as const, reference });
const offers: PayableOffer[] = [
  { offerId: 'o-3', investor: 'INV3', amountFen: 30000n, lastAttempt: null, route: route('0300') },
  { offerId: 'o-1', investor: 'INV1', amountFen: 123456n, lastAttempt: null, route: route('0100') },
  { offerId: 'o-2', investor: 'INV2', amountFen: 99n, lastAttempt: { attempt: 1, status: 'paid' }, route: route('0200') },
  { offerId: 'o-4', investor: 'INV4', amountFen: 5000n, lastAttempt: { attempt: 1, status: 'failed' }, route: { kind: 'bank-account', reference: '6222-0001' } },
  { offerId: 'o-5', investor: 'INV5', amountFen: 700n, lastAttempt: { attempt: 2, status: 'sent' }, route: route('0500') },
  { offerId: 'o-6', investor: 'INV6', amountFen: 800n, lastAttempt: { attempt: 1, status: 'failed' }, route: null },
];
const prepared = (): PaymentBatch => {
  const decided = prepareBatch({ batchId: 'b-1', caseId: 'c', preparedBy: 'admin-a', today: '2027-01-25', windowClosesOn: '2027-01-22', offers });
  assert.ok(decided.ok);
  return decided.value;
};

test('a batch takes the offers never tried and the failed ones with a new route, in investor order', () => {
  const batch = prepared();
  assert.deepEqual(batch.items.map((item) => [item.offerId, item.attempt, item.route.kind]), [['o-1', 1, 'securities-account'], ['o-3', 1, 'securities-account'], ['o-4', 2, 'bank-account']]);
  assert.equal(batchTotalFen(batch), 123456n + 30000n + 5000n);
  // Paid (o-2) and in-flight (o-5) offers are never paid again; o-6 waits for a route.
});

test('no batch while the window is open, nor an empty one', () => {
  const open = prepareBatch({ batchId: 'b', caseId: 'c', preparedBy: 'a', today: '2027-01-22', windowClosesOn: '2027-01-22', offers });
  assert.equal(open.ok ? null : open.refusal.code, 'window-open');
  const empty = prepareBatch({ batchId: 'b', caseId: 'c', preparedBy: 'a', today: '2027-01-25', windowClosesOn: '2027-01-22', offers: [offers[2]!] });
  assert.equal(empty.ok ? null : empty.refusal.code, 'nothing-to-pay');
});

test('two people: the preparer cannot approve; only an approved batch is sent', () => {
  const batch = prepared();
  const self = approveBatch(batch, 'admin-a');
  assert.equal(self.ok ? null : self.refusal.code, 'same-person');
  const unsent = sendBatch(batch);
  assert.equal(unsent.ok ? null : unsent.refusal.code, 'wrong-status');
  const approved = approveBatch(batch, 'admin-b');
  assert.ok(approved.ok);
  assert.equal(approved.value.approvedBy, 'admin-b');
  const twice = approveBatch(approved.value, 'admin-c');
  assert.equal(twice.ok ? null : twice.refusal.code, 'wrong-status');
});

test('results settle each item once; a repeat changes nothing, a contradiction is refused', () => {
  const approved = approveBatch(prepared(), 'admin-b');
  assert.ok(approved.ok);
  const sent = sendBatch(approved.value);
  assert.ok(sent.ok);
  const first = applyResults(sent.value, [{ offerId: 'o-1', amountFen: 123456n, outcome: 'paid', reason: null }, { offerId: 'o-3', amountFen: 30000n, outcome: 'failed', reason: '账户已销户 / account closed' }]);
  assert.ok(first.ok);
  assert.equal(first.value.batch.status, 'sent', 'o-4 has no result yet');
  assert.deepEqual(first.value.changed.map((item) => [item.offerId, item.status]), [['o-1', 'paid'], ['o-3', 'failed']]);
  const again = applyResults(first.value.batch, [{ offerId: 'o-1', amountFen: 123456n, outcome: 'paid', reason: null }]);
  assert.ok(again.ok);
  assert.deepEqual(again.value.changed, []);
  const conflict = applyResults(first.value.batch, [{ offerId: 'o-1', amountFen: 123456n, outcome: 'failed', reason: 'x' }]);
  assert.equal(conflict.ok ? null : conflict.refusal.code, 'result-conflict');
  const wrongAmount = applyResults(first.value.batch, [{ offerId: 'o-4', amountFen: 5001n, outcome: 'paid', reason: null }]);
  assert.equal(wrongAmount.ok ? null : wrongAmount.refusal.code, 'amount-mismatch');
  const unknown = applyResults(first.value.batch, [{ offerId: 'o-9', amountFen: 1n, outcome: 'paid', reason: null }]);
  assert.equal(unknown.ok ? null : unknown.refusal.code, 'unknown-item');
  const last = applyResults(first.value.batch, [{ offerId: 'o-4', amountFen: 5000n, outcome: 'paid', reason: null }]);
  assert.ok(last.ok);
  assert.equal(last.value.batch.status, 'settled');
});

test('property: whatever the history, a batch never holds an offer that is paid or in flight, and each offer once', () => {
  const status = fc.constantFrom('pending', 'sent', 'paid', 'failed') as fc.Arbitrary<'pending' | 'sent' | 'paid' | 'failed'>;
  const offer = fc.record({
    offerId: fc.string({ minLength: 1, maxLength: 6 }),
    investor: fc.string({ minLength: 1, maxLength: 6 }),
    amountFen: fc.bigInt({ min: 1n, max: 10n ** 12n }),
    lastAttempt: fc.option(fc.record({ attempt: fc.integer({ min: 1, max: 5 }), status })),
    route: fc.option(fc.record({ kind: fc.constant('securities-account' as const), reference: fc.string({ minLength: 1, maxLength: 4 }) })),
  });
  fc.assert(
    fc.property(fc.uniqueArray(offer, { selector: (item) => item.offerId, maxLength: 30 }), (candidates) => {
      const decided = prepareBatch({ batchId: 'b', caseId: 'c', preparedBy: 'a', today: '2027-02-01', windowClosesOn: '2027-01-22', offers: candidates });
      const due = candidates.filter((item) => (item.lastAttempt === null || item.lastAttempt.status === 'failed') && item.route !== null);
      if (!decided.ok) return due.length === 0;
      const ids = decided.value.items.map((item) => item.offerId);
      return new Set(ids).size === ids.length && ids.length === due.length && due.every((item) => ids.includes(item.offerId));
    }),
  );
});
