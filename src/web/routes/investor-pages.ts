import { h } from 'preact';
import { z } from 'zod';
import { ApiError } from '../../server/api/api-error.ts';
import type { TypedApp } from '../../server/api/app.ts';
import { chinaDate } from '../../server/api/request-context.ts';
import { offerDocuments, offerStatementPdf, REFUSING_MEANS, settlementAgreementPdf } from '../../server/offer-documents.ts';
import { OfferStore, type OfferRow } from '../../store/offer-store.ts';
import { chartSeriesFor } from '../market-series.ts';
import { orRefused, outcomeOf, outcomeQuery, redirectWithOutcome, type OutcomeWords } from '../outcome.ts';
import { contextOf, sendDownload, sendPage } from '../render.ts';
import { OfferPage, PortalHome, type PaymentStanding, type PortalOffer } from '../views/portal-pages.tsx';
import type { WebServices } from '../web-app.ts';

const INVESTOR = { web: true, access: { roles: ['investor' as const] } };

type AnswerKind = 'accept' | 'refuse' | 'dispute';

/** What the offer's page says once the investor has answered; fixed words, so the address only names the answer. */
const ANSWERED: Record<AnswerKind, OutcomeWords> = {
  accept: { tone: 'good', zh: '您已接受赔付。款项将在答复期结束后的支付批次中划付。', en: 'You have accepted. The money is paid in the batch after the answer period.' },
  refuse: { tone: 'info', zh: '您已拒绝赔付，仍可依法提起诉讼。', en: 'You have refused; your right to sue is kept.' },
  dispute: { tone: 'info', zh: '异议已提交，管理人将在复核后答复您。', en: 'Your dispute has been sent; the administrator will answer after review.' },
};

/**
 * The investors' portal: their own offers only. Another investor's offer reads as not found, the
 * same as one that does not exist, so offer ids cannot be probed.
 */
export function registerInvestorPages(app: TypedApp, services: WebServices): void {
  const { db } = services.database;
  const offers = new OfferStore(db);

  const paymentOf = async (offer: OfferRow): Promise<PaymentStanding> => {
    if (offer.status !== 'accepted') return { kind: 'none' };
    const latest = await db.selectFrom('payment_items').select(['status', 'attempt', 'failure', 'settled_at']).where('offer_id', '=', offer.id).orderBy('attempt', 'desc').limit(1).executeTakeFirst();
    if (!latest) return { kind: 'waiting' };
    if (latest.status === 'paid') return { kind: 'paid', on: latest.settled_at ? chinaDate(latest.settled_at) : '' };
    if (latest.status === 'failed') return { kind: 'failed', reason: latest.failure ?? '', attempt: latest.attempt };
    return { kind: 'in-batch', status: latest.status, attempt: latest.attempt };
  };

  const describe = async (offer: OfferRow, caseTitle: string, security: string): Promise<PortalOffer> => ({
    offerId: offer.id, caseTitle, security, amountFen: offer.amount_fen, status: offer.status, opensOn: offer.opens_on, closesOn: offer.closes_on,
    agreementSha256: offer.agreement_sha256, payment: await paymentOf(offer),
  });

  const ownOffer = async (offerId: string, investor: string): Promise<OfferRow> => {
    const offer = await offers.get(offerId);
    if (!offer || offer.investor !== investor) throw new ApiError(404, 'not-found', { zh: '未找到该要约', en: 'No such offer' });
    return offer;
  };

  app.get('/portal', { config: INVESTOR }, async (request, reply) => {
    const mine = await offers.ofInvestor(request.actor.id);
    const described: PortalOffer[] = [];
    for (const offer of mine) {
      const { plan, sheet } = await offerDocuments(db, offer);
      described.push(await describe(offer, plan.title, sheet ? `${sheet.security.code} ${sheet.security.name}` : ''));
    }
    return sendPage(request, reply, h(PortalHome, { ctx: contextOf(request, services), offers: described }));
  });

  app.get('/portal/offers/:offerId', {
    config: INVESTOR,
    schema: { params: z.object({ offerId: z.string() }), querystring: z.object(outcomeQuery) },
  }, async (request, reply) => {
    const ctx = contextOf(request, services);
    const offer = await ownOffer(request.params.offerId, request.actor.id);
    const { sheet, plan } = await offerDocuments(db, offer);
    const run = offer.run_id === null ? null : await db.selectFrom('computation_runs').select('dataset').where('id', '=', offer.run_id).executeTakeFirst();
    const chart = sheet && run ? await chartSeriesFor(services.importRoot, run.dataset, sheet) : null;
    const answers = (await offers.answersOf(offer.id)).map((answer) => ({ kind: answer.kind, channel: answer.channel, answeredOn: answer.answered_on }));
    return sendPage(request, reply, h(OfferPage, {
      ctx, offer: await describe(offer, plan.title, sheet ? `${sheet.security.code} ${sheet.security.name}` : ''), sheet, plan, chart, refusing: REFUSING_MEANS, answers,
      outcome: outcomeOf(request, (kind, code) => (kind === 'done' ? ANSWERED[code as AnswerKind] : undefined)),
    }));
  });

  for (const kind of Object.keys(ANSWERED) as AnswerKind[]) {
    app.post(`/portal/offers/:offerId/${kind}`, {
      config: INVESTOR,
      schema: {
        params: z.object({ offerId: z.string() }),
        body: z.object({ agreementSha256: z.string().max(64).optional(), reason: z.string().trim().max(5000).optional(), read: z.string().optional(), _csrf: z.string().optional() }),
      },
    }, async (request, reply) => {
      const offer = await ownOffer(request.params.offerId, request.actor.id);
      const back = `/portal/offers/${encodeURIComponent(offer.id)}`;
      if (kind === 'accept' && request.body.read !== 'yes') {
        return redirectWithOutcome(request, reply, back, 'refused', 'agreement-not-read', { zh: '请先阅读并勾选同意和解协议', en: 'Read the agreement and tick the box first' });
      }
      return orRefused(request, reply, back, async () => {
        await offers.answer({
          offerId: offer.id,
          answer: { kind, channel: 'portal', agreementSha256: kind === 'accept' ? (request.body.agreementSha256 ?? '') : offer.agreement_sha256, reason: request.body.reason },
          actor: request.actor, today: services.today(), at: services.clock.now(),
        });
        return redirectWithOutcome(request, reply, back, 'done', kind);
      });
    });
  }

  const download = (name: 'statement' | 'agreement', render: typeof offerStatementPdf) => {
    app.get(`/portal/offers/:offerId/${name}.pdf`, {
      config: INVESTOR,
      schema: { params: z.object({ offerId: z.string() }), querystring: z.object({ lang: z.enum(['zh', 'en']).default('zh') }) },
    }, async (request, reply) => {
      const offer = await ownOffer(request.params.offerId, request.actor.id);
      const pdf = await render(db, offer, { today: services.today(), lang: request.query.lang });
      return sendDownload(reply, 'application/pdf', `${offer.id}${name === 'statement' ? '' : '-agreement'}.pdf`, pdf);
    });
  };
  download('statement', offerStatementPdf);
  download('agreement', settlementAgreementPdf);
}
