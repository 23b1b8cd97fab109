import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { extractText, extractTextItems, getDocumentProxy, getMeta, type StructuredTextItem } from 'unpdf';
import { loadLossCase } from '../batch/case-inputs.ts';
import { OneInvestorSink } from '../cli/explain.ts';
import { buildCalculationSheet, type CalculationSheet } from '../domain/loss/calculation-sheet.ts';
import { computeInvestorLoss } from '../domain/loss/investor-loss.ts';
import type { SheetStep } from '../domain/loss/walk-steps.ts';
import { displayWidth, renderCalculationSheet } from './calculation-sheet-text.ts';
import { readInvestorFile } from './investor-files.ts';
import {
  layOutGridLine, OfferStatementRefused, renderOfferStatementPdf, wrapToColumns, type OfferStatement, type OfferStatementRefusalCode,
} from './offer-statement-pdf.ts';

const FIXTURE = new URL('../../test/fixtures/case-1001/', import.meta.url).pathname;
const INVESTOR = 'INV08766';
const OFFER_ID = 'offer-5d41402abc4b2a76b971';
const PLAN_SHA = createHash('sha256').update('plan v2').digest('hex');
const AGREEMENT_SHA = createHash('sha256').update('agreement v2').digest('hex');
const CLAUSE_LONG = '不接受的后果：投资者不接受赔付或者在接受期内未申报的，视为不接受赔付，不影响其依法向人民法院提起诉讼的权利；投资者可以在管理人网站下载本人的赔付金额及计算说明，供诉讼使用。';

/** The calculation sheet of one investor of case-1001, built as `redress explain` builds it. */
async function sheetOf(investor: string): Promise<CalculationSheet> {
  const flags = readFileSync(join(FIXTURE, 'args.txt'), 'utf8').trim().split(/\s+/);
  const paths: Record<string, string> = {};
  for (let i = 0; i < flags.length; i += 2) paths[flags[i]!.slice(2)] = join(FIXTURE, flags[i + 1]!);
  const lossCase = await loadLossCase({ ...paths, plan: paths.plan!, trades: paths.trades!, encoding: 'utf-8' });
  const sink = new OneInvestorSink(investor);
  await readInvestorFile('trades', paths.trades!, 'utf-8', sink);
  await readInvestorFile('holdings', paths.holdings!, 'utf-8', sink);
  await readInvestorFile('ratios', paths.ratios!, 'utf-8', sink);
  const steps: SheetStep[] = [];
  return buildCalculationSheet(computeInvestorLoss(sink.records(), lossCase, steps), steps, lossCase);
}

const sheet = await sheetOf(INVESTOR);

function statement(overrides: Partial<OfferStatement> = {}): OfferStatement {
  return {
    caseTitle: '测试股份（688754）虚假陈述先行赔付',
    security: { code: '688754', name: '测试股份' },
    investor: INVESTOR,
    offerId: OFFER_ID,
    amountFen: 17_563_961n,
    planVersion: 2,
    planSha256: PLAN_SHA,
    agreementSha256: AGREEMENT_SHA,
    window: { opensOn: '2027-01-04', closesOn: '2027-01-22' },
    status: 'refused',
    answeredOn: '2027-01-10',
    sheet,
    agreement: {
      title: '测试股份虚假陈述先行赔付和解协议',
      clauses: [
        { id: 'c1', text: '赔付金额依照《最高人民法院关于审理证券市场虚假陈述侵权民事赔偿案件的若干规定》（法释〔2022〕2号）计算。' },
        { id: 'c5', text: CLAUSE_LONG },
      ],
    },
    issuedOn: '2027-01-11',
    ...overrides,
  };
}

/** The text of each page, as a PDF reader extracts it through the fonts' ToUnicode maps. */
async function pagesOf(pdf: Buffer): Promise<string[]> {
  const document = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(document, { mergePages: false });
  return text;
}

/** The pages' text without their footers, which come last on each page and would cut into text running over a page. */
function bodyOf(pages: string[]): string {
  return pages.map((page) => page.replace(/\n(要约编号 \S+ 第 \d+ 页 \/ 共 \d+ 页|Offer \S+ page \d+ of \d+)\s*$/, '\n')).join('');
}

/** Text without white space: a PDF breaks prose into lines wherever the page width falls. */
const squash = (text: string) => text.replace(/\s+/g, '');

const chinese = await renderOfferStatementPdf(statement());
const chinesePages = await pagesOf(chinese);
const chineseText = bodyOf(chinesePages);

describe('renderOfferStatementPdf', () => {
  it('starts from a sheet whose total the fixture computed independently', () => {
    assert.equal(sheet.status, 'payable');
    assert.equal(sheet.compensation.total, '175639.61');
  });

  it('prints the title, the case, the investor and the amount in figures and in capitals, as extractable text', () => {
    const firstPage = chinesePages[0]!.split('\n');
    assert.equal(firstPage[0], '先行赔付要约及计算说明');
    assert.match(chineseText, /投资者 INV08766\n/);
    assert.match(chineseText, /要约编号 offer-5d41402abc4b2a76b971\n/);
    assert.match(chineseText, /要约金额 ¥175,639\.61\n/);
    assert.match(chineseText, /大写金额 人民币壹拾柒万伍仟陆佰叁拾玖元陆角壹分\n/);
    assert.match(chineseText, /答复期 2027-01-04 至 2027-01-22\n/);
    assert.match(chineseText, /要约状态 已拒绝（答复日期 2027-01-10）\n/);
    assert.match(chineseText, /证券 688754 测试股份\n/);
  });

  it('prints the calculation sheet: its legs, its deduction and its total as the sum of the components', () => {
    assert.match(chineseText, /先行赔付损失计算表\n/);
    // Deflated (诱空): not-bought-back leg (20.1000 − 10.4500) × 23600 = 227740.00, by hand.
    assert.match(chineseText, /未买回部分 \(基准价 − P_sell\) × Q_not_back \(20\.1000 − 10\.4500\) × 23600 = 227740\.00\n/);
    assert.match(chineseText, /投资差额损失 买回部分 \+ 未买回部分 59978\.00 \+ 227740\.00 = 287718\.00\n/);
    // 287718.00 − 112210.02 = 175507.98; + 43.88 + 87.75 + 0.00 = 175639.61.
    assert.match(chineseText, /本金 投资差额损失 − 系统风险扣除 287718\.00 − 112210\.02 = 175507\.98\n/);
    assert.match(chineseText, /合计 本金 \+ 佣金 \+ 印花税 \+ 利息 175507\.98 \+ 43\.88 \+ 87\.75 \+ 0\.00 = 175639\.61\n/);
    assert.match(chineseText, /结论: 可赔付, 合计 175639\.61 元\n/);
  });

  it('prints every trade of the sheet with what it counted', () => {
    const trades = sheet.history.filter((event) => event.kind === 'trade');
    assert.ok(trades.length > 0);
    for (const event of trades) {
      const { trade } = event;
      const row = new RegExp(`\\n${trade.line} ${trade.time.replace('T', ' ')} ${trade.side === 'B' ? '买入' : '卖出'} ${trade.quantity} ${trade.price.replace('.', '\\.')} `);
      assert.match(chineseText, row, `trade on line ${trade.line}`);
    }
  });

  it('keeps the columns of the trade table aligned, with the real font', async () => {
    const lines = renderCalculationSheet(sheet, 'zh').split('\n');
    const header = lines.findIndex((line) => line.trimStart().startsWith('行号'));
    const end = lines.indexOf('', header);
    const table = lines.slice(header, end);
    assert.ok(table.length > 3);
    const drawn = await gridRows(chinese);
    for (const line of table) assert.ok(drawn.has(line.trimEnd()), `row drawn on the grid: ${line}`);
  });

  it('prints the agreement, what refusing means and the hashes a court can match', () => {
    assert.ok(squash(chineseText).includes(squash(CLAUSE_LONG)), 'the long clause, across its line breaks');
    assert.ok(squash(chineseText).includes('c1赔付金额依照《最高人民法院关于审理证券市场虚假陈述侵权民事赔偿案件的若干规定》（法释〔2022〕2号）计算。'));
    assert.match(chineseText, /拒绝本要约不影响投资者依法提起诉讼的权利。\n/);
    assert.match(chineseText, new RegExp(`赔付方案第 2 版 SHA-256 ${PLAN_SHA}\\n`));
    assert.match(chineseText, new RegExp(`和解协议 SHA-256 ${AGREEMENT_SHA}\\n`));
  });

  it('puts the offer id and the page number on every page', () => {
    assert.ok(chinesePages.length >= 2, `${chinesePages.length} pages`);
    chinesePages.forEach((page, index) => {
      assert.match(page, new RegExp(`要约编号 ${OFFER_ID} 第 ${index + 1} 页 / 共 ${chinesePages.length} 页`), `page ${index + 1}`);
    });
  });

  it('gives the same bytes for the same input, dated by issuedOn', async () => {
    const again = await renderOfferStatementPdf(statement());
    assert.equal(createHash('sha256').update(again).digest('hex'), createHash('sha256').update(chinese).digest('hex'));
    assert.ok(again.equals(chinese));
    const meta = await getMeta(new Uint8Array(chinese));
    assert.equal((meta.info as Record<string, unknown>).CreationDate, 'D:20270111000000Z');
    const later = await renderOfferStatementPdf(statement({ issuedOn: '2027-01-12' }));
    assert.ok(!later.equals(chinese));
  });

  it('embeds only a subset of the font, so the file stays small', () => {
    assert.ok(chinese.length < 1024 * 1024, `${chinese.length} bytes`);
    const objects = chinese.toString('latin1');
    assert.match(objects, /\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    assert.match(objects, /\/BaseFont \/[A-Z]{6}\+NotoSansSC-Bold/);
    assert.match(objects, /\/ToUnicode \d+ 0 R/);
  });

  it('draws every GB2312 ideograph with a glyph of its own that extracts to the same character', async () => {
    const ideographs = gb2312Ideographs();
    assert.equal(ideographs.length, 6763);
    const clauses = [];
    for (let at = 0; at < ideographs.length; at += 500) clauses.push({ id: `g${at / 500 + 1}`, text: ideographs.slice(at, at + 500).join('') });
    const pdf = await renderOfferStatementPdf(statement({ agreement: { title: 'GB2312', clauses } }));
    const text = squash(bodyOf(await pagesOf(pdf)));
    for (const clause of clauses) assert.ok(text.includes(clause.id + clause.text), `clause ${clause.id}`);
    assert.ok(!text.includes('\u0000'), 'no character fell to the missing glyph');
  });

  it('writes the statement in English when asked, with the amount in Chinese capitals still', async () => {
    const pages = await pagesOf(await renderOfferStatementPdf(statement(), { lang: 'en' }));
    const text = bodyOf(pages);
    assert.equal(pages[0]!.split('\n')[0], 'Advance compensation offer and calculation statement');
    assert.match(text, /In capitals 人民币壹拾柒万伍仟陆佰叁拾玖元陆角壹分\n/);
    assert.match(text, /Status refused \(answered on 2027-01-10\)\n/);
    assert.match(text, /total principal \+ commission \+ stamp duty \+ interest 175507\.98 \+ 43\.88 \+ 87\.75 \+ 0\.00 = 175639\.61\n/);
    assert.match(text, /Refusing this offer does not affect the investor's right to sue in court\.\n/);
    pages.forEach((page, index) => assert.match(page, new RegExp(`Offer ${OFFER_ID} page ${index + 1} of ${pages.length}`)));
  });

  it('says so when the offer was replaced, and leaves the note out otherwise', async () => {
    const text = bodyOf(await pagesOf(await renderOfferStatementPdf(statement({ status: 'superseded', answeredOn: null }))));
    assert.match(text, /要约状态 已被新要约取代\n/);
    assert.match(text, /本要约已被新的要约取代，本说明仅供核对；请以新要约为准。/);
    assert.doesNotMatch(chineseText, /已被新的要约取代/);
  });

  it('refuses a statement that would contradict itself', async () => {
    const cases: [OfferStatementRefusalCode, Partial<OfferStatement>][] = [
      ['amount-mismatch', { amountFen: 17_563_962n }],
      ['amount-mismatch', { amountFen: 0n }],
      ['investor-mismatch', { investor: 'INV04829' }],
      ['security-mismatch', { security: { code: '600000', name: '测试股份' } }],
      ['bad-date', { issuedOn: '2027-02-30' }],
      ['bad-date', { answeredOn: '2027-1-10' }],
      ['bad-window', { window: { opensOn: '2027-01-22', closesOn: '2027-01-04' } }],
      ['answer-while-open', { status: 'offered', answeredOn: '2027-01-10' }],
      ['bad-hash', { planSha256: PLAN_SHA.toUpperCase() }],
      ['bad-hash', { agreementSha256: 'abc' }],
      ['no-clauses', { agreement: { title: '协议', clauses: [] } }],
    ];
    for (const [code, overrides] of cases) {
      await assert.rejects(renderOfferStatementPdf(statement(overrides)), (error: unknown) => {
        assert.ok(error instanceof OfferStatementRefused, `${code}: ${String(error)}`);
        assert.equal(error.code, code);
        assert.match(error.bilingual.zh, /[\u4e00-\u9fff]/);
        assert.equal(error.message, error.bilingual.en);
        return true;
      });
    }
    await assert.rejects(renderOfferStatementPdf(statement({ amountFen: 17_563_962n })), /does not fit the sheet's total of 175639\.61 yuan/);
    // A pro-rata share of a short fund is less than the sheet's total, and is drawn.
    assert.ok((await renderOfferStatementPdf(statement({ amountFen: 17_563_960n }))).length > 0);
  });
});

describe('layOutGridLine', () => {
  const cell = 5;
  /** Half-width ASCII is one cell; an ideograph and the full-width ×, → two; Σ 1.2 cells; ° 0.74 cell. */
  const measure = (text: string, halfWidth: boolean) =>
    [...text].reduce((sum, char) => sum + (halfWidth ? cell : char === 'Σ' ? 6 : char === '°' ? 3.7 : 2 * cell), 0);

  it('places each run at its column: one cell for ASCII, two for an ideograph', () => {
    assert.deepEqual(layOutGridLine('  12  买入   200', cell, measure), [
      { text: '12', x: 10, halfWidth: true, horizontalScaling: null },
      { text: '买入', x: 30, halfWidth: false, horizontalScaling: null },
      { text: '200', x: 65, halfWidth: true, horizontalScaling: null },
    ]);
  });

  it('keeps inner spaces in a run and draws no space at its ends', () => {
    assert.deepEqual(layOutGridLine('a b  ', cell, measure), [{ text: 'a b', x: 0, halfWidth: true, horizontalScaling: null }]);
    assert.deepEqual(layOutGridLine('    ', cell, measure), []);
    assert.deepEqual(layOutGridLine('', cell, measure), []);
  });

  it('lets a wide operator overhang the empty cells around it, and compresses it between characters', () => {
    // × counts one column; its two cells of glyph are centred on that column.
    assert.deepEqual(layOutGridLine('2 × 3', cell, measure), [
      { text: '2', x: 0, halfWidth: true, horizontalScaling: null },
      { text: '×', x: 7.5, halfWidth: false, horizontalScaling: null },
      { text: '3', x: 20, halfWidth: true, horizontalScaling: null },
    ]);
    assert.deepEqual(layOutGridLine('2×3', cell, measure), [
      { text: '2', x: 0, halfWidth: true, horizontalScaling: null },
      { text: '×', x: 5, halfWidth: false, horizontalScaling: 50 },
      { text: '3', x: 10, halfWidth: true, horizontalScaling: null },
    ]);
    assert.deepEqual(layOutGridLine('Σ(', cell, measure), [
      { text: 'Σ', x: 0, halfWidth: false, horizontalScaling: 83.33 },
      { text: '(', x: 5, halfWidth: true, horizontalScaling: null },
    ]);
  });

  it('centres a character narrower than its cell', () => {
    assert.deepEqual(layOutGridLine('5°C', cell, measure), [
      { text: '5', x: 0, halfWidth: true, horizontalScaling: null },
      { text: '°', x: 5 + (5 - 3.7) / 2, halfWidth: false, horizontalScaling: null },
      { text: 'C', x: 10, halfWidth: true, horizontalScaling: null },
    ]);
  });

  it('places characters one by one when a run does not measure its grid width', () => {
    const proportional = (text: string) => [...text].reduce((sum, char) => sum + (char === 'i' ? 2 : 2 * cell), 0);
    assert.deepEqual(layOutGridLine('ii', cell, proportional), [
      { text: 'i', x: 1.5, halfWidth: true, horizontalScaling: null },
      { text: 'i', x: 6.5, halfWidth: true, horizontalScaling: null },
    ]);
  });
});

describe('wrapToColumns', () => {
  it('leaves a line that fits as it is', () => {
    assert.deepEqual(wrapToColumns('  实施日  2021-11-01', 20), ['  实施日  2021-11-01']);
  });

  it('cuts after a space and indents the continuation as the line is', () => {
    assert.deepEqual(wrapToColumns('    one two three four', 14), ['    one two', '    three four']);
  });

  it('cuts next to an ideograph, never before closing punctuation', () => {
    assert.deepEqual(wrapToColumns('甲乙丙丁戊', 6), ['甲乙丙', '丁戊']);
    assert.deepEqual(wrapToColumns('甲乙丙，丁戊', 6), ['甲乙', '丙，丁', '戊']);
    assert.deepEqual(wrapToColumns('甲乙丙）丁', 7), ['甲乙', '丙）丁']);
  });

  it('cuts a word with no place to break where it overflows', () => {
    assert.deepEqual(wrapToColumns('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
  });

  it('keeps every character, in order, in pieces that fit', () => {
    const alphabet = ['a', 'b', '1', '.', ' ', ' ', '买', '入', '，', '(', ')', '（'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 120 }), fc.integer({ min: 6, max: 40 }), (chars, columns) => {
        const line = chars.join('');
        const pieces = wrapToColumns(line, columns);
        for (const piece of pieces) assert.ok(displayWidth(piece) <= columns, `${JSON.stringify(piece)} within ${columns}`);
        assert.equal(squash(pieces.join('')), squash(line));
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * The PDF's lines rebuilt as text from where each piece of text sits: a piece at grid column c
 * starts c cells from the sheet's left edge (the x of its title), and is as many cells wide as
 * its display width; a lone narrower or wider character is centred on its column. A row whose
 * pieces are all on the grid is returned as the text it spells; rows with a piece off the grid
 * (prose) are left out, so a misaligned table row is missing from the result.
 */
async function gridRows(pdf: Buffer): Promise<Set<string>> {
  const { items } = await extractTextItems(await getDocumentProxy(new Uint8Array(pdf)));
  const origin = items.flat().find((item) => item.str === '先行赔付损失计算表')!;
  const cell = origin.fontSize / 2;
  const onGrid = (value: number) => Math.abs(value - Math.round(value)) < 0.01;
  const rows = new Set<string>();
  for (const page of items) {
    const byLine = new Map<number, StructuredTextItem[]>();
    for (const item of page) {
      if (item.str.trim() === '' || Math.abs(item.fontSize - origin.fontSize) > 0.001) continue;
      const key = Math.round(item.y * 100);
      byLine.set(key, [...(byLine.get(key) ?? []), item]);
    }
    for (const line of byLine.values()) {
      const cells: string[] = [];
      let aligned = true;
      for (const item of line) {
        const lone = [...item.str].length === 1 && !/^[\x21-\x7e]$/.test(item.str) && displayWidth(item.str) === 1;
        const column = lone ? (item.x + item.width / 2 - origin.x) / cell - 0.5 : (item.x - origin.x) / cell;
        const widthOk = lone || Math.abs(item.width - displayWidth(item.str) * cell) < 0.01;
        if (!onGrid(column) || !widthOk) aligned = false;
        let at = Math.round(column);
        for (const char of item.str) {
          cells[at] = char;
          for (let extra = 1; extra < displayWidth(char); extra++) cells[at + extra] = '';
          at += displayWidth(char);
        }
      }
      if (aligned) rows.add(Array.from(cells, (char) => char ?? ' ').join(''));
    }
  }
  return rows;
}

/** The 6,763 ideographs of GB2312 (rows 16–87), decoded from their two-byte codes. */
function gb2312Ideographs(): string[] {
  const decoder = new TextDecoder('gb18030');
  const out: string[] = [];
  for (let high = 0xb0; high <= 0xf7; high++) {
    for (let low = 0xa1; low <= 0xfe; low++) {
      if (high === 0xd7 && low > 0xf9) continue;
      out.push(decoder.decode(new Uint8Array([high, low])));
    }
  }
  return out;
}
