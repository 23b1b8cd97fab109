import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Actor } from '../access/roles.ts';
import type { CaseCommand } from './case-commands.ts';
import type { CaseEvent } from './case-events.ts';
import { evolve, replay, type CaseState } from './case-state.ts';
import { handleCommand } from './handle-command.ts';
import { commandAt, SAMPLE_ACTORS as A, SAMPLE_CASE_ID, SAMPLE_WALK, samplePlanDocument } from './sample-case.ts';

/**
 * Properties of the machine over many histories: the sample walk with steps left out and other
 * commands (mistakes, repeats, pauses, challenges, extra deposits) slipped in between. Most
 * histories go wrong somewhere, which is the point: whatever is accepted or refused, the state
 * handed back step by step is exactly the replay of the events the shell would store, and a
 * refused command never changes anything.
 */

type Extra = { actor: Actor; command: CaseCommand };

const EXTRAS: readonly Extra[] = [
  { actor: A.sun, command: { type: 'request-pause', ground: '发行人已提起行政诉讼', onGroundOf: 'issuer-challenge' } },
  { actor: A.administrator, command: { type: 'record-issuer-challenge', kind: 'litigation', filedOn: '2026-01-20', body: '北京市第一中级人民法院' } },
  { actor: A.administrator, command: { type: 'confirm-deposit', funderId: 'funder-controller', amountFen: '150000000', bankReference: 'CCB-0007', valueDate: '2026-01-20' } },
  { actor: A.administrator, command: { type: 'confirm-deposit', funderId: 'funder-sponsor', amountFen: '100', bankReference: 'BOC-20260119-0001', valueDate: '2026-01-19' } },
  { actor: A.administrator, command: { type: 'add-funder', funderId: 'funder-auditor', name: '示例会计师事务所', liableParty: 'party-auditor', pledgeFen: '500000000' } },
  { actor: A.publicViewer, command: { type: 'draw-lots', seedHex: '00'.repeat(16) } },
  { actor: A.administrator, command: { type: 'draw-lots', seedHex: '00'.repeat(16) } },
  { actor: A.bob, command: { type: 'apply-as-representative', applicantId: 'inv-Bob', name: 'Bob Chen', ties: [{ partyId: 'party-issuer', relation: 'employee' }] } },
  { actor: A.administrator, command: { type: 'record-selection-by-agreement', representatives: ['inv-Bob', 'inv-alice'], lawyers: ['law-zhou'] } },
  { actor: A.administrator, command: { type: 'appoint-hearing-host', hostId: 'host-sac', name: '证券业协会调解中心 王主持' } },
  { actor: A.host, command: { type: 'open-hearing' } },
  { actor: A.host, command: { type: 'close-hearing-record' } },
  { actor: A.wang, command: { type: 'sign-hearing-record', signerId: 'inv-王芳' } },
  { actor: A.administrator, command: { type: 'propose-plan-version', document: { ...samplePlanDocument(2), title: '另一版本' } } },
  { actor: A.host, command: { type: 'record-statement', speakerId: 'inv-Bob', text: '旁听者发言' } },
  { actor: A.administrator, command: { type: 'open-announcement', endsOn: '2026-02-27', seats: { representatives: 1, lawyers: 0 }, drawCommitment: 'e'.repeat(64) } },
];

const history = fc.array(
  fc.record({
    // Mostly kept, so that many histories reach the hearing and beyond.
    keep: fc.integer({ min: 0, max: 19 }).map((draw) => draw > 0),
    extra: fc.option(fc.nat({ max: EXTRAS.length - 1 }), { freq: 3 }),
  }),
  { minLength: SAMPLE_WALK.length, maxLength: SAMPLE_WALK.length },
);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

test('replaying the stored events gives the state returned step by step, and refusals change nothing', () => {
  fc.assert(
    fc.property(history, (choices) => {
      let state: CaseState | null = null;
      const log: CaseEvent[] = [];
      for (const [index, choice] of choices.entries()) {
        const step = SAMPLE_WALK[index]!;
        const attempts: { actor: Actor; command: CaseCommand }[] = [];
        if (choice.extra !== null) attempts.push(EXTRAS[choice.extra]!);
        if (choice.keep || index === 0) {
          let command: CaseCommand | null;
          try {
            command = commandAt(step, state);
          } catch {
            command = null; // the step cites something this history never produced
          }
          if (command !== null) attempts.push({ actor: step.actor, command });
        }
        for (const attempt of attempts) {
          const before: CaseState | null = structuredClone(state);
          // Frozen, so that any change to the given state throws instead of passing unnoticed.
          const outcome = handleCommand(deepFreeze(state), attempt.command, { caseId: SAMPLE_CASE_ID, today: step.today, actor: attempt.actor });
          if (outcome.accepted) {
            assert.ok(outcome.events.length > 0);
            log.push(...outcome.events);
            assert.equal(outcome.state.version, log.length);
            assert.deepEqual(replay(log), outcome.state);
            state = outcome.state;
          } else {
            assert.deepEqual(state, before);
            // Only a refused pause logs anything, and only in an existing case.
            if (outcome.refusal.code === 'pause-refused') {
              assert.deepEqual(outcome.events.map((event) => event.type), ['pause-refused']);
              assert.ok(state !== null);
              log.push(...outcome.events);
              state = evolve(state, outcome.events[0]!);
              assert.deepEqual(replay(log), state);
            } else {
              assert.deepEqual(outcome.events, []);
            }
          }
        }
      }
      if (state !== null) assert.deepEqual(replay(JSON.parse(JSON.stringify(log)) as CaseEvent[]), state);
    }),
    { numRuns: 150 },
  );
});

test('no history moves the limit date, and the shortfall is the latest total less the deposits', () => {
  fc.assert(
    fc.property(history, (choices) => {
      let state: CaseState | null = null;
      for (const [index, choice] of choices.entries()) {
        const step = SAMPLE_WALK[index]!;
        const attempts: { actor: Actor; command: CaseCommand }[] = choice.extra === null ? [] : [EXTRAS[choice.extra]!];
        if (choice.keep || index === 0) {
          try {
            attempts.push({ actor: step.actor, command: commandAt(step, state) });
          } catch {
            // the step cites something this history never produced
          }
        }
        for (const attempt of attempts) {
          const outcome = handleCommand(state, attempt.command, { caseId: SAMPLE_CASE_ID, today: step.today, actor: attempt.actor });
          if (!outcome.accepted) continue;
          state = outcome.state;
          assert.equal(state.limitDate, '2026-04-16');
          assert.equal(state.openedOn, '2026-01-16');
          const deposited = state.deposits.reduce((sum, deposit) => sum + deposit.amountFen, 0n);
          assert.equal(state.depositedFen, deposited);
          const latest = state.computationRuns.at(-1);
          const expected = latest === undefined || latest.totalPayableFen <= deposited ? 0n : latest.totalPayableFen - deposited;
          assert.equal(state.shortfallFen, expected);
          assert.ok(state.seats.representatives.length <= (state.announcement?.seats.representatives ?? 0));
          assert.ok(state.seats.lawyers.length <= (state.announcement?.seats.lawyers ?? 0));
        }
      }
    }),
    { numRuns: 100 },
  );
});

test('evolve refuses a log that does not start with the case opening, or opens a case twice', () => {
  const first = handleCommand(null, commandAt(SAMPLE_WALK[0]!, null), { caseId: SAMPLE_CASE_ID, today: '2026-01-15', actor: A.administrator });
  assert.ok(first.accepted);
  const opening = first.events[0]!;
  assert.throws(() => evolve(null, { type: 'hearing-opened', on: '2026-02-10', actor: { id: 'host-sac', role: 'hearing-host' } }), /needs a case/);
  assert.throws(() => evolve(first.state, opening), /already exists/);
  assert.throws(() => replay([]), /empty log/);
});
