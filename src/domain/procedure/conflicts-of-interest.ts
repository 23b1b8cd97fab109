import type { BilingualText } from './bilingual-text.ts';
import type { DeclaredTie } from './case-events.ts';
import type { CaseState } from './case-state.ts';

/**
 * The conflict check of procedure.md steps 4 and 5. Investors' representatives and lawyers must be
 * free of the liable parties and the funders (who pay, and so sit on the other side); the hearing
 * host must be free of both sides. Every check runs in both directions (an applicant against the
 * funders known, a funder added later against the applicants), so that no conflict ever enters the
 * state, whatever the order of events.
 */
export interface Candidate {
  applicantId: string;
  ties: readonly DeclaredTie[];
  firm: { id: string; name: string } | null;
}

/** Why an applicant may not act for investors, or null when they may. */
export function applicantConflict(state: CaseState, candidate: Candidate): BilingualText | null {
  const other = otherSide(state);
  const own = other.get(candidate.applicantId);
  if (own !== undefined) return { zh: `申请人本身是${own.zh}`, en: `the applicant is ${own.en}` };
  if (state.hearingHost?.id === candidate.applicantId) return { zh: '申请人是本案听证主持人', en: "the applicant is the case's hearing host" };
  if (candidate.firm !== null) {
    const firm = other.get(candidate.firm.id);
    if (firm !== undefined) return { zh: `律师事务所 ${candidate.firm.name} 是${firm.zh}`, en: `the law firm ${candidate.firm.name} is ${firm.en}` };
  }
  for (const tie of candidate.ties) {
    const party = other.get(tie.partyId);
    if (party !== undefined) {
      return { zh: `申请人申报与${party.zh}存在关系（${tie.relation}）`, en: `the applicant declares a tie (${tie.relation}) to ${party.en}` };
    }
  }
  return null;
}

/** Why a new funder conflicts with someone already in the case, or null. */
export function funderConflict(state: CaseState, funderId: string): { withHost: boolean; reason: BilingualText } | null {
  if (state.hearingHost?.id === funderId) return { withHost: true, reason: { zh: '该出资人是本案听证主持人', en: "the funder is the case's hearing host" } };
  for (const applicant of state.applicants) {
    if (applicant.applicantId === funderId) {
      return { withHost: false, reason: { zh: `该出资人已申请担任${poolZh(applicant.pool)}`, en: `the funder has applied as one of the investors' ${applicant.pool}` } };
    }
    if (applicant.firm?.id === funderId) {
      return { withHost: false, reason: { zh: `申请人 ${applicant.name} 所在律师事务所即该出资人`, en: `the applicant ${applicant.name} works at this funder` } };
    }
    if (applicant.ties.some((tie) => tie.partyId === funderId)) {
      return {
        withHost: false,
        reason: { zh: `申请人 ${applicant.name} 申报与该出资人存在关系`, en: `the applicant ${applicant.name} declared a tie to this funder` },
      };
    }
  }
  return null;
}

/** Why someone may not preside over the hearing, or null when they may. */
export function hostConflict(state: CaseState, hostId: string): BilingualText | null {
  const other = otherSide(state).get(hostId);
  if (other !== undefined) return { zh: `拟任主持人是${other.zh}`, en: `the proposed host is ${other.en}` };
  const applicant = state.applicants.find((candidate) => candidate.applicantId === hostId);
  if (applicant !== undefined) {
    const seated = [...state.seats.representatives, ...state.seats.lawyers].some((seat) => seat.applicantId === hostId);
    return seated
      ? { zh: `拟任主持人已当选${poolZh(applicant.pool)}`, en: `the proposed host holds a seat among the investors' ${applicant.pool}` }
      : { zh: `拟任主持人已申请担任${poolZh(applicant.pool)}`, en: `the proposed host has applied as one of the investors' ${applicant.pool}` };
  }
  return null;
}

/** The liable parties and the funders, by id, with what each is. */
function otherSide(state: CaseState): Map<string, BilingualText> {
  const side = new Map<string, BilingualText>();
  for (const party of state.liableParties) side.set(party.id, { zh: `责任主体 ${party.name}`, en: `the liable party ${party.name}` });
  for (const funder of state.funders) {
    if (!side.has(funder.funderId)) side.set(funder.funderId, { zh: `出资人 ${funder.name}`, en: `the funder ${funder.name}` });
  }
  return side;
}

function poolZh(pool: 'representatives' | 'lawyers'): string {
  return pool === 'representatives' ? '投资者代表' : '投资者律师';
}
