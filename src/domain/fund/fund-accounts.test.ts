import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT_IDS, FLOWS, FUND_ACCOUNTS, isAccountId, isMovementKind, MOVEMENT_KINDS } from './fund-accounts.ts';

test('the chart: each account by its id, named in Chinese and English', () => {
  assert.equal(ACCOUNT_IDS.length, 10);
  for (const id of ACCOUNT_IDS) {
    assert.equal(FUND_ACCOUNTS[id].id, id);
    assert.ok(FUND_ACCOUNTS[id].name.zh.length > 0 && FUND_ACCOUNTS[id].name.en.length > 0);
  }
  assert.deepEqual(
    ACCOUNT_IDS.filter((id) => FUND_ACCOUNTS[id].normalSide === 'debit'),
    ['custody-cash', 'compensation', 'management-fee', 'residual-returned', 'treasury-remittance'],
  );
});

test('the money in flows to custody, the money out flows from it, and compensation is owed before it is paid', () => {
  const pairs = Object.fromEntries(MOVEMENT_KINDS.map((kind) => [kind, `${FLOWS[kind].from} → ${FLOWS[kind].to}`]));
  assert.deepEqual(pairs, {
    'contribution-received': 'funder-contributions → custody-cash',
    'commitment-received': 'commitment-money → custody-cash',
    'interest-credited': 'interest-earned → custody-cash',
    'management-fee-charged': 'custody-cash → management-fee',
    'offer-accepted': 'investor-payables → compensation',
    'payment-sent': 'custody-cash → investor-payables',
    'payment-returned': 'investor-payables → custody-cash',
    'residual-returned': 'custody-cash → residual-returned',
    'treasury-remitted': 'custody-cash → treasury-remittance',
    'recovery-received': 'recoveries → custody-cash',
  });
  // Every account is moved by some flow, and no flow moves money within one account.
  const moved = new Set(MOVEMENT_KINDS.flatMap((kind) => [FLOWS[kind].from, FLOWS[kind].to]));
  assert.deepEqual([...ACCOUNT_IDS].filter((id) => !moved.has(id)), []);
  for (const kind of MOVEMENT_KINDS) assert.notEqual(FLOWS[kind].from, FLOWS[kind].to);
});

test('the accounts that keep sub-ledgers', () => {
  assert.deepEqual(Object.fromEntries(ACCOUNT_IDS.filter((id) => FUND_ACCOUNTS[id].reference !== 'none').map((id) => [id, FUND_ACCOUNTS[id].reference])), {
    'funder-contributions': 'funder',
    'commitment-money': 'party',
    'recoveries': 'party',
    'investor-payables': 'offer',
    'compensation': 'offer',
    'residual-returned': 'funder',
  });
});

test('ids are recognised exactly, not through the prototype', () => {
  assert.ok(isAccountId('custody-cash'));
  assert.ok(!isAccountId('Custody-cash'));
  assert.ok(!isAccountId('toString'));
  assert.ok(isMovementKind('payment-sent'));
  assert.ok(!isMovementKind('reversal'));
  assert.ok(!isMovementKind('constructor'));
});
