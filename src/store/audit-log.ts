import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import {
  AUDIT_CHAIN_START,
  AUDIT_OUTCOMES,
  GENESIS_HASH,
  isAuditTimestamp,
  sealAuditEntry,
  verifyAuditChain,
  type AuditChainLink,
  type AuditChainVerdict,
  type AuditEntry,
  type AuditOutcome,
} from '../domain/audit/audit-chain.ts';
import { contentHash, type CanonicalValue } from '../domain/content-hash.ts';
import { perDatabase } from './per-database.ts';
import type { AuditLogTable, Tables } from './tables.ts';

/**
 * The audit log table (migrations/0001_audit_log.sql) and its chain (domain/audit/audit-chain.ts).
 * Appends are serialised by a transaction-scoped advisory lock taken before the head is read, so
 * two commands committing at once still form one chain: the second reads the head only after the
 * first has committed or rolled back. The lock is released with the caller's transaction, which
 * should therefore be short once it has appended.
 */
const AUDIT_LOCK_KEY = 0x7265_6472_6175_6401n;

const PAGE = 1000;

export interface AuditEntryInput {
  caseId: string | null;
  actorId: string;
  role: string;
  /** `YYYY-MM-DDTHH:MM:SS.sssZ` (what `Date.prototype.toISOString` writes). */
  at: string;
  command: string;
  reason: string | null;
  /** What the command carried; only its contentHash is kept here. */
  payload: CanonicalValue;
  outcome: AuditOutcome;
}

/**
 * Appends one entry inside the caller's transaction, so the entry commits or rolls back with the
 * change it records; given the database itself, it opens a transaction of its own. Under READ
 * COMMITTED (the default) the head is read after the lock is held and so sees the last committed
 * entry. Under REPEATABLE READ or SERIALIZABLE the transaction's snapshot is older than the lock,
 * so an append racing another fails on the seq key instead (the chain never forks): retry the
 * transaction.
 */
export async function appendAuditEntry(executor: Kysely<Tables> | Transaction<Tables>, input: AuditEntryInput): Promise<AuditEntry> {
  const payloadHash = checkedPayloadHash(input);
  if (!executor.isTransaction) return executor.transaction().execute((trx) => append(trx, input, payloadHash));
  return append(executor, input, payloadHash);
}

/**
 * The head this process last appended, per database. It may be behind the log, when another
 * process appended since, or ahead of it, when the transaction of its append rolled back: the
 * insert after it checks.
 */
const lastAppended = perDatabase((): { head?: AuditChainLink } => ({}));

async function append(trx: Kysely<Tables>, input: AuditEntryInput, payloadHash: string): Promise<AuditEntry> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const after = (head: AuditChainLink) => sealAuditEntry({
    seq: head.seq + 1n,
    caseId: input.caseId,
    actorId: input.actorId,
    role: input.role,
    at: input.at,
    command: input.command,
    reason: input.reason,
    payloadHash,
    outcome: input.outcome,
    prevHash: head.hash,
  });
  // Sealed after the head this process last appended, without reading the log's head first: one
  // round trip while the lock is held, which every other command waits for, instead of two.
  const memo = lastAppended(trx);
  let entry = memo.head === undefined ? undefined : after(memo.head);
  if (entry === undefined || !(await insertAtHead(trx, entry))) {
    entry = after(await readHead(trx));
    if (!(await insertAtHead(trx, entry))) throw new Error('the audit log changed while it was locked');
  }
  memo.head = entry;
  return entry;
}

/** Inserts the entry if the log's head is still the one it was sealed after; false when not, and nothing was written. */
async function insertAtHead(trx: Kysely<Tables>, entry: AuditEntry): Promise<boolean> {
  const row = auditLogRow(entry);
  const written = await sql<{ seq: bigint }>`
    insert into audit_log (seq, case_id, actor_id, role, at, command, reason, payload_hash, outcome, prev_hash, hash)
    select ${row.seq}::bigint, ${row.case_id}::text, ${row.actor_id}::text, ${row.role}::text, ${row.at}::text, ${row.command}::text, ${row.reason}::text,
           ${row.payload_hash}::text, ${row.outcome}::text, ${row.prev_hash}::text, ${row.hash}::text
    where coalesce((select hash from audit_log order by seq desc limit 1), ${GENESIS_HASH}::text) = ${row.prev_hash}::text
    returning seq`.execute(trx);
  return written.rows.length === 1;
}

function checkedPayloadHash(input: AuditEntryInput): string {
  if (!isAuditTimestamp(input.at)) throw new TypeError(`audit entry time '${input.at}' is not a UTC instant written YYYY-MM-DDTHH:MM:SS.sssZ`);
  for (const field of ['actorId', 'role', 'command'] as const) {
    if (typeof input[field] !== 'string' || input[field] === '') throw new TypeError(`audit entry ${field} must be a non-empty string`);
  }
  if (input.caseId === '') throw new TypeError('audit entry caseId must be null or a non-empty string');
  if (!AUDIT_OUTCOMES.includes(input.outcome)) throw new TypeError(`audit entry outcome '${String(input.outcome)}' is neither accepted nor refused`);
  return contentHash(input.payload);
}

/** Entries after seq `after` (default: from the first), in seq order, at most `limit` (default 1000). */
export async function readAuditLog(db: Kysely<Tables>, options: { after?: bigint; limit?: number } = {}): Promise<AuditEntry[]> {
  const limit = options.limit ?? PAGE;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`audit log page limit must be a positive integer, not ${limit}`);
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', options.after ?? 0n)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(entryOf);
}

/** The last entry's seq and hash (seq 0 and the genesis hash for an empty log): what to publish to anchor the log. */
export async function readAuditHead(db: Kysely<Tables>): Promise<AuditChainLink> {
  return readHead(db);
}

/** Recomputes the whole chain a page at a time and names the first broken link, if any. */
export async function verifyAuditLog(db: Kysely<Tables>): Promise<AuditChainVerdict> {
  let last: AuditChainLink = AUDIT_CHAIN_START;
  let entries = 0;
  for (;;) {
    // Pages follow the stored seq; a gap or a reordering shows up in the chain check itself.
    const page = await readAuditLog(db, { after: last.seq, limit: PAGE });
    const verdict = verifyAuditChain(page, last);
    if (!verdict.ok) return verdict;
    entries += verdict.entries;
    if (page.length < PAGE) return { ok: true, entries };
    last = page.at(-1)!;
  }
}

async function readHead(db: Kysely<Tables>): Promise<AuditChainLink> {
  const head = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return head ?? { seq: 0n, hash: GENESIS_HASH };
}

function entryOf(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: row.seq,
    caseId: row.case_id,
    actorId: row.actor_id,
    role: row.role,
    at: row.at,
    command: row.command,
    reason: row.reason,
    payloadHash: row.payload_hash,
    outcome: row.outcome,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** An entry as a row of audit_log. */
export function auditLogRow(entry: AuditEntry) {
  return {
    seq: entry.seq,
    case_id: entry.caseId,
    actor_id: entry.actorId,
    role: entry.role,
    at: entry.at,
    command: entry.command,
    reason: entry.reason,
    payload_hash: entry.payloadHash,
    outcome: entry.outcome,
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}
