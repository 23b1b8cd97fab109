import { contentHash, type CanonicalValue } from '../content-hash.ts';
import type { PlanDocument } from './plan-document.ts';

/**
 * The hash a plan version (方案版本) is published under: SHA-256 of the canonical JSON of the
 * document (content-hash.ts), so that anyone holding the published text can recompute it.
 *
 * It is taken over the document as the schema parsed it (`parsePlanDocument(...).document`), not
 * over the bytes of the file. The hash names what investors accept, and that is the plan the
 * engine runs on: a default the schema fills in (commission rate 0.0003, the risk deduction
 * `none`, no interest, ...) is a term of the plan as much as a value written out, so it is
 * hashed. Two files that differ only in layout, key order, trimmed whitespace or in writing a
 * default out or leaving it to the schema get the same hash; and if a later release changed a
 * default, a file that relied on it would get a new hash, because it would then mean a
 * different plan.
 */
export function planContentHash(document: PlanDocument): string {
  return contentHash(document satisfies CanonicalValue);
}
