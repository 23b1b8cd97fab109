import { addDays, type IsoDate } from '../market/calendar-date.ts';
import type { Offer } from './offer-decision.ts';

/**
 * The review of a disputed offer (procedure.md step 9: "a dispute (wrong data, wrong amount) is
 * reviewed and may lead to a recomputation"). The reviewer either upholds the offer — it is open
 * again for the investor to accept or refuse — or corrects it: the data are fixed, the case is
 * recomputed, and the offer is replaced by one for the recomputed amount (or by none, when the
 * recomputation finds nothing payable). Either way the investor gets at least the plan's late-claim
 * period from the review's end to answer, so a review that ends after the window does not cost the
 * investor its choice.
 */
export type DisputeResolution =
  | { kind: 'upheld'; note: string }
  | { kind: 'corrected'; note: string; recomputed: { runId: string; amountFen: bigint } | { runId: string; amountFen: null } };

export type ReviewOutcome =
  | { ok: true; old: { status: 'offered' | 'superseded'; closesOn: IsoDate }; replacement: { amountFen: bigint; closesOn: IsoDate; runId: string } | null }
  | { ok: false; code: 'not-disputed' | 'note-required' | 'same-run'; message: { zh: string; en: string } };

export function reviewDispute(offer: Offer & { runId: string }, resolution: DisputeResolution, today: IsoDate, lateClaimDays: number): ReviewOutcome {
  if (offer.status !== 'disputed') {
    return { ok: false, code: 'not-disputed', message: { zh: '该要约没有待审核的异议', en: 'this offer has no dispute under review' } };
  }
  if (resolution.note.trim() === '') {
    return { ok: false, code: 'note-required', message: { zh: '审核结论须说明理由', en: 'a review must say why' } };
  }
  const extended = addDays(today, lateClaimDays);
  const closesOn = extended > offer.window.closesOn ? extended : offer.window.closesOn;
  if (resolution.kind === 'upheld') return { ok: true, old: { status: 'offered', closesOn }, replacement: null };
  if (resolution.recomputed.runId === offer.runId) {
    return { ok: false, code: 'same-run', message: { zh: '更正须依据新的计算批次', en: 'a correction rests on a new computation run, not the one disputed' } };
  }
  const { amountFen } = resolution.recomputed;
  return {
    ok: true,
    old: { status: 'superseded', closesOn: offer.window.closesOn },
    replacement: amountFen !== null && amountFen > 0n ? { amountFen, closesOn, runId: resolution.recomputed.runId } : null,
  };
}
