import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contributionReceived, reversalOf } from './ledger-rules.ts';
import { emptyLedger, replayLedger, type LedgerState } from './ledger-state.ts';
import type { LedgerTransaction } from './ledger-transaction.ts';
import { residualShares } from './residual-shares.ts';

function ledger(transactions: LedgerTransaction[]): LedgerState {
  const result = replayLedger('fund-r', transactions);
  assert.ok(result.ok);
  return result.state;
}

const deposit = (id: string, funderId: string, amountFen: bigint) => contributionReceived({ id, fundId: 'fund-r', on: '2026-02-02', funderId, amountFen });

test('shares by contribution, listed by funder id in code-point order', () => {
  // 999 among 300 : 600 divides exactly (333, 666). 1,000 gives 333 r 1/3 and 666 r 2/3: the one
  // fen left goes to y, the larger remainder.
  const state = ledger([deposit('d1', 'y', 600n), deposit('d2', 'x', 300n)]);
  assert.deepEqual(residualShares(state, 999n), [
    { funderId: 'x', amountFen: 333n },
    { funderId: 'y', amountFen: 666n },
  ]);
  assert.deepEqual(residualShares(state, 1_000n), [
    { funderId: 'x', amountFen: 333n },
    { funderId: 'y', amountFen: 667n },
  ]);
});

test('a residual larger than the contributions (interest, recoveries) is still shared in proportion, all of it', () => {
  // 100,001 fen among 300 : 600: x 100,001 / 3 = 33,333 r 2/3, y 200,002 / 3 = 66,667 r 1/3;
  // floors 33,333 + 66,667 = 100,000, the fen left goes to x, the larger remainder.
  const state = ledger([deposit('d1', 'y', 600n), deposit('d2', 'x', 300n)]);
  assert.deepEqual(residualShares(state, 100_001n), [
    { funderId: 'x', amountFen: 33_334n },
    { funderId: 'y', amountFen: 66_667n },
  ]);
});

test('a funder with nothing contributed, or a share of nothing, is left out', () => {
  const reversed = ledger([deposit('d1', 'a', 500n), deposit('d2', 'b', 1n), reversalOf(deposit('d1', 'a', 500n), { id: 'r', on: '2026-02-03' })]);
  assert.deepEqual(residualShares(reversed, 10n), [{ funderId: 'b', amountFen: 10n }]);
  const tiny = ledger([deposit('d1', 'a', 999n), deposit('d2', 'b', 1n)]);
  // 1 fen among 999 : 1: a gets it, b's share of 0 is no posting at all.
  assert.deepEqual(residualShares(tiny, 1n), [{ funderId: 'a', amountFen: 1n }]);
  assert.deepEqual(residualShares(tiny, 0n), []);
  assert.deepEqual(residualShares(emptyLedger('fund-r'), 100n), []);
});
