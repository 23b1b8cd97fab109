import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { contentHash } from '../content-hash.ts';
import { assignClaims, claimsAssignedTo, registerHash, type AcceptedOffer, type AssignedClaimsRegister, type AssignedClaimsResult } from './assigned-claims.ts';

function registered(result: AssignedClaimsResult): AssignedClaimsRegister {
  if (!result.ok) assert.fail(`refused: ${result.refusal.code} ${result.refusal.message.en}`);
  return result.register;
}

function refusedWith(result: AssignedClaimsResult, code: string): void {
  if (result.ok) assert.fail(`expected a refusal '${code}'`);
  assert.equal(result.refusal.code, code);
  assert.ok(result.refusal.message.zh.length > 0 && result.refusal.message.en.length > 0);
}

const offers: AcceptedOffer[] = [
  { offerId: 'o-3', investor: 'i-2', amountFen: 150n },
  { offerId: 'o-1', investor: 'i-1', amountFen: 10_000n },
  { offerId: 'o-2', investor: 'i-1', amountFen: 1n },
];

test('one funder takes every claim whole', () => {
  const register = registered(assignClaims(offers, [{ funderId: 'sponsor', paidFen: 50_000_000n }]));
  assert.deepEqual(register.claims, [
    { offerId: 'o-1', investor: 'i-1', amountFen: 10_000n, assignees: [{ funderId: 'sponsor', amountFen: 10_000n }] },
    { offerId: 'o-2', investor: 'i-1', amountFen: 1n, assignees: [{ funderId: 'sponsor', amountFen: 1n }] },
    { offerId: 'o-3', investor: 'i-2', amountFen: 150n, assignees: [{ funderId: 'sponsor', amountFen: 150n }] },
  ]);
  assert.deepEqual(register.totals, [{ funderId: 'sponsor', amountFen: 10_151n, claims: 3 }]);
  assert.equal(register.totalFen, 10_151n);
});

test('two funders that paid 2:1 take each claim 2:1, to the fen by largest remainder', () => {
  // o-1 100.00: quotas 6666.67 and 3333.33 → 6667 / 3333. o-2 0.01: quotas 0.67 and 0.33 → 1 / 0,
  // and the zero part is left out. o-3 1.50: exactly 1.00 / 0.50.
  const register = registered(
    assignClaims(offers, [
      { funderId: 'beta', paidFen: 10_000_000n },
      { funderId: 'alpha', paidFen: 20_000_000n },
      { funderId: 'idle', paidFen: 0n },
    ]),
  );
  assert.deepEqual(
    register.claims.map((claim) => [claim.offerId, claim.assignees.map((part) => [part.funderId, part.amountFen])]),
    [
      ['o-1', [['alpha', 6667n], ['beta', 3333n]]],
      ['o-2', [['alpha', 1n]]],
      ['o-3', [['alpha', 100n], ['beta', 50n]]],
    ],
  );
  assert.deepEqual(register.totals, [
    { funderId: 'alpha', amountFen: 6768n, claims: 3 },
    { funderId: 'beta', amountFen: 3383n, claims: 2 },
  ]);
  assert.equal(register.totalFen, 10_151n);
  assert.deepEqual(claimsAssignedTo(register, 'beta'), [
    { offerId: 'o-1', investor: 'i-1', amountFen: 3333n },
    { offerId: 'o-3', investor: 'i-2', amountFen: 50n },
  ]);
  assert.deepEqual(claimsAssignedTo(register, 'idle'), []);
});

test('funders that paid the same split an odd fen in code-point order of id', () => {
  const register = registered(
    assignClaims(
      [{ offerId: 'o', investor: 'i', amountFen: 101n }],
      [
        { funderId: 'd', paidFen: 500n },
        { funderId: 'c', paidFen: 500n },
      ],
    ),
  );
  assert.deepEqual(register.claims[0]!.assignees, [
    { funderId: 'c', amountFen: 51n },
    { funderId: 'd', amountFen: 50n },
  ]);
});

test('no accepted offers give an empty register', () => {
  const register = registered(assignClaims([], [{ funderId: 'sponsor', paidFen: 1n }]));
  assert.deepEqual(register, { claims: [], totals: [{ funderId: 'sponsor', amountFen: 0n, claims: 0 }], totalFen: 0n });
});

test('refusals', () => {
  const funder = [{ funderId: 'sponsor', paidFen: 100n }];
  refusedWith(assignClaims(offers, []), 'nothing-paid');
  refusedWith(assignClaims(offers, [{ funderId: 'sponsor', paidFen: 0n }]), 'nothing-paid');
  refusedWith(assignClaims(offers, [{ funderId: 'sponsor', paidFen: -1n }]), 'invalid-amount');
  refusedWith(
    assignClaims(offers, [
      { funderId: 'sponsor', paidFen: 1n },
      { funderId: 'sponsor', paidFen: 2n },
    ]),
    'duplicate',
  );
  refusedWith(assignClaims(offers, [{ funderId: '', paidFen: 1n }]), 'invalid-id');
  refusedWith(assignClaims([...offers, { offerId: 'o-1', investor: 'i-9', amountFen: 5n }], funder), 'duplicate');
  refusedWith(assignClaims([{ offerId: 'o', investor: 'i', amountFen: 0n }], funder), 'invalid-amount');
  refusedWith(assignClaims([{ offerId: 'o', investor: 'i', amountFen: -5n }], funder), 'invalid-amount');
  refusedWith(assignClaims([{ offerId: 'o ', investor: 'i', amountFen: 5n }], funder), 'invalid-id');
  refusedWith(assignClaims([{ offerId: 'o', investor: '', amountFen: 5n }], funder), 'invalid-id');
});

test('the register hash is the content hash of the register and does not depend on input order', () => {
  const funders = [
    { funderId: 'alpha', paidFen: 2n },
    { funderId: 'beta', paidFen: 1n },
  ];
  const register = registered(assignClaims(offers, funders));
  const reordered = registered(assignClaims([...offers].reverse(), [...funders].reverse()));
  assert.equal(registerHash(register), registerHash(reordered));
  assert.equal(
    registerHash(register),
    contentHash({
      claims: [
        { offerId: 'o-1', investor: 'i-1', amountFen: 10_000n, assignees: [{ funderId: 'alpha', amountFen: 6667n }, { funderId: 'beta', amountFen: 3333n }] },
        { offerId: 'o-2', investor: 'i-1', amountFen: 1n, assignees: [{ funderId: 'alpha', amountFen: 1n }] },
        { offerId: 'o-3', investor: 'i-2', amountFen: 150n, assignees: [{ funderId: 'alpha', amountFen: 100n }, { funderId: 'beta', amountFen: 50n }] },
      ],
      totals: [
        { funderId: 'alpha', amountFen: 6768n, claims: 3 },
        { funderId: 'beta', amountFen: 3383n, claims: 2 },
      ],
      totalFen: 10_151n,
    }),
  );
  const changed = registered(assignClaims([...offers.slice(1), { offerId: 'o-3', investor: 'i-2', amountFen: 151n }], funders));
  assert.notEqual(registerHash(changed), registerHash(register));
});

test('every claim is assigned whole, and the totals add up to the claims', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.record({ offerId: fc.string({ minLength: 1, maxLength: 4 }).filter((id) => id.trim() === id), investor: fc.constantFrom('i-1', 'i-2', 'i-3'), amountFen: fc.bigInt({ min: 1n, max: 10n ** 12n }) }), {
        maxLength: 20,
        selector: (offer) => offer.offerId,
      }),
      fc.uniqueArray(fc.record({ funderId: fc.constantFrom('a', 'b', 'c', 'd'), paidFen: fc.bigInt({ min: 0n, max: 10n ** 12n }) }), { minLength: 1, maxLength: 4, selector: (funder) => funder.funderId }),
      (someOffers, funders) => {
        fc.pre(funders.some((funder) => funder.paidFen > 0n));
        const register = registered(assignClaims(someOffers, funders));
        const paidSum = funders.reduce((sum, funder) => sum + funder.paidFen, 0n);
        for (const claim of register.claims) {
          assert.equal(
            claim.assignees.reduce((sum, part) => sum + part.amountFen, 0n),
            claim.amountFen,
          );
          for (const part of claim.assignees) {
            const paid = funders.find((funder) => funder.funderId === part.funderId)!.paidFen;
            const floor = (claim.amountFen * paid) / paidSum;
            assert.ok(part.amountFen > 0n && (part.amountFen === floor || part.amountFen === floor + 1n));
          }
        }
        assert.equal(
          register.totals.reduce((sum, total) => sum + total.amountFen, 0n),
          register.totalFen,
        );
        assert.equal(
          register.totalFen,
          someOffers.reduce((sum, offer) => sum + offer.amountFen, 0n),
        );
        assert.equal(register.claims.length, someOffers.length);
      },
    ),
  );
});
