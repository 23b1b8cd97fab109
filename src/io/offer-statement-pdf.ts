import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { CalculationSheet } from '../domain/loss/calculation-sheet.ts';
import { isIsoDate, type IsoDate } from '../domain/market/calendar-date.ts';
import { fenInChineseCapitals } from '../domain/money/chinese-capitals.ts';
import { formatFen, type Fen } from '../domain/money/fen.ts';
import type { OfferStatus } from '../domain/offer/offer-decision.ts';
import { displayWidth, renderCalculationSheet, type SheetLanguage } from './calculation-sheet-text.ts';

/**
 * What the offer statement (先行赔付要约及计算说明) says: the offer as stored, the investor's
 * calculation sheet (the one `redress explain --format json` prints) and the agreement the offer
 * carries. procedure.md step 9: an investor who refuses keeps the right to sue and takes this
 * document to court, so it carries the hashes that tie it to the published plan and agreement.
 */
export interface OfferStatement {
  caseTitle: string;
  security: { code: string; name: string };
  investor: string;
  offerId: string;
  amountFen: Fen;
  planVersion: number;
  /** SHA-256 of the plan version the offer was computed on, as published. */
  planSha256: string;
  /** SHA-256 of the agreement's clauses, as recorded on the offer (what an acceptance binds). */
  agreementSha256: string;
  window: { opensOn: IsoDate; closesOn: IsoDate };
  status: OfferStatus;
  /** The day the investor answered; none while the offer is open. */
  answeredOn?: IsoDate | null;
  sheet: CalculationSheet;
  agreement: { title: string; clauses: readonly { id: string; text: string }[] };
  /** The date printed on the statement and recorded as the PDF's creation date. */
  issuedOn: IsoDate;
}

export interface OfferStatementOptions {
  /** Chinese (the default, the language of the court) or English. */
  lang?: SheetLanguage;
}

export type OfferStatementRefusalCode =
  | 'bad-date' | 'bad-hash' | 'bad-window' | 'answer-while-open' | 'investor-mismatch' | 'security-mismatch' | 'amount-mismatch' | 'no-clauses';

/**
 * A statement that would contradict itself is not drawn: a document meant for a court must not
 * show an amount its own calculation does not reach, nor another investor's sheet.
 */
export class OfferStatementRefused extends Error {
  readonly code: OfferStatementRefusalCode;
  readonly bilingual: { zh: string; en: string };
  constructor(code: OfferStatementRefusalCode, message: { zh: string; en: string }) {
    super(message.en);
    this.name = 'OfferStatementRefused';
    this.code = code;
    this.bilingual = message;
  }
}

/**
 * The offer statement as a PDF, in Chinese unless `lang: 'en'`: the offer (case, investor, amount
 * in figures and in capitals, answer period, status), the calculation sheet laid out on a
 * character grid so its tables stay aligned, the agreement's clauses, what refusing means, and
 * the hashes of the plan and agreement; every page has the offer id and its page number.
 *
 * The same input gives the same bytes: the creation date is `issuedOn` and the document ID is
 * derived from the document info, so a statement handed out can be recognised by its hash.
 */
export async function renderOfferStatementPdf(input: OfferStatement, options: OfferStatementOptions = {}): Promise<Buffer> {
  const lang = options.lang ?? 'zh';
  checkStatement(input);
  const w = lang === 'zh' ? ZH : EN;
  const { doc, finished } = openDocument(lang, input.issuedOn, {
    Title: `${w.title} ${input.offerId}`,
    Subject: `${input.caseTitle} / ${input.investor}`,
    Keywords: `${input.offerId} plan-sha256:${input.planSha256} agreement-sha256:${input.agreementSha256}`,
  });

  drawHeader(doc, input, w);
  heading(doc, w.sections.sheet);
  paragraph(doc, w.sheetIntro, 9.5);
  drawCharacterGrid(doc, renderCalculationSheet(input.sheet, lang).replace(/\n+$/, '').split('\n'));
  heading(doc, w.sections.agreement);
  paragraph(doc, input.agreement.title, 10.5, BOLD);
  drawClauses(doc, input.agreement.clauses);
  heading(doc, w.sections.refusal);
  paragraph(doc, w.refusal, 10.5, BOLD);
  paragraph(doc, w.refusalDetail, 10.5);
  heading(doc, w.sections.verification);
  drawHashes(doc, [
    [w.planHash(input.planVersion), input.planSha256],
    [w.agreementHash, input.agreementSha256],
  ]);
  paragraph(doc, w.verification, 9.5);
  drawFooters(doc, input, w);

  doc.end();
  return finished;
}

/**
 * The settlement agreement (和解协议) of one offer, on its own: the parties (the funders, and the
 * investor), the amount in figures and capitals, the clauses word for word as the adopted plan
 * published them, and — once the investor has accepted — when and through which channel, so the
 * investor keeps the agreement they entered into. The SHA-256 printed is the one the acceptance
 * bound; anyone can recompute it from the published plan.
 */
export type SettlementAgreement = Pick<OfferStatement, 'caseTitle' | 'security' | 'investor' | 'offerId' | 'amountFen' | 'planVersion' | 'planSha256' | 'agreementSha256' | 'agreement' | 'issuedOn'> & {
  funders: readonly { id: string; name: string }[];
  /** The acceptance, when there is one. */
  acceptance: { answeredOn: IsoDate; channel: 'portal' | 'exchange-file' | 'counter' } | null;
};

export async function renderSettlementAgreementPdf(input: SettlementAgreement, options: OfferStatementOptions = {}): Promise<Buffer> {
  const lang = options.lang ?? 'zh';
  const w = lang === 'zh' ? ZH : EN;
  if (!SHA256.test(input.agreementSha256) || !SHA256.test(input.planSha256)) throw new OfferStatementRefused('bad-hash', { zh: '摘要值应为64位小写十六进制', en: 'hashes must be 64 lowercase hex digits' });
  if (input.agreement.clauses.length === 0) throw new OfferStatementRefused('no-clauses', { zh: '协议没有条款', en: 'the agreement has no clauses' });
  const { doc, finished } = openDocument(lang, input.issuedOn, {
    Title: `${input.agreement.title} ${input.offerId}`, Subject: `${input.caseTitle} / ${input.investor}`, Keywords: `${input.offerId} agreement-sha256:${input.agreementSha256}`,
  });
  doc.font(BOLD).fontSize(18).fillColor(INK).text(input.agreement.title, { align: 'center' });
  doc.moveDown(0.3);
  doc.font(BODY).fontSize(10.5).text(input.caseTitle, { align: 'center' });
  doc.moveDown(1);
  const a = w.agreementDocument;
  drawLabelled(doc, [
    [a.fundersLabel, input.funders.map((funder) => funder.name).join(lang === 'zh' ? '、' : ', ')],
    [a.investorLabel, input.investor],
    [w.securityLabel, `${input.security.code} ${input.security.name}`],
    [w.offerIdLabel, input.offerId],
    [w.amountLabel, `¥${groupThousands(formatFen(input.amountFen))}`],
    [w.capitalsLabel, `人民币${fenInChineseCapitals(input.amountFen)}`],
    [w.planLabel, w.plan(input.planVersion)],
    [a.acceptanceLabel, input.acceptance === null ? a.notAccepted : a.accepted(input.acceptance.answeredOn, a.channel[input.acceptance.channel])],
  ]);
  heading(doc, a.clausesHeading);
  drawClauses(doc, input.agreement.clauses);
  heading(doc, w.sections.verification);
  drawHashes(doc, [[w.planHash(input.planVersion), input.planSha256], [w.agreementHash, input.agreementSha256]]);
  paragraph(doc, w.verification, 9.5);
  drawFooters(doc, input, w);
  doc.end();
  return finished;
}

/**
 * An A4 document in the statement's fonts, dated `issuedOn` so that the same input gives the same
 * bytes, and the promise of its bytes once ended.
 */
function openDocument(lang: SheetLanguage, issuedOn: IsoDate, info: { Title: string; Subject: string; Keywords: string }): { doc: Doc; finished: Promise<Buffer> } {
  const fonts = statementFonts();
  const created = new Date(`${issuedOn}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN_TOP, bottom: MARGIN_BOTTOM, left: MARGIN_SIDE, right: MARGIN_SIDE },
    bufferPages: true,
    lang: lang === 'zh' ? 'zh-CN' : 'en',
    displayTitle: true,
    info: { ...info, Creator: 'Redress', CreationDate: created, ModDate: created },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(BODY, fonts.regular);
  doc.registerFont(BOLD, fonts.bold);
  return { doc, finished };
}

// ---------------------------------------------------------------------------------------------
// Checks

const SHA256 = /^[0-9a-f]{64}$/;

function checkStatement(input: OfferStatement): void {
  const refuse = (code: OfferStatementRefusalCode, zh: string, en: string): never => {
    throw new OfferStatementRefused(code, { zh, en });
  };
  const dates: [string, unknown][] = [['issuedOn', input.issuedOn], ['window.opensOn', input.window.opensOn], ['window.closesOn', input.window.closesOn]];
  if (input.answeredOn != null) dates.push(['answeredOn', input.answeredOn]);
  for (const [name, value] of dates) {
    if (typeof value !== 'string' || !isIsoDate(value)) refuse('bad-date', `${name} 不是有效日期（应为 YYYY-MM-DD）：${String(value)}`, `${name} is not a real date written YYYY-MM-DD: ${String(value)}`);
  }
  if (input.window.opensOn > input.window.closesOn) {
    refuse('bad-window', `答复期开始日 ${input.window.opensOn} 晚于结束日 ${input.window.closesOn}`, `the answer period opens on ${input.window.opensOn}, after it closes on ${input.window.closesOn}`);
  }
  if (input.status === 'offered' && input.answeredOn != null) {
    refuse('answer-while-open', `要约尚待答复，不能有答复日期 ${input.answeredOn}`, `an open offer has no answer date, but ${input.answeredOn} was given`);
  }
  for (const [name, value] of [['planSha256', input.planSha256], ['agreementSha256', input.agreementSha256]] as const) {
    if (!SHA256.test(value)) refuse('bad-hash', `${name} 应为64位小写十六进制 SHA-256 摘要值`, `${name} must be a SHA-256 hash written as 64 lowercase hex digits`);
  }
  if (input.sheet.investor !== input.investor) {
    refuse('investor-mismatch', `计算表属于投资者 ${input.sheet.investor}，不是 ${input.investor}`, `the calculation sheet is investor ${input.sheet.investor}'s, not ${input.investor}'s`);
  }
  if (input.sheet.security.code !== input.security.code) {
    refuse('security-mismatch', `计算表的证券代码 ${input.sheet.security.code} 与要约的 ${input.security.code} 不同`, `the sheet is for security ${input.sheet.security.code}, the offer for ${input.security.code}`);
  }
  const total = sheetTotalFen(input.sheet);
  // An offer is the sheet's total, or less when the plan shares a short fund pro rata; never more.
  if (total === null || input.amountFen <= 0n || input.amountFen > total) {
    refuse('amount-mismatch', `要约金额 ${formatFen(input.amountFen)} 元与计算表合计 ${input.sheet.compensation.total} 元不符`,
      `the offer of ${formatFen(input.amountFen)} yuan does not fit the sheet's total of ${input.sheet.compensation.total} yuan`);
  }
  if (input.agreement.clauses.length === 0) refuse('no-clauses', '要约所附协议没有条款', 'the agreement of the offer has no clauses');
}

/** The sheet prints its total as yuan with two decimals ("4142.78"). */
function sheetTotalFen(sheet: CalculationSheet): Fen | null {
  const match = /^(\d+)\.(\d{2})$/.exec(sheet.compensation.total);
  return match === null ? null : BigInt(match[1]!) * 100n + BigInt(match[2]!);
}

// ---------------------------------------------------------------------------------------------
// Fonts

const BODY = 'body';
const BOLD = 'bold';

/**
 * Noto Sans SC from @expo-google-fonts/noto-sans-sc: the package ships each weight as one whole
 * TrueType file (30,890 characters: all of GB2312 and all but the newest 16 of the 20,992 CJK
 * Unified Ideographs), where the other npm builds of the family ship only unicode-range slices
 * or old CFF files. TrueType outlines subset glyph by glyph, so a statement embeds only the few
 * hundred glyphs it prints, and the font's half-width forms ('hwid') give Latin letters exactly
 * half the width of an ideograph, which the calculation sheet's grid needs.
 */
let loadedFonts: { regular: Buffer; bold: Buffer } | null = null;

function statementFonts(): { regular: Buffer; bold: Buffer } {
  if (loadedFonts === null) {
    const require = createRequire(import.meta.url);
    const file = (weight: string) => readFileSync(require.resolve(`@expo-google-fonts/noto-sans-sc/${weight}/NotoSansSC_${weight}.ttf`));
    loadedFonts = { regular: file('400Regular'), bold: file('700Bold') };
  }
  return loadedFonts;
}

// ---------------------------------------------------------------------------------------------
// Layout

const MARGIN_TOP = 56;
const MARGIN_BOTTOM = 64;
const MARGIN_SIDE = 50;
const INK = '#000000';
const MUTED = '#555555';

type Doc = PDFKit.PDFDocument;

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function drawHeader(doc: Doc, input: OfferStatement, w: Words): void {
  doc.font(BOLD).fontSize(18).fillColor(INK).text(w.title, { align: 'center' });
  doc.moveDown(0.3);
  doc.font(BODY).fontSize(10.5).text(input.caseTitle, { align: 'center' });
  doc.moveDown(1);
  const amount = `¥${groupThousands(formatFen(input.amountFen))}`;
  const status = input.answeredOn == null ? w.status[input.status] : `${w.status[input.status]}${w.answeredOn(input.answeredOn)}`;
  drawLabelled(doc, [
    [w.securityLabel, `${input.security.code} ${input.security.name}`],
    [w.investorLabel, input.investor],
    [w.offerIdLabel, input.offerId],
    [w.amountLabel, amount],
    [w.capitalsLabel, `人民币${fenInChineseCapitals(input.amountFen)}`],
    [w.windowLabel, w.window(input.window.opensOn, input.window.closesOn)],
    [w.statusLabel, status],
    [w.planLabel, w.plan(input.planVersion)],
    [w.issuedLabel, input.issuedOn],
  ]);
  if (input.status === 'superseded') paragraph(doc, w.supersededNote, 10.5, BOLD);
  paragraph(doc, w.intro, 10.5);
}

function heading(doc: Doc, text: string): void {
  doc.moveDown(0.8);
  ensureRoom(doc, 40);
  doc.font(BOLD).fontSize(12.5).fillColor(INK).text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
}

function paragraph(doc: Doc, text: string, size: number, font: string = BODY): void {
  doc.font(font).fontSize(size).fillColor(INK).text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc), lineGap: size * 0.35 });
  doc.moveDown(0.4);
}

/** Label and value side by side; a value too long for its column wraps under itself. */
function drawLabelled(doc: Doc, rows: [string, string][]): void {
  const left = doc.page.margins.left;
  doc.fontSize(10.5);
  doc.font(BOLD);
  const labelWidth = Math.max(...rows.map(([label]) => doc.widthOfString(label))) + 14;
  const valueWidth = contentWidth(doc) - labelWidth;
  for (const [label, value] of rows) {
    doc.font(BODY);
    const height = Math.max(doc.heightOfString(value, { width: valueWidth, lineGap: 3 }), doc.currentLineHeight(true));
    ensureRoom(doc, height);
    const top = doc.y;
    doc.font(BOLD).fillColor(MUTED).text(label, left, top, { width: labelWidth, lineBreak: false });
    doc.font(BODY).fillColor(INK).text(value, left + labelWidth, top, { width: valueWidth, lineGap: 3 });
    doc.y = top + height + 3;
  }
  doc.x = left;
  doc.moveDown(0.3);
}

/** Each hash on one line, on the character grid, so that it can be read off and compared digit by digit. */
function drawHashes(doc: Doc, rows: [string, string][]): void {
  const left = doc.page.margins.left;
  doc.font(BOLD).fontSize(9);
  const labelWidth = Math.max(...rows.map(([label]) => doc.widthOfString(label))) + 14;
  const cell = Math.min(4.5, (contentWidth(doc) - labelWidth) / Math.max(...rows.map(([, hash]) => hash.length)));
  const grid = new GridWriter(doc, cell);
  for (const [label, hash] of rows) {
    ensureRoom(doc, 16);
    const top = doc.y;
    doc.font(BOLD).fontSize(cell * 2).fillColor(MUTED).text(label, left, top, { lineBreak: false });
    doc.font(BODY).fontSize(cell * 2).fillColor(INK);
    grid.line(hash, left + labelWidth, top);
    doc.y = top + 16;
  }
  doc.x = left;
  doc.moveDown(0.3);
}

function drawClauses(doc: Doc, clauses: readonly { id: string; text: string }[]): void {
  const left = doc.page.margins.left;
  doc.font(BOLD).fontSize(10.5);
  const idWidth = Math.max(...clauses.map((clause) => doc.widthOfString(clause.id))) + 12;
  const textWidth = contentWidth(doc) - idWidth;
  for (const clause of clauses) {
    doc.font(BODY);
    // A clause may run over a page; only its first line needs to share the page with its id.
    ensureRoom(doc, doc.currentLineHeight(true) * 2);
    const top = doc.y;
    doc.font(BOLD).fillColor(MUTED).text(clause.id, left, top, { width: idWidth, lineBreak: false });
    doc.font(BODY).fillColor(INK).text(clause.text, left + idWidth, top, { width: textWidth, lineGap: 3.5 });
    doc.moveDown(0.5);
  }
  doc.x = left;
}

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

/** The offer id and "page i of n" on every page, written once all pages exist. */
function drawFooters(doc: Doc, input: { offerId: string }, w: Pick<Words, 'footerOffer' | 'footerPage'>): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const { margins } = doc.page;
    const bottom = margins.bottom;
    // Text below the bottom margin would otherwise open a new page.
    margins.bottom = 0;
    const y = doc.page.height - bottom + 18;
    const right = doc.page.width - margins.right;
    doc.save().lineWidth(0.5).strokeColor(MUTED).moveTo(margins.left, y - 6).lineTo(right, y - 6).stroke().restore();
    doc.font(BODY).fontSize(8.5).fillColor(MUTED);
    doc.text(w.footerOffer(input.offerId), margins.left, y, { lineBreak: false });
    const page = w.footerPage(index - range.start + 1, range.count);
    doc.text(page, right - doc.widthOfString(page), y, { lineBreak: false });
    margins.bottom = bottom;
  }
}

function groupThousands(amount: string): string {
  const [whole, decimals] = amount.split('.');
  return `${whole!.replace(/\B(?=(\d{3})+$)/g, ',')}.${decimals}`;
}

// ---------------------------------------------------------------------------------------------
// The calculation sheet on a character grid

/**
 * The text sheet aligns its tables by display width: an ideograph takes two columns, anything
 * else one (calculation-sheet-text.ts `displayWidth`). Drawn on a grid whose cell is half an
 * ideograph wide, it keeps that alignment in the PDF: ideographs at their natural width (one em,
 * two cells) and ASCII through the font's half-width forms ('hwid', exactly half an em, one cell).
 * The cell is as large as lets the widest table fit across the page, within readable bounds.
 */
const MAX_CELL = 4.75;
const MIN_CELL = 3.4;
const LINE_SPACING = 1.4;
const HALF_WIDTH_FEATURES = { hwid: true, kern: false, liga: false, calt: false, palt: false };
const PLAIN_FEATURES = { kern: false, liga: false, calt: false, palt: false };

function drawCharacterGrid(doc: Doc, lines: string[]): void {
  const width = contentWidth(doc);
  // Tables must fit across the page; prose lines (no column gaps) may wrap instead.
  const tableWidth = Math.max(1, ...lines.filter(isTableLine).map(displayWidth));
  const cell = Math.floor(Math.min(MAX_CELL, Math.max(MIN_CELL, width / tableWidth)) * 1000) / 1000;
  const columns = Math.floor(width / cell);
  const lineHeight = cell * 2 * LINE_SPACING;
  const left = doc.page.margins.left;
  const grid = new GridWriter(doc, cell);
  const pageEnd = () => doc.page.height - doc.page.margins.bottom;
  lines.forEach((line, index) => {
    if (line === '') {
      // A blank line separates sections; at the top of a page it would only waste a line.
      if (doc.y > doc.page.margins.top) doc.y += lineHeight;
      return;
    }
    // A section's title stays with its first rows.
    const opensSection = index > 0 && lines[index - 1] === '' && !line.startsWith(' ');
    if (doc.y + lineHeight * (opensSection ? 4 : 1) > pageEnd()) doc.addPage();
    for (const piece of wrapToColumns(line, columns)) {
      if (doc.y + lineHeight > pageEnd()) doc.addPage();
      const top = doc.y;
      doc.font(BODY).fontSize(cell * 2).fillColor(INK);
      grid.line(piece, left, top);
      doc.y = top + lineHeight;
    }
  });
  doc.x = left;
}

/** A line with a gap of two spaces inside its text is a table row or a label and its value. */
function isTableLine(line: string): boolean {
  return line.trimStart().trimEnd().includes('  ');
}

/**
 * Cuts a line longer than `columns` into lines that fit, each continuation indented as the line
 * is (up to half the width). It cuts after a space or next to an ideograph, never before closing
 * punctuation nor after opening punctuation; a word with no such place is cut where it overflows.
 */
export function wrapToColumns(line: string, columns: number): string[] {
  if (displayWidth(line) <= columns) return [line];
  const text = line.trimStart();
  const indent = ' '.repeat(Math.min(line.length - text.length, Math.floor(columns / 2)));
  const chars = [...indent, ...text];
  const out: string[] = [];
  let start = 0;
  let prefix = '';
  while (start < chars.length) {
    let used = displayWidth(prefix);
    let end = start;
    let lastBreak = -1;
    while (end < chars.length && used + displayWidth(chars[end]!) <= columns) {
      used += displayWidth(chars[end]!);
      end++;
      if (end < chars.length && canBreakBefore(chars, end)) lastBreak = end;
    }
    if (end === chars.length) {
      out.push(prefix + chars.slice(start).join(''));
      break;
    }
    const cut = lastBreak > start ? lastBreak : Math.max(end, start + 1);
    out.push((prefix + chars.slice(start, cut).join('')).trimEnd());
    start = cut;
    while (start < chars.length && chars[start] === ' ') start++;
    prefix = indent;
  }
  return out;
}

const NO_BREAK_BEFORE = new Set([...'),.;:!?]}。，、；：！？）》〕」』']);
const NO_BREAK_AFTER = new Set([...'([{（《〔「『']);

function canBreakBefore(chars: string[], at: number): boolean {
  const before = chars[at - 1]!;
  const after = chars[at]!;
  if (after === ' ' || NO_BREAK_BEFORE.has(after) || NO_BREAK_AFTER.has(before)) return false;
  return before === ' ' || displayWidth(before) === 2 || displayWidth(after) === 2;
}

type CharClass = 'ascii' | 'wide' | 'other';

function charClass(char: string): CharClass {
  const code = char.codePointAt(0)!;
  if (code >= 0x20 && code <= 0x7e) return 'ascii';
  return displayWidth(char) === 2 ? 'wide' : 'other';
}

/** One piece of a grid line: text drawn from `x` (points from the line's start) as one run. */
export interface GridPiece {
  text: string;
  x: number;
  /** ASCII through the font's half-width forms; everything else as the font draws it. */
  halfWidth: boolean;
  /** Percent, for a character compressed to fit its cells; null when drawn at its natural width. */
  horizontalScaling: number | null;
}

/**
 * Where each piece of a line goes on a grid of `cell`-point cells. `measure` gives the natural
 * width in points of a text drawn as one run (with half-width forms or without), so the layout
 * is independent of the font it is given and can be checked on its own.
 *
 * Runs are split where the kind of character changes (ASCII, wide, other). A run is one piece
 * when its measured width is its grid width; otherwise, and for every other character, each
 * character is a piece of its own, centred on its cells. One wider than its cells (a full-width
 * ×, → or ÷ of a CJK font, which the sheet counts as one column) keeps its natural width when
 * the cells on both sides are empty, as they are around the sheet's operators, and is compressed
 * to fit otherwise. Spaces are empty cells and never drawn.
 */
export function layOutGridLine(text: string, cell: number, measure: (text: string, halfWidth: boolean) => number): GridPiece[] {
  const chars = [...text];
  const columns: number[] = [];
  let column = 0;
  for (const char of chars) {
    columns.push(column);
    column += displayWidth(char);
  }
  const pieces: GridPiece[] = [];
  let at = 0;
  while (at < chars.length) {
    const kind = charClass(chars[at]!);
    let end = at + 1;
    if (kind !== 'other') while (end < chars.length && charClass(chars[end]!) === kind) end++;
    let first = at;
    let last = end - 1;
    while (first <= last && chars[first] === ' ') first++;
    while (last >= first && chars[last] === ' ') last--;
    at = end;
    if (first > last) continue;
    const run = chars.slice(first, last + 1).join('');
    const halfWidth = kind === 'ascii';
    if (kind !== 'other' && Math.abs(measure(run, halfWidth) - displayWidth(run) * cell) < 1e-6) {
      pieces.push({ text: run, x: columns[first]! * cell, halfWidth, horizontalScaling: null });
      continue;
    }
    for (let i = first; i <= last; i++) {
      const char = chars[i]!;
      if (char === ' ') continue;
      const target = displayWidth(char) * cell;
      const natural = measure(char, halfWidth);
      const allowed = isFree(chars[i - 1]) && isFree(chars[i + 1]) ? target + 2 * cell : target;
      const x = columns[i]! * cell;
      if (natural > allowed + 1e-6) {
        pieces.push({ text: char, x: x + (target - allowed) / 2, halfWidth, horizontalScaling: Math.floor((allowed / natural) * 10_000) / 100 });
      } else {
        pieces.push({ text: char, x: x + (target - natural) / 2, halfWidth, horizontalScaling: null });
      }
    }
  }
  return pieces;
}

/** The edge of a line or an empty cell. */
function isFree(char: string | undefined): boolean {
  return char === undefined || char === ' ';
}

/** Draws grid lines with the current font and size, whose ideograph is two cells wide. */
class GridWriter {
  private readonly doc: Doc;
  private readonly cell: number;
  private readonly widths = new Map<string, number>();
  private readonly measure = (text: string, halfWidth: boolean): number => {
    const key = `${halfWidth ? 'h' : 'p'}${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      width = this.doc.widthOfString(text, textOptions(halfWidth));
      this.widths.set(key, width);
    }
    return width;
  };

  constructor(doc: Doc, cell: number) {
    this.doc = doc;
    this.cell = cell;
  }

  line(text: string, left: number, top: number): void {
    for (const piece of layOutGridLine(text, this.cell, this.measure)) {
      this.doc.text(piece.text, left + piece.x, top, textOptions(piece.halfWidth, piece.horizontalScaling));
    }
  }
}

/**
 * pdfkit 0.20 takes features as fontkit does, an object that can also switch a default feature
 * off (kerning would move glyphs off the grid), and a horizontal scaling; its type definitions
 * list only an array of features to switch on, and no scaling.
 */
function textOptions(halfWidth: boolean, horizontalScaling: number | null = null): PDFKit.Mixins.TextOptions {
  const features = halfWidth ? HALF_WIDTH_FEATURES : PLAIN_FEATURES;
  const options = horizontalScaling === null ? { lineBreak: false, features } : { lineBreak: false, features, horizontalScaling };
  return options as unknown as PDFKit.Mixins.TextOptions;
}

// ---------------------------------------------------------------------------------------------
// Words

interface Words {
  agreementDocument: {
    fundersLabel: string; investorLabel: string; acceptanceLabel: string; clausesHeading: string; notAccepted: string;
    accepted: (on: string, channel: string) => string;
    channel: Record<'portal' | 'exchange-file' | 'counter', string>;
  };
  title: string;
  securityLabel: string;
  investorLabel: string;
  offerIdLabel: string;
  amountLabel: string;
  capitalsLabel: string;
  windowLabel: string;
  statusLabel: string;
  planLabel: string;
  issuedLabel: string;
  window: (opensOn: IsoDate, closesOn: IsoDate) => string;
  plan: (version: number) => string;
  status: Record<OfferStatus, string>;
  answeredOn: (date: IsoDate) => string;
  supersededNote: string;
  intro: string;
  sections: { sheet: string; agreement: string; refusal: string; verification: string };
  sheetIntro: string;
  refusal: string;
  refusalDetail: string;
  planHash: (version: number) => string;
  agreementHash: string;
  verification: string;
  footerOffer: (offerId: string) => string;
  footerPage: (page: number, pages: number) => string;
}

const ZH: Words = {
  agreementDocument: {
    fundersLabel: '甲方（出资人）', investorLabel: '乙方（投资者）', acceptanceLabel: '订立', clausesHeading: '协议条款',
    notAccepted: '尚未接受：本文本为要约所附协议，投资者在答复期内申报接受时成立',
    accepted: (on, channel) => `投资者已于 ${on} 通过${channel}申报接受，协议成立`,
    channel: { portal: '本平台', 'exchange-file': '证券交易所交易系统', counter: '现场服务窗口' },
  },
  title: '先行赔付要约及计算说明',
  securityLabel: '证券',
  investorLabel: '投资者',
  offerIdLabel: '要约编号',
  amountLabel: '要约金额',
  capitalsLabel: '大写金额',
  windowLabel: '答复期',
  statusLabel: '要约状态',
  planLabel: '赔付方案',
  issuedLabel: '出具日期',
  window: (opensOn, closesOn) => `${opensOn} 至 ${closesOn}`,
  plan: (version) => `第 ${version} 版`,
  status: { offered: '待答复', accepted: '已接受', refused: '已拒绝', disputed: '异议审核中', superseded: '已被新要约取代' },
  answeredOn: (date) => `（答复日期 ${date}）`,
  supersededNote: '本要约已被新的要约取代，本说明仅供核对；请以新要约为准。',
  intro: '管理人依照经听证确定并公布的赔付方案，向上述投资者发出先行赔付要约。要约金额按下列计算说明逐项计算；投资者可以在答复期内接受、拒绝或者提出异议。',
  sections: { sheet: '一、计算说明', agreement: '二、和解协议', refusal: '三、拒绝要约的后果', verification: '四、核对' },
  sheetIntro: '下表为该投资者的损失计算表：逐笔列出交易及其对股份的影响、买入均价、投资差额损失、系统风险扣除、佣金、印花税、利息及合计，每一行均可用计算器复核。',
  refusal: '拒绝本要约不影响投资者依法提起诉讼的权利。',
  refusalDetail: '投资者拒绝本要约的，不获得本次先行赔付，其对发行人及其他责任主体的赔偿请求权不转让；本说明载明要约金额及其逐项计算，可以提交人民法院作为证据使用。',
  planHash: (version) => `赔付方案第 ${version} 版 SHA-256`,
  agreementHash: '和解协议 SHA-256',
  verification: '上列摘要值可与管理人公布的赔付方案及和解协议核对：摘要值相同，本说明所依据的方案和协议即为公布的版本。',
  footerOffer: (offerId) => `要约编号 ${offerId}`,
  footerPage: (page, pages) => `第 ${page} 页 / 共 ${pages} 页`,
};

const EN: Words = {
  agreementDocument: {
    fundersLabel: 'Party A (the funders)', investorLabel: 'Party B (the investor)', acceptanceLabel: 'Entered into', clausesHeading: 'Clauses',
    notAccepted: 'Not yet accepted: this is the agreement the offer carries; it is entered into when the investor accepts within the answer period',
    accepted: (on, channel) => `accepted by the investor on ${on} through ${channel}`,
    channel: { portal: 'this platform', 'exchange-file': 'the exchange\'s trading system', counter: 'a service counter' },
  },
  title: 'Advance compensation offer and calculation statement',
  securityLabel: 'Security',
  investorLabel: 'Investor',
  offerIdLabel: 'Offer',
  amountLabel: 'Amount offered',
  capitalsLabel: 'In capitals',
  windowLabel: 'Answer period',
  statusLabel: 'Status',
  planLabel: 'Compensation plan',
  issuedLabel: 'Issued on',
  window: (opensOn, closesOn) => `${opensOn} to ${closesOn}`,
  plan: (version) => `version ${version}`,
  status: { offered: 'open', accepted: 'accepted', refused: 'refused', disputed: 'under review after a dispute', superseded: 'replaced by a new offer' },
  answeredOn: (date) => ` (answered on ${date})`,
  supersededNote: 'This offer was replaced by a new one; this statement is for reference only, the new offer applies.',
  intro: 'Under the compensation plan fixed at the hearing and published, the administrator offers the investor above advance compensation. The amount is computed item by item as the calculation below shows; within the answer period the investor may accept, refuse or dispute it.',
  sections: { sheet: '1. Calculation', agreement: '2. Settlement agreement', refusal: '3. Refusing the offer', verification: '4. Verification' },
  sheetIntro: "The investor's calculation sheet: every trade and what it did to the shares, the average buy price, the investment difference loss, the market-risk deduction, commission, stamp duty, interest and the total; each line can be redone with a calculator.",
  refusal: "Refusing this offer does not affect the investor's right to sue in court.",
  refusalDetail: 'An investor who refuses receives no advance compensation and assigns no claim against the issuer or the other liable parties; this statement sets out the amount offered and its calculation and may be filed with a court as evidence.',
  planHash: (version) => `Plan version ${version} SHA-256`,
  agreementHash: 'Agreement SHA-256',
  verification: 'The hashes above can be checked against the plan and agreement the administrator published: where they are equal, this statement rests on the published versions.',
  footerOffer: (offerId) => `Offer ${offerId}`,
  footerPage: (page, pages) => `page ${page} of ${pages}`,
};
