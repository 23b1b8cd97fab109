import type { IsoDate } from '../market/calendar-date.ts';
import type { Fen } from '../money/fen.ts';
import type { PlanDocument } from '../plan/plan-document.ts';
import type { ReviewFlag } from '../plan/standard-terms-review.ts';
import type { BilingualText } from './bilingual-text.ts';
import type {
  AgendaItem,
  CaseEvent,
  DeclaredTie,
  EventActor,
  EvidenceItem,
  HearingSide,
  KeyDates,
  LiableParty,
  RunCounts,
} from './case-events.ts';
import type { HearingRecord, RecordObjection, RecordSignature, RecordStatement } from './hearing-record.ts';
import type { DrawPool, PublishedDraw } from './lot-draw.ts';

/**
 * The state of a case: a fold of its events (`replay`). Money is bigint fen here; events carry it as
 * digit strings. evolve never changes the state it is given: every step returns new objects for
 * what changed and shares the rest, so a state held by a caller stays valid.
 */
export interface CaseState {
  caseId: string;
  /** The number of events applied. */
  version: number;
  /** The day of the latest event; a command dated earlier is refused. */
  lastEventOn: IsoDate;
  opening: 'penalty-decision' | 'commitment';
  penalty: { decisionNumber: string; decisionDate: IsoDate; authority: string } | null;
  commitment: { commitmentNumber: string; committedOn: IsoDate; authority: string } | null;
  issuer: { name: string };
  security: { code: string; name: string };
  liableParties: LiableParty[];
  facts: string;
  keyDates: KeyDates | null;
  timeLimitMonths: number;
  openedOn: IsoDate;
  limitDate: IsoDate;
  issuerChallenges: IssuerChallenge[];
  pauseRefusals: PauseRefusal[];
  funders: Funder[];
  deposits: Deposit[];
  pledgedFen: Fen;
  depositedFen: Fen;
  /** The latest computation run's total payable less the deposits, when that is above zero; else 0. */
  shortfallFen: Fen;
  announcement: Announcement | null;
  applicants: Applicant[];
  seats: { representatives: SeatHolder[]; lawyers: SeatHolder[] };
  draw: Draw | null;
  hearingHost: HearingHost | null;
  hearing: Hearing | null;
  planVersions: PlanVersion[];
  adoptedPlan: AdoptedPlan | null;
  computationRuns: ComputationRun[];
}

export interface IssuerChallenge {
  kind: 'reconsideration' | 'litigation';
  filedOn: IsoDate;
  body: string;
  reference: string | null;
  summary: string | null;
  recordedOn: IsoDate;
}

export interface PauseRefusal {
  requestedBy: EventActor;
  on: IsoDate;
  ground: string;
  onGroundOf: 'issuer-challenge' | 'other';
  reason: BilingualText;
}

export interface Funder {
  funderId: string;
  name: string;
  /** A liable party id, or 'other'. */
  liableParty: string;
  pledgedFen: Fen;
  depositedFen: Fen;
  addedOn: IsoDate;
}

export interface Deposit {
  funderId: string;
  amountFen: Fen;
  bankReference: string;
  valueDate: IsoDate;
  confirmedOn: IsoDate;
}

export interface Announcement {
  openedOn: IsoDate;
  /** The last day of the period: applications and agreement are possible through this day. */
  endsOn: IsoDate;
  seats: { representatives: number; lawyers: number };
  drawCommitment: string;
}

export interface Applicant {
  applicantId: string;
  pool: DrawPool;
  name: string;
  ties: DeclaredTie[];
  firm: { id: string; name: string } | null;
  appliedOn: IsoDate;
}

export interface SeatHolder {
  applicantId: string;
  by: 'agreement' | 'draw';
  on: IsoDate;
}

export interface Draw {
  on: IsoDate;
  seedHex: string;
  draws: PublishedDraw[];
}

export interface HearingHost {
  id: string;
  name: string;
  appointedOn: IsoDate;
}

export interface HearingNotice {
  scheduledOn: IsoDate;
  date: IsoDate;
  venue: string;
  agenda: AgendaItem[];
  evidence: EvidenceItem[];
}

export interface HearingParticipant {
  side: HearingSide;
  participantId: string;
  name: string;
  capacity: string;
  seatedOn: IsoDate;
}

export interface Hearing {
  /** The notice in force: the latest scheduling. */
  notice: HearingNotice;
  /** Every notice given, in order; a reschedule adds one. */
  notices: HearingNotice[];
  participants: HearingParticipant[];
  openedOn: IsoDate | null;
  attendance: { participantId: string; present: boolean; on: IsoDate }[];
  statements: RecordStatement[];
  objections: RecordObjection[];
  addedEvidence: (EvidenceItem & { on: IsoDate })[];
  signatures: RecordSignature[];
  closed: { on: IsoDate; record: HearingRecord; recordHash: string } | null;
}

export interface PlanVersion {
  version: number;
  hash: string;
  document: PlanDocument;
  flags: ReviewFlag[];
  proposedOn: IsoDate;
  proposedBy: EventActor;
  overrules: { flagId: string; reason: string; on: IsoDate; by: string }[];
}

export interface AdoptedPlan {
  version: number;
  planHash: string;
  /** The hearing record the plan rests on (案卷排他). */
  hearingRecordHash: string;
  adoptedOn: IsoDate;
}

export interface ComputationRun {
  runId: string;
  planVersion: number;
  planHash: string;
  inputHash: string;
  counts: RunCounts;
  totalPayableFen: Fen;
  recordedOn: IsoDate;
}

/** Applies one event. Throws only for a log that cannot be a case's (an event before the case exists). */
export function evolve(state: CaseState | null, event: CaseEvent): CaseState {
  if (event.type === 'penalty-decision-recorded' || event.type === 'opened-under-commitment') {
    if (state !== null) throw new Error(`case ${state.caseId} already exists; ${event.type} cannot open it again`);
    return {
      caseId: event.caseId,
      version: 1,
      lastEventOn: event.on,
      opening: event.type === 'penalty-decision-recorded' ? 'penalty-decision' : 'commitment',
      penalty: event.type === 'penalty-decision-recorded' ? { ...event.penalty } : null,
      commitment: event.type === 'opened-under-commitment' ? { ...event.commitment } : null,
      issuer: { ...event.issuer },
      security: { ...event.security },
      liableParties: event.liableParties.map((party) => ({ ...party })),
      facts: event.facts,
      keyDates: event.keyDates === null ? null : { ...event.keyDates },
      timeLimitMonths: event.timeLimitMonths,
      openedOn: event.openedOn,
      limitDate: event.limitDate,
      issuerChallenges: [],
      pauseRefusals: [],
      funders: [],
      deposits: [],
      pledgedFen: 0n,
      depositedFen: 0n,
      shortfallFen: 0n,
      announcement: null,
      applicants: [],
      seats: { representatives: [], lawyers: [] },
      draw: null,
      hearingHost: null,
      hearing: null,
      planVersions: [],
      adoptedPlan: null,
      computationRuns: [],
    };
  }
  if (state === null) throw new Error(`${event.type} needs a case; the log must start with the case's opening`);
  const next: CaseState = { ...applyTo(state, event), version: state.version + 1, lastEventOn: event.on };
  return next;
}

/** The state after every event of a log, in order. Throws for an empty log: there is no case. */
export function replay(events: readonly CaseEvent[]): CaseState {
  let state: CaseState | null = null;
  for (const event of events) state = evolve(state, event);
  if (state === null) throw new Error('an empty log is no case');
  return state;
}

function applyTo(state: CaseState, event: Exclude<CaseEvent, { type: 'penalty-decision-recorded' | 'opened-under-commitment' }>): CaseState {
  switch (event.type) {
    case 'issuer-challenge-recorded':
      return {
        ...state,
        issuerChallenges: [
          ...state.issuerChallenges,
          { kind: event.kind, filedOn: event.filedOn, body: event.body, reference: event.reference, summary: event.summary, recordedOn: event.on },
        ],
      };
    case 'pause-refused':
      return {
        ...state,
        pauseRefusals: [
          ...state.pauseRefusals,
          { requestedBy: { ...event.actor }, on: event.on, ground: event.ground, onGroundOf: event.onGroundOf, reason: { ...event.reason } },
        ],
      };
    case 'funder-added': {
      const pledge = BigInt(event.pledgeFen);
      const funder: Funder = { funderId: event.funderId, name: event.name, liableParty: event.liableParty, pledgedFen: pledge, depositedFen: 0n, addedOn: event.on };
      return { ...state, funders: [...state.funders, funder], pledgedFen: state.pledgedFen + pledge };
    }
    case 'deposit-confirmed': {
      const amount = BigInt(event.amountFen);
      const deposit: Deposit = { funderId: event.funderId, amountFen: amount, bankReference: event.bankReference, valueDate: event.valueDate, confirmedOn: event.on };
      const depositedFen = state.depositedFen + amount;
      return {
        ...state,
        funders: state.funders.map((funder) => (funder.funderId === event.funderId ? { ...funder, depositedFen: funder.depositedFen + amount } : funder)),
        deposits: [...state.deposits, deposit],
        depositedFen,
        shortfallFen: shortfall(state.computationRuns, depositedFen),
      };
    }
    case 'announcement-opened':
      return { ...state, announcement: { openedOn: event.on, endsOn: event.endsOn, seats: { ...event.seats }, drawCommitment: event.drawCommitment } };
    case 'application-received':
      return {
        ...state,
        applicants: [
          ...state.applicants,
          {
            applicantId: event.applicantId,
            pool: event.pool,
            name: event.name,
            ties: event.ties.map((tie) => ({ ...tie })),
            firm: event.firm === null ? null : { ...event.firm },
            appliedOn: event.on,
          },
        ],
      };
    case 'seats-filled-by-agreement':
      return {
        ...state,
        seats: {
          representatives: [...state.seats.representatives, ...event.representatives.map((applicantId) => ({ applicantId, by: 'agreement' as const, on: event.on }))],
          lawyers: [...state.seats.lawyers, ...event.lawyers.map((applicantId) => ({ applicantId, by: 'agreement' as const, on: event.on }))],
        },
      };
    case 'lots-drawn': {
      const chosen = (pool: DrawPool): SeatHolder[] =>
        (event.draws.find((draw) => draw.pool === pool)?.chosen ?? []).map((applicantId) => ({ applicantId, by: 'draw' as const, on: event.on }));
      return {
        ...state,
        seats: { representatives: [...state.seats.representatives, ...chosen('representatives')], lawyers: [...state.seats.lawyers, ...chosen('lawyers')] },
        draw: {
          on: event.on,
          seedHex: event.seedHex,
          draws: event.draws.map((draw) => ({ ...draw, applicants: [...draw.applicants], chosen: [...draw.chosen] })),
        },
      };
    }
    case 'hearing-host-appointed':
      return { ...state, hearingHost: { id: event.hostId, name: event.name, appointedOn: event.on } };
    case 'hearing-scheduled': {
      const notice: HearingNotice = {
        scheduledOn: event.on,
        date: event.date,
        venue: event.venue,
        agenda: event.agenda.map((item) => ({ ...item })),
        evidence: event.evidence.map((item) => ({ ...item })),
      };
      if (state.hearing === null) {
        return {
          ...state,
          hearing: { notice, notices: [notice], participants: [], openedOn: null, attendance: [], statements: [], objections: [], addedEvidence: [], signatures: [], closed: null },
        };
      }
      return { ...state, hearing: { ...state.hearing, notice, notices: [...state.hearing.notices, notice] } };
    }
    case 'hearing-participant-seated':
      return withHearing(state, (hearing) => ({
        ...hearing,
        participants: [...hearing.participants, { side: event.side, participantId: event.participantId, name: event.name, capacity: event.capacity, seatedOn: event.on }],
      }));
    case 'hearing-opened':
      return withHearing(state, (hearing) => ({ ...hearing, openedOn: event.on }));
    case 'attendance-recorded':
      return withHearing(state, (hearing) => ({ ...hearing, attendance: [...hearing.attendance, { participantId: event.participantId, present: event.present, on: event.on }] }));
    case 'statement-recorded':
      return withHearing(state, (hearing) => ({ ...hearing, statements: [...hearing.statements, { speakerId: event.speakerId, text: event.text, on: event.on }] }));
    case 'objection-recorded':
      return withHearing(state, (hearing) => ({
        ...hearing,
        objections: [...hearing.objections, { by: event.by, concerning: { ...event.concerning }, text: event.text, on: event.on }],
      }));
    case 'evidence-added':
      return withHearing(state, (hearing) => ({ ...hearing, addedEvidence: [...hearing.addedEvidence, { ...event.evidence, on: event.on }] }));
    case 'hearing-record-signed':
      return withHearing(state, (hearing) => ({ ...hearing, signatures: [...hearing.signatures, { signerId: event.signerId, on: event.on, contentHash: event.contentHash }] }));
    case 'hearing-record-closed':
      return withHearing(state, (hearing) => ({ ...hearing, closed: { on: event.on, record: event.record, recordHash: event.recordHash } }));
    case 'plan-version-proposed':
      return {
        ...state,
        planVersions: [
          ...state.planVersions,
          { version: event.version, hash: event.hash, document: event.document, flags: event.flags, proposedOn: event.on, proposedBy: { ...event.actor }, overrules: [] },
        ],
      };
    case 'review-flag-overruled':
      return {
        ...state,
        planVersions: state.planVersions.map((plan) =>
          plan.version === event.version ? { ...plan, overrules: [...plan.overrules, { flagId: event.flagId, reason: event.reason, on: event.on, by: event.actor.id }] } : plan,
        ),
      };
    case 'plan-adopted':
      return {
        ...state,
        adoptedPlan: { version: event.version, planHash: event.planHash, hearingRecordHash: event.hearingRecordHash, adoptedOn: event.on },
      };
    case 'computation-run-recorded': {
      const run: ComputationRun = {
        runId: event.runId,
        planVersion: event.planVersion,
        planHash: event.planHash,
        inputHash: event.inputHash,
        counts: { ...event.counts },
        totalPayableFen: BigInt(event.totalPayableFen),
        recordedOn: event.on,
      };
      const computationRuns = [...state.computationRuns, run];
      return { ...state, computationRuns, shortfallFen: shortfall(computationRuns, state.depositedFen) };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown event type ${(unknown as { type: string }).type}`);
    }
  }
}

function withHearing(state: CaseState, change: (hearing: Hearing) => Hearing): CaseState {
  if (state.hearing === null) throw new Error('a hearing event needs a scheduled hearing');
  return { ...state, hearing: change(state.hearing) };
}

/** The latest run counts (procedure.md step 3): a top-up is due for what the deposits do not cover. */
function shortfall(runs: readonly ComputationRun[], depositedFen: Fen): Fen {
  const latest = runs.at(-1);
  if (latest === undefined) return 0n;
  const missing = latest.totalPayableFen - depositedFen;
  return missing > 0n ? missing : 0n;
}
