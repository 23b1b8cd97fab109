import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { sha256Hex } from '../content-hash.ts';
import { PlanError } from './loss-plan.ts';
import { parsePlanDocument, type PlanDocument } from './plan-document.ts';
import { planContentHash } from './plan-version.ts';

const MINIMAL = {
  title: 'T',
  lossParameters: {
    security: { code: '600000', name: 'X', exchange: 'SSE' },
    implementationDate: '2024-01-02',
    disclosureDate: '2024-06-03',
  },
  fund: { sizeFen: '100', topUpRule: 'r' },
  timetable: { reviewEndsOn: '2024-07-01', acceptanceOpensOn: '2024-07-02', acceptanceClosesOn: '2024-07-10', paymentOn: '2024-07-12', endsOn: '2024-07-15' },
  latePolicy: { lateClaimDays: 30, text: 'l' },
  disputeChannel: 'd',
  agreement: { title: 'A', language: 'zh', clauses: [{ id: 'c1', text: 'x' }] },
};

function parse(value: unknown): PlanDocument {
  return parsePlanDocument(value).document;
}

function readDemoPlan(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('../../../examples/plans/demo-plan.v1.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** The same JSON value with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, reverseKeys(item)]));
}

test('the hash is SHA-256 of the canonical JSON of the parsed document, defaults included', () => {
  // Written out by hand: keys sorted by code point, no whitespace, and the loss parameters'
  // defaults (rule set, direction, decimals, average price, sales, risk, fees, interest,
  // exclusions) and the fund's shortfall rule present although MINIMAL leaves them out.
  const canonical =
    '{"agreement":{"clauses":[{"id":"c1","text":"x"}],"language":"zh","title":"A"},"disputeChannel":"d",' +
    '"fund":{"shortfall":"top-up","sizeFen":"100","topUpRule":"r"},"latePolicy":{"lateClaimDays":30,"text":"l"},' +
    '"lossParameters":{"averagePrice":"moving-weighted-average","basePriceDecimals":2,"direction":"inflated",' +
    '"disclosureDate":"2024-06-03","exclusions":[],"fees":{"commissionRate":"0.0003","stampDutyRate":"0.001"},' +
    '"implementationDate":"2024-01-02","interest":null,"postDisclosureSales":"fifo","riskDeduction":{"method":"none"},' +
    '"ruleSet":"SPC2022","security":{"code":"600000","exchange":"SSE","name":"X"}},' +
    '"timetable":{"acceptanceClosesOn":"2024-07-10","acceptanceOpensOn":"2024-07-02","endsOn":"2024-07-15","paymentOn":"2024-07-12","reviewEndsOn":"2024-07-01"},' +
    '"title":"T"}';
  const hash = planContentHash(parse(MINIMAL));
  assert.equal(hash, sha256Hex(canonical));
  assert.match(hash, /^[0-9a-f]{64}$/);
});

test('the same content gives the same hash whatever the key order, layout or written-out defaults', () => {
  const raw = readDemoPlan();
  const hash = planContentHash(parse(raw));
  assert.equal(planContentHash(parse(reverseKeys(raw))), hash);
  assert.equal(planContentHash(parse(JSON.parse(JSON.stringify(raw, null, 7)))), hash);
  const lossParameters = raw['lossParameters'] as Record<string, unknown>;
  const explicit = { ...raw, lossParameters: { ...lossParameters, basePriceDecimals: 2, interest: null } };
  assert.equal(planContentHash(parse(explicit)), hash);
  // The schema trims text, so surrounding spaces are not part of the plan.
  assert.equal(planContentHash(parse({ ...raw, title: `  ${String(raw['title'])}\n` })), hash);
  // Parsing twice changes nothing.
  assert.equal(planContentHash(parse(parse(raw))), hash);
});

test('any change of content gives a different hash', () => {
  const raw = readDemoPlan();
  const base = parse(raw);
  const hash = planContentHash(base);
  const clauses = base.agreement.clauses;
  const variants: PlanDocument[] = [
    { ...base, lossParameters: { ...base.lossParameters, fees: { ...base.lossParameters.fees, commissionRate: '0.00030' } } },
    { ...base, lossParameters: { ...base.lossParameters, baseDate: '2022-05-25' } },
    { ...base, lossParameters: { ...base.lossParameters, exclusions: [...base.lossParameters.exclusions].reverse() } },
    { ...base, fund: { ...base.fund, sizeFen: '800000001' } },
    { ...base, timetable: { ...base.timetable, paymentOn: '2027-01-28' } },
    { ...base, latePolicy: { ...base.latePolicy, lateClaimDays: 61 } },
    { ...base, agreement: { ...base.agreement, clauses: clauses.map((clause, i) => (i === 4 ? { ...clause, text: `${clause.text} ` } : clause)) } },
    { ...base, agreement: { ...base.agreement, clauses: [clauses[1]!, clauses[0]!, ...clauses.slice(2)] } },
    { ...base, agreement: { ...base.agreement, clauses: clauses.slice(0, -1) } },
    { ...base, agreement: { ...base.agreement, language: 'en' } },
  ];
  const hashes = new Set(variants.map(planContentHash));
  assert.equal(hashes.size, variants.length);
  assert.ok(!hashes.has(hash));
});

test('two titles give the same hash exactly when they are the same after trimming', () => {
  const raw = readDemoPlan();
  const title = fc.string({ minLength: 1, maxLength: 12 }).filter((text) => text.trim().length > 0);
  fc.assert(
    fc.property(title, title, (a, b) => {
      const sameHash = planContentHash(parse({ ...raw, title: a })) === planContentHash(parse({ ...raw, title: b }));
      assert.equal(sameHash, a.trim() === b.trim());
    }),
    { numRuns: 200 },
  );
});

test('a published plan refuses a fixed deduction ratio above 1, which compute would clamp to 1', () => {
  const withRatio = (ratio: string) => ({ ...MINIMAL, lossParameters: { ...MINIMAL.lossParameters, riskDeduction: { method: 'fixed', ratio } } });
  assert.equal(parsePlanDocument(withRatio('1')).lossPlan.riskDeduction.method, 'fixed');
  assert.throws(
    () => parsePlanDocument(withRatio('1.25')),
    (error: unknown) => error instanceof PlanError && error.path.join('.') === 'lossParameters.riskDeduction.ratio' && /between 0 and 1/.test(error.message),
  );
});
