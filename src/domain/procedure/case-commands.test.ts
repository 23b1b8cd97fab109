import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROLES } from '../access/roles.ts';
import { CASE_COMMAND_TYPES, caseCommandSchemas, COMMAND_ROLES, parseCaseCommand } from './case-commands.ts';

test('every command names who may issue it; the public issues none, and only the pause is open to all others', () => {
  assert.deepEqual(Object.keys(COMMAND_ROLES).sort(), [...CASE_COMMAND_TYPES].sort());
  for (const type of CASE_COMMAND_TYPES) {
    assert.ok(COMMAND_ROLES[type].length > 0, type);
    assert.ok(!COMMAND_ROLES[type].includes('public'), type);
  }
  assert.deepEqual([...COMMAND_ROLES['request-pause']].sort(), ROLES.filter((role) => role !== 'public').sort());
  assert.deepEqual(COMMAND_ROLES['apply-as-representative'], ['representative']);
  assert.deepEqual(COMMAND_ROLES['apply-as-lawyer'], ['lawyer']);
  assert.deepEqual([...COMMAND_ROLES['propose-plan-version']].sort(), ['administrator', 'funder']);
  assert.equal(CASE_COMMAND_TYPES.length, 25);
});

test('a valid body parses, with names trimmed and defaults left absent', () => {
  const parsed = parseCaseCommand({ type: 'add-funder', funderId: 'funder-1', name: '  示例证券  ', liableParty: 'other', pledgeFen: '150000000' });
  assert.deepEqual(parsed, { ok: true, command: { type: 'add-funder', funderId: 'funder-1', name: '示例证券', liableParty: 'other', pledgeFen: '150000000' } });
  assert.deepEqual(parseCaseCommand({ type: 'open-hearing' }), { ok: true, command: { type: 'open-hearing' } });
});

test('problems are located by path', () => {
  assert.deepEqual(parseCaseCommand({ type: 'nope' }), { ok: false, path: ['type'], message: 'unknown command type "nope"' });
  assert.deepEqual(parseCaseCommand([]), { ok: false, path: [], message: 'a command is an object' });
  const extra = parseCaseCommand({ type: 'open-hearing', when: 'now' });
  assert.ok(!extra.ok && extra.path.join('.') === 'when');
  // Money never travels as a JSON number.
  const number = parseCaseCommand({ type: 'confirm-deposit', funderId: 'f', amountFen: 100, bankReference: 'r', valueDate: '2026-01-19' });
  assert.ok(!number.ok && number.path.join('.') === 'amountFen');
  const date = parseCaseCommand({ type: 'confirm-deposit', funderId: 'f', amountFen: '100', bankReference: 'r', valueDate: '2026-02-30' });
  assert.ok(!date.ok && date.path.join('.') === 'valueDate');
  const seed = parseCaseCommand({ type: 'draw-lots', seedHex: 'AB'.repeat(16) });
  assert.ok(!seed.ok && seed.path.join('.') === 'seedHex');
  const shortSeed = parseCaseCommand({ type: 'draw-lots', seedHex: 'ab'.repeat(15) });
  assert.ok(!shortSeed.ok);
  const spaced = parseCaseCommand({ type: 'appoint-hearing-host', hostId: ' host', name: 'H' });
  assert.ok(!spaced.ok && spaced.path.join('.') === 'hostId');
});

test('liable parties: at least one, ids unique, and "other" reserved for funders', () => {
  const base = {
    type: 'record-penalty-decision',
    decisionNumber: '〔2026〕8号',
    decisionDate: '2026-01-15',
    authority: '中国证监会',
    issuer: '示例存储股份有限公司',
    security: { code: '688999', name: '示例存储' },
    facts: '虚增收入',
  };
  assert.ok(parseCaseCommand({ ...base, liableParties: [{ id: 'p', name: 'P', kind: 'issuer' }] }).ok);
  assert.ok(!parseCaseCommand({ ...base, liableParties: [] }).ok);
  assert.ok(!parseCaseCommand({ ...base, liableParties: [{ id: 'other', name: 'P', kind: 'issuer' }] }).ok);
  assert.ok(!parseCaseCommand({ ...base, liableParties: [{ id: 'p', name: 'P', kind: 'issuer' }, { id: 'p', name: 'Q', kind: 'auditor' }] }).ok);
  assert.ok(!parseCaseCommand({ ...base, liableParties: [{ id: 'p', name: 'P', kind: 'bank' }] }).ok);
  assert.ok(!parseCaseCommand({ ...base, liableParties: [{ id: 'p', name: 'P', kind: 'issuer' }], timeLimitMonths: 4 }).ok);
  assert.ok(!parseCaseCommand({ ...base, liableParties: [{ id: 'p', name: 'P', kind: 'issuer' }], timeLimitMonths: 0 }).ok);
});

test('the payload schemas are what the API validates request bodies with', () => {
  assert.ok(caseCommandSchemas['request-pause'].safeParse({ ground: '复议', onGroundOf: 'issuer-challenge' }).success);
  assert.ok(!caseCommandSchemas['request-pause'].safeParse({ ground: '复议', onGroundOf: 'holiday' }).success);
  assert.ok(!caseCommandSchemas['record-selection-by-agreement'].safeParse({ representatives: [], lawyers: [] }).success);
  assert.ok(!caseCommandSchemas['record-selection-by-agreement'].safeParse({ representatives: ['a', 'a'], lawyers: [] }).success);
  assert.ok(!caseCommandSchemas['schedule-hearing'].safeParse({ date: '2026-02-10', venue: 'V', agenda: [{ id: 'a', title: 'A' }, { id: 'a', title: 'B' }], evidence: [] }).success);
});
