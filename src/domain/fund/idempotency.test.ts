import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentHash } from '../content-hash.ts';
import { judgeRetry } from './idempotency.ts';

// contentHash of {"amountFen":"100","offerId":"o-1"} and of the same with 101.
const first = contentHash({ offerId: 'o-1', amountFen: 100n });
const other = contentHash({ offerId: 'o-1', amountFen: 101n });

test('a key seen for the first time does the work', () => {
  assert.equal(judgeRetry(null, { requestSha256: first }), 'first');
});

test('the same request under the same key is answered from the store', () => {
  assert.equal(judgeRetry({ requestSha256: first, result: { paid: true } }, { requestSha256: first }), 'replay');
  // Key order does not change a canonical hash: the retry of a request rebuilt in another order is the same request.
  assert.equal(judgeRetry({ requestSha256: first, result: null }, { requestSha256: contentHash({ amountFen: 100n, offerId: 'o-1' }) }), 'replay');
});

test('a different request under a used key is a conflict', () => {
  assert.notEqual(first, other);
  assert.equal(judgeRetry({ requestSha256: first, result: 'done' }, { requestSha256: other }), 'conflict');
});

test('a hash that is not 64 lowercase hex digits is a programming error', () => {
  assert.throws(() => judgeRetry(null, { requestSha256: first.toUpperCase() }), /incoming request hash/);
  assert.throws(() => judgeRetry(null, { requestSha256: 'abc' }), TypeError);
  assert.throws(() => judgeRetry({ requestSha256: '', result: 1 }, { requestSha256: first }), /stored request hash/);
  // The incoming hash is checked even when nothing is stored: a bad client hash never becomes a stored one.
  assert.throws(() => judgeRetry(null, { requestSha256: `${first}0` }), TypeError);
});
