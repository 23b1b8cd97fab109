import { createHash } from 'node:crypto';

/**
 * The one way Redress fingerprints a document (a plan version, a hearing record, an audit entry's
 * payload): SHA-256 over its canonical JSON. Canonical JSON sorts object keys by code point,
 * writes no whitespace and refuses values JSON cannot carry exactly, so that two programs holding
 * the same document compute the same hash, and anyone can recompute a published one.
 *
 * Hashing is a pure function of its input; `node:crypto` is used only for SHA-256.
 */
export type CanonicalValue = null | boolean | number | string | bigint | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue | undefined };

/**
 * Canonical JSON: keys sorted by code point, no whitespace, `undefined` members left out. A bigint
 * (money in fen) is written as a JSON string of its digits, so a hash never depends on whether a
 * reader parsed it as a number. Non-finite and non-integer numbers are refused: amounts and
 * ratios travel as decimal strings, never as binary floating point.
 */
export function canonicalJson(value: CanonicalValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'number':
      if (!Number.isSafeInteger(value)) throw new TypeError(`canonical JSON takes only safe integers, not ${value}; write decimals as strings`);
      return String(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item as CanonicalValue)).join(',')}]`;
      const record = value as { readonly [key: string]: CanonicalValue | undefined };
      const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort(byCodePoint);
      return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key]!)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

/** SHA-256 of the canonical JSON of `value`, as 64 lowercase hex digits. */
export function contentHash(value: CanonicalValue): string {
  return sha256Hex(canonicalJson(value));
}

/** SHA-256 of a UTF-8 string (or bytes), as 64 lowercase hex digits. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function byCodePoint(a: string, b: string): number {
  // Object keys are compared as code points so that the order does not depend on UTF-16 quirks.
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const difference = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return x.length - y.length;
}
