import { compareCodePoints } from '../code-point-order.ts';
import { contentHash } from '../content-hash.ts';
import { formatFen, type Fen } from '../money/fen.ts';
import { apportionFen } from '../money/largest-remainder.ts';
import { isValidId, refused, type Refused } from './recourse-refusal.ts';

/**
 * The register of assigned claims (债权转让登记, procedure.md steps 9 and 12). An investor who accepts
 * an offer settles with the funders and assigns to them its claim against the other liable parties
 * for the amount of the offer; the funders then pursue recourse with those claims (《证券法》第九十三条：
 * 先行赔付后，可以依法向发行人以及其他连带责任人追偿).
 *
 * Where several funders paid, each accepted offer's claim is assigned to them in proportion to what
 * each paid into the fund: per claim, by the largest remainder at the fen with equal remainders in
 * code-point order of funder id (largest-remainder.ts), so every claim's parts add up to it exactly.
 * A funder's total is the sum of its parts, so it can differ from its exact pro-rata part of all
 * claims by the rounding of each claim (less than a fen per claim); where two funders paid the
 * same, an odd fen always goes to the one first in code-point order.
 */
export interface AcceptedOffer {
  offerId: string;
  investor: string;
  /** The amount of the offer the investor accepted, which is the amount of the claim assigned. */
  amountFen: Fen;
}

export interface FunderContribution {
  funderId: string;
  /** What the funder paid into the fund; only the ratios between the funders matter. */
  paidFen: Fen;
}

export interface AssignedPart {
  funderId: string;
  amountFen: Fen;
}

export interface AssignedClaim {
  offerId: string;
  investor: string;
  amountFen: Fen;
  /** The funders that take the claim and for how much, in code-point order of id; no zero parts. */
  assignees: AssignedPart[];
}

export interface AssigneeTotal {
  funderId: string;
  amountFen: Fen;
  /** The number of claims of which the funder holds a part. */
  claims: number;
}

export interface AssignedClaimsRegister {
  /** In code-point order of offer id. */
  claims: AssignedClaim[];
  /** One per funder that paid, in code-point order of id; they add up to `totalFen`. */
  totals: AssigneeTotal[];
  totalFen: Fen;
}

export type AssignedClaimsResult = { ok: true; register: AssignedClaimsRegister } | Refused;

export function assignClaims(offers: readonly AcceptedOffer[], funders: readonly FunderContribution[]): AssignedClaimsResult {
  const funderIds = new Set<string>();
  for (const funder of funders) {
    if (!isValidId(funder.funderId)) return refused('invalid-id', `出资人标识“${funder.funderId}”无效：不能为空，首尾不能有空格`, `funder id '${funder.funderId}' is not valid: it must not be empty or have spaces around it`);
    if (funderIds.has(funder.funderId)) return refused('duplicate', `出资人“${funder.funderId}”重复出现`, `funder '${funder.funderId}' is given twice`);
    funderIds.add(funder.funderId);
    if (funder.paidFen < 0n) {
      return refused('invalid-amount', `出资人“${funder.funderId}”的出资额不能为负数（${formatFen(funder.paidFen)} 元）`, `what funder '${funder.funderId}' paid cannot be negative (${formatFen(funder.paidFen)} yuan)`);
    }
  }
  const payers = funders.filter((funder) => funder.paidFen > 0n).sort((a, b) => compareCodePoints(a.funderId, b.funderId));
  if (payers.length === 0) return refused('nothing-paid', '没有出资人出资，债权无从转让', 'no funder has paid anything, so there is nobody to assign the claims to');

  const offerIds = new Set<string>();
  for (const offer of offers) {
    if (!isValidId(offer.offerId)) return refused('invalid-id', `赔付要约标识“${offer.offerId}”无效：不能为空，首尾不能有空格`, `offer id '${offer.offerId}' is not valid: it must not be empty or have spaces around it`);
    if (!isValidId(offer.investor)) return refused('invalid-id', `要约“${offer.offerId}”的投资者标识“${offer.investor}”无效`, `the investor id of offer '${offer.offerId}', '${offer.investor}', is not valid`);
    if (offerIds.has(offer.offerId)) return refused('duplicate', `赔付要约“${offer.offerId}”重复出现`, `offer '${offer.offerId}' is given twice`);
    offerIds.add(offer.offerId);
    if (offer.amountFen <= 0n) {
      return refused('invalid-amount', `要约“${offer.offerId}”的金额应大于零（${formatFen(offer.amountFen)} 元）`, `the amount of offer '${offer.offerId}' must be above zero (${formatFen(offer.amountFen)} yuan)`);
    }
  }

  const weights = payers.map((payer) => ({ id: payer.funderId, weight: payer.paidFen }));
  const totals = payers.map((payer): AssigneeTotal => ({ funderId: payer.funderId, amountFen: 0n, claims: 0 }));
  let totalFen = 0n;
  const claims = [...offers]
    .sort((a, b) => compareCodePoints(a.offerId, b.offerId))
    .map((offer): AssignedClaim => {
      const parts = apportionFen(offer.amountFen, weights);
      const assignees: AssignedPart[] = [];
      parts.forEach((amountFen, index) => {
        if (amountFen === 0n) return;
        const total = totals[index]!;
        total.amountFen += amountFen;
        total.claims++;
        assignees.push({ funderId: total.funderId, amountFen });
      });
      totalFen += offer.amountFen;
      return { offerId: offer.offerId, investor: offer.investor, amountFen: offer.amountFen, assignees };
    });
  return { ok: true, register: { claims, totals, totalFen } };
}

/** The claims assigned to one funder, in code-point order of offer id: its evidence of title. */
export function claimsAssignedTo(register: AssignedClaimsRegister, funderId: string): { offerId: string; investor: string; amountFen: Fen }[] {
  const held: { offerId: string; investor: string; amountFen: Fen }[] = [];
  for (const claim of register.claims) {
    const part = claim.assignees.find((assignee) => assignee.funderId === funderId);
    if (part !== undefined) held.push({ offerId: claim.offerId, investor: claim.investor, amountFen: part.amountFen });
  }
  return held;
}

/**
 * The register's fingerprint (content-hash.ts), so that a published or filed register can be
 * checked against the one the case holds.
 */
export function registerHash(register: AssignedClaimsRegister): string {
  return contentHash({
    claims: register.claims.map((claim) => ({
      offerId: claim.offerId,
      investor: claim.investor,
      amountFen: claim.amountFen,
      assignees: claim.assignees.map((part) => ({ funderId: part.funderId, amountFen: part.amountFen })),
    })),
    totals: register.totals.map((total) => ({ funderId: total.funderId, amountFen: total.amountFen, claims: total.claims })),
    totalFen: register.totalFen,
  });
}
