import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compareCodePoints } from '../domain/code-point-order.ts';
import { radixKeyOrder } from './key-order.ts';

function layout(ids: string[]) {
  const encoded = ids.map((id) => Buffer.from(id, 'utf8'));
  const keys = Buffer.concat(encoded);
  const keyStart = new Int32Array(ids.length);
  const keyLength = new Int32Array(ids.length);
  let at = 0;
  encoded.forEach((key, g) => {
    keyStart[g] = at;
    keyLength[g] = key.length;
    at += key.length;
  });
  return { keys, keyStart, keyLength };
}

function byCodePoints(ids: string[]): number[] {
  return ids.map((_, g) => g).sort((a, b) => compareCodePoints(ids[a]!, ids[b]!));
}

describe('radixKeyOrder', () => {
  test('orders keys of one length by code point, whatever their bytes', () => {
    // Ids of one UTF-8 length: a stem, then characters of 1 to 4 bytes in the same positions for all.
    const widths = fc.array(fc.constantFrom(1, 2, 3, 4), { minLength: 0, maxLength: 6 });
    const ofWidth = (width: number) =>
      width === 1 ? fc.constantFrom('0', '1', '9', 'A', 'Z', 'a', ',') : width === 2 ? fc.constantFrom('é', 'ÿ', 'Ā', 'ӿ') : width === 3 ? fc.constantFrom('产', '品', '\uffff', '\ue000') : fc.constantFrom('\u{1F600}', '\u{10000}', '\u{10FFFF}');
    fc.assert(
      fc.property(widths.chain((shape) => fc.uniqueArray(fc.tuple(...shape.map(ofWidth)).map((chars) => `INV${chars.join('')}`), { maxLength: 60 })), (ids) => {
        const { keys, keyStart, keyLength } = layout(ids);
        const order = radixKeyOrder(keys, keyStart, keyLength, ids.length);
        if (ids.length > 1 && keyLength[0]! > 24) assert.equal(order, null, 'keys too long for a pass per byte');
        else assert.deepEqual([...order!], byCodePoints(ids));
      }),
      { numRuns: 2000 },
    );
  });

  test('declines keys of different lengths, and keys too long for its passes', () => {
    const mixed = layout(['INV1', 'INV10', 'INV2']);
    assert.equal(radixKeyOrder(mixed.keys, mixed.keyStart, mixed.keyLength, 3), null);
    const long = layout(['x'.repeat(25), 'y'.repeat(25)]);
    assert.equal(radixKeyOrder(long.keys, long.keyStart, long.keyLength, 2), null);
    const ids = ['INV0000009', 'INV0000010', 'INV0000001'];
    const plain = layout(ids);
    assert.deepEqual([...radixKeyOrder(plain.keys, plain.keyStart, plain.keyLength, 3)!], [2, 0, 1]);
  });
});
