import type { FastifyRequest } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import { ROLES } from '../../domain/access/roles.ts';
import type { PlanChange } from '../../domain/plan/plan-diff.ts';
import { verifyDraw } from '../../domain/procedure/lot-draw.ts';
import { planDocumentOf } from '../../domain/procedure/published-plans.ts';
import { ApiError, notFound } from '../../server/api/api-error.ts';
import type { TypedApp } from '../../server/api/app.ts';
import { planDiffView, publicCaseView } from '../../server/api/case-views.ts';
import { CaseStore } from '../../store/case-store.ts';
import { publicProgressOf } from '../../store/reconciliation-store.ts';
import { maskInvestorId } from '../mask.ts';
import { contextOf, languageOf, sendFragment, sendPage } from '../render.ts';
import type { WebServices } from '../web-app.ts';
import { CaseListPage, type CaseListEntry } from '../views/public/case-list-page.tsx';
import { CasePage, type CheckedDraw, type PublishedNotice } from '../views/public/case-page.tsx';
import { PlanDiffPage, PlanPage, type PlanVersionSummary } from '../views/public/plan-pages.tsx';
import { ProgressPage, ProgressPanel, type PublicProgress } from '../views/public/progress-panel.tsx';
import { caseTitle, type PublicCaseView } from '../views/public/public-words.tsx';

const CASE = { zh: '案件', en: 'case' };
const NO_SUCH_VERSION = { zh: '未找到该方案版本', en: 'no such plan version' };
const everyone = { web: true, access: { roles: [...ROLES] } };
const language = { lang: z.string().optional() };
const caseParams = z.object({ caseId: z.string().min(1).max(200) });
const planParams = z.object({ caseId: z.string().min(1).max(200), version: z.coerce.number().int().min(1).max(10_000) });

/**
 * The public pages (procedure.md, Public transparency): the cases, each case's published record,
 * its plan versions and their differences, and its progress. Everyone may read them, signed in or
 * not, and they show no investor's personal data: figures only, and any investor id masked.
 */
export function registerPublicPages(app: TypedApp, services: WebServices): void {
  const { db } = services.database;
  const store = new CaseStore(db);

  const loadCase = async (caseId: string) => {
    const loaded = await store.load(caseId);
    if (loaded === null) throw notFound(CASE);
    return { ...loaded, view: publicCaseView(loaded.state, loaded.events, services.today()) };
  };

  app.get('/cases', { config: everyone, schema: { querystring: z.object(language) } }, async (request, reply) => {
    const today = services.today();
    const cases: CaseListEntry[] = [];
    for (const entry of await store.list()) {
      const view = publicCaseView(entry.state, entry.events, today);
      const progress = await publicProgressOf(db, entry.caseId);
      cases.push({
        caseId: entry.caseId,
        title: caseTitle(languageOf(request), view),
        issuer: view.issuer,
        security: view.security,
        trigger: triggerOf(view),
        phase: view.progress.phase,
        limitDate: view.progress.limitDate,
        daysLeft: view.progress.daysLeft,
        breaches: view.progress.breaches.length,
        offers: { made: progress.offered.count, accepted: progress.accepted.count, paid: progress.paid.count },
      });
    }
    return sendPage(request, reply, h(CaseListPage, { ctx: contextOf(request, services), cases }));
  });

  app.get('/cases/:caseId', { config: everyone, schema: { params: caseParams, querystring: z.object(language) } }, async (request, reply) => {
    const { state, view } = await loadCase(request.params.caseId);
    const today = services.today();
    const notices: PublishedNotice[] = (await store.notices(view.caseId))
      // A notice is public from its day of publication on.
      .filter((notice) => notice.publish_on <= today)
      .map((notice) => ({ seq: notice.seq, kind: notice.kind, publishOn: notice.publish_on, title: notice.title, body: notice.body }));
    const commitment = view.announcement?.drawCommitment ?? null;
    const draws: CheckedDraw[] = view.draws.map((draw) => ({ draw, verification: verifyDraw(draw), matchesAnnouncement: commitment !== null && draw.commitment === commitment }));
    return sendPage(request, reply, h(CasePage, {
      ctx: contextOf(request, services), view, facts: state.facts, notices, draws,
      progress: await publicProgress(request.params.caseId), origin: originOf(request),
    }));
  });

  app.get('/cases/:caseId/progress', { config: everyone, schema: { params: caseParams, querystring: z.object(language) } }, async (request, reply) => {
    const { view } = await loadCase(request.params.caseId);
    const ctx = contextOf(request, services);
    return sendPage(request, reply, h(ProgressPage, { ctx, caseId: view.caseId, caseTitle: caseTitle(ctx.lang, view), progress: await publicProgress(view.caseId) }));
  });

  // What the progress block fetches every 30 seconds (htmx): the block alone, not a page.
  app.get('/cases/:caseId/progress/fragment', { config: everyone, schema: { params: caseParams, querystring: z.object(language) } }, async (request, reply) => {
    const known = await db.selectFrom('cases').select('id').where('id', '=', request.params.caseId).executeTakeFirst();
    if (known === undefined) throw notFound(CASE);
    return sendFragment(reply, h(ProgressPanel, { lang: languageOf(request), caseId: request.params.caseId, today: services.today(), progress: await publicProgress(request.params.caseId) }));
  });

  app.get('/cases/:caseId/plans/:version', { config: everyone, schema: { params: planParams, querystring: z.object(language) } }, async (request, reply) => {
    const { view, events } = await loadCase(request.params.caseId);
    const plan = planDocumentOf(events, request.params.version);
    const entry = view.plans.find((candidate) => candidate.version === request.params.version);
    if (plan === null || entry === undefined) throw new ApiError(404, 'not-found', NO_SUCH_VERSION);
    const ctx = contextOf(request, services);
    return sendPage(request, reply, h(PlanPage, {
      ctx, caseId: view.caseId, caseTitle: caseTitle(ctx.lang, view), version: entry.version, hash: plan.hash,
      // The excluded investors' ids are shown masked wherever the document names them.
      document: maskedDeep(plan.document, plan.document.lossParameters.exclusions),
      proposedOn: entry.proposedOn, proposedBy: proposerName(view, entry.proposedBy), adopted: entry.adopted, flags: entry.flags, versions: versionsOf(view),
    }));
  });

  app.get('/cases/:caseId/plans/:version/diff', {
    config: everyone,
    schema: { params: planParams, querystring: z.object({ ...language, against: z.coerce.number().int().min(1).max(10_000).optional() }) },
  }, async (request, reply) => {
    const { view, events } = await loadCase(request.params.caseId);
    const { version } = request.params;
    const against = request.query.against ?? version - 1;
    const diff = against === version ? null : planDiffView(events, version, against);
    if (diff === null) {
      throw new ApiError(404, 'not-found', against === version
        ? { zh: '请选择另一个版本进行对比', en: 'choose another version to compare with' }
        : NO_SUCH_VERSION);
    }
    // Investor ids a plan excludes are published masked; a change to the exclusions must not unmask them.
    const excluded = [version, against].flatMap((number) => planDocumentOf(events, number)?.document.lossParameters.exclusions ?? []);
    const ctx = contextOf(request, services);
    return sendPage(request, reply, h(PlanDiffPage, {
      ctx, caseId: view.caseId, caseTitle: caseTitle(ctx.lang, view), from: diff.from, to: diff.to,
      changes: diff.changes.map((change) => maskedChange(change, excluded)),
      lines: maskIds(diff.text[ctx.lang], excluded).split('\n'),
      versions: versionsOf(view),
    }));
  });

  /** The same figures as GET /api/v1/cases/:caseId/progress, with the computation they are counted against. */
  async function publicProgress(caseId: string): Promise<PublicProgress> {
    return publicProgressOf(db, caseId);
  }
}

function triggerOf(view: PublicCaseView): CaseListEntry['trigger'] {
  const trigger = view.trigger as Record<string, string> | null;
  if (trigger === null) return null;
  return trigger['kind'] === 'penalty-decision'
    ? { kind: 'penalty-decision', number: trigger['decisionNumber']!, date: trigger['decisionDate']!, authority: trigger['authority']! }
    : { kind: 'commitment', number: trigger['commitmentNumber']!, date: trigger['committedOn']!, authority: trigger['authority']! };
}

/** Plans are proposed by funders, who act in public under their names. */
function proposerName(view: PublicCaseView, actorId: string): string {
  return view.funding.funders.find((funder) => funder.funderId === actorId)?.name ?? actorId;
}

function versionsOf(view: PublicCaseView): PlanVersionSummary[] {
  return view.plans.map((plan) => ({ version: plan.version, adopted: plan.adopted, flags: plan.flags.length }));
}

function maskIds(text: string, ids: readonly string[]): string {
  // Longest first, so that an id which contains another is masked whole.
  return [...new Set(ids)].sort((a, b) => b.length - a.length).reduce((masked, id) => masked.split(id).join(maskInvestorId(id)), text);
}

function maskedDeep<T>(value: T, ids: readonly string[]): T {
  if (typeof value === 'string') return maskIds(value, ids) as T;
  if (Array.isArray(value)) return value.map((item) => maskedDeep(item, ids)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskedDeep(inner, ids)])) as T;
  return value;
}

function maskedChange(change: PlanChange, ids: readonly string[]): PlanChange {
  return {
    ...change,
    ...(change.before === undefined ? {} : { before: maskIds(change.before, ids) }),
    ...(change.after === undefined ? {} : { after: maskIds(change.after, ids) }),
  };
}

/** This site's address as the reader reached it, for command lines to copy. */
function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
