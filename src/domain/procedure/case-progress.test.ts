import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaseCommand } from './case-commands.ts';
import type { CaseEvent } from './case-events.ts';
import { caseProgress, casePhase } from './case-progress.ts';
import { replay, type CaseState } from './case-state.ts';
import { handleCommand } from './handle-command.ts';
import { commandAt, SAMPLE_ACTORS as A, SAMPLE_CASE_ID, SAMPLE_WALK } from './sample-case.ts';

const decision = SAMPLE_WALK[0]!.command as Extract<CaseCommand, { type: 'record-penalty-decision' }>;

function walkTo(count: number): { state: CaseState; events: CaseEvent[] } {
  let state: CaseState | null = null;
  const events: CaseEvent[] = [];
  for (const step of SAMPLE_WALK.slice(0, count)) {
    const outcome = handleCommand(state, commandAt(step, state), { caseId: SAMPLE_CASE_ID, today: step.today, actor: step.actor });
    assert.ok(outcome.accepted);
    state = outcome.state;
    events.push(...outcome.events);
  }
  return { state: state!, events };
}

const stepOf = (type: CaseCommand['type']) => SAMPLE_WALK.findIndex((step) => step.type === type);

test('a case opened under a commitment is scheduled until its opening day; its limit ends on a month end', () => {
  const outcome = handleCommand(
    null,
    {
      type: 'open-under-commitment',
      commitmentNumber: '承诺认可〔2026〕3号',
      committedOn: '2026-11-18',
      authority: '中国证监会',
      opensOn: '2026-11-30',
      issuer: decision.issuer,
      security: decision.security,
      liableParties: decision.liableParties,
      facts: decision.facts,
    },
    { caseId: 'case-commitment', today: '2026-11-20', actor: A.administrator },
  );
  assert.ok(outcome.accepted);
  const state = outcome.state;
  assert.equal(state.opening, 'commitment');
  assert.equal(state.penalty, null);
  assert.deepEqual(state.commitment, { commitmentNumber: '承诺认可〔2026〕3号', committedOn: '2026-11-18', authority: '中国证监会' });
  assert.equal(state.openedOn, '2026-11-30');
  // 30 November plus three months: 30 February does not exist, so the last day of February.
  assert.equal(state.limitDate, '2027-02-28');
  assert.equal(caseProgress(state, '2026-11-29').phase, 'scheduled');
  // 1 day left in November, 31 in December, 31 in January, 28 in February.
  assert.equal(caseProgress(state, '2026-11-30').daysLeft, 90);
  assert.equal(caseProgress(state, '2026-11-30').phase, 'opened');
  assert.deepEqual(outcome.notices.map((notice) => [notice.kind, notice.publishOn]), [['case-opening', '2026-11-30']]);
  const early = handleCommand(state, { type: 'add-funder', funderId: 'funder-sponsor', name: '示例证券', liableParty: 'party-sponsor', pledgeFen: '100' }, {
    caseId: 'case-commitment',
    today: '2026-11-29',
    actor: A.administrator,
  });
  assert.ok(!early.accepted && early.refusal.code === 'out-of-sequence');
  assert.ok(handleCommand(state, { type: 'add-funder', funderId: 'funder-sponsor', name: '示例证券', liableParty: 'party-sponsor', pledgeFen: '100' }, { caseId: 'case-commitment', today: '2026-11-30', actor: A.administrator }).accepted);
});

test('a case may set a shorter limit than three months, counted the same way', () => {
  const outcome = handleCommand(null, { ...decision, decisionDate: '2026-01-30', timeLimitMonths: 1 }, { caseId: 'case-short', today: '2026-01-30', actor: A.administrator });
  assert.ok(outcome.accepted);
  assert.equal(outcome.state.openedOn, '2026-01-31');
  assert.equal(outcome.state.limitDate, '2026-02-28');
  assert.equal(outcome.state.timeLimitMonths, 1);
});

test('a decision recorded late opens the case on T0 + 1 all the same, and a passed limit shows at once', () => {
  const outcome = handleCommand(null, { ...decision, decisionDate: '2025-12-01' }, { caseId: 'case-late', today: '2026-03-05', actor: A.administrator });
  assert.ok(outcome.accepted);
  assert.equal(outcome.state.openedOn, '2025-12-02');
  assert.equal(outcome.state.limitDate, '2026-03-02');
  // The notice cannot be published in the past: it goes out today.
  assert.equal(outcome.notices[0]!.publishOn, '2026-03-05');
  const progress = caseProgress(outcome.state, '2026-03-05');
  assert.equal(progress.daysLeft, -3);
  assert.deepEqual(progress.breaches, [
    {
      kind: 'limit-passed',
      date: '2026-03-03',
      limitDate: '2026-03-02',
      deadline: null,
      message: { zh: '期限已于 2026-03-02 届满，案件尚未结案', en: 'the limit date 2026-03-02 has passed and the case is not closed' },
    },
  ]);
});

test('the limit date is the last day in time; the day after it is a breach', () => {
  const { state } = walkTo(SAMPLE_WALK.length);
  assert.deepEqual(caseProgress(state, '2026-04-16').breaches, []);
  assert.equal(caseProgress(state, '2026-04-16').daysLeft, 0);
  const after = caseProgress(state, '2026-04-17');
  assert.equal(after.daysLeft, -1);
  assert.deepEqual(after.breaches.map((breach) => [breach.kind, breach.date, breach.limitDate]), [['limit-passed', '2026-04-17', '2026-04-16']]);
});

test('a date after the limit in a stored log is shown as a breach, never hidden', () => {
  // A log written when an announcement could still end after the limit date (today it is refused).
  const { events } = walkTo(stepOf('open-announcement'));
  const stale: CaseEvent = { type: 'announcement-opened', on: '2026-01-16', actor: { id: 'admin-ipf', role: 'administrator' }, endsOn: '2026-04-20', seats: { representatives: 2, lawyers: 1 }, drawCommitment: 'f'.repeat(64) };
  const state = replay([...events, stale]);
  const progress = caseProgress(state, '2026-02-01');
  assert.deepEqual(progress.breaches, [
    {
      kind: 'after-limit',
      date: '2026-04-20',
      limitDate: '2026-04-16',
      deadline: 'announcement-end',
      message: { zh: '公告期届满（2026-04-20）晚于期限届满日 2026-04-16', en: 'the end of the announcement period (2026-04-20) falls after the limit date 2026-04-16' },
    },
  ]);
});

test('a hearing day that passes without the hearing is overdue, and the phase waits for it', () => {
  const { state } = walkTo(stepOf('open-hearing'));
  const progress = caseProgress(state, '2026-02-12');
  const hearing = progress.deadlines.find((deadline) => deadline.kind === 'hearing')!;
  assert.deepEqual(hearing, { kind: 'hearing', due: '2026-02-10', met: false, reachedOn: null, tracked: true, overdue: true });
  assert.equal(progress.phase, 'hearing');
  assert.equal(caseProgress(state, '2026-02-10').deadlines.find((deadline) => deadline.kind === 'hearing')!.overdue, false);
});

test('the plan-adoption deadline follows the latest draft: the limit date before any, then its review end', () => {
  const noDraft = walkTo(stepOf('propose-plan-version')).state;
  assert.equal(caseProgress(noDraft, '2026-02-02').deadlines.find((deadline) => deadline.kind === 'plan-adoption')!.due, '2026-04-16');
  const drafted = walkTo(stepOf('propose-plan-version') + 1).state;
  assert.equal(caseProgress(drafted, '2026-02-02').deadlines.find((deadline) => deadline.kind === 'plan-adoption')!.due, '2026-03-01');
  const late = caseProgress(drafted, '2026-03-02').deadlines.find((deadline) => deadline.kind === 'plan-adoption')!;
  assert.equal(late.overdue, true);
  assert.equal(late.met, false);
});

test('phases through the walk', () => {
  const phaseAfter = (type: CaseCommand['type'], today: string) => casePhase(walkTo(stepOf(type) + 1).state, today);
  assert.equal(phaseAfter('add-funder', '2026-01-16'), 'opened');
  assert.equal(phaseAfter('open-announcement', '2026-01-16'), 'announcement');
  assert.equal(phaseAfter('open-announcement', '2026-01-30'), 'announcement');
  assert.equal(phaseAfter('apply-as-lawyer', '2026-01-31'), 'selection');
  assert.equal(phaseAfter('draw-lots', '2026-01-31'), 'hearing');
  assert.equal(phaseAfter('open-hearing', '2026-02-10'), 'hearing');
  assert.equal(phaseAfter('close-hearing-record', '2026-02-10'), 'plan');
  assert.equal(phaseAfter('adopt-plan', '2026-02-11'), 'computation');
  assert.equal(phaseAfter('record-computation-run', '2026-02-20'), 'computed');
});

test('seats all filled by agreement need no draw: the hearing phase follows the period', () => {
  const { state } = walkTo(stepOf('record-selection-by-agreement'));
  const agreed = handleCommand(state, { type: 'record-selection-by-agreement', representatives: ['inv-陈静', 'inv-alice'], lawyers: ['law-zhou'] }, { caseId: SAMPLE_CASE_ID, today: '2026-01-22', actor: A.administrator });
  assert.ok(agreed.accepted);
  assert.equal(casePhase(agreed.state, '2026-01-30'), 'announcement');
  assert.equal(casePhase(agreed.state, '2026-01-31'), 'hearing');
  const draw = handleCommand(agreed.state, { type: 'draw-lots', seedHex: '00'.repeat(16) }, { caseId: SAMPLE_CASE_ID, today: '2026-01-31', actor: A.administrator });
  assert.ok(!draw.accepted && draw.refusal.code === 'out-of-sequence');
});
