import type { PaymentBatch, PaymentResult } from '../domain/payment/payment-batch.ts';
import { formatFen, parseYuan } from '../domain/money/fen.ts';
import { csvField } from './compensation-csv.ts';
import { splitCsvLine } from './csv-scan.ts';

/**
 * The files a payment batch exchanges with the custodian bank (docs/interop.md): the instructions
 * it sends and the results it reads back. Amounts are yuan with exactly two decimals, as a bank
 * statement writes them; the parser turns them into fen without floating point.
 */
export const INSTRUCTION_COLUMNS = ['batch_id', 'offer_id', 'investor', 'route_kind', 'route_reference', 'attempt', 'amount'] as const;
export const RESULT_COLUMNS = ['offer_id', 'amount', 'outcome', 'reason'] as const;

export function paymentInstructionsCsv(batch: PaymentBatch): string {
  const lines = [INSTRUCTION_COLUMNS.join(',')];
  for (const item of batch.items) {
    lines.push([batch.batchId, item.offerId, item.investor, item.route.kind, item.route.reference, String(item.attempt), formatFen(item.amountFen)].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

export interface ResultRowError {
  line: number;
  reason: string;
}

/**
 * Reads a results file: `offer_id,amount,outcome,reason` with a header. A bad row is reported with
 * its line and reason and the other rows are still read; a file without the header is one error on
 * line 1.
 */
export function parsePaymentResults(text: string): { results: (PaymentResult & { line: number })[]; errors: ResultRowError[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const header = splitCsvLine(lines[0] ?? '');
  const at = Object.fromEntries(RESULT_COLUMNS.map((column) => [column, header?.indexOf(column) ?? -1]));
  const missing = RESULT_COLUMNS.filter((column) => at[column]! < 0);
  if (missing.length > 0) return { results: [], errors: [{ line: 1, reason: `the header lacks ${missing.join(', ')}; it must name ${RESULT_COLUMNS.join(',')}` }] };
  const results: (PaymentResult & { line: number })[] = [];
  const errors: ResultRowError[] = [];
  lines.slice(1).forEach((row, index) => {
    const line = index + 2;
    const fields = splitCsvLine(row);
    if (fields === null || fields.length !== header!.length) {
      errors.push({ line, reason: fields === null ? 'unterminated quote' : `${fields.length} fields where the header has ${header!.length}` });
      return;
    }
    const offerId = fields[at['offer_id']!]!;
    const amountFen = parseYuan(fields[at['amount']!]!);
    const outcome = fields[at['outcome']!]!;
    const reason = fields[at['reason']!]!.trim();
    if (offerId === '') errors.push({ line, reason: 'offer_id is empty' });
    else if (amountFen === null || amountFen < 0n) errors.push({ line, reason: `amount '${fields[at['amount']!]}' is not yuan with two decimals` });
    else if (outcome !== 'paid' && outcome !== 'failed') errors.push({ line, reason: `outcome '${outcome}' is not paid or failed` });
    else if (outcome === 'failed' && reason === '') errors.push({ line, reason: 'a failed payment needs a reason' });
    else results.push({ line, offerId, amountFen, outcome, reason: reason === '' ? null : reason });
  });
  return { results, errors };
}
