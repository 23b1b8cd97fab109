import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * End-to-end runs of the `redress` command as a user runs it: a child process on the files of
 * the example cases (with the expected results of an independent implementation), on malformed
 * and GB18030 files, and with one thread against two.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(root, 'test/fixtures');
const cases = readdirSync(fixtures).filter((name) => name.startsWith('case-'));

function redress(args: string[], cwd = root, nodeOptions: string[] = []) {
  const run = spawnSync(process.execPath, [...nodeOptions, join(root, 'bin/redress.js'), ...args], { cwd, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function caseArgs(name: string): string[] {
  return ['compute', ...readFileSync(join(fixtures, name, 'args.txt'), 'utf8').trim().split(/\s+/)];
}

/** compensation.csv as rows keyed by column, `reason` left out (its wording is ours). */
function withoutReason(csv: string): string[] {
  const [header, ...rows] = csv.trim().split('\n');
  const reason = header!.split(',').indexOf('reason');
  return rows.map((row) => {
    // Reasons never contain a quote in these files, so a plain split is exact here.
    const fields = row.split(',');
    fields.splice(reason, 1);
    return fields.join(',');
  });
}

describe('redress compute on the example cases', () => {
  for (const name of cases) {
    it(`${name}: every column but reason equals the expected result, and rejects.csv too`, () => {
      const out = mkdtempSync(join(tmpdir(), `redress-${name}-`));
      const run = redress([...caseArgs(name), '--out', out], join(fixtures, name));
      assert.equal(run.code, 0, run.stderr);
      const expected = readFileSync(join(fixtures, name, 'expected/compensation.csv'), 'utf8');
      const actual = readFileSync(join(out, 'compensation.csv'), 'utf8');
      assert.equal(actual.split('\n')[0], expected.split('\n')[0], 'header');
      assert.deepEqual(withoutReason(actual), withoutReason(expected));
      const rejectKey = (text: string) => text.trim().split('\n').map((line) => line.split(',').slice(0, 3).join(','));
      assert.deepEqual(rejectKey(readFileSync(join(out, 'rejects.csv'), 'utf8')), rejectKey(readFileSync(join(fixtures, name, 'expected/rejects.csv'), 'utf8')));
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      assert.match(summary.inputs.sha256, /^[0-9a-f]{64}$/);
      assert.equal(summary.counts.investors, expected.trim().split('\n').length - 1);
    });
  }

  it('gives byte-identical output with one thread and with two', () => {
    const one = mkdtempSync(join(tmpdir(), 'redress-w1-'));
    const two = mkdtempSync(join(tmpdir(), 'redress-w2-'));
    assert.equal(redress([...caseArgs('case-1018'), '--out', one, '--workers', '1'], join(fixtures, 'case-1018')).code, 0);
    assert.equal(redress([...caseArgs('case-1018'), '--out', two, '--workers', '2'], join(fixtures, 'case-1018')).code, 0);
    for (const file of ['compensation.csv', 'rejects.csv', 'summary.json']) {
      assert.equal(readFileSync(join(one, file), 'utf8'), readFileSync(join(two, file), 'utf8'), file);
    }
  });

  it('runs its worker threads under a Node option that only a whole process takes', () => {
    // A V8 flag on the command line (here a larger young generation) is the process's; a worker
    // started with it among its options would refuse to start.
    const plain = mkdtempSync(join(tmpdir(), 'redress-plain-'));
    const flagged = mkdtempSync(join(tmpdir(), 'redress-flagged-'));
    assert.equal(redress([...caseArgs('case-1018'), '--out', plain, '--workers', '2'], join(fixtures, 'case-1018')).code, 0);
    const run = redress([...caseArgs('case-1018'), '--out', flagged, '--workers', '2'], join(fixtures, 'case-1018'), ['--max-semi-space-size=32']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(join(flagged, 'compensation.csv'), 'utf8'), readFileSync(join(plain, 'compensation.csv'), 'utf8'));
  });

  it('totals in summary.json are the sums of the compensation.csv columns', () => {
    const out = mkdtempSync(join(tmpdir(), 'redress-totals-'));
    assert.equal(redress([...caseArgs('case-1009'), '--out', out], join(fixtures, 'case-1009')).code, 0);
    const [header, ...rows] = readFileSync(join(out, 'compensation.csv'), 'utf8').trim().split('\n');
    const columns = header!.split(',');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    for (const column of ['investment_difference_loss', 'deduction', 'principal', 'commission', 'stamp_duty', 'total']) {
      const at = columns.indexOf(column);
      const fen = rows.reduce((total, row) => total + BigInt((row.split(',')[at] || '0').replace('.', '')), 0n);
      assert.equal(summary.totals[column], `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`, column);
    }
    // SPC2003: the float of day 1 (1,291,174,858) is reached on trading day 7, with no 10-day floor.
    assert.equal(summary.plan.baseDate, '2018-02-27');
    assert.equal(summary.counts.payable + summary.counts.zero + summary.counts.ineligible + summary.counts.rejected, rows.length);
  });
});

describe('redress demo-data, then compute and explain on its output', () => {
  it('computes a generated case end to end and explains one payable investor', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-demo-'));
    const generated = redress(['demo-data', '--investors', '300', '--seed', '5', '--out', dir]);
    assert.equal(generated.code, 0, generated.stderr);
    const args = ['--plan', 'plan.json', '--trades', 'trades.csv', '--holdings', 'holdings.csv', '--market', 'market.csv', '--index', 'index.csv', '--actions', 'actions.csv'];
    const run = redress(['compute', ...args, '--out', 'out'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^300 investors: \d+ payable/);
    const compensation = readFileSync(join(dir, 'out', 'compensation.csv'), 'utf8').trim().split('\n');
    assert.equal(compensation.length, 301);
    const payable = compensation.find((row) => row.split(',')[1] === 'payable')!;
    const [investor] = payable.split(',');
    const total = payable.split(',').at(-1)!;
    const sheet = redress(['explain', ...args, '--investor', investor!, '--lang', 'en'], dir);
    assert.equal(sheet.code, 0, sheet.stderr);
    assert.match(sheet.stdout, new RegExp(`conclusion: payable, total ${total.replace('.', '\\.')} yuan`));
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    assert.equal(summary.plan.riskDeduction.method, 'index-comparison');
    assert.match(summary.plan.basePrice, /^\d+\.\d{2}$/);
  });

  it('--sheets writes every investor\'s sheet, as explain prints it, the same for one thread and two', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-sheets-'));
    assert.equal(redress(['demo-data', '--investors', '120', '--seed', '9', '--out', dir]).code, 0);
    const args = ['--plan', 'plan.json', '--trades', 'trades.csv', '--holdings', 'holdings.csv', '--market', 'market.csv', '--index', 'index.csv', '--actions', 'actions.csv'];
    for (const workers of ['1', '2']) {
      const run = redress(['compute', ...args, '--sheets', '--workers', workers, '--out', `out${workers}`], dir);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /sheets\.jsonl/);
    }
    const sheets = readFileSync(join(dir, 'out1', 'sheets.jsonl'), 'utf8');
    assert.equal(sheets, readFileSync(join(dir, 'out2', 'sheets.jsonl'), 'utf8'));
    const lines = sheets.trim().split('\n').map((line) => JSON.parse(line) as { investor: string; sheet: unknown });
    const investors = readFileSync(join(dir, 'out1', 'compensation.csv'), 'utf8').trim().split('\n').slice(1).map((row) => row.split(',')[0]);
    assert.deepEqual(lines.map((line) => line.investor), investors);
    for (const line of [lines[0]!, lines[57]!, lines.at(-1)!]) {
      const explained = redress(['explain', ...args, '--investor', line.investor, '--format', 'json'], dir);
      assert.equal(explained.code, 0, explained.stderr);
      assert.deepEqual(line.sheet, JSON.parse(explained.stdout));
    }
    // A later run without --sheets removes the sheets of the earlier one.
    assert.equal(redress(['compute', ...args, '--out', 'out1'], dir).code, 0);
    assert.equal(existsSync(join(dir, 'out1', 'sheets.jsonl')), false);
  });
});

describe('redress compute on bad input', () => {
  it('a malformed row goes to rejects.csv with file, line and reason, and the rest is computed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-bad-'));
    cpSync(join(fixtures, 'case-1002'), dir, { recursive: true });
    const trades = readFileSync(join(dir, 'trades.csv'), 'utf8').split('\n');
    trades.splice(3, 0, 'INV-NEW,A1,2013-06-01T10:00:00,B,100,1e2', 'INV-NEW2,A2,2013-06-01,B,-5,10.00', 'INV-NEW3,A3,2013-06-01,B,100');
    writeFileSync(join(dir, 'trades.csv'), trades.join('\n'));
    const out = join(dir, 'out');
    const run = redress([...caseArgs('case-1002'), '--out', out], dir);
    assert.equal(run.code, 0, run.stderr);
    const rejects = readFileSync(join(out, 'rejects.csv'), 'utf8').trim().split('\n');
    assert.deepEqual(rejects.slice(1, 4), [
      "trades.csv,4,INV-NEW,price '1e2' is not a non-negative decimal number",
      "trades.csv,5,INV-NEW2,quantity '-5' is not a positive integer",
      'trades.csv,6,INV-NEW3,5 fields where the header has 6',
    ]);
    const compensation = readFileSync(join(out, 'compensation.csv'), 'utf8');
    assert.match(compensation, /\nINV-NEW,rejected,bad row: trades\.csv line 4: price '1e2'/);
    assert.match(compensation, /\nINV-NEW3,rejected,/);
    // Everyone else is still computed, with the lines of the original file shifted by three.
    assert.match(compensation, /\nINV18171,payable,,4375,0,4375,9\.6080,/);
  });

  it('a row with an open quote or a control character rejects the investor it names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-quote-'));
    cpSync(join(fixtures, 'case-1002'), dir, { recursive: true });
    const trades = readFileSync(join(dir, 'trades.csv'), 'utf8').split('\n');
    // INV18171 is payable in the clean case; each of these rows must stop it from being paid.
    trades.splice(1, 0, 'INV18171,"A1,2013-08-01,S,500,13', 'INV97773,A\u0001,2013-06-03,B,1000,12');
    writeFileSync(join(dir, 'trades.csv'), trades.join('\n'));
    const out = join(dir, 'out');
    assert.equal(redress([...caseArgs('case-1002'), '--out', out], dir).code, 0);
    const rejects = readFileSync(join(out, 'rejects.csv'), 'utf8');
    assert.match(rejects, /\ntrades\.csv,2,INV18171,unterminated quote/);
    assert.match(rejects, /\ntrades\.csv,3,INV97773,a control character inside a field/);
    const compensation = readFileSync(join(out, 'compensation.csv'), 'utf8');
    assert.match(compensation, /\nINV18171,rejected,bad row: trades\.csv line 2: unterminated quote/);
    assert.match(compensation, /\nINV97773,rejected,bad row: trades\.csv line 3: a control character/);
  });

  it('a decimal written as a JSON number, or a key written twice, is named with its line and fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-plan-number-'));
    cpSync(join(fixtures, 'case-1002'), dir, { recursive: true });
    const plan = readFileSync(join(dir, 'plan.json'), 'utf8');
    writeFileSync(join(dir, 'number.json'), plan.replace('"commissionRate": "0.00025"', '"commissionRate": 0.00025'));
    writeFileSync(join(dir, 'twice.json'), plan.replace('"ruleSet": "SPC2022",', '"ruleSet": "SPC2022",\n  "ruleSet": "SPC2003",'));
    const args = (planFile: string) => [...caseArgs('case-1002').map((arg) => (arg === 'plan.json' ? planFile : arg)), '--out', join(dir, 'out')];
    const number = redress(args('number.json'), dir);
    assert.equal(number.code, 2);
    assert.match(number.stderr, /^redress: number\.json line 14: fees\.commissionRate must be a string: write decimal numbers in quotes/);
    const twice = redress(args('twice.json'), dir);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /^redress: twice\.json line 8: the key "ruleSet" appears twice in the same object; fix: /);
  });

  it('a plan with an unknown key stops with one line naming file, line and fix, exit 2, no output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-plan-'));
    cpSync(join(fixtures, 'case-1002'), dir, { recursive: true });
    const plan = readFileSync(join(dir, 'plan.json'), 'utf8').replace('"averagePrice": "fifo",', '"averagePrice": "fifo",\n  "avergePrice": "fifo",');
    writeFileSync(join(dir, 'plan.json'), plan);
    const out = join(dir, 'out');
    const run = redress([...caseArgs('case-1002'), '--out', out], dir);
    assert.equal(run.code, 2);
    assert.equal(run.stderr.trim().split('\n').length, 1);
    assert.match(run.stderr, /^redress: plan\.json line 12: avergePrice unknown key "avergePrice".*; fix: /);
    assert.equal(existsSync(join(out, 'compensation.csv')), false);
  });

  it('a fixed ratio above 1 is clamped to 1, as every k is, with a warning that it deducts every loss in full', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-ratio-'));
    cpSync(join(fixtures, 'case-1002'), dir, { recursive: true });
    const original = readFileSync(join(dir, 'plan.json'), 'utf8');
    const runWith = (ratio: string) => {
      const plan = original.replace(/"riskDeduction": \{[^}]*\}/, `"riskDeduction": { "method": "fixed", "ratio": "${ratio}" }`);
      assert.notEqual(plan, original);
      writeFileSync(join(dir, 'plan.json'), plan);
      const run = redress([...caseArgs('case-1002'), '--out', join(dir, ratio)], dir);
      assert.equal(run.code, 0, run.stderr);
      return { stderr: run.stderr, compensation: readFileSync(join(dir, ratio, 'compensation.csv'), 'utf8') };
    };
    const one = runWith('1');
    const more = runWith('25');
    assert.equal(one.stderr, '');
    assert.match(more.stderr, /^redress: warning: riskDeduction\.ratio "25" is above 1: k is clamped to 1, so every positive leg is deducted in full/);
    assert.equal(more.compensation, one.compensation);
    const rows = one.compensation.trim().split('\n').slice(1);
    assert.ok(rows.some((row) => row.includes(',zero,') && row.includes(',1.000000,')), 'a loss deducted in full');
    assert.ok(rows.every((row) => !row.includes(',payable,')));
  });

  it('a repeated market row is an error for the whole case, and leaves no output, not even an earlier one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-market-'));
    cpSync(join(fixtures, 'case-1018'), dir, { recursive: true });
    assert.equal(redress([...caseArgs('case-1018'), '--out', join(dir, 'out')], dir).code, 0);
    assert.equal(existsSync(join(dir, 'out', 'compensation.csv')), true);
    const market = readFileSync(join(dir, 'market.csv'), 'utf8').split('\n');
    market.splice(3, 0, market[2]!);
    writeFileSync(join(dir, 'market.csv'), market.join('\n'));
    const run = redress([...caseArgs('case-1018'), '--out', join(dir, 'out')], dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^redress: market\.csv line 4: date 2023-07-04 repeats line 3; fix: /);
    assert.equal(existsSync(join(dir, 'out', 'compensation.csv')), false);
    assert.equal(existsSync(join(dir, 'out', 'summary.json')), false);
  });

  it('too few market rows to decide the base date stops the case', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-short-'));
    cpSync(join(fixtures, 'case-1018'), dir, { recursive: true });
    const market = readFileSync(join(dir, 'market.csv'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'market.csv'), `${[market[0], ...market.slice(1).filter((line) => line < '2024-01-10')].join('\n')}\n`);
    const run = redress([...caseArgs('case-1018'), '--out', join(dir, 'out')], dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /too few market rows to decide the base date/);
  });

  it('a missing flag prints the usage and exits 2', () => {
    const run = redress(['compute', '--plan', 'plan.json']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--trades is required/);
    assert.match(run.stderr, /Usage:/);
  });
});

describe('redress compute on Windows line ends and a byte order mark', () => {
  it('gives the same output as the plain UTF-8 file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-crlf-'));
    cpSync(join(fixtures, 'case-1018'), dir, { recursive: true });
    for (const name of ['trades.csv', 'holdings.csv', 'market.csv', 'index.csv']) {
      const text = readFileSync(join(dir, name), 'utf8').replaceAll('\n', '\r\n');
      writeFileSync(join(dir, name), name === 'trades.csv' ? `\ufeff${text}` : text);
    }
    const plain = mkdtempSync(join(tmpdir(), 'redress-plain-'));
    assert.equal(redress([...caseArgs('case-1018'), '--out', plain, '--workers', '1'], join(fixtures, 'case-1018')).code, 0);
    const run = redress([...caseArgs('case-1018'), '--out', join(dir, 'out'), '--workers', '2'], dir);
    assert.equal(run.code, 0, run.stderr);
    for (const file of ['compensation.csv', 'rejects.csv']) {
      assert.equal(readFileSync(join(dir, 'out', file), 'utf8'), readFileSync(join(plain, file), 'utf8'), file);
    }
  });
});

describe('redress compute on a GB18030 file', () => {
  it('reads Chinese investor ids from GB18030 with --encoding gb18030 and writes them as UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-gb-'));
    cpSync(join(fixtures, 'case-1002'), dir, { recursive: true });
    // GB18030 bytes of "产品-916" written by hand: 产 = B2 FA, 品 = C6 B7.
    const utf8 = readFileSync(join(dir, 'trades.csv'));
    const text = utf8.toString('utf8');
    assert.ok(text.includes('产品-916'));
    const parts = text.split('产品');
    const chunks: Buffer[] = [];
    parts.forEach((part, index) => {
      if (index > 0) chunks.push(Buffer.from([0xb2, 0xfa, 0xc6, 0xb7]));
      chunks.push(Buffer.from(part, 'ascii'));
    });
    writeFileSync(join(dir, 'trades.csv'), Buffer.concat(chunks));
    const utfOut = mkdtempSync(join(tmpdir(), 'redress-utf-'));
    assert.equal(redress([...caseArgs('case-1002'), '--out', utfOut], join(fixtures, 'case-1002')).code, 0);
    const gbOut = join(dir, 'out');
    const run = redress([...caseArgs('case-1002'), '--encoding', 'gb18030', '--out', gbOut], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(join(gbOut, 'compensation.csv'), 'utf8'), readFileSync(join(utfOut, 'compensation.csv'), 'utf8'));
  });
});
