import { basename } from 'node:path';
import { dateOf } from '../domain/market/calendar-date.ts';
import { Rational } from '../domain/money/rational.ts';
import { timeOrderKey, type RejectedRow, type Trade } from '../domain/loss/investor-records.ts';
import { columnPositions, scanCsvFile, type CsvEncoding } from './csv-scan.ts';
import { checkDecimal, checkNonNegativeInteger, checkPositiveInteger, checkTradeTime } from './field-syntax.ts';

/**
 * Readers of the per-investor files: trades.csv, holdings.csv, ratios.csv
 * (loss-methodology.md §2.2). A bad row never stops a run: it is handed to `bad` with its file,
 * line and reason, and the investor it names is then `rejected`.
 */
export interface InvestorRowSink {
  trade(investor: string, trade: Trade): void;
  holdings(investor: string, quantity: Rational, line: number): void;
  ratio(investor: string, ratio: Rational, line: number): void;
  /** `investor` is '' when the row does not name one (a blank line, say). */
  bad(row: RejectedRow): void;
}

export const TRADE_COLUMNS = ['investor', 'account', 'time', 'side', 'quantity', 'price'] as const;
export type TradeColumns = Record<(typeof TRADE_COLUMNS)[number], number>;

/** Checks one trades.csv row; returns null when it is valid, or the reason it is bad. */
export function checkTradeRow(fields: string[] | null, at: TradeColumns, width: number): string | null {
  if (fields === null) return 'unterminated quote';
  if (fields.length !== width) return `${fields.length} fields where the header has ${width}`;
  if (fields[at.investor]!.length === 0) return 'investor is empty';
  const side = fields[at.side]!;
  return (
    checkTradeTime(fields[at.time]!) ??
    (side === 'B' || side === 'S' ? null : `side '${side}' is not B or S`) ??
    checkPositiveInteger('quantity', fields[at.quantity]!) ??
    checkDecimal('price', fields[at.price]!, 3)
  );
}

/** Builds a trade from the text of a row that passed checkTradeRow. */
export function tradeFromText(line: number, account: string, time: string, side: string, quantity: string, price: string): Trade {
  return {
    line,
    account,
    time,
    timeKey: timeOrderKey(time),
    date: dateOf(time),
    side: side as 'B' | 'S',
    quantity: Rational.fromInteger(quantity.length <= 15 ? Number(quantity) : BigInt(quantity)),
    price: Rational.parse(price),
  };
}

/** Validates one trades.csv row; returns the trade, or the reason it is bad. */
export function parseTradeRow(fields: string[] | null, at: TradeColumns, width: number, line: number): Trade | string {
  const problem = checkTradeRow(fields, at, width);
  if (problem !== null) return problem;
  const row = fields!;
  return tradeFromText(line, row[at.account]!, row[at.time]!, row[at.side]!, row[at.quantity]!, row[at.price]!);
}

/** Checks one holdings.csv row. */
export function checkHoldingsRow(fields: string[] | null, at: Record<'investor' | 'quantity', number>, width: number): string | null {
  if (fields === null) return 'unterminated quote';
  if (fields.length !== width) return `${fields.length} fields where the header has ${width}`;
  if (fields[at.investor]!.length === 0) return 'investor is empty';
  return checkNonNegativeInteger('quantity', fields[at.quantity]!);
}

/** Checks one ratios.csv row, apart from repetition (which needs the whole file). */
export function checkRatioRow(fields: string[] | null, at: Record<'investor' | 'ratio', number>, width: number): string | null {
  if (fields === null) return 'unterminated quote';
  if (fields.length !== width) return `${fields.length} fields where the header has ${width}`;
  if (fields[at.investor]!.length === 0) return 'investor is empty';
  const text = fields[at.ratio]!;
  const problem = checkDecimal('ratio', text, Number.POSITIVE_INFINITY);
  if (problem !== null) return problem;
  return Rational.parse(text).gt(Rational.ONE) ? `ratio '${text}' is greater than 1` : null;
}

/** The investor a row names, if it can be read at all. */
export function investorOfRow(fields: string[] | null, position: number): string {
  return fields?.[position] ?? '';
}

export async function readTradesFile(path: string, encoding: CsvEncoding, sink: InvestorRowSink): Promise<void> {
  const file = basename(path);
  let at: TradeColumns;
  let width = 0;
  await scanCsvFile(path, file, encoding, {
    header(fields) {
      at = columnPositions(fields, TRADE_COLUMNS, file);
      width = fields.length;
    },
    record(fields, line) {
      const parsed = parseTradeRow(fields, at, width, line);
      if (typeof parsed === 'string') sink.bad({ file, line, investor: investorOfRow(fields, at.investor), reason: parsed });
      else sink.trade(fields![at.investor]!, parsed);
    },
  });
}

export async function readHoldingsFile(path: string, encoding: CsvEncoding, sink: InvestorRowSink): Promise<void> {
  const file = basename(path);
  let at: Record<'investor' | 'account' | 'quantity', number>;
  let width = 0;
  await scanCsvFile(path, file, encoding, {
    header(fields) {
      at = columnPositions(fields, ['investor', 'account', 'quantity'], file);
      width = fields.length;
    },
    record(fields, line) {
      const investor = investorOfRow(fields, at.investor);
      const problem = checkHoldingsRow(fields, at, width);
      if (problem !== null) sink.bad({ file, line, investor, reason: problem });
      else sink.holdings(investor, Rational.fromInteger(BigInt(fields![at.quantity]!)), line);
    },
  });
}

export async function readRatiosFile(path: string, encoding: CsvEncoding, sink: InvestorRowSink): Promise<void> {
  const file = basename(path);
  let at: Record<'investor' | 'ratio', number>;
  let width = 0;
  const firstLine = new Map<string, number>();
  await scanCsvFile(path, file, encoding, {
    header(fields) {
      at = columnPositions(fields, ['investor', 'ratio'], file);
      width = fields.length;
    },
    record(fields, line) {
      const investor = investorOfRow(fields, at.investor);
      const text = fields?.[at.ratio] ?? '';
      let problem = checkRatioRow(fields, at, width);
      if (problem === null && firstLine.has(investor)) problem = `a second ratio for ${investor} (first on line ${firstLine.get(investor)})`;
      if (problem !== null) {
        sink.bad({ file, line, investor, reason: problem });
        return;
      }
      firstLine.set(investor, line);
      sink.ratio(investor, Rational.parse(text), line);
    },
  });
}
