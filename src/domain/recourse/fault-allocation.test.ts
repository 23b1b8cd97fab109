import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { LiablePartyKind } from '../procedure/case-commands.ts';
import { allocateByFault, type FaultAllocation, type FaultAllocationResult, type PartyFault } from './fault-allocation.ts';

function allocated(result: FaultAllocationResult): FaultAllocation {
  if (!result.ok) assert.fail(`refused: ${result.refusal.code} ${result.refusal.message.en}`);
  return result.allocation;
}

function sharesOf(allocation: FaultAllocation): Record<string, bigint> {
  return Object.fromEntries(allocation.shares.map((share) => [share.id, share.shareFen]));
}

function refusedWith(result: FaultAllocationResult, code: string): { zh: string; en: string } {
  if (result.ok) assert.fail(`expected a refusal '${code}'`);
  assert.equal(result.refusal.code, code);
  assert.ok(result.refusal.message.zh.length > 0 && result.refusal.message.en.length > 0);
  return result.refusal.message;
}

const percent = (id: string, kind: LiablePartyKind, value: string): PartyFault => ({ id, kind, fault: { percent: value } });

test('10,000,000.01 yuan among issuer 60%, controller 30%, auditor 10%', () => {
  // Quotas in fen: 600,000,000.6 / 300,000,000.3 / 100,000,000.1; the one fen left goes to the issuer's .6.
  const allocation = allocated(
    allocateByFault(1_000_000_001n, [percent('issuer', 'issuer', '60'), percent('controller', 'actual-controller', '30'), percent('auditor', 'auditor', '10')]),
  );
  assert.equal(allocation.paidFen, 1_000_000_001n);
  assert.deepEqual(
    allocation.shares.map((share) => [share.id, share.kind, share.basis, share.portion.toFraction(), share.shareFen]),
    [
      ['auditor', 'auditor', 'percent', '1/10', 100_000_000n],
      ['controller', 'actual-controller', 'percent', '3/10', 300_000_000n],
      ['issuer', 'issuer', 'percent', '3/5', 600_000_001n],
    ],
  );
});

test('100.00 among three whose fault cannot be told apart: 33.34, 33.33, 33.33, the odd fen by code-point order', () => {
  const allocation = allocated(
    allocateByFault(10_000n, [
      { id: 'issuer', kind: 'issuer', fault: 'undeterminable' },
      { id: 'controller', kind: 'controlling-shareholder', fault: 'undeterminable' },
      { id: 'auditor', kind: 'auditor', fault: 'undeterminable' },
    ]),
  );
  assert.deepEqual(sharesOf(allocation), { auditor: 3334n, controller: 3333n, issuer: 3333n });
  assert.ok(allocation.shares.every((share) => share.basis === 'equal-share' && share.portion.toFraction() === '1/3'));
});

test('decimal percentages: 37.5% and 62.5% of 1.00 tie at half a fen each', () => {
  const allocation = allocated(allocateByFault(100n, [percent('b-issuer', 'issuer', '62.5'), percent('a-sponsor', 'sponsor', '37.5')]));
  assert.deepEqual(sharesOf(allocation), { 'a-sponsor': 38n, 'b-issuer': 62n });
  assert.deepEqual(
    allocation.shares.map((share) => share.portion.toFraction()),
    ['3/8', '5/8'],
  );
  // Percentages of different precision are compared exactly: 33.333 + 33.3335 + 33.3335 = 100.
  const fine = allocated(allocateByFault(1_000_000n, [percent('x', 'issuer', '33.333'), percent('y', 'auditor', '33.3335'), percent('z', 'law-firm', '33.3335')]));
  // Quotas 333,330 / 333,335 / 333,335: exact, nothing left over.
  assert.deepEqual(sharesOf(fine), { x: 333_330n, y: 333_335n, z: 333_335n });
});

test('a sponsor without fault bears nothing; the others bear the whole by their percentages', () => {
  const allocation = allocated(
    allocateByFault(50_000_000_00n, [
      { id: 'sponsor', kind: 'sponsor', fault: 'no-fault' },
      percent('issuer', 'issuer', '70'),
      percent('controller', 'controlling-shareholder', '30'),
    ]),
  );
  assert.deepEqual(sharesOf(allocation), { controller: 15_000_000_00n, issuer: 35_000_000_00n, sponsor: 0n });
  const sponsor = allocation.shares.find((share) => share.id === 'sponsor')!;
  assert.equal(sponsor.basis, 'no-fault');
  assert.ok(sponsor.portion.isZero());
});

test('mixed: the undeterminable parties share equally what the percentages leave', () => {
  // 100.01 yuan, auditor 10%: the auditor's quota is 1000.1 fen, the issuer's and the controller's
  // 4500.45 each (45% each). Floors 1000 + 4500 + 4500 leave one fen, which goes to the tied .45
  // first in code-point order: the controller.
  const allocation = allocated(
    allocateByFault(10_001n, [
      percent('auditor', 'auditor', '10'),
      { id: 'issuer', kind: 'issuer', fault: 'undeterminable' },
      { id: 'controller', kind: 'actual-controller', fault: 'undeterminable' },
      { id: 'lawyers', kind: 'law-firm', fault: 'no-fault' },
    ]),
  );
  assert.deepEqual(sharesOf(allocation), { auditor: 1000n, controller: 4501n, issuer: 4500n, lawyers: 0n });
  assert.deepEqual(
    allocation.shares.map((share) => [share.id, share.basis, share.portion.toFraction()]),
    [
      ['auditor', 'percent', '1/10'],
      ['controller', 'equal-share', '9/20'],
      ['issuer', 'equal-share', '9/20'],
      ['lawyers', 'no-fault', '0'],
    ],
  );
});

test('nothing paid gives every party a share of zero', () => {
  const allocation = allocated(allocateByFault(0n, [percent('issuer', 'issuer', '100'), { id: 'sponsor', kind: 'sponsor', fault: 'no-fault' }]));
  assert.deepEqual(sharesOf(allocation), { issuer: 0n, sponsor: 0n });
});

test('a party may be found at 0% and still be one of the liable parties', () => {
  const allocation = allocated(allocateByFault(999n, [percent('issuer', 'issuer', '100'), percent('auditor', 'auditor', '0.0')]));
  assert.deepEqual(sharesOf(allocation), { auditor: 0n, issuer: 999n });
});

test('percentages that do not add up to 100 are refused', () => {
  const under = refusedWith(allocateByFault(100n, [percent('issuer', 'issuer', '60'), percent('auditor', 'auditor', '39.9')]), 'percentages-not-100');
  assert.match(under.en, /99\.9%/);
  assert.match(under.zh, /99\.9%/);
  const over = refusedWith(allocateByFault(100n, [percent('issuer', 'issuer', '60'), percent('auditor', 'auditor', '40.01')]), 'percentages-not-100');
  assert.match(over.en, /100\.01%/);
});

test('percentages that leave nothing for an undeterminable party are refused', () => {
  refusedWith(
    allocateByFault(100n, [percent('issuer', 'issuer', '60'), percent('auditor', 'auditor', '40'), { id: 'controller', kind: 'actual-controller', fault: 'undeterminable' }]),
    'percentages-not-100',
  );
  refusedWith(allocateByFault(100n, [percent('issuer', 'issuer', '100.5'), { id: 'controller', kind: 'actual-controller', fault: 'undeterminable' }]), 'invalid-percent');
});

test('a percentage that is negative, above 100 or not decimal text is refused', () => {
  const negative = refusedWith(allocateByFault(100n, [percent('issuer', 'issuer', '-5'), percent('auditor', 'auditor', '105')]), 'invalid-percent');
  assert.match(negative.en, /negative/);
  refusedWith(allocateByFault(100n, [percent('issuer', 'issuer', '101'), percent('auditor', 'auditor', '-1')]), 'invalid-percent');
  for (const text of ['', '1e2', ' 50', '50%', '50.', '.5', '+50', '1000', '0.1234567890123', '五十']) {
    refusedWith(allocateByFault(100n, [percent('issuer', 'issuer', text)]), 'invalid-percent');
  }
});

test('other refusals: negative amount, no party bearing a share, issuer without fault, bad or repeated ids', () => {
  refusedWith(allocateByFault(-1n, [percent('issuer', 'issuer', '100')]), 'invalid-amount');
  refusedWith(allocateByFault(100n, []), 'no-party-at-fault');
  refusedWith(allocateByFault(100n, [{ id: 'sponsor', kind: 'sponsor', fault: 'no-fault' }]), 'no-party-at-fault');
  const issuer = refusedWith(allocateByFault(100n, [{ id: 'issuer', kind: 'issuer', fault: 'no-fault' }, percent('auditor', 'auditor', '100')]), 'issuer-without-fault');
  assert.match(issuer.zh, /第八十五条/);
  refusedWith(allocateByFault(100n, [percent('issuer', 'issuer', '50'), percent('issuer', 'auditor', '50')]), 'duplicate');
  refusedWith(allocateByFault(100n, [percent('', 'issuer', '100')]), 'invalid-id');
  refusedWith(allocateByFault(100n, [percent(' issuer', 'issuer', '100')]), 'invalid-id');
});

// Property tests. A case's parties: ids from a small alphabet (so that ties by id matter), each
// with a percentage in tenths, undeterminable, or without fault.
const KINDS: LiablePartyKind[] = ['issuer', 'sponsor', 'controlling-shareholder', 'actual-controller', 'auditor', 'law-firm', 'other'];

const partiesArbitrary = fc
  .record({
    ids: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 2, unit: fc.constantFrom('a', 'b', 'é', '\uFFFD', '\u{1F600}') }), { minLength: 1, maxLength: 7 }),
    modes: fc.array(fc.constantFrom('percent', 'percent', 'undeterminable', 'no-fault'), { minLength: 7, maxLength: 7 }),
    cuts: fc.array(fc.nat(1000), { minLength: 7, maxLength: 7 }),
    leave: fc.integer({ min: 1, max: 1000 }),
  })
  .map(({ ids, modes, cuts, leave }) => {
    const kinds = ids.map((_, index) => modes[index]!);
    const percentCount = kinds.filter((mode) => mode === 'percent').length;
    const undeterminable = kinds.includes('undeterminable');
    // Percentages in tenths: cut 1000 (or less, when undeterminable parties take the rest) into pieces.
    const budget = undeterminable ? 1000 - leave : 1000;
    const points = cuts
      .slice(0, Math.max(percentCount - 1, 0))
      .map((cut) => Math.min(cut, budget))
      .sort((a, b) => a - b);
    const bounds = [0, ...points, budget];
    const tenths = bounds.slice(1).map((bound, index) => bound - bounds[index]!);
    let next = 0;
    return ids.map((id, index): PartyFault => {
      const mode = kinds[index]!;
      const kind = mode === 'no-fault' ? KINDS[1 + (index % 6)]! : KINDS[index % 7]!;
      if (mode === 'percent') {
        const value = tenths[next++]!;
        return { id, kind, fault: { percent: `${Math.floor(value / 10)}.${value % 10}` } };
      }
      return { id, kind, fault: mode === 'undeterminable' ? 'undeterminable' : 'no-fault' };
    });
  })
  .filter((parties) => parties.some((party) => party.fault !== 'no-fault'));

const paidArbitrary = fc.bigInt({ min: 0n, max: 10n ** 13n });

test('shares add up to the amount paid, are never negative and lie within a fen of the exact portion', () => {
  fc.assert(
    fc.property(paidArbitrary, partiesArbitrary, (paid, parties) => {
      const allocation = allocated(allocateByFault(paid, parties));
      assert.equal(
        allocation.shares.reduce((sum, share) => sum + share.shareFen, 0n),
        paid,
      );
      for (const share of allocation.shares) {
        assert.ok(share.shareFen >= 0n);
        const exactTimesDen = paid * share.portion.num;
        const floor = exactTimesDen / share.portion.den;
        assert.ok(share.shareFen === floor || share.shareFen === floor + 1n);
        if (share.basis === 'no-fault') assert.equal(share.shareFen, 0n);
      }
      assert.equal(allocation.shares.length, parties.length);
    }),
  );
});

test('the allocation does not depend on the order the parties are given in', () => {
  fc.assert(
    fc.property(paidArbitrary, partiesArbitrary, fc.nat(), (paid, parties, seed) => {
      const shuffled = [...parties];
      let state = seed;
      for (let i = shuffled.length - 1; i > 0; i--) {
        state = (state * 1103515245 + 12345) % 2147483648;
        const j = state % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      assert.deepEqual(sharesOf(allocated(allocateByFault(paid, shuffled))), sharesOf(allocated(allocateByFault(paid, parties))));
    }),
  );
});

test('a party whose percentage rises never bears less, and the one that gives it up never bears more', () => {
  fc.assert(
    fc.property(
      paidArbitrary,
      fc.array(fc.nat(1000), { minLength: 1, maxLength: 5 }),
      fc.nat(),
      fc.nat(),
      fc.nat(1000),
      (paid, cuts, from, to, moved) => {
        const points = [...cuts].sort((a, b) => a - b);
        const bounds = [0, ...points, 1000];
        const tenths = bounds.slice(1).map((bound, index) => bound - bounds[index]!);
        const giver = from % tenths.length;
        const taker = to % tenths.length;
        fc.pre(giver !== taker);
        const amount = Math.min(moved, tenths[giver]!);
        const after = [...tenths];
        after[giver]! -= amount;
        after[taker]! += amount;
        const parties = (values: number[]) => values.map((value, index): PartyFault => ({ id: `p${index}`, kind: 'other', fault: { percent: `${Math.floor(value / 10)}.${value % 10}` } }));
        const before = sharesOf(allocated(allocateByFault(paid, parties(tenths))));
        const later = sharesOf(allocated(allocateByFault(paid, parties(after))));
        assert.ok(later[`p${taker}`]! >= before[`p${taker}`]!);
        assert.ok(later[`p${giver}`]! <= before[`p${giver}`]!);
      },
    ),
  );
});
