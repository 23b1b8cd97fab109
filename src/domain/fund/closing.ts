import { addDays, type IsoDate } from '../market/calendar-date.ts';
import type { Fen } from '../money/fen.ts';

/**
 * When a case may hand back what is left in its fund (procedure.md step 11): after the acceptance
 * window and the plan's late-claim period, with no offer open or under review, no payment in
 * flight and nothing payable left — then the whole of custody goes back, to the funders in
 * proportion to their contributions, or under an administrative settlement to the treasury.
 */
export interface ClosingFacts {
  today: IsoDate;
  acceptanceClosesOn: IsoDate;
  lateClaimDays: number;
  openOffers: number;
  disputedOffers: number;
  paymentsInFlight: number;
  payableFen: Fen;
  custodyFen: Fen;
}

export type ClosingDecision =
  | { ok: true; residualFen: Fen }
  | { ok: false; code: 'late-claims-open' | 'offers-open' | 'disputes-open' | 'payments-in-flight' | 'payables-outstanding' | 'nothing-left'; message: { zh: string; en: string } };

export function decideResidualReturn(facts: ClosingFacts): ClosingDecision {
  const lateClaimsEnd = addDays(facts.acceptanceClosesOn, facts.lateClaimDays);
  const refuse = (code: Extract<ClosingDecision, { ok: false }>['code'], zh: string, en: string): ClosingDecision => ({ ok: false, code, message: { zh, en } });
  if (facts.today <= lateClaimsEnd) return refuse('late-claims-open', `逾期申报期至 ${lateClaimsEnd} 结束`, `late claims are taken until ${lateClaimsEnd}`);
  if (facts.disputedOffers > 0) return refuse('disputes-open', `尚有 ${facts.disputedOffers} 项异议未审结`, `${facts.disputedOffers} disputes are still under review`);
  if (facts.openOffers > 0) return refuse('offers-open', `尚有 ${facts.openOffers} 个要约在答复期内`, `${facts.openOffers} offers are still open for an answer`);
  if (facts.paymentsInFlight > 0) return refuse('payments-in-flight', `尚有 ${facts.paymentsInFlight} 笔付款未有结果`, `${facts.paymentsInFlight} payments have no result yet`);
  if (facts.payableFen > 0n) return refuse('payables-outstanding', '尚有已接受未付款的赔付，须先付清或改付', 'accepted compensation is still unpaid; pay or re-route it first');
  if (facts.custodyFen <= 0n) return refuse('nothing-left', '专项基金已无余额', 'nothing is left in the fund');
  return { ok: true, residualFen: facts.custodyFen };
}
