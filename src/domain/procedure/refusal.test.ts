import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../access/roles.ts';
import type { IsoDate } from '../market/calendar-date.ts';
import type { CaseCommand } from './case-commands.ts';
import type { CaseEvent } from './case-events.ts';
import { evolve, replay, type CaseState } from './case-state.ts';
import { handleCommand, type CommandOutcome } from './handle-command.ts';
import { REFUSAL_CODES, type RefusalCode } from './refusal.ts';
import { commandAt, SAMPLE_ACTORS as A, SAMPLE_CASE_ID, SAMPLE_WALK, samplePlanDocument, type SampleStep } from './sample-case.ts';

/*
 * Every refusal code, each triggered by a realistic mistake at the point of the sample case where
 * it would happen. A refused command must leave the state exactly as it was.
 */

const seen = new Set<RefusalCode>();

/** The state and log after the sample walk's steps before `index`, leaving out the steps `skip` names. */
function walkBefore(index: number, skip: (step: SampleStep) => boolean = () => false): { state: CaseState; events: CaseEvent[] } {
  let state: CaseState | null = null;
  const events: CaseEvent[] = [];
  for (const step of SAMPLE_WALK.slice(0, index)) {
    if (skip(step)) continue;
    const outcome = handleCommand(state, commandAt(step, state), { caseId: SAMPLE_CASE_ID, today: step.today, actor: step.actor });
    assert.ok(outcome.accepted, `${step.type} on ${step.today} was refused: ${outcome.accepted ? '' : outcome.refusal.message.en}`);
    state = outcome.state;
    events.push(...outcome.events);
  }
  assert.ok(state !== null);
  return { state, events };
}

function stateBefore(index: number, skip?: (step: SampleStep) => boolean): CaseState {
  return walkBefore(index, skip).state;
}

function stepIndex(type: CaseCommand['type'], occurrence = 0): number {
  let count = 0;
  const index = SAMPLE_WALK.findIndex((step) => step.type === type && count++ === occurrence);
  assert.ok(index >= 0, `no step ${type} #${occurrence}`);
  return index;
}

/** The state just before the n-th step of a type, and after all the steps of it with `through`. */
const before = (type: CaseCommand['type'], occurrence = 0) => stateBefore(stepIndex(type, occurrence));
const through = (type: CaseCommand['type'], occurrence = 0) => stateBefore(stepIndex(type, occurrence) + 1);

function run(state: CaseState | null, command: CaseCommand, today: IsoDate, actor: Actor): CommandOutcome {
  return handleCommand(state, command, { caseId: SAMPLE_CASE_ID, today, actor });
}

/** Asserts the refusal code, that nothing was logged (unless a pause) and that the state did not change. */
function refused(code: RefusalCode, state: CaseState | null, command: CaseCommand, today: IsoDate, actor: Actor): CommandOutcome & { accepted: false } {
  const snapshot = structuredClone(state);
  const outcome = run(state, command, today, actor);
  assert.equal(outcome.accepted, false, `${command.type} was accepted, expected ${code}`);
  if (outcome.accepted) throw new Error('unreachable');
  assert.equal(outcome.refusal.code, code, outcome.refusal.message.en);
  assert.ok(outcome.refusal.message.zh.length > 0 && outcome.refusal.message.en.length > 0);
  if (code !== 'pause-refused') assert.deepEqual(outcome.events, []);
  assert.deepEqual(state, snapshot);
  seen.add(code);
  return outcome;
}

const decision = SAMPLE_WALK[0]!.command as Extract<CaseCommand, { type: 'record-penalty-decision' }>;

test('opening: a second trigger, a future decision, key dates out of order, commands before the opening day', () => {
  const opened = stateBefore(1);
  refused('case-exists', opened, decision, '2026-01-16', A.administrator);
  refused('date-order', null, { ...decision, decisionDate: '2026-01-20' }, '2026-01-15', A.administrator);
  refused('date-order', null, { ...decision, keyDates: { implementationDate: '2025-07-01', disclosureDate: '2025-06-30' } }, '2026-01-15', A.administrator);
  refused('date-order', null, { ...decision, keyDates: { disclosureDate: '2025-06-30', baseDate: '2025-06-30' } }, '2026-01-15', A.administrator);
  // The decision was recorded on its own day; the case opens the next day.
  refused('out-of-sequence', opened, { type: 'add-funder', funderId: 'f', name: 'F', liableParty: 'other', pledgeFen: '1' }, '2026-01-15', A.administrator);
  refused('out-of-sequence', null, { type: 'add-funder', funderId: 'f', name: 'F', liableParty: 'other', pledgeFen: '1' }, '2026-01-16', A.administrator);
  refused('invalid-command', opened, { ...decision, timeLimitMonths: 4 }, '2026-01-16', A.administrator);
  const commitment: CaseCommand = {
    type: 'open-under-commitment',
    commitmentNumber: '承诺〔2026〕1号',
    committedOn: '2026-03-10',
    authority: '中国证监会',
    opensOn: '2026-03-09',
    issuer: decision.issuer,
    security: decision.security,
    liableParties: decision.liableParties,
    facts: decision.facts,
  };
  refused('date-order', null, commitment, '2026-03-10', A.administrator);
});

test('the role is checked first: a wrong role is refused before anything else is looked at', () => {
  const opened = stateBefore(1);
  refused('wrong-role', opened, decision, '2026-01-16', A.publicViewer);
  refused('wrong-role', opened, { type: 'add-funder', funderId: 'f', name: 'F', liableParty: 'nobody', pledgeFen: 'x' } as CaseCommand, '2026-01-16', A.sponsor);
  refused('wrong-role', opened, { type: 'request-pause', ground: '请暂停', onGroundOf: 'other' }, '2026-01-16', A.publicViewer);
  refused('wrong-role', through('draw-lots'), { type: 'apply-as-lawyer', applicantId: 'inv-alice', name: 'Alice Wu', firm: { id: 'x', name: 'X' }, ties: [] }, '2026-01-20', A.alice);
});

test('the clock never runs backwards: a command dated before the latest event is refused', () => {
  const deposited = through('confirm-deposit');
  assert.equal(deposited.lastEventOn, '2026-01-19');
  refused('date-order', deposited, { type: 'add-funder', funderId: 'f', name: 'F', liableParty: 'other', pledgeFen: '1' }, '2026-01-18', A.administrator);
});

test('a pause is always refused and the refusal is returned as an event to log; nothing extends the limit', () => {
  const challenged = run(
    through('confirm-deposit'),
    { type: 'record-issuer-challenge', kind: 'reconsideration', filedOn: '2026-01-18', body: '中国证监会行政复议委员会' },
    '2026-01-19',
    A.administrator,
  );
  assert.ok(challenged.accepted);
  assert.equal(challenged.state.limitDate, '2026-04-16');
  assert.deepEqual(challenged.notices.map((notice) => notice.kind), ['issuer-challenge']);

  const outcome = refused('pause-refused', challenged.state, { type: 'request-pause', ground: '发行人已申请行政复议，请求中止先行赔付。', onGroundOf: 'issuer-challenge' }, '2026-01-20', A.sun);
  assert.match(outcome.refusal.message.zh, /行政诉讼法》第五十六条/);
  assert.match(outcome.refusal.message.en, /neither pauses nor extends; it must close by 2026-04-16/);
  assert.deepEqual(outcome.events, [
    {
      type: 'pause-refused',
      on: '2026-01-20',
      actor: { id: 'law-sun', role: 'lawyer' },
      ground: '发行人已申请行政复议，请求中止先行赔付。',
      onGroundOf: 'issuer-challenge',
      reason: outcome.refusal.message,
    },
  ]);
  // The shell appends the logged event: the case remembers the attempt, and its dates do not move.
  const logged = evolve(challenged.state, outcome.events[0]!);
  assert.equal(logged.pauseRefusals.length, 1);
  assert.equal(logged.limitDate, challenged.state.limitDate);
  assert.equal(logged.openedOn, challenged.state.openedOn);
  assert.equal(logged.version, challenged.state.version + 1);

  const other = refused('pause-refused', logged, { type: 'request-pause', ground: '春节假期', onGroundOf: 'other' }, '2026-01-21', A.administrator);
  assert.match(other.refusal.message.en, /procedure step 2/);
  // Refused the same before the case opens; with no case there is nothing to pause or to log.
  refused('pause-refused', stateBefore(1), { type: 'request-pause', ground: '请暂停', onGroundOf: 'other' }, '2026-01-15', A.sponsor);
  refused('out-of-sequence', null, { type: 'request-pause', ground: '请暂停', onGroundOf: 'other' }, '2026-01-15', A.sponsor);
  // An issuer challenge cannot predate the decision it challenges.
  refused('date-order', challenged.state, { type: 'record-issuer-challenge', kind: 'litigation', filedOn: '2026-01-10', body: '北京市第一中级人民法院' }, '2026-01-20', A.administrator);
});

test('funding: unknown parties and funders, a bank reference used twice, a deposit not yet valued', () => {
  const opened = stateBefore(1);
  refused('unknown-party', opened, { type: 'add-funder', funderId: 'funder-x', name: 'X', liableParty: 'party-nobody', pledgeFen: '100' }, '2026-01-16', A.administrator);
  refused('duplicate', through('add-funder'), { type: 'add-funder', funderId: 'funder-sponsor', name: '示例证券', liableParty: 'party-sponsor', pledgeFen: '100' }, '2026-01-16', A.administrator);
  const deposited = through('confirm-deposit');
  refused('unknown-funder', deposited, { type: 'confirm-deposit', funderId: 'funder-ghost', amountFen: '100', bankReference: 'BOC-1', valueDate: '2026-01-19' }, '2026-01-19', A.administrator);
  const twice = refused(
    'duplicate',
    deposited,
    { type: 'confirm-deposit', funderId: 'funder-controller', amountFen: '100', bankReference: 'BOC-20260119-0001', valueDate: '2026-01-19' },
    '2026-01-20',
    A.administrator,
  );
  assert.match(twice.refusal.message.en, /already confirmed on 2026-01-19/);
  refused('date-order', deposited, { type: 'confirm-deposit', funderId: 'funder-controller', amountFen: '100', bankReference: 'BOC-2', valueDate: '2026-01-21' }, '2026-01-20', A.administrator);
  refused('invalid-command', deposited, { type: 'confirm-deposit', funderId: 'funder-controller', amountFen: '0', bankReference: 'BOC-2', valueDate: '2026-01-19' }, '2026-01-20', A.administrator);
});

test('announcement: the period must end after today and by the limit date, and opens once', () => {
  const funded = before('open-announcement');
  const announcement = SAMPLE_WALK[stepIndex('open-announcement')]!.command as Extract<CaseCommand, { type: 'open-announcement' }>;
  refused('date-order', funded, { ...announcement, endsOn: '2026-01-15' }, '2026-01-16', A.administrator);
  refused('beyond-time-limit', funded, { ...announcement, endsOn: '2026-04-17' }, '2026-01-16', A.administrator);
  refused('out-of-sequence', through('open-announcement'), announcement, '2026-01-17', A.administrator);
  // Applications need the period to run.
  refused('out-of-sequence', funded, { type: 'apply-as-representative', applicantId: 'inv-Bob', name: 'Bob Chen', ties: [] }, '2026-01-16', A.bob);
});

test('applications: conflicts of interest, applying for someone else, applying twice, applying late', () => {
  const open = before('apply-as-representative');
  const related = refused(
    'conflict-of-interest',
    open,
    { type: 'apply-as-representative', applicantId: 'inv-Bob', name: 'Bob Chen', ties: [{ partyId: 'party-controller', relation: 'relative' }] },
    '2026-01-20',
    A.bob,
  );
  assert.match(related.refusal.message.en, /tie \(relative\) to the liable party 张某/);
  refused(
    'conflict-of-interest',
    open,
    { type: 'apply-as-lawyer', applicantId: 'law-sun', name: '孙律师', firm: { id: 'firm-b', name: '乙律师事务所' }, ties: [{ partyId: 'funder-sponsor', relation: 'counsel' }] },
    '2026-01-20',
    A.sun,
  );
  refused(
    'conflict-of-interest',
    open,
    { type: 'apply-as-lawyer', applicantId: 'law-sun', name: '孙律师', firm: { id: 'party-auditor', name: '示例会计师事务所' }, ties: [] },
    '2026-01-20',
    A.sun,
  );
  const controllerAsInvestor = { id: 'funder-controller', role: 'representative', name: '张某' } as const;
  refused('conflict-of-interest', open, { type: 'apply-as-representative', applicantId: 'funder-controller', name: '张某', ties: [] }, '2026-01-20', controllerAsInvestor);
  refused('acting-for-another', open, { type: 'apply-as-representative', applicantId: 'inv-Bob', name: 'Bob Chen', ties: [] }, '2026-01-20', A.alice);

  const applied = through('apply-as-representative');
  refused('duplicate', applied, { type: 'apply-as-representative', applicantId: 'inv-Bob', name: 'Bob Chen', ties: [] }, '2026-01-21', A.bob);
  // A funder added after the applications must be free of the applicants too.
  refused('conflict-of-interest', applied, { type: 'add-funder', funderId: 'inv-Bob', name: 'Bob Chen', liableParty: 'other', pledgeFen: '100' }, '2026-01-21', A.administrator);
  const lateComer = { id: 'inv-late', role: 'representative', name: '迟到者' } as const;
  refused('out-of-sequence', through('draw-lots'), { type: 'apply-as-representative', applicantId: 'inv-late', name: '迟到者', ties: [] }, '2026-01-31', lateComer);
});

test('selection by agreement: only applicants of the pool, never more than the seats, only while the period runs', () => {
  const applied = before('record-selection-by-agreement');
  refused('not-an-applicant', applied, { type: 'record-selection-by-agreement', representatives: ['inv-nobody'], lawyers: [] }, '2026-01-22', A.administrator);
  refused('not-an-applicant', applied, { type: 'record-selection-by-agreement', representatives: ['law-sun'], lawyers: [] }, '2026-01-22', A.administrator);
  refused('seat-taken', applied, { type: 'record-selection-by-agreement', representatives: ['inv-Bob', 'inv-alice', 'inv-陈静'], lawyers: [] }, '2026-01-22', A.administrator);
  const agreed = through('record-selection-by-agreement');
  const full = refused('seat-taken', agreed, { type: 'record-selection-by-agreement', representatives: ['inv-Bob', 'inv-alice'], lawyers: [] }, '2026-01-23', A.administrator);
  assert.match(full.refusal.message.en, /only 1 of the representatives' seats are free, not 2/);
  refused('duplicate', agreed, { type: 'record-selection-by-agreement', representatives: ['inv-陈静'], lawyers: [] }, '2026-01-23', A.administrator);
  refused('out-of-sequence', agreed, { type: 'record-selection-by-agreement', representatives: ['inv-Bob'], lawyers: [] }, '2026-01-31', A.administrator);
});

test('the draw: only after the period, only with the committed seed, only once', () => {
  const agreed = before('draw-lots');
  const seed = (SAMPLE_WALK[stepIndex('draw-lots')]!.command as { seedHex: string }).seedHex;
  refused('out-of-sequence', agreed, { type: 'draw-lots', seedHex: seed }, '2026-01-30', A.administrator);
  const wrong = refused('draw-commitment-mismatch', agreed, { type: 'draw-lots', seedHex: '00'.repeat(32) }, '2026-01-31', A.administrator);
  assert.match(wrong.refusal.message.en, /not the commitment 12fcbb7b/);
  refused('out-of-sequence', through('draw-lots'), { type: 'draw-lots', seedHex: seed }, '2026-02-01', A.administrator);
});

test('the hearing host: free of both sides, and the only one who acts as host', () => {
  const drawn = before('appoint-hearing-host');
  refused('host-conflict', drawn, { type: 'appoint-hearing-host', hostId: 'funder-sponsor', name: '示例证券' }, '2026-02-02', A.administrator);
  refused('host-conflict', drawn, { type: 'appoint-hearing-host', hostId: 'party-auditor', name: '示例会计师事务所' }, '2026-02-02', A.administrator);
  const applicant = refused('host-conflict', drawn, { type: 'appoint-hearing-host', hostId: 'inv-Bob', name: 'Bob Chen' }, '2026-02-02', A.administrator);
  assert.match(applicant.refusal.message.en, /has applied as one of the investors' representatives/);
  const seated = refused('host-conflict', drawn, { type: 'appoint-hearing-host', hostId: 'inv-王芳', name: '王芳' }, '2026-02-02', A.administrator);
  assert.match(seated.refusal.message.en, /holds a seat/);
  const hosted = through('appoint-hearing-host');
  refused('host-conflict', hosted, { type: 'add-funder', funderId: 'host-sac', name: '调解中心', liableParty: 'other', pledgeFen: '100' }, '2026-02-02', A.administrator);
  refused('duplicate', hosted, { type: 'appoint-hearing-host', hostId: 'host-sac', name: '证券业协会调解中心 王主持' }, '2026-02-02', A.administrator);
  const impostor = { id: 'host-other', role: 'hearing-host', name: '另一主持人' } as const;
  const schedule = commandAt(SAMPLE_WALK[stepIndex('schedule-hearing')]!, before('schedule-hearing'));
  refused('not-appointed-host', before('schedule-hearing'), schedule, '2026-02-03', impostor);
  refused('out-of-sequence', drawn, schedule, '2026-02-02', A.host);
});

test('scheduling the hearing: after the period, with three days notice, by the limit date', () => {
  const ready = before('schedule-hearing');
  const schedule = commandAt(SAMPLE_WALK[stepIndex('schedule-hearing')]!, ready) as Extract<CaseCommand, { type: 'schedule-hearing' }>;
  const short = refused('short-notice', ready, { ...schedule, date: '2026-02-05' }, '2026-02-03', A.host);
  assert.match(short.refusal.message.en, /2026-02-06 at the earliest/);
  refused('beyond-time-limit', ready, { ...schedule, date: '2026-04-17' }, '2026-02-03', A.host);
  refused('date-order', ready, { ...schedule, date: '2026-01-30' }, '2026-02-03', A.host);
  refused('invalid-command', ready, { ...schedule, agenda: [] }, '2026-02-03', A.host);
  // The limit date itself is allowed.
  assert.ok(run(ready, { ...schedule, date: '2026-04-16' }, '2026-02-03', A.host).accepted);
});

test('seating the hearing: the investor side only seated representatives and lawyers, the other only funders and liable parties', () => {
  const scheduled = before('seat-hearing-participant');
  refused('ineligible-participant', scheduled, { type: 'seat-hearing-participant', side: 'investors', participantId: 'inv-Bob', name: 'Bob Chen', capacity: '投资者' }, '2026-02-04', A.host);
  refused('ineligible-participant', scheduled, { type: 'seat-hearing-participant', side: 'investors', participantId: 'funder-sponsor', name: '示例证券', capacity: '保荐机构' }, '2026-02-04', A.host);
  refused('ineligible-participant', scheduled, { type: 'seat-hearing-participant', side: 'liable-parties', participantId: 'inv-王芳', name: '王芳', capacity: '投资者代表' }, '2026-02-04', A.host);
  refused('duplicate', through('seat-hearing-participant'), { type: 'seat-hearing-participant', side: 'liable-parties', participantId: 'funder-sponsor', name: '示例证券', capacity: '保荐机构' }, '2026-02-04', A.host);
});

test('opening the hearing: on its date, with equal sides', () => {
  const fiveSeated = before('seat-hearing-participant', 5);
  const unbalanced = refused('seats-unbalanced', fiveSeated, { type: 'open-hearing' }, '2026-02-10', A.host);
  assert.match(unbalanced.refusal.message.en, /liable parties 3, investors 2/);
  refused('date-order', before('open-hearing'), { type: 'open-hearing' }, '2026-02-09', A.host);
  refused('out-of-sequence', before('open-hearing'), { type: 'record-statement', speakerId: 'inv-陈静', text: '发言' }, '2026-02-09', A.host);
  refused('out-of-sequence', through('open-hearing'), { type: 'open-hearing' }, '2026-02-10', A.host);
});

test('during the hearing: only participants speak and object, on what is on the record', () => {
  const open = before('record-statement');
  refused('not-a-participant', open, { type: 'record-statement', speakerId: 'inv-Bob', text: '我也要发言' }, '2026-02-10', A.host);
  refused('not-a-participant', open, { type: 'record-objection', by: 'inv-Bob', concerning: { kind: 'evidence', id: 'e2' }, text: '异议' }, '2026-02-10', A.host);
  refused('not-a-participant', open, { type: 'record-attendance', participantId: 'inv-Bob', present: true }, '2026-02-10', A.host);
  refused('unknown-reference', open, { type: 'record-objection', by: 'law-sun', concerning: { kind: 'evidence', id: 'e9' }, text: '异议' }, '2026-02-10', A.host);
  refused('unknown-reference', open, { type: 'record-objection', by: 'law-sun', concerning: { kind: 'agenda-item', id: 'e2' }, text: '异议' }, '2026-02-10', A.host);
  refused('duplicate', open, { type: 'record-attendance', participantId: 'law-sun', present: false }, '2026-02-10', A.host);
  refused('duplicate', open, { type: 'add-evidence', id: 'e1', title: '重复编号', sha256: 'a'.repeat(64) }, '2026-02-10', A.host);
  refused('not-appointed-host', open, { type: 'record-statement', speakerId: 'inv-陈静', text: '发言' }, '2026-02-10', { id: 'host-other', role: 'hearing-host', name: '另一主持人' });
});

test('signing: each for themselves, in their own capacity, once; the first signature freezes the record', () => {
  const unsigned = before('sign-hearing-record');
  refused('acting-for-another', unsigned, { type: 'sign-hearing-record', signerId: 'inv-王芳' }, '2026-02-10', A.chen);
  refused('not-a-participant', unsigned, { type: 'sign-hearing-record', signerId: 'inv-Bob' }, '2026-02-10', A.bob);
  const sunAsRepresentative = { id: 'law-sun', role: 'representative', name: '孙律师' } as const;
  refused('wrong-role', unsigned, { type: 'sign-hearing-record', signerId: 'law-sun' }, '2026-02-10', sunAsRepresentative);
  const signedOnce = through('sign-hearing-record');
  refused('duplicate', signedOnce, { type: 'sign-hearing-record', signerId: 'host-sac' }, '2026-02-10', A.host);
  refused('out-of-sequence', signedOnce, { type: 'record-statement', speakerId: 'inv-陈静', text: '补充发言' }, '2026-02-10', A.host);
  refused('out-of-sequence', signedOnce, { type: 'add-evidence', id: 'e9', title: '补充证据', sha256: 'b'.repeat(64) }, '2026-02-10', A.host);
  const missing = refused('signatures-missing', before('sign-hearing-record', 6), { type: 'close-hearing-record' }, '2026-02-10', A.host);
  assert.match(missing.refusal.message.en, /not yet signed by: 孙律师/);
  refused('out-of-sequence', through('close-hearing-record'), { type: 'close-hearing-record' }, '2026-02-10', A.host);
});

test('plan versions: valid, within the limit, new, from a registered funder, and only before the record closes', () => {
  const hosted = before('propose-plan-version');
  const invalid = refused('invalid-plan', hosted, { type: 'propose-plan-version', document: { ...samplePlanDocument(1), fund: { sizeFen: '1.5', topUpRule: '补足' } } }, '2026-02-02', A.sponsor);
  assert.match(invalid.refusal.message.en, /invalid at fund\.sizeFen/);
  refused('invalid-plan', hosted, { type: 'propose-plan-version', document: 'not a plan' }, '2026-02-02', A.sponsor);
  const late = samplePlanDocument(1) as { timetable: Record<string, string> };
  refused('beyond-time-limit', hosted, { type: 'propose-plan-version', document: { ...late, timetable: { ...late.timetable, endsOn: '2026-04-17' } } }, '2026-02-02', A.sponsor);
  const stranger = { id: 'funder-stranger', role: 'funder', name: '陌生出资人' } as const;
  refused('not-a-funder', hosted, { type: 'propose-plan-version', document: samplePlanDocument(1) }, '2026-02-02', stranger);
  const proposed = through('propose-plan-version');
  const again = refused('duplicate', proposed, { type: 'propose-plan-version', document: JSON.parse(JSON.stringify(samplePlanDocument(1))) }, '2026-02-03', A.administrator);
  assert.match(again.refusal.message.en, /identical to version 1/);
  refused('out-of-sequence', through('close-hearing-record'), { type: 'propose-plan-version', document: { ...samplePlanDocument(2), title: '第三版' } }, '2026-02-11', A.sponsor);
});

test('adoption: on the closed record that holds the plan, with every flag overruled, once', () => {
  const unclosed = before('close-hearing-record');
  refused('record-not-closed', unclosed, { type: 'adopt-plan', version: 2, hearingRecordHash: 'c'.repeat(64) }, '2026-02-10', A.host);
  const closed = through('close-hearing-record');
  const recordHash = closed.hearing!.closed!.recordHash;
  const wrongHash = refused('record-not-closed', closed, { type: 'adopt-plan', version: 2, hearingRecordHash: 'c'.repeat(64) }, '2026-02-11', A.host);
  assert.match(wrongHash.refusal.message.en, new RegExp(`not that of the closed record, ${recordHash}`));
  refused('unknown-plan-version', closed, { type: 'adopt-plan', version: 9, hearingRecordHash: recordHash }, '2026-02-11', A.host);
  const flagged = refused('review-flags-open', closed, { type: 'adopt-plan', version: 1, hearingRecordHash: recordHash }, '2026-02-11', A.host);
  const flagId = closed.planVersions[0]!.flags[0]!.id;
  assert.match(flagged.refusal.message.en, new RegExp(flagId));
  refused('unknown-flag', closed, { type: 'overrule-review-flag', version: 1, flagId: 'c1:none', reason: '无' }, '2026-02-11', A.host);
  refused('unknown-plan-version', closed, { type: 'overrule-review-flag', version: 7, flagId, reason: '无' }, '2026-02-11', A.host);
  refused('invalid-command', closed, { type: 'overrule-review-flag', version: 1, flagId, reason: '   ' }, '2026-02-11', A.host);

  // Overruled with a recorded reason, version 1 could be adopted instead.
  const overruled = run(closed, { type: 'overrule-review-flag', version: 1, flagId, reason: '听证中各方确认该条款仅指超出方案范围的请求。' }, '2026-02-11', A.host);
  assert.ok(overruled.accepted);
  assert.deepEqual(overruled.state.planVersions[0]!.overrules, [{ flagId, reason: '听证中各方确认该条款仅指超出方案范围的请求。', on: '2026-02-11', by: 'host-sac' }]);
  refused('duplicate', overruled.state, { type: 'overrule-review-flag', version: 1, flagId, reason: '再次' }, '2026-02-11', A.host);
  const adoptedOne = run(overruled.state, { type: 'adopt-plan', version: 1, hearingRecordHash: recordHash }, '2026-02-11', A.host);
  assert.ok(adoptedOne.accepted);
  assert.equal(adoptedOne.state.adoptedPlan!.version, 1);

  // After its review period has ended a version can no longer be adopted.
  refused('date-order', closed, { type: 'adopt-plan', version: 2, hearingRecordHash: recordHash }, '2026-03-02', A.host);

  const adopted = through('adopt-plan');
  refused('out-of-sequence', adopted, { type: 'adopt-plan', version: 2, hearingRecordHash: recordHash }, '2026-02-12', A.host);
  refused('out-of-sequence', adopted, { type: 'overrule-review-flag', version: 1, flagId, reason: '晚了' }, '2026-02-12', A.host);
  refused('out-of-sequence', adopted, { type: 'propose-plan-version', document: { ...samplePlanDocument(2), title: '第三版' } }, '2026-02-12', A.sponsor);
});

test('a plan rests only on the record: a version never laid before the hearing as evidence is not adopted', () => {
  // The same case, except that version 2 was never laid before the hearing as evidence.
  const withoutV2 = stateBefore(stepIndex('adopt-plan'), (step) => step.type === 'add-evidence');
  refused('plan-not-in-record', withoutV2, { type: 'adopt-plan', version: 2, hearingRecordHash: withoutV2.hearing!.closed!.recordHash }, '2026-02-11', A.host);
  assert.match(through('adopt-plan').adoptedPlan!.hearingRecordHash, /^[0-9a-f]{64}$/);
});

test('computation runs: only against the adopted plan, each run once', () => {
  const { state: adopted, events: log } = walkBefore(stepIndex('adopt-plan') + 1);
  const runCommand = commandAt(SAMPLE_WALK[stepIndex('record-computation-run')]!, adopted) as Extract<CaseCommand, { type: 'record-computation-run' }>;
  refused('out-of-sequence', before('adopt-plan'), runCommand, '2026-02-20', A.administrator);
  refused('plan-mismatch', adopted, { ...runCommand, planVersion: 1, planHash: adopted.planVersions[0]!.hash }, '2026-02-20', A.administrator);
  refused('plan-mismatch', adopted, { ...runCommand, planHash: 'd'.repeat(64) }, '2026-02-20', A.administrator);
  refused('invalid-command', adopted, { ...runCommand, counts: { ...runCommand.counts, investors: 1 } }, '2026-02-20', A.administrator);
  const first = run(adopted, runCommand, '2026-02-20', A.administrator);
  assert.ok(first.accepted);
  refused('duplicate', first.state, runCommand, '2026-02-21', A.administrator);
  // A rerun with a lower total replaces the shortfall: the latest run counts.
  const rerun = run(first.state, { ...runCommand, runId: 'run-2', totalPayableFen: '5000000000' }, '2026-02-21', A.administrator);
  assert.ok(rerun.accepted);
  assert.equal(rerun.state.shortfallFen, 0n);
  assert.deepEqual(rerun.notices, []);
  assert.deepEqual(replay([...log, ...first.events, ...rerun.events]), rerun.state);
  assert.deepEqual(rerun.state.computationRuns.map((entry) => entry.runId), ['run-1', 'run-2']);
});

test('every refusal code the procedure gives is triggered by one of the tests above', () => {
  assert.deepEqual(
    REFUSAL_CODES.filter((code) => !seen.has(code)),
    [],
  );
});
