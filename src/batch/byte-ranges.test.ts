import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { splitAtNewlines } from './byte-ranges.ts';

test('byte ranges cover the file, each starts after a newline, and the tapered ones end in quarter-sized ranges', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-ranges-'));
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 90 }), { maxLength: 400 }), fc.integer({ min: 1, max: 3000 }), fc.boolean(), async (lengths, target, taper) => {
        const content = lengths.map((length) => `${'x'.repeat(length)}\n`).join('');
        const path = join(dir, 'file.csv');
        writeFileSync(path, content);
        const ranges = await splitAtNewlines(path, content.length, target, taper);
        assert.equal(ranges[0]!.start, 0);
        assert.equal(ranges.at(-1)!.end, content.length);
        for (let i = 0; i < ranges.length; i++) {
          const { start, end } = ranges[i]!;
          assert.ok(start < end || content.length === 0, 'no empty range');
          if (i > 0) {
            assert.equal(start, ranges[i - 1]!.end, 'ranges are contiguous');
            assert.equal(content[start - 1], '\n', 'a range starts after a newline');
          }
        }
        if (taper && content.length > 4 * target) {
          // The head's ranges are about `target` long, the tail's (the last 2 × target bytes) about a quarter.
          const lastStart = ranges.at(-1)!.start;
          assert.ok(content.length - lastStart <= Math.floor(target / 4) + 2 * 91, `last range ${content.length - lastStart} bytes for a target of ${target}`);
        }
      }),
      { numRuns: 300 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
