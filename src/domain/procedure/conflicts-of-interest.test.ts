import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaseState } from './case-state.ts';
import { applicantConflict, funderConflict, hostConflict } from './conflicts-of-interest.ts';
import { handleCommand } from './handle-command.ts';
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

const hosted = walkTo(SAMPLE_WALK.findIndex((step) => step.type === 'appoint-hearing-host') + 1);

test('an applicant conflicts by being, working for or being related to a liable party or a funder', () => {
  const none = { applicantId: 'inv-new', ties: [], firm: null };
  assert.equal(applicantConflict(hosted, none), null);
  // Ties to anyone outside the case are allowed.
  assert.equal(applicantConflict(hosted, { ...none, ties: [{ partyId: 'another-company', relation: 'director' }] }), null);
  assert.deepEqual(applicantConflict(hosted, { ...none, applicantId: 'party-auditor' }), { zh: '申请人本身是责任主体 示例会计师事务所', en: 'the applicant is the liable party 示例会计师事务所' });
  assert.match(applicantConflict(hosted, { ...none, applicantId: 'funder-controller' })!.en, /the funder 张某/);
  assert.match(applicantConflict(hosted, { ...none, ties: [{ partyId: 'party-issuer', relation: 'shareholder' }] })!.en, /tie \(shareholder\) to the liable party 示例存储股份有限公司/);
  assert.match(applicantConflict(hosted, { ...none, ties: [{ partyId: 'funder-sponsor', relation: 'counsel' }] })!.en, /the funder 示例证券股份有限公司/);
  assert.match(applicantConflict(hosted, { ...none, firm: { id: 'funder-sponsor', name: '示例证券' } })!.en, /law firm 示例证券 is the funder/);
  assert.match(applicantConflict(hosted, { ...none, applicantId: 'host-sac' })!.en, /hearing host/);
});

test('a funder added later conflicts with an applicant it is, or one tied to it, or with the host', () => {
  assert.equal(funderConflict(hosted, 'funder-new'), null);
  assert.deepEqual(funderConflict(hosted, 'host-sac'), { withHost: true, reason: { zh: '该出资人是本案听证主持人', en: "the funder is the case's hearing host" } });
  assert.equal(funderConflict(hosted, 'inv-alice')?.withHost, false);
  // inv-李雷 declared a tie to some-other-company: that company may not become a funder.
  assert.match(funderConflict(hosted, 'some-other-company')!.reason.en, /李雷 declared a tie/);
  assert.match(funderConflict(hosted, 'firm-b')!.reason.en, /孙律师 works at this funder/);
});

test('the host may be no party, funder, applicant or seated representative', () => {
  assert.equal(hostConflict(hosted, 'host-other'), null);
  assert.match(hostConflict(hosted, 'party-issuer')!.en, /liable party/);
  assert.deepEqual(hostConflict(hosted, 'funder-sponsor'), { zh: '拟任主持人是出资人 示例证券股份有限公司', en: 'the proposed host is the funder 示例证券股份有限公司' });
  assert.match(hostConflict(hosted, 'inv-alice')!.en, /has applied/);
  assert.match(hostConflict(hosted, 'law-sun')!.en, /holds a seat among the investors' lawyers/);
});
