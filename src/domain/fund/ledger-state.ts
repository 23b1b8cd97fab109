import type { IsoDate } from '../market/calendar-date.ts';
import { formatFen, type Fen } from '../money/fen.ts';
import { ACCOUNT_IDS, FUND_ACCOUNTS, type AccountId } from './fund-accounts.ts';
import { judgeRetry } from './idempotency.ts';
import { outflowRefusal, type NormalBalances } from './interest-rule.ts';
import { ledgerRefusal, type LedgerRefusal, type LedgerRefusalCode } from './ledger-refusal.ts';
import { transactionSha256, validateTransaction, type LedgerTransaction, type Posting } from './ledger-transaction.ts';

/**
 * The fund's ledger as a pure fold over its transactions. Every balance is derived from postings;
 * a transaction is applied whole or refused whole, and a refused one leaves the state as it was.
 *
 * A transaction's id is its idempotency key: applying a transaction whose id the ledger already
 * holds is a replay when its content hash is the same (the state is returned unchanged) and is
 * refused when it differs. A payment instruction retried after a lost answer is therefore written
 * once.
 */
export interface LedgerState {
  readonly fundId: string;
  /** Sum of the postings per account, debit positive (the posting sign convention). */
  readonly postedFen: Readonly<Record<AccountId, Fen>>;
  readonly offers: ReadonlyMap<string, OfferBalance>;
  readonly funders: ReadonlyMap<string, FunderBalance>;
  readonly parties: ReadonlyMap<string, PartyBalance>;
  readonly transactions: ReadonlyMap<string, RecordedTransaction>;
  /** The date of the latest transaction; no later transaction may be dated before it. */
  readonly lastOn: IsoDate | null;
}

/**
 * One offer's sub-ledger. A payment is always of the whole payable, so the offer is unpaid
 * (payable = accepted), paid (payable = 0) or not accepted (both 0); paid = accepted − payable.
 */
export interface OfferBalance {
  readonly investor: string;
  readonly acceptedFen: Fen;
  readonly payableFen: Fen;
}

export interface FunderBalance {
  readonly contributedFen: Fen;
  readonly residualFen: Fen;
}

/** A liable party's money in the fund: commitment money paid in, recoveries paid in. */
export interface PartyBalance {
  readonly committedFen: Fen;
  readonly recoveredFen: Fen;
}

export interface RecordedTransaction {
  readonly transaction: LedgerTransaction;
  readonly sha256: string;
  readonly reversedBy: string | null;
}

export type ApplyResult = { ok: true; state: LedgerState; replayed: boolean } | { ok: false; refusal: LedgerRefusal };

export type ReplayResult = { ok: true; state: LedgerState } | { ok: false; index: number; transactionId: string; refusal: LedgerRefusal };

const ZERO_BALANCES: Readonly<Record<AccountId, Fen>> = Object.freeze(Object.fromEntries(ACCOUNT_IDS.map((account) => [account, 0n])) as Record<AccountId, Fen>);

export function emptyLedger(fundId: string): LedgerState {
  return { fundId, postedFen: ZERO_BALANCES, offers: new Map(), funders: new Map(), parties: new Map(), transactions: new Map(), lastOn: null };
}

export function applyTransaction(state: LedgerState, tx: LedgerTransaction): ApplyResult {
  const decision = decide(state, tx);
  if ('refusal' in decision) return { ok: false, refusal: decision.refusal };
  if (decision.replayed) return { ok: true, state, replayed: true };
  return { ok: true, state: commit(state, decision.change, false), replayed: false };
}

/**
 * As `applyTransaction`, but writing into the maps of `state`, which the caller gives up: for an
 * owner that keeps a single state and never looks at an earlier version again (the store's cache
 * of a fund). Each write then costs what it touches, not the size of the ledger; a refused
 * transaction changes nothing.
 */
export function applyTransactionInPlace(state: LedgerState, tx: LedgerTransaction): ApplyResult {
  const decision = decide(state, tx);
  if ('refusal' in decision) return { ok: false, refusal: decision.refusal };
  if (decision.replayed) return { ok: true, state, replayed: true };
  return { ok: true, state: commit(state, decision.change, true), replayed: false };
}

/**
 * The state after `transactions` in order, from an empty ledger of `fundId`; the first refusal stops
 * the replay and is returned with its position. The fold writes into maps it created itself, so a
 * replay takes time in proportion to the ledger's length.
 */
export function replayLedger(fundId: string, transactions: readonly LedgerTransaction[]): ReplayResult {
  let state = emptyLedger(fundId);
  for (const [index, tx] of transactions.entries()) {
    const decision = decide(state, tx);
    if ('refusal' in decision) return { ok: false, index, transactionId: String(tx.id), refusal: decision.refusal };
    if (!decision.replayed) state = commit(state, decision.change, true);
  }
  return { ok: true, state };
}

/** Every account's balance on its normal side (fund-accounts.ts), so that ordinary balances are positive. */
export function balances(state: LedgerState): NormalBalances {
  return normalBalances(state.postedFen);
}

export interface TrialBalanceLine {
  account: AccountId;
  debitFen: Fen;
  creditFen: Fen;
}

export interface TrialBalance {
  lines: TrialBalanceLine[];
  totalDebitFen: Fen;
  totalCreditFen: Fen;
}

/** Each account's balance in the debit or the credit column, in chart order; the two totals are equal. */
export function trialBalance(state: LedgerState): TrialBalance {
  const lines = ACCOUNT_IDS.map((account) => {
    const posted = state.postedFen[account];
    return { account, debitFen: posted > 0n ? posted : 0n, creditFen: posted < 0n ? -posted : 0n };
  });
  return {
    lines,
    totalDebitFen: lines.reduce((total, line) => total + line.debitFen, 0n),
    totalCreditFen: lines.reduce((total, line) => total + line.creditFen, 0n),
  };
}

function normalBalances(posted: Readonly<Record<AccountId, Fen>>): NormalBalances {
  return Object.fromEntries(ACCOUNT_IDS.map((account) => [account, FUND_ACCOUNTS[account].normalSide === 'debit' ? posted[account] : -posted[account]])) as Record<AccountId, Fen>;
}

/** What a transaction changes, worked out and checked before anything is written. */
interface Change {
  tx: LedgerTransaction;
  sha256: string;
  postedFen: Record<AccountId, Fen>;
  offers: Map<string, OfferBalance>;
  funders: Map<string, FunderBalance>;
  parties: Map<string, PartyBalance>;
}

type Decision = { refusal: LedgerRefusal } | { replayed: true } | { replayed: false; change: Change };

function refuse(code: LedgerRefusalCode, zh: string, en: string): Decision {
  return { refusal: ledgerRefusal(code, zh, en) };
}

function decide(state: LedgerState, tx: LedgerTransaction): Decision {
  const invalid = validateTransaction(tx);
  if (invalid !== null) return { refusal: invalid };
  if (tx.fundId !== state.fundId) return refuse('wrong-fund', `交易属于基金 ${tx.fundId}，不属于本基金 ${state.fundId}`, `the transaction belongs to fund ${tx.fundId}, not to ${state.fundId}`);
  const sha256 = transactionSha256(tx);
  const known = state.transactions.get(tx.id);
  const verdict = judgeRetry(known === undefined ? null : { requestSha256: known.sha256, result: known.transaction }, { requestSha256: sha256 });
  if (verdict === 'replay') return { replayed: true };
  if (verdict === 'conflict') {
    return refuse('idempotency-conflict', `交易编号 ${tx.id} 已用于内容不同的另一笔交易`, `transaction id ${tx.id} was already used for a transaction with different content`);
  }
  if (state.lastOn !== null && tx.on < state.lastOn) {
    return refuse('date-order', `交易日期 ${tx.on} 早于上一笔交易的日期 ${state.lastOn}，账簿不能倒填`, `the date ${tx.on} is before the latest transaction's ${state.lastOn}: the ledger is never back-dated`);
  }

  const before = kindRefusal(state, tx);
  if (before !== null) return { refusal: before };

  const change: Change = { tx, sha256, postedFen: { ...state.postedFen }, offers: new Map(), funders: new Map(), parties: new Map() };
  for (const posting of tx.postings) applyPosting(state, change, posting);

  const after = normalBalances(change.postedFen);
  if (after['custody-cash'] < 0n) {
    const custody = formatFen(state.postedFen['custody-cash']);
    return refuse(
      'insufficient-cash',
      `托管资金 ${custody} 元不足，该笔交易后将为 ${formatFen(after['custody-cash'])} 元`,
      `custody cash of ${custody} yuan is not enough: it would become ${formatFen(after['custody-cash'])} yuan`,
    );
  }
  for (const [offerId, offer] of change.offers) {
    if (offer.payableFen < 0n) {
      return refuse('payable-negative', `要约 ${offerId} 已经支付，须先退回或冲正其付款`, `offer ${offerId} is paid: its payment must be returned or reversed first`);
    }
    if (offer.payableFen > offer.acceptedFen) {
      return refuse('not-paid', `要约 ${offerId} 没有未退回的付款可以冲正`, `offer ${offerId} has no outstanding payment to reverse`);
    }
  }
  if (tx.kind !== 'reversal') {
    const outflow = outflowRefusal(tx.kind, after);
    if (outflow !== null) return { refusal: outflow };
  }
  return { replayed: false, change };
}

/** The checks that depend on the kind and on what the ledger already holds. */
function kindRefusal(state: LedgerState, tx: LedgerTransaction): LedgerRefusal | null {
  const offerPosting = tx.postings.find((posting) => posting.offerId !== undefined);
  const offer = offerPosting === undefined ? undefined : state.offers.get(offerPosting.offerId!);
  const payablesMoved = -tx.postings.reduce((total, posting) => (posting.account === 'investor-payables' ? total + posting.amountFen : total), 0n);
  const offerId = offerPosting?.offerId ?? '';
  const investor = offerPosting?.investor ?? '';
  const investorMismatch = (): LedgerRefusal =>
    ledgerRefusal('investor-mismatch', `要约 ${offerId} 属于投资者 ${offer!.investor}，不属于 ${investor}`, `offer ${offerId} belongs to investor ${offer!.investor}, not to ${investor}`);
  switch (tx.kind) {
    case 'offer-accepted':
      if (offer !== undefined && offer.investor !== investor) return investorMismatch();
      if (offer !== undefined && offer.acceptedFen > 0n) {
        return ledgerRefusal('offer-already-accepted', `要约 ${offerId} 已被接受（${formatFen(offer.acceptedFen)} 元）；更正须先冲正原接受记录`, `offer ${offerId} is already accepted (${formatFen(offer.acceptedFen)} yuan); to correct it, reverse that acceptance first`);
      }
      return null;
    case 'payment-sent':
    case 'payment-returned': {
      if (offer === undefined || offer.acceptedFen === 0n) {
        return ledgerRefusal('unknown-offer', `要约 ${offerId} 未被接受，不能支付或退回`, `offer ${offerId} has not been accepted: nothing can be paid or returned on it`);
      }
      if (offer.investor !== investor) return investorMismatch();
      const paid = offer.acceptedFen - offer.payableFen;
      if (tx.kind === 'payment-sent') {
        if (offer.payableFen === 0n) {
          return ledgerRefusal('already-paid', `要约 ${offerId} 已支付 ${formatFen(paid)} 元；只有付款失败退回后才能再次支付`, `offer ${offerId} is already paid (${formatFen(paid)} yuan); it is paid again only after the payment failed and came back`);
        }
        if (-payablesMoved !== offer.payableFen) {
          return ledgerRefusal('amount-mismatch', `要约 ${offerId} 应付 ${formatFen(offer.payableFen)} 元，付款为 ${formatFen(-payablesMoved)} 元；每个要约一次付清`, `offer ${offerId} has ${formatFen(offer.payableFen)} yuan payable but the payment is ${formatFen(-payablesMoved)} yuan; an offer is paid whole, once`);
        }
        return null;
      }
      if (paid === 0n) return ledgerRefusal('not-paid', `要约 ${offerId} 没有未退回的付款`, `offer ${offerId} has no outstanding payment to return`);
      if (payablesMoved !== paid) {
        return ledgerRefusal('amount-mismatch', `要约 ${offerId} 的付款为 ${formatFen(paid)} 元，退回金额却是 ${formatFen(payablesMoved)} 元`, `offer ${offerId} was paid ${formatFen(paid)} yuan but ${formatFen(payablesMoved)} yuan is returned`);
      }
      return null;
    }
    case 'residual-returned':
      for (const posting of tx.postings) {
        if (posting.funderId !== undefined && !((state.funders.get(posting.funderId)?.contributedFen ?? 0n) > 0n)) {
          return ledgerRefusal('unknown-funder', `${posting.funderId} 没有出资，不能向其退还剩余资金`, `${posting.funderId} has contributed nothing and cannot receive residual`);
        }
      }
      return null;
    case 'treasury-remitted':
      if (-state.postedFen['commitment-money'] <= 0n) {
        return ledgerRefusal('not-administrative-settlement', '本基金没有承诺金，剩余资金不上缴国库，而是退还出资人', 'the fund holds no commitment money: its residual goes back to the funders, not to the treasury');
      }
      return null;
    case 'reversal':
      return reversalRefusal(state, tx);
    default:
      return null;
  }
}

function reversalRefusal(state: LedgerState, tx: LedgerTransaction): LedgerRefusal | null {
  const target = state.transactions.get(tx.reverses!);
  if (target === undefined) return ledgerRefusal('unknown-transaction', `没有编号为 ${tx.reverses} 的交易`, `there is no transaction ${tx.reverses}`);
  if (target.transaction.kind === 'reversal') {
    return ledgerRefusal('reversal-of-reversal', `交易 ${tx.reverses} 本身是冲正，不能再冲正；请重新记录原交易`, `transaction ${tx.reverses} is itself a reversal and cannot be reversed; record the movement again instead`);
  }
  if (target.reversedBy !== null) {
    return ledgerRefusal('already-reversed', `交易 ${tx.reverses} 已被 ${target.reversedBy} 冲正`, `transaction ${tx.reverses} was already reversed by ${target.reversedBy}`);
  }
  const original = target.transaction.postings;
  const mirrors =
    original.length === tx.postings.length &&
    original.every((posting, index) => {
      const mirror = tx.postings[index]!;
      return (
        mirror.account === posting.account &&
        mirror.amountFen === -posting.amountFen &&
        mirror.investor === posting.investor &&
        mirror.offerId === posting.offerId &&
        mirror.funderId === posting.funderId &&
        mirror.partyId === posting.partyId
      );
    });
  if (!mirrors) {
    return ledgerRefusal('reversal-mismatch', `冲正分录必须与交易 ${tx.reverses} 的分录逐笔相同、方向相反`, `a reversal's postings are those of ${tx.reverses}, one by one, with the opposite sign`);
  }
  return paymentReversalRefusal(state, tx.reverses!, target.transaction);
}

/**
 * Reversing a payment takes it back, and reversing a returned payment sends it again: each is held
 * to the rule the movement it amounts to is held to, that an offer is paid whole, once. Without it,
 * an offer whose acceptance was reversed and made again for another amount could have an old,
 * smaller payment put back on it, and be left partly paid.
 */
function paymentReversalRefusal(state: LedgerState, reversedId: string, reversed: LedgerTransaction): LedgerRefusal | null {
  if (reversed.kind !== 'payment-sent' && reversed.kind !== 'payment-returned') return null;
  const posting = reversed.postings.find((entry) => entry.account === 'investor-payables' && entry.offerId !== undefined);
  if (posting === undefined) return null;
  const offerId = posting.offerId!;
  const offer = state.offers.get(offerId);
  const amount = posting.amountFen < 0n ? -posting.amountFen : posting.amountFen;
  const payable = offer?.payableFen ?? 0n;
  const paid = (offer?.acceptedFen ?? 0n) - payable;
  // An offer with nothing payable, or nothing paid, is refused by the balance checks, in their words.
  if (reversed.kind === 'payment-returned' && payable > 0n && payable !== amount) {
    return ledgerRefusal(
      'amount-mismatch',
      `冲正退款 ${reversedId} 等于再付要约 ${offerId} ${formatFen(amount)} 元，但其应付为 ${formatFen(payable)} 元；每个要约一次付清`,
      `reversing the return ${reversedId} would pay offer ${offerId} ${formatFen(amount)} yuan again, but it has ${formatFen(payable)} yuan payable; an offer is paid whole, once`,
    );
  }
  if (reversed.kind === 'payment-sent' && paid > 0n && paid !== amount) {
    return ledgerRefusal(
      'amount-mismatch',
      `冲正付款 ${reversedId} 等于收回要约 ${offerId} ${formatFen(amount)} 元，但其已付为 ${formatFen(paid)} 元`,
      `reversing the payment ${reversedId} would take ${formatFen(amount)} yuan back from offer ${offerId}, but it is paid ${formatFen(paid)} yuan`,
    );
  }
  return null;
}

function applyPosting(state: LedgerState, change: Change, posting: Posting): void {
  const amount = posting.amountFen;
  change.postedFen[posting.account] += amount;
  if (posting.offerId !== undefined) {
    const offer = change.offers.get(posting.offerId) ?? state.offers.get(posting.offerId) ?? { investor: posting.investor!, acceptedFen: 0n, payableFen: 0n };
    change.offers.set(
      posting.offerId,
      posting.account === 'compensation' ? { ...offer, acceptedFen: offer.acceptedFen + amount } : { ...offer, payableFen: offer.payableFen - amount },
    );
  }
  if (posting.funderId !== undefined) {
    const funder = change.funders.get(posting.funderId) ?? state.funders.get(posting.funderId) ?? { contributedFen: 0n, residualFen: 0n };
    change.funders.set(
      posting.funderId,
      posting.account === 'funder-contributions' ? { ...funder, contributedFen: funder.contributedFen - amount } : { ...funder, residualFen: funder.residualFen + amount },
    );
  }
  if (posting.partyId !== undefined) {
    const party = change.parties.get(posting.partyId) ?? state.parties.get(posting.partyId) ?? { committedFen: 0n, recoveredFen: 0n };
    change.parties.set(
      posting.partyId,
      posting.account === 'commitment-money' ? { ...party, committedFen: party.committedFen - amount } : { ...party, recoveredFen: party.recoveredFen - amount },
    );
  }
}

/**
 * Writes a checked change. `inPlace` is for a replay's own maps only; otherwise every map the change
 * touches is copied, so the state passed in is never modified.
 */
function commit(state: LedgerState, change: Change, inPlace: boolean): LedgerState {
  const merge = <V>(current: ReadonlyMap<string, V>, updates: Map<string, V>): ReadonlyMap<string, V> => {
    if (updates.size === 0) return current;
    const target = inPlace ? (current as Map<string, V>) : new Map(current);
    for (const [key, value] of updates) target.set(key, value);
    return target;
  };
  const recorded = new Map<string, RecordedTransaction>([[change.tx.id, { transaction: change.tx, sha256: change.sha256, reversedBy: null }]]);
  if (change.tx.reverses !== undefined) {
    const target = state.transactions.get(change.tx.reverses)!;
    recorded.set(change.tx.reverses, { ...target, reversedBy: change.tx.id });
  }
  return {
    fundId: state.fundId,
    postedFen: change.postedFen,
    offers: merge(state.offers, change.offers),
    funders: merge(state.funders, change.funders),
    parties: merge(state.parties, change.parties),
    transactions: merge(state.transactions, recorded),
    lastOn: change.tx.on,
  };
}
