import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../domain/access/roles.ts';
import type { LedgerRefusal } from '../domain/fund/ledger-refusal.ts';
import { interestCredited, managementFeeCharged } from '../domain/fund/ledger-rules.ts';
import { applyTransactionInPlace, emptyLedger, replayLedger, type LedgerState } from '../domain/fund/ledger-state.ts';
import { transactionSha256, type LedgerTransaction } from '../domain/fund/ledger-transaction.ts';
import { appendAuditEntry } from './audit-log.ts';
import { perDatabase } from './per-database.ts';
import type { Tables } from './tables.ts';

/**
 * The ledger in the database. A write locks its fund, brings the fund's state up to date, asks
 * the pure rules (`applyTransaction`) and inserts the transaction and its postings in the caller's
 * transaction, so money moves exactly when the business fact it records is written, or not at all.
 * A transaction's id is its idempotency key: the same transaction again changes nothing, another
 * one under the same id is refused.
 *
 * The state of each fund is cached in the process and checked against the database's last
 * transaction at every write (by the insert itself, when the cache is taken as current), so a write
 * by another process, or a write rolled back, makes the cache reload by replaying the fund's
 * transactions.
 */
export class LedgerRefused extends Error {
  readonly code: string;
  readonly bilingual: { zh: string; en: string };
  constructor(refusal: LedgerRefusal) {
    super(refusal.message.en);
    this.name = 'LedgerRefused';
    this.code = refusal.code;
    this.bilingual = refusal.message;
  }
}

interface Cached {
  seq: number;
  lastId: string | null;
  state: LedgerState;
}

/** Each fund's state as this process last wrote or read it. */
const fundCache = perDatabase(() => new Map<string, Cached>());

export async function postTransaction(transaction: Transaction<Tables>, tx: LedgerTransaction): Promise<{ replayed: boolean; state: LedgerState }> {
  await sql`select pg_advisory_xact_lock(hashtext(${`ledger:${tx.fundId}`}))`.execute(transaction);
  const funds = fundCache(transaction);
  // The state this process last wrote is taken as the fund's without reading the fund's last
  // transaction first: the insert itself writes nothing unless that transaction is still the last,
  // a round trip less while the fund is locked. A refusal or a replay, and a fund written since by
  // another process or by a write of this one that rolled back, are decided on the database's state.
  const trusted = funds.get(tx.fundId);
  if (trusted !== undefined) {
    const applied = applyTransactionInPlace(trusted.state, tx);
    if (applied.ok && !applied.replayed) {
      funds.delete(tx.fundId);
      if (await insertAfter(transaction, tx, trusted)) {
        funds.set(tx.fundId, { seq: trusted.seq + 1, lastId: tx.id, state: applied.state });
        return { replayed: false, state: applied.state };
      }
    }
  }
  const current = await currentState(transaction, tx.fundId);
  // The cached state is the store's own: written in place, so a write costs what it touches. A write
  // that then rolls back leaves the cache ahead of the database, which the next check reloads.
  const applied = applyTransactionInPlace(current.state, tx);
  if (!applied.ok) throw new LedgerRefused(applied.refusal);
  if (applied.replayed) return { replayed: true, state: current.state };
  // Until its rows are written the changed state must not pass for the database's: an insert that
  // fails (the connection lost, say) would leave a cache that still matches the last sequence number
  // but holds this transaction, and its retry would be taken for a replay and never written.
  funds.delete(tx.fundId);
  if (!(await insertAfter(transaction, tx, current))) throw new Error(`the ledger of fund ${tx.fundId} changed while it was locked`);
  funds.set(tx.fundId, { seq: current.seq + 1, lastId: tx.id, state: applied.state });
  return { replayed: false, state: applied.state };
}

/**
 * Inserts the transaction and its postings in one statement, as the fund's next, if the fund's
 * last transaction is still `after`'s last; false when it is not, and nothing was written.
 */
async function insertAfter(transaction: Transaction<Tables>, tx: LedgerTransaction, after: Pick<Cached, 'seq' | 'lastId'>): Promise<boolean> {
  const body = JSON.stringify(tx, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  const postings = tx.postings.map((posting, line) => sql`(${line + 1}::integer, ${posting.account}::text, ${posting.amountFen}::bigint, ${posting.investor ?? null}::text, ${posting.offerId ?? null}::text, ${posting.funderId ?? null}::text, ${posting.partyId ?? null}::text)`);
  const written = await sql<{ line: number }>`
    with written as (
      insert into fund_transactions (id, fund_id, seq, kind, booked_on, memo, reverses, sha256, body)
      select ${tx.id}::text, ${tx.fundId}::text, ${after.seq + 1}::integer, ${tx.kind}::text, ${tx.on}::date, ${tx.memo}::text, ${tx.reverses ?? null}::text, ${transactionSha256(tx)}::text, ${body}::jsonb
      where (select id from fund_transactions where fund_id = ${tx.fundId} order by seq desc limit 1) is not distinct from ${after.lastId}::text
      returning id, fund_id
    )
    insert into fund_postings (transaction_id, line, fund_id, account, amount_fen, investor, offer_id, funder_id, party_id)
    select written.id, posting.line, written.fund_id, posting.account, posting.amount_fen, posting.investor, posting.offer_id, posting.funder_id, posting.party_id
    from written cross join (values ${sql.join(postings)}) as posting (line, account, amount_fen, investor, offer_id, funder_id, party_id)
    returning line`.execute(transaction);
  return written.rows.length > 0;
}

/** The fund's own movements an administrator records by hand: interest the custodian credited, and the trustee's management fee (管理费). */
export type FundMovementKind = 'interest' | 'management-fee';

const MOVEMENTS = { interest: interestCredited, 'management-fee': managementFeeCharged } as const;

/**
 * Records a movement of the fund under its bank reference, which is the transaction's id and so
 * its idempotency key (`interest:<reference>`): the same reference again changes nothing and says
 * `replayed`. The audit entry (`post-interest`, `post-management-fee`) commits with the posting.
 * A movement the ledger's rules refuse throws LedgerRefused.
 */
export async function recordFundMovement(db: Kysely<Tables>, input: {
  caseId: string; kind: FundMovementKind; amountFen: bigint; reference: string; memo: string; actor: Pick<Actor, 'id' | 'role'>; today: string; at: Date;
}): Promise<{ replayed: boolean; state: LedgerState }> {
  const { caseId, kind, amountFen, reference, memo, actor } = input;
  return db.transaction().execute(async (transaction) => {
    const posted = await postTransaction(transaction, MOVEMENTS[kind]({ id: `${kind}:${reference}`, fundId: caseId, on: input.today, amountFen, memo }));
    await appendAuditEntry(transaction, {
      caseId, actorId: actor.id, role: actor.role, at: input.at.toISOString(), command: `post-${kind}`, reason: null,
      payload: { amountFen: amountFen.toString(), reference, memo }, outcome: 'accepted',
    });
    return posted;
  });
}

/** The fund's ledger state, replayed from its transactions (or from the cache when it is current). */
export async function ledgerState(db: Kysely<Tables>, fundId: string): Promise<LedgerState> {
  return (await currentState(db, fundId)).state;
}

async function currentState(executor: Kysely<Tables>, fundId: string): Promise<Cached> {
  const last = await executor.selectFrom('fund_transactions').select(['seq', 'id']).where('fund_id', '=', fundId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const funds = fundCache(executor);
  const cached = funds.get(fundId);
  if (last === undefined) return { seq: 0, lastId: null, state: emptyLedger(fundId) };
  if (cached && cached.seq === last.seq && cached.lastId === last.id) return cached;
  const rows = await executor.selectFrom('fund_transactions').select('body').where('fund_id', '=', fundId).orderBy('seq').execute();
  const replayed = replayLedger(fundId, rows.map((row) => reviveTransaction(row.body)));
  if (!replayed.ok) throw new Error(`the ledger of fund ${fundId} does not replay: transaction ${replayed.transactionId} is refused (${replayed.refusal.code})`);
  const fresh = { seq: last.seq, lastId: last.id, state: replayed.state };
  funds.set(fundId, fresh);
  return fresh;
}

function reviveTransaction(body: unknown): LedgerTransaction {
  const tx = body as LedgerTransaction & { postings: (LedgerTransaction['postings'][number] & { amountFen: string })[] };
  return { ...tx, postings: tx.postings.map((posting) => ({ ...posting, amountFen: BigInt(posting.amountFen) })) };
}
