import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fundPosition } from './fund-position.ts';
import { paymentSent } from './ledger-rules.ts';
import { applyTransaction, applyTransactionInPlace, emptyLedger, trialBalance, type LedgerState } from './ledger-state.ts';
import { SAMPLE_FUND_ID, SAMPLE_TRANSACTIONS } from './sample-fund.ts';

const snapshot = (state: LedgerState) => ({
  position: fundPosition(state),
  trial: trialBalance(state),
  offers: [...state.offers].sort(),
  funders: [...state.funders].sort(),
  transactions: [...state.transactions.keys()].sort(),
});

test('writing in place gives, step by step, the state that copying gives', () => {
  let copied = emptyLedger(SAMPLE_FUND_ID);
  let inPlace = emptyLedger(SAMPLE_FUND_ID);
  for (const tx of SAMPLE_TRANSACTIONS) {
    const a = applyTransaction(copied, tx);
    const b = applyTransactionInPlace(inPlace, tx);
    assert.ok(a.ok && b.ok, tx.id);
    copied = a.state;
    inPlace = b.state;
    assert.deepEqual(snapshot(inPlace), snapshot(copied), tx.id);
  }
});

test('a refused write in place changes nothing', () => {
  let state = emptyLedger(SAMPLE_FUND_ID);
  for (const tx of SAMPLE_TRANSACTIONS) {
    const applied = applyTransactionInPlace(state, tx);
    assert.ok(applied.ok);
    state = applied.state;
  }
  const before = snapshot(state);
  const [offerId, offer] = [...state.offers].find(([, entry]) => entry.acceptedFen > 0n && entry.payableFen === 0n)!;
  const twice = applyTransactionInPlace(state, paymentSent({ id: 'pay-again', fundId: SAMPLE_FUND_ID, on: '2099-01-01', offerId, investor: offer.investor, amountFen: offer.acceptedFen }));
  assert.equal(twice.ok, false);
  assert.deepEqual(snapshot(state), before);
});
