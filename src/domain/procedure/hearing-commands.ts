import { addDays } from '../market/calendar-date.ts';
import type { Role } from '../access/roles.ts';
import type { CommandOf } from './case-commands.ts';
import type { CaseState, Hearing } from './case-state.ts';
import { hostConflict } from './conflicts-of-interest.ts';
import { accept, appointedHost, isRefusal, openCase, refuse, stamp, type Decision, type ProcedureContext, type Refused } from './decision.ts';
import { hearingContentHash, hearingRecordBodyOf, hearingRecordHash, type HearingRecord } from './hearing-record.ts';

/**
 * Step 5 of procedure.md: the hearing (听证). The host presides and keeps the record; the two sides
 * sit in equal numbers; statements, objections, attendance and evidence go into the record while
 * the hearing is open and until the first signature, which freezes the record's body; the record
 * closes when the host and every seated participant have signed it.
 */

/** Days of notice between scheduling a hearing and holding it. */
export const HEARING_NOTICE_DAYS = 3;

export function appointHearingHost(state: CaseState | null, command: CommandOf<'appoint-hearing-host'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  if (open.hearing?.openedOn != null) return refuse('out-of-sequence', '听证已经开始，不能更换主持人', 'the hearing has opened: its host can no longer change');
  if (open.hearingHost?.id === command.hostId) return refuse('duplicate', `${command.name} 已是本案听证主持人`, `${command.name} is already the hearing host`);
  const conflict = hostConflict(open, command.hostId);
  if (conflict !== null) return refuse('host-conflict', `不能指定为听证主持人：${conflict.zh}`, `cannot preside over the hearing: ${conflict.en}`);
  return accept({ type: 'hearing-host-appointed', ...stamp(context), hostId: command.hostId, name: command.name });
}

export function scheduleHearing(state: CaseState | null, command: CommandOf<'schedule-hearing'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  const host = appointedHost(open, context);
  if (isRefusal(host)) return host;
  if (open.announcement === null) return refuse('out-of-sequence', '公告期尚未开始：听证在公告期之后举行', 'the announcement period has not opened: the hearing follows it');
  if (open.hearing?.openedOn != null) return refuse('out-of-sequence', '听证已经开始，不能改期', 'the hearing has opened: it can no longer be rescheduled');
  if (command.date <= open.announcement.endsOn) {
    return refuse('date-order', `听证日 ${command.date} 须在公告期（至 ${open.announcement.endsOn}）之后`, `the hearing date ${command.date} must be after the announcement period, which runs through ${open.announcement.endsOn}`);
  }
  if (command.date > open.limitDate) {
    return refuse('beyond-time-limit', `听证日 ${command.date} 晚于期限届满日 ${open.limitDate}`, `the hearing date ${command.date} is after the limit date ${open.limitDate}`);
  }
  const earliest = addDays(context.today, HEARING_NOTICE_DAYS);
  if (command.date < earliest) {
    return refuse('short-notice', `听证须至少提前 ${HEARING_NOTICE_DAYS} 日通知，最早 ${earliest}`, `a hearing needs ${HEARING_NOTICE_DAYS} days' notice: ${earliest} at the earliest`);
  }
  return accept({
    type: 'hearing-scheduled',
    ...stamp(context),
    date: command.date,
    venue: command.venue,
    agenda: command.agenda.map((item) => ({ id: item.id, title: item.title })),
    evidence: command.evidence.map((item) => ({ id: item.id, title: item.title, sha256: item.sha256 })),
  });
}

export function seatHearingParticipant(state: CaseState | null, command: CommandOf<'seat-hearing-participant'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  const host = appointedHost(open, context);
  if (isRefusal(host)) return host;
  const hearing = open.hearing;
  if (hearing === null) return refuse('out-of-sequence', '听证尚未安排', 'no hearing has been scheduled');
  if (hearing.openedOn !== null) return refuse('out-of-sequence', '听证已经开始，席位不再变动', 'the hearing has opened: its seats are fixed');
  if (hearing.participants.some((seat) => seat.participantId === command.participantId)) {
    return refuse('duplicate', `${command.participantId} 已经就座`, `${command.participantId} already has a seat`);
  }
  if (command.side === 'investors') {
    const seated = [...open.seats.representatives, ...open.seats.lawyers].some((seat) => seat.applicantId === command.participantId);
    if (!seated) {
      return refuse('ineligible-participant', `${command.participantId} 不是当选的投资者代表或律师`, `${command.participantId} holds no seat as an investor representative or lawyer`);
    }
  } else {
    const onLiableSide = open.funders.some((funder) => funder.funderId === command.participantId) || open.liableParties.some((party) => party.id === command.participantId);
    if (!onLiableSide) return refuse('ineligible-participant', `${command.participantId} 既非出资人也非责任主体`, `${command.participantId} is neither a funder nor a liable party`);
  }
  return accept({
    type: 'hearing-participant-seated',
    ...stamp(context),
    side: command.side,
    participantId: command.participantId,
    name: command.name,
    capacity: command.capacity,
  });
}

export function openHearing(state: CaseState | null, _command: CommandOf<'open-hearing'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  const host = appointedHost(open, context);
  if (isRefusal(host)) return host;
  const hearing = open.hearing;
  if (hearing === null) return refuse('out-of-sequence', '听证尚未安排', 'no hearing has been scheduled');
  if (hearing.openedOn !== null) return refuse('out-of-sequence', `听证已于 ${hearing.openedOn} 开始`, `the hearing opened on ${hearing.openedOn}`);
  if (context.today !== hearing.notice.date) {
    return refuse('date-order', `听证定于 ${hearing.notice.date} 举行，不是今天`, `the hearing is set for ${hearing.notice.date}, not today; reschedule it to hold it on another day`);
  }
  const liable = hearing.participants.filter((seat) => seat.side === 'liable-parties').length;
  const investors = hearing.participants.length - liable;
  if (liable === 0 || investors === 0 || liable !== investors) {
    return refuse(
      'seats-unbalanced',
      `双方席位须相等且各至少一席：责任方 ${liable} 席，投资者方 ${investors} 席`,
      `both sides need the same number of seats, at least one each: liable parties ${liable}, investors ${investors}`,
    );
  }
  return accept({ type: 'hearing-opened', ...stamp(context) });
}

export function recordAttendance(state: CaseState | null, command: CommandOf<'record-attendance'>, context: ProcedureContext): Decision {
  const hearing = inSession(state, context);
  if (isRefusal(hearing)) return hearing;
  if (!isSeated(hearing, command.participantId)) return notParticipant(command.participantId);
  if (hearing.attendance.some((entry) => entry.participantId === command.participantId)) {
    return refuse('duplicate', `${command.participantId} 的出席情况已经记录`, `the attendance of ${command.participantId} is already recorded`);
  }
  return accept({ type: 'attendance-recorded', ...stamp(context), participantId: command.participantId, present: command.present });
}

export function recordStatement(state: CaseState | null, command: CommandOf<'record-statement'>, context: ProcedureContext): Decision {
  const hearing = inSession(state, context);
  if (isRefusal(hearing)) return hearing;
  if (command.speakerId !== context.actor.id && !isSeated(hearing, command.speakerId)) return notParticipant(command.speakerId);
  return accept({ type: 'statement-recorded', ...stamp(context), speakerId: command.speakerId, text: command.text });
}

export function recordObjection(state: CaseState | null, command: CommandOf<'record-objection'>, context: ProcedureContext): Decision {
  const hearing = inSession(state, context);
  if (isRefusal(hearing)) return hearing;
  if (!isSeated(hearing, command.by)) return notParticipant(command.by);
  const { kind, id } = command.concerning;
  const known = kind === 'agenda-item' ? hearing.notice.agenda.some((item) => item.id === id) : evidenceIds(hearing).has(id);
  if (!known) {
    return refuse(
      'unknown-reference',
      `${kind === 'agenda-item' ? '议程' : '证据'}中没有 ${id}`,
      `there is no ${kind === 'agenda-item' ? 'agenda item' : 'evidence'} ${id}`,
    );
  }
  return accept({ type: 'objection-recorded', ...stamp(context), by: command.by, concerning: { kind, id }, text: command.text });
}

export function addEvidence(state: CaseState | null, command: CommandOf<'add-evidence'>, context: ProcedureContext): Decision {
  const hearing = inSession(state, context);
  if (isRefusal(hearing)) return hearing;
  if (evidenceIds(hearing).has(command.id)) return refuse('duplicate', `证据编号 ${command.id} 已被使用`, `evidence id ${command.id} is already used`);
  return accept({ type: 'evidence-added', ...stamp(context), evidence: { id: command.id, title: command.title, sha256: command.sha256 } });
}

export function signHearingRecord(state: CaseState | null, command: CommandOf<'sign-hearing-record'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  const hearing = open.hearing;
  if (hearing === null || hearing.openedOn === null) return refuse('out-of-sequence', '听证尚未开始，没有可签署的笔录', 'the hearing has not opened: there is no record to sign');
  if (hearing.closed !== null) return refuse('out-of-sequence', `笔录已于 ${hearing.closed.on} 封存`, `the record was closed on ${hearing.closed.on}`);
  if (command.signerId !== context.actor.id) return refuse('acting-for-another', '签名须由本人作出', 'each signs for themselves: the signer id must be your own');
  const expected = signerRole(open, hearing, command.signerId);
  if (expected === null) return notParticipant(command.signerId);
  if (!expected.includes(context.actor.role)) {
    return refuse('wrong-role', `${command.signerId} 须以其就座的身份签名`, `${command.signerId} signs in the capacity they sit in (${expected.join(' or ')})`);
  }
  if (hearing.signatures.some((signature) => signature.signerId === command.signerId)) {
    return refuse('duplicate', `${command.signerId} 已经签名`, `${command.signerId} has already signed`);
  }
  const body = hearingRecordBodyOf(open)!;
  return accept({ type: 'hearing-record-signed', ...stamp(context), signerId: command.signerId, contentHash: hearingContentHash(body) });
}

export function closeHearingRecord(state: CaseState | null, _command: CommandOf<'close-hearing-record'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  const host = appointedHost(open, context);
  if (isRefusal(host)) return host;
  const hearing = open.hearing;
  if (hearing === null || hearing.openedOn === null) return refuse('out-of-sequence', '听证尚未开始', 'the hearing has not opened');
  if (hearing.closed !== null) return refuse('out-of-sequence', `笔录已于 ${hearing.closed.on} 封存`, `the record was closed on ${hearing.closed.on}`);
  const signed = new Set(hearing.signatures.map((signature) => signature.signerId));
  const missing = [{ id: host.id, name: host.name }, ...hearing.participants.map((seat) => ({ id: seat.participantId, name: seat.name }))].filter(
    (signer) => !signed.has(signer.id),
  );
  if (missing.length > 0) {
    const names = missing.map((signer) => signer.name).join(', ');
    return refuse('signatures-missing', `以下人员尚未签名：${names}`, `not yet signed by: ${names}`);
  }
  const record: HearingRecord = { ...hearingRecordBodyOf(open)!, signatures: hearing.signatures.map((signature) => ({ ...signature })) };
  return accept({ type: 'hearing-record-closed', ...stamp(context), record, recordHash: hearingRecordHash(record) });
}

/** The hearing while its record can still grow: opened, not closed, not yet signed by anyone. */
function inSession(state: CaseState | null, context: ProcedureContext): Hearing | Refused {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  const host = appointedHost(open, context);
  if (isRefusal(host)) return host;
  const hearing = open.hearing;
  if (hearing === null || hearing.openedOn === null) return refuse('out-of-sequence', '听证尚未开始', 'the hearing has not opened');
  if (hearing.closed !== null) return refuse('out-of-sequence', `笔录已于 ${hearing.closed.on} 封存`, `the record was closed on ${hearing.closed.on}`);
  if (hearing.signatures.length > 0) {
    return refuse('out-of-sequence', '笔录已有人签名，内容不能再变动', 'the record has been signed: its content can no longer change');
  }
  return hearing;
}

function isSeated(hearing: Hearing, participantId: string): boolean {
  return hearing.participants.some((seat) => seat.participantId === participantId);
}

function evidenceIds(hearing: Hearing): Set<string> {
  return new Set([...hearing.notice.evidence.map((item) => item.id), ...hearing.addedEvidence.map((item) => item.id)]);
}

function notParticipant(id: string): Refused {
  return refuse('not-a-participant', `${id} 不是听证参加人`, `${id} does not sit at the hearing`);
}

/** The roles a signer may sign in: the host as host, each participant in the capacity of their seat. */
function signerRole(state: CaseState, hearing: Hearing, signerId: string): readonly Role[] | null {
  if (state.hearingHost?.id === signerId) return ['hearing-host'];
  const seat = hearing.participants.find((participant) => participant.participantId === signerId);
  if (seat === undefined) return null;
  if (seat.side === 'liable-parties') return ['funder'];
  const lawyer = state.seats.lawyers.some((holder) => holder.applicantId === signerId);
  return lawyer ? ['lawyer'] : ['representative'];
}
