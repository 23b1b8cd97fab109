import { compareCodePoints } from '../code-point-order.ts';
import type { Fen } from './fen.ts';

export interface Weight {
  id: string;
  /** Any non-negative integer; only the ratios between the weights matter. */
  weight: bigint;
}

/**
 * Divides `total` fen in proportion to the weights so that the parts add up to the total exactly
 * (the largest-remainder method, 最大余额法): each part is first its exact quota rounded down, and the
 * fen still missing go one each to the parts with the largest fractional remainders. Equal
 * remainders are ordered by id in code-point order, so the result never depends on the order of the
 * input. A part is never more than its quota rounded up, and a zero weight gets nothing (the
 * remainders add up to the missing fen and each is below one, so more parts have a remainder than
 * there are fen to give).
 *
 * All quotas share the denominator Σ weight, so the remainders are compared as integers: the
 * arithmetic is exact for any size.
 *
 * Returns the parts in the order of `weights`. Callers check their inputs and refuse bad ones;
 * a negative total or weight, a zero sum of weights with a total to divide, or a repeated id is a
 * defect here and throws.
 */
export function apportionFen(total: Fen, weights: readonly Weight[]): Fen[] {
  if (total < 0n) throw new RangeError(`cannot divide a negative amount (${total} fen)`);
  let sum = 0n;
  const ids = new Set<string>();
  for (const { id, weight } of weights) {
    if (weight < 0n) throw new RangeError(`weight of '${id}' is negative`);
    if (ids.has(id)) throw new RangeError(`'${id}' is weighted twice`);
    ids.add(id);
    sum += weight;
  }
  if (sum === 0n) {
    if (total === 0n) return weights.map(() => 0n);
    throw new RangeError(`cannot divide ${total} fen by weights that are all zero`);
  }
  const parts: Fen[] = [];
  const remainders: bigint[] = [];
  let given = 0n;
  for (const { weight } of weights) {
    const product = total * weight;
    const part = product / sum;
    parts.push(part);
    remainders.push(product - part * sum);
    given += part;
  }
  const missing = Number(total - given);
  if (missing > 0) {
    const order = weights.map((_, index) => index);
    order.sort((a, b) => {
      const x = remainders[a]!;
      const y = remainders[b]!;
      if (x !== y) return x > y ? -1 : 1;
      return compareCodePoints(weights[a]!.id, weights[b]!.id);
    });
    for (let i = 0; i < missing; i++) parts[order[i]!]! += 1n;
  }
  return parts;
}
