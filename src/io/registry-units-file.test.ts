import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { creditedAccount, registryUnitsCsv, RegistryUnitsRefused, unitsPerAccount, type RegistryUnitsFile, type UnitsCredit } from './registry-units-file.ts';

const PLAN = 'ab'.repeat(32);
const FILE: RegistryUnitsFile = { securityCode: '003999', planSha256: PLAN, opensOn: '2027-01-04', closesOn: '2027-01-22' };
const id = (n: number) => `offer-${n.toString(16).padStart(20, '0')}`;
const HEADER = 'offer_id,investor,account,units,security_code,plan_sha256,opens_on,closes_on';

const refusal = (code: string) => (thrown: unknown) => thrown instanceof RegistryUnitsRefused && thrown.code === code && thrown.bilingual.zh !== '' && thrown.bilingual.en !== '';

test('an offer of 1234.56 yuan is 1234.56 units on the first account in code-point order', () => {
  const offer = { offerId: id(1), investor: 'INV0000013', amountFen: 123456n };
  const expected = { offerId: id(1), investor: 'INV0000013', account: '0147773795', unitsFen: 123456n };
  assert.deepEqual(unitsPerAccount(offer, ['0169348816', '0147773795', 'A123456789']), expected);
  assert.deepEqual(unitsPerAccount(offer, ['A123456789', '0169348816', '0147773795']), expected);
  // A single fen is one hundredth of a unit, not rounded away.
  assert.deepEqual(unitsPerAccount({ ...offer, amountFen: 1n }, ['0147773795']), { ...expected, unitsFen: 1n });
});

test('code-point order, not UTF-16 order, picks the account', () => {
  // U+FF10 (fullwidth zero) is after U+10000 in UTF-16 units but before it in code points.
  assert.equal(creditedAccount(['\u{10000}1', '\uFF101']), '\uFF101');
  assert.equal(creditedAccount(['B2', 'B10', 'A9']), 'A9');
  assert.equal(creditedAccount(['B2', 'B10']), 'B10');
});

test('blank accounts are passed over; an investor without an account is not credited', () => {
  const offer = { offerId: id(2), investor: 'INV2', amountFen: 500n };
  assert.equal(unitsPerAccount(offer, ['', ' ', '0200000001'])?.account, '0200000001');
  assert.equal(unitsPerAccount(offer, []), null);
  assert.equal(unitsPerAccount(offer, ['', '  ']), null);
});

test('an offer without a positive amount is refused', () => {
  assert.throws(() => unitsPerAccount({ offerId: id(3), investor: 'INV3', amountFen: 0n }, ['0300000001']), refusal('amount-not-positive'));
  assert.throws(() => unitsPerAccount({ offerId: id(3), investor: 'INV3', amountFen: -100n }, ['0300000001']), refusal('amount-not-positive'));
});

test('the file: header, rows sorted by investor then offer id, units with two decimals, fields quoted', () => {
  const credits: UnitsCredit[] = [
    { offerId: id(0xc), investor: 'INV0000036', account: '0169348816', unitsFen: 10000n },
    { offerId: id(0xa), investor: '产品,一号', account: 'B880000001', unitsFen: 5n },
    { offerId: id(0xb), investor: 'INV0000013', account: '0147773795', unitsFen: 123456n },
  ];
  assert.equal(
    registryUnitsCsv(credits, FILE),
    `${HEADER}\n` +
      `${id(0xb)},INV0000013,0147773795,1234.56,003999,${PLAN},2027-01-04,2027-01-22\n` +
      `${id(0xc)},INV0000036,0169348816,100.00,003999,${PLAN},2027-01-04,2027-01-22\n` +
      `${id(0xa)},"产品,一号",B880000001,0.05,003999,${PLAN},2027-01-04,2027-01-22\n`,
  );
  assert.equal(registryUnitsCsv([], FILE), `${HEADER}\n`);
});

test('one investor with two offers: sorted by offer id', () => {
  const text = registryUnitsCsv(
    [
      { offerId: id(9), investor: 'INV1', account: '0100000001', unitsFen: 100n },
      { offerId: id(4), investor: 'INV1', account: '0100000001', unitsFen: 200n },
    ],
    FILE,
  );
  assert.deepEqual(text.split('\n').slice(1, 3).map((line) => line.split(',')[0]), [id(4), id(9)]);
});

test('credits the registry could misapply are refused', () => {
  const good: UnitsCredit = { offerId: id(1), investor: 'INV1', account: '0100000001', unitsFen: 100n };
  assert.throws(() => registryUnitsCsv([good, { ...good }], FILE), refusal('offer-credited-twice'));
  assert.throws(() => registryUnitsCsv([good, { ...good, offerId: id(2), investor: 'INV2' }], FILE), refusal('account-of-two-investors'));
  assert.throws(() => registryUnitsCsv([{ ...good, offerId: 'offer-1' }], FILE), refusal('bad-offer-id'));
  assert.throws(() => registryUnitsCsv([{ ...good, offerId: `offer-${'A'.repeat(20)}` }], FILE), refusal('bad-offer-id'));
  assert.throws(() => registryUnitsCsv([{ ...good, unitsFen: 0n }], FILE), refusal('units-not-positive'));
  assert.throws(() => registryUnitsCsv([{ ...good, investor: ' ' }], FILE), refusal('no-investor'));
  assert.throws(() => registryUnitsCsv([{ ...good, account: '' }], FILE), refusal('no-account'));
  assert.throws(() => registryUnitsCsv([good], { ...FILE, securityCode: '' }), refusal('no-security-code'));
  assert.throws(() => registryUnitsCsv([good], { ...FILE, planSha256: PLAN.toUpperCase() }), refusal('bad-plan-hash'));
  assert.throws(() => registryUnitsCsv([good], { ...FILE, planSha256: 'ab' }), refusal('bad-plan-hash'));
  assert.throws(() => registryUnitsCsv([good], { ...FILE, closesOn: '2027-01-03' }), refusal('bad-window'));
  assert.throws(() => registryUnitsCsv([good], { ...FILE, opensOn: '2027-02-30' }), refusal('bad-window'));
  // The same investor on one account with two offers is not two investors.
  assert.doesNotThrow(() => registryUnitsCsv([good, { ...good, offerId: id(2) }], FILE));
  // A window of one day is a window.
  assert.doesNotThrow(() => registryUnitsCsv([good], { ...FILE, closesOn: '2027-01-04' }));
});

const creditsArbitrary = fc.uniqueArray(fc.nat({ max: 10_000 }), { maxLength: 30 }).chain((numbers) =>
  fc.tuple(...numbers.map((n) => fc.bigInt({ min: 1n, max: 10n ** 14n }).map((unitsFen): UnitsCredit => ({ offerId: id(n), investor: `INV${n}`, account: `A${n}`, unitsFen })))),
);

test('property: the same credits in any order give the same bytes, one row each, units equal to the amount', () => {
  fc.assert(
    fc.property(creditsArbitrary.chain((credits) => fc.tuple(fc.constant(credits), fc.shuffledSubarray(credits, { minLength: credits.length, maxLength: credits.length }))), ([credits, shuffled]) => {
      const text = registryUnitsCsv(credits, FILE);
      assert.equal(registryUnitsCsv(shuffled, FILE), text);
      const rows = text.split('\n').slice(1, -1).map((line) => line.split(','));
      assert.equal(rows.length, credits.length);
      for (const credit of credits) {
        const row = rows.find((fields) => fields[0] === credit.offerId)!;
        assert.match(row[3]!, /^\d+\.\d{2}$/);
        assert.equal(BigInt(row[3]!.replace('.', '')), credit.unitsFen);
      }
    }),
  );
});
