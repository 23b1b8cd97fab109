import { contentHash } from '../content-hash.ts';
import { isTradeTime } from '../market/calendar-date.ts';

/**
 * The audit log (审计日志): every command, accepted or refused, leaves one entry naming who issued it,
 * in which role, when, why, and a hash of what it carried. Each entry holds the hash of the one
 * before it, so editing, removing or reordering an entry breaks every link after it, and anyone
 * holding a copy of the log can check it with nothing but SHA-256.
 *
 * The chain cannot show that entries were cut off its end: a shorter log is still a valid chain.
 * Publishing the head's hash (seq and hash of the last entry) anchors it against that.
 */
export interface AuditEntry {
  /** 1, 2, 3, … without gaps: a missing number is a removed entry. */
  seq: bigint;
  caseId: string | null;
  actorId: string;
  role: string;
  /** `YYYY-MM-DDTHH:MM:SS.sssZ`, UTC: one spelling per instant, so the hash is reproducible. */
  at: string;
  command: string;
  reason: string | null;
  /** contentHash of the command's payload; the payload itself lives with the record it changed. */
  payloadHash: string;
  outcome: AuditOutcome;
  prevHash: string;
  hash: string;
}

export type AuditOutcome = 'accepted' | 'refused';
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['accepted', 'refused'];

/** An entry before it is sealed with its own hash. */
export type UnsealedAuditEntry = Omit<AuditEntry, 'hash'>;

/** The previous hash of entry 1: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** Where a chain continues from: the last entry already checked, or the start of the log. */
export interface AuditChainLink {
  seq: bigint;
  hash: string;
}

export const AUDIT_CHAIN_START: AuditChainLink = { seq: 0n, hash: GENESIS_HASH };

export type AuditChainVerdict = { ok: true; entries: number } | { ok: false; brokenAt: bigint; problem: string };

/**
 * The hash that seals an entry: contentHash of every field but `hash`. The fields are listed one by
 * one so that anything else a caller's object carries (its own `hash`, a database column) never
 * enters the hash.
 */
export function auditEntryHash(entry: UnsealedAuditEntry): string {
  return contentHash({
    seq: entry.seq,
    caseId: entry.caseId,
    actorId: entry.actorId,
    role: entry.role,
    at: entry.at,
    command: entry.command,
    reason: entry.reason,
    payloadHash: entry.payloadHash,
    outcome: entry.outcome,
    prevHash: entry.prevHash,
  });
}

/** Seals an entry: the same fields with the hash that covers them. */
export function sealAuditEntry(entry: UnsealedAuditEntry): AuditEntry {
  return { ...entry, hash: auditEntryHash(entry) };
}

/**
 * True for an instant written `YYYY-MM-DDTHH:MM:SS.sssZ` that names a real date and time of day,
 * the one form an entry's `at` takes (what `Date.prototype.toISOString` writes for years 0–9999).
 */
export function isAuditTimestamp(text: string): boolean {
  return text.length === 24 && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(text) && isTradeTime(text.slice(0, 19));
}

/**
 * Checks entries given in seq order, continuing from `after` (the start of the log unless a
 * previous page was checked up to there), and names the first entry whose link is broken:
 * - its seq does not follow the previous one (an entry removed, repeated or moved),
 * - its previous hash is not the previous entry's hash (the chain was cut and rejoined),
 * - its own hash does not match its contents (a field was edited).
 */
export function verifyAuditChain(entries: Iterable<AuditEntry>, after: AuditChainLink = AUDIT_CHAIN_START): AuditChainVerdict {
  let previous = after;
  let count = 0;
  for (const entry of entries) {
    const problem = linkProblem(previous, entry);
    if (problem !== null) return { ok: false, brokenAt: entry.seq, problem };
    previous = entry;
    count++;
  }
  return { ok: true, entries: count };
}

function linkProblem(previous: AuditChainLink, entry: AuditEntry): string | null {
  const expected = previous.seq + 1n;
  if (entry.seq < expected) {
    return `entry ${entry.seq} comes after entry ${previous.seq}: entries are out of order or repeated`;
  }
  if (entry.seq > expected) {
    const missing = entry.seq === expected + 1n ? `entry ${expected} is missing` : `entries ${expected} to ${entry.seq - 1n} are missing`;
    const where = previous.seq === 0n ? `the log starts at entry ${entry.seq}` : `entry ${entry.seq} follows entry ${previous.seq}`;
    return `${where}: ${missing}`;
  }
  if (entry.prevHash !== previous.hash) {
    const predecessor = previous.seq === 0n ? 'the genesis hash' : `the hash of entry ${previous.seq} (${previous.hash})`;
    return `entry ${entry.seq} does not link to its predecessor: it records previous hash ${entry.prevHash}, not ${predecessor}`;
  }
  const actual = auditEntryHash(entry);
  if (entry.hash !== actual) {
    return `entry ${entry.seq} was altered: its contents hash to ${actual}, but it records ${entry.hash}`;
  }
  return null;
}
