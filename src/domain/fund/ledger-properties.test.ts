import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addDays } from '../market/calendar-date.ts';
import { ACCOUNT_IDS, FUND_ACCOUNTS, MOVEMENT_KINDS } from './fund-accounts.ts';
import { ledgerInvariantBreaches } from './ledger-invariants.ts';
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
import { applyTransaction, balances, emptyLedger, replayLedger, trialBalance, type LedgerState } from './ledger-state.ts';
import type { LedgerTransaction, TransactionKind } from './ledger-transaction.ts';
import { residualShares } from './residual-shares.ts';

/*
 * Random sequences of movements, built from the state they are applied to so that most are valid
 * and the rest are refused for a reason: a payment of the wrong amount, a second payment, a fee
 * larger than the free funds, a reversal of something already reversed.
 */

const FUND = 'fund-prop';
const START = '2026-02-01';

type Op =
  | { op: 'contribute'; funder: number; amount: bigint }
  | { op: 'commit'; party: number; amount: bigint }
  | { op: 'interest'; amount: bigint }
  | { op: 'fee'; amount: bigint }
  | { op: 'accept'; offer: number; investor: number; amount: bigint }
  | { op: 'pay'; offer: number; skew: bigint }
  | { op: 'return'; offer: number; skew: bigint }
  | { op: 'residual'; percent: number }
  | { op: 'remit'; percent: number }
  | { op: 'recover'; party: number; amount: bigint }
  | { op: 'reverse'; pick: number };

const amount = fc.oneof(fc.bigInt({ min: 1n, max: 1_000n }), fc.bigInt({ min: 1n, max: 100_000_000n }));
/** Mostly exact, sometimes a fen or more off: the wrong-amount refusals. */
const skew = fc.oneof({ weight: 6, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.bigInt({ min: -3n, max: 3n }) });
const offer = fc.integer({ min: 0, max: 5 });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  // Deposits are larger than offers, so that most payments find the cash and some do not.
  { weight: 4, arbitrary: fc.record({ op: fc.constant('contribute' as const), funder: fc.integer({ min: 0, max: 2 }), amount: fc.bigInt({ min: 1n, max: 500_000_000n }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('commit' as const), party: fc.integer({ min: 0, max: 1 }), amount }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('interest' as const), amount: fc.bigInt({ min: 1n, max: 50_000n }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fee' as const), amount }) },
  // The investor of an offer is usually its own (offer mod 3), sometimes another: investor-mismatch.
  { weight: 5, arbitrary: fc.record({ op: fc.constant('accept' as const), offer, investor: fc.oneof({ weight: 5, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 }) }), amount }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('pay' as const), offer, skew }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('return' as const), offer, skew }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('residual' as const), percent: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remit' as const), percent: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('recover' as const), party: fc.integer({ min: 0, max: 1 }), amount }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }) },
);

const stepsArb = fc.array(fc.tuple(opArb, fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 60, size: 'large' });

function percentOf(value: bigint, percent: number): bigint {
  return (value * BigInt(percent)) / 100n;
}

/** The transaction an operation stands for in `state`, or null when it makes no sense (nothing to share). */
function toTransaction(state: LedgerState, op: Op, id: string, on: string, written: readonly LedgerTransaction[]): LedgerTransaction | null {
  const h = { id, fundId: FUND, on };
  const b = balances(state);
  switch (op.op) {
    case 'contribute':
      return contributionReceived({ ...h, funderId: `funder-${op.funder}`, amountFen: op.amount });
    case 'commit':
      return commitmentReceived({ ...h, partyId: `party-${op.party}`, amountFen: op.amount });
    case 'interest':
      return interestCredited({ ...h, amountFen: op.amount });
    case 'fee':
      return managementFeeCharged({ ...h, amountFen: op.amount });
    case 'accept':
      return offerAccepted({ ...h, offerId: `offer-${op.offer}`, investor: `inv-${op.investor < 0 ? op.offer % 3 : op.investor}`, amountFen: op.amount });
    case 'pay':
    case 'return': {
      const current = state.offers.get(`offer-${op.offer}`);
      const owed = current === undefined ? 1n : op.op === 'pay' ? current.payableFen || current.acceptedFen : current.acceptedFen - current.payableFen || current.acceptedFen;
      const input = { ...h, offerId: `offer-${op.offer}`, investor: `inv-${op.offer % 3}`, amountFen: (owed || 1n) + op.skew || 1n };
      return op.op === 'pay' ? paymentSent(input) : paymentReturned(input);
    }
    case 'residual': {
      const shares = residualShares(state, percentOf(b['custody-cash'], op.percent));
      return shares.length === 0 ? null : residualReturned({ ...h, shares });
    }
    case 'remit': {
      const value = percentOf(b['custody-cash'], op.percent);
      return value === 0n ? null : treasuryRemitted({ ...h, amountFen: value });
    }
    case 'recover':
      return recoveryReceived({ ...h, partyId: `party-${op.party}`, amountFen: op.amount });
    case 'reverse':
      return written.length === 0 ? null : reversalOf(written[op.pick % written.length]!, { id, on });
  }
}

/** What the transactions say about each offer, worked out without the ledger: accepted amount, payments outstanding. */
function offerModel(written: readonly LedgerTransaction[]): Map<string, { accepted: bigint; outstanding: number }> {
  const byId = new Map(written.map((tx) => [tx.id, tx]));
  const model = new Map<string, { accepted: bigint; outstanding: number }>();
  for (const tx of written) {
    const target = tx.kind === 'reversal' ? byId.get(tx.reverses!)! : tx;
    const sign = tx.kind === 'reversal' ? -1 : 1;
    const offerId = target.postings.find((posting) => posting.offerId !== undefined)?.offerId;
    if (offerId === undefined) continue;
    const entry = model.get(offerId) ?? { accepted: 0n, outstanding: 0 };
    if (target.kind === 'offer-accepted') entry.accepted += BigInt(sign) * target.postings[0]!.amountFen;
    if (target.kind === 'payment-sent') entry.outstanding += sign;
    if (target.kind === 'payment-returned') entry.outstanding -= sign;
    model.set(offerId, entry);
  }
  return model;
}

const acceptedKinds = new Map<TransactionKind, number>();
const refusalCodes = new Set<string>();

function checkState(state: LedgerState, written: readonly LedgerTransaction[]): void {
  const trial = trialBalance(state);
  assert.equal(trial.totalDebitFen, trial.totalCreditFen);
  assert.ok(balances(state)['custody-cash'] >= 0n);
  assert.deepEqual(ledgerInvariantBreaches(state), []);
  // Payable equals accepted minus payments, offer by offer, and no offer is paid more than once.
  let payables = 0n;
  for (const [offerId, entry] of offerModel(written)) {
    assert.ok(entry.outstanding === 0 || entry.outstanding === 1, `${offerId} has ${entry.outstanding} payments outstanding`);
    const payable = entry.accepted - BigInt(entry.outstanding) * entry.accepted;
    assert.equal(state.offers.get(offerId)?.payableFen ?? 0n, payable, offerId);
    assert.equal(state.offers.get(offerId)?.acceptedFen ?? 0n, entry.accepted, offerId);
    payables += payable;
  }
  assert.equal(balances(state)['investor-payables'], payables);
}

/** Zero entries are what a reversed first movement leaves in a sub-ledger: the same as no entry. */
function withoutZeros<V extends object>(map: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...map].filter(([, value]) => Object.values(value).some((field) => typeof field === 'bigint' && field !== 0n)));
}

test('property: any sequence of movements keeps the trial balance at zero, custody never negative and payables equal to accepted minus paid; refusals change nothing; a reversal right after restores the state before', () => {
  fc.assert(
    fc.property(stepsArb, (steps) => {
      let state = emptyLedger(FUND);
      let on = START;
      const written: LedgerTransaction[] = [];
      for (const [index, [op, days]] of steps.entries()) {
        on = addDays(on, days);
        const tx = toTransaction(state, op, `tx-${index}`, on, written);
        if (tx === null) continue;
        const snapshot = structuredClone(state);
        const result = applyTransaction(state, tx);
        assert.deepEqual(state, snapshot, 'applying never modifies the state passed in');
        if (!result.ok) {
          refusalCodes.add(result.refusal.code);
          continue;
        }
        assert.equal(result.replayed, false);
        acceptedKinds.set(tx.kind, (acceptedKinds.get(tx.kind) ?? 0) + 1);

        if (tx.kind !== 'reversal') {
          // Reversed at once, the movement leaves no trace in any balance or sub-ledger.
          const undone = applyTransaction(result.state, reversalOf(tx, { id: `undo-${index}`, on }));
          assert.ok(undone.ok, `the reversal of ${tx.kind} was refused: ${undone.ok ? '' : undone.refusal.message.en}`);
          assert.deepEqual(balances(undone.state), balances(state));
          assert.deepEqual(withoutZeros(undone.state.offers), withoutZeros(state.offers));
          assert.deepEqual(withoutZeros(undone.state.funders), withoutZeros(state.funders));
          assert.deepEqual(withoutZeros(undone.state.parties), withoutZeros(state.parties));
        }

        state = result.state;
        written.push(tx);
        checkState(state, written);
      }
      // The same transactions replayed from nothing give the same state.
      const replayed = replayLedger(FUND, written);
      assert.ok(replayed.ok);
      assert.deepEqual(replayed.state, state);
      // Every transaction applied again is a replay that changes nothing.
      for (const tx of written) {
        const again = applyTransaction(state, tx);
        assert.ok(again.ok && again.replayed && again.state === state);
      }
    }),
    { numRuns: 400 },
  );
  // The sequences reached every movement and refusals of several kinds, so the checks above ran on real ledgers.
  for (const kind of [...MOVEMENT_KINDS, 'reversal' as const]) assert.ok((acceptedKinds.get(kind) ?? 0) >= 20, `${kind} was accepted ${acceptedKinds.get(kind) ?? 0} times`);
  for (const code of ['insufficient-cash', 'already-paid', 'amount-mismatch', 'not-paid', 'already-reversed', 'investor-mismatch', 'interest-reserved', 'payables-unmet']) {
    assert.ok(refusalCodes.has(code), `no sequence was refused with ${code}`);
  }
});

test('property: a reversal at any later point takes exactly the reversed movement out of the balances', () => {
  fc.assert(
    fc.property(stepsArb, fc.nat(), (steps, pick) => {
      let state = emptyLedger(FUND);
      let on = START;
      const written: LedgerTransaction[] = [];
      for (const [index, [op, days]] of steps.entries()) {
        on = addDays(on, days);
        const tx = toTransaction(state, op, `tx-${index}`, on, written);
        if (tx === null || tx.kind === 'reversal') continue;
        const result = applyTransaction(state, tx);
        if (!result.ok) continue;
        state = result.state;
        written.push(tx);
      }
      if (written.length === 0) return;
      const target = written[pick % written.length]!;
      const result = applyTransaction(state, reversalOf(target, { id: 'late-reversal', on }));
      if (!result.ok) {
        // Refused only where undoing it now would break a rule: cash spent since, or an offer paid since.
        assert.ok(['insufficient-cash', 'payable-negative', 'not-paid'].includes(result.refusal.code), result.refusal.code);
        return;
      }
      // The reversed movement's own effect, read off its postings on each account's normal side.
      const before = balances(state);
      const after = balances(result.state);
      for (const account of ACCOUNT_IDS) {
        const posted = target.postings.reduce((sum, posting) => (posting.account === account ? sum + posting.amountFen : sum), 0n);
        const effect = FUND_ACCOUNTS[account].normalSide === 'debit' ? posted : -posted;
        assert.equal(after[account], before[account] - effect, account);
      }
      checkState(result.state, [...written, reversalOf(target, { id: 'late-reversal', on })]);
    }),
    { numRuns: 300 },
  );
});
