import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, sha256Hex } from '../content-hash.ts';
import type { CaseState } from './case-state.ts';
import { handleCommand } from './handle-command.ts';
import { hearingContentHash, hearingRecordBodyOf, hearingRecordHash, type HearingRecord } from './hearing-record.ts';
import { commandAt, SAMPLE_CASE_ID, SAMPLE_WALK } from './sample-case.ts';

function walkTo(count: number): CaseState {
  let state: CaseState | null = null;
  for (const step of SAMPLE_WALK.slice(0, count)) {
    const outcome = handleCommand(state, commandAt(step, state), { caseId: SAMPLE_CASE_ID, today: step.today, actor: step.actor });
    assert.ok(outcome.accepted);
    state = outcome.state;
  }
  return state!;
}

const closed = walkTo(SAMPLE_WALK.findIndex((step) => step.type === 'close-hearing-record') + 1);
const record = closed.hearing!.closed!.record;

test('there is no record body before the hearing opens', () => {
  assert.equal(hearingRecordBodyOf(walkTo(SAMPLE_WALK.findIndex((step) => step.type === 'open-hearing'))), null);
});

test('the record hash is SHA-256 of the canonical JSON of the whole record, signatures included', () => {
  assert.equal(hearingRecordHash(record), sha256Hex(canonicalJson(record)));
  assert.equal(closed.hearing!.closed!.recordHash, hearingRecordHash(record));
  const { signatures, ...body } = record;
  assert.equal(hearingContentHash(body), sha256Hex(canonicalJson(body)));
  assert.deepEqual(hearingRecordBodyOf(closed), body);
  assert.equal(signatures.length, 7);
});

test('any change to what was said, who signed or the evidence changes the record hash', () => {
  const original = hearingRecordHash(record);
  const changes: HearingRecord[] = [
    { ...record, statements: record.statements.map((statement, index) => (index === 0 ? { ...statement, text: `${statement.text} ` } : statement)) },
    { ...record, signatures: record.signatures.slice(0, -1) },
    { ...record, evidence: record.evidence.map((item, index) => (index === 1 ? { ...item, sha256: '0'.repeat(64) } : item)) },
    { ...record, attendance: record.attendance.map((entry, index) => (index === 0 ? { ...entry, present: false } : entry)) },
  ];
  for (const changed of changes) assert.notEqual(hearingRecordHash(changed), original);
  // Key order is not content: the same record built in another order has the same hash.
  const reordered = Object.fromEntries(Object.entries(record).reverse()) as HearingRecord;
  assert.equal(hearingRecordHash(reordered), original);
});
