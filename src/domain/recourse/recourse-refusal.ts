import type { BilingualText } from '../procedure/bilingual-text.ts';

/**
 * Why a recourse computation or record was refused: a stable code that programs match on, and a
 * message in Chinese and English that names the value at fault.
 */
export const RECOURSE_REFUSAL_CODES = [
  /** An id is empty or has leading or trailing spaces. */
  'invalid-id',
  /** The same party, funder, offer, payer or recovery reference twice. */
  'duplicate',
  /** An amount below what the rule allows (a negative payment, a recovery of zero). */
  'invalid-amount',
  /** A fault percentage that is not decimal text between 0 and 100. */
  'invalid-percent',
  /** The percentages do not add up to 100, or leave nothing for the parties whose fault is undeterminable. */
  'percentages-not-100',
  /** No party bears any share: there is nobody to allocate the amount to. */
  'no-party-at-fault',
  /** The issuer is liable whatever its fault (Securities Law Art. 85) and cannot be found without fault. */
  'issuer-without-fault',
  /** No funder paid anything, so no claim can be assigned. */
  'nothing-paid',
  /** What the payers paid is not the amount that was allocated. */
  'payments-mismatch',
  /** A party or payer that is not in the allocation, or a third-party payer that is. */
  'unknown-party',
  /** A recovery between two parties where the first has no claim against the second. */
  'no-claim',
  /** A recovery above what is still outstanding on the claim. */
  'above-outstanding',
  /** A date that is not a real date written YYYY-MM-DD. */
  'invalid-date',
  /** A date before the disclosure date, from which everything here counts. */
  'date-order',
  /** A recorded decision without its reason, or a recovery without its reference. */
  'reason-required',
] as const;

export type RecourseRefusalCode = (typeof RECOURSE_REFUSAL_CODES)[number];

export interface RecourseRefusal {
  code: RecourseRefusalCode;
  message: BilingualText;
}

/** What a refused computation or record returns in place of its result. */
export interface Refused {
  ok: false;
  refusal: RecourseRefusal;
}

export function refused(code: RecourseRefusalCode, zh: string, en: string): Refused {
  return { ok: false, refusal: { code, message: { zh, en } } };
}

/** An id as every file of the case writes it: not empty, no spaces around it. */
export function isValidId(id: string): boolean {
  return id.length > 0 && id.trim() === id;
}
