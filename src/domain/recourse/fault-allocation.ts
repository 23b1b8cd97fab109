import { compareCodePoints } from '../code-point-order.ts';
import type { Fen } from '../money/fen.ts';
import { formatScaled, Rational } from '../money/rational.ts';
import type { LiablePartyKind } from '../procedure/case-commands.ts';
import { apportionFen } from '../money/largest-remainder.ts';
import { isValidId, refused, type Refused } from './recourse-refusal.ts';

/**
 * How the amount paid to investors is borne among the liable parties (procedure.md step 12).
 * Towards the investors they are jointly and severally liable (连带责任); among themselves each
 * bears a share by its degree of fault, and equal shares where the degrees cannot be told apart
 * (《民法典》第一百七十八条：连带责任人的责任份额根据各自责任大小确定；难以确定责任大小的，平均承担责任).
 * A party that proves it did its duty — a sponsor (保荐机构) that was diligent, an auditor without
 * fault — is not liable at all (《证券法》第八十五条、第一百六十三条) and bears nothing; the issuer is
 * liable whatever its fault (Art. 85) and cannot be marked so.
 *
 * - `{ percent }`: the share found for the party, decimal text such as "37.5" (percent of the whole).
 * - `'undeterminable'`: its share cannot be told apart from the others': the parties so marked
 *   share equally what the percentages leave.
 * - `'no-fault'`: a share of zero.
 *
 * The percentages must add up to exactly 100 when no party is undeterminable. When some are, the
 * percentages must add up to less than 100 and the undeterminable parties share the rest equally:
 * a court that fixes an auditor's share at 10% and cannot tell the issuer's from the controller's
 * leaves them 45% each. Percentages that leave nothing for an undeterminable party are refused
 * rather than giving it a zero share it was not found to deserve.
 */
export type Fault = { percent: string } | 'undeterminable' | 'no-fault';

export interface PartyFault {
  id: string;
  kind: LiablePartyKind;
  fault: Fault;
}

export type ShareBasis = 'percent' | 'equal-share' | 'no-fault';

export interface FaultShare {
  id: string;
  kind: LiablePartyKind;
  basis: ShareBasis;
  /** The exact part of the whole the party bears: 3/5 for 60%, 1/3 for an equal share among three. */
  portion: Rational;
  /** Its share of the amount paid, to the fen. */
  shareFen: Fen;
}

export interface FaultAllocation {
  paidFen: Fen;
  /** One per party, in code-point order of id. The shares add up to `paidFen` exactly. */
  shares: FaultShare[];
}

export type FaultAllocationResult = { ok: true; allocation: FaultAllocation } | Refused;

/** Decimal text of a percentage: digits, optionally a point and more digits. */
const PERCENT = /^(\d{1,3})(?:\.(\d{1,12}))?$/;

/**
 * Allocates `paidFen` among the parties by their portions: each share is the exact portion of the
 * amount rounded down to the fen, and the fen left over go one each to the largest remainders,
 * equal remainders in code-point order of id (largest-remainder.ts). The shares add up to the
 * amount paid exactly, never depend on the order the parties are given in, and a party whose
 * percentage rises never bears less. 100.00 yuan among three undeterminable parties a, b, c gives
 * a 33.34, b 33.33, c 33.33.
 */
export function allocateByFault(paidFen: Fen, parties: readonly PartyFault[]): FaultAllocationResult {
  if (paidFen < 0n) return refused('invalid-amount', `赔付金额不能为负数（${formatScaled(paidFen, 2)} 元）`, `the amount paid cannot be negative (${formatScaled(paidFen, 2)} yuan)`);
  const seen = new Set<string>();
  for (const party of parties) {
    if (!isValidId(party.id)) return refused('invalid-id', `责任主体标识“${party.id}”无效：不能为空，首尾不能有空格`, `liable party id '${party.id}' is not valid: it must not be empty or have spaces around it`);
    if (seen.has(party.id)) return refused('duplicate', `责任主体“${party.id}”重复出现`, `liable party '${party.id}' is given twice`);
    seen.add(party.id);
    if (party.fault === 'no-fault' && party.kind === 'issuer') {
      return refused(
        'issuer-without-fault',
        `发行人“${party.id}”不能认定为无过错：发行人不论有无过错均应承担赔偿责任（《证券法》第八十五条）`,
        `issuer '${party.id}' cannot be found without fault: the issuer is liable whatever its fault (Securities Law Art. 85)`,
      );
    }
  }

  // Every percentage as an integer count of 10^-decimals percent, so that all compare exactly.
  let decimals = 0;
  const parsed = new Map<string, { digits: string; fraction: string }>();
  for (const party of parties) {
    if (typeof party.fault !== 'object') continue;
    const text = party.fault.percent;
    const match = PERCENT.exec(text);
    if (match === null) {
      const negative = text.startsWith('-');
      return refused(
        'invalid-percent',
        negative ? `“${party.id}”的过错比例不能为负数（${text}）` : `“${party.id}”的过错比例“${text}”不是 0 到 100 之间、至多 12 位小数的十进制数（如 37.5）`,
        negative ? `the fault percentage of '${party.id}' cannot be negative (${text})` : `the fault percentage of '${party.id}', '${text}', is not a decimal number from 0 to 100 with at most 12 decimals, such as 37.5`,
      );
    }
    const fraction = match[2] ?? '';
    parsed.set(party.id, { digits: match[1]!, fraction });
    decimals = Math.max(decimals, fraction.length);
  }
  const scale = 10n ** BigInt(decimals);
  const hundred = 100n * scale;
  const scaled = new Map<string, bigint>();
  let percentSum = 0n;
  for (const [id, { digits, fraction }] of parsed) {
    const value = BigInt(digits + fraction.padEnd(decimals, '0'));
    if (value > hundred) {
      return refused('invalid-percent', `“${id}”的过错比例 ${formatScaled(value, decimals)}% 超过 100%`, `the fault percentage of '${id}', ${formatScaled(value, decimals)}%, is above 100%`);
    }
    scaled.set(id, value);
    percentSum += value;
  }

  const undeterminable = BigInt(parties.filter((party) => party.fault === 'undeterminable').length);
  const sumText = formatScaled(percentSum, decimals);
  if (undeterminable === 0n && parsed.size > 0 && percentSum !== hundred) {
    return refused('percentages-not-100', `过错比例合计为 ${sumText}%，应为 100%`, `the fault percentages add up to ${sumText}%, not 100%`);
  }
  if (undeterminable > 0n && percentSum >= hundred) {
    return refused(
      'percentages-not-100',
      `过错比例合计为 ${sumText}%，没有为责任大小难以确定的责任主体留下份额：合计应低于 100%`,
      `the fault percentages add up to ${sumText}%, which leaves nothing for the parties whose fault is undeterminable: they must add up to less than 100%`,
    );
  }
  if (undeterminable === 0n && parsed.size === 0) {
    return refused('no-party-at-fault', '没有承担责任份额的责任主体：至少一方应有过错比例或平均分担', 'no party bears a share: at least one needs a fault percentage or an equal share');
  }

  // Integer weights over a common whole: a percentage counts u times, where u is the number of
  // undeterminable parties, and each of those takes what the percentages leave, once.
  const multiplier = undeterminable === 0n ? 1n : undeterminable;
  const whole = hundred * multiplier;
  const ordered = [...parties].sort((a, b) => compareCodePoints(a.id, b.id));
  const weights = ordered.map((party) => {
    if (party.fault === 'no-fault') return 0n;
    if (party.fault === 'undeterminable') return hundred - percentSum;
    return scaled.get(party.id)! * multiplier;
  });
  const parts = apportionFen(
    paidFen,
    ordered.map((party, index) => ({ id: party.id, weight: weights[index]! })),
  );
  const shares = ordered.map((party, index): FaultShare => ({
    id: party.id,
    kind: party.kind,
    basis: party.fault === 'no-fault' ? 'no-fault' : party.fault === 'undeterminable' ? 'equal-share' : 'percent',
    portion: Rational.of(weights[index]!, whole),
    shareFen: parts[index]!,
  }));
  return { ok: true, allocation: { paidFen, shares } };
}
