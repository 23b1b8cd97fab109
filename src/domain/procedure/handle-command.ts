import { ROLES } from '../access/roles.ts';
import { isIsoDate } from '../market/calendar-date.ts';
import { apply, drawLotsCommand, openAnnouncement, recordSelectionByAgreement } from './announcement-commands.ts';
import { caseCommandSchemas, COMMAND_ROLES, type CaseCommand, type CaseCommandType } from './case-commands.ts';
import type { CaseEvent } from './case-events.ts';
import { evolve, type CaseState } from './case-state.ts';
import { recordComputationRun } from './computation-commands.ts';
import type { Decision, ProcedureContext } from './decision.ts';
import { addFunder, confirmDeposit } from './funding-commands.ts';
import {
  addEvidence,
  appointHearingHost,
  closeHearingRecord,
  openHearing,
  recordAttendance,
  recordObjection,
  recordStatement,
  scheduleHearing,
  seatHearingParticipant,
  signHearingRecord,
} from './hearing-commands.ts';
import { noticesFor, type Notice } from './notice.ts';
import { openUnderCommitment, recordIssuerChallenge, recordPenaltyDecision, requestPause } from './opening-commands.ts';
import { adoptPlan, overruleReviewFlag, proposePlanVersion } from './plan-commands.ts';
import { refusal, ROLE_NAMES, type Refusal } from './refusal.ts';

export type { ProcedureContext } from './decision.ts';
export type { Refusal } from './refusal.ts';
export type { Notice } from './notice.ts';

/**
 * The procedure's one entry point (procedure.md steps 1–7): a command, the case's state and the
 * day decide the events to append, or a refusal. It is total: whatever the command and the state,
 * it returns an outcome and never throws for a business reason. The order of checks is fixed: the
 * command's type, the actor's role, the payload's shape, then the command's own rules. A refused
 * command changes nothing; its `events` are empty except for a refused pause, whose logged event
 * the shell appends so that the attempt stays in the case's history.
 */
export type CommandOutcome =
  | { accepted: true; events: CaseEvent[]; state: CaseState; notices: Notice[] }
  | { accepted: false; refusal: Refusal; events: CaseEvent[] };

type Decider = (state: CaseState | null, command: never, context: ProcedureContext) => Decision;

const DECIDERS: Record<CaseCommandType, Decider> = {
  'record-penalty-decision': recordPenaltyDecision,
  'open-under-commitment': openUnderCommitment,
  'record-issuer-challenge': recordIssuerChallenge,
  'request-pause': requestPause,
  'add-funder': addFunder,
  'confirm-deposit': confirmDeposit,
  'open-announcement': openAnnouncement,
  'apply-as-representative': apply,
  'apply-as-lawyer': apply,
  'record-selection-by-agreement': recordSelectionByAgreement,
  'draw-lots': drawLotsCommand,
  'appoint-hearing-host': appointHearingHost,
  'schedule-hearing': scheduleHearing,
  'seat-hearing-participant': seatHearingParticipant,
  'open-hearing': openHearing,
  'record-attendance': recordAttendance,
  'record-statement': recordStatement,
  'record-objection': recordObjection,
  'add-evidence': addEvidence,
  'sign-hearing-record': signHearingRecord,
  'close-hearing-record': closeHearingRecord,
  'propose-plan-version': proposePlanVersion,
  'overrule-review-flag': overruleReviewFlag,
  'adopt-plan': adoptPlan,
  'record-computation-run': recordComputationRun,
};

/**
 * Decides one command. Throws only when the context itself is malformed (not a date, an unknown
 * role): that is the caller's error, not the case's.
 */
export function handleCommand(state: CaseState | null, command: CaseCommand, context: ProcedureContext): CommandOutcome {
  checkContext(context);
  const type = typeof command === 'object' && command !== null ? (command as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(caseCommandSchemas, type)) {
    return refused(refusal('invalid-command', `未知的指令类型 ${JSON.stringify(type) ?? '(none)'}`, `unknown command type ${JSON.stringify(type) ?? '(none)'}`));
  }
  const commandType = type as CaseCommandType;
  const allowed = COMMAND_ROLES[commandType];
  if (!allowed.includes(context.actor.role)) {
    const zh = allowed.map((role) => ROLE_NAMES[role].zh).join('、');
    const en = allowed.map((role) => ROLE_NAMES[role].en).join(', ');
    return refused(refusal('wrong-role', `${ROLE_NAMES[context.actor.role].zh}不能办理 ${commandType}，只有${zh}可以`, `${commandType} is for ${en}, not ${ROLE_NAMES[context.actor.role].en}`));
  }
  const { type: _type, ...payload } = command as { type: string } & Record<string, unknown>;
  const parsed = caseCommandSchemas[commandType].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = [...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? [issue.keys[0]!] : [])].join('.') || '(command)';
    return refused(refusal('invalid-command', `指令 ${commandType} 有误，位置 ${path}：${issue.message}`, `${commandType} is invalid at ${path}: ${issue.message}`));
  }
  const decision = DECIDERS[commandType](state, { type: commandType, ...(parsed.data as object) } as never, context);
  if ('refusal' in decision) return { accepted: false, refusal: decision.refusal, events: decision.logged };
  let next = state;
  for (const event of decision.events) next = evolve(next, event);
  return { accepted: true, events: decision.events, state: next!, notices: noticesFor(decision.events, next!) };
}

function refused(reason: Refusal): CommandOutcome {
  return { accepted: false, refusal: reason, events: [] };
}

function checkContext(context: ProcedureContext): void {
  if (typeof context.today !== 'string' || !isIsoDate(context.today)) throw new TypeError(`today must be a date written YYYY-MM-DD, not ${String(context.today)}`);
  if (!(ROLES as readonly string[]).includes(context.actor.role)) throw new TypeError(`unknown role ${String(context.actor.role)}`);
  if (typeof context.actor.id !== 'string' || context.actor.id === '') throw new TypeError('the actor needs an id');
  if (typeof context.caseId !== 'string' || context.caseId === '') throw new TypeError('the context needs a case id');
}
