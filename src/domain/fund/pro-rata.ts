import type { Fen } from '../money/fen.ts';
import { apportionFen } from '../money/largest-remainder.ts';

export interface Claim {
  id: string;
  amountFen: Fen;
}

export interface Allocation {
  id: string;
  amountFen: Fen;
}

/**
 * Shares `availableFen` among claims in proportion to them (按比例分配), for a fund that is short
 * when no top-up comes, or for a residual shared among funders by what each contributed.
 *
 * Largest remainder at the fen: each claim first gets floor(available × claim ÷ total); the fen
 * left over, fewer than the number of claims, go one each to the claims with the largest
 * remainders (available × claim mod total), ties broken by id in Unicode code-point order, the
 * smaller id first. When the available amount covers the total, each claim gets itself. So the
 * allocations add up to exactly min(available, total), none exceeds its claim, and none depends on
 * the order in which the claims are listed. All arithmetic is on bigint, exact.
 *
 * The result lists the claims in the order given. Ids must be distinct (the tie-break needs it),
 * and amounts must be whole fen ≥ 0; anything else throws, as a caller's mistake.
 */
export function allocateProRata(availableFen: Fen, claims: readonly Claim[]): Allocation[] {
  if (typeof availableFen !== 'bigint' || availableFen < 0n) throw new RangeError(`the available amount must be whole fen ≥ 0, not ${String(availableFen)}`);
  const seen = new Set<string>();
  let total = 0n;
  for (const claim of claims) {
    if (typeof claim.amountFen !== 'bigint' || claim.amountFen < 0n) throw new RangeError(`claim '${claim.id}' must be whole fen ≥ 0, not ${String(claim.amountFen)}`);
    if (seen.has(claim.id)) throw new RangeError(`claim '${claim.id}' is listed twice`);
    seen.add(claim.id);
    total += claim.amountFen;
  }
  if (availableFen >= total) return claims.map((claim) => ({ id: claim.id, amountFen: claim.amountFen }));
  const parts = apportionFen(availableFen, claims.map((claim) => ({ id: claim.id, weight: claim.amountFen })));
  return claims.map((claim, index) => ({ id: claim.id, amountFen: parts[index]! }));
}
