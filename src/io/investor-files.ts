import { basename } from 'node:path';
import { dateOf } from '../domain/market/calendar-date.ts';
import { Rational } from '../domain/money/rational.ts';
import { compareCodePoints } from '../domain/code-point-order.ts';
import { sortTrades, timeOrderKey, type InvestorRecords, type RejectedRow, type Trade } from '../domain/loss/investor-records.ts';
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

/**
 * Gathers the rows of one investor into its records (Art. 30: all its accounts merged): trades in
 * time order, holdings rows added up, bad rows by file then line.
 */
export class InvestorRecordsBuilder implements InvestorRowSink {
  readonly investor: string;
  private readonly trades: Trade[] = [];
  private holdingsTotal: Rational | null = null;
  private ratioValue: Rational | null = null;
  private readonly badRows: RejectedRow[] = [];

  constructor(investor: string) {
    this.investor = investor;
  }

  trade(_investor: string, trade: Trade): void {
    this.trades.push(trade);
  }

  holdings(_investor: string, quantity: Rational): void {
    this.holdingsTotal = (this.holdingsTotal ?? Rational.ZERO).add(quantity);
  }

  ratio(_investor: string, ratio: Rational): void {
    this.ratioValue = ratio;
  }

  bad(row: RejectedRow): void {
    this.badRows.push(row);
  }

  records(): InvestorRecords {
    const badRows = [...this.badRows].sort((a, b) => compareCodePoints(a.file, b.file) || a.line - b.line);
    return { investor: this.investor, trades: sortTrades([...this.trades]), holdings: this.holdingsTotal, ratio: this.ratioValue, badRows };
  }
}

export const TRADE_COLUMNS = ['investor', 'account', 'time', 'side', 'quantity', 'price'] as const;

/** The columns each per-investor file must name; extra columns are ignored. */
export const INVESTOR_FILE_COLUMNS = {
  trades: TRADE_COLUMNS,
  holdings: ['investor', 'account', 'quantity'],
  ratios: ['investor', 'ratio'],
} as const;
export type InvestorFileKind = keyof typeof INVESTOR_FILE_COLUMNS;

/**
 * The row rules of one per-investor file (loss-methodology.md §2.2), shared by every reader of
 * it: the batch scan and the single-investor reader of `explain` judge each row alike.
 */
export class InvestorRowChecker {
  readonly kind: InvestorFileKind;
  readonly file: string;
  readonly columns: Record<string, number>;
  readonly width: number;
  private readonly investorAt: number;
  private readonly firstRatioLine = new Map<string, number>();

  /** Throws a FileError when the header lacks a column. */
  constructor(kind: InvestorFileKind, header: string[], file: string) {
    this.kind = kind;
    this.file = file;
    this.columns = columnPositions(header, INVESTOR_FILE_COLUMNS[kind], file);
    this.width = header.length;
    this.investorAt = this.columns['investor']!;
  }

  /**
   * The investor a row names and why the row is bad (null when it is valid). The investor is
   * read even from a row that cannot be split, when it stands before the open quote, so that the
   * investor is rejected rather than paid on the rest of its rows.
   */
  check(text: string, fields: string[] | null, line: number): { investor: string; problem: string | null } {
    const investor = this.investorOf(text, fields);
    return { investor, problem: this.problemOf(fields, investor, line, CONTROL_CHARACTER.test(text)) };
  }

  /**
   * The same judgement for a row its caller has already split (it held no quote) and scanned for
   * control characters: the compute phase does both in one pass over the row.
   */
  checkSplit(fields: string[], hasControlCharacter: boolean, line: number): string | null {
    return this.problemOf(fields, fields[this.investorAt] ?? '', line, hasControlCharacter);
  }

  /** Hands a row that passed the check to the sink, as a trade, a holdings row or a ratio. */
  deliver(investor: string, fields: string[], line: number, sink: InvestorRowSink): void {
    const at = this.columns;
    if (this.kind === 'trades') {
      sink.trade(investor, tradeFromText(line, fields[at['account']!]!, fields[at['time']!]!, fields[at['side']!]!, fields[at['quantity']!]!, fields[at['price']!]!));
    } else if (this.kind === 'holdings') {
      sink.holdings(investor, sharesFromText(fields[at['quantity']!]!), line);
    } else {
      sink.ratio(investor, Rational.parse(fields[at['ratio']!]!), line);
    }
  }

  /** The investor a row names ('' when none): the field in its column, or what stands before an open quote. */
  investorOf(text: string, fields: string[] | null): string {
    return fields === null ? this.investorBeforeOpenQuote(text) : (fields[this.investorAt] ?? '');
  }

  private problemOf(fields: string[] | null, investor: string, line: number, hasControlCharacter: boolean): string | null {
    if (fields === null) return 'unterminated quote (a field may not hold a line break)';
    if (fields.length !== this.width) return `${fields.length} fields where the header has ${this.width}`;
    if (investor.length === 0) return 'investor is empty';
    if (hasControlCharacter) return 'a control character inside a field';
    const at = this.columns;
    if (this.kind === 'trades') {
      const side = fields[at['side']!]!;
      return (
        checkTradeTime(fields[at['time']!]!) ??
        (side === 'B' || side === 'S' ? null : `side '${side}' is not B or S`) ??
        checkPositiveInteger('quantity', fields[at['quantity']!]!) ??
        checkDecimal('price', fields[at['price']!]!, 3)
      );
    }
    if (this.kind === 'holdings') return checkNonNegativeInteger('quantity', fields[at['quantity']!]!);
    const ratio = fields[at['ratio']!]!;
    const problem = checkDecimal('ratio', ratio, Number.POSITIVE_INFINITY) ?? (Rational.parse(ratio).gt(Rational.ONE) ? `ratio '${ratio}' is greater than 1` : null);
    if (problem !== null) return problem;
    const first = this.firstRatioLine.get(investor);
    if (first !== undefined) return `a second ratio for ${investor} (first on line ${first})`;
    this.firstRatioLine.set(investor, line);
    return null;
  }

  private investorBeforeOpenQuote(text: string): string {
    const before = text.slice(0, text.indexOf('"')).split(',');
    return this.investorAt < before.length - 1 ? before[this.investorAt]! : '';
  }
}

const CONTROL_CHARACTER = /[\u0000-\u001f]/;

/** Builds a trade from the text of a row that passed the checker. */
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

/** Shares from a holdings.csv quantity that passed the checker. */
export function sharesFromText(quantity: string): Rational {
  return Rational.fromInteger(quantity.length <= 15 ? Number(quantity) : BigInt(quantity));
}

/** Reads a whole per-investor file into a sink, row by row; bad rows go to `sink.bad`. */
export async function readInvestorFile(kind: InvestorFileKind, path: string, encoding: CsvEncoding, sink: InvestorRowSink): Promise<void> {
  const file = basename(path);
  let checker: InvestorRowChecker;
  await scanCsvFile(path, file, encoding, {
    header(fields) {
      checker = new InvestorRowChecker(kind, fields, file);
    },
    record(fields, line, text) {
      const { investor, problem } = checker.check(text, fields, line);
      if (problem !== null) sink.bad({ file, line, investor, reason: problem });
      else checker.deliver(investor, fields!, line, sink);
    },
  });
}
