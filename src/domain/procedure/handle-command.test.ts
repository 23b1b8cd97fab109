import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, sha256Hex } from '../content-hash.ts';
import { parsePlanDocument } from '../plan/plan-document.ts';
import { planContentHash } from '../plan/plan-version.ts';
import type { CaseCommand } from './case-commands.ts';
import type { CaseEvent } from './case-events.ts';
import { caseProgress } from './case-progress.ts';
import { replay, type CaseState } from './case-state.ts';
import { handleCommand, type CommandOutcome } from './handle-command.ts';
import { hearingContentHash } from './hearing-record.ts';
import { verifyDraw } from './lot-draw.ts';
import type { Notice } from './notice.ts';
import { commandAt, SAMPLE_ACTORS as A, SAMPLE_CASE_ID, SAMPLE_SEED, SAMPLE_WALK, samplePlanDocument, SAMPLE_DATA_SUMMARY_SHA256 } from './sample-case.ts';

interface Walked {
  state: CaseState;
  events: CaseEvent[];
  notices: Notice[];
  /** The state after each step, by the step's index. */
  after: CaseState[];
}

function walk(): Walked {
  let state: CaseState | null = null;
  const events: CaseEvent[] = [];
  const notices: Notice[] = [];
  const after: CaseState[] = [];
  for (const [index, step] of SAMPLE_WALK.entries()) {
    const command = commandAt(step, state);
    const outcome = handleCommand(state, command, { caseId: SAMPLE_CASE_ID, today: step.today, actor: step.actor });
    assert.ok(outcome.accepted, `step ${index} (${command.type}) was refused: ${outcome.accepted ? '' : outcome.refusal.message.en}`);
    state = outcome.state;
    events.push(...outcome.events);
    notices.push(...outcome.notices);
    after.push(state);
  }
  return { state: state!, events, notices, after };
}

function indexOf(type: CaseCommand['type'], occurrence = 0): number {
  let seen = 0;
  for (const [index, step] of SAMPLE_WALK.entries()) {
    if (step.type === type && seen++ === occurrence) return index;
  }
  throw new Error(`no step ${type} #${occurrence}`);
}

const walked = walk();

test('the penalty decision opens the case on T0 + 1 with a three-month limit; before then it is scheduled', () => {
  const first = walked.after[0]!;
  assert.equal(first.caseId, SAMPLE_CASE_ID);
  assert.equal(first.version, 1);
  assert.equal(first.opening, 'penalty-decision');
  assert.deepEqual(first.penalty, { decisionNumber: '〔2026〕8号', decisionDate: '2026-01-15', authority: '中国证监会' });
  assert.equal(first.openedOn, '2026-01-16');
  assert.equal(first.timeLimitMonths, 3);
  assert.equal(first.limitDate, '2026-04-16');
  assert.deepEqual(first.keyDates, { implementationDate: '2024-03-01', disclosureDate: '2025-06-30' });
  const onDecisionDay = caseProgress(first, '2026-01-15');
  assert.equal(onDecisionDay.phase, 'scheduled');
  // 16 days to the end of January, 28 in February, 31 in March, 16 in April.
  assert.equal(onDecisionDay.daysLeft, 91);
  assert.equal(caseProgress(first, '2026-01-16').phase, 'opened');
  assert.deepEqual(
    walked.notices.filter((notice) => notice.kind === 'case-opening').map((notice) => notice.publishOn),
    ['2026-01-16'],
  );
});

test('funding totals the pledges and the deposits by funder', () => {
  const funded = walked.after[indexOf('confirm-deposit')]!;
  assert.equal(funded.pledgedFen, 12_000_000_000n);
  assert.equal(funded.depositedFen, 6_000_000_000n);
  assert.deepEqual(
    funded.funders.map((funder) => [funder.funderId, funder.liableParty, funder.pledgedFen, funder.depositedFen]),
    [
      ['funder-sponsor', 'party-sponsor', 10_000_000_000n, 6_000_000_000n],
      ['funder-controller', 'party-controller', 2_000_000_000n, 0n],
    ],
  );
  assert.equal(funded.shortfallFen, 0n);
});

test('one representative by agreement, the rest by lot from the applicants not seated', () => {
  const agreed = walked.after[indexOf('record-selection-by-agreement')]!;
  assert.deepEqual(agreed.seats, { representatives: [{ applicantId: 'inv-陈静', by: 'agreement', on: '2026-01-22' }], lawyers: [] });
  assert.equal(caseProgress(agreed, '2026-01-30').phase, 'announcement');
  assert.equal(caseProgress(agreed, '2026-01-31').phase, 'selection');

  const drawn = walked.after[indexOf('draw-lots')]!;
  // Of [inv-Bob, inv-alice, inv-李雷, inv-王芳] the first HMAC (…80931) is 3 mod 4: inv-王芳; of
  // [law-Qian, law-sun, law-zhou] the first lawyers HMAC is 1 mod 3: law-sun (lot-draw.test.ts).
  assert.deepEqual(drawn.draw!.draws, [
    {
      commitment: '12fcbb7bc299caa09b68e39cde6c73300fb9b4b6c571a39be8fab51e2a782067',
      seedHex: SAMPLE_SEED,
      pool: 'representatives',
      applicants: ['inv-Bob', 'inv-alice', 'inv-李雷', 'inv-王芳'],
      seats: 1,
      chosen: ['inv-王芳'],
    },
    {
      commitment: '12fcbb7bc299caa09b68e39cde6c73300fb9b4b6c571a39be8fab51e2a782067',
      seedHex: SAMPLE_SEED,
      pool: 'lawyers',
      applicants: ['law-Qian', 'law-sun', 'law-zhou'],
      seats: 1,
      chosen: ['law-sun'],
    },
  ]);
  for (const draw of drawn.draw!.draws) assert.deepEqual(verifyDraw(draw), { ok: true });
  assert.deepEqual(drawn.seats.representatives.map((seat) => [seat.applicantId, seat.by]), [
    ['inv-陈静', 'agreement'],
    ['inv-王芳', 'draw'],
  ]);
  assert.deepEqual(drawn.seats.lawyers.map((seat) => [seat.applicantId, seat.by, seat.on]), [['law-sun', 'draw', '2026-01-31']]);
  assert.equal(caseProgress(drawn, '2026-01-31').phase, 'hearing');
  const result = walked.notices.find((notice) => notice.kind === 'draw-result')!;
  assert.match(result.body.zh, /中签 王芳/);
  assert.match(result.body.en, /chosen 孙律师/);
});

test('plan version 1 is flagged by the standard-terms review, version 2 is not', () => {
  const state = walked.state;
  assert.deepEqual(
    state.planVersions.map((plan) => [plan.version, plan.proposedOn, plan.proposedBy.id, plan.flags.map((flag) => flag.clauseId)]),
    [
      [1, '2026-02-02', 'funder-sponsor', ['c3']],
      [2, '2026-02-10', 'funder-sponsor', []],
    ],
  );
  assert.equal(state.planVersions[0]!.hash, planContentHash(parsePlanDocument(samplePlanDocument(1)).document));
  assert.equal(state.planVersions[1]!.hash, planContentHash(parsePlanDocument(samplePlanDocument(2)).document));
});

test('the hearing record holds the notice, agenda, evidence, attendance, statements, objections and signatures', () => {
  const hearing = walked.state.hearing!;
  assert.equal(hearing.openedOn, '2026-02-10');
  const closed = hearing.closed!;
  const record = closed.record;
  assert.equal(closed.on, '2026-02-10');
  assert.deepEqual(record.notice, { scheduledOn: '2026-02-03', date: '2026-02-10', venue: '北京市西城区金融大街 19 号' });
  assert.deepEqual(record.host, { id: 'host-sac', name: '证券业协会调解中心 王主持' });
  assert.deepEqual(
    record.evidence.map((item) => [item.id, item.sha256, item.addedOn]),
    [
      ['e1', walked.state.planVersions[0]!.hash, '2026-02-03'],
      ['e2', SAMPLE_DATA_SUMMARY_SHA256, '2026-02-03'],
      ['e3', walked.state.planVersions[1]!.hash, '2026-02-10'],
    ],
  );
  assert.deepEqual(
    record.participants.map((seat) => [seat.side, seat.participantId]),
    [
      ['liable-parties', 'funder-sponsor'],
      ['liable-parties', 'funder-controller'],
      ['liable-parties', 'party-issuer'],
      ['investors', 'inv-陈静'],
      ['investors', 'inv-王芳'],
      ['investors', 'law-sun'],
    ],
  );
  assert.equal(record.attendance.length, 6);
  assert.ok(record.attendance.every((entry) => entry.present));
  assert.deepEqual(record.statements.map((statement) => statement.speakerId), ['funder-sponsor', 'inv-陈静']);
  assert.deepEqual(record.objections, [
    { by: 'law-sun', concerning: { kind: 'agenda-item', id: 'a1' }, text: '第 c3 条免除出资人责任，属无效格式条款，应当删除。', on: '2026-02-10' },
  ]);
  // Seven signatures (host and six participants), each citing the hash of the body they signed.
  const { signatures, ...body } = record;
  assert.deepEqual(signatures.map((signature) => signature.signerId), ['host-sac', 'funder-sponsor', 'funder-controller', 'party-issuer', 'inv-陈静', 'inv-王芳', 'law-sun']);
  const bodyHash = hearingContentHash(body);
  assert.ok(signatures.every((signature) => signature.contentHash === bodyHash));
  assert.equal(bodyHash, sha256Hex(canonicalJson(body)));
  assert.equal(closed.recordHash, sha256Hex(canonicalJson(record)));
  assert.notEqual(closed.recordHash, bodyHash);
  assert.equal(caseProgress(walked.after[indexOf('close-hearing-record')]!, '2026-02-10').phase, 'plan');
  const published = walked.notices.find((notice) => notice.kind === 'hearing-record-published')!;
  assert.equal(published.publishOn, '2026-02-10');
  assert.ok(published.body.en.includes(closed.recordHash));
});

test('the adopted plan cites the record hash; a computation run above the deposits calls a top-up, a later deposit clears it', () => {
  const adoptedState = walked.after[indexOf('adopt-plan')]!;
  assert.deepEqual(adoptedState.adoptedPlan, {
    version: 2,
    planHash: walked.state.planVersions[1]!.hash,
    hearingRecordHash: walked.state.hearing!.closed!.recordHash,
    adoptedOn: '2026-02-11',
  });
  assert.equal(caseProgress(adoptedState, '2026-02-11').phase, 'computation');

  const computed = walked.after[indexOf('record-computation-run')]!;
  assert.equal(computed.computationRuns.length, 1);
  assert.deepEqual(computed.computationRuns[0]!.counts, { investors: 12840, payable: 11020, zero: 1533, ineligible: 270, rejected: 17 });
  assert.equal(computed.computationRuns[0]!.totalPayableFen, 7_500_000_000n);
  // 75 000 000.00 yuan payable, 60 000 000.00 deposited: 15 000 000.00 short.
  assert.equal(computed.shortfallFen, 1_500_000_000n);
  const call = walked.notices.filter((notice) => notice.kind === 'top-up-call');
  assert.equal(call.length, 1);
  assert.equal(call[0]!.publishOn, '2026-02-20');
  assert.match(call[0]!.body.zh, /尚差 15000000\.00 元/);

  const final = walked.state;
  assert.equal(final.depositedFen, 8_000_000_000n);
  assert.equal(final.shortfallFen, 0n);
  assert.equal(final.version, SAMPLE_WALK.length);
  assert.equal(final.lastEventOn, '2026-02-24');
});

test('progress at the end of the walk: phase, days left and every deadline met so far', () => {
  const progress = caseProgress(walked.state, '2026-02-24');
  assert.equal(progress.phase, 'computed');
  assert.equal(progress.openedOn, '2026-01-16');
  assert.equal(progress.limitDate, '2026-04-16');
  // 4 days left in February, 31 in March, 16 in April.
  assert.equal(progress.daysLeft, 51);
  assert.deepEqual(
    progress.deadlines.map((deadline) => [deadline.kind, deadline.due, deadline.met, deadline.reachedOn, deadline.tracked]),
    [
      ['opening', '2026-01-16', true, '2026-01-16', true],
      ['announcement-end', '2026-01-30', true, '2026-01-30', true],
      ['hearing', '2026-02-10', true, '2026-02-10', true],
      ['plan-adoption', '2026-03-01', true, '2026-02-11', true],
      ['review-end', '2026-03-01', false, null, false],
      ['acceptance-opens', '2026-03-02', false, null, false],
      ['acceptance-closes', '2026-03-31', false, null, false],
      ['payment', '2026-04-08', false, null, false],
      ['plan-end', '2026-04-15', false, null, false],
      ['limit', '2026-04-16', false, null, false],
    ],
  );
  assert.deepEqual(progress.breaches, []);
});

test('the notices of the walk, in order', () => {
  assert.deepEqual(
    walked.notices.map((notice) => [notice.kind, notice.publishOn]),
    [
      ['case-opening', '2026-01-16'],
      ['announcement', '2026-01-16'],
      ['selection-result', '2026-01-22'],
      ['draw-result', '2026-01-31'],
      ['plan-version-published', '2026-02-02'],
      ['hearing-notice', '2026-02-03'],
      ['plan-version-published', '2026-02-10'],
      ['hearing-record-published', '2026-02-10'],
      ['plan-adopted', '2026-02-11'],
      ['top-up-call', '2026-02-20'],
    ],
  );
  for (const notice of walked.notices) {
    assert.ok(notice.title.zh.length > 0 && notice.title.en.length > 0 && notice.body.zh.length > 0 && notice.body.en.length > 0);
  }
});

test('events are plain JSON and replay to the same state', () => {
  const copied = JSON.parse(JSON.stringify(walked.events)) as CaseEvent[];
  assert.deepEqual(copied, walked.events);
  assert.deepEqual(replay(copied), walked.state);
  assert.ok(walked.events.every((event) => event.actor.id !== '' && /^\d{4}-\d{2}-\d{2}$/.test(event.on)));
});

test('commands are validated again, so a malformed or unknown command is refused, never thrown', () => {
  const context = { caseId: SAMPLE_CASE_ID, today: '2026-02-24', actor: A.administrator };
  const outcomes: CommandOutcome[] = [
    handleCommand(walked.state, { type: 'add-funder', funderId: 'x', name: 'X', liableParty: 'other', pledgeFen: '12.50' } as CaseCommand, context),
    handleCommand(walked.state, { type: 'launch-rocket' } as unknown as CaseCommand, context),
    handleCommand(walked.state, null as unknown as CaseCommand, context),
    handleCommand(walked.state, { type: 'open-hearing', extra: 1 } as unknown as CaseCommand, { ...context, actor: A.host }),
  ];
  assert.deepEqual(
    outcomes.map((outcome) => (outcome.accepted ? 'accepted' : outcome.refusal.code)),
    ['invalid-command', 'invalid-command', 'invalid-command', 'invalid-command'],
  );
  const first = outcomes[0]!;
  assert.ok(!first.accepted && first.refusal.message.en.includes('pledgeFen'));
  const last = outcomes[3]!;
  assert.ok(!last.accepted && last.refusal.message.en.includes('extra'));
  assert.throws(() => handleCommand(walked.state, { type: 'open-hearing' }, { ...context, today: '2026-02-30' }), /YYYY-MM-DD/);
});
