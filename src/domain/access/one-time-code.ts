import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../content-hash.ts';

/**
 * The rules of an investor's one-time sign-in code (一次性验证码): six digits, good for ten minutes
 * and five tries, at most three codes per investor and account in fifteen minutes. Pure: the store
 * draws the code and keeps the challenges, this module judges them.
 */
export const CODE_DIGITS = 6;
export const CODE_LIFETIME_MS = 10 * 60_000;
export const MAX_ATTEMPTS = 5;
export const MAX_CODES_PER_WINDOW = 3;
export const CODE_WINDOW_MS = 15 * 60_000;

export interface SignInChallenge {
  id: string;
  codeSha256: string;
  expiresAt: Date;
  attempts: number;
  usedAt: Date | null;
}

export type CodeVerdict = 'ok' | 'wrong' | 'expired' | 'used' | 'locked';

/** The code is hashed with its challenge's id, so equal codes of two challenges differ in the table. */
export function codeDigest(challengeId: string, code: string): string {
  return sha256Hex(`${challengeId}:${code}`);
}

/** Whether `code` signs in on `challenge` at `now`; a wrong try counts against the challenge. */
export function judgeCode(challenge: SignInChallenge, code: string, now: Date): CodeVerdict {
  if (challenge.usedAt !== null) return 'used';
  if (now.getTime() >= challenge.expiresAt.getTime()) return 'expired';
  if (challenge.attempts >= MAX_ATTEMPTS) return 'locked';
  const given = Buffer.from(codeDigest(challenge.id, code.trim()));
  const expected = Buffer.from(challenge.codeSha256);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'wrong';
}

/** Whether another code may be sent, given when the recent ones were. */
export function mayIssueCode(recentIssues: readonly Date[], now: Date): boolean {
  return recentIssues.filter((issued) => now.getTime() - issued.getTime() < CODE_WINDOW_MS).length < MAX_CODES_PER_WINDOW;
}
