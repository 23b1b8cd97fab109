import { addDays, type IsoDate } from '../market/calendar-date.ts';
import type { BilingualText } from './bilingual-text.ts';
import type { CaseState } from './case-state.ts';
import { DRAW_POOLS } from './lot-draw.ts';
import { daysLeft } from './time-limit.ts';

/**
 * What every screen shows of a case (procedure.md step 1): where it stands, the days left to the
 * limit date, its deadlines and every breach of the limit. Breaches are computed, never stored, so
 * none can be hidden or forgotten.
 */
export type CasePhase =
  /** Recorded, not yet open (the day of the decision, or before an announced opening date). */
  | 'scheduled'
  /** Open; the announcement period has not started. */
  | 'opened'
  /** The announcement period runs: applications and agreement. */
  | 'announcement'
  /** The period has ended with seats still empty: the lots are to be drawn. */
  | 'selection'
  /** The seats are settled; the hearing is being prepared, held or its record signed. */
  | 'hearing'
  /** The hearing record is closed; the plan awaits adoption. */
  | 'plan'
  /** The plan is adopted; no computation run is recorded yet. */
  | 'computation'
  /** A computation run against the adopted plan is recorded (offers follow: step 8). */
  | 'computed';

export type DeadlineKind =
  | 'opening'
  | 'announcement-end'
  | 'hearing'
  | 'plan-adoption'
  | 'review-end'
  | 'acceptance-opens'
  | 'acceptance-closes'
  | 'payment'
  | 'plan-end'
  | 'limit';

export interface Deadline {
  kind: DeadlineKind;
  due: IsoDate;
  /** Reached on or before its due date. */
  met: boolean;
  /** The day it was reached, or null. */
  reachedOn: IsoDate | null;
  /**
   * False for milestones that later steps (offer, acceptance, payment, close: procedure.md 8–11)
   * reach; this machine runs steps 1–7 and shows them as due, never as met.
   */
  tracked: boolean;
  /** Tracked, not reached, and its due date has passed. */
  overdue: boolean;
}

export type BreachKind = 'after-limit' | 'limit-passed';

export interface Breach {
  kind: BreachKind;
  /** The date that breaches the limit: a deadline's due date, or the first day past the limit. */
  date: IsoDate;
  limitDate: IsoDate;
  /** For 'after-limit', the deadline that falls after the limit date. */
  deadline: DeadlineKind | null;
  message: BilingualText;
}

export interface CaseProgress {
  phase: CasePhase;
  openedOn: IsoDate;
  limitDate: IsoDate;
  daysLeft: number;
  deadlines: Deadline[];
  breaches: Breach[];
}

const DEADLINE_NAMES: Record<DeadlineKind, BilingualText> = {
  opening: { zh: '程序启动', en: 'the opening' },
  'announcement-end': { zh: '公告期届满', en: 'the end of the announcement period' },
  hearing: { zh: '听证', en: 'the hearing' },
  'plan-adoption': { zh: '方案通过', en: 'the adoption of the plan' },
  'review-end': { zh: '审核期结束', en: 'the end of the review' },
  'acceptance-opens': { zh: '受理开始', en: 'the opening of acceptance' },
  'acceptance-closes': { zh: '受理截止', en: 'the close of acceptance' },
  payment: { zh: '支付日', en: 'the payment date' },
  'plan-end': { zh: '方案结束日', en: "the plan's end date" },
  limit: { zh: '期限届满', en: 'the limit date' },
};

export function caseProgress(state: CaseState, today: IsoDate): CaseProgress {
  const deadlines = deadlinesOf(state, today);
  return {
    phase: casePhase(state, today),
    openedOn: state.openedOn,
    limitDate: state.limitDate,
    daysLeft: daysLeft(today, state.limitDate),
    deadlines,
    breaches: breachesOf(state, deadlines, today),
  };
}

export function casePhase(state: CaseState, today: IsoDate): CasePhase {
  if (today < state.openedOn) return 'scheduled';
  if (state.adoptedPlan !== null) return state.computationRuns.length > 0 ? 'computed' : 'computation';
  if (state.hearing?.closed != null) return 'plan';
  const announcement = state.announcement;
  if (announcement === null) return 'opened';
  if (today <= announcement.endsOn) return 'announcement';
  const seatsSettled = state.draw !== null || DRAW_POOLS.every((pool) => state.seats[pool].length >= announcement.seats[pool]);
  return seatsSettled ? 'hearing' : 'selection';
}

/**
 * The deadlines, in the order of the procedure. The plan-adoption deadline is the review end date
 * of the adopted version, or else of the latest version proposed (adoption after it is refused),
 * or else the limit date.
 */
function deadlinesOf(state: CaseState, today: IsoDate): Deadline[] {
  const deadlines: Deadline[] = [];
  const add = (kind: DeadlineKind, due: IsoDate, reachedOn: IsoDate | null, tracked = true) => {
    const met = reachedOn !== null && reachedOn <= due;
    deadlines.push({ kind, due, met, reachedOn, tracked, overdue: tracked && reachedOn === null && today > due });
  };
  add('opening', state.openedOn, today >= state.openedOn ? state.openedOn : null);
  const announcement = state.announcement;
  if (announcement !== null) add('announcement-end', announcement.endsOn, today > announcement.endsOn ? announcement.endsOn : null);
  const hearing = state.hearing;
  if (hearing !== null) add('hearing', hearing.notice.date, hearing.openedOn);
  const adopted = state.adoptedPlan === null ? null : (state.planVersions.find((plan) => plan.version === state.adoptedPlan!.version) ?? null);
  const draft = adopted ?? state.planVersions.at(-1) ?? null;
  add('plan-adoption', draft?.document.timetable.reviewEndsOn ?? state.limitDate, state.adoptedPlan?.adoptedOn ?? null);
  if (adopted !== null) {
    const timetable = adopted.document.timetable;
    add('review-end', timetable.reviewEndsOn, null, false);
    add('acceptance-opens', timetable.acceptanceOpensOn, null, false);
    add('acceptance-closes', timetable.acceptanceClosesOn, null, false);
    add('payment', timetable.paymentOn, null, false);
    add('plan-end', timetable.endsOn, null, false);
  }
  add('limit', state.limitDate, null, false);
  return deadlines;
}

function breachesOf(state: CaseState, deadlines: readonly Deadline[], today: IsoDate): Breach[] {
  const breaches: Breach[] = [];
  for (const deadline of deadlines) {
    if (deadline.kind === 'limit' || deadline.due <= state.limitDate) continue;
    const name = DEADLINE_NAMES[deadline.kind];
    breaches.push({
      kind: 'after-limit',
      date: deadline.due,
      limitDate: state.limitDate,
      deadline: deadline.kind,
      message: {
        zh: `${name.zh}（${deadline.due}）晚于期限届满日 ${state.limitDate}`,
        en: `${name.en} (${deadline.due}) falls after the limit date ${state.limitDate}`,
      },
    });
  }
  if (today > state.limitDate) {
    breaches.push({
      kind: 'limit-passed',
      date: addDays(state.limitDate, 1),
      limitDate: state.limitDate,
      deadline: null,
      message: {
        zh: `期限已于 ${state.limitDate} 届满，案件尚未结案`,
        en: `the limit date ${state.limitDate} has passed and the case is not closed`,
      },
    });
  }
  return breaches;
}
