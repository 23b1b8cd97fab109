import { compareCodePoints } from '../code-point-order.ts';
import type { Fen } from '../money/fen.ts';
import type { LedgerState } from './ledger-state.ts';
import { allocateProRata } from './pro-rata.ts';

/**
 * How a residual is shared among the funders when nothing else was agreed: in proportion to what
 * each has contributed (net of reversed deposits), by largest remainder at the fen (pro-rata.ts).
 * Funders are listed in code-point order of their ids; a funder whose share rounds to nothing is
 * left out, since a posting of zero is refused. The shares add up to `amountFen` exactly, unless
 * no funder has contributed, when there is no one to share it and the list is empty.
 */
export function residualShares(state: LedgerState, amountFen: Fen): { funderId: string; amountFen: Fen }[] {
  const claims = [...state.funders]
    .filter(([, funder]) => funder.contributedFen > 0n)
    .map(([funderId, funder]) => ({ id: funderId, amountFen: funder.contributedFen }))
    .sort((a, b) => compareCodePoints(a.id, b.id));
  const total = claims.reduce((sum, claim) => sum + claim.amountFen, 0n);
  if (total === 0n) return [];
  // The residual may exceed the contributions (interest, recoveries): scale the claims up so that
  // the allocation always shares all of it.
  const scaled = amountFen > total ? claims.map((claim) => ({ id: claim.id, amountFen: claim.amountFen * amountFen })) : claims;
  return allocateProRata(amountFen, scaled)
    .filter((share) => share.amountFen > 0n)
    .map((share) => ({ funderId: share.id, amountFen: share.amountFen }));
}
