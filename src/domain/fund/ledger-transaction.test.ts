import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256Hex } from '../content-hash.ts';
import { contributionReceived, offerAccepted, reversalOf } from './ledger-rules.ts';
import { transactionSha256, validateTransaction, type LedgerTransaction } from './ledger-transaction.ts';
import { SAMPLE_TRANSACTIONS } from './sample-fund.ts';

const deposit = contributionReceived({ id: 'tx-1', fundId: 'fund-1', on: '2026-02-02', funderId: 'funder-a', amountFen: 12_345n, memo: 'bank ref 7' });

test('every transaction of the sample fund is valid on its own', () => {
  for (const tx of SAMPLE_TRANSACTIONS) assert.equal(validateTransaction(tx), null, tx.id);
  assert.equal(validateTransaction(reversalOf(deposit, { id: 'tx-2', on: '2026-02-03' })), null);
});

test('the transaction hash is SHA-256 of its canonical JSON, bigint amounts as digit strings', () => {
  const canonical =
    '{"fundId":"fund-1","id":"tx-1","kind":"contribution-received","memo":"bank ref 7","on":"2026-02-02",' +
    '"postings":[{"account":"custody-cash","amountFen":"12345"},{"account":"funder-contributions","amountFen":"-12345","funderId":"funder-a"}]}';
  assert.equal(transactionSha256(deposit), sha256Hex(canonical));
});

test('the hash covers every field and ignores nothing a transaction carries', () => {
  const hashes = new Set([
    transactionSha256(deposit),
    transactionSha256({ ...deposit, id: 'tx-9' }),
    transactionSha256({ ...deposit, fundId: 'fund-2' }),
    transactionSha256({ ...deposit, on: '2026-02-03' }),
    transactionSha256({ ...deposit, memo: '' }),
    transactionSha256({ ...deposit, kind: 'interest-credited' }),
    transactionSha256({ ...deposit, reverses: 'tx-0' }),
    transactionSha256({ ...deposit, postings: [deposit.postings[0]!, { ...deposit.postings[1]!, funderId: 'funder-b' }] }),
    transactionSha256({ ...deposit, postings: [...deposit.postings].reverse() }),
  ]);
  assert.equal(hashes.size, 9);
  // Built again from the same values, the hash is the same.
  assert.equal(transactionSha256(contributionReceived({ id: 'tx-1', fundId: 'fund-1', on: '2026-02-02', funderId: 'funder-a', amountFen: 12_345n, memo: 'bank ref 7' })), transactionSha256(deposit));
});

test('validation refuses in a stated order: form, reversal link, then posting by posting, then the sum', () => {
  const accepted = offerAccepted({ id: 'a', fundId: 'fund-1', on: '2026-02-02', offerId: 'o', investor: 'i', amountFen: 5n });
  // Posting 2 names an unknown account and posting 1 is zero: the first posting is reported first.
  const both: LedgerTransaction = { ...accepted, postings: [{ ...accepted.postings[0]!, amountFen: 0n }, { account: 'nowhere' as never, amountFen: 5n }] };
  assert.equal(validateTransaction(both)?.code, 'zero-posting');
  assert.equal(validateTransaction(both)?.message.en, 'posting 1 is for zero');
  // An unbalanced transaction with a wrong account is refused for the account.
  const wrong: LedgerTransaction = { ...accepted, postings: [accepted.postings[0]!, { account: 'custody-cash', amountFen: -4n }] };
  assert.equal(validateTransaction(wrong)?.code, 'flow-not-allowed');
  assert.equal(validateTransaction({ ...accepted, postings: [accepted.postings[0]!, { ...accepted.postings[1]!, amountFen: -4n }] })?.code, 'unbalanced');
  // A malformed date is reported before anything about the postings.
  assert.equal(validateTransaction({ ...wrong, on: '2026-13-01' })?.code, 'malformed');
});

test('a reversal may move any account in either direction: the ledger checks it against the original', () => {
  const reversal = reversalOf(offerAccepted({ id: 'a', fundId: 'fund-1', on: '2026-02-02', offerId: 'o', investor: 'i', amountFen: 5n }), { id: 'r', on: '2026-02-02' });
  assert.deepEqual(reversal.postings, [
    { account: 'compensation', amountFen: -5n, offerId: 'o', investor: 'i' },
    { account: 'investor-payables', amountFen: 5n, offerId: 'o', investor: 'i' },
  ]);
  assert.equal(validateTransaction(reversal), null);
  // Still balanced, still with its references.
  assert.equal(validateTransaction({ ...reversal, postings: [reversal.postings[0]!] })?.code, 'unbalanced');
  assert.equal(validateTransaction({ ...reversal, postings: [{ account: 'compensation', amountFen: -5n }, reversal.postings[1]!] })?.code, 'reference-mismatch');
});
