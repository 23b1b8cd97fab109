import { contentHash } from '../content-hash.ts';
import { isIsoDate, type IsoDate } from '../market/calendar-date.ts';
import { formatFen, type Fen } from '../money/fen.ts';
import { FLOWS, FUND_ACCOUNTS, isAccountId, isMovementKind, type AccountId, type MovementKind } from './fund-accounts.ts';
import { ledgerRefusal, type LedgerRefusal } from './ledger-refusal.ts';

/**
 * One movement of the fund: postings that sum to zero, written once and never changed. A mistake
 * is corrected by a reversal, a new transaction whose postings are the mistaken one's negated.
 *
 * Sign convention: a posting's `amountFen` is positive for a debit and negative for a credit. Custody
 * cash (an asset) grows by debits; contributions, interest and payables grow by credits. A
 * transaction of a movement kind debits the kind's `to` account and credits its `from` account
 * (fund-accounts.ts, FLOWS) and touches no other.
 */
export type TransactionKind = MovementKind | 'reversal';

export interface Posting {
  account: AccountId;
  /** Fen; positive is a debit, negative a credit, never zero. */
  amountFen: Fen;
  /** On compensation and investor payables, with `offerId`: whose offer it is. */
  investor?: string;
  offerId?: string;
  /** On funders' contributions and residual returned. */
  funderId?: string;
  /** On commitment money (the committing party) and recoveries (the liable party paying). */
  partyId?: string;
}

export interface LedgerTransaction {
  /** Unique in the ledger; it is also the write's idempotency key (ledger-state.ts). */
  id: string;
  fundId: string;
  kind: TransactionKind;
  on: IsoDate;
  memo: string;
  postings: readonly Posting[];
  /** The id of the transaction this one reverses; present exactly on a reversal. */
  reverses?: string;
}

/**
 * Checks what a transaction must satisfy on its own, whatever the ledger holds: its form, known
 * accounts, no zero posting, the references each account keeps, only the accounts and directions
 * its kind moves, one offer at most, and a sum of zero. Null when it passes.
 */
export function validateTransaction(tx: LedgerTransaction): LedgerRefusal | null {
  const form = formProblem(tx);
  if (form !== null) return ledgerRefusal('malformed', `交易格式错误：${form.zh}`, `malformed transaction: ${form.en}`);
  if ((tx.kind === 'reversal') !== (tx.reverses !== undefined)) {
    return tx.kind === 'reversal'
      ? ledgerRefusal('reversal-link', '冲正交易必须写明所冲正的交易', 'a reversal must name the transaction it reverses')
      : ledgerRefusal('reversal-link', `只有冲正交易才能写明被冲正的交易，${tx.kind} 不是冲正`, `only a reversal names a transaction it reverses; ${tx.kind} is not a reversal`);
  }
  for (const [index, posting] of tx.postings.entries()) {
    const n = index + 1;
    if (!isAccountId(posting.account)) return ledgerRefusal('unknown-account', `第 ${n} 笔分录的科目 ${posting.account} 不存在`, `posting ${n}: there is no account ${posting.account}`);
    if (posting.amountFen === 0n) return ledgerRefusal('zero-posting', `第 ${n} 笔分录金额为零`, `posting ${n} is for zero`);
    const reference = referenceProblem(posting);
    if (reference !== null) return ledgerRefusal('reference-mismatch', `第 ${n} 笔分录${reference.zh}`, `posting ${n}: ${reference.en}`);
    if (tx.kind !== 'reversal') {
      const flow = FLOWS[tx.kind];
      const allowed = (posting.account === flow.to && posting.amountFen > 0n) || (posting.account === flow.from && posting.amountFen < 0n);
      if (!allowed) {
        const side = posting.amountFen > 0n ? { zh: '借记', en: 'debit' } : { zh: '贷记', en: 'credit' };
        return ledgerRefusal(
          'flow-not-allowed',
          `${flow.name.zh}只能借记${FUND_ACCOUNTS[flow.to].name.zh}、贷记${FUND_ACCOUNTS[flow.from].name.zh}；第 ${n} 笔分录${side.zh}${FUND_ACCOUNTS[posting.account].name.zh}`,
          `${flow.name.en} debits only ${FUND_ACCOUNTS[flow.to].name.en} and credits only ${FUND_ACCOUNTS[flow.from].name.en}; posting ${n} is a ${side.en} to ${FUND_ACCOUNTS[posting.account].name.en}`,
        );
      }
    }
  }
  const offers = new Set(tx.postings.flatMap((posting) => (posting.offerId === undefined ? [] : [`${posting.offerId}\u0000${posting.investor}`])));
  if (offers.size > 1) {
    return ledgerRefusal('one-offer-per-transaction', '一笔交易只能涉及一个赔付要约及其投资者', 'a transaction concerns one offer and its investor at most');
  }
  const sum = tx.postings.reduce((total, posting) => total + posting.amountFen, 0n);
  if (sum !== 0n) {
    return ledgerRefusal('unbalanced', `借贷不平：分录合计 ${formatFen(sum)} 元，应为零`, `the postings sum to ${formatFen(sum)} yuan, not zero`);
  }
  return null;
}

/** SHA-256 of the transaction's canonical JSON: what its idempotency key is stored with. */
export function transactionSha256(tx: LedgerTransaction): string {
  return contentHash({
    id: tx.id,
    fundId: tx.fundId,
    kind: tx.kind,
    on: tx.on,
    memo: tx.memo,
    postings: tx.postings.map((posting) => ({
      account: posting.account,
      amountFen: posting.amountFen,
      investor: posting.investor,
      offerId: posting.offerId,
      funderId: posting.funderId,
      partyId: posting.partyId,
    })),
    reverses: tx.reverses,
  });
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.trim() === value;
}

const KIND_LIST = `${Object.keys(FLOWS).join(', ')}, reversal`;

/** Transactions arrive from the store and the API as data: their form is checked, not assumed. */
function formProblem(tx: LedgerTransaction): { zh: string; en: string } | null {
  if (!isName(tx.id)) return { zh: '交易编号不能为空，首尾不能有空白', en: 'the id must be a non-empty string without surrounding spaces' };
  if (!isName(tx.fundId)) return { zh: '基金编号不能为空，首尾不能有空白', en: 'the fund id must be a non-empty string without surrounding spaces' };
  if (typeof tx.kind !== 'string' || (tx.kind !== 'reversal' && !isMovementKind(tx.kind))) {
    return { zh: `交易类型 ${String(tx.kind)} 不存在，应为 ${KIND_LIST} 之一`, en: `there is no kind ${String(tx.kind)}; it is one of ${KIND_LIST}` };
  }
  if (typeof tx.on !== 'string' || !isIsoDate(tx.on)) return { zh: `日期 ${String(tx.on)} 不是 YYYY-MM-DD 格式的有效日期`, en: `the date ${String(tx.on)} is not a real date written YYYY-MM-DD` };
  if (typeof tx.memo !== 'string') return { zh: '摘要必须是文本', en: 'the memo must be text' };
  if (tx.reverses !== undefined && !isName(tx.reverses)) return { zh: '被冲正的交易编号不能为空', en: 'the id of the reversed transaction must be a non-empty string' };
  if (!Array.isArray(tx.postings) || tx.postings.length === 0) return { zh: '交易至少要有一笔分录', en: 'a transaction has at least one posting' };
  for (const [index, posting] of tx.postings.entries()) {
    const n = index + 1;
    if (typeof posting !== 'object' || posting === null || typeof posting.account !== 'string') {
      return { zh: `第 ${n} 笔分录缺少科目`, en: `posting ${n} names no account` };
    }
    if (typeof posting.amountFen !== 'bigint') return { zh: `第 ${n} 笔分录的金额必须是以分计的整数（bigint）`, en: `posting ${n}: the amount must be whole fen (a bigint)` };
    for (const field of ['investor', 'offerId', 'funderId', 'partyId'] as const) {
      if (posting[field] !== undefined && !isName(posting[field])) return { zh: `第 ${n} 笔分录的 ${field} 不能为空`, en: `posting ${n}: ${field} must be a non-empty string` };
    }
  }
  return null;
}

function referenceProblem(posting: Posting): { zh: string; en: string } | null {
  const account = FUND_ACCOUNTS[posting.account];
  const has = { offer: posting.offerId !== undefined || posting.investor !== undefined, funder: posting.funderId !== undefined, party: posting.partyId !== undefined };
  if (account.reference === 'offer' && (posting.offerId === undefined || posting.investor === undefined)) {
    return { zh: `（${account.name.zh}）必须写明赔付要约和投资者`, en: `${account.name.en} needs the offer and its investor` };
  }
  if (account.reference === 'funder' && posting.funderId === undefined) return { zh: `（${account.name.zh}）必须写明出资人`, en: `${account.name.en} needs the funder` };
  if (account.reference === 'party' && posting.partyId === undefined) return { zh: `（${account.name.zh}）必须写明责任主体`, en: `${account.name.en} needs the party` };
  for (const kind of ['offer', 'funder', 'party'] as const) {
    if (has[kind] && account.reference !== kind) {
      const what = { offer: { zh: '赔付要约或投资者', en: 'offer or investor' }, funder: { zh: '出资人', en: 'funder' }, party: { zh: '责任主体', en: 'party' } }[kind];
      return { zh: `（${account.name.zh}）不应写明${what.zh}`, en: `${account.name.en} takes no ${what.en}` };
    }
  }
  return null;
}
