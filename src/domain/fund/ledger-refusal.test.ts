import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  commitmentReceived,
  contributionReceived,
  interestCredited,
  managementFeeCharged,
  offerAccepted,
  paymentReturned,
  paymentSent,
  recoveryReceived,
  residualReturned,
  reversalOf,
  treasuryRemitted,
} from './ledger-rules.ts';
import { LEDGER_REFUSAL_CODES, type LedgerRefusal, type LedgerRefusalCode } from './ledger-refusal.ts';
import { applyTransaction, emptyLedger, type LedgerState } from './ledger-state.ts';
import type { LedgerTransaction, Posting } from './ledger-transaction.ts';
import { SAMPLE_FUND_ID, SAMPLE_OFFERS, SAMPLE_TRANSACTIONS } from './sample-fund.ts';

/*
 * Every refusal code, each from a realistic mistake. A refused transaction must leave the state
 * exactly as it was; the last test checks that every code was produced.
 */

const seen = new Set<LedgerRefusalCode>();
const F = SAMPLE_FUND_ID;

function build(transactions: readonly LedgerTransaction[]): LedgerState {
  let state = emptyLedger(F);
  for (const tx of transactions) {
    const result = applyTransaction(state, tx);
    assert.ok(result.ok, `${tx.id}: ${result.ok ? '' : result.refusal.message.en}`);
    state = result.state;
  }
  return state;
}

const sampleThrough = (id: string) => build(SAMPLE_TRANSACTIONS.slice(0, SAMPLE_TRANSACTIONS.findIndex((tx) => tx.id === id) + 1));

function refused(code: LedgerRefusalCode, state: LedgerState, tx: LedgerTransaction): LedgerRefusal {
  const snapshot = structuredClone(state);
  const result = applyTransaction(state, tx);
  assert.equal(result.ok, false, `${tx.id} was accepted, expected ${code}`);
  if (result.ok) throw new Error('unreachable');
  assert.equal(result.refusal.code, code, result.refusal.message.en);
  assert.ok(result.refusal.message.zh.length > 0 && result.refusal.message.en.length > 0);
  assert.deepEqual(state, snapshot);
  seen.add(code);
  return result.refusal;
}

const deposit = (id: string, amountFen: bigint, on = '2026-02-02', funderId = 'funder-a') => contributionReceived({ id, fundId: F, on, funderId, amountFen });
const funded = build([deposit('d1', 100_000n)]);
const offer = { offerId: 'offer-1', investor: 'inv-1' };
/** A raw transaction of `kind`, for the mistakes no builder makes. */
const raw = (kind: LedgerTransaction['kind'], postings: Posting[], extra: Partial<LedgerTransaction> = {}): LedgerTransaction => ({ id: 'raw', fundId: F, kind, on: '2026-02-03', memo: '', postings, ...extra });

test('malformed transactions', () => {
  const good = deposit('d2', 1n, '2026-02-03');
  refused('malformed', funded, { ...good, id: '' });
  refused('malformed', funded, { ...good, id: ' d2' });
  refused('malformed', funded, { ...good, fundId: '' });
  refused('malformed', funded, { ...good, kind: 'gift' as never });
  refused('malformed', funded, { ...good, on: '2026-02-30' });
  refused('malformed', funded, { ...good, on: '2026-2-3' });
  refused('malformed', funded, { ...good, memo: 7 as never });
  refused('malformed', funded, { ...good, postings: [] });
  refused('malformed', funded, { ...good, postings: [{ account: 'custody-cash', amountFen: 100 as never }, { account: 'funder-contributions', amountFen: -100n, funderId: 'f' }] });
  refused('malformed', funded, { ...good, postings: [{ account: 'custody-cash', amountFen: 1n }, { account: 'funder-contributions', amountFen: -1n, funderId: '' }] });
  refused('malformed', funded, { ...good, postings: [null as never] });
  const message = refused('malformed', funded, { ...good, kind: 'gift' as never }).message;
  assert.match(message.en, /there is no kind gift; it is one of contribution-received, .*, reversal/);
});

test('postings that do not balance, are zero, or name no account', () => {
  assert.equal(
    refused('unbalanced', funded, raw('contribution-received', [{ account: 'custody-cash', amountFen: 100n }, { account: 'funder-contributions', amountFen: -99n, funderId: 'f' }])).message.en,
    'the postings sum to 0.01 yuan, not zero',
  );
  refused('unbalanced', funded, raw('interest-credited', [{ account: 'custody-cash', amountFen: 100n }]));
  refused('zero-posting', funded, raw('interest-credited', [{ account: 'custody-cash', amountFen: 0n }, { account: 'interest-earned', amountFen: 0n }]));
  refused('zero-posting', funded, interestCredited({ id: 'i', fundId: F, on: '2026-02-03', amountFen: 0n }));
  refused('unknown-account', funded, raw('management-fee-charged', [{ account: 'petty-cash' as never, amountFen: 5n }, { account: 'custody-cash', amountFen: -5n }]));
});

test('a kind moves only its own accounts, in its own direction', () => {
  // A fee paid out of interest: the kind credits custody only.
  refused('flow-not-allowed', funded, raw('management-fee-charged', [{ account: 'management-fee', amountFen: 5n }, { account: 'interest-earned', amountFen: -5n }]));
  // A negative contribution is a withdrawal, not a contribution: correct with a reversal.
  const message = refused('flow-not-allowed', funded, contributionReceived({ id: 'neg', fundId: F, on: '2026-02-03', funderId: 'funder-a', amountFen: -5n })).message;
  assert.equal(message.en, 'contribution received debits only custody cash and credits only funders\' contributions; posting 1 is a credit to custody cash');
  assert.equal(message.zh, '出资到账只能借记托管账户资金、贷记出资人出资；第 1 笔分录贷记托管账户资金');
  // Payment straight to compensation, skipping the payable.
  refused('flow-not-allowed', funded, raw('payment-sent', [{ account: 'compensation', amountFen: 5n, ...offer }, { account: 'custody-cash', amountFen: -5n }]));
});

test('references: each account keeps its own sub-ledger', () => {
  refused('reference-mismatch', funded, raw('contribution-received', [{ account: 'custody-cash', amountFen: 5n }, { account: 'funder-contributions', amountFen: -5n }]));
  refused('reference-mismatch', funded, raw('offer-accepted', [{ account: 'compensation', amountFen: 5n, offerId: 'o' }, { account: 'investor-payables', amountFen: -5n, offerId: 'o' }]));
  refused('reference-mismatch', funded, raw('recovery-received', [{ account: 'custody-cash', amountFen: 5n }, { account: 'recoveries', amountFen: -5n, funderId: 'funder-a' }]));
  const message = refused('reference-mismatch', funded, raw('payment-sent', [{ account: 'investor-payables', amountFen: 5n, ...offer }, { account: 'custody-cash', amountFen: -5n, ...offer }])).message;
  assert.equal(message.en, 'posting 2: custody cash takes no offer or investor');
  refused('reference-mismatch', funded, raw('interest-credited', [{ account: 'custody-cash', amountFen: 5n, partyId: 'p' }, { account: 'interest-earned', amountFen: -5n }]));
});

test('one offer per transaction', () => {
  refused(
    'one-offer-per-transaction',
    funded,
    raw('offer-accepted', [
      { account: 'compensation', amountFen: 5n, offerId: 'o1', investor: 'i1' },
      { account: 'investor-payables', amountFen: -5n, offerId: 'o1', investor: 'i1' },
      { account: 'compensation', amountFen: 7n, offerId: 'o2', investor: 'i2' },
      { account: 'investor-payables', amountFen: -7n, offerId: 'o2', investor: 'i2' },
    ]),
  );
  // The same offer under two investors.
  refused('one-offer-per-transaction', funded, raw('offer-accepted', [{ account: 'compensation', amountFen: 5n, offerId: 'o1', investor: 'i1' }, { account: 'investor-payables', amountFen: -5n, offerId: 'o1', investor: 'i2' }]));
});

test('reverses is present on a reversal and only there', () => {
  const fee = managementFeeCharged({ id: 'fee', fundId: F, on: '2026-02-03', amountFen: 5n });
  refused('reversal-link', funded, { ...fee, reverses: 'd1' });
  const reversal = reversalOf(SAMPLE_TRANSACTIONS[0]!, { id: 'r', on: '2026-02-03' });
  refused('reversal-link', funded, { ...reversal, reverses: undefined });
});

test('the fund, the key and the date', () => {
  refused('wrong-fund', funded, { ...deposit('d2', 1n, '2026-02-03'), fundId: 'fund-other' });
  const conflict = refused('idempotency-conflict', funded, deposit('d1', 100_001n));
  assert.equal(conflict.message.en, 'transaction id d1 was already used for a transaction with different content');
  // The same id with a different memo is a different request too.
  refused('idempotency-conflict', funded, { ...deposit('d1', 100_000n), memo: 'changed' });
  const later = build([deposit('d1', 100_000n), interestCredited({ id: 'i1', fundId: F, on: '2026-03-01', amountFen: 10n })]);
  refused('date-order', later, deposit('d2', 1n, '2026-02-28'));
  // The same day is fine.
  assert.ok(applyTransaction(later, deposit('d2', 1n, '2026-03-01')).ok);
});

test('custody cash never goes negative', () => {
  refused('insufficient-cash', funded, managementFeeCharged({ id: 'fee', fundId: F, on: '2026-02-03', amountFen: 100_001n }));
  const owed = build([deposit('d1', 100_000n), offerAccepted({ id: 'a1', fundId: F, on: '2026-02-03', ...offer, amountFen: 150_000n })]);
  const message = refused('insufficient-cash', owed, paymentSent({ id: 'p1', fundId: F, on: '2026-02-04', ...offer, amountFen: 150_000n })).message;
  assert.equal(message.en, 'custody cash of 1000.00 yuan is not enough: it would become -500.00 yuan');
  // A reversed deposit takes its money back out: not once it has been spent.
  const spent = build([deposit('d1', 100_000n), managementFeeCharged({ id: 'fee', fundId: F, on: '2026-02-03', amountFen: 1n })]);
  refused('insufficient-cash', spent, reversalOf(deposit('d1', 100_000n), { id: 'r', on: '2026-02-04' }));
});

test('offers: accepted once, paid once and whole, by their own investor', () => {
  refused('unknown-offer', funded, paymentSent({ id: 'p1', fundId: F, on: '2026-02-03', ...offer, amountFen: 5n }));
  refused('unknown-offer', funded, paymentReturned({ id: 'p1', fundId: F, on: '2026-02-03', ...offer, amountFen: 5n }));
  const accepted = build([deposit('d1', 100_000n), offerAccepted({ id: 'a1', fundId: F, on: '2026-02-03', ...offer, amountFen: 60_000n })]);
  refused('offer-already-accepted', accepted, offerAccepted({ id: 'a2', fundId: F, on: '2026-02-03', ...offer, amountFen: 60_000n }));
  refused('investor-mismatch', accepted, offerAccepted({ id: 'a2', fundId: F, on: '2026-02-03', offerId: 'offer-1', investor: 'inv-2', amountFen: 60_000n }));
  refused('investor-mismatch', accepted, paymentSent({ id: 'p1', fundId: F, on: '2026-02-03', offerId: 'offer-1', investor: 'inv-2', amountFen: 60_000n }));
  refused('amount-mismatch', accepted, paymentSent({ id: 'p1', fundId: F, on: '2026-02-03', ...offer, amountFen: 59_999n }));
  refused('amount-mismatch', accepted, paymentSent({ id: 'p1', fundId: F, on: '2026-02-03', ...offer, amountFen: 60_001n }));
  refused('not-paid', accepted, paymentReturned({ id: 'r1', fundId: F, on: '2026-02-03', ...offer, amountFen: 60_000n }));

  const paid = build([deposit('d1', 100_000n), offerAccepted({ id: 'a1', fundId: F, on: '2026-02-03', ...offer, amountFen: 60_000n }), paymentSent({ id: 'p1', fundId: F, on: '2026-02-04', ...offer, amountFen: 60_000n })]);
  const twice = refused('already-paid', paid, paymentSent({ id: 'p2', fundId: F, on: '2026-02-04', ...offer, amountFen: 60_000n }));
  assert.equal(twice.message.en, 'offer offer-1 is already paid (600.00 yuan); it is paid again only after the payment failed and came back');
  refused('amount-mismatch', paid, paymentReturned({ id: 'r1', fundId: F, on: '2026-02-05', ...offer, amountFen: 30_000n }));
  // Paid, returned, paid again: a third payment is refused, and so is a second return of the first payment.
  const repaidSteps = [
    deposit('d1', 100_000n),
    offerAccepted({ id: 'a1', fundId: F, on: '2026-02-03', ...offer, amountFen: 60_000n }),
    paymentSent({ id: 'p1', fundId: F, on: '2026-02-04', ...offer, amountFen: 60_000n }),
    paymentReturned({ id: 'r1', fundId: F, on: '2026-02-05', ...offer, amountFen: 60_000n }),
    paymentSent({ id: 'p2', fundId: F, on: '2026-02-06', ...offer, amountFen: 60_000n }),
  ];
  refused('already-paid', build(repaidSteps), paymentSent({ id: 'p3', fundId: F, on: '2026-02-06', ...offer, amountFen: 60_000n }));
  const returnedTwice = build([...repaidSteps, paymentReturned({ id: 'r2', fundId: F, on: '2026-02-07', ...offer, amountFen: 60_000n })]);
  refused('not-paid', returnedTwice, paymentReturned({ id: 'r3', fundId: F, on: '2026-02-07', ...offer, amountFen: 60_000n }));
});

test('reversals that would undo a payment twice or unpay a paid offer', () => {
  const acceptance = offerAccepted({ id: 'a1', fundId: F, on: '2026-02-03', ...offer, amountFen: 60_000n });
  const payment = paymentSent({ id: 'p1', fundId: F, on: '2026-02-04', ...offer, amountFen: 60_000n });
  const paid = build([deposit('d1', 100_000n), acceptance, payment]);
  const message = refused('payable-negative', paid, reversalOf(acceptance, { id: 'x1', on: '2026-02-05' })).message;
  assert.equal(message.en, 'offer offer-1 is paid: its payment must be returned or reversed first');
  // The payment came back; reversing the payment as well would count the money back twice.
  const returned = build([deposit('d1', 100_000n), acceptance, payment, paymentReturned({ id: 'r1', fundId: F, on: '2026-02-05', ...offer, amountFen: 60_000n })]);
  refused('not-paid', returned, reversalOf(payment, { id: 'x2', on: '2026-02-06' }));
  // The return is reversed after the offer was paid again: the offer would be paid twice.
  const repaid = build([
    deposit('d1', 200_000n),
    acceptance,
    payment,
    paymentReturned({ id: 'r1', fundId: F, on: '2026-02-05', ...offer, amountFen: 60_000n }),
    paymentSent({ id: 'p2', fundId: F, on: '2026-02-06', ...offer, amountFen: 60_000n }),
  ]);
  refused('payable-negative', repaid, reversalOf(paymentReturned({ id: 'r1', fundId: F, on: '2026-02-05', ...offer, amountFen: 60_000n }), { id: 'x3', on: '2026-02-07' }));
});

test('outflows keep money owed to investors and interest in the fund', () => {
  const owed = build([deposit('d1', 100_000n), offerAccepted({ id: 'a1', fundId: F, on: '2026-02-03', ...offer, amountFen: 80_000n })]);
  const fee = refused('payables-unmet', owed, managementFeeCharged({ id: 'fee', fundId: F, on: '2026-02-03', amountFen: 20_001n }));
  assert.equal(fee.message.en, 'after this outflow custody cash would be 799.99 yuan, less than the 800.00 yuan owed to investors');
  assert.ok(applyTransaction(owed, managementFeeCharged({ id: 'fee', fundId: F, on: '2026-02-03', amountFen: 20_000n })).ok);
  refused('payables-unmet', owed, residualReturned({ id: 'res', fundId: F, on: '2026-02-03', shares: [{ funderId: 'funder-a', amountFen: 100_000n }] }));

  const withInterest = build([deposit('d1', 100_000n), interestCredited({ id: 'i1', fundId: F, on: '2026-02-03', amountFen: 1_000n })]);
  const interest = refused('interest-reserved', withInterest, managementFeeCharged({ id: 'fee', fundId: F, on: '2026-02-03', amountFen: 100_001n }));
  assert.equal(interest.message.en, 'interest earned may serve only compensation: 10.00 yuan of unspent interest must stay in the fund, and this outflow would leave 9.99 yuan beyond the payables');
  refused('interest-reserved', withInterest, residualReturned({ id: 'res', fundId: F, on: '2026-02-03', shares: [{ funderId: 'funder-a', amountFen: 100_500n }] }));
});

test('who may receive a residual, and a remittance only under administrative settlement', () => {
  refused('unknown-funder', funded, residualReturned({ id: 'res', fundId: F, on: '2026-02-03', shares: [{ funderId: 'funder-b', amountFen: 1n }] }));
  // A funder whose only deposit was reversed has contributed nothing.
  const withdrawn = build([deposit('d1', 100_000n), deposit('d2', 5n, '2026-02-02', 'funder-b'), reversalOf(deposit('d2', 5n, '2026-02-02', 'funder-b'), { id: 'x', on: '2026-02-02' })]);
  refused('unknown-funder', withdrawn, residualReturned({ id: 'res', fundId: F, on: '2026-02-03', shares: [{ funderId: 'funder-b', amountFen: 1n }] }));
  const message = refused('not-administrative-settlement', funded, treasuryRemitted({ id: 'tr', fundId: F, on: '2026-02-03', amountFen: 1n })).message;
  assert.equal(message.zh, '本基金没有承诺金，剩余资金不上缴国库，而是退还出资人');
  const settlement = build([commitmentReceived({ id: 'c1', fundId: F, on: '2026-02-02', partyId: 'party-issuer', amountFen: 50_000n })]);
  assert.ok(applyTransaction(settlement, treasuryRemitted({ id: 'tr', fundId: F, on: '2026-02-03', amountFen: 50_000n })).ok);
});

test('reversals: of what exists, once, exactly mirrored, never of a reversal', () => {
  refused('unknown-transaction', funded, reversalOf(deposit('d9', 5n), { id: 'x', on: '2026-02-03' }));
  const reversal = reversalOf(deposit('d1', 100_000n), { id: 'x1', on: '2026-02-03' });
  const reversed = build([deposit('d1', 100_000n), reversal]);
  refused('already-reversed', reversed, reversalOf(deposit('d1', 100_000n), { id: 'x2', on: '2026-02-03' }));
  refused('reversal-of-reversal', reversed, reversalOf(reversal, { id: 'x3', on: '2026-02-03' }));
  const partial = { ...reversalOf(deposit('d1', 100_000n), { id: 'x4', on: '2026-02-03' }) };
  refused('reversal-mismatch', funded, { ...partial, postings: [{ account: 'custody-cash', amountFen: -40_000n }, { account: 'funder-contributions', amountFen: 40_000n, funderId: 'funder-a' }] });
  refused('reversal-mismatch', funded, { ...partial, postings: [{ account: 'custody-cash', amountFen: -100_000n }, { account: 'funder-contributions', amountFen: 100_000n, funderId: 'funder-b' }] });
  refused('reversal-mismatch', funded, { ...partial, postings: [...partial.postings].reverse() });
  // A recovery reversed leaves its party's sub-ledger at zero.
  const recovery = recoveryReceived({ id: 'rc', fundId: F, on: '2026-02-03', partyId: 'party-auditor', amountFen: 7n });
  const undone = build([deposit('d1', 100_000n), recovery, reversalOf(recovery, { id: 'x5', on: '2026-02-04' })]);
  assert.deepEqual(undone.parties.get('party-auditor'), { committedFen: 0n, recoveredFen: 0n });
});

test('a payment reversed, or a returned payment reversed, is held to "paid whole, once"', () => {
  const on = '2026-02-03';
  const accepted = (id: string, amountFen: bigint) => offerAccepted({ id, fundId: F, on, ...offer, amountFen });
  const sent = (id: string, amountFen: bigint) => paymentSent({ id, fundId: F, on, ...offer, amountFen });
  const returned = (id: string, amountFen: bigint) => paymentReturned({ id, fundId: F, on, ...offer, amountFen });
  // Accepted for 100.00, paid, the payment came back; the acceptance was reversed and made again for 300.00.
  const history = [deposit('d1', 100_000n), accepted('a1', 10_000n), sent('p1', 10_000n), returned('r1', 10_000n), reversalOf(accepted('a1', 10_000n), { id: 'x1', on }), accepted('a2', 30_000n)];
  const reaccepted = build(history);
  const message = refused('amount-mismatch', reaccepted, reversalOf(returned('r1', 10_000n), { id: 'x2', on })).message;
  assert.equal(message.en, 'reversing the return r1 would pay offer offer-1 100.00 yuan again, but it has 300.00 yuan payable; an offer is paid whole, once');
  // Paid in full for 300.00: the old payment of 100.00 cannot be taken back off it.
  const repaid = build([...history, sent('p2', 30_000n)]);
  refused('amount-mismatch', repaid, reversalOf(sent('p1', 10_000n), { id: 'x3', on }));
  // Where the amounts agree, both reversals are what they always were.
  const returnedOnce = build(history.slice(0, 4));
  const resent = applyTransaction(returnedOnce, reversalOf(returned('r1', 10_000n), { id: 'x4', on }));
  assert.ok(resent.ok && resent.state.offers.get('offer-1')?.payableFen === 0n);
  assert.ok(applyTransaction(repaid, reversalOf(sent('p2', 30_000n), { id: 'x5', on })).ok);
});

test('the sample fund refuses a second payment of its re-paid offer', () => {
  refused('already-paid', sampleThrough('tx-15'), paymentSent({ id: 'tx-99', fundId: F, on: '2026-04-09', ...SAMPLE_OFFERS[3] }));
});

test('every refusal code is produced by a test above', () => {
  assert.deepEqual(LEDGER_REFUSAL_CODES.filter((code) => !seen.has(code)), []);
});
