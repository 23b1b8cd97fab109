import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import type { Role } from '../../domain/access/roles.ts';
import { fundPosition } from '../../domain/fund/fund-position.ts';
import { trialBalance } from '../../domain/fund/ledger-state.ts';
import type { CalculationSheet } from '../../domain/loss/calculation-sheet.ts';
import { isIsoDate } from '../../domain/market/calendar-date.ts';
import type { CaseEvent } from '../../domain/procedure/case-events.ts';
import { adoptedPlanOf } from '../../domain/procedure/published-plans.ts';
import type { PartyFault } from '../../domain/recourse/fault-allocation.ts';
import { claimBalances, limitationDates, outstandingByParty, overdueLimitations } from '../../domain/recourse/recourse-claims.ts';
import { notFound } from '../../server/api/api-error.ts';
import type { TypedApp } from '../../server/api/app.ts';
import { chinaDate } from '../../server/api/request-context.ts';
import { offerDocuments, offerStatementPdf, settlementAgreementPdf } from '../../server/offer-documents.ts';
import { LedgerRefused, ledgerState, recordFundMovement, type FundMovementKind } from '../../store/ledger-store.ts';
import { OfferStore } from '../../store/offer-store.ts';
import { PaymentStore } from '../../store/payment-store.ts';
import { offerCountsByStatus, reconciliationOf, runningOfferTallies } from '../../store/reconciliation-store.ts';
import { assignedClaimsRegister, recordAllocation, recordRecourseRecovery, recourseBook, RecourseRefused } from '../../store/recourse-store.ts';
import type { Bilingual } from '../i18n.ts';
import { orRefused, outcomeOf, outcomeQuery, redirectWithOutcome } from '../outcome.ts';
import { contextOf, languageOf, sendDownload, sendFragment, sendPage } from '../render.ts';
import { fenFromTypedYuan } from '../typed-yuan.ts';
import { consoleUrl, sectionPage } from '../views/console/console-frame.tsx';
import { DisputesPage } from '../views/console/fund/disputes.tsx';
import { withQuery } from '../views/console/fund/fund-ui.tsx';
import { LedgerPage, type TransactionRow } from '../views/console/fund/ledger.tsx';
import { OfferPage, OffersPage, offerUrl } from '../views/console/fund/offers.tsx';
import { BatchPage, batchUrl, PaymentsPage, type BatchSummary, type ImportReport } from '../views/console/fund/payments.tsx';
import { ReconciliationPage } from '../views/console/fund/reconciliation.tsx';
import { RecoursePage, type RecourseView } from '../views/console/fund/recourse.tsx';
import { RunPage, RunProgress, RunsPage, runUrl, type RunSummary } from '../views/console/fund/runs.tsx';
import { SheetPage } from '../views/console/fund/sheet.tsx';
import { yuan } from '../views/ui.tsx';
import type { WebServices } from '../web-app.ts';

/** Rows a list shows at once; one more is read to know whether a next page exists. */
const PAGE = 50;
const DISPUTES_PAGE = 20;

/**
 * The console's pages for the money of a case (procedure.md steps 7–12): computation runs and
 * calculation sheets, offers and counter answers, the dispute review, payment batches under the
 * two-person rule, the fund's ledger, the reconciliation and recourse. They read and write through
 * the same stores as the JSON API; every list pages in SQL on an indexed key.
 */
export function registerConsoleFundPages(app: TypedApp, services: WebServices): void {
  const pages = new FundPages(services);
  registerRunPages(app, services, pages);
  registerOfferPages(app, services, pages);
  registerPaymentPages(app, services, pages);
  registerLedgerPages(app, services, pages);
  registerRecoursePages(app, services, pages);
}

// ---------------------------------------------------------------------------------------------
// What every page shares: access, the case it belongs to, and the outcome of the last form.

const caseParams = z.object({ caseId: z.string().min(1).max(200) });

/** Forms carry the session's token; the schema must keep it for the check that follows validation. */
const csrf = { _csrf: z.string().optional() };

/** An investor id typed as a filter: its start, matched by prefix. */
const investorPrefix = z.string().trim().max(64).optional();

const ADMINISTRATORS: Role[] = ['administrator'];
const action = { web: true, access: { roles: ADMINISTRATORS } };

/** `LIKE` of an id's beginning, its wildcards taken literally. */
function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** An amount typed in a form, in fen when it is one above zero; else null, and the form is refused with `notAnAmount`. */
function positiveFen(text: string): bigint | null {
  const fen = fenFromTypedYuan(text);
  return fen !== null && fen > 0n ? fen : null;
}

function notAnAmount(text: string): Bilingual {
  return { zh: `金额“${text}”不是大于零、至多两位小数的元`, en: `'${text}' is not an amount in yuan above zero with at most two decimals` };
}

class FundPages {
  readonly services: WebServices;
  readonly offers: OfferStore;
  readonly payments: PaymentStore;

  constructor(services: WebServices) {
    this.services = services;
    this.offers = new OfferStore(services.database.db);
    this.payments = new PaymentStore(services.database.db);
  }

  get db() {
    return this.services.database.db;
  }

  async caseTitle(caseId: string): Promise<string> {
    const row = await this.db.selectFrom('cases').select('title').where('id', '=', caseId).executeTakeFirst();
    if (!row) throw notFound({ zh: '案件', en: 'case' });
    return row.title;
  }

  async events(caseId: string): Promise<CaseEvent[]> {
    return (await this.db.selectFrom('case_events').select('event').where('case_id', '=', caseId).orderBy('seq').execute()).map((row) => row.event as unknown as CaseEvent);
  }

  /** Staff names by id, for "prepared by" and the like. */
  async names(ids: (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await this.db.selectFrom('actors').select(['id', 'name']).where('id', 'in', wanted).execute();
    return new Map(rows.map((row) => [row.id, row.name]));
  }
}

// ---------------------------------------------------------------------------------------------
// Computation runs and calculation sheets.

type RunRow = {
  id: string; status: string; dataset: string; plan_version: number; plan_sha256: string; started_at: Date; finished_at: Date | null; error: string | null;
  input_sha256: string | null; investors: number | null; payable: number | null; zero: number | null; ineligible: number | null; rejected: number | null;
  rejected_rows: number | null; total_fen: bigint | null;
};

const RUN_COLUMNS = ['id', 'status', 'dataset', 'plan_version', 'plan_sha256', 'started_at', 'finished_at', 'error', 'input_sha256', 'investors', 'payable', 'zero', 'ineligible', 'rejected', 'rejected_rows', 'total_fen'] as const;

function runSummary(run: RunRow): RunSummary {
  return {
    runId: run.id, status: run.status, dataset: run.dataset, planVersion: run.plan_version, planSha256: run.plan_sha256, startedAt: run.started_at, finishedAt: run.finished_at,
    error: run.error, inputSha256: run.input_sha256, totalFen: run.total_fen,
    counts: run.investors === null ? null : {
      investors: run.investors, payable: run.payable ?? 0, zero: run.zero ?? 0, ineligible: run.ineligible ?? 0, rejected: run.rejected ?? 0, rejectedRows: run.rejected_rows ?? 0,
    },
  };
}

const RESULT_STATUSES = ['payable', 'zero', 'ineligible', 'rejected'] as const;

function registerRunPages(app: TypedApp, services: WebServices, pages: FundPages): void {
  const { db } = pages;
  const runParams = z.object({ caseId: z.string().min(1).max(200), runId: z.string().min(1).max(200) });

  const loadRun = async (caseId: string, runId: string): Promise<RunRow> => {
    const run = await db.selectFrom('computation_runs').select(RUN_COLUMNS).where('id', '=', runId).where('case_id', '=', caseId).executeTakeFirst();
    if (!run) throw notFound({ zh: '计算批次', en: 'computation run' });
    return run;
  };
  const elapsed = (run: RunRow) => Math.max(0, Math.round(((run.finished_at ?? services.clock.now()).getTime() - run.started_at.getTime()) / 1000));

  app.get('/console/cases/:caseId/runs', { config: sectionPage('runs'), schema: { params: caseParams, querystring: z.object(outcomeQuery) } }, async (request, reply) => {
    const { caseId } = request.params;
    const caseTitle = await pages.caseTitle(caseId);
    const runs = await db.selectFrom('computation_runs').select(RUN_COLUMNS).where('case_id', '=', caseId).orderBy('started_at').orderBy('id').execute();
    const adopted = adoptedPlanOf(await pages.events(caseId));
    return sendPage(request, reply, h(RunsPage, {
      ctx: contextOf(request, services), caseId, caseTitle, runs: runs.map(runSummary), adoptedPlanVersion: adopted?.version ?? null,
      canAct: request.actor.role === 'administrator', outcome: outcomeOf(request),
    }));
  });

  app.post('/console/cases/:caseId/runs', {
    config: action,
    schema: { params: caseParams, body: z.object({ dataset: z.string().trim().min(1).max(200), encoding: z.enum(['utf-8', 'gb18030']).default('utf-8'), ...csrf }) },
  }, async (request, reply) => {
    const { caseId } = request.params;
    return orRefused(request, reply, consoleUrl(caseId, 'runs'), async () => {
      const { runId } = await services.computations.start({
        caseId, dataset: request.body.dataset, encoding: request.body.encoding, actor: request.actor, today: services.today(), at: services.clock.now(),
      });
      return redirectWithOutcome(request, reply, runUrl(caseId, runId), 'done', 'started', { zh: `计算已开始：${runId}`, en: `The run ${runId} has started` });
    });
  });

  app.get('/console/cases/:caseId/runs/:runId', {
    config: sectionPage('runs'),
    schema: {
      params: runParams,
      querystring: z.object({
        ...outcomeQuery,
        status: z.enum(RESULT_STATUSES).optional().catch(undefined),
        q: investorPrefix,
        after: z.string().max(64).optional(),
        rfile: z.string().max(200).optional(),
        rline: z.coerce.number().int().min(0).optional().catch(undefined),
      }),
    },
  }, async (request, reply) => {
    const { caseId, runId } = request.params;
    const { status, q, after, rfile, rline } = request.query;
    const caseTitle = await pages.caseTitle(caseId);
    const run = await loadRun(caseId, runId);
    const here = runUrl(caseId, runId);
    const finished = run.status === 'finished';

    let results: { investor: string; status: string; reason: string; investment_difference_loss_fen: bigint; deduction_fen: bigint; principal_fen: bigint; commission_fen: bigint; stamp_duty_fen: bigint; interest_fen: bigint; total_fen: bigint }[] = [];
    let rejected: { file: string; line: number; investor: string; reason: string }[] = [];
    if (finished) {
      let query = db.selectFrom('investor_results')
        .select(['investor', 'status', 'reason', 'investment_difference_loss_fen', 'deduction_fen', 'principal_fen', 'commission_fen', 'stamp_duty_fen', 'interest_fen', 'total_fen'])
        .where('run_id', '=', runId);
      if (status) query = query.where('status', '=', status);
      // The lower bound lets the primary key (run_id, investor) seek straight to the prefix.
      if (q) query = query.where('investor', '>=', q).where('investor', 'like', prefixPattern(q));
      if (after) query = query.where('investor', '>', after);
      results = await query.orderBy('investor').limit(PAGE + 1).execute();
      let rejectedQuery = db.selectFrom('rejected_rows').select(['file', 'line', 'investor', 'reason']).where('run_id', '=', runId);
      if (rfile !== undefined && rline !== undefined) rejectedQuery = rejectedQuery.where((eb) => eb(eb.refTuple('file', 'line'), '>', eb.tuple(rfile, rline)));
      rejected = await rejectedQuery.orderBy('file').orderBy('line').limit(PAGE + 1).execute();
    }
    const lastResult = results.length > PAGE ? results[PAGE - 1]! : null;
    const lastRejected = rejected.length > PAGE ? rejected[PAGE - 1]! : null;
    const made = await db.selectFrom('offers').select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.sum<string>('amount_fen').as('total')]).where('run_id', '=', runId).executeTakeFirstOrThrow();
    const adopted = adoptedPlanOf(await pages.events(caseId));
    return sendPage(request, reply, h(RunPage, {
      ctx: contextOf(request, services), caseId, caseTitle, run: runSummary(run), elapsedSeconds: elapsed(run),
      onAdoptedPlan: adopted !== null && adopted.version === run.plan_version && adopted.hash === run.plan_sha256,
      offersMade: { count: Number(made.count), totalFen: BigInt(made.total ?? 0) },
      canAct: request.actor.role === 'administrator',
      filters: { status: status ?? '', q: q ?? '' },
      results: results.slice(0, PAGE).map((row) => ({
        investor: row.investor, status: row.status, reason: row.reason, lossFen: row.investment_difference_loss_fen, deductionFen: row.deduction_fen,
        principalFen: row.principal_fen, commissionFen: row.commission_fen, stampDutyFen: row.stamp_duty_fen, interestFen: row.interest_fen, totalFen: row.total_fen,
      })),
      nextResultsUrl: lastResult ? withQuery(here, { status, q, after: lastResult.investor }) : null,
      rejected: rejected.slice(0, PAGE),
      rejectedTotal: run.rejected_rows ?? 0,
      nextRejectedUrl: lastRejected ? `${withQuery(here, { rfile: lastRejected.file, rline: String(lastRejected.line) })}#rejected` : null,
      outcome: outcomeOf(request),
    }));
  });

  // The panel a running run's page asks for every two seconds; once the run has ended, htmx is told
  // to reload the whole page, which then shows the results.
  app.get('/console/cases/:caseId/runs/:runId/progress', { config: sectionPage('runs'), schema: { params: runParams, querystring: z.object({ lang: z.string().optional() }) } }, async (request, reply) => {
    const { caseId, runId } = request.params;
    const run = await loadRun(caseId, runId);
    if (run.status !== 'running' && request.headers['hx-request'] === 'true') reply.header('hx-refresh', 'true');
    return sendFragment(reply, h(RunProgress, { ctx: contextOf(request, services), caseId, run: runSummary(run), elapsedSeconds: elapsed(run) }));
  });

  app.get('/console/cases/:caseId/runs/:runId/results/:investor', {
    config: sectionPage('runs'),
    schema: { params: runParams.extend({ investor: z.string().min(1).max(64) }), querystring: z.object(outcomeQuery) },
  }, async (request, reply) => {
    const { caseId, runId, investor } = request.params;
    const caseTitle = await pages.caseTitle(caseId);
    await loadRun(caseId, runId);
    const row = await db.selectFrom('investor_results').select(['sheet', 'total_fen']).where('run_id', '=', runId).where('investor', '=', investor).executeTakeFirst();
    if (!row) throw notFound({ zh: '该投资者的计算结果', en: 'result for this investor' });
    return sendPage(request, reply, h(SheetPage, { ctx: contextOf(request, services), caseId, caseTitle, runId, sheet: row.sheet as unknown as CalculationSheet, totalFen: row.total_fen }));
  });

  app.post('/console/cases/:caseId/runs/:runId/offers', { config: action, schema: { params: runParams, body: z.object(csrf).nullish() } }, async (request, reply) => {
    const { caseId, runId } = request.params;
    return orRefused(request, reply, runUrl(caseId, runId), async () => {
      const issued = await pages.offers.issue({ caseId, runId, actor: request.actor, at: services.clock.now() });
      if (issued.alreadyIssued) {
        return redirectWithOutcome(request, reply, runUrl(caseId, runId), 'done', 'already-issued', { zh: `本批次的要约此前已发出（${issued.offers} 份），未重复发出`, en: `The offers of this run were made before (${issued.offers}); none was made twice` });
      }
      const proRata = issued.proRata ? { zh: '；基金不足，按比例发出', en: '; the fund falls short, so each is a pro-rata share' } : { zh: '', en: '' };
      return redirectWithOutcome(request, reply, runUrl(caseId, runId), 'done', 'issued', {
        zh: `已发出 ${issued.offers} 份要约，金额合计 ${yuan(issued.totalFen)}${proRata.zh}`,
        en: `${issued.offers} offers made, for ${yuan(issued.totalFen)} in all${proRata.en}`,
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Offers, counter answers and the dispute review.

const OFFER_STATUSES = ['offered', 'accepted', 'refused', 'disputed', 'superseded'] as const;
const OFFER = { zh: '要约', en: 'offer' };

function registerOfferPages(app: TypedApp, services: WebServices, pages: FundPages): void {
  const { db, offers } = pages;
  const offerParams = z.object({ offerId: z.string().min(1).max(200) });

  app.get('/console/cases/:caseId/offers', {
    config: sectionPage('offers'),
    schema: {
      params: caseParams,
      querystring: z.object({
        ...outcomeQuery,
        status: z.enum(OFFER_STATUSES).optional().catch(undefined),
        q: investorPrefix,
        after: z.string().max(64).optional().describe('the last investor of the previous page'),
        afterId: z.string().max(200).optional().describe('and its offer, for an investor with several'),
      }),
    },
  }, async (request, reply) => {
    const { caseId } = request.params;
    const { status, q, after, afterId } = request.query;
    const caseTitle = await pages.caseTitle(caseId);
    const counts = offerCountsByStatus(await runningOfferTallies(db, caseId));
    let query = db.selectFrom('offers').select(['id', 'investor', 'amount_fen', 'status', 'source', 'opens_on', 'closes_on', 'issued_at']).where('case_id', '=', caseId);
    if (status) query = query.where('status', '=', status);
    if (q) query = query.where('investor', '>=', q).where('investor', 'like', prefixPattern(q));
    // An investor may hold several offers (one superseded by its correction): the key is (investor, id).
    if (after !== undefined) query = afterId !== undefined ? query.where((eb) => eb(eb.refTuple('investor', 'id'), '>', eb.tuple(after, afterId))) : query.where('investor', '>', after);
    const rows = await query.orderBy('investor').orderBy('id').limit(PAGE + 1).execute();
    const last = rows.length > PAGE ? rows[PAGE - 1]! : null;
    const here = consoleUrl(caseId, 'offers');
    return sendPage(request, reply, h(OffersPage, {
      ctx: contextOf(request, services), caseId, caseTitle,
      counts,
      filters: { status: status ?? '', q: q ?? '' },
      rows: rows.slice(0, PAGE).map((row) => ({ offerId: row.id, investor: row.investor, amountFen: row.amount_fen, status: row.status, source: row.source, opensOn: row.opens_on, closesOn: row.closes_on, issuedAt: row.issued_at })),
      nextUrl: last ? withQuery(here, { status, q, after: last.investor, afterId: last.id }) : null,
      outcome: outcomeOf(request),
    }));
  });

  app.get('/console/offers/:offerId', { config: sectionPage('offers'), schema: { params: offerParams, querystring: z.object(outcomeQuery) } }, async (request, reply) => {
    const offer = await offers.get(request.params.offerId);
    if (!offer) throw notFound(OFFER);
    const caseTitle = await pages.caseTitle(offer.case_id);
    const { sheet, plan } = await offerDocuments(db, offer);
    const review = await db.selectFrom('dispute_reviews').selectAll().where('offer_id', '=', offer.id).executeTakeFirst();
    const replaced = offer.status === 'superseded' ? null : await db.selectFrom('dispute_reviews').select('offer_id').where('new_offer_id', '=', offer.id).executeTakeFirst();
    return sendPage(request, reply, h(OfferPage, {
      ctx: contextOf(request, services), caseTitle,
      offer: {
        offerId: offer.id, caseId: offer.case_id, runId: offer.run_id, investor: offer.investor, amountFen: offer.amount_fen, status: offer.status, source: offer.source,
        awardReference: offer.award_reference, planVersion: offer.plan_version, planSha256: offer.plan_sha256, agreementSha256: offer.agreement_sha256,
        opensOn: offer.opens_on, closesOn: offer.closes_on, issuedAt: offer.issued_at,
      },
      answers: (await offers.answersOf(offer.id)).map((answer) => ({
        kind: answer.kind, channel: answer.channel, answeredOn: answer.answered_on, answeredAt: answer.answered_at, actorId: answer.actor_id, agreementSha256: answer.agreement_sha256, reason: answer.reason,
      })),
      review: review ? { resolution: review.resolution, note: review.note, runId: review.run_id, newOfferId: review.new_offer_id, reviewedBy: review.reviewed_by, reviewedOn: review.reviewed_on } : null,
      replaces: replaced?.offer_id ?? null,
      sheet,
      agreementTitle: plan.agreement.title,
      canAct: request.actor.role === 'administrator',
      outcome: outcomeOf(request),
    }));
  });

  // The statement and the agreement the API serves to a bearer token, here for a signed-in browser.
  for (const [name, render] of [['statement', offerStatementPdf], ['agreement', settlementAgreementPdf]] as const) {
    app.get(`/console/offers/:offerId/${name}.pdf`, { config: sectionPage('offers'), schema: { params: offerParams, querystring: z.object({ lang: z.enum(['zh', 'en']).optional() }) } }, async (request, reply) => {
      const offer = await offers.get(request.params.offerId);
      if (!offer) throw notFound(OFFER);
      const pdf = await render(db, offer, { today: services.today(), lang: request.query.lang ?? languageOf(request) });
      return sendDownload(reply, 'application/pdf', `${offer.id}${name === 'statement' ? '' : '-agreement'}.pdf`, pdf);
    });
  }

  app.post('/console/offers/:offerId/counter', {
    config: action,
    schema: {
      params: offerParams,
      body: z.object({ kind: z.enum(['accept', 'refuse', 'dispute']), reason: z.string().trim().max(5000).optional(), agreementSha256: z.string().regex(/^[0-9a-f]{64}$/), ...csrf }),
    },
  }, async (request, reply) => {
    const here = offerUrl(request.params.offerId);
    const { kind, reason, agreementSha256 } = request.body;
    return orRefused(request, reply, here, async () => {
      const { decision } = await offers.answer({
        offerId: request.params.offerId,
        answer: { kind, channel: 'counter', agreementSha256, reason: kind === 'dispute' && reason ? reason : undefined },
        actor: request.actor, today: services.today(), at: services.clock.now(),
      });
      const words = { accept: { zh: '接受', en: 'accepted' }, refuse: { zh: '拒绝', en: 'refused' }, dispute: { zh: '提出异议', en: 'disputed' } }[kind];
      return decision.firstTime
        ? redirectWithOutcome(request, reply, here, 'done', kind, { zh: `已登记投资者在柜台的答复：${words.zh}`, en: `Recorded at the counter: the investor ${words.en}` })
        : redirectWithOutcome(request, reply, here, 'done', 'repeated', { zh: '该答复此前已登记，未重复记录', en: 'This answer was recorded before; nothing changed' });
    });
  });

  app.get('/console/cases/:caseId/disputes', {
    config: sectionPage('disputes'),
    schema: { params: caseParams, querystring: z.object({ ...outcomeQuery, after: z.string().max(64).optional(), afterId: z.string().max(200).optional() }) },
  }, async (request, reply) => {
    const { caseId } = request.params;
    const { after, afterId } = request.query;
    const caseTitle = await pages.caseTitle(caseId);
    const total = await db.selectFrom('offers').select((eb) => eb.fn.countAll<string>().as('count')).where('case_id', '=', caseId).where('status', '=', 'disputed').executeTakeFirstOrThrow();
    let query = db.selectFrom('offers as o')
      .leftJoin('offer_answers as a', (join) => join.onRef('a.offer_id', '=', 'o.id').on('a.kind', '=', 'dispute'))
      .select(['o.id', 'o.investor', 'o.amount_fen', 'o.run_id', 'o.closes_on', 'a.reason', 'a.answered_on', 'a.channel'])
      .where('o.case_id', '=', caseId).where('o.status', '=', 'disputed');
    if (after !== undefined) query = afterId !== undefined ? query.where((eb) => eb(eb.refTuple('o.investor', 'o.id'), '>', eb.tuple(after, afterId))) : query.where('o.investor', '>', after);
    const rows = await query.orderBy('o.investor').orderBy('o.id').limit(DISPUTES_PAGE + 1).execute();
    const last = rows.length > DISPUTES_PAGE ? rows[DISPUTES_PAGE - 1]! : null;
    const adopted = adoptedPlanOf(await pages.events(caseId));
    const reruns = adopted === null ? [] : await db.selectFrom('computation_runs').select(['id', 'plan_version', 'finished_at', 'dataset'])
      .where('case_id', '=', caseId).where('status', '=', 'finished').where('plan_sha256', '=', adopted.hash).orderBy('finished_at', 'desc').orderBy('id').limit(20).execute();
    const reviewed = await db.selectFrom('dispute_reviews as r').innerJoin('offers as o', 'o.id', 'r.offer_id')
      .select(['r.offer_id', 'o.investor', 'r.resolution', 'r.note', 'r.new_offer_id', 'r.reviewed_by', 'r.reviewed_on'])
      .where('o.case_id', '=', caseId).orderBy('r.reviewed_at', 'desc').limit(20).execute();
    return sendPage(request, reply, h(DisputesPage, {
      ctx: contextOf(request, services), caseId, caseTitle, total: Number(total.count),
      rows: rows.slice(0, DISPUTES_PAGE).map((row) => ({
        offerId: row.id, investor: row.investor, amountFen: row.amount_fen, runId: row.run_id, closesOn: row.closes_on, reason: row.reason, disputedOn: row.answered_on, channel: row.channel,
      })),
      nextUrl: last ? withQuery(consoleUrl(caseId, 'disputes'), { after: last.investor, afterId: last.id }) : null,
      reruns: reruns.map((run) => ({ runId: run.id, label: `${run.id} · v${run.plan_version} · ${run.dataset}` })),
      reviewed: reviewed.map((row) => ({ offerId: row.offer_id, investor: row.investor, resolution: row.resolution, note: row.note, newOfferId: row.new_offer_id, reviewedBy: row.reviewed_by, reviewedOn: row.reviewed_on })),
      canAct: request.actor.role === 'administrator',
      outcome: outcomeOf(request),
    }));
  });

  app.post('/console/offers/:offerId/resolve-dispute', {
    config: action,
    schema: {
      params: offerParams,
      body: z.object({ resolution: z.enum(['upheld', 'corrected']), note: z.string().trim().min(1).max(5000), runId: z.string().trim().max(200).optional(), ...csrf }),
    },
  }, async (request, reply) => {
    const offer = await offers.get(request.params.offerId);
    if (!offer) throw notFound(OFFER);
    const queue = consoleUrl(offer.case_id, 'disputes');
    const { resolution, note, runId } = request.body;
    return orRefused(request, reply, queue, async () => {
      const { offer: reviewed, replacement } = await offers.resolveDispute({
        offerId: offer.id, resolution, note, runId: resolution === 'corrected' && runId ? runId : undefined, actor: request.actor, today: services.today(), at: services.clock.now(),
      });
      if (resolution === 'upheld') {
        return redirectWithOutcome(request, reply, queue, 'done', 'upheld', { zh: `已维持 ${offer.investor} 的要约，答复期重新开放至 ${reviewed.closes_on}`, en: `The offer to ${offer.investor} stands, open again until ${reviewed.closes_on}` });
      }
      return redirectWithOutcome(request, reply, queue, 'done', 'corrected', replacement === null
        ? { zh: `已更正：重新计算后 ${offer.investor} 无应赔付金额，原要约已被替代`, en: `Corrected: after the rerun nothing is payable to ${offer.investor}; the offer is superseded` }
        : { zh: `已更正：向 ${offer.investor} 发出新要约 ${replacement.id}，金额 ${yuan(replacement.amount_fen)}`, en: `Corrected: a new offer ${replacement.id} to ${offer.investor} for ${yuan(replacement.amount_fen)}` });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Payment batches: prepare, approve (another administrator), send, import the bank's results.

const ITEM_STATUSES = ['pending', 'sent', 'paid', 'failed'] as const;

function registerPaymentPages(app: TypedApp, services: WebServices, pages: FundPages): void {
  const { db, payments } = pages;
  const batchParams = z.object({ batchId: z.string().min(1).max(200) });
  const BATCH = { zh: '付款批次', en: 'payment batch' };

  const summaries = async (rows: { id: string; case_id: string; status: string; prepared_by: string; prepared_on: string; approved_by: string | null; approved_at: Date | null; sent_at: Date | null; items: number; total_fen: bigint }[]): Promise<BatchSummary[]> => {
    const names = await pages.names(rows.flatMap((row) => [row.prepared_by, row.approved_by]));
    const who = (id: string) => ({ id, name: names.get(id) ?? id });
    return rows.map((row) => ({
      batchId: row.id, caseId: row.case_id, status: row.status, preparedBy: who(row.prepared_by), preparedOn: row.prepared_on,
      approvedBy: row.approved_by === null ? null : who(row.approved_by), approvedAt: row.approved_at, sentAt: row.sent_at, items: row.items, totalFen: row.total_fen,
    }));
  };

  const renderBatch = async (request: FastifyRequest, reply: FastifyReply, batchId: string, query: { status?: (typeof ITEM_STATUSES)[number] | undefined; after?: string | undefined }, importReport: ImportReport | null) => {
    const row = await db.selectFrom('payment_batches').selectAll().where('id', '=', batchId).executeTakeFirst();
    if (!row) throw notFound(BATCH);
    const [batch] = await summaries([row]);
    const caseTitle = await pages.caseTitle(row.case_id);
    const counts = await db.selectFrom('payment_items').select(['status']).select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.sum<string>('amount_fen').as('total')])
      .where('batch_id', '=', batchId).groupBy('status').execute();
    // The primary key (batch_id, offer_id) orders the items and is the page's key.
    let items = db.selectFrom('payment_items').select(['offer_id', 'investor', 'amount_fen', 'route_kind', 'route_reference', 'attempt', 'status', 'failure']).where('batch_id', '=', batchId);
    if (query.status) items = items.where('status', '=', query.status);
    if (query.after) items = items.where('offer_id', '>', query.after);
    const rows = await items.orderBy('offer_id').limit(PAGE + 1).execute();
    const last = rows.length > PAGE ? rows[PAGE - 1]! : null;
    return sendPage(request, reply, h(BatchPage, {
      ctx: contextOf(request, services), caseTitle, batch: batch!,
      counts: counts.map((entry) => ({ status: entry.status, count: Number(entry.count), totalFen: BigInt(entry.total ?? 0) })),
      filterStatus: query.status ?? '',
      items: rows.slice(0, PAGE).map((item) => ({
        offerId: item.offer_id, investor: item.investor, amountFen: item.amount_fen, routeKind: item.route_kind, routeReference: item.route_reference, attempt: item.attempt, status: item.status, failure: item.failure,
      })),
      nextUrl: last ? withQuery(batchUrl(batchId), { status: query.status, after: last.offer_id }) : null,
      canAct: request.actor.role === 'administrator',
      importReport,
      outcome: outcomeOf(request),
    }));
  };

  const batchCase = async (batchId: string): Promise<string> => {
    const row = await db.selectFrom('payment_batches').select('case_id').where('id', '=', batchId).executeTakeFirst();
    if (!row) throw notFound(BATCH);
    return row.case_id;
  };

  app.get('/console/cases/:caseId/payments', { config: sectionPage('payments'), schema: { params: caseParams, querystring: z.object(outcomeQuery) } }, async (request, reply) => {
    const { caseId } = request.params;
    const caseTitle = await pages.caseTitle(caseId);
    // A case has a handful of batches (one per payment round), so they are listed whole.
    const rows = await db.selectFrom('payment_batches').select(['id', 'case_id', 'status', 'prepared_by', 'prepared_on', 'approved_by', 'approved_at', 'sent_at', 'items', 'total_fen'])
      .where('case_id', '=', caseId).orderBy('prepared_at').orderBy('id').execute();
    return sendPage(request, reply, h(PaymentsPage, {
      ctx: contextOf(request, services), caseId, caseTitle, batches: await summaries(rows), canAct: request.actor.role === 'administrator', outcome: outcomeOf(request),
    }));
  });

  app.post('/console/cases/:caseId/payments', { config: action, schema: { params: caseParams, body: z.object(csrf).nullish() } }, async (request, reply) => {
    const { caseId } = request.params;
    await pages.caseTitle(caseId);
    return orRefused(request, reply, consoleUrl(caseId, 'payments'), async () => {
      const batch = await payments.prepare({ caseId, actor: request.actor, today: services.today(), at: services.clock.now() });
      const total = batch.items.reduce((sum, item) => sum + item.amountFen, 0n);
      return redirectWithOutcome(request, reply, batchUrl(batch.batchId), 'done', 'prepared', {
        zh: `已制作批次 ${batch.batchId}：${batch.items.length} 笔，合计 ${yuan(total)}。须由另一名管理人批准。`,
        en: `Batch ${batch.batchId} prepared: ${batch.items.length} items, ${yuan(total)} in all. Another administrator must approve it.`,
      });
    });
  });

  app.get('/console/payment-batches/:batchId', {
    config: sectionPage('payments'),
    schema: { params: batchParams, querystring: z.object({ ...outcomeQuery, status: z.enum(ITEM_STATUSES).optional().catch(undefined), after: z.string().max(200).optional() }) },
  }, async (request, reply) => renderBatch(request, reply, request.params.batchId, request.query, null));

  app.post('/console/payment-batches/:batchId/approve', { config: action, schema: { params: batchParams, body: z.object(csrf).nullish() } }, async (request, reply) => {
    const { batchId } = request.params;
    await batchCase(batchId);
    return orRefused(request, reply, batchUrl(batchId), async () => {
      await payments.approve({ batchId, actor: request.actor, at: services.clock.now() });
      return redirectWithOutcome(request, reply, batchUrl(batchId), 'done', 'approved', { zh: '批次已批准，可以发出付款指令', en: 'The batch is approved; its instructions can be sent' });
    });
  });

  app.post('/console/payment-batches/:batchId/send', { config: action, schema: { params: batchParams, body: z.object(csrf).nullish() } }, async (request, reply) => {
    const { batchId } = request.params;
    await batchCase(batchId);
    return orRefused(request, reply, batchUrl(batchId), async () => {
      const { instructions } = await payments.send({ batchId, actor: request.actor, at: services.clock.now() });
      return sendDownload(reply, 'text/csv; charset=utf-8', `${batchId}-instructions.csv`, instructions);
    });
  });

  app.get('/console/payment-batches/:batchId/instructions.csv', { config: sectionPage('payments'), schema: { params: batchParams } }, async (request, reply) => {
    const { batchId } = request.params;
    await batchCase(batchId);
    return sendDownload(reply, 'text/csv; charset=utf-8', `${batchId}-instructions.csv`, await payments.instructions(batchId));
  });

  // The report of an import is the answer itself (every row sent back, with its line), so the page
  // is shown at once rather than after a redirect; importing the same file again changes nothing.
  app.post('/console/payment-batches/:batchId/results', {
    config: action,
    bodyLimit: 64 << 20,
    schema: { params: batchParams, body: z.object({ csv: z.string().min(1).max(60 << 20), ...csrf }) },
  }, async (request, reply) => {
    const { batchId } = request.params;
    await batchCase(batchId);
    return orRefused(request, reply, batchUrl(batchId), async () => {
      const { applied, errors } = await payments.importResults({ batchId, text: request.body.csv, actor: request.actor, today: services.today(), at: services.clock.now() });
      return renderBatch(request, reply, batchId, {}, { applied, rejected: errors });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The fund's ledger and the reconciliation.

function registerLedgerPages(app: TypedApp, services: WebServices, pages: FundPages): void {
  const { db } = pages;

  app.get('/console/cases/:caseId/ledger', {
    config: sectionPage('ledger'),
    schema: { params: caseParams, querystring: z.object({ ...outcomeQuery, after: z.coerce.number().int().min(0).optional().catch(undefined) }) },
  }, async (request, reply) => {
    const { caseId } = request.params;
    const caseTitle = await pages.caseTitle(caseId);
    const state = await ledgerState(db, caseId);
    const rows = await db.selectFrom('fund_transactions').select(['seq', 'id', 'kind', 'booked_on', 'memo', 'reverses', 'body'])
      .where('fund_id', '=', caseId).where('seq', '>', request.query.after ?? 0).orderBy('seq').limit(PAGE + 1).execute();
    const last = rows.length > PAGE ? rows[PAGE - 1]! : null;
    const transactions: TransactionRow[] = rows.slice(0, PAGE).map((row) => {
      const body = row.body as unknown as { postings: { account: string; amountFen: string; investor?: string; offerId?: string; funderId?: string; partyId?: string }[] };
      return {
        seq: row.seq, id: row.id, kind: row.kind, bookedOn: row.booked_on, memo: row.memo, reverses: row.reverses,
        postings: body.postings.map((posting) => ({ account: posting.account, amountFen: BigInt(posting.amountFen), reference: posting.investor ?? posting.funderId ?? posting.partyId ?? null })),
      };
    });
    return sendPage(request, reply, h(LedgerPage, {
      ctx: contextOf(request, services), caseId, caseTitle, position: fundPosition(state), trial: trialBalance(state), transactionCount: state.transactions.size,
      transactions, nextUrl: last ? withQuery(consoleUrl(caseId, 'ledger'), { after: String(last.seq) }) : null,
      canAct: request.actor.role === 'administrator', outcome: outcomeOf(request),
    }));
  });

  // As the API's movements: interest the custodian credited and the trustee's management fee, each
  // under its bank reference, which is the transaction's idempotency key.
  const movement = (kind: FundMovementKind, done: Bilingual) => {
    app.post(`/console/cases/:caseId/ledger/${kind}`, {
      config: action,
      schema: { params: caseParams, body: z.object({ amount: z.string().max(40), reference: z.string().trim().min(1).max(200), memo: z.string().max(2000).default(''), ...csrf }) },
    }, async (request, reply) => {
      const { caseId } = request.params;
      await pages.caseTitle(caseId);
      const ledger = consoleUrl(caseId, 'ledger');
      const amountFen = positiveFen(request.body.amount);
      if (amountFen === null) return redirectWithOutcome(request, reply, ledger, 'refused', 'bad-amount', notAnAmount(request.body.amount));
      const { reference, memo } = request.body;
      return orRefused(request, reply, ledger, async () => {
        const { replayed } = await recordFundMovement(db, { caseId, kind, amountFen, reference, memo, actor: request.actor, today: services.today(), at: services.clock.now() });
        return replayed
          ? redirectWithOutcome(request, reply, ledger, 'done', 'repeated', { zh: `流水号 ${reference} 此前已入账，未重复记账`, en: `Reference ${reference} was recorded before; nothing was recorded twice` })
          : redirectWithOutcome(request, reply, ledger, 'done', kind, { zh: `${done.zh}：${yuan(amountFen)}（${reference}）`, en: `${done.en}: ${yuan(amountFen)} (${reference})` });
      });
    });
  };
  movement('interest', { zh: '利息已入账', en: 'Interest recorded' });
  movement('management-fee', { zh: '管理费已收取', en: 'Management fee charged' });

  app.get('/console/cases/:caseId/reconciliation', { config: sectionPage('reconciliation'), schema: { params: caseParams, querystring: z.object(outcomeQuery) } }, async (request, reply) => {
    const { caseId } = request.params;
    const caseTitle = await pages.caseTitle(caseId);
    return sendPage(request, reply, h(ReconciliationPage, { ctx: contextOf(request, services), caseId, caseTitle, report: await reconciliationOf(db, caseId) }));
  });
}

// ---------------------------------------------------------------------------------------------
// Recourse: the register of assigned claims, shares by fault, recoveries and limitation dates.

function registerRecoursePages(app: TypedApp, services: WebServices, pages: FundPages): void {
  const { db } = pages;

  /** The liable parties named at the opening, and who is called what (parties and funders). */
  const peopleOf = (events: CaseEvent[]) => {
    const opening = events[0] as Extract<CaseEvent, { type: 'penalty-decision-recorded' | 'opened-under-commitment' }> | undefined;
    const parties = (opening?.liableParties ?? []).map((party) => ({ id: party.id, name: party.name, kind: party.kind as string }));
    const names: Record<string, string> = {};
    for (const party of parties) names[party.id] = party.name;
    for (const event of events) if (event.type === 'funder-added') names[event.funderId] = event.name;
    return { parties, names };
  };

  app.get('/console/cases/:caseId/recourse', { config: sectionPage('recourse'), schema: { params: caseParams, querystring: z.object(outcomeQuery) } }, async (request, reply) => {
    const { caseId } = request.params;
    const caseTitle = await pages.caseTitle(caseId);
    const { parties, names } = peopleOf(await pages.events(caseId));
    const view: RecourseView = { register: null, problem: null, allocation: null, positions: [], claims: [], outstanding: [], limitations: [], recoveries: [] };
    try {
      const register = await assignedClaimsRegister(db, caseId);
      view.register = { claims: register.claims.length, totalFen: register.totalFen, assignees: register.totals.map((total) => ({ funderId: total.funderId, amountFen: total.amountFen, claims: total.claims })) };
      const current = await recourseBook(db, caseId);
      if (current !== null) {
        const { book } = current;
        const allocation = await db.selectFrom('recourse_allocations').select(['version', 'faults', 'basis', 'decided_by', 'decided_at']).where('case_id', '=', caseId).where('version', '=', current.version).executeTakeFirstOrThrow();
        view.allocation = { version: allocation.version, basis: allocation.basis, decidedBy: allocation.decided_by, decidedOn: chinaDate(allocation.decided_at), faults: allocation.faults as unknown as PartyFault[] };
        view.positions = book.positions;
        view.claims = claimBalances(book);
        view.outstanding = outstandingByParty(book);
        const overdue = new Map(overdueLimitations(book, services.today()).map((entry) => [entry.party, entry.daysOverdue]));
        view.limitations = limitationDates(book).map((limit) => ({ party: limit.party, date: limit.date, basis: limit.basis, reason: limit.basis === 'override' ? limit.reason : null, daysOverdue: overdue.get(limit.party) ?? null }));
        view.recoveries = book.recoveries.map((recovery) => ({ on: recovery.on, creditor: recovery.creditor, debtor: recovery.debtor, amountFen: recovery.amountFen, reference: recovery.reference }));
      }
    } catch (error) {
      if (!(error instanceof RecourseRefused) && !(error instanceof LedgerRefused)) throw error;
      view.problem = error.bilingual;
    }
    return sendPage(request, reply, h(RecoursePage, { ctx: contextOf(request, services), caseId, caseTitle, view, parties, names, canAct: request.actor.role === 'administrator', outcome: outcomeOf(request) }));
  });

  // One select and one percentage per liable party, named `fault.<id>` and `percent.<id>`.
  app.post('/console/cases/:caseId/recourse/allocation', {
    config: action,
    schema: { params: caseParams, body: z.object({ basis: z.string().trim().min(1).max(2000), ...csrf }).catchall(z.union([z.string(), z.array(z.string())])) },
  }, async (request, reply) => {
    const { caseId } = request.params;
    await pages.caseTitle(caseId);
    const here = consoleUrl(caseId, 'recourse');
    const body = request.body as Record<string, unknown>;
    const { parties } = peopleOf(await pages.events(caseId));
    const faults: PartyFault[] = [];
    for (const party of parties) {
      const fault = body[`fault.${party.id}`];
      const percent = typeof body[`percent.${party.id}`] === 'string' ? (body[`percent.${party.id}`] as string).trim() : '';
      if (fault === 'no-fault' || fault === 'undeterminable') {
        faults.push({ id: party.id, kind: party.kind as PartyFault['kind'], fault });
      } else if (/^\d{1,3}(\.\d{1,12})?$/.test(percent)) {
        faults.push({ id: party.id, kind: party.kind as PartyFault['kind'], fault: { percent } });
      } else {
        return redirectWithOutcome(request, reply, here, 'refused', 'percent-required', { zh: `请填写${party.name}的过错百分比（如 60 或 12.5）`, en: `Give ${party.name}'s share of fault as a percentage (such as 60 or 12.5)` });
      }
    }
    return orRefused(request, reply, here, async () => {
      const version = await recordAllocation(db, { caseId, faults, basis: request.body.basis, actor: request.actor, at: services.clock.now() });
      return redirectWithOutcome(request, reply, here, 'done', 'allocated', { zh: `已记录第 ${version} 版责任份额`, en: `Shares recorded (version ${version})` });
    });
  });

  app.post('/console/cases/:caseId/recourse/recoveries', {
    config: action,
    schema: {
      params: caseParams,
      body: z.object({ creditor: z.string().min(1).max(200), debtor: z.string().min(1).max(200), amount: z.string().max(40), receivedOn: z.string().max(10), reference: z.string().trim().min(1).max(200), ...csrf }),
    },
  }, async (request, reply) => {
    const { caseId } = request.params;
    await pages.caseTitle(caseId);
    const here = consoleUrl(caseId, 'recourse');
    const { creditor, debtor, amount, receivedOn, reference } = request.body;
    const amountFen = positiveFen(amount);
    if (amountFen === null) return redirectWithOutcome(request, reply, here, 'refused', 'bad-amount', notAnAmount(amount));
    if (!isIsoDate(receivedOn)) return redirectWithOutcome(request, reply, here, 'refused', 'bad-date', { zh: `到账日“${receivedOn}”不是有效日期`, en: `'${receivedOn}' is not a real date` });
    return orRefused(request, reply, here, async () => {
      await recordRecourseRecovery(db, { caseId, creditor, debtor, amountFen, receivedOn, reference, actor: request.actor, today: services.today(), at: services.clock.now() });
      return redirectWithOutcome(request, reply, here, 'done', 'recovered', { zh: `已记录追回款 ${yuan(amountFen)}（${reference}）并入账`, en: `Recovery of ${yuan(amountFen)} (${reference}) recorded and entered in the ledger` });
    });
  });
}
