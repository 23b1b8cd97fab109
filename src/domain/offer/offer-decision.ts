import type { IsoDate } from '../market/calendar-date.ts';

/**
 * An investor's answer to an offer (procedure.md step 9). Accepting is a settlement with the
 * funders and an assignment to them of the investor's claims against the other liable parties, so
 * it records the exact agreement (plan version and the agreement's hash) the investor saw;
 * refusing keeps the right to sue; disputing (wrong data, wrong amount) sends the offer to review,
 * which may lead to a recomputation and a new offer. Answers count only within the plan's
 * acceptance window.
 *
 * Pure: the shell passes the offer as stored, the answer and today's date.
 */
export type OfferStatus = 'offered' | 'accepted' | 'refused' | 'disputed' | 'superseded';
export type OfferAnswerKind = 'accept' | 'refuse' | 'dispute';
/** How the answer reached the fund: the portal, the exchange's declaration file, or a counter. */
export type OfferChannel = 'portal' | 'exchange-file' | 'counter';

export interface Offer {
  offerId: string;
  investor: string;
  amountFen: bigint;
  planVersion: number;
  /** SHA-256 of the settlement agreement's clauses as adopted (what an acceptance binds). */
  agreementSha256: string;
  status: OfferStatus;
  window: { opensOn: IsoDate; closesOn: IsoDate };
}

export interface OfferAnswer {
  kind: OfferAnswerKind;
  channel: OfferChannel;
  /** The agreement the investor was shown; an acceptance of any other text is refused. */
  agreementSha256: string;
  /** For a dispute: what the investor says is wrong. */
  reason?: string | undefined;
}

export type OfferDecision =
  | { ok: true; status: Exclude<OfferStatus, 'offered' | 'superseded'>; firstTime: boolean }
  | { ok: false; code: OfferRefusalCode; message: { zh: string; en: string } };

export type OfferRefusalCode = 'window-not-open' | 'window-closed' | 'already-answered' | 'agreement-mismatch' | 'superseded' | 'reason-required' | 'under-review';

const STATUS_OF: Record<OfferAnswerKind, 'accepted' | 'refused' | 'disputed'> = { accept: 'accepted', refuse: 'refused', dispute: 'disputed' };
const STATUS_WORDS: Record<OfferStatus, { zh: string; en: string }> = {
  offered: { zh: '待答复', en: 'open' },
  accepted: { zh: '已接受', en: 'accepted' },
  refused: { zh: '已拒绝', en: 'refused' },
  disputed: { zh: '异议审核中', en: 'under review after a dispute' },
  superseded: { zh: '已被新要约取代', en: 'replaced by a new offer' },
};

/**
 * Decides an answer. The same answer given again (a retried request, a file imported twice) is
 * accepted as a repetition (`firstTime: false`) and changes nothing; a different answer to an
 * offer already answered is refused: an acceptance is a concluded settlement, a refusal is the
 * investor's choice to go to court, and a dispute waits for its review.
 */
export function decideOfferAnswer(offer: Offer, answer: OfferAnswer, today: IsoDate): OfferDecision {
  const wanted = STATUS_OF[answer.kind];
  if (offer.status === 'superseded') {
    return refuse('superseded', '该要约已被新的要约取代，请答复新的要约', 'this offer was replaced by a new one; answer the new offer');
  }
  if (offer.status !== 'offered') {
    if (offer.status === wanted) return { ok: true, status: wanted, firstTime: false };
    if (offer.status === 'disputed') return refuse('under-review', '异议正在审核，审核结束前不能答复', 'the dispute is under review; the offer cannot be answered until the review ends');
    return refuse('already-answered', `该要约${STATUS_WORDS[offer.status].zh}，不能改为${STATUS_WORDS[wanted].zh}`, `this offer is ${STATUS_WORDS[offer.status].en} already and cannot become ${STATUS_WORDS[wanted].en}`);
  }
  if (today < offer.window.opensOn) {
    return refuse('window-not-open', `答复期自 ${offer.window.opensOn} 开始`, `answers are taken from ${offer.window.opensOn}`);
  }
  if (today > offer.window.closesOn) {
    return refuse('window-closed', `答复期已于 ${offer.window.closesOn} 结束`, `the answer period ended on ${offer.window.closesOn}`);
  }
  if (answer.kind === 'accept' && answer.agreementSha256 !== offer.agreementSha256) {
    return refuse('agreement-mismatch', '所接受的协议文本与要约所附协议不一致，请重新阅读协议', 'the agreement accepted is not the one this offer carries; read the agreement again');
  }
  if (answer.kind === 'dispute' && (answer.reason === undefined || answer.reason.trim() === '')) {
    return refuse('reason-required', '提出异议须说明理由', 'a dispute must say what is wrong');
  }
  return { ok: true, status: wanted, firstTime: true };
}

function refuse(code: OfferRefusalCode, zh: string, en: string): OfferDecision {
  return { ok: false, code, message: { zh, en } };
}
