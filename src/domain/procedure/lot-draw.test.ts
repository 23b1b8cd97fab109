import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { drawCommitment, drawLots, sampleIndex, verifyDraw, type PublishedDraw } from './lot-draw.ts';

// The seed is the UTF-8 text "redress-draw-example-seed-2026" written as hex (30 bytes).
const SEED = '726564726573732d647261772d6578616d706c652d736565642d32303236';

/*
 * Known answers, computed without this module, with openssl and bc:
 *
 *   printf '%s' "$SEED" | xxd -r -p | openssl dgst -sha256
 *     → 12fcbb7bc299caa09b68e39cde6c73300fb9b4b6c571a39be8fab51e2a782067 (the commitment)
 *   printf 'representatives:0' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$SEED
 *     → 05150ddc78a18503…; echo 'ibase=16; 05150DDC78A18503 % 5' | bc → 1
 *   printf 'representatives:1' | … → aec2638c8ad3c506…; 'ibase=16; AEC2638C8AD3C506 % 4' → 2
 *   printf 'lawyers:0' | … → f9a4a2ebaae537a2…; 'ibase=16; F9A4A2EBAAE537A2 % 3' → 1
 *   printf 'lawyers:1' | … → d7abe9ce18a6a88b…; 'ibase=16; D7ABE9CE18A6A88B % 2' → 1
 *
 * No attempt is rejected: 2^64 mod 5 = 1 and 2^64 mod 3 = 1 reject only 2^64 − 1, 2^64 mod 4 and
 * 2^64 mod 2 are 0 and reject nothing.
 * Representatives sorted by code point: inv-Bob (B = U+0042) < inv-alice (a = U+0061) < inv-李雷
 * (U+674E) < inv-王芳 (U+738B) < inv-陈静 (U+9648). Index 1 of 5 is inv-alice; of the remaining
 * [inv-Bob, inv-李雷, inv-王芳, inv-陈静] index 2 is inv-王芳.
 * Lawyers sorted: law-Qian < law-sun < law-zhou. Index 1 of 3 is law-sun; of [law-Qian, law-zhou]
 * index 1 is law-zhou.
 */
const REPRESENTATIVES = ['inv-王芳', 'inv-alice', 'inv-陈静', 'inv-Bob', 'inv-李雷'];
const LAWYERS = ['law-zhou', 'law-sun', 'law-Qian'];

test('the commitment is SHA-256 of the seed bytes', () => {
  assert.equal(drawCommitment(SEED), '12fcbb7bc299caa09b68e39cde6c73300fb9b4b6c571a39be8fab51e2a782067');
  // SHA-256 of the single byte 0x00, a published test vector.
  assert.equal(drawCommitment('00'), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
});

test('known answer: two representatives and two lawyers drawn from the example seed', () => {
  assert.deepEqual(drawLots({ seedHex: SEED, pool: 'representatives', applicants: REPRESENTATIVES, seats: 2 }).chosen, ['inv-alice', 'inv-王芳']);
  assert.deepEqual(drawLots({ seedHex: SEED, pool: 'lawyers', applicants: LAWYERS, seats: 2 }).chosen, ['law-sun', 'law-zhou']);
});

test('the pool name is part of the message: the same applicants in the other pool draw differently', () => {
  const ids = ['d', 'c', 'b', 'a'];
  // representatives:0 gives 366214185268380931, which is 3 mod 4 (bc): 'd'. lawyers:0 gives
  // 0xF9A4A2EBAAE537A2, which is 2 mod 4: 'c'.
  assert.deepEqual(drawLots({ seedHex: SEED, pool: 'representatives', applicants: ids, seats: 1 }).chosen, ['d']);
  assert.deepEqual(drawLots({ seedHex: SEED, pool: 'lawyers', applicants: ids, seats: 1 }).chosen, ['c']);
});

test('more seats than applicants chooses everyone, in draw order; no seats chooses no one', () => {
  const all = drawLots({ seedHex: SEED, pool: 'representatives', applicants: REPRESENTATIVES, seats: 9 }).chosen;
  assert.equal(all.length, 5);
  assert.deepEqual([...all].sort(), [...REPRESENTATIVES].sort());
  assert.deepEqual(all.slice(0, 2), ['inv-alice', 'inv-王芳']);
  assert.deepEqual(drawLots({ seedHex: SEED, pool: 'representatives', applicants: REPRESENTATIVES, seats: 0 }).chosen, []);
  assert.deepEqual(drawLots({ seedHex: SEED, pool: 'lawyers', applicants: [], seats: 3 }).chosen, []);
});

test('the draw does not depend on the order in which the applicants are listed', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' }), { minLength: 1, maxLength: 12 }),
      fc.uint8Array({ minLength: 16, maxLength: 32 }),
      fc.integer({ min: 0, max: 12 }),
      fc.constantFrom('representatives' as const, 'lawyers' as const),
      fc.func(fc.integer()),
      (applicants, seed, seats, pool, key) => {
        const seedHex = Buffer.from(seed).toString('hex');
        const shuffled = [...applicants].sort((a, b) => key(a) - key(b) || (a < b ? -1 : 1));
        const one = drawLots({ seedHex, pool, applicants, seats }).chosen;
        const other = drawLots({ seedHex, pool, applicants: shuffled, seats }).chosen;
        assert.deepEqual(other, one);
        assert.equal(one.length, Math.min(seats, applicants.length));
        assert.equal(new Set(one).size, one.length);
        for (const id of one) assert.ok(applicants.includes(id));
      },
    ),
  );
});

test('rejection sampling refuses the top values that would favour low indices', () => {
  const max = (1n << 64n) - 1n;
  // 2^64 mod 3 = 1: only 2^64 − 1 is rejected for three applicants.
  assert.equal(sampleIndex(max, 3), null);
  assert.equal(sampleIndex(max - 1n, 3), Number((max - 1n) % 3n));
  // 2^64 mod 6 = 4: the four values 2^64 − 4 … 2^64 − 1 are rejected.
  assert.equal(sampleIndex(max - 3n, 6), null);
  assert.equal(sampleIndex(max - 4n, 6), 5); // (2^64 − 5) mod 6 = (4 − 5 + 6) mod 6
  assert.equal(sampleIndex(0n, 6), 0);
  // A power of two divides 2^64: nothing is rejected.
  assert.equal(sampleIndex(max, 4), 3);
  assert.throws(() => sampleIndex(1n << 64n, 4), /64-bit/);
  assert.throws(() => sampleIndex(0n, 0), /among 0/);
});

test('drawLots refuses a malformed seed or a duplicated applicant', () => {
  assert.throws(() => drawLots({ seedHex: 'abc', pool: 'lawyers', applicants: ['a'], seats: 1 }), /hex/);
  assert.throws(() => drawLots({ seedHex: 'ABCD', pool: 'lawyers', applicants: ['a'], seats: 1 }), /hex/);
  assert.throws(() => drawLots({ seedHex: SEED, pool: 'lawyers', applicants: ['a', 'a'], seats: 1 }), /twice/);
});

const PUBLISHED: PublishedDraw = {
  commitment: '12fcbb7bc299caa09b68e39cde6c73300fb9b4b6c571a39be8fab51e2a782067',
  seedHex: SEED,
  pool: 'representatives',
  applicants: REPRESENTATIVES,
  seats: 2,
  chosen: ['inv-alice', 'inv-王芳'],
};

test('verifyDraw accepts the published draw and catches tampering', () => {
  assert.deepEqual(verifyDraw(PUBLISHED), { ok: true });

  const tampered = verifyDraw({ ...PUBLISHED, chosen: ['inv-alice', 'inv-陈静'] });
  assert.equal(tampered.ok, false);
  if (!tampered.ok) assert.match(tampered.problem.en, /\[inv-alice, inv-王芳\]/);

  // The right people in the wrong order is also a different draw.
  assert.equal(verifyDraw({ ...PUBLISHED, chosen: ['inv-王芳', 'inv-alice'] }).ok, false);

  const wrongSeed = verifyDraw({ ...PUBLISHED, seedHex: `${SEED.slice(0, -2)}37` });
  assert.equal(wrongSeed.ok, false);
  if (!wrongSeed.ok) assert.match(wrongSeed.problem.en, /not the commitment/);

  // Dropping inv-Bob shifts every index: of [inv-alice, inv-李雷, inv-王芳, inv-陈静] index
  // 366214185268380931 mod 4 = 3 (bc) is inv-陈静.
  const changed = verifyDraw({ ...PUBLISHED, applicants: REPRESENTATIVES.filter((id) => id !== 'inv-Bob') });
  assert.equal(changed.ok, false);
  if (!changed.ok) assert.match(changed.problem.zh, /inv-陈静/);

  const malformed = verifyDraw({ ...PUBLISHED, applicants: ['x', 'x'] });
  assert.equal(malformed.ok, false);
  assert.equal(verifyDraw({ ...PUBLISHED, commitment: 'nope' }).ok, false);
  assert.equal(verifyDraw({ ...PUBLISHED, seats: -1 }).ok, false);
});
