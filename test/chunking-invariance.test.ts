import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { computeCase } from '../src/batch/compute-case.ts';
import { writeSyntheticCase } from '../src/demo/synthetic-case.ts';

/**
 * However the input is cut — byte ranges, partitions, threads — and in whatever order the
 * investors' rows come, every output byte is the same. Run on a synthetic case with opening
 * holdings, a bonus action, merged accounts and investment products, plus a few bad rows.
 */
const dir = mkdtempSync(join(tmpdir(), 'redress-chunking-'));
let reference: Record<string, string>;

const files = (caseDir: string, trades = 'trades.csv') => ({
  plan: join(caseDir, 'plan.json'), trades: join(caseDir, trades), holdings: join(caseDir, 'holdings.csv'),
  market: join(caseDir, 'market.csv'), index: join(caseDir, 'index.csv'), actions: join(caseDir, 'actions.csv'),
  encoding: 'utf-8' as const,
});

const read = (out: string) => Object.fromEntries(['compensation.csv', 'rejects.csv', 'sheets.jsonl'].map((name) => [name, readFileSync(join(out, name), 'utf8')]));

describe('chunking invariance', () => {
  before(async () => {
    await writeSyntheticCase({ investors: 600, seed: 11, outDir: dir, malformed: true });
    const out = join(dir, 'reference');
    await computeCase({ ...files(dir), out, workers: 1, sheets: true });
    reference = read(out);
    assert.match(reference['rejects.csv']!, /\ntrades\.csv,\d+,/, 'the case has bad rows');
    assert.match(reference['compensation.csv']!, /,payable,/);
  });

  it('a small input runs on one thread unless told otherwise, with the same bytes', async () => {
    const out = join(dir, 'default-threads');
    const summary = await computeCase({ ...files(dir), out, sheets: true });
    assert.equal(summary.workers, 1);
    assert.deepEqual(read(out), reference);
  });

  it('byte ranges, partition sizes, thread counts and spilling to memory or files never change an output byte', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2_000, max: 400_000 }),
        fc.integer({ min: 5_000, max: 2_000_000 }),
        fc.constantFrom(1, 2, 3),
        fc.boolean(),
        fc.integer({ min: 16, max: 200_000 }),
        async (scanRangeBytes, partitionBytes, workers, spillToFiles, spillBufferBytes) => {
          const out = join(dir, `run-${run++}`);
          const spillMemoryBytes = spillToFiles ? 0 : undefined;
          const summary = await computeCase({ ...files(dir), out, workers, scanRangeBytes, partitionBytes, spillMemoryBytes, spillBufferBytes, sheets: true });
          assert.deepEqual(
            read(out), reference,
            `ranges of ${scanRangeBytes} B, partitions of ${partitionBytes} B, ${workers} threads (${summary.partitions} partitions), spill to ${spillToFiles ? 'files' : 'memory'} in buffers of ${spillBufferBytes} B`,
          );
        },
      ),
      { numRuns: 8 },
    );
  });

  it('reordering the rows of different investors changes no compensation byte', async () => {
    // A clean case: with bad rows the reasons cite line numbers, which a reordering moves.
    const cleanDir = join(dir, 'clean');
    await writeSyntheticCase({ investors: 600, seed: 12, outDir: cleanDir });
    const [header, ...clean] = readFileSync(join(cleanDir, 'trades.csv'), 'utf8').trimEnd().split('\n');
    const out = join(cleanDir, 'out');
    await computeCase({ ...files(cleanDir), out, workers: 1 });
    const expected = readFileSync(join(out, 'compensation.csv'), 'utf8');
    assert.doesNotMatch(expected, /,rejected,/);

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        // Interleave the investors in a random order while each keeps its own rows in order:
        // a stable sort on a random key per investor.
        let state = seed;
        const keyOf = new Map<string, number>();
        const key = (investor: string) => {
          if (!keyOf.has(investor)) {
            state = (state * 48271) % 2147483647;
            keyOf.set(investor, state);
          }
          return keyOf.get(investor)!;
        };
        const shuffled = clean.map((row, index) => ({ row, index, key: key(row.slice(0, row.indexOf(','))) }))
          .sort((a, b) => a.key - b.key || a.index - b.index)
          .map((entry) => entry.row);
        writeFileSync(join(cleanDir, 'shuffled.csv'), `${[header, ...shuffled].join('\n')}\n`);
        const shuffledOut = join(cleanDir, `shuffled-${seed}`);
        await computeCase({ ...files(cleanDir, 'shuffled.csv'), out: shuffledOut, workers: 2, scanRangeBytes: 50_000, partitionBytes: 100_000 });
        assert.equal(readFileSync(join(shuffledOut, 'compensation.csv'), 'utf8'), expected);
      }),
      { numRuns: 4 },
    );
  });
});
