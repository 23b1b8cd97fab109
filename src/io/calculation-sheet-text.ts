import type {
  CalculationSheet, SheetBaseDateRule, SheetEvent, SheetLeg, SheetLegDeduction, SheetLegName, SheetNumber, SheetPools, SheetReason, SheetTrade,
} from '../domain/loss/calculation-sheet.ts';
import type { Period } from '../domain/loss/event-order.ts';
import type { InvestorStatus } from '../domain/loss/investor-loss.ts';
import { formatFen, roundToFen } from '../domain/money/fen.ts';
import { Rational } from '../domain/money/rational.ts';
import type { AveragePriceMethod, PostDisclosureSales, RuleSet } from '../domain/plan/loss-plan.ts';

export type SheetLanguage = 'zh' | 'en';

/**
 * The calculation sheet as plain text, what an investor or a judge reads to check the number:
 * the key dates and how they were found, every trade and what it did to the pools, the two legs,
 * the market-risk deduction, the fees and interest, and the total. Every formula line shows its
 * numbers so it can be redone with a calculator, and the printed total is the sum of the printed
 * components (loss-methodology.md §1). Chinese (`zh`) or English (`en`).
 */
/** The sheet's vocabulary in one language, for other renderings of a sheet (the web pages) to say things alike. */
export function sheetWords(lang: SheetLanguage): SheetWords {
  return lang === 'zh' ? ZH : EN;
}

/** Why a sheet computes nothing, or nothing payable, in words. */
export function sheetReasonText(sheet: CalculationSheet, lang: SheetLanguage): string {
  return reasonText(sheet.reasonDetail, sheet, sheetWords(lang));
}

export function renderCalculationSheet(sheet: CalculationSheet, lang: SheetLanguage): string {
  const w = lang === 'zh' ? ZH : EN;
  const out: string[] = [];
  const buySide = sheet.direction === 'inflated';

  out.push(w.title, '='.repeat(displayWidth(w.title)));
  out.push(...labelled([
    [w.investor, sheet.investor],
    [w.security, `${sheet.security.code} ${sheet.security.name} (${sheet.security.exchange})`.replace(/\s+\(/, ' (')],
    [w.directionLabel, w.direction[sheet.direction]],
    [w.ruleSetLabel, w.ruleSet[sheet.ruleSet]],
    ...(buySide ? [[w.averagePriceLabel, w.averagePrice[sheet.methods.averagePrice]] as [string, string], [w.postDisclosureLabel, w.postDisclosure[sheet.methods.postDisclosureSales]] as [string, string]] : []),
    [w.deductionMethodLabel, deductionMethod(sheet, w)],
    [w.resultLabel, `${w.status[sheet.status]}${sheet.status === 'payable' ? `  ${w.totalLabel} ${sheet.compensation.total} ${w.yuan}` : ''}`],
  ], '', '  '));

  // 1. Key dates.
  out.push('', w.sections.keyDates);
  const kd = sheet.keyDates;
  out.push(...labelled([
    [w.implementationDate, kd.implementationDate],
    [w.disclosureDate, kd.disclosureDate],
    [w.firstTradingDay, `${kd.firstTradingDay}  ${w.firstTradingDayNote}`],
    [w.baseDate, `${kd.baseDate}${kd.baseDateRule.kind === 'plan' ? '' : `  ${w.tradingDay(kd.baseDateRule.baseDay)}`}`],
    ['', baseDateExplanation(kd.baseDateRule, w)],
    [w.basePrice, kd.basePrice.value],
    ['', basePriceExplanation(sheet, w)],
    ...kd.closesAdjustedFor.map((action): [string, string] => ['', w.closesAdjusted(action.date, action.ratio)]),
  ], '  ', '  '));

  // 2. History.
  out.push('', w.sections.history);
  out.push(`  ${buySide ? w.poolLegend : w.positionLegend}`);
  if (sheet.history.length === 0) out.push(`  ${sheet.loss === null && sheet.reasonDetail !== null ? w.notReplayed(reasonText(sheet.reasonDetail, sheet, w)) : w.noHistory}`);
  else out.push(...historyTable(sheet, w));

  // 3. Investment difference loss.
  out.push('', w.sections.loss);
  if (sheet.loss === null) {
    out.push(`  ${w.notComputed(reasonText(sheet.reasonDetail, sheet, w))}`);
  } else {
    const loss = sheet.loss;
    const rows: [string, string][] = buySide
      ? [
          [w.eligibleAtDisclosure, loss.eligibleShares],
          [w.pBuy, loss.averageBuyPrice?.value ?? '—'],
          [w.qSold, loss.soldAfterDisclosure],
          [w.pSell, loss.averageSellPrice === null || loss.sellValue === null ? '—' : `${loss.sellValue.value} ÷ ${loss.soldAfterDisclosure} = ${loss.averageSellPrice.value}`],
          [w.qHeld, loss.heldAtBase],
          [w.basePrice, loss.basePrice.value],
        ]
      : [
          [w.soldInWindow, loss.eligibleShares],
          [w.pSellDeflated, loss.averageSellPrice === null || loss.sellValue === null ? '—' : `${loss.sellValue.value} ÷ ${loss.eligibleShares} = ${loss.averageSellPrice.value}`],
          [w.qBack, loss.soldAfterDisclosure],
          [w.pBack, loss.averageBuyPrice === null || loss.buyValue === null ? '—' : `${loss.buyValue.value} ÷ ${loss.soldAfterDisclosure} = ${loss.averageBuyPrice.value}`],
          [w.qNotBack, loss.heldAtBase],
          [w.basePrice, loss.basePrice.value],
        ];
    out.push(...labelled(rows, '  ', '  '));
    out.push('');
    const legRows: string[][] = loss.legs.map((leg) => [w.leg[leg.name], w.legFormula[leg.name], legArithmetic(leg), '=', leg.loss.value]);
    legRows.push([w.investmentDifferenceLoss, w.lossFormula[sheet.direction], sumText([loss.legs[0].loss.value, loss.legs[1].loss.value]), '=', loss.total.value]);
    out.push(...table(null, legRows, ['l', 'l', 'l', 'l', 'r'], '  '));
    for (const leg of loss.legs) {
      const note = exactnessNote(legDisplayed(leg), leg.loss, [leg.minuend, leg.subtrahend], w);
      if (note !== null) out.push(`  ${w.leg[leg.name]}: ${note}`);
    }
    const roundingNote = sumNote([loss.legs[0].loss.value, loss.legs[1].loss.value], loss.total.value, w);
    if (roundingNote !== null) out.push(`  ${w.investmentDifferenceLoss}: ${roundingNote}`);
  }

  // 4. Market-risk deduction.
  out.push('', `${w.sections.deduction}: ${deductionMethod(sheet, w)}`);
  const deduction = sheet.deduction;
  if (deduction === null) {
    out.push(`  ${w.notComputed(reasonText(sheet.reasonDetail, sheet, w))}`);
  } else if (deduction.legs.length === 0) {
    out.push(`  ${w.noPositiveLeg}`);
    out.push(`  ${w.deductionTotal} = 0.00`);
  } else {
    for (const leg of deduction.legs) out.push(...legDeductionLines(leg, sheet, w));
    const amounts = deduction.legs.map((leg) => leg.amount.value);
    out.push(`  ${w.deductionTotal} D = ${amounts.length > 1 ? `${sumText(amounts)} = ` : ''}${deduction.amount.value}${deduction.ratio === null ? '' : `   ${w.overallRatio} ${deduction.ratio.value}`}`);
    const roundingNote = amounts.length > 1 ? sumNote(amounts, deduction.amount.value, w) : null;
    if (roundingNote !== null) out.push(`  ${roundingNote}`);
  }

  // 5. Compensation.
  out.push('', w.sections.compensation);
  out.push(...compensationLines(sheet, w));

  out.push('', `${w.conclusion}: ${w.status[sheet.status]}${sheet.status === 'payable' ? `, ${w.totalLabel} ${sheet.compensation.total} ${w.yuan}` : `: ${reasonText(sheet.reasonDetail, sheet, w)}`}`);
  out.push('', ...w.footnotes);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Sections

function historyTable(sheet: CalculationSheet, w: SheetWords): string[] {
  const buySide = sheet.direction === 'inflated';
  const accounts = new Set(sheet.history.flatMap((event) => ('trade' in event ? [event.trade.account] : [])));
  const showAccount = accounts.size > 1;
  const headers = [w.col.line, w.col.time, ...(showAccount ? [w.col.account] : []), w.col.side, w.col.quantity, w.col.price, w.col.period,
    ...(buySide ? [w.col.moved, 'P0', 'E', 'P2', w.col.averageE] : [w.col.counted, w.col.position])];
  const align: Align[] = ['r', 'l', ...(showAccount ? ['l' as const] : []), 'l', 'r', 'r', 'l', ...(buySide ? ['l', 'r', 'r', 'r', 'r'] as Align[] : ['l', 'r'] as Align[])];
  const tradeCells = (trade: SheetTrade) => [String(trade.line), trade.time.replace('T', ' '), ...(showAccount ? [trade.account] : []), w.side[trade.side], trade.quantity, trade.price];
  const blankTrade = (time: string, side: string, quantity: string) => ['—', time, ...(showAccount ? [''] : []), side, quantity, ''];
  const poolCells = (pools: SheetPools | null, average: SheetNumber | null) =>
    pools === null ? ['', '', '', ''] : [pools.preWindow, pools.eligible, pools.late, average?.value ?? '—'];

  const rows = sheet.history.map((event: SheetEvent): string[] => {
    switch (event.kind) {
      case 'holdings':
        return [...blankTrade(w.openingTime, w.holdingsSide, event.quantity), w.period['pre-window'],
          ...(buySide ? [w.holdingsMoved, event.quantity, '0', '0', '—'] : [w.holdingsPosition, event.quantity])];
      case 'bonus':
        return [...blankTrade(event.date, w.bonusSide, w.bonusQuantity(event.ratio)), '', ...(buySide ? [`× ${event.factor}`, ...poolCells(event.pools, event.average)] : [`× ${event.factor}`, ''])];
      case 'ignored':
        return [...tradeCells(event.trade), w.ignoredPeriod, ...(buySide ? [w.ignored[event.why], '', '', '', ''] : [w.ignored[event.why], ''])];
      case 'missing-position':
        return [...tradeCells(event.trade), w.missingPeriod, ...(buySide ? [w.missingAvailable(event.available), '', '', '', ''] : [w.missingAvailable(event.available), ''])];
      case 'trade': {
        if (!buySide) {
          const counted = event.counted === null ? '—' : w.counted[event.counted.role](event.counted.quantity);
          return [...tradeCells(event.trade), w.period[event.period], counted, event.position ?? ''];
        }
        let moved: string;
        if (event.trade.side === 'B') moved = `→ ${POOL_CODE[event.pool ?? 'pre-window']}`;
        else {
          const taken = event.taken;
          const parts = taken === null ? [] : (['preWindow', 'eligible', 'late'] as const).filter((pool) => taken[pool] !== '0').map((pool) => `${POOL_CODE[pool]} −${taken[pool]}`);
          moved = parts.length === 0 ? '—' : parts.join(', ');
        }
        return [...tradeCells(event.trade), w.period[event.period], moved, ...poolCells(event.pools, event.average)];
      }
    }
  });
  return table(headers, rows, align, '  ');
}

const POOL_CODE = { 'pre-window': 'P0', preWindow: 'P0', eligible: 'E', late: 'P2' } as const;

function legDeductionLines(leg: SheetLegDeduction, sheet: CalculationSheet, w: SheetWords): string[] {
  const lines: string[] = [`  ${w.leg[leg.leg]} (${w.lossWord} ${leg.loss.value})`];
  const method = sheet.deduction!.method;
  const buySide = sheet.direction === 'inflated';
  if (method === 'index-comparison') {
    const entry = leg.entryPrice?.value ?? '—';
    const exit = leg.exitPrice?.value ?? '—';
    const stockFormula = buySide ? `(${entry} − ${exit}) ÷ ${entry}` : `(${exit} − ${entry}) ÷ ${entry}`;
    if (leg.stockChange === null) {
      lines.push(`    ${w.stockChangeLabel[sheet.direction]} r_s: ${w.noStockChange}`);
    } else {
      lines.push(`    ${w.stockChangeLabel[sheet.direction]} r_s = ${w.stockChangeFormula[leg.leg]} = ${stockFormula} = ${leg.stockChange.value}`);
    }
    if (leg.indices.length > 0) {
      const rows = leg.indices.map((index) => [index.index, index.entry.value, index.exit.value,
        buySide ? `(${index.entry.value} − ${index.exit.value}) ÷ ${index.entry.value}` : `(${index.exit.value} − ${index.entry.value}) ÷ ${index.entry.value}`, '=', index.change.value]);
      lines.push(...table([w.col.index, w.col.indexEntry[sheet.direction], w.col.indexExit[leg.leg], w.col.indexChangeFormula[sheet.direction], '', w.col.indexChange[sheet.direction]], rows, ['l', 'r', 'r', 'l', 'l', 'r'], '    '));
    }
    if (leg.marketChange === null) {
      lines.push(`    ${w.marketChangeLabel[sheet.direction]} r_m: ${w.noMarketChange}`);
    } else {
      const changes = leg.indices.map((index) => index.change.value);
      lines.push(`    ${w.marketChangeLabel[sheet.direction]} r_m = ${changes.length > 1 ? `(${sumText(changes)}) ÷ ${changes.length} = ` : ''}${leg.marketChange.value}`);
    }
    if (leg.stockChange !== null && leg.marketChange !== null && leg.stockChange.exact !== '0' && !leg.stockChange.exact.startsWith('-')) {
      const raw = Rational.of(...fractionParts(leg.marketChange.exact)).div(Rational.of(...fractionParts(leg.stockChange.exact)));
      const clamped = raw.gt(Rational.ONE) ? w.clampedToOne : raw.isPositive() ? '' : w.clampedToZero;
      lines.push(`    ${w.ratioK} k = r_m ÷ r_s = ${leg.marketChange.value} ÷ ${leg.stockChange.value}${clamped} = ${leg.ratio.value}`);
    } else {
      lines.push(`    ${w.ratioK} k = ${leg.ratio.value}  ${w.noRatio}`);
    }
  } else {
    lines.push(`    ${w.ratioK} k = ${leg.ratio.value}  (${w.ratioSource[method]})`);
  }
  lines.push(`    ${w.deductionAmount} = ${leg.loss.value} × ${leg.ratio.value} = ${leg.amount.value}`);
  const note = exactnessNote(Rational.parse(leg.loss.value).mul(Rational.parse(leg.ratio.value)), leg.amount, [leg.loss, leg.ratio], w);
  if (note !== null) lines.push(`    ${note}`);
  return lines;
}

function compensationLines(sheet: CalculationSheet, w: SheetWords): string[] {
  const c = sheet.compensation;
  const payable = sheet.status === 'payable';
  const principal = c.principal.value;
  const rows: string[][] = [];
  const notes: string[] = [];

  if (sheet.loss !== null && sheet.deduction !== null && c.lossAfterDeduction !== null) {
    const formula = `${sheet.loss.total.value} − ${sheet.deduction.amount.value}`;
    if (payable) {
      rows.push([w.principal, w.principalFormula, formula, '=', principal]);
      const note = sumNote([principal, sheet.deduction.amount.value], sheet.loss.total.value, w);
      if (note !== null) notes.push(`${w.principal}: ${note}`);
    } else {
      rows.push([w.principal, w.principalFormula, `${formula} = ${c.lossAfterDeduction.value} ≤ 0 → 0`, '=', principal]);
    }
  } else {
    rows.push([w.principal, w.principalFormula, w.notApplicable, '=', principal]);
  }

  if (payable) {
    rows.push([w.commission, `${w.principal} × ${w.rateWord}`, `${principal} × ${c.commissionRate}`, '=', c.commission.value]);
    rows.push([w.stampDuty, `${w.principal} × ${w.rateWord}${c.stampDutyByDate ? ` ${w.byDate}` : ''}`, `${principal} × ${c.stampDutyRate}`, '=', c.stampDuty.value]);
    for (const [label, amount] of [[w.commission, c.commission], [w.stampDuty, c.stampDuty]] as const) {
      const note = exactnessNote(Rational.parse(principal).mul(Rational.parse(label === w.commission ? c.commissionRate : c.stampDutyRate)), amount, [c.principal], w);
      if (note !== null) notes.push(`${label}: ${note}`);
    }
    const detail = c.interestDetail;
    if (detail === null) {
      rows.push([w.interest, c.interestInPlan ? w.interestNone : w.interestNotInPlan, '', '=', c.interest.value]);
    } else {
      const sum = detail.periods.length === 0 ? '0' : detail.periods.map((period) => `${period.rate} × ${period.days}`).join(' + ');
      rows.push([w.interest, w.interestFormula, `${detail.base.value} × (${sum}) ÷ 365`, '=', c.interest.value]);
      notes.push(`${w.interest}: ${w.interestDays(detail.start, detail.end, detail.days)}`);
      for (const period of detail.periods) notes.push(`  ${period.from} … ${period.to}: ${period.days} × ${period.rate}`);
    }
  } else {
    rows.push([w.commission, `${w.principal} × ${w.rateWord}`, w.notPayable, '=', c.commission.value]);
    rows.push([w.stampDuty, `${w.principal} × ${w.rateWord}`, w.notPayable, '=', c.stampDuty.value]);
    rows.push([w.interest, '', w.notPayable, '=', c.interest.value]);
  }
  rows.push([w.total, w.totalFormula, `${principal} + ${c.commission.value} + ${c.stampDuty.value} + ${c.interest.value}`, '=', c.total]);
  const lines = table(null, rows, ['l', 'l', 'l', 'l', 'r'], '  ');
  // A rule above the total, as on a paper sheet.
  const width = Math.max(...lines.map(displayWidth)) - 2;
  lines.splice(lines.length - 1, 0, `  ${'-'.repeat(width)}`);
  return [...lines, ...notes.map((note) => `  ${note}`)];
}

function baseDateExplanation(rule: SheetBaseDateRule, w: SheetWords): string {
  switch (rule.kind) {
    case 'plan':
      return w.baseDateByPlan;
    case 'turnover':
      return w.baseDateTurnover(rule.ruleSet, rule.reachedOnDay, rule.baseDay, rule.floorDay, rule.float, rule.cumulativeVolume);
    case 'fallback':
      return w.baseDateFallback(rule.ruleSet, rule.baseDay, rule.float, rule.cumulativeVolume);
  }
}

function basePriceExplanation(sheet: CalculationSheet, w: SheetWords): string {
  const kd = sheet.keyDates;
  if (kd.basePriceSource === 'plan' || kd.basePriceMean === null) return w.basePriceByPlan;
  const mean = kd.basePriceMean.exact.includes('/') ? `${kd.basePriceMean.value} (= ${kd.basePriceMean.exact})` : kd.basePriceMean.value;
  return w.basePriceMean(kd.baseWindowDays, mean, kd.basePriceDecimals);
}

function deductionMethod(sheet: CalculationSheet, w: SheetWords): string {
  const m = sheet.methods;
  switch (m.riskDeduction) {
    case 'none':
      return w.deductionMethod.none;
    case 'fixed':
      return `${w.deductionMethod.fixed} ${m.fixedRatio?.value ?? ''}`;
    case 'per-investor':
      return w.deductionMethod['per-investor'];
    case 'index-comparison':
      return `${w.deductionMethod['index-comparison']} (${m.indices.join(', ')})`;
  }
}

function reasonText(reason: SheetReason | null, sheet: CalculationSheet, w: SheetWords): string {
  if (reason === null) return sheet.reason;
  switch (reason.kind) {
    case 'excluded':
      return w.reason.excluded;
    case 'bad-row':
      return w.reason.badRow(reason.file, reason.line, reason.problem);
    case 'missing-ratio':
      return w.reason.missingRatio;
    case 'missing-position':
      return w.reason.missingPosition(reason.trade, reason.available);
    case 'no-eligible-shares':
      return w.reason.noEligibleShares[sheet.direction];
    case 'no-loss':
      return w.reason.noLoss;
    case 'no-loss-after-deduction':
      return w.reason.noLossAfterDeduction;
  }
}

// ---------------------------------------------------------------------------------------------
// Arithmetic checks: a formula redone with the printed numbers should give the printed amount.

/** "143.00 − 178.00" rather than "143.00 + -178.00". */
function sumText(terms: string[]): string {
  return terms.map((term, position) => (position === 0 ? term : term.startsWith('-') ? ` − ${term.slice(1)}` : ` + ${term}`)).join('');
}

function legArithmetic(leg: SheetLeg): string {
  return `(${leg.minuend?.value ?? '—'} − ${leg.subtrahend?.value ?? '—'}) × ${leg.quantity}`;
}

function legDisplayed(leg: SheetLeg): Rational {
  if (leg.minuend === null || leg.subtrahend === null) return Rational.ZERO;
  return Rational.parse(leg.minuend.value).sub(Rational.parse(leg.subtrahend.value)).mul(Rational.parse(leg.quantity));
}

/**
 * When the printed operands, being rounded for display, do not reproduce the printed amount to
 * the fen, names their exact values so a reader can redo the line.
 */
function exactnessNote(fromDisplayed: Rational, shown: SheetNumber, operands: (SheetNumber | null)[], w: SheetWords): string | null {
  if (formatFen(roundToFen(fromDisplayed)) === shown.value) return null;
  const inexact = operands.filter((operand): operand is SheetNumber => operand !== null && !isExact(operand));
  if (inexact.length === 0) return null;
  return w.exactOperands(inexact.map((operand) => `${operand.value} = ${operand.exact}`).join(', '));
}

/** When printed parts do not add up to the printed whole (each is rounded from its own exact value). */
function sumNote(parts: string[], whole: string, w: SheetWords): string | null {
  const total = parts.reduce((sum, part) => sum + toFen(part), 0n);
  const difference = toFen(whole) - total;
  return difference === 0n ? null : w.roundingDifference(formatFen(difference < 0n ? -difference : difference));
}

function isExact(number: SheetNumber): boolean {
  return Rational.parse(number.value).equals(Rational.of(...fractionParts(number.exact)));
}

function fractionParts(exact: string): [bigint, bigint] {
  const [num, den = '1'] = exact.split('/');
  return [BigInt(num!), BigInt(den)];
}

function toFen(text: string): bigint {
  return Rational.parse(text).roundToScaled(2);
}

// ---------------------------------------------------------------------------------------------
// Layout: columns aligned by display width (a CJK character takes two columns).

type Align = 'l' | 'r';

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += isWide(char.codePointAt(0)!) ? 2 : 1;
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

function pad(text: string, width: number, align: Align): string {
  const fill = ' '.repeat(Math.max(width - displayWidth(text), 0));
  return align === 'l' ? text + fill : fill + text;
}

function table(headers: string[] | null, rows: string[][], align: Align[], indent: string): string[] {
  const all = headers === null ? rows : [headers, ...rows];
  const widths = align.map((_, column) => Math.max(0, ...all.map((row) => displayWidth(row[column] ?? ''))));
  const line = (row: string[], header: boolean) =>
    (indent + row.map((cell, column) => pad(cell, widths[column]!, header ? 'l' : align[column]!)).join('  ')).trimEnd();
  const lines: string[] = [];
  if (headers !== null) {
    lines.push(line(headers, true));
    lines.push((indent + widths.map((width, column) => (headers[column] === '' ? ' ' : '-').repeat(width)).join('  ')).trimEnd());
  }
  for (const row of rows) lines.push(line(row, false));
  return lines;
}

/** Label–value lines with the values aligned; an empty label continues the previous value. */
function labelled(rows: [string, string][], indent: string, gap: string): string[] {
  const width = Math.max(...rows.map(([label]) => displayWidth(label)));
  return rows.filter(([, value]) => value !== '').map(([label, value]) => `${indent}${pad(label, width, 'l')}${gap}${value}`.trimEnd());
}

// ---------------------------------------------------------------------------------------------
// Words

export interface SheetWords {
  title: string;
  investor: string;
  security: string;
  directionLabel: string;
  direction: Record<'inflated' | 'deflated', string>;
  ruleSetLabel: string;
  ruleSet: Record<RuleSet, string>;
  averagePriceLabel: string;
  averagePrice: Record<AveragePriceMethod, string>;
  postDisclosureLabel: string;
  postDisclosure: Record<PostDisclosureSales, string>;
  deductionMethodLabel: string;
  deductionMethod: Record<'none' | 'fixed' | 'per-investor' | 'index-comparison', string>;
  resultLabel: string;
  status: Record<InvestorStatus, string>;
  totalLabel: string;
  yuan: string;
  sections: { keyDates: string; history: string; loss: string; deduction: string; compensation: string };
  implementationDate: string;
  disclosureDate: string;
  firstTradingDay: string;
  firstTradingDayNote: string;
  baseDate: string;
  basePrice: string;
  tradingDay: (day: number) => string;
  baseDateByPlan: string;
  baseDateTurnover: (ruleSet: RuleSet, reached: number, baseDay: number, floorDay: number | null, float: string, volume: string) => string;
  baseDateFallback: (ruleSet: RuleSet, baseDay: number, float: string, volume: string) => string;
  basePriceByPlan: string;
  basePriceMean: (days: number, mean: string, decimals: number | null) => string;
  closesAdjusted: (date: string, ratio: string) => string;
  poolLegend: string;
  positionLegend: string;
  noHistory: string;
  notReplayed: (reason: string) => string;
  col: {
    line: string; time: string; account: string; side: string; quantity: string; price: string; period: string;
    moved: string; averageE: string; counted: string; position: string;
    index: string; indexEntry: Record<'inflated' | 'deflated', string>; indexExit: Record<SheetLegName, string>;
    indexChangeFormula: Record<'inflated' | 'deflated', string>; indexChange: Record<'inflated' | 'deflated', string>;
  };
  side: Record<'B' | 'S', string>;
  period: Record<Period, string>;
  openingTime: string;
  holdingsSide: string;
  holdingsMoved: string;
  holdingsPosition: string;
  bonusSide: string;
  bonusQuantity: (ratio: string) => string;
  ignoredPeriod: string;
  ignored: Record<'superseded-by-holdings', string>;
  missingPeriod: string;
  missingAvailable: (available: string) => string;
  counted: Record<'eligible-sale' | 'buy-back', (quantity: string) => string>;
  eligibleAtDisclosure: string;
  pBuy: string;
  qSold: string;
  pSell: string;
  qHeld: string;
  soldInWindow: string;
  pSellDeflated: string;
  qBack: string;
  pBack: string;
  qNotBack: string;
  leg: Record<SheetLegName, string>;
  legFormula: Record<SheetLegName, string>;
  investmentDifferenceLoss: string;
  lossFormula: Record<'inflated' | 'deflated', string>;
  notComputed: (reason: string) => string;
  noPositiveLeg: string;
  deductionTotal: string;
  overallRatio: string;
  lossWord: string;
  stockChangeLabel: Record<'inflated' | 'deflated', string>;
  stockChangeFormula: Record<SheetLegName, string>;
  marketChangeLabel: Record<'inflated' | 'deflated', string>;
  noStockChange: string;
  noMarketChange: string;
  ratioK: string;
  clampedToOne: string;
  clampedToZero: string;
  noRatio: string;
  ratioSource: Record<'none' | 'fixed' | 'per-investor' | 'index-comparison', string>;
  deductionAmount: string;
  principal: string;
  principalFormula: string;
  commission: string;
  stampDuty: string;
  interest: string;
  total: string;
  totalFormula: string;
  rateWord: string;
  byDate: string;
  interestNone: string;
  interestNotInPlan: string;
  interestFormula: string;
  interestDays: (start: string, end: string, days: number) => string;
  notApplicable: string;
  notPayable: string;
  conclusion: string;
  reason: {
    excluded: string;
    badRow: (file: string, line: number, problem: string) => string;
    missingRatio: string;
    missingPosition: (trade: SheetTrade, available: string) => string;
    noEligibleShares: Record<'inflated' | 'deflated', string>;
    noLoss: string;
    noLossAfterDeduction: string;
  };
  exactOperands: (list: string) => string;
  roundingDifference: (difference: string) => string;
  footnotes: string[];
}

const ZH: SheetWords = {
  title: '先行赔付损失计算表',
  investor: '投资者',
  security: '证券',
  directionLabel: '虚假陈述类型',
  direction: { inflated: '诱多 (买入股份的损失)', deflated: '诱空 (卖出股份的损失, 《若干规定》第28条)' },
  ruleSetLabel: '适用规定',
  ruleSet: { SPC2022: '2022年《若干规定》(法释〔2022〕2号)', SPC2003: '2003年《若干规定》(法释〔2003〕2号)' },
  averagePriceLabel: '买入均价计算方法',
  averagePrice: { 'moving-weighted-average': '移动加权平均法', fifo: '先进先出加权平均法', 'actual-cost': '实际成本法', 'weighted-buys': '综合加权平均法' },
  postDisclosureLabel: '揭露日后卖出顺序',
  postDisclosure: { fifo: '先进先出 (先卖实施日前持股)', 'eligible-first': '优先卖出适格股份' },
  deductionMethodLabel: '系统风险扣除方法',
  deductionMethod: { none: '不扣除', fixed: '固定比例', 'per-investor': '按投资者扣除比例 (ratios.csv)', 'index-comparison': '同步指数对比法' },
  resultLabel: '结果',
  status: { payable: '可赔付', zero: '无损失', ineligible: '不适格', rejected: '已拒绝' },
  totalLabel: '合计',
  yuan: '元',
  sections: { keyDates: '一、三日一价', history: '二、交易记录', loss: '三、投资差额损失', deduction: '四、系统风险扣除', compensation: '五、赔付金额' },
  implementationDate: '实施日',
  disclosureDate: '揭露日',
  firstTradingDay: '首个交易日',
  firstTradingDayNote: '(揭露日当日或之后的第1个交易日)',
  baseDate: '基准日',
  basePrice: '基准价',
  tradingDay: (day) => `(第${day}个交易日)`,
  baseDateByPlan: '由方案确定',
  baseDateTurnover: (ruleSet, reached, baseDay, floorDay, float, volume) =>
    ruleSet === 'SPC2022'
      ? `自第1个交易日起累计成交量于第${reached}个交易日达到首日流通股数 ${float} 股; ${floorDay === null ? `基准日为该日` : `不足${floorDay}个交易日, 取第${baseDay}个交易日`} (至基准日累计 ${volume} 股; 2022年《若干规定》第26条)`
      : `自第1个交易日起累计成交量于第${reached}个交易日达到首日流通股数 ${float} 股, 该日为基准日 (2003年《若干规定》第33条)`,
  baseDateFallback: (ruleSet, baseDay, float, volume) =>
    `至第${baseDay}个交易日累计成交量 ${volume} 股, 未达到首日流通股数 ${float} 股, 取第${baseDay}个交易日 (${ruleSet === 'SPC2022' ? '2022年《若干规定》第26条' : '2003年《若干规定》第33条'})`,
  basePriceByPlan: '由方案确定',
  basePriceMean: (days, mean, decimals) => `第1个交易日至基准日共${days}个交易日收盘价的算术平均 ${mean}, ${decimals === null ? '不作舍入' : `四舍五入保留${decimals}位小数`}`,
  closesAdjusted: (date, ratio) => `${date} 送转 (每股 ${ratio} 股) 之前的收盘价已除以 1 + ${ratio}`,
  poolLegend: 'P0 = 实施日前持股, E = 适格股份 (实施日至揭露日前买入), P2 = 揭露日后买入; P0/E/P2 与 E均价 为该笔之后的余额',
  positionLegend: '适格卖出 = 实施日至揭露日前的卖出; 买回 = 揭露日至基准日买入, 以适格卖出股数为限; 持仓为该笔之后的余额',
  noHistory: '(无交易记录)',
  notReplayed: (reason) => `(未逐笔计算: ${reason})`,
  col: {
    line: '行号', time: '时间', account: '账户', side: '买卖', quantity: '数量', price: '价格', period: '期间',
    moved: '股份变动', averageE: 'E均价', counted: '计入', position: '持仓',
    index: '指数', indexEntry: { inflated: 'I_buy 买入均值', deflated: 'I_sell 卖出均值' },
    indexExit: { sold: 'I_sell 卖出均值', held: 'I_base 基准期均值', 'bought-back': 'I_back 买回均值', 'not-bought-back': 'I_base 基准期均值' },
    indexChangeFormula: { inflated: '(I_buy − 对应值) ÷ I_buy', deflated: '(对应值 − I_sell) ÷ I_sell' },
    indexChange: { inflated: '跌幅', deflated: '涨幅' },
  },
  side: { B: '买入', S: '卖出' },
  period: { 'pre-window': '实施日前', window: '实施日至揭露日前', 'post-disclosure': '揭露日至基准日', 'after-base': '基准日之后 (仅核对持仓)' },
  openingTime: '实施日开盘前',
  holdingsSide: '持股',
  holdingsMoved: '→ P0 (holdings.csv)',
  holdingsPosition: '期初持仓 (holdings.csv)',
  bonusSide: '送转',
  bonusQuantity: (ratio) => `每股 ${ratio}`,
  ignoredPeriod: '不计',
  ignored: { 'superseded-by-holdings': '实施日前持股以 holdings.csv 为准' },
  missingPeriod: '持仓缺失',
  missingAvailable: (available) => `可卖出仅 ${available}`,
  counted: { 'eligible-sale': (quantity) => `适格卖出 ${quantity}`, 'buy-back': (quantity) => `买回 ${quantity}` },
  eligibleAtDisclosure: '揭露日持有的适格股份',
  pBuy: '买入均价 P_buy',
  qSold: '揭露日至基准日卖出 Q_sold',
  pSell: '卖出均价 P_sell',
  qHeld: '基准日仍持有 Q_held',
  soldInWindow: '实施日至揭露日前卖出的股份',
  pSellDeflated: '卖出均价 P_sell',
  qBack: '揭露日至基准日买回 Q_back',
  pBack: '买回均价 P_back',
  qNotBack: '未买回 Q_not_back',
  leg: { sold: '卖出部分', held: '持有部分', 'bought-back': '买回部分', 'not-bought-back': '未买回部分' },
  legFormula: {
    sold: '(P_buy − P_sell) × Q_sold',
    held: '(P_buy − 基准价) × Q_held',
    'bought-back': '(P_back − P_sell) × Q_back',
    'not-bought-back': '(基准价 − P_sell) × Q_not_back',
  },
  investmentDifferenceLoss: '投资差额损失',
  lossFormula: { inflated: '卖出部分 + 持有部分', deflated: '买回部分 + 未买回部分' },
  notComputed: (reason) => `不计算: ${reason}`,
  noPositiveLeg: '没有损失为正的部分, 不扣除',
  deductionTotal: '系统风险扣除',
  overallRatio: '综合扣除比例',
  lossWord: '损失',
  stockChangeLabel: { inflated: '个股跌幅', deflated: '个股涨幅' },
  stockChangeFormula: { sold: '(P_buy − P_sell) ÷ P_buy', held: '(P_buy − 基准价) ÷ P_buy', 'bought-back': '(P_back − P_sell) ÷ P_sell', 'not-bought-back': '(基准价 − P_sell) ÷ P_sell' },
  marketChangeLabel: { inflated: '市场跌幅', deflated: '市场涨幅' },
  noStockChange: '不适用 (价格缺失)',
  noMarketChange: '不计算 (个股未下跌或指数点位不为正)',
  ratioK: '扣除比例',
  clampedToOne: ' (超过1, 取1)',
  clampedToZero: ' (不为正, 取0)',
  noRatio: '(个股或市场未下跌, 不扣除)',
  ratioSource: { none: '方案不扣除', fixed: '方案固定比例', 'per-investor': 'ratios.csv 中该投资者的比例', 'index-comparison': '' },
  deductionAmount: '扣除金额',
  principal: '本金',
  principalFormula: '投资差额损失 − 系统风险扣除',
  commission: '佣金',
  stampDuty: '印花税',
  interest: '利息',
  total: '合计',
  totalFormula: '本金 + 佣金 + 印花税 + 利息',
  rateWord: '费率',
  byDate: '(按基准日税率)',
  interestNone: '不计息',
  interestNotInPlan: '方案不计利息',
  interestFormula: '(本金 + 佣金 + 印花税) × Σ(年利率 × 天数) ÷ 365',
  interestDays: (start, end, days) => `自 ${start} 次日起至基准日 ${end} 共 ${days} 天`,
  notApplicable: '不计算',
  notPayable: '无赔付',
  conclusion: '结论',
  reason: {
    excluded: '方案排除的投资者',
    badRow: (file, line, problem) => `${file} 第${line}行无效: ${problem}`,
    missingRatio: 'ratios.csv 中没有该投资者的扣除比例',
    missingPosition: (trade, available) => `持仓缺失: 交易文件第${trade.line}行 ${trade.time.replace('T', ' ')} 卖出 ${trade.quantity} 股, 超过可卖出的 ${available} 股`,
    noEligibleShares: { inflated: '揭露日未持有适格股份', deflated: '实施日至揭露日前没有卖出' },
    noLoss: '无投资差额损失',
    noLossAfterDeduction: '扣除系统风险后无损失',
  },
  exactOperands: (list) => `显示值经舍入, 按精确值计算: ${list}`,
  roundingDifference: (difference) => `各项分别由精确值四舍五入到分, 相差 ${difference} 为舍入差`,
  footnotes: [
    '说明: 价格、点位保留4位小数, 比例保留6位小数, 仅为显示; 计算全程使用精确值, 每项金额最后四舍五入到分,',
    '      合计为各项舍入后金额之和。精确值 (分数) 见 --format json。',
  ],
};

const EN: SheetWords = {
  title: 'Calculation sheet: advance compensation (先行赔付)',
  investor: 'investor',
  security: 'security',
  directionLabel: 'misstatement',
  direction: { inflated: 'inflated (诱多): loss on shares bought', deflated: 'deflated (诱空): loss on shares sold (Art. 28)' },
  ruleSetLabel: 'rules',
  ruleSet: { SPC2022: 'SPC Provisions 2022 (法释〔2022〕2号)', SPC2003: 'SPC Provisions 2003 (法释〔2003〕2号)' },
  averagePriceLabel: 'average buy price',
  averagePrice: { 'moving-weighted-average': 'moving weighted average', fifo: 'FIFO weighted average', 'actual-cost': 'actual cost', 'weighted-buys': 'weighted buys' },
  postDisclosureLabel: 'sales after disclosure',
  postDisclosure: { fifo: 'first in, first out (pre-window shares first)', 'eligible-first': 'eligible shares first' },
  deductionMethodLabel: 'market-risk deduction',
  deductionMethod: { none: 'none', fixed: 'fixed ratio', 'per-investor': 'per-investor ratio (ratios.csv)', 'index-comparison': 'index comparison' },
  resultLabel: 'result',
  status: { payable: 'payable', zero: 'no loss', ineligible: 'ineligible', rejected: 'rejected' },
  totalLabel: 'total',
  yuan: 'yuan',
  sections: { keyDates: '1. Key dates and base price', history: '2. Trades', loss: '3. Investment difference loss', deduction: '4. Market-risk deduction', compensation: '5. Compensation' },
  implementationDate: 'implementation date',
  disclosureDate: 'disclosure date',
  firstTradingDay: 'first trading day',
  firstTradingDayNote: '(day 1: first trading day on or after the disclosure date)',
  baseDate: 'base date',
  basePrice: 'base price',
  tradingDay: (day) => `(trading day ${day})`,
  baseDateByPlan: 'fixed by the plan',
  baseDateTurnover: (ruleSet, reached, baseDay, floorDay, float, volume) =>
    ruleSet === 'SPC2022'
      ? `cumulative volume from day 1 reached the float of day 1 (${float} shares) on trading day ${reached}; ${floorDay === null ? 'the base date is that day' : `the base date is at least trading day ${floorDay}, so trading day ${baseDay}`} (${volume} shares to the base date; 2022 Provisions Art. 26)`
      : `cumulative volume from day 1 reached the float of day 1 (${float} shares) on trading day ${reached}, the base date (2003 Provisions Art. 33)`,
  baseDateFallback: (ruleSet, baseDay, float, volume) =>
    `cumulative volume to trading day ${baseDay} (${volume} shares) did not reach the float of day 1 (${float} shares), so trading day ${baseDay} (${ruleSet === 'SPC2022' ? '2022 Provisions Art. 26' : '2003 Provisions Art. 33'})`,
  basePriceByPlan: 'fixed by the plan',
  basePriceMean: (days, mean, decimals) => `mean close over the ${days} trading days from day 1 to the base date, ${mean}, ${decimals === null ? 'kept exact' : `rounded to ${decimals} decimals`}`,
  closesAdjusted: (date, ratio) => `closes before the bonus action of ${date} (${ratio} per share) divided by 1 + ${ratio}`,
  poolLegend: 'P0 = held before the implementation date, E = eligible (bought in the window), P2 = bought after disclosure; P0/E/P2 and avg E after the trade',
  positionLegend: 'eligible sale = sold in the window; buy-back = bought from the disclosure date to the base date, up to the shares sold; position after the trade',
  noHistory: '(no trades)',
  notReplayed: (reason) => `(not replayed: ${reason})`,
  col: {
    line: 'line', time: 'time', account: 'account', side: 'side', quantity: 'quantity', price: 'price', period: 'period',
    moved: 'pools', averageE: 'avg E', counted: 'counted', position: 'position',
    index: 'index', indexEntry: { inflated: 'I_buy (buys)', deflated: 'I_sell (sales)' },
    indexExit: { sold: 'I_sell (sales)', held: 'I_base (day 1 … base date)', 'bought-back': 'I_back (buy-backs)', 'not-bought-back': 'I_base (day 1 … base date)' },
    indexChangeFormula: { inflated: '(I_buy − exit level) ÷ I_buy', deflated: '(exit level − I_sell) ÷ I_sell' },
    indexChange: { inflated: 'fall', deflated: 'rise' },
  },
  side: { B: 'buy', S: 'sell' },
  period: { 'pre-window': 'before implementation', window: 'window', 'post-disclosure': 'after disclosure', 'after-base': 'after base date (position only)' },
  openingTime: 'start of implementation date',
  holdingsSide: 'held',
  holdingsMoved: '→ P0 (holdings.csv)',
  holdingsPosition: 'opening position (holdings.csv)',
  bonusSide: 'bonus',
  bonusQuantity: (ratio) => `${ratio} per share`,
  ignoredPeriod: 'ignored',
  ignored: { 'superseded-by-holdings': 'holdings.csv gives the pre-window position' },
  missingPeriod: 'missing position',
  missingAvailable: (available) => `only ${available} available`,
  counted: { 'eligible-sale': (quantity) => `eligible sale ${quantity}`, 'buy-back': (quantity) => `buy-back ${quantity}` },
  eligibleAtDisclosure: 'eligible shares held at disclosure',
  pBuy: 'average buy price P_buy',
  qSold: 'sold from disclosure to base date Q_sold',
  pSell: 'average sell price P_sell',
  qHeld: 'still held at the base date Q_held',
  soldInWindow: 'shares sold in the window',
  pSellDeflated: 'average sell price P_sell',
  qBack: 'bought back by the base date Q_back',
  pBack: 'average buy-back price P_back',
  qNotBack: 'not bought back Q_not_back',
  leg: { sold: 'sold leg', held: 'held leg', 'bought-back': 'bought-back leg', 'not-bought-back': 'not-bought-back leg' },
  legFormula: {
    sold: '(P_buy − P_sell) × Q_sold',
    held: '(P_buy − base price) × Q_held',
    'bought-back': '(P_back − P_sell) × Q_back',
    'not-bought-back': '(base price − P_sell) × Q_not_back',
  },
  investmentDifferenceLoss: 'investment difference loss',
  lossFormula: { inflated: 'sold leg + held leg', deflated: 'bought-back leg + not-bought-back leg' },
  notComputed: (reason) => `not computed: ${reason}`,
  noPositiveLeg: 'no leg with a positive loss: nothing to deduct',
  deductionTotal: 'market-risk deduction',
  overallRatio: 'overall ratio',
  lossWord: 'loss',
  stockChangeLabel: { inflated: 'stock fall', deflated: 'stock rise' },
  stockChangeFormula: { sold: '(P_buy − P_sell) ÷ P_buy', held: '(P_buy − base price) ÷ P_buy', 'bought-back': '(P_back − P_sell) ÷ P_sell', 'not-bought-back': '(base price − P_sell) ÷ P_sell' },
  marketChangeLabel: { inflated: 'market fall', deflated: 'market rise' },
  noStockChange: 'not applicable (no price)',
  noMarketChange: 'not computed (the stock did not fall, or an index level is not positive)',
  ratioK: 'ratio',
  clampedToOne: ' (above 1, so 1)',
  clampedToZero: ' (not positive, so 0)',
  noRatio: '(the stock or the market did not fall: no deduction)',
  ratioSource: { none: 'no deduction in the plan', fixed: "the plan's fixed ratio", 'per-investor': "the investor's ratio in ratios.csv", 'index-comparison': '' },
  deductionAmount: 'deduction',
  principal: 'principal',
  principalFormula: 'investment difference loss − market-risk deduction',
  commission: 'commission',
  stampDuty: 'stamp duty',
  interest: 'interest',
  total: 'total',
  totalFormula: 'principal + commission + stamp duty + interest',
  rateWord: 'rate',
  byDate: '(rate on the base date)',
  interestNone: 'no interest',
  interestNotInPlan: 'the plan pays no interest',
  interestFormula: '(principal + commission + stamp duty) × Σ(annual rate × days) ÷ 365',
  interestDays: (start, end, days) => `${days} days from the day after ${start} to the base date ${end}`,
  notApplicable: 'not computed',
  notPayable: 'nothing payable',
  conclusion: 'conclusion',
  reason: {
    excluded: 'excluded from the plan',
    badRow: (file, line, problem) => `${file} line ${line} is invalid: ${problem}`,
    missingRatio: 'no deduction ratio for the investor in ratios.csv',
    missingPosition: (trade, available) => `missing position: the sale of ${trade.quantity} on ${trade.time.replace('T', ' ')} (line ${trade.line} of the trades file) exceeds the ${available} shares available`,
    noEligibleShares: { inflated: 'no eligible shares held at disclosure', deflated: 'no shares sold in the window' },
    noLoss: 'no investment difference loss',
    noLossAfterDeduction: 'no loss after the market-risk deduction',
  },
  exactOperands: (list) => `the printed values are rounded; exactly: ${list}`,
  roundingDifference: (difference) => `each amount is rounded to the fen from its exact value; the ${difference} difference is rounding`,
  footnotes: [
    'Note: prices and index levels are shown with 4 decimals and ratios with 6, for display only; the computation',
    'uses exact values and rounds each amount to the fen at the end; the total is the sum of the rounded amounts.',
    'Exact values (fractions) are in --format json.',
  ],
};
