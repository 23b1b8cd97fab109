/**
 * The order of investors' UTF-8 keys, by a least-significant-byte radix sort, when every key has
 * the same length (ids like INV0012345 mostly do): for keys of one length, byte order is
 * lexicographic order, and UTF-8's byte order is code-point order, the order of every output.
 * About ten times cheaper than sorting the ids as strings with a comparator; null for keys of
 * different lengths (or long ones), which the caller sorts as strings.
 *
 * `keys[keyStart[g], keyStart[g] + keyLength[g])` is the key of group g, for g < count.
 */
export function radixKeyOrder(keys: Uint8Array, keyStart: Int32Array, keyLength: Int32Array, count: number): Int32Array | null {
  let order = new Int32Array(count);
  for (let g = 0; g < count; g++) order[g] = g;
  if (count < 2) return order;
  const length = keyLength[0]!;
  if (length > MAX_KEY_BYTES) return null;
  for (let g = 1; g < count; g++) if (keyLength[g] !== length) return null;
  let next = new Int32Array(count);
  const counts = new Int32Array(257);
  for (let position = length - 1; position >= 0; position--) {
    counts.fill(0);
    for (let g = 0; g < count; g++) counts[keys[keyStart[g]! + position]! + 1]!++;
    // A byte every key shares (a common stem) orders nothing: skip its pass.
    if (counts[keys[keyStart[0]! + position]! + 1] === count) continue;
    for (let byte = 0; byte < 256; byte++) counts[byte + 1]! += counts[byte]!;
    for (let k = 0; k < count; k++) {
      const g = order[k]!;
      next[counts[keys[keyStart[g]! + position]!]!++] = g;
    }
    [order, next] = [next, order];
  }
  return order;
}

/** Past this, a pass per byte costs more than comparing strings. */
const MAX_KEY_BYTES = 24;
