/**
 * Idempotent writes: every write to the fund carries a key, stored with the SHA-256 of the request
 * that first used it and with the result that request got. A retry after a lost answer must not
 * pay twice, and a client that reuses a key for something else must not be told that it was done.
 *
 * - no stored request under the key: `first`, do the work and store its result with the hash;
 * - the same hash: `replay`, answer with the stored result and do nothing;
 * - another hash: `conflict`, refuse.
 *
 * Hashes are compared as 64 lowercase hex digits (contentHash, sha256Hex); anything else is a
 * programming error and throws rather than being compared as text.
 */
export type RetryVerdict = 'first' | 'replay' | 'conflict';

export interface StoredRequest<Result> {
  requestSha256: string;
  result: Result;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function judgeRetry<Result>(stored: StoredRequest<Result> | null, incoming: { requestSha256: string }): RetryVerdict {
  if (!SHA256_HEX.test(incoming.requestSha256)) throw new TypeError(`the incoming request hash '${incoming.requestSha256}' is not 64 lowercase hex digits`);
  if (stored === null) return 'first';
  if (!SHA256_HEX.test(stored.requestSha256)) throw new TypeError(`the stored request hash '${stored.requestSha256}' is not 64 lowercase hex digits`);
  return stored.requestSha256 === incoming.requestSha256 ? 'replay' : 'conflict';
}
