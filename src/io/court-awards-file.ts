import { isIsoDate } from '../domain/market/calendar-date.ts';
import { parseYuan, type Fen } from '../domain/money/fen.ts';
import { splitCsvLine } from './csv-scan.ts';

/**
 * The file of amounts fixed by courts for investors the advance compensation did not settle
 * (procedure.md step 13; docs/interop.md): `investor,amount,judgment,judgment_date`, amounts in
 * yuan with two decimals. Every line is a row or an error with its line and reason.
 */
export const COURT_AWARD_COLUMNS = ['investor', 'amount', 'judgment', 'judgment_date'] as const;

export interface CourtAwardRow {
  line: number;
  investor: string;
  amountFen: Fen;
  judgment: string;
  judgmentDate: string;
}

export function parseCourtAwards(text: string): { rows: CourtAwardRow[]; errors: { line: number; reason: string }[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const header = splitCsvLine(lines[0] ?? '') ?? [];
  const at = Object.fromEntries(COURT_AWARD_COLUMNS.map((column) => [column, header.indexOf(column)]));
  const missing = COURT_AWARD_COLUMNS.filter((column) => at[column]! < 0);
  if (missing.length > 0) return { rows: [], errors: [{ line: 1, reason: `the header lacks ${missing.join(', ')}; it must name ${COURT_AWARD_COLUMNS.join(',')}` }] };
  const rows: CourtAwardRow[] = [];
  const errors: { line: number; reason: string }[] = [];
  const seen = new Map<string, number>();
  lines.slice(1).forEach((text, index) => {
    const line = index + 2;
    const fields = splitCsvLine(text);
    if (fields === null || fields.length !== header.length) {
      errors.push({ line, reason: fields === null ? 'unterminated quote' : `${fields.length} fields where the header has ${header.length}` });
      return;
    }
    const investor = fields[at['investor']!]!.trim();
    const amountText = fields[at['amount']!]!.trim();
    const amountFen = /^[1-9]\d*\.|^0\./.test(amountText) ? parseYuan(amountText) : null;
    const judgment = fields[at['judgment']!]!.trim();
    const judgmentDate = fields[at['judgment_date']!]!.trim();
    const key = `${judgment}\u001f${investor}`;
    if (investor === '') errors.push({ line, reason: 'investor is empty' });
    else if (amountFen === null || amountFen <= 0n) errors.push({ line, reason: `amount '${fields[at['amount']!]}' is not a positive amount in yuan with two decimals` });
    else if (judgment === '') errors.push({ line, reason: 'judgment is empty' });
    else if (!isIsoDate(judgmentDate)) errors.push({ line, reason: `judgment_date '${judgmentDate}' is not a real date (YYYY-MM-DD)` });
    else if (seen.has(key)) errors.push({ line, reason: `the same judgment and investor as line ${seen.get(key)}` });
    else {
      seen.set(key, line);
      rows.push({ line, investor, amountFen, judgment, judgmentDate });
    }
  });
  return { rows, errors };
}
