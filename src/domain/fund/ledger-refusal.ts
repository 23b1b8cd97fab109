import type { BilingualText } from '../procedure/bilingual-text.ts';

/**
 * Why the fund's ledger refused a transaction: a stable code that programs match on and a message in
 * Chinese and English. A refused transaction leaves the ledger exactly as it was.
 */
export const LEDGER_REFUSAL_CODES = [
  /** A field is missing or of the wrong form (id, fund, date, kind, memo, posting). */
  'malformed',
  /** The postings do not sum to zero. */
  'unbalanced',
  'zero-posting',
  'unknown-account',
  /** An account the transaction's kind does not move, or moved in the wrong direction. */
  'flow-not-allowed',
  /** A posting lacks the offer, investor, funder or party its account keeps, or carries one it does not. */
  'reference-mismatch',
  /** Postings of one transaction name more than one offer, or one offer with two investors. */
  'one-offer-per-transaction',
  /** `reverses` on a transaction that is not a reversal, or a reversal without it. */
  'reversal-link',
  'wrong-fund',
  /** The transaction id is already in the ledger with different content. */
  'idempotency-conflict',
  /** Dated before the last transaction: the ledger is written in date order, never back-dated. */
  'date-order',
  /** Custody cash would become negative. */
  'insufficient-cash',
  'unknown-offer',
  'offer-already-accepted',
  'investor-mismatch',
  'already-paid',
  /** A payment or return of a different amount than the offer's payable or payment. */
  'amount-mismatch',
  /** A return (or the reversal of a payment) for an offer that has no payment outstanding. */
  'not-paid',
  /** An offer's payable would fall below zero: it is paid, and its payment must be returned first. */
  'payable-negative',
  /** An outflow would take money owed to investors. */
  'payables-unmet',
  /** An outflow would take interest earned, which only compensation may use (interest-rule.ts). */
  'interest-reserved',
  'unknown-funder',
  /** A treasury remittance from a fund that holds no commitment money. */
  'not-administrative-settlement',
  'unknown-transaction',
  'already-reversed',
  'reversal-of-reversal',
  /** A reversal whose postings are not exactly the reversed transaction's, negated. */
  'reversal-mismatch',
] as const;

export type LedgerRefusalCode = (typeof LEDGER_REFUSAL_CODES)[number];

export interface LedgerRefusal {
  code: LedgerRefusalCode;
  message: BilingualText;
}

export function ledgerRefusal(code: LedgerRefusalCode, zh: string, en: string): LedgerRefusal {
  return { code, message: { zh, en } };
}
