import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InvestorPartitioner, releaseSpillMemory, SpillWriter } from './spill-records.ts';

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
        // The whole trie, and tries cut short at one and at two nodes, which leave ranges of
        // boundaries to the binary search.
        const partitioners = [undefined, 1, 2].map((budget) => new InvestorPartitioner(boundaries.map((boundary) => boundary.toString('utf8')), budget));
        // Keys: random ids, every boundary itself, and each boundary cut short by a byte.
        const candidates = [...keys.map((text) => Buffer.from(text, 'utf8')), ...boundaries, ...boundaries.map((boundary) => boundary.subarray(0, -1))];
        for (const key of candidates) {
          // Inside a larger buffer, as the scan reads it.
          const line = Buffer.concat([Buffer.from('x,'), key, Buffer.from(',y')]);
          for (const partitioner of partitioners) {
            assert.equal(partitioner.partitionOfKey(line, 2, 2 + key.length), reference(boundaries, key), `key ${JSON.stringify(key.toString('utf8'))}`);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('ids with a common stem: below, inside and above the boundaries', () => {
    for (const budget of [undefined, 1]) {
      const partitioner = new InvestorPartitioner(['INV0250000', 'INV0500000', 'INV0750000'], budget);
      const of = (key: string) => partitioner.partitionOfKey(Buffer.from(key), 0, Buffer.byteLength(key));
      assert.deepEqual(
        ['', 'A', 'INV', 'INV0', 'INV0249999', 'INV0250000', 'INV02500000', 'INV05', 'INV0750000', 'INV1', 'J', '产品-1'].map(of),
        [0, 0, 0, 0, 0, 1, 1, 1, 3, 3, 3, 3],
      );
    }
  });

  test('a million ids of one form, against the definition', () => {
    // As the scan meets them: 86 boundaries among INV0000000 … INV1099999.
    const boundaries = Array.from({ length: 86 }, (_, i) => `INV${String(Math.floor(((i + 1) * 1_100_000) / 87) + (i % 7)).padStart(7, '0')}`);
    const bytes = boundaries.map((boundary) => Buffer.from(boundary));
    const partitioner = new InvestorPartitioner(boundaries);
    for (let n = 0; n < 1_100_000; n += 997) {
      const key = Buffer.from(`INV${String(n).padStart(7, '0')}`);
      assert.equal(partitioner.partitionOfKey(key, 0, key.length), reference(bytes, key));
    }
  });
});

describe('the spill in memory', () => {
  const trade = { timeKey: 20210301_00000, isBuy: true, quantity: 100, priceMilli: 12_500 };
  const key = Buffer.from('INV0000001,A1');
  const view = new DataView(key.buffer, key.byteOffset, key.length);
  const chunkOf = (writer: SpillWriter) => {
    assert.ok(writer.appendTrade(0, 2, key, view, 0, 10, key, view, 11, 13, trade));
    writer.close();
    return writer.memoryChunks()[0]![0]!;
  };

  test('comes from one shared slab per thread, which a computation lets go when it ends', () => {
    releaseSpillMemory();
    const first = chunkOf(new SpillWriter(null, 1, 256));
    const second = chunkOf(new SpillWriter(null, 1, 256));
    assert.ok(first.buffer instanceof SharedArrayBuffer);
    // Scan tasks of one thread carve their buffers one after another from the same slab.
    assert.equal(second.buffer, first.buffer);
    assert.equal(second.byteOffset, first.byteOffset + 256);
    assert.equal(first.length, 7 + 10 + 2 + 16);
    releaseSpillMemory();
    const third = chunkOf(new SpillWriter(null, 1, 256));
    assert.notEqual(third.buffer, first.buffer);
    // The chunks carved before are still whole.
    assert.equal(Buffer.from(first).subarray(6, 16).toString('latin1'), 'INV0000001');
    releaseSpillMemory();
  });
});
