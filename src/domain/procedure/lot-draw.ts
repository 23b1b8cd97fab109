import { createHmac } from 'node:crypto';
import { compareCodePoints } from '../code-point-order.ts';
import { sha256Hex } from '../content-hash.ts';
import type { BilingualText } from './bilingual-text.ts';

/**
 * The drawing of lots (抽签) for the seats the applicants did not fill by agreement (procedure.md
 * step 4). The administrator commits to a secret seed when the announcement opens by publishing its
 * SHA-256; after the period ends the seed is revealed and the draw is a deterministic function of
 * the seed, the pool's name and the applicant list, so anyone can recompute it:
 *
 * 1. The seed is a string of bytes written as lowercase hex; the commitment is SHA-256 of those
 *    bytes (not of the hex text), written as 64 lowercase hex digits.
 * 2. The applicant ids of the pool are sorted by Unicode code point; this list is `remaining`.
 * 3. For i = 0, 1, 2, … while fewer than `seats` are chosen and `remaining` is not empty:
 *    h = HMAC-SHA256(key = seed bytes, message = UTF-8 of `${pool}:${i}`), where pool is
 *    `representatives` or `lawyers` and i is written in decimal; x = the first 8 bytes of h as an
 *    unsigned big-endian integer; n = the length of `remaining`. If x ≥ 2^64 − (2^64 mod n) the
 *    attempt is rejected (so that every applicant is equally likely) and i moves on; otherwise the
 *    applicant at index x mod n (0-based) is chosen, appended to `chosen` and removed from `remaining`.
 *
 * `chosen` is in the order drawn. The order in which applications arrived never matters, and every
 * attempt uses a fresh i, accepted or not.
 */
export type DrawPool = 'representatives' | 'lawyers';

export const DRAW_POOLS: readonly DrawPool[] = ['representatives', 'lawyers'];

export interface DrawInput {
  seedHex: string;
  pool: DrawPool;
  applicants: readonly string[];
  seats: number;
}

/** What the case publishes for each pool drawn, enough for anyone to recompute the draw. */
export interface PublishedDraw {
  commitment: string;
  seedHex: string;
  pool: DrawPool;
  applicants: readonly string[];
  seats: number;
  chosen: readonly string[];
}

export type DrawVerification = { ok: true } | { ok: false; problem: BilingualText };

const HEX_BYTES = /^(?:[0-9a-f]{2})+$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const TWO_TO_64 = 1n << 64n;

/** SHA-256 of the seed's bytes: what is published before the draw. */
export function drawCommitment(seedHex: string): string {
  return sha256Hex(seedBytes(seedHex));
}

/** The applicants chosen for `seats` seats of one pool, in the order drawn (see the module comment). */
export function drawLots(input: DrawInput): { chosen: string[] } {
  const key = seedBytes(input.seedHex);
  if (!Number.isSafeInteger(input.seats) || input.seats < 0) throw new RangeError(`seats must be a whole number ≥ 0, not ${input.seats}`);
  const remaining = [...input.applicants].sort(compareCodePoints);
  for (let k = 1; k < remaining.length; k++) {
    if (remaining[k] === remaining[k - 1]) throw new RangeError(`applicant '${remaining[k]}' is listed twice`);
  }
  const chosen: string[] = [];
  for (let attempt = 0; chosen.length < input.seats && remaining.length > 0; attempt++) {
    const digest = createHmac('sha256', key).update(`${input.pool}:${attempt}`, 'utf8').digest();
    const index = sampleIndex(digest.readBigUInt64BE(0), remaining.length);
    if (index === null) continue;
    chosen.push(remaining.splice(index, 1)[0]!);
  }
  return { chosen };
}

/**
 * Maps a uniform 64-bit value onto 0…size−1 without bias: values at or above the largest multiple
 * of `size` that fits below 2^64 are rejected (null), the rest are taken modulo `size`.
 */
export function sampleIndex(value: bigint, size: number): number | null {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`cannot sample among ${size} applicants`);
  if (value < 0n || value >= TWO_TO_64) throw new RangeError('the sampled value must be a 64-bit unsigned integer');
  const n = BigInt(size);
  if (value >= TWO_TO_64 - (TWO_TO_64 % n)) return null;
  return Number(value % n);
}

/**
 * Recomputes a published draw: the seed must match the commitment and the recomputed chosen list
 * must equal the published one, in order. Never throws; a malformed record is a problem too.
 */
export function verifyDraw(published: PublishedDraw): DrawVerification {
  const shape = shapeProblem(published);
  if (shape !== null) return { ok: false, problem: shape };
  if (drawCommitment(published.seedHex) !== published.commitment) {
    return {
      ok: false,
      problem: {
        zh: `种子的 SHA-256 为 ${drawCommitment(published.seedHex)}，与抽签前公布的承诺值 ${published.commitment} 不符`,
        en: `the seed's SHA-256 is ${drawCommitment(published.seedHex)}, not the commitment ${published.commitment} published before the draw`,
      },
    };
  }
  const { chosen } = drawLots(published);
  const same = chosen.length === published.chosen.length && chosen.every((id, k) => published.chosen[k] === id);
  if (same) return { ok: true };
  return {
    ok: false,
    problem: {
      zh: `按公布的种子和申请人名单重新计算，${poolZh(published.pool)}中签结果应为 [${chosen.join(', ')}]，而公布的是 [${published.chosen.join(', ')}]`,
      en: `recomputed from the published seed and applicant list, the ${published.pool} drawn are [${chosen.join(', ')}], but [${published.chosen.join(', ')}] were published`,
    },
  };
}

function seedBytes(seedHex: string): Buffer {
  // Buffer.from(…, 'hex') stops silently at the first bad digit, so the text is checked first.
  if (!HEX_BYTES.test(seedHex)) throw new RangeError('the seed must be a non-empty even number of lowercase hex digits');
  return Buffer.from(seedHex, 'hex');
}

function shapeProblem(published: PublishedDraw): BilingualText | null {
  const record = published as unknown as Record<string, unknown>;
  if (typeof record !== 'object' || record === null) return { zh: '抽签记录不是一个对象', en: 'the draw record is not an object' };
  if (typeof record.commitment !== 'string' || !SHA256_HEX.test(record.commitment)) {
    return { zh: '承诺值须为 64 位小写十六进制数', en: 'the commitment must be 64 lowercase hex digits' };
  }
  if (typeof record.seedHex !== 'string' || !HEX_BYTES.test(record.seedHex)) {
    return { zh: '种子须为偶数位的小写十六进制数', en: 'the seed must be an even number of lowercase hex digits' };
  }
  if (record.pool !== 'representatives' && record.pool !== 'lawyers') {
    return { zh: '抽签池须为 representatives 或 lawyers', en: "the pool must be 'representatives' or 'lawyers'" };
  }
  if (typeof record.seats !== 'number' || !Number.isSafeInteger(record.seats) || record.seats < 0) {
    return { zh: '席位数须为非负整数', en: 'the number of seats must be a whole number ≥ 0' };
  }
  const applicants = record.applicants;
  if (!Array.isArray(applicants) || !applicants.every((id) => typeof id === 'string')) {
    return { zh: '申请人名单须为字符串列表', en: 'the applicant list must be a list of strings' };
  }
  if (new Set(applicants).size !== applicants.length) return { zh: '申请人名单中有重复', en: 'the applicant list names someone twice' };
  const chosen = record.chosen;
  if (!Array.isArray(chosen) || !chosen.every((id) => typeof id === 'string')) {
    return { zh: '中签名单须为字符串列表', en: 'the chosen list must be a list of strings' };
  }
  return null;
}

function poolZh(pool: DrawPool): string {
  return pool === 'representatives' ? '投资者代表' : '投资者律师';
}
