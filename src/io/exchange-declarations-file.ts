import { isIsoDate, type IsoDate } from '../domain/market/calendar-date.ts';
import { formatFen, type Fen } from '../domain/money/fen.ts';
import type { OfferStatus } from '../domain/offer/offer-decision.ts';
import { csvField } from './compensation-csv.ts';
import type { CsvEncoding } from './csv-scan.ts';
import { splitCsvLine } from './csv-scan.ts';
import { creditedAccount } from './registry-units-file.ts';

/**
 * The exchange declaration file (docs/interop.md): the declarations (申报) investors sent through
 * their brokers on the exchange's system for the units credited to them, accepting or refusing
 * their offers (procedure.md steps 8–9).
 *
 * Reading and matching are separate so that both are pure. The reader checks each line on its own
 * and reports a bad one with its line and reason without stopping: every line after the header is
 * either a row or an error, never dropped. The matcher holds the rows against the offers; a
 * declaration that repeats an answer already given is a repeat, so importing the same file twice
 * changes nothing the second time.
 */
export const DECLARATION_COLUMNS = ['offer_id', 'investor', 'account', 'units', 'declaration', 'declared_on'] as const;
/** Read when the header names it; the broker through which the declaration was sent. */
export const BROKER_COLUMN = 'broker';

export type Declaration = 'accept' | 'refuse';

export interface DeclarationRow {
  line: number;
  offerId: string;
  investor: string;
  account: string;
  /** The units declared, counted in hundredths (fen: one unit is one yuan). */
  unitsFen: Fen;
  declaration: Declaration;
  declaredOn: IsoDate;
  broker?: string;
}

export type DeclarationErrorCode =
  | 'no-header' | 'missing-columns' | 'duplicate-column' | 'undecodable' | 'empty-line' | 'unterminated-quote' | 'field-count'
  | 'bad-offer-id' | 'no-investor' | 'no-account' | 'bad-units' | 'bad-declaration' | 'bad-date'
  | 'unknown-offer' | 'investor-mismatch' | 'account-not-investors' | 'account-not-credited' | 'units-mismatch'
  | 'contradicts-earlier-line' | 'already-answered' | 'under-review' | 'superseded';

export interface DeclarationError {
  line: number;
  code: DeclarationErrorCode;
  reason: { zh: string; en: string };
}

export interface ParsedDeclarations {
  file: string;
  rows: DeclarationRow[];
  errors: DeclarationError[];
}

const OFFER_ID = /^offer-[0-9a-f]{20}$/;
const UNITS = /^(\d{1,16})(?:\.(\d{1,2}))?$/;

/**
 * Reads a declaration file. A string is taken as decoded; bytes are decoded line by line as UTF-8
 * or, when asked, GB18030, so a line with bytes that are not of the encoding is one error and the
 * others are still read. A byte order mark and CRLF line ends are accepted; the header is required
 * and a missing column is one error on line 1. Extra columns are ignored.
 */
export function parseExchangeDeclarations(input: Uint8Array | string, file: string, options: { encoding?: CsvEncoding } = {}): ParsedDeclarations {
  const encoding = options.encoding ?? 'utf-8';
  const lines = typeof input === 'string' ? linesOfText(input) : linesOfBytes(input, encoding);
  const rows: DeclarationRow[] = [];
  const errors: DeclarationError[] = [];
  const result = { file, rows, errors };
  const first = lines[0];
  if (first === null) {
    errors.push(error(1, 'undecodable', `表头行不是有效的 ${encoding} 编码`, `the header row is not valid ${encoding}; give the file's encoding`));
    return result;
  }
  const headerText = first?.charCodeAt(0) === 0xfeff ? first.slice(1) : first;
  if (headerText === undefined || headerText === '') {
    errors.push(error(1, 'no-header', '缺少表头行', 'the header row is missing'));
    return result;
  }
  const header = splitCsvLine(headerText);
  if (header === null) {
    errors.push(error(1, 'no-header', '表头行引号未闭合', 'the header row has an unterminated quote'));
    return result;
  }
  const wanted = [...DECLARATION_COLUMNS, BROKER_COLUMN];
  const doubled = wanted.filter((column) => header.indexOf(column) !== header.lastIndexOf(column));
  if (doubled.length > 0) {
    errors.push(error(1, 'duplicate-column', `表头重复列出 ${doubled.join(', ')}`, `the header names ${doubled.join(', ')} more than once`));
    return result;
  }
  const missing = DECLARATION_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    errors.push(error(1, 'missing-columns', `表头缺少 ${missing.join(', ')} 列；须列出 ${DECLARATION_COLUMNS.join(',')}`, `the header lacks ${missing.join(', ')}; it must name ${DECLARATION_COLUMNS.join(',')}`));
    return result;
  }
  const at = (column: string) => header.indexOf(column);
  const positions = { offerId: at('offer_id'), investor: at('investor'), account: at('account'), units: at('units'), declaration: at('declaration'), declaredOn: at('declared_on'), broker: at(BROKER_COLUMN) };
  for (let index = 1; index < lines.length; index++) {
    const line = index + 1;
    const text = lines[index]!;
    if (text === null) {
      errors.push(error(line, 'undecodable', `该行不是有效的 ${encoding} 编码`, `the line is not valid ${encoding}; give the file's encoding`));
      continue;
    }
    if (text === '') {
      errors.push(error(line, 'empty-line', '空行', 'the line is empty'));
      continue;
    }
    const fields = splitCsvLine(text);
    if (fields === null) {
      errors.push(error(line, 'unterminated-quote', '引号未闭合', 'a quote is left open'));
      continue;
    }
    if (fields.length !== header.length) {
      errors.push(error(line, 'field-count', `该行有 ${fields.length} 个字段，表头有 ${header.length} 个`, `${fields.length} fields where the header has ${header.length}`));
      continue;
    }
    const field = (position: number) => fields[position]!;
    const offerId = field(positions.offerId);
    const investor = field(positions.investor);
    const account = field(positions.account);
    const unitsText = field(positions.units);
    const declaration = field(positions.declaration);
    const declaredOn = field(positions.declaredOn);
    const units = UNITS.exec(unitsText);
    const unitsFen = units === null ? 0n : BigInt(units[1]!) * 100n + BigInt((units[2] ?? '').padEnd(2, '0'));
    if (!OFFER_ID.test(offerId)) errors.push(error(line, 'bad-offer-id', `要约编号 '${offerId}' 格式不符`, `offer_id '${offerId}' is not offer- followed by 20 hex digits`));
    else if (investor === '') errors.push(error(line, 'no-investor', '投资者为空', 'investor is empty'));
    else if (account === '') errors.push(error(line, 'no-account', '证券账户为空', 'account is empty'));
    else if (unitsFen === 0n) errors.push(error(line, 'bad-units', `份额 '${unitsText}' 不是最多两位小数的正数`, `units '${unitsText}' is not a positive number with at most two decimals`));
    else if (declaration !== 'accept' && declaration !== 'refuse') errors.push(error(line, 'bad-declaration', `申报类型 '${declaration}' 不是 accept 或 refuse`, `declaration '${declaration}' is not accept or refuse`));
    else if (!isIsoDate(declaredOn)) errors.push(error(line, 'bad-date', `申报日期 '${declaredOn}' 不是有效日期 (YYYY-MM-DD)`, `declared_on '${declaredOn}' is not a real date (YYYY-MM-DD)`));
    else {
      const row: DeclarationRow = { line, offerId, investor, account, unitsFen, declaration, declaredOn };
      const broker = positions.broker < 0 ? '' : field(positions.broker);
      if (broker !== '') row.broker = broker;
      rows.push(row);
    }
  }
  return result;
}

/** Lines of decoded text; the final newline ends the last line rather than opening an empty one. */
function linesOfText(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/**
 * Lines of a byte buffer, each decoded on its own (null when it is not valid in the encoding).
 * Splitting before decoding is safe: byte 0x0A is a line feed in UTF-8 and GB18030 alike, never part
 * of a multi-byte character.
 */
function linesOfBytes(bytes: Uint8Array, encoding: CsvEncoding): (string | null)[] {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  const lines: (string | null)[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    const next = end < 0 ? bytes.length : end + 1;
    if (end < 0) end = bytes.length;
    if (end > start && bytes[end - 1] === 0x0d) end--;
    try {
      lines.push(decoder.decode(bytes.subarray(start, end)));
    } catch {
      lines.push(null);
    }
    start = next;
  }
  return lines;
}

/**
 * Writes rows as a declaration file, in the order given: what an exchange sends, for simulating one
 * in tests and demonstrations.
 */
export function exchangeDeclarationsCsv(rows: readonly Omit<DeclarationRow, 'line'>[]): string {
  const lines = [[...DECLARATION_COLUMNS, BROKER_COLUMN].join(',')];
  for (const row of rows) {
    lines.push([row.offerId, row.investor, row.account, formatFen(row.unitsFen), row.declaration, row.declaredOn, row.broker ?? ''].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** What the matcher needs of an offer: its investor, amount, the investor's accounts and its current status. */
export interface OfferForDeclarations {
  investor: string;
  amountFen: Fen;
  /** The investor's accounts, as given to `unitsPerAccount`; the units sit on the first in code-point order. */
  accounts: readonly string[];
  status: OfferStatus;
}

export interface DeclarationMatch {
  /** First acceptances of open offers: to be recorded (channel `exchange-file`). */
  accepted: DeclarationRow[];
  /** First refusals of open offers: to be recorded. */
  refused: DeclarationRow[];
  /** Answers already recorded, or given on an earlier line of the file: nothing to do. */
  repeats: DeclarationRow[];
  errors: DeclarationError[];
}

/**
 * Holds each row against the offers, in line order. A row is an error when its offer is unknown,
 * names another investor, comes from an account that is not the investor's or does not hold the
 * units, declares other units than the offer's, contradicts an earlier line of the file, or
 * contradicts the offer's recorded answer (or the offer is under review or replaced). A row that
 * gives an answer already recorded or already given on an earlier line is a repeat. The earlier line
 * is judged first, so a file imported again reports the same errors as the first time.
 *
 * The acceptance window is not judged here: the answer's rules (`decideOfferAnswer`) judge it when
 * the answer is recorded, against the declaration's date.
 */
export function matchDeclarations(rows: readonly DeclarationRow[], offers: ReadonlyMap<string, OfferForDeclarations>): DeclarationMatch {
  const match: DeclarationMatch = { accepted: [], refused: [], repeats: [], errors: [] };
  const firstValid = new Map<string, DeclarationRow>();
  for (const row of rows) {
    const offer = offers.get(row.offerId);
    const refuse = (code: DeclarationErrorCode, zh: string, en: string) => match.errors.push(error(row.line, code, zh, en));
    if (offer === undefined) {
      refuse('unknown-offer', `没有编号为 ${row.offerId} 的要约`, `no offer ${row.offerId}`);
      continue;
    }
    if (row.investor !== offer.investor) {
      refuse('investor-mismatch', `要约 ${row.offerId} 属于另一投资者，不属于 ${row.investor}`, `offer ${row.offerId} belongs to another investor, not to ${row.investor}`);
      continue;
    }
    if (!offer.accounts.includes(row.account)) {
      refuse('account-not-investors', `证券账户 ${row.account} 不是投资者 ${row.investor} 的账户`, `securities account ${row.account} is not an account of investor ${row.investor}`);
      continue;
    }
    const credited = creditedAccount(offer.accounts);
    if (row.account !== credited) {
      refuse('account-not-credited', `要约 ${row.offerId} 的份额登记在证券账户 ${credited} 上，不在 ${row.account} 上`, `the units of offer ${row.offerId} are on securities account ${credited}, not on ${row.account}`);
      continue;
    }
    if (row.unitsFen !== offer.amountFen) {
      refuse('units-mismatch', `申报份额 ${formatFen(row.unitsFen)} 与要约份额 ${formatFen(offer.amountFen)} 不符`, `${formatFen(row.unitsFen)} units declared where the offer is ${formatFen(offer.amountFen)} units`);
      continue;
    }
    const earlier = firstValid.get(row.offerId);
    if (earlier !== undefined) {
      if (earlier.declaration === row.declaration) match.repeats.push(row);
      else refuse('contradicts-earlier-line', `与第 ${earlier.line} 行对同一要约的申报相矛盾`, `contradicts the declaration for the same offer on line ${earlier.line}`);
      continue;
    }
    const wanted: OfferStatus = row.declaration === 'accept' ? 'accepted' : 'refused';
    if (offer.status === 'offered') {
      (row.declaration === 'accept' ? match.accepted : match.refused).push(row);
      firstValid.set(row.offerId, row);
    } else if (offer.status === wanted) {
      match.repeats.push(row);
      firstValid.set(row.offerId, row);
    } else if (offer.status === 'superseded') {
      refuse('superseded', `要约 ${row.offerId} 已被新的要约取代`, `offer ${row.offerId} was replaced by a new offer`);
    } else if (offer.status === 'disputed') {
      refuse('under-review', `要约 ${row.offerId} 的异议正在审核`, `offer ${row.offerId} is under review after a dispute`);
    } else {
      refuse('already-answered', `要约 ${row.offerId} 已${offer.status === 'accepted' ? '接受' : '拒绝'}，不能改为${row.declaration === 'accept' ? '接受' : '拒绝'}`, `offer ${row.offerId} is ${offer.status} already and cannot be ${row.declaration === 'accept' ? 'accepted' : 'refused'}`);
    }
  }
  return match;
}

function error(line: number, code: DeclarationErrorCode, zh: string, en: string): DeclarationError {
  return { line, code, reason: { zh, en } };
}
