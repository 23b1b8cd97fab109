import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CalculationSheet } from '../domain/loss/calculation-sheet.ts';
import { explainHelp, runExplain } from './explain.ts';

const EXAMPLES = new URL('../../../shared/examples/', import.meta.url).pathname;

/** The flags of `redress compute` for an example case (args.txt), with paths made absolute. */
function caseArgs(name: string): string[] {
  const dir = join(EXAMPLES, name);
  return readFileSync(join(dir, 'args.txt'), 'utf8').trim().split(/\s+/).map((arg) => (arg.startsWith('--') ? arg : join(dir, arg)));
}

/**
 * Runs the command in-process with its output captured. Usage errors are written by runCommand
 * to process.stderr; those string writes are captured too while the command runs.
 */
async function explain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const original = process.stderr.write;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string') {
      stderr += chunk;
      return true;
    }
    return (original as (...args: unknown[]) => boolean).call(process.stderr, chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    const code = await runExplain(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
    return { code, stdout, stderr };
  } finally {
    process.stderr.write = original;
  }
}

/** trades.csv lines (header = line 1) of an investor. */
function tradeLines(name: string, investor: string): number[] {
  const lines = readFileSync(join(EXAMPLES, name, 'trades.csv'), 'utf8').split('\n');
  return lines.flatMap((line, index) => (line.startsWith(`${investor},`) ? [index + 1] : []));
}

describe('redress explain', () => {
  it('prints the Chinese sheet of case-1018 INV32120 by default', async () => {
    const { code, stdout, stderr } = await explain([...caseArgs('case-1018'), '--investor', 'INV32120']);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    assert.match(stdout, /投资者\s+INV32120/);
    assert.match(stdout, /基准日\s+2024-02-15/);
    assert.match(stdout, /基准价\s+16\.3300/);
    assert.match(stdout, /\(33\.7500 − 28\.3089\) × 2700\s+=\s+14691\.00/);
    assert.match(stdout, /合计\s.*13805\.26 \+ 3\.45 \+ 13\.81 \+ 0\.00\s+=\s+13822\.52/);
    assert.match(stdout, /结论: 可赔付, 合计 13822\.52 元/);
  });

  it('prints the English sheet with --lang en', async () => {
    const { code, stdout } = await explain([...caseArgs('case-1018'), '--investor', 'INV32120', '--lang', 'en']);
    assert.equal(code, 0);
    assert.match(stdout, /base date\s+2024-02-15/);
    assert.match(stdout, /total\s.*13805\.26 \+ 3\.45 \+ 13\.81 \+ 0\.00\s+=\s+13822\.52/);
    assert.match(stdout, /conclusion: payable, total 13822\.52 yuan/);
  });

  it('prints the sheet as JSON with the trades and their line numbers', async () => {
    const { code, stdout } = await explain([...caseArgs('case-1018'), '--investor', 'INV32120', '--format', 'json']);
    assert.equal(code, 0);
    assert.ok(stdout.startsWith('{\n  "investor": "INV32120"'), 'two-space indent');
    const sheet = JSON.parse(stdout) as CalculationSheet;
    assert.equal(sheet.status, 'payable');
    assert.equal(sheet.compensation.total, '13822.52');
    assert.equal(sheet.compensation.principal.value, '13805.26');
    assert.equal(sheet.compensation.commission.value, '3.45');
    assert.equal(sheet.compensation.stampDuty.value, '13.81');
    assert.equal(sheet.loss!.averageBuyPrice!.value, '33.7500');
    assert.equal(sheet.loss!.averageSellPrice!.value, '28.3089');
    assert.equal(sheet.loss!.legs[0].loss.value, '14691.00');
    assert.equal(sheet.deduction!.ratio!.value, '0.060291');
    assert.equal(sheet.deduction!.amount.value, '885.74');
    const lines = sheet.history.flatMap((event) => ('trade' in event ? [event.trade.line] : [])).sort((a, b) => a - b);
    assert.deepEqual(lines, tradeLines('case-1018', 'INV32120'));
    const first = sheet.history.find((event) => event.kind === 'trade');
    assert.deepEqual(first, {
      kind: 'trade',
      trade: { line: 9, time: '2023-07-18T11:45:39', account: 'A6266175930', side: 'B', quantity: '3700', price: '24.3000' },
      period: 'pre-window', pool: 'pre-window', taken: null,
      pools: { preWindow: '3700', eligible: '0', late: '0' }, eligible: '0', average: null, counted: null, position: null,
    });
    // Trades after the base date are followed for the position only (a missing position there still rejects).
    const afterBase = sheet.history.filter((event) => event.kind === 'trade' && event.period === 'after-base');
    assert.deepEqual(afterBase.map((event) => event.kind === 'trade' && event.trade.line), [411, 412, 415]);
  });

  it('explains case-1001 INV08766 (deflated, per-investor ratio)', async () => {
    const { code, stdout } = await explain([...caseArgs('case-1001'), '--investor', 'INV08766', '--format', 'json']);
    assert.equal(code, 0);
    const sheet = JSON.parse(stdout) as CalculationSheet;
    assert.equal(sheet.direction, 'deflated');
    assert.equal(sheet.loss!.eligibleShares, '30400');
    assert.equal(sheet.loss!.soldAfterDisclosure, '6800');
    assert.equal(sheet.loss!.heldAtBase, '23600');
    assert.equal(sheet.loss!.total.value, '287718.00');
    assert.equal(sheet.deduction!.amount.value, '112210.02');
    assert.equal(sheet.compensation.total, '175639.61');
    assert.deepEqual(sheet.history.flatMap((event) => ('trade' in event ? [event.trade.line] : [])).sort((a, b) => a - b), tradeLines('case-1001', 'INV08766'));
    const text = await explain([...caseArgs('case-1001'), '--investor', 'INV08766']);
    assert.match(text.stdout, /合计\s.*175507\.98 \+ 43\.88 \+ 87\.75 \+ 0\.00\s+=\s+175639\.61/);
  });

  it('explains a rejected investor with its reason', async () => {
    const { code, stdout } = await explain([...caseArgs('case-1001'), '--investor', 'INV65499', '--lang', 'en']);
    assert.equal(code, 0);
    assert.match(stdout, /conclusion: rejected: trades\.csv line 26 is invalid: side 'b' is not B or S/);
    assert.match(stdout, /total\s.*=\s+0\.00/);
  });

  it('exits 2 with one line naming an investor absent from every input', async () => {
    const { code, stdout, stderr } = await explain([...caseArgs('case-1018'), '--investor', 'NOBODY']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr.trimEnd().split('\n').length, 1);
    assert.match(stderr, /NOBODY/);
  });

  it('exits 2 on a bad flag, printing the usage', async () => {
    const missing = await explain(caseArgs('case-1018'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--investor is required/);
    assert.ok(missing.stderr.includes(explainHelp));
    const lang = await explain([...caseArgs('case-1018'), '--investor', 'INV32120', '--lang', 'fr']);
    assert.equal(lang.code, 2);
    assert.match(lang.stderr, /--lang fr/);
    const format = await explain([...caseArgs('case-1018'), '--investor', 'INV32120', '--format', 'csv']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format csv/);
  });
});
