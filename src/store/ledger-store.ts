import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../domain/access/roles.ts';
import type { LedgerRefusal } from '../domain/fund/ledger-refusal.ts';
import { interestCredited, managementFeeCharged } from '../domain/fund/ledger-rules.ts';
import { applyTransactionInPlace, emptyLedger, replayLedger, type LedgerState } from '../domain/fund/ledger-state.ts';
import { transactionSha256, type LedgerTransaction } from '../domain/fund/ledger-transaction.ts';
import { appendAuditEntry } from './audit-log.ts';
import type { Tables } from './tables.ts';

/**
 * The ledger in the database. A write locks its fund, brings the fund's state up to date, asks
 * the pure rules (`applyTransaction`) and inserts the transaction and its postings in the caller's
 * transaction, so money moves exactly when the business fact it records is written, or not at all.
 * A transaction's id is its idempotency key: the same transaction again changes nothing, another
 * one under the same id is refused.
 *
 * The state of each fund is cached in the process and checked against the database's last
 * sequence number and transaction id at every write, so a write by another process, or a write
 * rolled back, makes the cache reload by replaying the fund's transactions.
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

const cache = new WeakMap<object, Map<string, Cached>>();

export async function postTransaction(transaction: Transaction<Tables>, tx: LedgerTransaction): Promise<{ replayed: boolean; state: LedgerState }> {
  await sql`select pg_advisory_xact_lock(hashtext(${`ledger:${tx.fundId}`}))`.execute(transaction);
  const current = await currentState(transaction, tx.fundId);
  // The cached state is the store's own: written in place, so a write costs what it touches. A write
  // that then rolls back leaves the cache ahead of the database, which the next check reloads.
  const applied = applyTransactionInPlace(current.state, tx);
  if (!applied.ok) throw new LedgerRefused(applied.refusal);
  if (applied.replayed) return { replayed: true, state: current.state };
  // Until its rows are written the changed state must not pass for the database's: an insert that
  // fails (the connection lost, say) would leave a cache that still matches the last sequence number
  // but holds this transaction, and its retry would be taken for a replay and never written.
  fundCache(transaction).delete(tx.fundId);
  const seq = current.seq + 1;
  await transaction
    .insertInto('fund_transactions')
    .values({ id: tx.id, fund_id: tx.fundId, seq, kind: tx.kind, booked_on: tx.on, memo: tx.memo, reverses: tx.reverses ?? null, sha256: transactionSha256(tx), body: JSON.stringify(tx, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)) })
    .execute();
  await transaction
    .insertInto('fund_postings')
    .values(tx.postings.map((posting, line) => ({
      transaction_id: tx.id, line: line + 1, fund_id: tx.fundId, account: posting.account, amount_fen: posting.amountFen,
      investor: posting.investor ?? null, offer_id: posting.offerId ?? null, funder_id: posting.funderId ?? null, party_id: posting.partyId ?? null,
    })))
    .execute();
  fundCache(transaction).set(tx.fundId, { seq, lastId: tx.id, state: applied.state });
  return { replayed: false, state: applied.state };
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

/** The cache belongs to a database (a Kysely instance and its transactions share its executor's identity). */
function fundCache(executor: Kysely<Tables>): Map<string, Cached> {
  const key = executor.getExecutor().adapter;
  let funds = cache.get(key);
  if (!funds) cache.set(key, (funds = new Map()));
  return funds;
}

function reviveTransaction(body: unknown): LedgerTransaction {
  const tx = body as LedgerTransaction & { postings: (LedgerTransaction['postings'][number] & { amountFen: string })[] };
  return { ...tx, postings: tx.postings.map((posting) => ({ ...posting, amountFen: BigInt(posting.amountFen) })) };
}
