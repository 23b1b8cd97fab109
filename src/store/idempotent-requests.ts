import type { Kysely, Transaction } from 'kysely';
import type { Tables } from './tables.ts';

/**
 * Requests that may be retried safely. The client sends an `Idempotency-Key`; the first request
 * with a key does its work and stores the answer in the same transaction as the work, so the
 * answer exists exactly when the work does. A retry with the same key and the same request gets
 * the stored answer without doing anything again; the same key with a different request is
 * refused, because the client would otherwise believe a different request had been done.
 */
export interface StoredAnswer {
  statusCode: number;
  body: unknown;
}

export type IdempotentResult = { kind: 'done'; answer: StoredAnswer } | { kind: 'replayed'; answer: StoredAnswer } | { kind: 'key-reused' };

export async function idempotently(
  db: Kysely<Tables>,
  request: { actorId: string; key: string; requestSha256: string },
  work: (transaction: Transaction<Tables>) => Promise<StoredAnswer>,
): Promise<IdempotentResult> {
  try {
    return await attempt(db, request, work);
  } catch (error) {
    // A concurrent first request with the same key committed first: this one's work is rolled
    // back whole, and it answers as a retry would, with the first answer (or key-reused).
    if (!isKeyTaken(error)) throw error;
    return attempt(db, request, work);
  }
}

/** PostgreSQL's unique violation on the key's row (PGlite runs one transaction at a time and never meets it). */
function isKeyTaken(error: unknown): boolean {
  const { code, table } = (error ?? {}) as { code?: unknown; table?: unknown };
  return code === '23505' && table === 'idempotent_requests';
}

function attempt(
  db: Kysely<Tables>,
  request: { actorId: string; key: string; requestSha256: string },
  work: (transaction: Transaction<Tables>) => Promise<StoredAnswer>,
): Promise<IdempotentResult> {
  return db.transaction().execute(async (transaction) => {
    const earlier = await transaction
      .selectFrom('idempotent_requests')
      .select(['request_sha256', 'status_code', 'response'])
      .where('actor_id', '=', request.actorId)
      .where('key', '=', request.key)
      .forUpdate()
      .executeTakeFirst();
    if (earlier) {
      if (earlier.request_sha256 !== request.requestSha256) return { kind: 'key-reused' as const };
      return { kind: 'replayed' as const, answer: { statusCode: earlier.status_code, body: earlier.response } };
    }
    const answer = await work(transaction);
    // A concurrent first request with the same key makes this insert fail, and this transaction
    // with it: exactly one of them did the work (the other replays it, above).
    await transaction
      .insertInto('idempotent_requests')
      .values({ actor_id: request.actorId, key: request.key, request_sha256: request.requestSha256, status_code: answer.statusCode, response: JSON.stringify(answer.body, jsonReplacer) })
      .execute();
    return { kind: 'done' as const, answer };
  });
}

/** bigint (fen) travels as a string of digits in every JSON the API writes. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
