import type { Role } from '../access/roles.ts';
import type { BilingualText } from './bilingual-text.ts';

/**
 * Why a command was refused: a stable kebab-case code that programs match on, and a message in
 * Chinese and English that says what is wrong and, where it can, what to do instead. The codes are
 * listed with their meaning in docs/procedure.md.
 */
export const REFUSAL_CODES = [
  'invalid-command',
  'wrong-role',
  'out-of-sequence',
  'case-exists',
  'date-order',
  'short-notice',
  'beyond-time-limit',
  'pause-refused',
  'duplicate',
  'unknown-party',
  'unknown-funder',
  'not-a-funder',
  'acting-for-another',
  'conflict-of-interest',
  'not-an-applicant',
  'seat-taken',
  'draw-commitment-mismatch',
  'host-conflict',
  'not-appointed-host',
  'ineligible-participant',
  'not-a-participant',
  'unknown-reference',
  'seats-unbalanced',
  'signatures-missing',
  'invalid-plan',
  'unknown-plan-version',
  'plan-not-in-record',
  'unknown-flag',
  'record-not-closed',
  'review-flags-open',
  'plan-mismatch',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  code: RefusalCode;
  message: BilingualText;
}

export function refusal(code: RefusalCode, zh: string, en: string): Refusal {
  return { code, message: { zh, en } };
}

/** Role names as the Provisions and the screens call them. */
export const ROLE_NAMES: Record<Role, BilingualText> = {
  administrator: { zh: '基金管理人', en: 'the administrator' },
  'hearing-host': { zh: '听证主持人', en: 'the hearing host' },
  funder: { zh: '出资人', en: 'a funder' },
  representative: { zh: '投资者代表', en: 'an investor representative' },
  lawyer: { zh: '投资者律师', en: "an investors' lawyer" },
  investor: { zh: '投资者', en: 'an investor' },
  auditor: { zh: '审计人员', en: 'an auditor' },
  public: { zh: '公众', en: 'the public' },
};
