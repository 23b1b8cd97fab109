import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountId } from './fund-accounts.ts';
import { freeFunds, outflowRefusal, unspentInterest, type NormalBalances } from './interest-rule.ts';
import {
  commitmentReceived,
  contributionReceived,
  interestCredited,
  managementFeeCharged,
  offerAccepted,
  paymentSent,
  residualReturned,
  reversalOf,
  treasuryRemitted,
} from './ledger-rules.ts';
import { applyTransaction, balances, emptyLedger, type LedgerState } from './ledger-state.ts';
import type { LedgerTransaction } from './ledger-transaction.ts';
import { balancesWith } from './sample-fund.ts';

const F = 'fund-interest';

function b(values: Partial<Record<AccountId, bigint>>): NormalBalances {
  return balancesWith(values);
}

function build(transactions: readonly LedgerTransaction[]): LedgerState {
  let state = emptyLedger(F);
  for (const tx of transactions) {
    const result = applyTransaction(state, tx);
    assert.ok(result.ok, `${tx.id}: ${result.ok ? '' : result.refusal.message.en}`);
    state = result.state;
  }
  return state;
}

function codeOf(state: LedgerState, tx: LedgerTransaction): string {
  const result = applyTransaction(state, tx);
  return result.ok ? 'accepted' : result.refusal.code;
}

test('unspent interest is the interest not yet matched by compensation accepted', () => {
  assert.equal(unspentInterest(b({ 'interest-earned': 12_345n })), 12_345n);
  assert.equal(unspentInterest(b({ 'interest-earned': 12_345n, compensation: 10_000n })), 2_345n);
  assert.equal(unspentInterest(b({ 'interest-earned': 12_345n, compensation: 12_345n })), 0n);
  assert.equal(unspentInterest(b({ 'interest-earned': 12_345n, compensation: 49_567_966n })), 0n);
  assert.equal(unspentInterest(b({})), 0n);
});

test('free funds are custody less payables less unspent interest, negative when the fund is short', () => {
  // 1,000.00 deposited, 10.00 interest, 600.00 accepted of which 200.00 paid: custody 810.00,
  // payables 400.00, interest all spent (600.00 > 10.00): 810.00 − 400.00 = 410.00 free.
  assert.equal(freeFunds(b({ 'custody-cash': 81_000n, 'interest-earned': 1_000n, compensation: 60_000n, 'investor-payables': 40_000n })), 41_000n);
  // 5.00 of compensation uses 5.00 of 10.00 interest: 1,010.00 − 5.00 payable − 5.00 unspent.
  assert.equal(freeFunds(b({ 'custody-cash': 101_000n, 'interest-earned': 1_000n, compensation: 500n, 'investor-payables': 500n })), 100_000n);
  assert.equal(freeFunds(b({ 'custody-cash': 50_000n, 'investor-payables': 80_000n })), -30_000n);
});

test('only a fee, a residual and a remittance are held to the rule', () => {
  const short = b({ 'custody-cash': 0n, 'investor-payables': 80_000n, 'interest-earned': 1_000n });
  for (const kind of ['contribution-received', 'commitment-received', 'interest-credited', 'offer-accepted', 'payment-sent', 'payment-returned', 'recovery-received'] as const) {
    assert.equal(outflowRefusal(kind, short), null, kind);
  }
  for (const kind of ['management-fee-charged', 'residual-returned', 'treasury-remitted'] as const) {
    assert.equal(outflowRefusal(kind, short)?.code, 'payables-unmet', kind);
  }
});

test('a fee is taken from free funds only, to the fen', () => {
  // 1,000.00 deposited, 10.00 of interest: the fee may take 1,000.00 and not a fen more.
  const state = build([
    contributionReceived({ id: 'd', fundId: F, on: '2026-02-02', funderId: 'f', amountFen: 100_000n }),
    interestCredited({ id: 'i', fundId: F, on: '2026-02-03', amountFen: 1_000n }),
  ]);
  assert.equal(codeOf(state, managementFeeCharged({ id: 'fee', fundId: F, on: '2026-02-03', amountFen: 100_001n })), 'interest-reserved');
  const charged = applyTransaction(state, managementFeeCharged({ id: 'fee', fundId: F, on: '2026-02-03', amountFen: 100_000n }));
  assert.ok(charged.ok);
  assert.equal(balances(charged.state)['custody-cash'], 1_000n);
  // Even with nothing owed and the fund about to close, the fee never takes interest.
  assert.equal(codeOf(charged.state, managementFeeCharged({ id: 'fee2', fundId: F, on: '2026-02-04', amountFen: 1_000n })), 'interest-reserved');
});

test('interest serves compensation first, so a fee may take what compensation left of principal', () => {
  // 1,000.00 + 10.00 interest; 300.00 accepted and paid: compensation used the 10.00 of interest
  // and 290.00 of principal; 710.00 remains, all of it free.
  const state = build([
    contributionReceived({ id: 'd', fundId: F, on: '2026-02-02', funderId: 'f', amountFen: 100_000n }),
    interestCredited({ id: 'i', fundId: F, on: '2026-02-03', amountFen: 1_000n }),
    offerAccepted({ id: 'a', fundId: F, on: '2026-02-04', offerId: 'o', investor: 'inv', amountFen: 30_000n }),
    paymentSent({ id: 'p', fundId: F, on: '2026-02-05', offerId: 'o', investor: 'inv', amountFen: 30_000n }),
  ]);
  assert.equal(balances(state)['custody-cash'], 71_000n);
  assert.equal(freeFunds(balances(state)), 71_000n);
  assert.equal(codeOf(state, managementFeeCharged({ id: 'fee', fundId: F, on: '2026-02-06', amountFen: 71_000n })), 'accepted');
});

test('interest leaves with the residual only in the final return: nothing owed, the account emptied', () => {
  const state = build([
    contributionReceived({ id: 'd', fundId: F, on: '2026-02-02', funderId: 'f', amountFen: 100_000n }),
    interestCredited({ id: 'i', fundId: F, on: '2026-02-03', amountFen: 1_000n }),
  ]);
  const share = (amountFen: bigint) => residualReturned({ id: 'res', fundId: F, on: '2026-02-04', shares: [{ funderId: 'f', amountFen }] });
  assert.equal(codeOf(state, share(100_000n)), 'accepted');
  assert.equal(codeOf(state, share(100_001n)), 'interest-reserved');
  assert.equal(codeOf(state, share(100_999n)), 'interest-reserved');
  assert.equal(codeOf(state, share(101_000n)), 'accepted');

  // With an offer still owed, the fund cannot be emptied and the interest stays for compensation.
  const owed = build([
    contributionReceived({ id: 'd', fundId: F, on: '2026-02-02', funderId: 'f', amountFen: 100_000n }),
    interestCredited({ id: 'i', fundId: F, on: '2026-02-03', amountFen: 1_000n }),
    offerAccepted({ id: 'a', fundId: F, on: '2026-02-03', offerId: 'o', investor: 'inv', amountFen: 500n }),
  ]);
  // Custody 1,010.00, payable 5.00, interest unspent 10.00 − 5.00 = 5.00: 1,000.00 is free.
  assert.equal(codeOf(owed, share(100_000n)), 'accepted');
  assert.equal(codeOf(owed, share(100_001n)), 'interest-reserved');
  assert.equal(codeOf(owed, share(100_500n)), 'interest-reserved');
  assert.equal(codeOf(owed, share(100_501n)), 'payables-unmet');
});

test('under administrative settlement the treasury remittance follows the same rule', () => {
  const state = build([
    commitmentReceived({ id: 'c', fundId: F, on: '2026-02-02', partyId: 'issuer', amountFen: 100_000n }),
    interestCredited({ id: 'i', fundId: F, on: '2026-02-03', amountFen: 1_000n }),
  ]);
  const remit = (amountFen: bigint) => treasuryRemitted({ id: 'tr', fundId: F, on: '2026-02-04', amountFen });
  assert.equal(codeOf(state, remit(100_000n)), 'accepted');
  assert.equal(codeOf(state, remit(100_500n)), 'interest-reserved');
  const final = applyTransaction(state, remit(101_000n));
  assert.ok(final.ok);
  assert.equal(balances(final.state)['treasury-remittance'], 101_000n);
  assert.equal(balances(final.state)['custody-cash'], 0n);
});

test('a reversed acceptance makes interest unspent again, and later outflows respect it', () => {
  const acceptance = offerAccepted({ id: 'a', fundId: F, on: '2026-02-03', offerId: 'o', investor: 'inv', amountFen: 5_000n });
  const state = build([
    contributionReceived({ id: 'd', fundId: F, on: '2026-02-02', funderId: 'f', amountFen: 100_000n }),
    interestCredited({ id: 'i', fundId: F, on: '2026-02-03', amountFen: 1_000n }),
    acceptance,
    reversalOf(acceptance, { id: 'x', on: '2026-02-04' }),
  ]);
  assert.equal(unspentInterest(balances(state)), 1_000n);
  assert.equal(codeOf(state, managementFeeCharged({ id: 'fee', fundId: F, on: '2026-02-04', amountFen: 100_001n })), 'interest-reserved');
});
