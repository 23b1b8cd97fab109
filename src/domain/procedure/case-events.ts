import type { Role } from '../access/roles.ts';
import type { IsoDate } from '../market/calendar-date.ts';
import type { PlanDocument } from '../plan/plan-document.ts';
import type { ReviewFlag } from '../plan/standard-terms-review.ts';
import type { BilingualText } from './bilingual-text.ts';
import type { LiablePartyKind, TieRelation } from './case-commands.ts';
import type { HearingRecord } from './hearing-record.ts';
import type { DrawPool, PublishedDraw } from './lot-draw.ts';

/**
 * What happened in a case, stored forever and replayed into its state (case-state.ts). Events are
 * plain JSON: no bigint, no Date; amounts are fen written as strings of digits, dates YYYY-MM-DD.
 * An event carries every value its effect depends on (the limit date, a plan's hash and review
 * flags, a hearing record and its hash), so that replaying an old log never depends on rules or
 * code that changed since it was written.
 */
export interface EventActor {
  id: string;
  role: Role;
}

interface EventBase<T extends string> {
  type: T;
  /** The day the command was accepted (or, for pause-refused, refused). */
  on: IsoDate;
  actor: EventActor;
}

export interface LiableParty {
  id: string;
  name: string;
  kind: LiablePartyKind;
}

export interface KeyDates {
  implementationDate?: IsoDate;
  disclosureDate?: IsoDate;
  baseDate?: IsoDate;
}

/** What both ways of opening a case establish. */
interface CaseOpening {
  caseId: string;
  issuer: { name: string };
  security: { code: string; name: string };
  liableParties: LiableParty[];
  facts: string;
  keyDates: KeyDates | null;
  timeLimitMonths: number;
  openedOn: IsoDate;
  limitDate: IsoDate;
}

export interface PenaltyDecisionRecorded extends EventBase<'penalty-decision-recorded'>, CaseOpening {
  penalty: { decisionNumber: string; decisionDate: IsoDate; authority: string };
}

export interface OpenedUnderCommitment extends EventBase<'opened-under-commitment'>, CaseOpening {
  commitment: { commitmentNumber: string; committedOn: IsoDate; authority: string };
}

export interface IssuerChallengeRecorded extends EventBase<'issuer-challenge-recorded'> {
  kind: 'reconsideration' | 'litigation';
  filedOn: IsoDate;
  body: string;
  reference: string | null;
  summary: string | null;
}

export interface PauseRefused extends EventBase<'pause-refused'> {
  ground: string;
  onGroundOf: 'issuer-challenge' | 'other';
  reason: BilingualText;
}

export interface FunderAdded extends EventBase<'funder-added'> {
  funderId: string;
  name: string;
  /** A liable party id, or 'other'. */
  liableParty: string;
  pledgeFen: string;
}

export interface DepositConfirmed extends EventBase<'deposit-confirmed'> {
  funderId: string;
  amountFen: string;
  bankReference: string;
  valueDate: IsoDate;
}

export interface AnnouncementOpened extends EventBase<'announcement-opened'> {
  endsOn: IsoDate;
  seats: { representatives: number; lawyers: number };
  drawCommitment: string;
}

export interface DeclaredTie {
  partyId: string;
  relation: TieRelation;
}

export interface ApplicationReceived extends EventBase<'application-received'> {
  pool: DrawPool;
  applicantId: string;
  name: string;
  ties: DeclaredTie[];
  /** Lawyers name their firm; representatives have none. */
  firm: { id: string; name: string } | null;
}

export interface SeatsFilledByAgreement extends EventBase<'seats-filled-by-agreement'> {
  representatives: string[];
  lawyers: string[];
}

export interface LotsDrawn extends EventBase<'lots-drawn'> {
  seedHex: string;
  /** One published draw per pool, representatives first; seats is the number left to fill. */
  draws: PublishedDraw[];
}

export interface HearingHostAppointed extends EventBase<'hearing-host-appointed'> {
  hostId: string;
  name: string;
}

// Type aliases, not interfaces, so that they can be hashed as canonical JSON values.
export type AgendaItem = { id: string; title: string };

export type EvidenceItem = { id: string; title: string; sha256: string };

export interface HearingScheduled extends EventBase<'hearing-scheduled'> {
  date: IsoDate;
  venue: string;
  agenda: AgendaItem[];
  evidence: EvidenceItem[];
}

export type HearingSide = 'liable-parties' | 'investors';

export interface HearingParticipantSeated extends EventBase<'hearing-participant-seated'> {
  side: HearingSide;
  participantId: string;
  name: string;
  capacity: string;
}

export type HearingOpened = EventBase<'hearing-opened'>;

export interface AttendanceRecorded extends EventBase<'attendance-recorded'> {
  participantId: string;
  present: boolean;
}

export interface StatementRecorded extends EventBase<'statement-recorded'> {
  speakerId: string;
  text: string;
}

export interface ObjectionRecorded extends EventBase<'objection-recorded'> {
  by: string;
  concerning: { kind: 'agenda-item' | 'evidence'; id: string };
  text: string;
}

export interface EvidenceAdded extends EventBase<'evidence-added'> {
  evidence: EvidenceItem;
}

export interface HearingRecordSigned extends EventBase<'hearing-record-signed'> {
  signerId: string;
  /** The content hash of the record as signed (everything but the signatures). */
  contentHash: string;
}

export interface HearingRecordClosed extends EventBase<'hearing-record-closed'> {
  record: HearingRecord;
  recordHash: string;
}

export interface PlanVersionProposed extends EventBase<'plan-version-proposed'> {
  version: number;
  hash: string;
  document: PlanDocument;
  flags: ReviewFlag[];
}

export interface ReviewFlagOverruled extends EventBase<'review-flag-overruled'> {
  version: number;
  flagId: string;
  reason: string;
}

export interface PlanAdopted extends EventBase<'plan-adopted'> {
  version: number;
  planHash: string;
  hearingRecordHash: string;
}

export interface RunCounts {
  investors: number;
  payable: number;
  zero: number;
  ineligible: number;
  rejected: number;
}

export interface ComputationRunRecorded extends EventBase<'computation-run-recorded'> {
  runId: string;
  planVersion: number;
  planHash: string;
  inputHash: string;
  counts: RunCounts;
  totalPayableFen: string;
}

export type CaseEvent =
  | PenaltyDecisionRecorded
  | OpenedUnderCommitment
  | IssuerChallengeRecorded
  | PauseRefused
  | FunderAdded
  | DepositConfirmed
  | AnnouncementOpened
  | ApplicationReceived
  | SeatsFilledByAgreement
  | LotsDrawn
  | HearingHostAppointed
  | HearingScheduled
  | HearingParticipantSeated
  | HearingOpened
  | AttendanceRecorded
  | StatementRecorded
  | ObjectionRecorded
  | EvidenceAdded
  | HearingRecordSigned
  | HearingRecordClosed
  | PlanVersionProposed
  | ReviewFlagOverruled
  | PlanAdopted
  | ComputationRunRecorded;

export type CaseEventType = CaseEvent['type'];
