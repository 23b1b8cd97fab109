import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { PlanError } from '../src/domain/plan/loss-plan.ts';
import { parsePlanDocument } from '../src/domain/plan/plan-document.ts';
import { parseCourtAwards } from '../src/io/court-awards-file.ts';
import { FileError } from '../src/io/csv-scan.ts';
import { parseExchangeDeclarations } from '../src/io/exchange-declarations-file.ts';
import { readInvestorFile, type InvestorFileKind } from '../src/io/investor-files.ts';
import { parsePaymentResults } from '../src/io/payment-files.ts';
import { readPlanFile } from '../src/io/plan-file.ts';
import { readActionsFile, readIndexFile, readMarketFile } from '../src/io/shared-data-files.ts';

/**
 * Every reader of an outside file, and the plan validator, on thousands of generated inputs —
 * rows that are almost right, rows that are garbage, quotes, control characters, byte-order marks,
 * CR LF, huge numbers, other scripts: none may crash. A reader either takes the input, or answers
 * with an error that names a line of the file (a JSON path for a plan document), and a per-row
 * reader accounts for every row it was given.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'redress-fuzz-'));
const RUNS = 1000;

/** A field as the registry might send it, or get wrong. */
const field = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('INV0000001', 'INV0000002', '0110561980', '2022-01-10', '2022-01-10T09:30:00', 'B', 'S', '100', '21.49', '0.3', '3460.46', '000001.SH', 'accept', 'refuse', 'paid', 'failed', '1.00') },
  { weight: 2, arbitrary: fc.integer({ min: -10, max: 1_000_000 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('', '"', '""', '"a,b"', '"unterminated', '2022-02-30', '2022-13-01T25:61:61', '1e5', '-0.5', '99999999999999999999999', '0.0001', ' 7 ', 'Ｂ', '投资者', '\u0000', '\t', '\u00a0', '\ufeff') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
);
const row = (columns: number) => fc.array(field, { minLength: Math.max(0, columns - 2), maxLength: columns + 2 }).map((fields) => fields.join(','));
const csv = (header: string, columns: number) =>
  fc.record({
    // Mostly the right header; sometimes one with a column missing, repeated or garbled.
    header: fc.oneof({ weight: 6, arbitrary: fc.constant(header) }, { weight: 1, arbitrary: row(columns) }, { weight: 1, arbitrary: fc.constant(header.split(',').slice(1).join(',')) }, { weight: 1, arbitrary: fc.constant(`${header},${header.split(',')[0]}`) }),
    bom: fc.boolean(), crlf: fc.boolean(), rows: fc.array(row(columns), { maxLength: 12 }), trailingNewline: fc.boolean(),
  }).map(({ header: first, bom, crlf, rows, trailingNewline }) => {
    const newline = crlf ? '\r\n' : '\n';
    return `${bom ? '\ufeff' : ''}${[first, ...rows].join(newline)}${trailingNewline ? newline : ''}`;
  });
const linesOf = (text: string) => text.split('\n').length;

let fileNumber = 0;
function fileWith(text: string, name: string): string {
  const path = join(work, `${fileNumber++}-${name}`);
  writeFileSync(path, text);
  return path;
}

/** A thrown error must be a FileError naming a line of the file (or none, for the file as a whole). */
function assertLinePrecise(error: unknown, text: string): void {
  assert.ok(error instanceof FileError, `not a FileError: ${String(error)}`);
  if (error.line !== null) assert.ok(error.line >= 1 && error.line <= linesOf(text), `line ${error.line} of a file of ${linesOf(text)} lines`);
  assert.ok(error.message.length > 0 && error.fix.length > 0);
}

describe('file readers under generated input', () => {
  after(() => assert.ok(fileNumber >= 6 * RUNS, `${fileNumber} files read`));
  for (const [kind, header, columns] of [['trades', 'investor,account,time,side,quantity,price', 6], ['holdings', 'investor,account,quantity', 3], ['ratios', 'investor,ratio', 2]] as [InvestorFileKind, string, number][]) {
    it(`${kind}.csv: every row taken or rejected with its line, nothing lost, nothing twice`, async () => {
      await fc.assert(fc.asyncProperty(csv(header, columns), async (text) => {
        const lines: number[] = [];
        try {
          await readInvestorFile(kind, fileWith(text, `${kind}.csv`), 'utf-8', {
            trade: (_investor, trade) => void lines.push(trade.line),
            holdings: (_investor, _quantity, line) => void lines.push(line),
            ratio: (_investor, _ratio, line) => void lines.push(line),
            bad: (rejected) => {
              assert.ok(rejected.reason.length > 0);
              lines.push(rejected.line);
            },
          });
        } catch (error) {
          assertLinePrecise(error, text);
          return;
        }
        assert.equal(new Set(lines).size, lines.length, 'no row delivered twice');
        for (const line of lines) assert.ok(line >= 2 && line <= linesOf(text), `line ${line}`);
        const rows = text.replace(/^\ufeff/, '').split(/\r?\n/).slice(1);
        const written = (text.endsWith('\n') ? rows.slice(0, -1) : rows).length;
        assert.ok(lines.length <= written, `${lines.length} rows accounted for, ${written} written`);
        if (!text.includes('"')) assert.equal(lines.length, written, 'without quotes, each line is one row, taken or rejected');
      }), { numRuns: RUNS });
    });
  }

  for (const [name, header, columns, read] of [
    ['market.csv', 'date,close,volume,float', 4, readMarketFile],
    ['index.csv', 'date,index,close', 3, readIndexFile],
    ['actions.csv', 'date,ratio', 2, readActionsFile],
  ] as const) {
    it(`${name}: taken whole, or refused with the line at fault`, async () => {
      await fc.assert(fc.asyncProperty(csv(header, columns), async (text) => {
        try {
          await (read as (path: string, encoding: 'utf-8') => Promise<unknown>)(fileWith(text, name), 'utf-8');
        } catch (error) {
          assertLinePrecise(error, text);
        }
      }), { numRuns: RUNS });
    });
  }

  const lineErrorsWithin = (errors: { line: number }[], text: string) => {
    for (const error of errors) assert.ok(Number.isInteger(error.line) && error.line >= 1 && error.line <= linesOf(text), `line ${error.line}`);
  };

  it('the exchange\'s declaration file: rows or errors with lines, never a crash', () => {
    fc.assert(fc.property(csv('offer_id,investor,account,units,declaration,declared_on,broker', 7), (text) => {
      const parsed = parseExchangeDeclarations(text, 'declarations.csv');
      lineErrorsWithin([...parsed.rows, ...parsed.errors], text);
    }), { numRuns: RUNS });
  });

  it('the bank\'s payment results: rows or errors with lines, never a crash', () => {
    fc.assert(fc.property(csv('offer_id,amount,outcome,reason', 4), (text) => {
      const parsed = parsePaymentResults(text);
      lineErrorsWithin([...parsed.results, ...parsed.errors], text);
    }), { numRuns: RUNS });
  });

  it('court awards: rows or errors with lines, never a crash', () => {
    fc.assert(fc.property(csv('investor,amount,judgment,judgment_date', 4), (text) => {
      const parsed = parseCourtAwards(text);
      lineErrorsWithin([...parsed.rows, ...parsed.errors], text);
    }), { numRuns: RUNS });
  });
});

/** A JSON value changed at one place: a key removed, a value replaced by anything, or a key added. */
function mutated(value: unknown): fc.Arbitrary<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(node)) node.forEach((inner, index) => walk(inner, [...path, index]));
    else if (node !== null && typeof node === 'object') for (const [key, inner] of Object.entries(node)) walk(inner, [...path, key]);
  };
  walk(value, []);
  return fc.tuple(fc.constantFrom(...paths), fc.constantFrom('remove', 'replace', 'add'), fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 6 })).map(([path, how, replacement, key]) => {
    const copy = structuredClone(value) as Record<string | number, unknown>;
    if (path.length === 0) return how === 'replace' ? replacement : copy;
    const parent = path.slice(0, -1).reduce<any>((node, step) => node[step], copy);
    const last = path.at(-1)!;
    if (how === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (how === 'replace') {
      parent[last] = replacement;
    } else if (parent[last] !== null && typeof parent[last] === 'object' && !Array.isArray(parent[last])) {
      parent[last][`x${key}`] = replacement;
    }
    return copy;
  });
}

describe('the plan validator under generated input', () => {
  const document = JSON.parse(readFileSync(join(root, 'examples/plans/demo-plan.v1.json'), 'utf8')) as unknown;
  const lossPlan = readFileSync(join(root, 'examples/demo-case/plan.json'), 'utf8');

  it('a plan document changed anywhere is taken, or refused with the JSON path of the problem', () => {
    fc.assert(fc.property(mutated(document), (candidate) => {
      try {
        parsePlanDocument(candidate);
      } catch (error) {
        assert.ok(error instanceof PlanError, `not a PlanError: ${String(error)}`);
        // The path leads into the document as given: every step but the last exists there.
        let node: any = candidate;
        for (const step of error.path.slice(0, -1)) {
          assert.ok(node !== null && typeof node === 'object' && step in node, `path ${error.path.join('.')} does not lead into the document`);
          node = node[step];
        }
      }
    }), { numRuns: RUNS * 2 });
  });

  it('a plan.json changed in its values or its text is read, or refused with the line at fault', async () => {
    const asText = fc.oneof(
      mutated(JSON.parse(lossPlan)).map((value) => JSON.stringify(value, null, 2) ?? ''),
      fc.tuple(fc.nat(lossPlan.length), fc.nat(8), fc.string({ maxLength: 4 })).map(([at, cut, insert]) => lossPlan.slice(0, at) + insert + lossPlan.slice(at + cut)),
    );
    await fc.assert(fc.asyncProperty(asText, async (text) => {
      try {
        await readPlanFile(fileWith(text, 'plan.json'));
      } catch (error) {
        assertLinePrecise(error, text);
      }
    }), { numRuns: RUNS });
  });
});
