import { contentHash } from '../content-hash.ts';
import type { IsoDate } from '../market/calendar-date.ts';
import type { AgendaItem, HearingSide } from './case-events.ts';
import type { CaseState } from './case-state.ts';

/**
 * The hearing record (听证笔录, procedure.md step 5): everything the plan may rest on (案卷排他).
 * The record's body is frozen by the first signature, and every signature cites the body's content
 * hash, so a signature cannot be moved onto a different text. The published record hash is the
 * content hash (SHA-256 of canonical JSON, content-hash.ts) of the whole record, signatures
 * included; the adopted plan cites it.
 *
 * Types here are aliases rather than interfaces so that a record is a canonical JSON value.
 */
export type RecordEvidence = { id: string; title: string; sha256: string; addedOn: IsoDate };

export type RecordParticipant = { side: HearingSide; participantId: string; name: string; capacity: string };

export type RecordStatement = { speakerId: string; text: string; on: IsoDate };

export type RecordObjection = { by: string; concerning: { kind: 'agenda-item' | 'evidence'; id: string }; text: string; on: IsoDate };

export type RecordSignature = { signerId: string; on: IsoDate; contentHash: string };

export type HearingRecordBody = {
  caseId: string;
  host: { id: string; name: string };
  /** The notice the hearing was held under (the latest, if it was rescheduled). */
  notice: { scheduledOn: IsoDate; date: IsoDate; venue: string };
  agenda: AgendaItem[];
  /** The notice's evidence first, then what was added at the hearing, in order. */
  evidence: RecordEvidence[];
  participants: RecordParticipant[];
  openedOn: IsoDate;
  attendance: { participantId: string; present: boolean }[];
  statements: RecordStatement[];
  objections: RecordObjection[];
};

export type HearingRecord = HearingRecordBody & { signatures: RecordSignature[] };

/** What each signature cites: the hash of the record without its signatures. */
export function hearingContentHash(body: HearingRecordBody): string {
  return contentHash(body);
}

/** The published hash of the closed record, signatures included. */
export function hearingRecordHash(record: HearingRecord): string {
  return contentHash(record);
}

/** The record's body as the case holds it now; null until the hearing has opened under a host. */
export function hearingRecordBodyOf(state: CaseState): HearingRecordBody | null {
  const hearing = state.hearing;
  const host = state.hearingHost;
  if (hearing === null || host === null || hearing.openedOn === null) return null;
  return {
    caseId: state.caseId,
    host: { id: host.id, name: host.name },
    notice: { scheduledOn: hearing.notice.scheduledOn, date: hearing.notice.date, venue: hearing.notice.venue },
    agenda: hearing.notice.agenda.map((item) => ({ id: item.id, title: item.title })),
    evidence: [
      ...hearing.notice.evidence.map((item) => ({ id: item.id, title: item.title, sha256: item.sha256, addedOn: hearing.notice.scheduledOn })),
      ...hearing.addedEvidence.map((item) => ({ id: item.id, title: item.title, sha256: item.sha256, addedOn: item.on })),
    ],
    participants: hearing.participants.map((seat) => ({ side: seat.side, participantId: seat.participantId, name: seat.name, capacity: seat.capacity })),
    openedOn: hearing.openedOn,
    attendance: hearing.attendance.map((entry) => ({ participantId: entry.participantId, present: entry.present })),
    statements: hearing.statements.map((statement) => ({ ...statement })),
    objections: hearing.objections.map((objection) => ({ ...objection, concerning: { ...objection.concerning } })),
  };
}
