import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { computeCase } from '../src/batch/compute-case.ts';
import { loadLossCase } from '../src/batch/case-inputs.ts';
import { compareCodePoints } from '../src/domain/code-point-order.ts';
import { computeInvestorLoss } from '../src/domain/loss/investor-loss.ts';
import type { RejectedRow } from '../src/domain/loss/investor-records.ts';
import { writeSyntheticCase } from '../src/demo/synthetic-case.ts';
import { COMPENSATION_HEADER, compensationLine, rejectLine, REJECTS_HEADER } from '../src/io/compensation-csv.ts';
import { InvestorRecordsBuilder, readInvestorFile } from '../src/io/investor-files.ts';

/**
 * The batch reads rows on a fast path — parsed from bytes, spilled in binary, laid out in columns
 * for the engine's integer walks — and leaves every other row to the row checker. Here a case is
 * computed twice: by `computeCase`, and by the plain readers row by row (the row checker, trade
 * objects, the engine's general path), and every byte must agree. The trades file mixes the forms
 * the fast path leaves to the checker with plain rows, often for the same investor: quoted
 * fields, 16-digit quantities, CRLF line ends, an extra column, rows out of time order, a
 * non-ASCII investor, and the synthetic case's own bad rows.
 */
const dir = mkdtempSync(join(tmpdir(), 'redress-batch-reader-'));
const paths = (trades: string) => ({
  plan: join(dir, 'plan.json'), trades: join(dir, trades), holdings: join(dir, 'holdings.csv'),
  market: join(dir, 'market.csv'), index: join(dir, 'index.csv'), actions: join(dir, 'actions.csv'), encoding: 'utf-8' as const,
});

/** compensation.csv and rejects.csv as the row-by-row readers and the general engine make them. */
async function rowByRow(trades: string): Promise<{ compensation: string; rejects: string }> {
  const files = paths(trades);
  const lossCase = await loadLossCase(files);
  const builders = new Map<string, InvestorRecordsBuilder>();
  const rejects: RejectedRow[] = [];
  const builderOf = (investor: string) => {
    let builder = builders.get(investor);
    if (builder === undefined) builders.set(investor, (builder = new InvestorRecordsBuilder(investor)));
    return builder;
  };
  const sink = {
    trade: (investor: string, trade: Parameters<InvestorRecordsBuilder['trade']>[1]) => builderOf(investor).trade(investor, trade),
    holdings: (investor: string, quantity: Parameters<InvestorRecordsBuilder['holdings']>[1]) => builderOf(investor).holdings(investor, quantity),
    ratio: (investor: string, ratio: Parameters<InvestorRecordsBuilder['ratio']>[1]) => builderOf(investor).ratio(investor, ratio),
    bad: (row: RejectedRow) => {
      rejects.push(row);
      builderOf(row.investor).bad(row);
    },
  };
  await readInvestorFile('trades', files.trades, 'utf-8', sink);
  await readInvestorFile('holdings', files.holdings, 'utf-8', sink);
  const lines = [...builders.keys()]
    .filter((investor) => investor.length > 0)
    .sort(compareCodePoints)
    .map((investor) => compensationLine(computeInvestorLoss(builders.get(investor)!.records(), lossCase)));
  rejects.sort((a, b) => compareCodePoints(a.file, b.file) || a.line - b.line);
  return { compensation: COMPENSATION_HEADER + lines.join(''), rejects: REJECTS_HEADER + rejects.map(rejectLine).join('') };
}

/** Rewrites a synthetic trades file into every form the fast path leaves to the checker. */
function unusualForms(text: string): string {
  const [header, ...rows] = text.trimEnd().split('\n');
  const out = rows.map((row, i) => {
    const fields = row.split(',');
    let line: string;
    if (fields.length !== 6) line = row;
    else if (i % 11 === 0) line = `"${fields[0]}",${fields.slice(1).join(',')}`; // a quoted investor
    else if (i % 13 === 0) line = [...fields.slice(0, 5), `"${fields[5]}"`].join(','); // a quoted price
    else if (i % 17 === 0 && /^\d+$/.test(fields[4]!)) line = [...fields.slice(0, 4), fields[4]!.padStart(16, '0'), fields[5]].join(','); // 16 digits
    else line = row;
    return `${line},${i % 5 === 0 ? 'note' : ''}${i % 7 === 0 ? '\r' : ''}`;
  });
  // Blocks of rows in reverse, so that many investors' trades come out of time order.
  const blocks: string[] = [];
  for (let i = 0; i < out.length; i += 40) blocks.push(...out.slice(i, i + 40).reverse());
  // An investor whose id is not ASCII, with plain and quoted rows.
  blocks.push('投资者甲,A9,2021-11-02,B,1000,23.10,', '"投资者甲",A9,2021-11-03T10:00:00,B,500,23.20,', '投资者甲,A9,2022-05-06,S,300,15.00,');
  return `${header},note\n${blocks.join('\n')}\n`;
}

describe('the batch against the row-by-row readers', () => {
  before(async () => {
    await writeSyntheticCase({ investors: 800, seed: 23, outDir: dir, malformed: true });
    writeFileSync(join(dir, 'unusual.csv'), unusualForms(readFileSync(join(dir, 'trades.csv'), 'utf8')));
  });

  for (const trades of ['trades.csv', 'unusual.csv']) {
    it(`agree on every byte of compensation.csv and rejects.csv (${trades})`, async () => {
      const expected = await rowByRow(trades);
      assert.match(expected.compensation, /,payable,/);
      assert.match(expected.rejects, new RegExp(`\\n${trades.replace(".", "\\.")},\\d+,`));
      for (const workers of [1, 2]) {
        for (const spill of ['memory', 'files'] as const) {
          const out = join(dir, `out-${trades}-${workers}-${spill}`);
          await computeCase({ ...paths(trades), out, workers, scanRangeBytes: 20_000, partitionBytes: 30_000, spillMemoryBytes: spill === 'files' ? 0 : undefined, spillBufferBytes: 512 });
          assert.equal(readFileSync(join(out, 'compensation.csv'), 'utf8'), expected.compensation, `${trades}, ${workers} threads, spill to ${spill}`);
          assert.equal(readFileSync(join(out, 'rejects.csv'), 'utf8'), expected.rejects, `${trades}, ${workers} threads, spill to ${spill}`);
        }
      }
    });
  }
});
