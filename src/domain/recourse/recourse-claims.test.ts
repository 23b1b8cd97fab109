import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { allocateByFault, type FaultAllocation, type PartyFault } from './fault-allocation.ts';
import { threeYearsFrom } from './limitation-date.ts';
import {
  claimBalances,
  limitationDate,
  limitationDates,
  openRecourse,
  outstandingByParty,
  overdueLimitations,
  overrideLimitationDate,
  recordRecovery,
  type RecourseBook,
  type RecourseBookResult,
  type RecoursePayment,
} from './recourse-claims.ts';

function allocation(paidFen: bigint, parties: PartyFault[]): FaultAllocation {
  const result = allocateByFault(paidFen, parties);
  if (!result.ok) assert.fail(result.refusal.message.en);
  return result.allocation;
}

function book(result: RecourseBookResult): RecourseBook {
  if (!result.ok) assert.fail(`refused: ${result.refusal.code} ${result.refusal.message.en}`);
  return result.book;
}

function refusedWith(result: RecourseBookResult, code: string): { zh: string; en: string } {
  if (result.ok) assert.fail(`expected a refusal '${code}'`);
  assert.equal(result.refusal.code, code);
  assert.ok(result.refusal.message.zh.length > 0 && result.refusal.message.en.length > 0);
  return result.refusal.message;
}

function claimsOf(recourse: RecourseBook): [string, string, bigint][] {
  return recourse.claims.map((claim) => [claim.creditor, claim.debtor, claim.amountFen]);
}

/** Issuer 60%, controller 30%, auditor 10%, and a sponsor found without fault. */
function caseParties(): PartyFault[] {
  return [
    { id: 'issuer', kind: 'issuer', fault: { percent: '60' } },
    { id: 'controller', kind: 'actual-controller', fault: { percent: '30' } },
    { id: 'auditor', kind: 'auditor', fault: { percent: '10' } },
    { id: 'sponsor', kind: 'sponsor', fault: 'no-fault' },
  ];
}

test('a sponsor without fault that paid everything recovers it all, from each party its share', () => {
  // 10,000,000.01 yuan: shares 6,000,000.01 / 3,000,000.00 / 1,000,000.00 (fault-allocation.test.ts).
  const recourse = book(openRecourse({ allocation: allocation(1_000_000_001n, caseParties()), payments: [{ payerId: 'sponsor', paidFen: 1_000_000_001n }], disclosureDate: '2023-04-14' }));
  assert.deepEqual(claimsOf(recourse), [
    ['sponsor', 'auditor', 100_000_000n],
    ['sponsor', 'controller', 300_000_000n],
    ['sponsor', 'issuer', 600_000_001n],
  ]);
  assert.deepEqual(
    recourse.positions.map((position) => [position.id, position.liable, position.shareFen, position.paidFen, position.balanceFen]),
    [
      ['auditor', true, 100_000_000n, 0n, -100_000_000n],
      ['controller', true, 300_000_000n, 0n, -300_000_000n],
      ['issuer', true, 600_000_001n, 0n, -600_000_001n],
      ['sponsor', true, 0n, 1_000_000_001n, 1_000_000_001n],
    ],
  );
});

test('a funder that paid more than its share recovers the excess in proportion to the others’ shares', () => {
  // The controller (30%) paid all 100.00: share 30.00, excess 70.00 from the issuer (60.00) and the auditor (10.00).
  const recourse = book(openRecourse({ allocation: allocation(10_000n, caseParties()), payments: [{ payerId: 'controller', paidFen: 10_000n }], disclosureDate: '2023-04-14' }));
  assert.deepEqual(claimsOf(recourse), [
    ['controller', 'auditor', 1_000n],
    ['controller', 'issuer', 6_000n],
  ]);
});

test('a party that paid part of its share owes the rest; the creditor recovers from what each still owes', () => {
  // Issuer and controller 50% each, sponsor without fault. The sponsor paid 60.00, the controller
  // 40.00 of its 50.00: the sponsor recovers 10.00 from the controller and 50.00 from the issuer.
  const recourse = book(
    openRecourse({
      allocation: allocation(10_000n, [
        { id: 'issuer', kind: 'issuer', fault: { percent: '50' } },
        { id: 'controller', kind: 'controlling-shareholder', fault: { percent: '50' } },
        { id: 'sponsor', kind: 'sponsor', fault: 'no-fault' },
      ]),
      payments: [
        { payerId: 'sponsor', paidFen: 6_000n },
        { payerId: 'controller', paidFen: 4_000n },
      ],
      disclosureDate: '2023-04-14',
    }),
  );
  assert.deepEqual(claimsOf(recourse), [
    ['sponsor', 'controller', 1_000n],
    ['sponsor', 'issuer', 5_000n],
  ]);
});

test('two creditors: each row and each column adds up to the fen', () => {
  // 100.01 yuan between issuer and controller in equal shares: controller 50.01 (the odd fen, first in
  // code-point order), issuer 50.00. Two third parties paid 33.34 (p) and 66.67 (q).
  // p first: 3334 × 5001/10001 = 1667.17, 3334 × 5000/10001 = 1666.83 → 1667 + 1666, the fen left to
  // the issuer's .83: 1667 / 1667. Still owed then: controller 3334, issuer 3333, which q takes whole.
  const recourse = book(
    openRecourse({
      allocation: allocation(10_001n, [
        { id: 'issuer', kind: 'issuer', fault: 'undeterminable' },
        { id: 'controller', kind: 'actual-controller', fault: 'undeterminable' },
      ]),
      payments: [
        { payerId: 'q', paidFen: 6_667n, thirdParty: true },
        { payerId: 'p', paidFen: 3_334n, thirdParty: true },
      ],
      disclosureDate: '2023-04-14',
    }),
  );
  assert.deepEqual(claimsOf(recourse), [
    ['p', 'controller', 1_667n],
    ['p', 'issuer', 1_667n],
    ['q', 'controller', 3_334n],
    ['q', 'issuer', 3_333n],
  ]);
  assert.deepEqual(
    recourse.positions.map((position) => [position.id, position.liable, position.balanceFen]),
    [
      ['controller', true, -5_001n],
      ['issuer', true, -5_000n],
      ['p', false, 3_334n],
      ['q', false, 6_667n],
    ],
  );
  // A third party has no limitation date of its own: it is never a debtor.
  assert.equal(limitationDate(recourse, 'p'), null);
});

test('a later creditor takes its part of what the earlier ones left owing', () => {
  // 0.10 yuan, issuer and controller 0.05 each; two third parties paid 0.05 each. p splits its 5 fen
  // 2.5 / 2.5, the tied odd fen to the controller: 3 / 2. Still owed then: controller 2, issuer 3,
  // which q takes: 5 × 2/5 = 2 and 5 × 3/5 = 3. Each debtor owes 5 in all.
  const recourse = book(
    openRecourse({
      allocation: allocation(10n, [
        { id: 'issuer', kind: 'issuer', fault: 'undeterminable' },
        { id: 'controller', kind: 'actual-controller', fault: 'undeterminable' },
      ]),
      payments: [
        { payerId: 'p', paidFen: 5n, thirdParty: true },
        { payerId: 'q', paidFen: 5n, thirdParty: true },
      ],
      disclosureDate: '2023-04-14',
    }),
  );
  assert.deepEqual(claimsOf(recourse), [
    ['p', 'controller', 3n],
    ['p', 'issuer', 2n],
    ['q', 'controller', 2n],
    ['q', 'issuer', 3n],
  ]);
});

test('each paying its own share leaves nothing to recover', () => {
  const recourse = book(
    openRecourse({
      allocation: allocation(10_000n, caseParties()),
      payments: [
        { payerId: 'issuer', paidFen: 6_000n },
        { payerId: 'controller', paidFen: 3_000n },
        { payerId: 'auditor', paidFen: 1_000n },
      ],
      disclosureDate: '2023-04-14',
    }),
  );
  assert.deepEqual(recourse.claims, []);
  assert.deepEqual(outstandingByParty(recourse), []);
});

function controllerPaidAll(disclosureDate = '2024-02-29'): RecourseBook {
  return book(openRecourse({ allocation: allocation(10_000n, caseParties()), payments: [{ payerId: 'controller', paidFen: 10_000n }], disclosureDate }));
}

test('recoveries reduce what is outstanding, per claim and per party', () => {
  const opened = controllerPaidAll();
  const first = book(recordRecovery(opened, { creditor: 'controller', debtor: 'issuer', amountFen: 2_500n, on: '2024-06-03', reference: 'TRF-001' }));
  assert.deepEqual(
    claimBalances(first).map((claim) => [claim.debtor, claim.amountFen, claim.recoveredFen, claim.outstandingFen]),
    [
      ['auditor', 1_000n, 0n, 1_000n],
      ['issuer', 6_000n, 2_500n, 3_500n],
    ],
  );
  assert.deepEqual(outstandingByParty(first), [
    { party: 'auditor', owedFen: 1_000n, recoveredFen: 0n, outstandingFen: 1_000n },
    { party: 'issuer', owedFen: 6_000n, recoveredFen: 2_500n, outstandingFen: 3_500n },
  ]);
  // The book is a value: the opened one is unchanged.
  assert.deepEqual(opened.recoveries, []);
  assert.equal(outstandingByParty(opened)[1]!.outstandingFen, 6_000n);

  const above = refusedWith(recordRecovery(first, { creditor: 'controller', debtor: 'issuer', amountFen: 3_501n, on: '2024-07-01', reference: 'TRF-002' }), 'above-outstanding');
  assert.match(above.en, /35\.00 yuan outstanding/);
  const settled = book(recordRecovery(first, { creditor: 'controller', debtor: 'issuer', amountFen: 3_500n, on: '2024-07-01', reference: 'TRF-002' }));
  assert.equal(outstandingByParty(settled)[1]!.outstandingFen, 0n);
  refusedWith(recordRecovery(settled, { creditor: 'controller', debtor: 'issuer', amountFen: 1n, on: '2024-07-02', reference: 'TRF-003' }), 'above-outstanding');
  assert.deepEqual(
    settled.recoveries.map((recovery) => recovery.reference),
    ['TRF-001', 'TRF-002'],
  );
});

test('recoveries that cannot be recorded are refused', () => {
  const recourse = controllerPaidAll();
  const valid = { creditor: 'controller', debtor: 'issuer', amountFen: 100n, on: '2024-06-03', reference: 'TRF-001' };
  refusedWith(recordRecovery(recourse, { ...valid, creditor: 'issuer', debtor: 'controller' }), 'no-claim');
  refusedWith(recordRecovery(recourse, { ...valid, creditor: 'sponsor' }), 'no-claim');
  refusedWith(recordRecovery(recourse, { ...valid, debtor: 'nobody' }), 'unknown-party');
  refusedWith(recordRecovery(recourse, { ...valid, amountFen: 0n }), 'invalid-amount');
  refusedWith(recordRecovery(recourse, { ...valid, amountFen: -100n }), 'invalid-amount');
  refusedWith(recordRecovery(recourse, { ...valid, on: '2024-02-30' }), 'invalid-date');
  refusedWith(recordRecovery(recourse, { ...valid, on: '2024-02-28' }), 'date-order');
  refusedWith(recordRecovery(recourse, { ...valid, reference: '  ' }), 'reason-required');
  const recorded = book(recordRecovery(recourse, valid));
  refusedWith(recordRecovery(recorded, { ...valid, debtor: 'auditor' }), 'duplicate');
});

test('limitation dates count three years from the disclosure date; 29 February ends on 28 February', () => {
  const recourse = controllerPaidAll('2024-02-29');
  assert.deepEqual(limitationDates(recourse), [
    { party: 'auditor', date: '2027-02-28', basis: 'disclosure-date' },
    { party: 'controller', date: '2027-02-28', basis: 'disclosure-date' },
    { party: 'issuer', date: '2027-02-28', basis: 'disclosure-date' },
    { party: 'sponsor', date: '2027-02-28', basis: 'disclosure-date' },
  ]);
  assert.equal(limitationDate(controllerPaidAll('2023-04-14'), 'issuer')!.date, '2026-04-14');
  assert.equal(limitationDate(recourse, 'nobody'), null);
});

test('overdue limitations: parties that still owe once the limitation date has passed', () => {
  const recourse = book(recordRecovery(controllerPaidAll('2024-02-29'), { creditor: 'controller', debtor: 'issuer', amountFen: 2_500n, on: '2025-01-10', reference: 'TRF-001' }));
  // The limitation date is the last day of the period.
  assert.deepEqual(overdueLimitations(recourse, '2027-02-28'), []);
  const limitation = { date: '2027-02-28', basis: 'disclosure-date' as const };
  assert.deepEqual(overdueLimitations(recourse, '2027-03-01'), [
    { party: 'auditor', limitationDate: { party: 'auditor', ...limitation }, outstandingFen: 1_000n, daysOverdue: 1 },
    { party: 'issuer', limitationDate: { party: 'issuer', ...limitation }, outstandingFen: 3_500n, daysOverdue: 1 },
  ]);

  // A demand to the issuer on 2026-06-15 interrupts its period, which starts again (Civil Code Art. 195).
  const demanded = book(overrideLimitationDate(recourse, { party: 'issuer', date: threeYearsFrom('2026-06-15'), reason: 'demand of 2026-06-15 (letter DM-7)' }));
  assert.deepEqual(limitationDate(demanded, 'issuer'), { party: 'issuer', date: '2029-06-15', basis: 'override', reason: 'demand of 2026-06-15 (letter DM-7)' });
  assert.deepEqual(
    overdueLimitations(demanded, '2027-03-01').map((row) => row.party),
    ['auditor'],
  );
  // Paid in full after its limitation date, the auditor is no longer overdue: a late payment is still recorded (Art. 192).
  const paidLate = book(recordRecovery(demanded, { creditor: 'controller', debtor: 'auditor', amountFen: 1_000n, on: '2027-05-01', reference: 'TRF-002' }));
  assert.deepEqual(overdueLimitations(paidLate, '2027-05-02'), []);
  // Past both dates, the earliest comes first.
  const late = overdueLimitations(demanded, '2029-06-20');
  assert.deepEqual(
    late.map((row) => [row.party, row.limitationDate.date, row.daysOverdue]),
    [
      ['auditor', '2027-02-28', 843],
      ['issuer', '2029-06-15', 5],
    ],
  );
  assert.throws(() => overdueLimitations(recourse, '2027-3-1'), RangeError);
});

test('the latest override of a party is its limitation date; the earlier ones stay in the book', () => {
  const recourse = controllerPaidAll('2024-02-29');
  const once = book(overrideLimitationDate(recourse, { party: 'auditor', date: '2028-01-10', reason: 'demand of 2025-01-10' }));
  const twice = book(overrideLimitationDate(once, { party: 'auditor', date: '2029-03-03', reason: 'demand of 2026-03-03' }));
  assert.equal(limitationDate(twice, 'auditor')!.date, '2029-03-03');
  assert.equal(twice.limitationOverrides.length, 2);
  assert.equal(limitationDate(once, 'auditor')!.date, '2028-01-10');
  assert.equal(limitationDate(twice, 'issuer')!.basis, 'disclosure-date');
});

test('overrides that cannot be recorded are refused', () => {
  const recourse = book(
    openRecourse({
      allocation: allocation(10_000n, caseParties()),
      payments: [{ payerId: 'insurer', paidFen: 10_000n, thirdParty: true }],
      disclosureDate: '2024-02-29',
    }),
  );
  const valid = { party: 'issuer', date: '2028-01-10', reason: 'demand of 2025-01-10' };
  assert.equal(book(overrideLimitationDate(recourse, valid)).limitationOverrides.length, 1);
  refusedWith(overrideLimitationDate(recourse, { ...valid, party: 'insurer' }), 'unknown-party');
  refusedWith(overrideLimitationDate(recourse, { ...valid, party: 'nobody' }), 'unknown-party');
  refusedWith(overrideLimitationDate(recourse, { ...valid, date: '2028-02-30' }), 'invalid-date');
  refusedWith(overrideLimitationDate(recourse, { ...valid, date: '2024-02-29' }), 'date-order');
  refusedWith(overrideLimitationDate(recourse, { ...valid, reason: '' }), 'reason-required');
});

test('opening the book is refused when the payments do not fit the allocation', () => {
  const fault = allocation(10_000n, caseParties());
  const open = (payments: RecoursePayment[], disclosureDate = '2023-04-14') => openRecourse({ allocation: fault, payments, disclosureDate });
  const mismatch = refusedWith(open([{ payerId: 'sponsor', paidFen: 9_999n }]), 'payments-mismatch');
  assert.match(mismatch.en, /99\.99 yuan in all, not the 100\.00 yuan/);
  refusedWith(open([]), 'payments-mismatch');
  refusedWith(open([{ payerId: 'insurer', paidFen: 10_000n }]), 'unknown-party');
  refusedWith(open([{ payerId: 'sponsor', paidFen: 10_000n, thirdParty: true }]), 'unknown-party');
  refusedWith(
    open([
      { payerId: 'sponsor', paidFen: 5_000n },
      { payerId: 'sponsor', paidFen: 5_000n },
    ]),
    'duplicate',
  );
  refusedWith(
    open([
      { payerId: 'sponsor', paidFen: 10_000n },
      { payerId: 'issuer', paidFen: 0n },
    ]),
    'invalid-amount',
  );
  refusedWith(open([{ payerId: '', paidFen: 10_000n }]), 'invalid-id');
  refusedWith(open([{ payerId: 'sponsor', paidFen: 10_000n }], '2023-02-29'), 'invalid-date');
});

test('claims: every creditor recovers exactly its excess, every debtor owes exactly its deficit', () => {
  const ids = ['a', 'b', 'c', 'd', 'e'];
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom<PartyFault['fault']>('undeterminable', 'no-fault', { percent: '0' }), { minLength: 5, maxLength: 5 }),
      fc.bigInt({ min: 1n, max: 10n ** 12n }),
      fc.array(fc.record({ payer: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'x', 'y'), weight: fc.bigInt({ min: 1n, max: 1000n }) }), { minLength: 1, maxLength: 6 }),
      (faults, paid, rawPayments) => {
        fc.pre(faults.includes('undeterminable'));
        const parties = ids.map((id, index): PartyFault => ({ id, kind: 'other', fault: faults[index]! }));
        // Split what was paid among the payers by their weights, the last taking what is left.
        const weights = new Map<string, bigint>();
        for (const { payer, weight } of rawPayments) weights.set(payer, (weights.get(payer) ?? 0n) + weight);
        const totalWeight = [...weights.values()].reduce((sum, weight) => sum + weight, 0n);
        const payments: RecoursePayment[] = [];
        let left = paid;
        [...weights].forEach(([payer, weight], index, all) => {
          const amount = index === all.length - 1 ? left : (paid * weight) / totalWeight;
          left -= amount;
          if (amount > 0n) payments.push({ payerId: payer, paidFen: amount, thirdParty: payer === 'x' || payer === 'y' });
        });
        const recourse = book(openRecourse({ allocation: allocation(paid, parties), payments, disclosureDate: '2023-04-14' }));
        for (const position of recourse.positions) {
          const recovers = recourse.claims.filter((claim) => claim.creditor === position.id).reduce((sum, claim) => sum + claim.amountFen, 0n);
          const owes = recourse.claims.filter((claim) => claim.debtor === position.id).reduce((sum, claim) => sum + claim.amountFen, 0n);
          assert.equal(recovers - owes, position.balanceFen);
          assert.ok(recovers === 0n || owes === 0n);
        }
        assert.ok(recourse.claims.every((claim) => claim.amountFen > 0n && claim.creditor !== claim.debtor));
        // A party without fault never owes anything.
        for (const claim of recourse.claims) assert.notEqual(faults[ids.indexOf(claim.debtor)], 'no-fault');
      },
    ),
  );
});
