import type { Kysely } from 'kysely';
import type { CalculationSheet } from '../domain/loss/calculation-sheet.ts';
import type { CaseEvent } from '../domain/procedure/case-events.ts';
import { planDocumentOf } from '../domain/procedure/published-plans.ts';
import type { PlanDocument } from '../domain/plan/plan-document.ts';
import { renderOfferStatementPdf, renderSettlementAgreementPdf } from '../io/offer-statement-pdf.ts';
import type { OfferRow } from '../store/offer-store.ts';
import type { Tables } from '../store/tables.ts';
import { ApiError } from './api/api-error.ts';

/** What refusing an offer means, as every face of the platform says it. */
export const REFUSING_MEANS = {
  zh: '拒绝本要约不影响您依法提起诉讼的权利；您可下载本要约及计算说明，供诉讼使用。',
  en: 'Refusing this offer keeps your right to sue; you can download the offer and its calculation for use in court.',
};

/** An offer with what it rests on: its calculation sheet (none for a court award) and its plan version's document. */
export interface OfferDocuments {
  sheet: CalculationSheet | null;
  plan: PlanDocument;
}

export async function offerDocuments(db: Kysely<Tables>, offer: OfferRow): Promise<OfferDocuments> {
  const result = offer.run_id === null ? null : await db.selectFrom('investor_results').select('sheet').where('run_id', '=', offer.run_id).where('investor', '=', offer.investor).executeTakeFirstOrThrow();
  const events = (await db.selectFrom('case_events').select('event').where('case_id', '=', offer.case_id).orderBy('seq').execute()).map((row) => row.event as unknown as CaseEvent);
  const plan = planDocumentOf(events, offer.plan_version);
  if (plan === null) throw new Error(`offer ${offer.id} cites plan version ${offer.plan_version}, which its case does not have`);
  return { sheet: (result?.sheet as unknown as CalculationSheet | undefined) ?? null, plan: plan.document };
}

/** The offer statement PDF (offer, calculation sheet, agreement, hashes), in Chinese unless asked for English. */
export async function offerStatementPdf(db: Kysely<Tables>, offer: OfferRow, options: { today: string; lang: 'zh' | 'en' }): Promise<Buffer> {
  if (offer.run_id === null) throw new ApiError(409, 'no-calculation', { zh: '法院判决确定的金额没有计算说明', en: 'an amount fixed by a court has no calculation sheet to print' });
  const { sheet, plan } = await offerDocuments(db, offer);
  const answer = (await db.selectFrom('offer_answers').select('answered_on').where('offer_id', '=', offer.id).orderBy('answered_at', 'desc').limit(1).executeTakeFirst());
  return renderOfferStatementPdf({
    caseTitle: plan.title, security: { code: sheet!.security.code, name: sheet!.security.name }, investor: offer.investor, offerId: offer.id,
    amountFen: offer.amount_fen, planVersion: offer.plan_version, planSha256: offer.plan_sha256, agreementSha256: offer.agreement_sha256,
    window: { opensOn: offer.opens_on, closesOn: offer.closes_on }, status: offer.status, answeredOn: offer.status === 'offered' ? null : (answer?.answered_on ?? null),
    sheet: sheet!, agreement: plan.agreement, issuedOn: options.today,
  }, { lang: options.lang });
}

/** The settlement agreement of an offer as a PDF: the parties, the amount, the clauses, and the acceptance once given. */
export async function settlementAgreementPdf(db: Kysely<Tables>, offer: OfferRow, options: { today: string; lang: 'zh' | 'en' }): Promise<Buffer> {
  const { sheet, plan } = await offerDocuments(db, offer);
  const events = (await db.selectFrom('case_events').select('event').where('case_id', '=', offer.case_id).where('type', '=', 'funder-added').orderBy('seq').execute())
    .map((row) => row.event as unknown as Extract<CaseEvent, { type: 'funder-added' }>);
  const acceptance = await db.selectFrom('offer_answers').select(['answered_on', 'channel']).where('offer_id', '=', offer.id).where('kind', '=', 'accept').executeTakeFirst();
  return renderSettlementAgreementPdf({
    caseTitle: plan.title, security: sheet ? { code: sheet.security.code, name: sheet.security.name } : { code: plan.lossParameters.security.code, name: plan.lossParameters.security.name },
    investor: offer.investor, offerId: offer.id, amountFen: offer.amount_fen, planVersion: offer.plan_version, planSha256: offer.plan_sha256, agreementSha256: offer.agreement_sha256,
    funders: events.map((event) => ({ id: event.funderId, name: event.name })), agreement: plan.agreement,
    acceptance: acceptance ? { answeredOn: acceptance.answered_on, channel: acceptance.channel as 'portal' | 'exchange-file' | 'counter' } : null,
    issuedOn: options.today,
  }, { lang: options.lang });
}
