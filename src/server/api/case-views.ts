import type { CaseEvent } from '../../domain/procedure/case-events.ts';
import type { CaseState } from '../../domain/procedure/case-state.ts';
import { caseProgress } from '../../domain/procedure/case-progress.ts';
import { diffPlans, formatPlanDiff } from '../../domain/plan/plan-diff.ts';
import { planDocumentOf } from '../../domain/procedure/published-plans.ts';

/**
 * What the API shows of a case, read from its events: the public part (procedure.md, Public
 * transparency: announcements, representatives and how they were chosen with the draw's proof, the
 * hearing record, every plan version, progress) and, for those who run the case, its full state.
 * Views are built from events rather than from the state's inner shape, because events are the
 * published, permanent record.
 */
export function caseSummary(state: CaseState, events: readonly CaseEvent[], today: string) {
  const opening = openingOf(events);
  const progress = caseProgress(state, today);
  return {
    caseId: state.caseId,
    issuer: opening?.issuer.name ?? null,
    security: opening?.security ?? null,
    phase: progress.phase,
    openedOn: progress.openedOn,
    limitDate: progress.limitDate,
    daysLeft: progress.daysLeft,
    breaches: progress.breaches.length,
  };
}

export function publicCaseView(state: CaseState, events: readonly CaseEvent[], today: string) {
  const opening = openingOf(events);
  const progress = caseProgress(state, today);
  const announcement = last(events, 'announcement-opened');
  const seated = new Map<string, { pool: string; name: string; chosenBy: 'agreement' | 'lot' }>();
  const applicants = new Map<string, { pool: string; name: string; firm: string | null }>();
  for (const event of events) {
    if (event.type === 'application-received') applicants.set(event.applicantId, { pool: event.pool, name: event.name, firm: event.firm?.name ?? null });
    if (event.type === 'seats-filled-by-agreement') {
      for (const id of event.representatives) seated.set(id, { pool: 'representatives', name: applicants.get(id)?.name ?? id, chosenBy: 'agreement' });
      for (const id of event.lawyers) seated.set(id, { pool: 'lawyers', name: applicants.get(id)?.name ?? id, chosenBy: 'agreement' });
    }
    if (event.type === 'lots-drawn') {
      for (const draw of event.draws) for (const id of draw.chosen) seated.set(id, { pool: draw.pool, name: applicants.get(id)?.name ?? id, chosenBy: 'lot' });
    }
  }
  const hearing = last(events, 'hearing-scheduled');
  const host = last(events, 'hearing-host-appointed');
  const closed = last(events, 'hearing-record-closed');
  const adopted = last(events, 'plan-adopted');
  const overruled = events.filter((event) => event.type === 'review-flag-overruled');
  const funders = events.filter((event) => event.type === 'funder-added');
  const deposits = events.filter((event) => event.type === 'deposit-confirmed');
  const runs = events.filter((event) => event.type === 'computation-run-recorded');
  const latestRun = runs.at(-1);
  const deposited = deposits.reduce((total, event) => total + BigInt(event.amountFen), 0n);
  const payable = latestRun ? BigInt(latestRun.totalPayableFen) : null;
  return {
    caseId: state.caseId,
    issuer: opening?.issuer.name ?? null,
    security: opening?.security ?? null,
    trigger: opening === null ? null : opening.type === 'penalty-decision-recorded' ? { kind: 'penalty-decision', ...opening.penalty } : { kind: 'commitment', ...opening.commitment },
    liableParties: opening?.liableParties ?? [],
    keyDates: opening?.keyDates ?? null,
    progress,
    issuerChallenges: events.filter((event) => event.type === 'issuer-challenge-recorded').map((event) => ({ kind: event.kind, filedOn: event.filedOn, body: event.body })),
    pauseRequestsRefused: events.filter((event) => event.type === 'pause-refused').map((event) => ({ on: event.on, onGroundOf: event.onGroundOf, reason: event.reason })),
    funding: {
      funders: funders.map((event) => ({ funderId: event.funderId, name: event.name, pledgeFen: event.pledgeFen })),
      pledgedFen: funders.reduce((total, event) => total + BigInt(event.pledgeFen), 0n).toString(),
      depositedFen: deposited.toString(),
      shortfallFen: payable !== null && payable > deposited ? (payable - deposited).toString() : '0',
    },
    announcement: announcement ? { endsOn: announcement.endsOn, seats: announcement.seats, drawCommitment: announcement.drawCommitment } : null,
    representatives: [...seated].map(([id, seat]) => ({ id, ...seat })),
    applicants: [...applicants].map(([id, applicant]) => ({ id, ...applicant })),
    draws: drawsOf(events),
    hearing: hearing
      ? { host: host?.name ?? null, date: hearing.date, venue: hearing.venue, agenda: hearing.agenda, evidence: hearing.evidence, record: closed?.record ?? null, recordHash: closed?.recordHash ?? null }
      : null,
    plans: events.filter((event) => event.type === 'plan-version-proposed').map((event) => ({
      version: event.version,
      hash: event.hash,
      proposedOn: event.on,
      proposedBy: event.actor.id,
      flags: event.flags.map((flag) => ({ ...flag, overruled: overruled.find((entry) => entry.version === event.version && entry.flagId === flag.id)?.reason ?? null })),
      adopted: adopted?.version === event.version,
    })),
    adoptedPlan: adopted ? { version: adopted.version, hash: adopted.planHash, hearingRecordHash: adopted.hearingRecordHash, adoptedOn: adopted.on } : null,
    computationRuns: runs.map((event) => ({ runId: event.runId, on: event.on, planVersion: event.planVersion, inputHash: event.inputHash, counts: event.counts, totalPayableFen: event.totalPayableFen })),
  };
}

/** Every lot draw of the case, as `redress verify-draw` reads it. */
export function drawsOf(events: readonly CaseEvent[]) {
  return events.flatMap((event) => (event.type === 'lots-drawn' ? event.draws : []));
}

export function planDiffView(events: readonly CaseEvent[], version: number, against: number) {
  const after = planDocumentOf(events, version);
  const before = planDocumentOf(events, against);
  if (after === null || before === null) return null;
  const changes = diffPlans(before.document, after.document);
  return { from: { version: against, hash: before.hash }, to: { version, hash: after.hash }, changes, text: { zh: formatPlanDiff(changes, 'zh'), en: formatPlanDiff(changes, 'en') } };
}

function openingOf(events: readonly CaseEvent[]) {
  const first = events[0];
  return first && (first.type === 'penalty-decision-recorded' || first.type === 'opened-under-commitment') ? first : null;
}

function last<T extends CaseEvent['type']>(events: readonly CaseEvent[], type: T): Extract<CaseEvent, { type: T }> | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.type === type) return events[i] as Extract<CaseEvent, { type: T }>;
  return undefined;
}
