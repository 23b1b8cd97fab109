import { addDays } from '../market/calendar-date.ts';
import type { CommandOf } from './case-commands.ts';
import type { KeyDates } from './case-events.ts';
import type { CaseState } from './case-state.ts';
import { accept, clockBehind, isRefusal, openCase, refuse, stamp, type Decision, type ProcedureContext } from './decision.ts';
import { limitDate, MAX_TIME_LIMIT_MONTHS } from './time-limit.ts';

/**
 * Steps 1 and 2 of procedure.md: how a case opens, and the issuer's challenges that never pause it.
 */

/** The case opens on the day after the decision (T0 + 1), with no further command. */
export function recordPenaltyDecision(state: CaseState | null, command: CommandOf<'record-penalty-decision'>, context: ProcedureContext): Decision {
  if (state !== null) return caseExists(state);
  if (command.decisionDate > context.today) {
    return refuse('date-order', `处罚决定日 ${command.decisionDate} 晚于今天 ${context.today}`, `the decision date ${command.decisionDate} is after today, ${context.today}`);
  }
  const keyDates = keyDatesProblem(command.keyDates);
  if (keyDates !== null) return keyDates;
  const openedOn = addDays(command.decisionDate, 1);
  const months = command.timeLimitMonths ?? MAX_TIME_LIMIT_MONTHS;
  return accept({
    type: 'penalty-decision-recorded',
    ...stamp(context),
    caseId: context.caseId,
    penalty: { decisionNumber: command.decisionNumber, decisionDate: command.decisionDate, authority: command.authority },
    ...facts(command),
    timeLimitMonths: months,
    openedOn,
    limitDate: limitDate(openedOn, months),
  });
}

/** Early opening under an administrative-settlement commitment, on the day given. */
export function openUnderCommitment(state: CaseState | null, command: CommandOf<'open-under-commitment'>, context: ProcedureContext): Decision {
  if (state !== null) return caseExists(state);
  if (command.committedOn > context.today) {
    return refuse('date-order', `承诺日 ${command.committedOn} 晚于今天 ${context.today}`, `the commitment date ${command.committedOn} is after today, ${context.today}`);
  }
  if (command.opensOn < command.committedOn) {
    return refuse('date-order', `开始日 ${command.opensOn} 早于承诺日 ${command.committedOn}`, `the opening date ${command.opensOn} is before the commitment date ${command.committedOn}`);
  }
  const keyDates = keyDatesProblem(command.keyDates);
  if (keyDates !== null) return keyDates;
  const months = command.timeLimitMonths ?? MAX_TIME_LIMIT_MONTHS;
  return accept({
    type: 'opened-under-commitment',
    ...stamp(context),
    caseId: context.caseId,
    commitment: { commitmentNumber: command.commitmentNumber, committedOn: command.committedOn, authority: command.authority },
    ...facts(command),
    timeLimitMonths: months,
    openedOn: command.opensOn,
    limitDate: limitDate(command.opensOn, months),
  });
}

/** Recorded for the file and the public; it changes no date and no phase. */
export function recordIssuerChallenge(state: CaseState | null, command: CommandOf<'record-issuer-challenge'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  if (command.filedOn > context.today) {
    return refuse('date-order', `提起日 ${command.filedOn} 晚于今天 ${context.today}`, `the filing date ${command.filedOn} is after today, ${context.today}`);
  }
  if (open.penalty !== null && command.filedOn < open.penalty.decisionDate) {
    return refuse(
      'date-order',
      `提起日 ${command.filedOn} 早于处罚决定日 ${open.penalty.decisionDate}`,
      `the filing date ${command.filedOn} is before the decision date ${open.penalty.decisionDate}`,
    );
  }
  return accept({
    type: 'issuer-challenge-recorded',
    ...stamp(context),
    kind: command.kind,
    filedOn: command.filedOn,
    body: command.body,
    reference: command.reference ?? null,
    summary: command.summary ?? null,
  });
}

/**
 * Always refused: the case has no suspension. The refusal is logged as an event, so that the
 * attempt, who made it and on what ground stay in the case's history.
 */
export function requestPause(state: CaseState | null, command: CommandOf<'request-pause'>, context: ProcedureContext): Decision {
  if (state === null) return refuse('out-of-sequence', '案件尚不存在，无可中止', 'there is no case to pause');
  const clock = clockBehind(state, context);
  if (clock !== null) return clock;
  const reason =
    command.onGroundOf === 'issuer-challenge'
      ? {
          zh: `先行赔付不因发行人申请行政复议或提起行政诉讼而中止：复议、诉讼期间行政行为不停止执行（《行政复议法》第四十二条、《行政诉讼法》第五十六条），本程序亦不中止、不延长，须于 ${state.limitDate} 前完成。`,
          en: `Advance compensation does not pause for the issuer's reconsideration or litigation: an administrative act stays in force while it is challenged (Administrative Reconsideration Law art. 42, Administrative Litigation Law art. 56), and this procedure neither pauses nor extends; it must close by ${state.limitDate}.`,
        }
      : {
          zh: `先行赔付程序一经开始即不中止、不延长（程序第2步），须于 ${state.limitDate} 前完成。`,
          en: `Once opened, the advance-compensation procedure neither pauses nor extends (procedure step 2); it must close by ${state.limitDate}.`,
        };
  return {
    refusal: { code: 'pause-refused', message: reason },
    logged: [{ type: 'pause-refused', ...stamp(context), ground: command.ground, onGroundOf: command.onGroundOf, reason }],
  };
}

function caseExists(state: CaseState): Decision {
  return refuse('case-exists', `案件 ${state.caseId} 已经存在`, `case ${state.caseId} already exists`);
}

type OpeningCommand = CommandOf<'record-penalty-decision'> | CommandOf<'open-under-commitment'>;

function facts(command: OpeningCommand) {
  return {
    issuer: { name: command.issuer },
    security: { code: command.security.code, name: command.security.name },
    liableParties: command.liableParties.map((party) => ({ id: party.id, name: party.name, kind: party.kind })),
    facts: command.facts,
    keyDates: command.keyDates === undefined ? null : definedKeyDates(command.keyDates),
  };
}

function definedKeyDates(dates: KeyDates): KeyDates {
  // JSON has no undefined: leave out what the decision does not state.
  const kept: KeyDates = {};
  if (dates.implementationDate !== undefined) kept.implementationDate = dates.implementationDate;
  if (dates.disclosureDate !== undefined) kept.disclosureDate = dates.disclosureDate;
  if (dates.baseDate !== undefined) kept.baseDate = dates.baseDate;
  return kept;
}

/** 实施日 ≤ 揭露日 < 基准日, for the dates the decision states. */
function keyDatesProblem(dates: KeyDates | undefined): Decision | null {
  if (dates === undefined) return null;
  const { implementationDate: implemented, disclosureDate: disclosed, baseDate: base } = dates;
  if (implemented !== undefined && disclosed !== undefined && disclosed < implemented) {
    return refuse('date-order', `揭露日 ${disclosed} 早于实施日 ${implemented}`, `the disclosure date ${disclosed} is before the implementation date ${implemented}`);
  }
  const after = disclosed ?? implemented;
  if (base !== undefined && after !== undefined && base <= after) {
    return refuse('date-order', `基准日 ${base} 须晚于${disclosed !== undefined ? '揭露日' : '实施日'} ${after}`, `the base date ${base} must be after the ${disclosed !== undefined ? 'disclosure' : 'implementation'} date ${after}`);
  }
  return null;
}
