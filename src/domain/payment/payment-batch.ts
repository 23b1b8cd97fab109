import { compareCodePoints } from '../code-point-order.ts';
import type { IsoDate } from '../market/calendar-date.ts';

/**
 * Payment batches (procedure.md step 10): after the acceptance window, the accepted offers are paid
 * in batches that one administrator prepares and another approves — never the same person — and
 * that go out as payment instructions; the bank's results come back as paid or failed with a
 * reason (closed or abnormal account, deceased holder), and a failed payment is re-routed and tried
 * again in a later batch. Each offer is paid exactly once: an offer with a payment pending, sent or
 * paid is never put in another batch, and a result can settle an item only once.
 *
 * Pure: the shell passes what is stored and today's date, and stores what comes back.
 */
export type ItemStatus = 'pending' | 'sent' | 'paid' | 'failed';
export type BatchStatus = 'prepared' | 'approved' | 'sent' | 'settled';

/** Where a payment goes: the fund account behind the securities account, or a bank account given later. */
export interface PaymentRoute {
  kind: 'securities-account' | 'bank-account';
  reference: string;
}

export interface PaymentItem {
  offerId: string;
  investor: string;
  amountFen: bigint;
  route: PaymentRoute;
  /** 1 for the first try of an offer, 2 for the first retry, … */
  attempt: number;
  status: ItemStatus;
  failure: string | null;
}

export interface PaymentBatch {
  batchId: string;
  caseId: string;
  status: BatchStatus;
  preparedBy: string;
  approvedBy: string | null;
  preparedOn: IsoDate;
  items: PaymentItem[];
}

/** An accepted offer as the shell reads it, with what its earlier payments came to. */
export interface PayableOffer {
  offerId: string;
  investor: string;
  amountFen: bigint;
  /** The latest try of this offer, if any. */
  lastAttempt: { attempt: number; status: ItemStatus } | null;
  /** Where to pay now: the registry's account, or a new route recorded after a failure. */
  route: PaymentRoute | null;
}

export interface PaymentRefusal {
  code: 'window-open' | 'nothing-to-pay' | 'same-person' | 'wrong-status' | 'unknown-item' | 'amount-mismatch' | 'result-conflict' | 'wrong-batch';
  message: { zh: string; en: string };
}

export type Decided<T> = { ok: true; value: T } | { ok: false; refusal: PaymentRefusal };

const refuse = <T>(code: PaymentRefusal['code'], zh: string, en: string): Decided<T> => ({ ok: false, refusal: { code, message: { zh, en } } });

/**
 * Prepares a batch of every offer that is due: never tried, or whose latest try failed and that
 * has a route to try again. Offers pending, sent or paid are left out, whatever the caller passes.
 */
export function prepareBatch(input: {
  batchId: string;
  caseId: string;
  preparedBy: string;
  today: IsoDate;
  windowClosesOn: IsoDate;
  offers: readonly PayableOffer[];
}): Decided<PaymentBatch> {
  if (input.today <= input.windowClosesOn) {
    return refuse('window-open', `答复期至 ${input.windowClosesOn} 结束，之后方可付款`, `payments start after the answer period ends on ${input.windowClosesOn}`);
  }
  const items: PaymentItem[] = [];
  for (const offer of input.offers) {
    const last = offer.lastAttempt;
    if (last !== null && last.status !== 'failed') continue;
    if (offer.route === null) continue;
    items.push({ offerId: offer.offerId, investor: offer.investor, amountFen: offer.amountFen, route: offer.route, attempt: (last?.attempt ?? 0) + 1, status: 'pending', failure: null });
  }
  if (items.length === 0) return refuse('nothing-to-pay', '没有待付款的已接受要约', 'no accepted offer is waiting to be paid');
  items.sort((a, b) => compareCodePoints(a.investor, b.investor) || compareCodePoints(a.offerId, b.offerId));
  return { ok: true, value: { batchId: input.batchId, caseId: input.caseId, status: 'prepared', preparedBy: input.preparedBy, approvedBy: null, preparedOn: input.today, items } };
}

/** The second person's approval (四眼原则): never the one who prepared the batch. */
export function approveBatch(batch: PaymentBatch, approver: string): Decided<PaymentBatch> {
  if (batch.status !== 'prepared') return refuse('wrong-status', `批次状态为 ${batch.status}，只有待批准的批次可批准`, `the batch is ${batch.status}; only a prepared batch can be approved`);
  if (approver === batch.preparedBy) {
    return refuse('same-person', '付款批次须由另一名管理人批准，制单人不能自行批准', 'a payment batch must be approved by another administrator than the one who prepared it');
  }
  return { ok: true, value: { ...batch, status: 'approved', approvedBy: approver } };
}

/** Marks an approved batch as sent with its instructions; its items are then in the bank's hands. */
export function sendBatch(batch: PaymentBatch): Decided<PaymentBatch> {
  if (batch.status !== 'approved') return refuse('wrong-status', '只有已批准的批次可发出付款指令', 'only an approved batch can be sent');
  return { ok: true, value: { ...batch, status: 'sent', items: batch.items.map((item) => ({ ...item, status: 'sent' })) } };
}

export interface PaymentResult {
  offerId: string;
  amountFen: bigint;
  outcome: 'paid' | 'failed';
  reason: string | null;
}

/**
 * Applies the bank's results. A result repeated as before changes nothing; a result that
 * contradicts a settled item (paid then failed, say) is refused, as is a result for an offer not in
 * the batch or for another amount. The batch is settled when every item is paid or failed.
 */
export function applyResults(batch: PaymentBatch, results: readonly PaymentResult[]): Decided<{ batch: PaymentBatch; changed: PaymentItem[] }> {
  if (batch.status !== 'sent' && batch.status !== 'settled') return refuse('wrong-status', '批次尚未发出，不能导入结果', 'the batch has not been sent; there are no results to import');
  const items = new Map(batch.items.map((item) => [item.offerId, { ...item }]));
  const changed: PaymentItem[] = [];
  for (const result of results) {
    const item = items.get(result.offerId);
    if (item === undefined) return refuse('unknown-item', `批次中没有要约 ${result.offerId}`, `offer ${result.offerId} is not in this batch`);
    if (item.amountFen !== result.amountFen) {
      return refuse('amount-mismatch', `要约 ${result.offerId} 的金额为 ${item.amountFen} 分，结果为 ${result.amountFen} 分`, `offer ${result.offerId} is for ${item.amountFen} fen, the result says ${result.amountFen}`);
    }
    if (item.status === 'paid' || item.status === 'failed') {
      if (item.status === result.outcome) continue;
      return refuse('result-conflict', `要约 ${result.offerId} 已记为 ${item.status}，不能改为 ${result.outcome}`, `offer ${result.offerId} is recorded ${item.status} already and cannot become ${result.outcome}`);
    }
    item.status = result.outcome;
    item.failure = result.outcome === 'failed' ? (result.reason ?? 'unspecified') : null;
    changed.push(item);
  }
  const next = batch.items.map((item) => items.get(item.offerId)!);
  const settled = next.every((item) => item.status === 'paid' || item.status === 'failed');
  return { ok: true, value: { batch: { ...batch, items: next, status: settled ? 'settled' : 'sent' }, changed } };
}

export function batchTotalFen(batch: PaymentBatch): bigint {
  return batch.items.reduce((total, item) => total + item.amountFen, 0n);
}
