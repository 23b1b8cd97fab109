import type { Actor } from '../access/roles.ts';
import type { IsoDate } from '../market/calendar-date.ts';
import type { CaseEvent, EventActor } from './case-events.ts';
import type { CaseState, HearingHost } from './case-state.ts';
import { refusal, type Refusal } from './refusal.ts';

/**
 * What deciding one command gives: the events to append, or a refusal (with, for a refused pause
 * only, the event that logs the refusal). Deciding reads the state and never changes it.
 */
export type Decision = { events: CaseEvent[] } | Refused;

export type Refused = { refusal: Refusal; logged: CaseEvent[] };

export interface ProcedureContext {
  caseId: string;
  /** Today's date where the case runs (China); every rule counts in these days. */
  today: IsoDate;
  actor: Actor;
}

export function refuse(code: Refusal['code'], zh: string, en: string): Refused {
  return { refusal: refusal(code, zh, en), logged: [] };
}

export function accept(...events: CaseEvent[]): Decision {
  return { events };
}

export function isRefusal(value: object): value is Refused {
  return 'refusal' in value;
}

/** The fields every event starts with. */
export function stamp(context: ProcedureContext): { on: IsoDate; actor: EventActor } {
  return { on: context.today, actor: { id: context.actor.id, role: context.actor.role } };
}

/**
 * The case a command acts on: it must exist, have opened, and today must not be before its latest
 * event (the log is in date order, which the deadlines rely on).
 */
export function openCase(state: CaseState | null, context: ProcedureContext): CaseState | Refused {
  if (state === null) return refuse('out-of-sequence', '案件尚不存在：请先录入行政处罚决定或当事人承诺', 'there is no case yet: record the penalty decision or the commitment first');
  const clock = clockBehind(state, context);
  if (clock !== null) return clock;
  if (context.today < state.openedOn) {
    return refuse('out-of-sequence', `案件于 ${state.openedOn} 开始，此前不能办理`, `the case opens on ${state.openedOn}; nothing can be done in it before then`);
  }
  return state;
}

export function clockBehind(state: CaseState, context: ProcedureContext): Refused | null {
  if (context.today >= state.lastEventOn) return null;
  return refuse('date-order', `今天（${context.today}）早于本案最近一次记录的日期 ${state.lastEventOn}`, `today (${context.today}) is before the case's latest recorded day, ${state.lastEventOn}`);
}

/** The appointed hearing host, who alone issues the hearing host's commands in this case. */
export function appointedHost(state: CaseState, context: ProcedureContext): HearingHost | Refused {
  const host = state.hearingHost;
  if (host === null) return refuse('out-of-sequence', '尚未指定听证主持人', 'no hearing host has been appointed yet');
  if (host.id !== context.actor.id) {
    return refuse('not-appointed-host', `本案听证主持人是 ${host.name}，不是 ${context.actor.name}`, `the hearing host of this case is ${host.name}, not ${context.actor.name}`);
  }
  return host;
}
