import { h } from 'preact';
import { z } from 'zod';
import type { TypedApp } from '../../server/api/app.ts';
import { offerDocuments, offerStatementPdf, REFUSING_MEANS } from '../../server/offer-documents.ts';
import { OfferRefused, OfferStore, type OfferRow } from '../../store/offer-store.ts';
import { say } from '../i18n.ts';
import { chartSeriesFor } from '../market-series.ts';
import { contextOf, redirectAfterPost, sendPage } from '../render.ts';
import { OfferPage, PortalHome, type PaymentStanding, type PortalOffer } from '../views/portal-pages.tsx';
import type { WebServices } from '../web-app.ts';
import { ApiError } from '../../server/api/api-error.ts';

const INVESTOR = { web: true, access: { roles: ['investor' as const] } };

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
    if (latest.status === 'paid') return { kind: 'paid', on: latest.settled_at ? new Date(latest.settled_at.getTime() + 8 * 3600_000).toISOString().slice(0, 10) : '' };
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
    schema: { params: z.object({ offerId: z.string() }), querystring: z.object({ done: z.enum(['accept', 'refuse', 'dispute']).optional(), refused: z.string().max(500).optional(), lang: z.string().optional() }) },
  }, async (request, reply) => {
    const ctx = contextOf(request, services);
    const offer = await ownOffer(request.params.offerId, request.actor.id);
    const { sheet, plan } = await offerDocuments(db, offer);
    const run = offer.run_id === null ? null : await db.selectFrom('computation_runs').select('dataset').where('id', '=', offer.run_id).executeTakeFirst();
    const chart = sheet && run ? await chartSeriesFor(services.importRoot, run.dataset, sheet) : null;
    const answers = (await offers.answersOf(offer.id)).map((answer) => ({ kind: answer.kind, channel: answer.channel, answeredOn: answer.answered_on }));
    const { done, refused } = request.query;
    const flash = done === 'accept' ? { tone: 'good' as const, text: say(ctx.lang, '您已接受赔付。款项将在答复期结束后的支付批次中划付。', 'You have accepted. The money is paid in the batch after the answer period.') }
      : done === 'refuse' ? { tone: 'info' as const, text: say(ctx.lang, '您已拒绝赔付，仍可依法提起诉讼。', 'You have refused; your right to sue is kept.') }
      : done === 'dispute' ? { tone: 'info' as const, text: say(ctx.lang, '异议已提交，管理人将在复核后答复您。', 'Your dispute has been sent; the administrator will answer after review.') }
      : refused ? { tone: 'bad' as const, text: refused } : null;
    return sendPage(request, reply, h(OfferPage, {
      ctx, offer: await describe(offer, plan.title, sheet ? `${sheet.security.code} ${sheet.security.name}` : ''), sheet, plan, chart, refusing: REFUSING_MEANS, answers, flash,
    }));
  });

  for (const kind of ['accept', 'refuse', 'dispute'] as const) {
    app.post(`/portal/offers/:offerId/${kind}`, {
      config: INVESTOR,
      schema: {
        params: z.object({ offerId: z.string() }),
        body: z.object({ agreementSha256: z.string().max(64).optional(), reason: z.string().trim().max(5000).optional(), read: z.string().optional(), _csrf: z.string().optional() }),
      },
    }, async (request, reply) => {
      const offer = await ownOffer(request.params.offerId, request.actor.id);
      const back = `/portal/offers/${encodeURIComponent(offer.id)}`;
      const lang = contextOf(request, services).lang;
      if (kind === 'accept' && request.body.read !== 'yes') {
        return redirectAfterPost(reply, `${back}?refused=${encodeURIComponent(say(lang, '请先阅读并勾选同意和解协议', 'Read the agreement and tick the box first'))}`);
      }
      try {
        await offers.answer({
          offerId: offer.id,
          answer: { kind, channel: 'portal', agreementSha256: kind === 'accept' ? (request.body.agreementSha256 ?? '') : offer.agreement_sha256, reason: request.body.reason },
          actor: request.actor, today: services.today(), at: services.clock.now(),
        });
      } catch (error) {
        if (error instanceof OfferRefused) return redirectAfterPost(reply, `${back}?refused=${encodeURIComponent(error.bilingual[lang])}`);
        throw error;
      }
      return redirectAfterPost(reply, `${back}?done=${kind}`);
    });
  }

  app.get('/portal/offers/:offerId/statement.pdf', {
    config: INVESTOR,
    schema: { params: z.object({ offerId: z.string() }), querystring: z.object({ lang: z.enum(['zh', 'en']).default('zh') }) },
  }, async (request, reply) => {
    const offer = await ownOffer(request.params.offerId, request.actor.id);
    const pdf = await offerStatementPdf(db, offer, { today: services.today(), lang: request.query.lang });
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${offer.id}.pdf"`).header('cache-control', 'no-store').send(pdf);
  });
}
