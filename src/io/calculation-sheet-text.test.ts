import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadLossCase } from '../batch/case-inputs.ts';
import { OneInvestorSink } from '../cli/explain.ts';
import { buildCalculationSheet, type CalculationSheet } from '../domain/loss/calculation-sheet.ts';
import { computeInvestorLoss } from '../domain/loss/investor-loss.ts';
import type { LossCase } from '../domain/loss/loss-case.ts';
import type { RejectedRow, Trade } from '../domain/loss/investor-records.ts';
import type { SheetStep } from '../domain/loss/walk-steps.ts';
import type { Rational } from '../domain/money/rational.ts';
import { displayWidth, renderCalculationSheet } from './calculation-sheet-text.ts';
import { readInvestorFile, type InvestorRowSink } from './investor-files.ts';

const EXAMPLES = new URL('../../../shared/examples/', import.meta.url).pathname;

/** Every investor of a case, each gathered by its own OneInvestorSink. */
class AllInvestors implements InvestorRowSink {
  readonly sinks = new Map<string, OneInvestorSink>();
  private sink(investor: string): OneInvestorSink {
    let sink = this.sinks.get(investor);
    if (sink === undefined) this.sinks.set(investor, (sink = new OneInvestorSink(investor)));
    return sink;
  }
  trade(investor: string, trade: Trade): void {
    this.sink(investor).trade(investor, trade);
  }
  holdings(investor: string, quantity: Rational): void {
    this.sink(investor).holdings(investor, quantity);
  }
  ratio(investor: string, ratio: Rational): void {
    this.sink(investor).ratio(investor, ratio);
  }
  bad(row: RejectedRow): void {
    if (row.investor !== '') this.sink(row.investor).bad(row);
  }
}

interface ExampleCase {
  lossCase: LossCase;
  sheets: Map<string, CalculationSheet>;
  expected: Map<string, Record<string, string>>;
}

const cases = new Map<string, Promise<ExampleCase>>();

function exampleCase(name: string): Promise<ExampleCase> {
  let loaded = cases.get(name);
  if (loaded === undefined) cases.set(name, (loaded = loadExample(name)));
  return loaded;
}

async function loadExample(name: string): Promise<ExampleCase> {
  const dir = join(EXAMPLES, name);
  const flags = readFileSync(join(dir, 'args.txt'), 'utf8').trim().split(/\s+/);
  const paths: Record<string, string> = {};
  for (let i = 0; i < flags.length; i += 2) paths[flags[i]!.slice(2)] = join(dir, flags[i + 1]!);
  const lossCase = await loadLossCase({ ...paths, plan: paths.plan!, trades: paths.trades!, encoding: 'utf-8' });
  const all = new AllInvestors();
  await readInvestorFile('trades', paths.trades!, 'utf-8', all);
  if (paths.holdings) await readInvestorFile('holdings', paths.holdings, 'utf-8', all);
  if (paths.ratios && lossCase.plan.riskDeduction.method === 'per-investor') await readInvestorFile('ratios', paths.ratios, 'utf-8', all);
  const sheets = new Map<string, CalculationSheet>();
  for (const [investor, sink] of all.sinks) {
    const steps: SheetStep[] = [];
    const result = computeInvestorLoss(sink.records(), lossCase, steps);
    sheets.set(investor, buildCalculationSheet(result, steps, lossCase));
  }
  return { lossCase, sheets, expected: readCompensation(join(dir, 'expected', 'compensation.csv')) };
}

/** compensation.csv rows by investor (fields may be quoted). */
function readCompensation(path: string): Map<string, Record<string, string>> {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const columns = header!.split(',');
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines) {
    const fields = [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((match) => match[1]!.replace(/^"(.*)"$/s, '$1').replaceAll('""', '"'));
    const row = Object.fromEntries(columns.map((column, i) => [column, fields[i] ?? '']));
    rows.set(row.investor!, row);
  }
  return rows;
}

/** The sheet's numbers in the columns of compensation.csv (computed columns blank where the CSV leaves them blank). */
function asCompensationRow(sheet: CalculationSheet): Record<string, string> {
  const loss = sheet.loss;
  const c = sheet.compensation;
  return {
    status: sheet.status,
    avg_buy_price: loss?.averageBuyPrice?.value ?? '',
    avg_sell_price: loss?.averageSellPrice?.value ?? '',
    loss_sold: loss?.legs[0].loss.value ?? '',
    loss_held: loss?.legs[1].loss.value ?? '',
    investment_difference_loss: loss?.total.value ?? '',
    deduction_ratio: sheet.deduction?.ratio?.value ?? '',
    deduction: sheet.deduction?.amount.value ?? '',
    principal: c.principal.value,
    commission: c.commission.value,
    stamp_duty: c.stampDuty.value,
    interest: c.interest.value,
    total: c.total,
  };
}

function pick(row: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, row[key] ?? '']));
}

const COMPARED = ['status', 'avg_buy_price', 'avg_sell_price', 'loss_sold', 'loss_held', 'investment_difference_loss', 'deduction_ratio', 'deduction', 'principal', 'commission', 'stamp_duty', 'interest', 'total'];

const fen = (text: string) => BigInt(text.replace('.', ''));

/** The amounts printed on the compensation lines of a rendered sheet, by label. */
function printedAmounts(text: string, labels: string[]): Map<string, string> {
  const section = text.slice(text.lastIndexOf('\n', text.search(/\n(五、赔付金额|5\. Compensation)\n/) + 1));
  const amounts = new Map<string, string>();
  for (const line of section.split('\n')) {
    for (const label of labels) {
      const match = new RegExp(`^  ${label}\\s.*=\\s+(-?\\d+\\.\\d{2})$`).exec(line);
      if (match && !amounts.has(label)) amounts.set(label, match[1]!);
    }
  }
  return amounts;
}

function assertAddsUp(text: string, lang: 'zh' | 'en', total: string): void {
  const labels = lang === 'zh' ? ['本金', '佣金', '印花税', '利息', '合计'] : ['principal', 'commission', 'stamp duty', 'interest', 'total'];
  const amounts = printedAmounts(text, labels);
  assert.equal(amounts.size, 5, `all five compensation lines are printed:\n${text}`);
  const components = labels.slice(0, 4).map((label) => fen(amounts.get(label)!));
  assert.equal(amounts.get(labels[4]!), total);
  assert.equal(components.reduce((a, b) => a + b, 0n), fen(total), 'the printed total is the sum of the printed components');
}

describe('calculation sheet, case-1018 INV32120 (inflated, moving-weighted average, index comparison)', async () => {
  const { sheets, expected } = await exampleCase('case-1018');
  const sheet = sheets.get('INV32120')!;

  it('carries the numbers of the expected compensation.csv row', () => {
    assert.deepEqual(asCompensationRow(sheet), pick(expected.get('INV32120')!, COMPARED));
    assert.equal(sheet.loss!.eligibleShares, '2700');
    assert.equal(sheet.loss!.soldAfterDisclosure, '2700');
    assert.equal(sheet.loss!.heldAtBase, '0');
    assert.equal(sheet.loss!.averageSellPrice!.exact, '12739/450');
    assert.equal(sheet.loss!.sellValue!.value, '76434.00');
    assert.equal(sheet.keyDates.basePrice.value, '16.3300');
    assert.equal(sheet.keyDates.baseDateRule.kind, 'fallback');
  });

  it('shows the index comparison per leg and per index', () => {
    const [leg] = sheet.deduction!.legs;
    assert.equal(leg!.leg, 'sold');
    assert.equal(leg!.indices.length, 1);
    assert.equal(leg!.indices[0]!.index, '399006.SZ');
    assert.equal(leg!.indices[0]!.entry.value, '4447.5300');
    assert.equal(leg!.indices[0]!.exit.value, '4404.3000');
    assert.equal(leg!.stockChange!.value, '0.161218');
    assert.equal(leg!.ratio.value, '0.060291');
    assert.equal(leg!.amount.value, '885.74');
  });

  it('renders in Chinese with the formulas and a total that adds up', () => {
    const text = renderCalculationSheet(sheet, 'zh');
    for (const term of ['实施日', '揭露日', '基准日', '基准价', '买入均价', '卖出均价', '投资差额损失', '系统风险扣除', '佣金', '印花税', '利息', '合计', '可赔付']) {
      assert.ok(text.includes(term), `zh sheet mentions ${term}`);
    }
    assert.match(text, /\(33\.7500 − 28\.3089\) × 2700\s+=\s+14691\.00/);
    assert.match(text, /76434\.00 ÷ 2700 = 28\.3089/);
    assert.match(text, /14691\.00 × 0\.060291 = 885\.74/);
    assert.match(text, /399006\.SZ\s+4447\.5300\s+4404\.3000/);
    assert.match(text, /13805\.26 × 0\.00025\s+=\s+3\.45/);
    assert.match(text, /13805\.26 × 0\.001\s+=\s+13\.81/);
    assertAddsUp(text, 'zh', '13822.52');
  });

  it('renders in English', () => {
    const text = renderCalculationSheet(sheet, 'en');
    for (const term of ['implementation date', 'disclosure date', 'base date', 'base price', 'investment difference loss', 'market-risk deduction', 'commission', 'stamp duty', 'payable']) {
      assert.ok(text.includes(term), `en sheet mentions ${term}`);
    }
    assert.doesNotMatch(text, /基准日/);
    assertAddsUp(text, 'en', '13822.52');
  });

  it('aligns the trade table by display width', () => {
    const text = renderCalculationSheet(sheet, 'zh');
    const rows = text.split('\n').filter((line) => /^\s+\d+ {2}\d{4}-\d{2}-\d{2}/.test(line));
    assert.equal(rows.length, 46);
    // The price (the first number with 4 decimals) ends in the same display column on every row.
    const priceEnds = new Set(rows.map((line) => {
      const match = /\d+\.\d{4}/.exec(line)!;
      return displayWidth(line.slice(0, match.index + match[0].length));
    }));
    assert.equal(priceEnds.size, 1);
    assert.equal(displayWidth('基准日 16.33'), 12);
  });
});

describe('calculation sheet, case-1001 INV08766 (deflated, per-investor ratios)', async () => {
  const { sheets, expected } = await exampleCase('case-1001');
  const sheet = sheets.get('INV08766')!;

  it('carries the numbers of the expected compensation.csv row', () => {
    assert.deepEqual(asCompensationRow(sheet), pick(expected.get('INV08766')!, COMPARED));
    assert.equal(sheet.loss!.eligibleShares, '30400');
    assert.equal(sheet.loss!.soldAfterDisclosure, '6800');
    assert.equal(sheet.loss!.heldAtBase, '23600');
    assert.equal(sheet.loss!.total.value, '287718.00');
    assert.equal(sheet.deduction!.amount.value, '112210.02');
    assert.equal(sheet.compensation.total, '175639.61');
    assert.deepEqual(sheet.deduction!.legs.map((leg) => [leg.leg, leg.ratio.value]), [['bought-back', '0.390000'], ['not-bought-back', '0.390000']]);
  });

  it('renders the sell-side legs and adds up in both languages', () => {
    const zh = renderCalculationSheet(sheet, 'zh');
    assert.match(zh, /买回部分/);
    assert.match(zh, /\(20\.1000 − 10\.4500\) × 23600\s+=\s+227740\.00/);
    assert.match(zh, /系统风险扣除 D = 23391\.42 \+ 88818\.60 = 112210\.02/);
    assertAddsUp(zh, 'zh', '175639.61');
    const en = renderCalculationSheet(sheet, 'en');
    assert.match(en, /not-bought-back leg/);
    assertAddsUp(en, 'en', '175639.61');
  });
});

describe('calculation sheets of every example investor', () => {
  for (const name of ['case-1001', 'case-1002', 'case-1009', 'case-1018']) {
    it(`${name}: numbers match compensation.csv and every printed sheet adds up`, async () => {
      const { sheets, expected } = await exampleCase(name);
      assert.equal(sheets.size, expected.size);
      for (const [investor, row] of expected) {
        const sheet = sheets.get(investor);
        assert.ok(sheet, `a sheet for ${investor}`);
        const got = asCompensationRow(sheet);
        for (const key of COMPARED) assert.equal(got[key], row[key], `${name} ${investor} ${key}`);
        if (sheet.loss !== null) {
          assert.equal(sheet.loss.eligibleShares, row.eligible_shares, `${name} ${investor} eligible_shares`);
          assert.equal(sheet.loss.soldAfterDisclosure, row.sold_after_disclosure, `${name} ${investor} sold_after_disclosure`);
          assert.equal(sheet.loss.heldAtBase, row.held_at_base, `${name} ${investor} held_at_base`);
          assert.equal(sheet.loss.basePrice.value, row.base_price, `${name} ${investor} base_price`);
        }
        for (const lang of ['zh', 'en'] as const) {
          const text = renderCalculationSheet(sheet, lang);
          assertAddsUp(text, lang, row.total!);
          const statusWord = { zh: { payable: '可赔付', zero: '无损失', ineligible: '不适格', rejected: '已拒绝' }, en: { payable: 'payable', zero: 'no loss', ineligible: 'ineligible', rejected: 'rejected' } }[lang][sheet.status];
          assert.ok(text.includes(statusWord), `${investor} ${lang} names its status`);
        }
      }
    });
  }
});
