import { z } from 'zod';
import { ROLES } from '../../../domain/access/roles.ts';
import { CASE_COMMAND_TYPES, caseCommandSchemas, COMMAND_ROLES, type CaseCommand, type CaseCommandType } from '../../../domain/procedure/case-commands.ts';
import type { CommandOutcome } from '../../../domain/procedure/handle-command.ts';
import { CaseStore, UnknownCaseError } from '../../../store/case-store.ts';
import { ApiError, notFound } from '../api-error.ts';
import type { ApiServices, TypedApp } from '../app.ts';
import { caseSummary, drawsOf, planDiffView, publicCaseView } from '../case-views.ts';
import { planDocumentOf } from '../../../domain/procedure/published-plans.ts';

const CASE = { zh: '案件', en: 'case' };
const caseParams = z.object({ caseId: z.string().min(1) });
/** Why the actor acts, recorded in the audit log with the command. */
const reasonHeader = z.object({ 'x-reason': z.string().max(2000).optional() }).passthrough();

/** The HTTP status of a refusal by the procedure: a wrong role is 403, anything else a conflict with the case's state. */
function refusalStatus(code: string): number {
  if (code === 'wrong-role') return 403;
  if (code === 'invalid-plan' || code === 'date-order') return 422;
  return 409;
}

function answerOf(caseId: string, version: number, outcome: CommandOutcome) {
  if (outcome.accepted) {
    return { statusCode: 200, body: { caseId, version, events: outcome.events, notices: outcome.notices } };
  }
  return { statusCode: refusalStatus(outcome.refusal.code), body: { error: { code: outcome.refusal.code, message: outcome.refusal.message }, logged: outcome.events.length > 0 } };
}

export function registerCaseRoutes(app: TypedApp, services: ApiServices): void {
  const store = new CaseStore(services.database.db);

  const run = async (caseId: string | null, command: CaseCommand, request: { actor: CaseCommandActor; headers: Record<string, unknown> }, transaction: Parameters<CaseStore['execute']>[1] | null) => {
    try {
      const reason = typeof request.headers['x-reason'] === 'string' ? request.headers['x-reason'] : null;
      const { caseId: id, version, outcome } = await store.execute({ caseId, command, actor: request.actor, today: services.today(), at: services.clock.now(), reason }, transaction ?? undefined);
      const answer = answerOf(id, version, outcome);
      return caseId === null && outcome.accepted ? { ...answer, statusCode: 201 } : answer;
    } catch (error) {
      if (error instanceof UnknownCaseError) throw notFound(CASE);
      throw error;
    }
  };

  // The two ways a case opens (procedure.md step 1); the case id comes from the decision or commitment.
  const triggers = [
    ['record-penalty-decision', '/api/v1/cases', 'Record a penalty decision (行政处罚决定): the case opens automatically the next day'],
    ['open-under-commitment', '/api/v1/cases/under-commitment', 'Open a case early under an administrative-settlement commitment (当事人承诺)'],
  ] as const;
  for (const [type, url, summary] of triggers) {
    app.post(url, {
      config: { access: { roles: COMMAND_ROLES[type] } },
      schema: { summary, tags: ['cases'], body: caseCommandSchemas[type], headers: reasonHeader },
    }, async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      await services.answer(request, reply, (transaction) => run(null, { type, ...body } as CaseCommand, request, transaction));
    });
  }

  for (const type of CASE_COMMAND_TYPES) {
    if (type === 'record-penalty-decision' || type === 'open-under-commitment' || type === 'record-computation-run') continue;
    const schema = caseCommandSchemas[type as CaseCommandType];
    app.post(`/api/v1/cases/:caseId/commands/${type}`, {
      config: { access: { roles: COMMAND_ROLES[type] } },
      schema: { summary: `Command: ${type}`, tags: ['procedure'], params: caseParams, body: schema, headers: reasonHeader },
    }, async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      await services.answer(request, reply, (transaction) => run(request.params.caseId, { type, ...body } as CaseCommand, request, transaction));
    });
  }

  app.get('/api/v1/cases', {
    config: { access: { roles: ROLES } },
    schema: { summary: 'Every case with its phase and the days left on its three-month clock', tags: ['cases'] },
  }, async () => {
    const today = services.today();
    return { cases: (await store.list()).map((entry) => caseSummary(entry.state, entry.events, today)) };
  });

  app.get('/api/v1/cases/:caseId', {
    config: { access: { roles: ROLES } },
    schema: { summary: 'A case: progress, deadlines and breaches, and what the caller may read of it', tags: ['cases'], params: caseParams },
  }, async (request) => {
    const loaded = await store.load(request.params.caseId);
    if (loaded === null) throw notFound(CASE);
    const today = services.today();
    const view = publicCaseView(loaded.state, loaded.events, today);
    // Those who run or check the case also see its full state (applicants' declared ties, signatures…).
    return request.actor.role === 'public' || request.actor.role === 'investor' ? view : { ...view, state: loaded.state };
  });

  app.get('/api/v1/cases/:caseId/events', {
    config: { access: { roles: ['administrator', 'auditor'] } },
    schema: { summary: 'The event stream of a case, oldest first', tags: ['cases'], params: caseParams },
  }, async (request) => {
    const events = await store.events(request.params.caseId);
    if (events.length === 0) throw notFound(CASE);
    return { events };
  });

  app.get('/api/v1/cases/:caseId/notices', {
    config: { access: { roles: ROLES } },
    schema: { summary: 'Notices the case published (announcements, hearing notice, record, top-up calls)', tags: ['cases'], params: caseParams },
  }, async (request) => {
    if ((await store.load(request.params.caseId)) === null) throw notFound(CASE);
    const notices = await store.notices(request.params.caseId);
    return { notices: notices.map((notice) => ({ seq: notice.seq, kind: notice.kind, publishOn: notice.publish_on, title: notice.title, body: notice.body })) };
  });

  app.get('/api/v1/cases/:caseId/plans/:version', {
    config: { access: { roles: ROLES } },
    schema: { summary: 'A plan version as published: its document and content hash', tags: ['plans'], params: z.object({ caseId: z.string(), version: z.coerce.number().int().min(1) }) },
  }, async (request) => {
    const loaded = await store.load(request.params.caseId);
    if (loaded === null) throw notFound(CASE);
    const plan = planDocumentOf(loaded.events, request.params.version);
    if (plan === null) throw new ApiError(404, 'not-found', { zh: '未找到该方案版本', en: 'no such plan version' });
    return { version: request.params.version, ...plan };
  });

  app.get('/api/v1/cases/:caseId/draws', {
    config: { access: { roles: ROLES } },
    schema: { summary: 'The lot draws of the case, each with what `redress verify-draw` needs to recompute it', tags: ['procedure'], params: caseParams },
  }, async (request) => {
    const loaded = await store.load(request.params.caseId);
    if (loaded === null) throw notFound(CASE);
    return { draws: drawsOf(loaded.events) };
  });

  app.get('/api/v1/cases/:caseId/plans/:version/diff', {
    config: { access: { roles: ROLES } },
    schema: {
      summary: 'What changed between two plan versions, as data and as readable lines',
      tags: ['plans'],
      params: z.object({ caseId: z.string(), version: z.coerce.number().int().min(1) }),
      querystring: z.object({ against: z.coerce.number().int().min(1).optional().describe('the earlier version; default the one before') }),
    },
  }, async (request) => {
    const loaded = await store.load(request.params.caseId);
    if (loaded === null) throw notFound(CASE);
    const diff = planDiffView(loaded.events, request.params.version, request.query.against ?? request.params.version - 1);
    if (diff === null) throw new ApiError(404, 'not-found', { zh: '未找到该方案版本', en: 'no such plan version' });
    return diff;
  });
}

type CaseCommandActor = Parameters<CaseStore['execute']>[0]['actor'];
