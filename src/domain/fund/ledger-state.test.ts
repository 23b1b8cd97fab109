import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountId } from './fund-accounts.ts';
import { fundPosition } from './fund-position.ts';
import { ledgerInvariantBreaches } from './ledger-invariants.ts';
import { contributionReceived, offerAccepted, paymentSent, reversalOf } from './ledger-rules.ts';
import { applyTransaction, balances, emptyLedger, replayLedger, trialBalance, type LedgerState } from './ledger-state.ts';
import type { LedgerTransaction } from './ledger-transaction.ts';
import { residualShares } from './residual-shares.ts';
import { balancesWith, SAMPLE_FUND_ID, SAMPLE_OFFERS, SAMPLE_RESIDUAL_SHARES, SAMPLE_TRANSACTIONS } from './sample-fund.ts';

function applyAll(transactions: readonly LedgerTransaction[], state: LedgerState = emptyLedger(SAMPLE_FUND_ID)): LedgerState {
  for (const tx of transactions) {
    const result = applyTransaction(state, tx);
    assert.ok(result.ok, `${tx.id} refused: ${result.ok ? '' : result.refusal.message.en}`);
    assert.equal(result.replayed, false);
    state = result.state;
  }
  return state;
}

/** The state after the sample's transactions up to and including `id`. */
function through(id: string): LedgerState {
  const index = SAMPLE_TRANSACTIONS.findIndex((tx) => tx.id === id);
  assert.ok(index >= 0);
  return applyAll(SAMPLE_TRANSACTIONS.slice(0, index + 1));
}

/** The balances named, every other account zero. */
function expectBalances(state: LedgerState, expected: Partial<Record<AccountId, bigint>>): void {
  assert.deepEqual(balances(state), balancesWith(expected));
  const trial = trialBalance(state);
  assert.equal(trial.totalDebitFen, trial.totalCreditFen);
  assert.deepEqual(ledgerInvariantBreaches(state), []);
}

test('worked example: deposits, interest and the fee', () => {
  expectBalances(through('tx-03'), { 'custody-cash': 100_000_000n, 'funder-contributions': 100_000_000n });
  expectBalances(through('tx-04'), { 'custody-cash': 100_012_345n, 'funder-contributions': 100_000_000n, 'interest-earned': 12_345n });
  const afterFee = through('tx-05');
  expectBalances(afterFee, { 'custody-cash': 99_912_345n, 'funder-contributions': 100_000_000n, 'interest-earned': 12_345n, 'management-fee': 100_000n });
  const position = fundPosition(afterFee);
  // No offer accepted yet: all 123.45 of interest is unspent and held back from the free funds.
  assert.equal(position.unspentInterestFen, 12_345n);
  assert.equal(position.freeFundsFen, 99_900_000n);
  assert.deepEqual(
    [...afterFee.funders].map(([id, funder]) => [id, funder.contributedFen]),
    [
      ['funder-sponsor', 40_000_000n],
      ['funder-controller', 35_000_000n],
      ['funder-auditor', 25_000_000n],
    ],
  );
});

test('worked example: four offers accepted, three paid, one failed and paid again', () => {
  const accepted = through('tx-09');
  const common = { 'funder-contributions': 100_000_000n, 'interest-earned': 12_345n, 'management-fee': 100_000n, 'compensation': 49_567_966n };
  expectBalances(accepted, { ...common, 'custody-cash': 99_912_345n, 'investor-payables': 49_567_966n });
  // 49,567,966 of compensation covers the 12,345 of interest: none is unspent any more.
  assert.equal(fundPosition(accepted).unspentInterestFen, 0n);
  assert.equal(fundPosition(accepted).freeFundsFen, 99_912_345n - 49_567_966n);

  // 25,000,000 + 12,000,050 + 8,000,025 = 45,000,075 paid; offer-004's 4,567,891 still owed.
  expectBalances(through('tx-12'), { ...common, 'custody-cash': 54_912_270n, 'investor-payables': 4_567_891n });
  expectBalances(through('tx-13'), { ...common, 'custody-cash': 50_344_379n, 'investor-payables': 0n });
  const returned = through('tx-14');
  expectBalances(returned, { ...common, 'custody-cash': 54_912_270n, 'investor-payables': 4_567_891n });
  assert.deepEqual(returned.offers.get('offer-004'), { investor: 'inv-zhao', acceptedFen: 4_567_891n, payableFen: 4_567_891n });
  assert.equal(fundPosition(returned).paidFen, 45_000_075n);
  assert.equal(fundPosition(returned).offersPaid, 3);

  const repaid = through('tx-15');
  expectBalances(repaid, { ...common, 'custody-cash': 50_344_379n, 'investor-payables': 0n });
  for (const offer of SAMPLE_OFFERS) assert.deepEqual(repaid.offers.get(offer.offerId), { investor: offer.investor, acceptedFen: offer.amountFen, payableFen: 0n });
});

test('worked example: the residual is shared 40 : 35 : 25 by largest remainder and empties the fund', () => {
  const beforeResidual = through('tx-15');
  assert.deepEqual(residualShares(beforeResidual, 50_344_379n), SAMPLE_RESIDUAL_SHARES);
  const closed = through('tx-16');
  expectBalances(closed, {
    'custody-cash': 0n,
    'funder-contributions': 100_000_000n,
    'interest-earned': 12_345n,
    'management-fee': 100_000n,
    'compensation': 49_567_966n,
    'residual-returned': 50_344_379n,
  });
  assert.deepEqual(closed.funders.get('funder-sponsor'), { contributedFen: 40_000_000n, residualFen: 20_137_751n });
  assert.deepEqual(closed.funders.get('funder-controller'), { contributedFen: 35_000_000n, residualFen: 17_620_533n });
  assert.deepEqual(closed.funders.get('funder-auditor'), { contributedFen: 25_000_000n, residualFen: 12_586_095n });
});

test('worked example: the trial balance at close, line by line', () => {
  const trial = trialBalance(through('tx-16'));
  assert.deepEqual(
    trial.lines.filter((line) => line.debitFen !== 0n || line.creditFen !== 0n),
    [
      { account: 'funder-contributions', debitFen: 0n, creditFen: 100_000_000n },
      { account: 'interest-earned', debitFen: 0n, creditFen: 12_345n },
      { account: 'compensation', debitFen: 49_567_966n, creditFen: 0n },
      { account: 'management-fee', debitFen: 100_000n, creditFen: 0n },
      { account: 'residual-returned', debitFen: 50_344_379n, creditFen: 0n },
    ],
  );
  // 49,567,966 + 100,000 + 50,344,379 = 100,012,345 = 100,000,000 + 12,345.
  assert.equal(trial.totalDebitFen, 100_012_345n);
  assert.equal(trial.totalCreditFen, 100_012_345n);
  assert.equal(trial.lines.length, 10);
});

test('worked example: the position the reconciliation at close reads', () => {
  assert.deepEqual(fundPosition(through('tx-16')), {
    contributedFen: 100_000_000n,
    committedFen: 0n,
    interestEarnedFen: 12_345n,
    recoveredFen: 0n,
    acceptedFen: 49_567_966n,
    paidFen: 49_567_966n,
    payableFen: 0n,
    managementFeeFen: 100_000n,
    residualReturnedFen: 50_344_379n,
    treasuryRemittedFen: 0n,
    custodyFen: 0n,
    unspentInterestFen: 0n,
    freeFundsFen: 0n,
    shortfallFen: 0n,
    offersAccepted: 4,
    offersPaid: 4,
    offersPayable: 0,
  });
});

test('replaying the ledger gives the state built one transaction at a time', () => {
  const replayed = replayLedger(SAMPLE_FUND_ID, SAMPLE_TRANSACTIONS);
  assert.ok(replayed.ok);
  assert.deepEqual(replayed.state, through('tx-16'));
});

test('a replay stops at the first refusal and says where', () => {
  const transactions = [...SAMPLE_TRANSACTIONS.slice(0, 3), paymentSent({ id: 'tx-x', fundId: SAMPLE_FUND_ID, on: '2026-02-04', ...SAMPLE_OFFERS[0] }), ...SAMPLE_TRANSACTIONS.slice(3)];
  const replayed = replayLedger(SAMPLE_FUND_ID, transactions);
  assert.equal(replayed.ok, false);
  if (replayed.ok) return;
  assert.equal(replayed.index, 3);
  assert.equal(replayed.transactionId, 'tx-x');
  assert.equal(replayed.refusal.code, 'unknown-offer');
});

test('the same transaction applied again is a replay: the state is returned unchanged', () => {
  const state = through('tx-13');
  const again = applyTransaction(state, SAMPLE_TRANSACTIONS[12]!);
  assert.ok(again.ok);
  assert.equal(again.replayed, true);
  assert.equal(again.state, state);
  // Rebuilt from the same values (not the same object), it is still the same request.
  const rebuilt = paymentSent({ id: 'tx-13', fundId: SAMPLE_FUND_ID, on: '2026-04-01', ...SAMPLE_OFFERS[3] });
  const retried = applyTransaction(state, rebuilt);
  assert.ok(retried.ok && retried.replayed);
  // A replay in a stored log changes nothing either.
  const log = replayLedger(SAMPLE_FUND_ID, [...SAMPLE_TRANSACTIONS.slice(0, 13), rebuilt]);
  assert.ok(log.ok);
  assert.deepEqual(balances(log.state), balances(state));
});

test('applying never modifies the state passed in', () => {
  const state = through('tx-09');
  const snapshot = structuredClone(state);
  const paid = applyTransaction(state, SAMPLE_TRANSACTIONS[9]!);
  assert.ok(paid.ok);
  assert.deepEqual(state, snapshot);
  assert.notEqual(paid.state.offers, state.offers);
  // Maps a transaction does not touch are shared, not copied.
  assert.equal(paid.state.funders, state.funders);
});

test('a reversal restores the balances and the sub-ledgers before the reversed transaction', () => {
  const beforeReturn = through('tx-13');
  const returned = applyAll([SAMPLE_TRANSACTIONS[13]!], beforeReturn);
  const reversed = applyAll([reversalOf(SAMPLE_TRANSACTIONS[13]!, { id: 'tx-r1', on: '2026-04-04', memo: 'the bank withdrew the return' })], returned);
  assert.deepEqual(balances(reversed), balances(beforeReturn));
  assert.deepEqual(reversed.offers, beforeReturn.offers);
  assert.equal(reversed.transactions.get('tx-14')?.reversedBy, 'tx-r1');
  assert.equal(reversed.transactions.get('tx-r1')?.transaction.reverses, 'tx-14');

  // An acceptance reversed before payment frees the offer to be accepted again at a corrected amount.
  const accepted = through('tx-09');
  const withdrawn = applyAll([reversalOf(SAMPLE_TRANSACTIONS[8]!, { id: 'tx-r2', on: '2026-03-26' })], accepted);
  assert.deepEqual(withdrawn.offers.get('offer-004'), { investor: 'inv-zhao', acceptedFen: 0n, payableFen: 0n });
  assert.equal(fundPosition(withdrawn).offersAccepted, 3);
  const corrected = applyAll([offerAccepted({ id: 'tx-a2', fundId: SAMPLE_FUND_ID, on: '2026-03-26', offerId: 'offer-004', investor: 'inv-zhao', amountFen: 4_567_800n })], withdrawn);
  assert.equal(balances(corrected)['compensation'], 49_567_966n - 91n);
  assert.deepEqual(ledgerInvariantBreaches(corrected), []);
});

test('the invariant check finds a state that was tampered with', () => {
  const state = through('tx-12');
  assert.deepEqual(ledgerInvariantBreaches(state), []);
  const offers = new Map(state.offers);
  offers.set('offer-004', { investor: 'inv-zhao', acceptedFen: 4_567_891n, payableFen: 0n });
  const tampered: LedgerState = { ...state, offers };
  assert.deepEqual(
    ledgerInvariantBreaches(tampered).map((breach) => breach.en),
    ['investor payables: the account holds 45678.91 yuan, its details add up to 0.00 yuan'],
  );
  const negative: LedgerState = { ...state, postedFen: { ...state.postedFen, 'custody-cash': -1n, 'management-fee': state.postedFen['management-fee'] + state.postedFen['custody-cash'] + 1n } };
  assert.deepEqual(ledgerInvariantBreaches(negative).map((breach) => breach.en), ['custody cash is negative: -0.01 yuan']);
  const unbalanced: LedgerState = { ...state, postedFen: { ...state.postedFen, 'interest-earned': state.postedFen['interest-earned'] - 1n } };
  assert.deepEqual(ledgerInvariantBreaches(unbalanced).map((breach) => breach.en), [
    'the postings of all accounts sum to -0.01 yuan, not zero',
  ]);
  const overpaid = new Map(state.offers);
  overpaid.set('offer-001', { investor: 'inv-zhang', acceptedFen: 25_000_000n, payableFen: -25_000_000n });
  overpaid.set('offer-004', { investor: 'inv-zhao', acceptedFen: 4_567_891n, payableFen: 29_567_891n });
  assert.deepEqual(ledgerInvariantBreaches({ ...state, offers: overpaid }).map((breach) => breach.en), [
    'offer offer-001 has -250000.00 yuan payable, not between zero and the 250000.00 yuan accepted',
    'offer offer-004 has 295678.91 yuan payable, not between zero and the 45678.91 yuan accepted',
  ]);
  const funders = new Map(state.funders);
  funders.set('funder-auditor', { contributedFen: 24_999_999n, residualFen: 1n });
  assert.deepEqual(ledgerInvariantBreaches({ ...state, funders }).map((breach) => breach.en), [
    "funders' contributions: the account holds 1000000.00 yuan, its details add up to 999999.99 yuan",
    'residual returned: the account holds 0.00 yuan, its details add up to 0.01 yuan',
  ]);
});

test('a fund of its own: transactions of another fund and an empty ledger', () => {
  const empty = emptyLedger('fund-x');
  assert.deepEqual(balances(empty), balances(emptyLedger(SAMPLE_FUND_ID)));
  assert.deepEqual(trialBalance(empty).totalDebitFen, 0n);
  const replayed = replayLedger('fund-x', []);
  assert.ok(replayed.ok);
  assert.equal(replayed.state.lastOn, null);
  const deposit = contributionReceived({ id: 'd', fundId: 'fund-x', on: '2026-01-01', funderId: 'f', amountFen: 1n });
  const applied = applyTransaction(empty, deposit);
  assert.ok(applied.ok);
  assert.equal(applied.state.lastOn, '2026-01-01');
});
