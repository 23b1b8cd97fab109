import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FLOWS } from './fund-accounts.ts';
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
import { validateTransaction, type LedgerTransaction } from './ledger-transaction.ts';

const h = { id: 't', fundId: 'fund-1', on: '2026-03-01' };
const offer = { offerId: 'o-7', investor: 'inv-7', amountFen: 4_567_891n };

/** [account, amount, reference] per posting: what each movement writes, worked out from fund-accounts.ts. */
const cases: [LedgerTransaction, [string, bigint, string?][]][] = [
  [contributionReceived({ ...h, funderId: 'f-1', amountFen: 500n }), [['custody-cash', 500n], ['funder-contributions', -500n, 'funder f-1']]],
  [commitmentReceived({ ...h, partyId: 'p-1', amountFen: 500n }), [['custody-cash', 500n], ['commitment-money', -500n, 'party p-1']]],
  [interestCredited({ ...h, amountFen: 12_345n }), [['custody-cash', 12_345n], ['interest-earned', -12_345n]]],
  [managementFeeCharged({ ...h, amountFen: 100_000n }), [['management-fee', 100_000n], ['custody-cash', -100_000n]]],
  [offerAccepted({ ...h, ...offer }), [['compensation', 4_567_891n, 'offer o-7 of inv-7'], ['investor-payables', -4_567_891n, 'offer o-7 of inv-7']]],
  [paymentSent({ ...h, ...offer }), [['investor-payables', 4_567_891n, 'offer o-7 of inv-7'], ['custody-cash', -4_567_891n]]],
  [paymentReturned({ ...h, ...offer }), [['custody-cash', 4_567_891n], ['investor-payables', -4_567_891n, 'offer o-7 of inv-7']]],
  [treasuryRemitted({ ...h, amountFen: 9n }), [['treasury-remittance', 9n], ['custody-cash', -9n]]],
  [recoveryReceived({ ...h, partyId: 'p-2', amountFen: 77n }), [['custody-cash', 77n], ['recoveries', -77n, 'party p-2']]],
  [
    residualReturned({ ...h, shares: [{ funderId: 'f-1', amountFen: 3n }, { funderId: 'f-2', amountFen: 4n }] }),
    [['residual-returned', 3n, 'funder f-1'], ['residual-returned', 4n, 'funder f-2'], ['custody-cash', -7n]],
  ],
];

function describe(tx: LedgerTransaction): [string, bigint, string?][] {
  return tx.postings.map((posting) => {
    const reference =
      posting.offerId !== undefined ? `offer ${posting.offerId} of ${posting.investor}` : posting.funderId !== undefined ? `funder ${posting.funderId}` : posting.partyId !== undefined ? `party ${posting.partyId}` : undefined;
    return reference === undefined ? [posting.account, posting.amountFen] : [posting.account, posting.amountFen, reference];
  });
}

test('each movement writes the postings of its flow, debit positive, and passes validation', () => {
  for (const [tx, postings] of cases) {
    assert.deepEqual(describe(tx), postings, tx.kind);
    assert.equal(validateTransaction(tx), null, tx.kind);
    assert.equal(tx.memo, '');
    assert.deepEqual([tx.id, tx.fundId, tx.on, tx.reverses], ['t', 'fund-1', '2026-03-01', undefined]);
  }
  // Every movement kind has a builder here.
  assert.deepEqual(new Set(cases.map(([tx]) => tx.kind)), new Set(Object.keys(FLOWS)));
});

test('a memo is carried as given', () => {
  assert.equal(interestCredited({ ...h, amountFen: 1n, memo: '2026Q1 利息' }).memo, '2026Q1 利息');
});

test('a reversal negates every posting of the original, keeps its references and points at it', () => {
  const original = residualReturned({ ...h, shares: [{ funderId: 'f-1', amountFen: 3n }, { funderId: 'f-2', amountFen: 4n }] });
  const reversal = reversalOf(original, { id: 'r', on: '2026-03-02', memo: 'wrong account' });
  assert.deepEqual(reversal, {
    id: 'r',
    fundId: 'fund-1',
    kind: 'reversal',
    on: '2026-03-02',
    memo: 'wrong account',
    reverses: 't',
    postings: [
      { account: 'residual-returned', amountFen: -3n, funderId: 'f-1' },
      { account: 'residual-returned', amountFen: -4n, funderId: 'f-2' },
      { account: 'custody-cash', amountFen: 7n },
    ],
  });
  // The original is left as it was.
  assert.equal(original.postings[2]!.amountFen, -7n);
});

test('a builder writes what it is given; the ledger refuses what is wrong', () => {
  assert.equal(validateTransaction(contributionReceived({ ...h, funderId: 'f', amountFen: 0n }))?.code, 'zero-posting');
  assert.equal(validateTransaction(residualReturned({ ...h, shares: [] }))?.code, 'zero-posting');
  assert.equal(validateTransaction(paymentSent({ ...h, ...offer, amountFen: -1n }))?.code, 'flow-not-allowed');
});
