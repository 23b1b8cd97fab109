import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, contentHash, sha256Hex } from './content-hash.ts';

test('canonical JSON sorts keys by code point, drops undefined and writes bigint as a string', () => {
  assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, d: 12345n }), '{"a":[true,null,"x"],"b":1,"d":"12345"}');
  // U+FF5E sorts before U+1F600 by code point, though after it by UTF-16 code unit (0xFF5E > 0xD83D).
  assert.equal(canonicalJson({ '😀': 2, '～': 1 }), '{"～":1,"😀":2}');
});

test('canonical JSON refuses numbers that are not safe integers', () => {
  assert.throws(() => canonicalJson({ ratio: 0.1 }), /safe integers/);
  assert.throws(() => canonicalJson(Number.NaN), /safe integers/);
});

test('the hash does not depend on key order, and is SHA-256 of the canonical text', () => {
  assert.equal(contentHash({ a: 1, b: 'x' }), contentHash({ b: 'x', a: 1 }));
  assert.equal(contentHash({}), sha256Hex('{}'));
  // SHA-256 of the empty string, a published test vector.
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});
