import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InvestorPartitioner } from './spill-records.ts';

/** The partition by definition: how many boundaries are at or below the key, in byte order. */
function reference(boundaries: Buffer[], key: Buffer): number {
  return boundaries.filter((boundary) => Buffer.compare(key, boundary) >= 0).length;
}

// Ids over a small alphabet with a shared stem, so that boundaries and keys share long prefixes,
// end inside each other's prefix, and step over the bytes the partitioner's table is indexed by.
const letter = fc.constantFrom('I', 'N', 'V', '0', '1', '9', 'A', 'z', '产', '品', '-', '\u00ff', '\u{1F600}');
const stem = fc.constantFrom('', 'INV0', 'INV00', '产品-');
const id = fc.tuple(stem, fc.array(letter, { maxLength: 6 })).map(([head, tail]) => head + tail.join(''));

describe('InvestorPartitioner', () => {
  test('a key goes to the partition of the boundaries at or below it, in UTF-8 byte order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(id, { maxLength: 40 }), fc.array(id, { minLength: 1, maxLength: 40 }), (ids, keys) => {
        const boundaries = ids.map((text) => Buffer.from(text, 'utf8')).sort(Buffer.compare);
        const partitioner = new InvestorPartitioner(boundaries.map((boundary) => boundary.toString('utf8')));
        // Keys: random ids, every boundary itself, and each boundary cut short by a byte.
        const candidates = [...keys.map((text) => Buffer.from(text, 'utf8')), ...boundaries, ...boundaries.map((boundary) => boundary.subarray(0, -1))];
        for (const key of candidates) {
          // Inside a larger buffer, as the scan reads it.
          const line = Buffer.concat([Buffer.from('x,'), key, Buffer.from(',y')]);
          assert.equal(partitioner.partitionOfKey(line, 2, 2 + key.length), reference(boundaries, key), `key ${JSON.stringify(key.toString('utf8'))}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('ids with a common stem: below, inside and above the boundaries', () => {
    const partitioner = new InvestorPartitioner(['INV0250000', 'INV0500000', 'INV0750000']);
    const of = (key: string) => partitioner.partitionOfKey(Buffer.from(key), 0, Buffer.byteLength(key));
    assert.deepEqual(
      ['', 'A', 'INV', 'INV0', 'INV0249999', 'INV0250000', 'INV02500000', 'INV05', 'INV0750000', 'INV1', 'J', '产品-1'].map(of),
      [0, 0, 0, 0, 0, 1, 1, 1, 3, 3, 3, 3],
    );
  });
});
