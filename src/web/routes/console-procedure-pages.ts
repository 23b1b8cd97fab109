import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import type { Actor } from '../../domain/access/roles.ts';
import { CASE_COMMAND_TYPES, COMMAND_ROLES, TIE_RELATIONS, type CaseCommand, type CaseCommandType } from '../../domain/procedure/case-commands.ts';
import { caseProgress } from '../../domain/procedure/case-progress.ts';
import { hearingContentHash, hearingRecordBodyOf } from '../../domain/procedure/hearing-record.ts';
import { ApiError, notFound } from '../../server/api/api-error.ts';
import { offerCountsByStatus, runningOfferTallies } from '../../store/reconciliation-store.ts';
import type { TypedApp } from '../../server/api/app.ts';
import { caseSummary, planDiffView } from '../../server/api/case-views.ts';
import { chinaDate } from '../../server/api/request-context.ts';
import { CaseStore, UnknownCaseError } from '../../store/case-store.ts';
import type { Bilingual } from '../i18n.ts';
import { outcomeOf, outcomeQuery, redirectWithOutcome } from '../outcome.ts';
import { contextOf, sendPage } from '../render.ts';
import { fenFromTypedYuan } from '../typed-yuan.ts';
import { consoleUrl, sectionPage, type ConsoleSection } from '../views/console/console-frame.tsx';
import { AnnouncementPage, type RefusedApplication } from '../views/console/procedure/announcement.tsx';
import { ConsoleHomePage } from '../views/console/procedure/console-home.tsx';
import { DashboardPage, type FundMilestones } from '../views/console/procedure/dashboard.tsx';
import { FundingPage } from '../views/console/procedure/funding.tsx';
import { HearingPage } from '../views/console/procedure/hearing.tsx';
import { PlansPage, planVersionUrl, PlanVersionPage } from '../views/console/procedure/plans.tsx';
import { commandOutcomeWords } from '../views/console/procedure/shared.tsx';
import type { WebServices } from '../web-app.ts';

const CASE = { zh: '案件', en: 'case' };

const caseParams = z.object({ caseId: z.string().min(1).max(200) });

/** A form's fields as @fastify/formbody reads them: a repeated name (checkboxes) gives a list. */
const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
type Form = z.output<typeof formBody>;

/** A form the page cannot turn into a command: what to tell its author. */
class FormProblem extends Error {
  readonly bilingual: Bilingual;
  constructor(zh: string, en: string) {
    super(en);
    this.bilingual = { zh, en };
  }
}

function field(form: Form, name: string): string {
  const value = form[name];
  return (Array.isArray(value) ? value[0] ?? '' : value ?? '').trim();
}

function optionalField(form: Form, name: string): string | undefined {
  const value = field(form, name);
  return value === '' ? undefined : value;
}

function fields(form: Form, name: string): string[] {
  const value = form[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/** A whole number typed in a form; anything else goes to the command's own check, which says what is wrong. */
function wholeNumber(form: Form, name: string): number {
  const text = field(form, name);
  return /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
}

/** Yuan as people type them (1500000, 1,500,000.5, ¥12.30) to fen as the commands take them, without floating point. */
function fenFromYuan(form: Form, name: string, label: Bilingual): string {
  const fen = fenFromTypedYuan(field(form, name));
  if (fen === null) throw new FormProblem(`${label.zh}须是以元为单位、最多两位小数的金额，例如 1500000.00`, `${label.en} must be an amount in yuan with at most two decimals, e.g. 1500000.00`);
  return fen.toString();
}

/** Lines of `a | b | c`: one item a line, its parts split at the bars. */
function barLines(form: Form, name: string, parts: number, label: Bilingual): string[][] {
  return field(form, name).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '').map((line, index) => {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length !== parts) {
      throw new FormProblem(`${label.zh}第 ${index + 1} 行应有 ${parts} 项，以“|”分隔`, `line ${index + 1} of ${label.en} needs ${parts} parts separated by "|"`);
    }
    return cells;
  });
}

/** Declared ties, one a line: the other party's id and the relation. */
function ties(form: Form): { partyId: string; relation: string }[] {
  return field(form, 'ties').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '').map((line, index) => {
    const [partyId, relation, ...rest] = line.split(/[\s|:：,，]+/);
    if (!partyId || !relation || rest.length > 0) {
      throw new FormProblem(`关系第 ${index + 1} 行应为“对象编号 关系”，关系可为 ${TIE_RELATIONS.join('、')}`, `line ${index + 1} of the ties needs "id relation", the relation one of ${TIE_RELATIONS.join(', ')}`);
    }
    return { partyId, relation };
  });
}

/**
 * The commands the procedure's console pages post, each with the section it returns to and how
 * its form becomes the command's payload. The payload is checked by the procedure itself, which
 * explains any problem in its refusal.
 */
const FORM_COMMANDS: Partial<Record<CaseCommandType, { section: ConsoleSection; payload: (form: Form, actor: Actor) => Record<string, unknown> }>> = {
  'record-issuer-challenge': {
    section: 'dashboard',
    payload: (form) => ({ kind: field(form, 'kind'), filedOn: field(form, 'filedOn'), body: field(form, 'body'), reference: optionalField(form, 'reference'), summary: optionalField(form, 'summary') }),
  },
  'add-funder': {
    section: 'funding',
    payload: (form) => ({ funderId: field(form, 'funderId'), name: field(form, 'name'), liableParty: field(form, 'liableParty'), pledgeFen: fenFromYuan(form, 'pledgeYuan', { zh: '认缴金额', en: 'the pledge' }) }),
  },
  'confirm-deposit': {
    section: 'funding',
    payload: (form) => ({ funderId: field(form, 'funderId'), amountFen: fenFromYuan(form, 'amountYuan', { zh: '金额', en: 'the amount' }), bankReference: field(form, 'bankReference'), valueDate: field(form, 'valueDate') }),
  },
  'open-announcement': {
    section: 'announcement',
    payload: (form) => ({
      endsOn: field(form, 'endsOn'),
      seats: { representatives: wholeNumber(form, 'representatives'), lawyers: wholeNumber(form, 'lawyers') },
      drawCommitment: field(form, 'drawCommitment').toLowerCase(),
    }),
  },
  'apply-as-representative': {
    section: 'announcement',
    payload: (form, actor) => ({ applicantId: actor.id, name: field(form, 'name'), ties: ties(form) }),
  },
  'apply-as-lawyer': {
    section: 'announcement',
    payload: (form, actor) => ({ applicantId: actor.id, name: field(form, 'name'), firm: { id: field(form, 'firmId'), name: field(form, 'firmName') }, ties: ties(form) }),
  },
  'record-selection-by-agreement': {
    section: 'announcement',
    payload: (form) => ({ representatives: fields(form, 'representatives'), lawyers: fields(form, 'lawyers') }),
  },
  'draw-lots': { section: 'announcement', payload: (form) => ({ seedHex: field(form, 'seedHex').toLowerCase() }) },
  'appoint-hearing-host': { section: 'hearing', payload: (form) => ({ hostId: field(form, 'hostId'), name: field(form, 'name') }) },
  'schedule-hearing': {
    section: 'hearing',
    payload: (form) => ({
      date: field(form, 'date'),
      venue: field(form, 'venue'),
      agenda: barLines(form, 'agenda', 2, { zh: '议程', en: 'the agenda' }).map(([id, title]) => ({ id, title })),
      evidence: barLines(form, 'evidence', 3, { zh: '证据', en: 'the evidence' }).map(([id, title, sha256]) => ({ id, title, sha256: sha256!.toLowerCase() })),
    }),
  },
  'seat-hearing-participant': {
    section: 'hearing',
    payload: (form) => ({ side: field(form, 'side'), participantId: field(form, 'participantId'), name: field(form, 'name'), capacity: field(form, 'capacity') }),
  },
  'open-hearing': { section: 'hearing', payload: () => ({}) },
  'record-attendance': { section: 'hearing', payload: (form) => ({ participantId: field(form, 'participantId'), present: field(form, 'present') === 'true' }) },
  'record-statement': { section: 'hearing', payload: (form) => ({ speakerId: field(form, 'speakerId'), text: field(form, 'text') }) },
  'record-objection': {
    section: 'hearing',
    payload: (form) => {
      const [kind, ...id] = field(form, 'concerning').split(':');
      return { by: field(form, 'by'), concerning: { kind, id: id.join(':') }, text: field(form, 'text') };
    },
  },
  'add-evidence': { section: 'hearing', payload: (form) => ({ id: field(form, 'id'), title: field(form, 'title'), sha256: field(form, 'sha256').toLowerCase() }) },
  // Each signs for themselves: the signer is whoever is signed in.
  'sign-hearing-record': { section: 'hearing', payload: (_form, actor) => ({ signerId: actor.id }) },
  'close-hearing-record': { section: 'hearing', payload: () => ({}) },
  'propose-plan-version': {
    section: 'plans',
    payload: (form) => {
      try {
        return { document: JSON.parse(field(form, 'document')) as unknown };
      } catch (error) {
        throw new FormProblem(`方案文件不是有效的 JSON：${(error as Error).message}`, `the plan document is not valid JSON: ${(error as Error).message}`);
      }
    },
  },
  'overrule-review-flag': { section: 'plans', payload: (form) => ({ version: wholeNumber(form, 'version'), flagId: field(form, 'flagId'), reason: field(form, 'reason') }) },
  'adopt-plan': { section: 'plans', payload: (form) => ({ version: wholeNumber(form, 'version'), hearingRecordHash: field(form, 'hearingRecordHash').toLowerCase() }) },
};

/**
 * The staff console's pages for the procedure of a case (steps 1–7 of procedure.md): the list of
 * cases, each case's dashboard, funding, announcement and selection, hearing and plans, and the
 * forms that issue the procedure's commands through the same store, rules and audit log as the API.
 */
export function registerConsoleProcedurePages(app: TypedApp, services: WebServices): void {
  const { db } = services.database;
  const store = new CaseStore(db);

  const loadCase = async (caseId: string) => {
    const loaded = await store.load(caseId);
    if (loaded === null) throw notFound(CASE);
    const row = await db.selectFrom('cases').select('title').where('id', '=', caseId).executeTakeFirst();
    return { ...loaded, caseTitle: row?.title ?? caseId };
  };

  app.get('/console', { config: sectionPage('dashboard'), schema: { querystring: z.object(outcomeQuery) } }, async (request, reply) => {
    const today = services.today();
    const cases = (await store.list()).map((entry) => {
      const summary = caseSummary(entry.state, entry.events, today);
      return { caseId: entry.caseId, title: entry.title, issuer: summary.issuer, phase: summary.phase, openedOn: summary.openedOn, limitDate: summary.limitDate, daysLeft: summary.daysLeft, breaches: summary.breaches };
    });
    return sendPage(request, reply, h(ConsoleHomePage, { ctx: contextOf(request, services), cases }));
  });

  app.get('/console/cases/:caseId', { config: sectionPage('dashboard'), schema: { params: caseParams, querystring: z.object(outcomeQuery) } }, async (request, reply) => {
    const { caseId } = request.params;
    const loaded = await loadCase(caseId);
    const today = services.today();
    const [offers, batches, residual, notices] = await Promise.all([
      runningOfferTallies(db, caseId).then((tallies) => offerCountsByStatus(tallies).map((entry) => ({ status: entry.status, count: entry.count }))),
      db.selectFrom('payment_batches').select(['status', (eb) => eb.fn.countAll<string>().as('count')]).where('case_id', '=', caseId).groupBy('status').execute(),
      db.selectFrom('fund_transactions').select('booked_on').where('id', '=', `residual:${caseId}`).executeTakeFirst(),
      db.selectFrom('notices').select(['seq', 'kind', 'publish_on', 'title']).where('case_id', '=', caseId).where('publish_on', '>', today).orderBy('seq').execute(),
    ]);
    const countOf = (rows: { status: string; count: string | number | bigint }[], status: string) => Number(rows.find((row) => row.status === status)?.count ?? 0);
    const fund: FundMilestones = {
      offers: { offered: countOf(offers, 'offered'), accepted: countOf(offers, 'accepted'), refused: countOf(offers, 'refused'), disputed: countOf(offers, 'disputed') },
      batches: { prepared: countOf(batches, 'prepared'), approved: countOf(batches, 'approved'), sent: countOf(batches, 'sent'), settled: countOf(batches, 'settled') },
      residualReturnedOn: residual?.booked_on ?? null,
    };
    return sendPage(request, reply, h(DashboardPage, {
      ctx: contextOf(request, services),
      caseId,
      caseTitle: loaded.caseTitle,
      state: loaded.state,
      progress: caseProgress(loaded.state, today),
      fund,
      waitingNotices: notices.map((notice) => ({ seq: notice.seq, kind: notice.kind, publishOn: notice.publish_on, title: notice.title as Bilingual })),
      outcome: outcomeOf(request, commandOutcomeWords),
    }));
  });

  app.get('/console/cases/:caseId/funding', { config: sectionPage('funding'), schema: { params: caseParams, querystring: z.object(outcomeQuery) } }, async (request, reply) => {
    const loaded = await loadCase(request.params.caseId);
    return sendPage(request, reply, h(FundingPage, { ctx: contextOf(request, services), caseId: request.params.caseId, caseTitle: loaded.caseTitle, state: loaded.state, outcome: outcomeOf(request, commandOutcomeWords) }));
  });

  app.get('/console/cases/:caseId/announcement', { config: sectionPage('announcement'), schema: { params: caseParams, querystring: z.object(outcomeQuery) } }, async (request, reply) => {
    const { caseId } = request.params;
    const loaded = await loadCase(caseId);
    // Refused applications change no state; the audit log is where they are kept.
    const refused = await db
      .selectFrom('audit_log as entry')
      .leftJoin('actors as actor', 'actor.id', 'entry.actor_id')
      .select(['entry.seq', 'entry.actor_id', 'entry.at', 'entry.command', 'entry.reason', 'actor.name'])
      .where('entry.case_id', '=', caseId)
      .where('entry.command', 'in', ['apply-as-representative', 'apply-as-lawyer'])
      .where('entry.outcome', '=', 'refused')
      .orderBy('entry.seq')
      .limit(500)
      .execute();
    const refusedApplications: RefusedApplication[] = refused.map((entry) => ({
      seq: String(entry.seq),
      actorId: entry.actor_id,
      name: entry.name,
      pool: entry.command === 'apply-as-lawyer' ? 'lawyers' : 'representatives',
      at: chinaDate(new Date(entry.at)),
      reason: entry.reason,
    }));
    return sendPage(request, reply, h(AnnouncementPage, { ctx: contextOf(request, services), caseId, caseTitle: loaded.caseTitle, state: loaded.state, refusedApplications, outcome: outcomeOf(request, commandOutcomeWords) }));
  });

  app.get('/console/cases/:caseId/hearing', { config: sectionPage('hearing'), schema: { params: caseParams, querystring: z.object(outcomeQuery) } }, async (request, reply) => {
    const loaded = await loadCase(request.params.caseId);
    const body = hearingRecordBodyOf(loaded.state);
    return sendPage(request, reply, h(HearingPage, {
      ctx: contextOf(request, services), caseId: request.params.caseId, caseTitle: loaded.caseTitle, state: loaded.state,
      contentHash: body === null ? null : hearingContentHash(body), outcome: outcomeOf(request, commandOutcomeWords),
    }));
  });

  app.get('/console/cases/:caseId/plans', { config: sectionPage('plans'), schema: { params: caseParams, querystring: z.object(outcomeQuery) } }, async (request, reply) => {
    const loaded = await loadCase(request.params.caseId);
    return sendPage(request, reply, h(PlansPage, { ctx: contextOf(request, services), caseId: request.params.caseId, caseTitle: loaded.caseTitle, state: loaded.state, outcome: outcomeOf(request, commandOutcomeWords) }));
  });

  app.get('/console/cases/:caseId/plans/:version', {
    config: sectionPage('plans'),
    schema: {
      params: z.object({ caseId: z.string().min(1).max(200), version: z.coerce.number().int().min(1).max(100_000) }),
      querystring: z.object({ ...outcomeQuery, against: z.string().max(12).optional() }),
    },
  }, async (request, reply) => {
    const { caseId, version } = request.params;
    const loaded = await loadCase(caseId);
    const plan = loaded.state.planVersions.find((entry) => entry.version === version);
    if (plan === undefined) throw new ApiError(404, 'not-found', { zh: '未找到该方案版本', en: 'no such plan version' });
    const asked = request.query.against;
    const against = asked !== undefined && /^\d{1,9}$/.test(asked) ? Number(asked) : version > 1 ? version - 1 : null;
    const diff = against === null || against === version ? null : planDiffView(loaded.events, version, against);
    return sendPage(request, reply, h(PlanVersionPage, { ctx: contextOf(request, services), caseId, caseTitle: loaded.caseTitle, state: loaded.state, plan, diff, outcome: outcomeOf(request, commandOutcomeWords) }));
  });

  for (const type of CASE_COMMAND_TYPES) {
    const entry = FORM_COMMANDS[type];
    if (entry === undefined) continue;
    app.post(`/console/cases/:caseId/commands/${type}`, {
      config: { web: true, access: { roles: COMMAND_ROLES[type] } },
      schema: { params: caseParams, body: formBody },
    }, async (request, reply) => {
      const { caseId } = request.params;
      const form = request.body;
      // An overruling is made on the version's own page, and goes back there.
      const back = type === 'overrule-review-flag' && /^\d{1,9}$/.test(field(form, 'version')) ? planVersionUrl(caseId, Number(field(form, 'version'))) : consoleUrl(caseId, entry.section);
      return submit(request, reply, caseId, type, form, entry.payload, back);
    });
  }

  async function submit(
    request: FastifyRequest,
    reply: FastifyReply,
    caseId: string,
    type: CaseCommandType,
    form: Form,
    payload: (form: Form, actor: Actor) => Record<string, unknown>,
    back: string,
  ): Promise<FastifyReply> {
    let command: CaseCommand;
    try {
      command = { type, ...payload(form, request.actor) } as unknown as CaseCommand;
    } catch (error) {
      if (error instanceof FormProblem) return redirectWithOutcome(request, reply, back, 'refused', 'invalid-command', error.bilingual);
      throw error;
    }
    try {
      const { outcome } = await store.execute({ caseId, command, actor: request.actor, today: services.today(), at: services.clock.now(), reason: null });
      if (outcome.accepted) return redirectWithOutcome(request, reply, back, 'done', type);
      return redirectWithOutcome(request, reply, back, 'refused', outcome.refusal.code, outcome.refusal.message);
    } catch (error) {
      if (error instanceof UnknownCaseError) throw notFound(CASE);
      throw error;
    }
  }
}
