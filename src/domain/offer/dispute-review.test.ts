import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reviewDispute } from './dispute-review.ts';
import type { Offer } from './offer-decision.ts';

const disputed: Offer & { runId: string } = {
  offerId: 'offer-1', investor: 'INV1', amountFen: 100_00n, planVersion: 1, agreementSha256: 'a'.repeat(64), status: 'disputed',
  window: { opensOn: '2027-01-04', closesOn: '2027-01-22' }, runId: 'run-1',
};

test('an upheld offer is open again, with at least the late-claim period to answer', () => {
  assert.deepEqual(reviewDispute(disputed, { kind: 'upheld', note: '数据无误' }, '2027-01-10', 15), { ok: true, old: { status: 'offered', closesOn: '2027-01-25' }, replacement: null });
  // Reviewed early: the window already gives more time than the late-claim period.
  assert.deepEqual(reviewDispute(disputed, { kind: 'upheld', note: '数据无误' }, '2027-01-05', 15), { ok: true, old: { status: 'offered', closesOn: '2027-01-22' }, replacement: null });
});

test('a correction replaces the offer with the recomputed amount, or with none when nothing is payable', () => {
  assert.deepEqual(reviewDispute(disputed, { kind: 'corrected', note: '补入漏计的买入', recomputed: { runId: 'run-2', amountFen: 123_45n } }, '2027-01-30', 15), {
    ok: true, old: { status: 'superseded', closesOn: '2027-01-22' }, replacement: { amountFen: 123_45n, closesOn: '2027-02-14', runId: 'run-2' },
  });
  const none = reviewDispute(disputed, { kind: 'corrected', note: '该账户不属于投资者', recomputed: { runId: 'run-2', amountFen: null } }, '2027-01-30', 15);
  assert.deepEqual(none, { ok: true, old: { status: 'superseded', closesOn: '2027-01-22' }, replacement: null });
});

test('refusals: no dispute, no reason, or a correction on the disputed run itself', () => {
  const code = (outcome: ReturnType<typeof reviewDispute>) => (outcome.ok ? 'ok' : outcome.code);
  assert.equal(code(reviewDispute({ ...disputed, status: 'offered' }, { kind: 'upheld', note: 'x' }, '2027-01-10', 15)), 'not-disputed');
  assert.equal(code(reviewDispute(disputed, { kind: 'upheld', note: ' ' }, '2027-01-10', 15)), 'note-required');
  assert.equal(code(reviewDispute(disputed, { kind: 'corrected', note: 'x', recomputed: { runId: 'run-1', amountFen: 1n } }, '2027-01-10', 15)), 'same-run');
});
