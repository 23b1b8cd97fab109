import { z } from 'zod';
import { importExchangeDeclarations, registryUnitsFile } from '../../../store/offer-channels.ts';
import { OfferRefused, OfferStore, type OfferRow } from '../../../store/offer-store.ts';
import { ApiError, notFound, refusalAsAnswer } from '../api-error.ts';
import { offerDocuments, offerStatementPdf, REFUSING_MEANS, settlementAgreementPdf } from '../../offer-documents.ts';
import type { ApiServices, TypedApp } from '../app.ts';

const OFFER = { zh: '要约', en: 'offer' };
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 as 64 lowercase hex digits');
/** Administrators answer for an investor only at a counter or from the exchange's declaration file. */
const channel = z.enum(['counter', 'exchange-file']).optional().describe('administrators only: where the answer was given');

function refusalStatus(code: string): number {
  if (code === 'not-found') return 404;
  if (code === 'not-your-offer') return 403;
  if (code === 'reason-required' || code === 'note-required' || code === 'run-required') return 422;
  return 409;
}

/** The API's error for an offer refusal; null for any other error. */
function refusal(error: unknown): ApiError | null {
  return error instanceof OfferRefused ? new ApiError(refusalStatus(error.code), error.code, error.bilingual) : null;
}

function translate(error: unknown): never {
  throw refusal(error) ?? error;
}

function describeOffer(offer: OfferRow) {
  return {
    offerId: offer.id, caseId: offer.case_id, runId: offer.run_id, investor: offer.investor, amountFen: offer.amount_fen,
    planVersion: offer.plan_version, planSha256: offer.plan_sha256, agreementSha256: offer.agreement_sha256,
    window: { opensOn: offer.opens_on, closesOn: offer.closes_on }, status: offer.status, issuedAt: offer.issued_at,
  };
}

export function registerOfferRoutes(app: TypedApp, services: ApiServices): void {
  const { db } = services.database;
  const offers = new OfferStore(db);

  app.post('/api/v1/cases/:caseId/computation-runs/:runId/offers', {
    config: { access: { roles: ['administrator'] } },
    schema: {
      summary: 'Make the offers of a finished run of the adopted plan: one per payable investor',
      tags: ['offers'],
      params: z.object({ caseId: z.string(), runId: z.string() }),
    },
  }, async (request, reply) => {
    const issued = await offers.issue({ caseId: request.params.caseId, runId: request.params.runId, actor: request.actor, at: services.clock.now() }).catch(translate);
    return reply.code(issued.alreadyIssued ? 200 : 201).send(issued);
  });

  app.get('/api/v1/cases/:caseId/offers', {
    config: { access: { roles: ['administrator', 'auditor'] } },
    schema: {
      summary: 'The offers of a case, in investor order, a page at a time',
      tags: ['offers'],
      params: z.object({ caseId: z.string() }),
      querystring: z.object({
        status: z.enum(['offered', 'accepted', 'refused', 'disputed', 'superseded']).optional(),
        after: z.string().optional().describe('the last investor of the previous page'),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
    },
  }, async (request) => {
    let query = db.selectFrom('offers').selectAll().where('case_id', '=', request.params.caseId);
    if (request.query.status) query = query.where('status', '=', request.query.status);
    if (request.query.after) query = query.where('investor', '>', request.query.after);
    const rows = await query.orderBy('investor').limit(request.query.limit).execute();
    return { offers: rows.map(describeOffer), next: rows.length === request.query.limit ? rows.at(-1)!.investor : null };
  });

  app.get('/api/v1/me/offers', {
    config: { access: { roles: ['investor'] } },
    schema: { summary: 'The offers made to the signed-in investor', tags: ['offers'] },
  }, async (request) => ({ offers: (await offers.ofInvestor(request.actor.id)).map(describeOffer) }));

  app.get('/api/v1/offers/:offerId', {
    config: { access: { roles: ['investor', 'administrator', 'auditor'] } },
    schema: { summary: 'An offer with its calculation sheet and the agreement it carries', tags: ['offers'], params: z.object({ offerId: z.string() }) },
  }, async (request) => {
    const offer = await offers.get(request.params.offerId);
    // An investor sees its own offers only; another's reads as not found, so ids cannot be probed.
    if (!offer || (request.actor.role === 'investor' && offer.investor !== request.actor.id)) throw notFound(OFFER);
    // A court award has no computation behind it: the judgment fixed the amount.
    const { sheet, plan } = await offerDocuments(db, offer);
    return {
      ...describeOffer(offer),
      agreement: plan.agreement,
      refusing: REFUSING_MEANS,
      calculationSheet: sheet,
      source: offer.source,
      awardReference: offer.award_reference,
      answers: await offers.answersOf(offer.id),
    };
  });

  const documents = [
    ['statement', 'The offer and its calculation sheet as a PDF, in Chinese by default, for the investor\'s records or a court', offerStatementPdf, ''],
    ['agreement', 'The settlement agreement of an offer as a PDF: the parties, the amount, the clauses and, once accepted, when and how', settlementAgreementPdf, '-agreement'],
  ] as const;
  for (const [name, summary, render, suffix] of documents) {
    app.get(`/api/v1/offers/:offerId/${name}.pdf`, {
      config: { access: { roles: ['investor', 'administrator', 'auditor'] } },
      schema: { summary, tags: ['offers'], params: z.object({ offerId: z.string() }), querystring: z.object({ lang: z.enum(['zh', 'en']).default('zh') }) },
    }, async (request, reply) => {
      const offer = await offers.get(request.params.offerId);
      if (!offer || (request.actor.role === 'investor' && offer.investor !== request.actor.id)) throw notFound(OFFER);
      const pdf = await render(db, offer, { today: services.today(), lang: request.query.lang });
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${offer.id}${suffix}.pdf"`).send(pdf);
    });
  }

  const answerRoute = (kind: 'accept' | 'refuse' | 'dispute', summary: string, body: z.ZodObject<z.ZodRawShape>) => {
    app.post(`/api/v1/offers/:offerId/${kind}`, {
      config: { access: { roles: ['investor', 'administrator'] } },
      schema: { summary, tags: ['offers'], params: z.object({ offerId: z.string() }), body },
    }, async (request, reply) => {
      const payload = request.body as { agreementSha256?: string; reason?: string; channel?: 'counter' | 'exchange-file' };
      // Read before the request's transaction: inside it, only that transaction may be used.
      const offer = payload.agreementSha256 === undefined ? await offers.get(request.params.offerId) : undefined;
      // A refusal is the answer, so that its audit entry commits with the request's transaction.
      await services.answer(request, reply, (transaction) => refusalAsAnswer(refusal, async () => {
        const { decision, offer: answered } = await offers.answer({
          offerId: request.params.offerId,
          answer: {
            kind,
            channel: request.actor.role === 'investor' ? 'portal' : (payload.channel ?? 'counter'),
            // Only an acceptance binds a text; the others record the agreement the offer carried.
            agreementSha256: payload.agreementSha256 ?? offer?.agreement_sha256 ?? '',
            reason: payload.reason,
          },
          actor: request.actor,
          today: services.today(),
          at: services.clock.now(),
        }, transaction ?? undefined);
        return { statusCode: 200, body: { offer: describeOffer(answered), repeated: !decision.firstTime } };
      }));
    });
  };
  app.get('/api/v1/cases/:caseId/registry-units.csv', {
    config: { access: { roles: ['administrator'] } },
    schema: { summary: 'The registry file crediting compensation-right units (1 unit = 1 yuan) to each open offer\'s securities account (docs/interop.md)', tags: ['offers'], params: z.object({ caseId: z.string() }) },
  }, async (request, reply) => {
    const { csv, credited, withoutAccount } = await registryUnitsFile(db, request.params.caseId);
    return reply.type('text/csv; charset=utf-8').header('x-credited-offers', String(credited)).header('x-offers-without-account', String(withoutAccount.length)).send(csv);
  });

  app.post('/api/v1/cases/:caseId/exchange-declarations', {
    config: { access: { roles: ['administrator'] } },
    schema: {
      summary: 'Import the exchange\'s declaration file: acceptances and refusals declared through brokers; rows not recorded come back with line and reason; importing again records nothing twice',
      tags: ['offers'],
      params: z.object({ caseId: z.string() }),
      body: z.strictObject({
        file: z.string().min(1).max(255).describe('the file\'s name, as errors cite it'),
        csv: z.string().min(1).max(200 << 20).optional().describe('the file as UTF-8 text'),
        base64: z.string().min(1).max(280 << 20).optional().describe('or its bytes, base64, e.g. in GB18030'),
        encoding: z.enum(['utf-8', 'gb18030']).default('utf-8'),
      }).refine((body) => (body.csv === undefined) !== (body.base64 === undefined), 'give csv or base64, not both'),
    },
  }, async (request) => {
    const { file, csv, base64, encoding } = request.body;
    return importExchangeDeclarations(db, {
      caseId: request.params.caseId, file, content: csv ?? Buffer.from(base64!, 'base64'), encoding, actor: request.actor, today: services.today(), at: services.clock.now(),
    });
  });

  app.post('/api/v1/offers/:offerId/resolve-dispute', {
    config: { access: { roles: ['administrator'] } },
    schema: {
      summary: 'End the review of a disputed offer: upheld (open again), or corrected by a recomputation (a new offer replaces it)',
      tags: ['offers'],
      params: z.object({ offerId: z.string() }),
      body: z.discriminatedUnion('resolution', [
        z.strictObject({ resolution: z.literal('upheld'), note: z.string().trim().min(1).max(5000) }),
        z.strictObject({ resolution: z.literal('corrected'), note: z.string().trim().min(1).max(5000), runId: z.string().min(1).describe('the finished run that recomputed the case with the corrected data') }),
      ]),
    },
  }, async (request) => {
    const body = request.body;
    const { offer, replacement } = await offers
      .resolveDispute({ offerId: request.params.offerId, resolution: body.resolution, note: body.note, runId: 'runId' in body ? body.runId : undefined, actor: request.actor, today: services.today(), at: services.clock.now() })
      .catch(translate);
    return { offer: describeOffer(offer), replacement: replacement === null ? null : describeOffer(replacement) };
  });

  answerRoute('accept', 'Accept an offer: a settlement with the funders and the assignment of claims to them (债权转让)', z.strictObject({ agreementSha256: sha256.describe('the hash of the agreement read, as the offer gives it'), channel }));
  answerRoute('refuse', 'Refuse an offer: the right to sue is kept', z.strictObject({ channel }));
  answerRoute('dispute', 'Dispute an offer (wrong data, wrong amount): it goes to review', z.strictObject({ reason: z.string().trim().min(1).max(5000), channel }));
}
