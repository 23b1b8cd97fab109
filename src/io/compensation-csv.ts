import { formatFen, roundToFen } from '../domain/money/fen.ts';
import type { Rational } from '../domain/money/rational.ts';
import type { RejectedRow } from '../domain/loss/investor-records.ts';
import type { InvestorResult } from '../domain/loss/investor-loss.ts';

/** The columns of compensation.csv (loss-methodology.md §7). */
export const COMPENSATION_COLUMNS = [
  'investor', 'status', 'reason', 'eligible_shares', 'sold_after_disclosure', 'held_at_base',
  'avg_buy_price', 'avg_sell_price', 'base_price', 'loss_sold', 'loss_held', 'investment_difference_loss',
  'deduction_ratio', 'deduction', 'principal', 'commission', 'stamp_duty', 'interest', 'total',
] as const;

/** The money columns that summary.json totals, in fen. */
export const AMOUNT_COLUMNS = [
  'loss_sold', 'loss_held', 'investment_difference_loss', 'deduction', 'principal', 'commission', 'stamp_duty', 'interest', 'total',
] as const;
export type AmountColumn = (typeof AMOUNT_COLUMNS)[number];

export const COMPENSATION_HEADER = `${COMPENSATION_COLUMNS.join(',')}\n`;
export const REJECTS_HEADER = 'file,line,investor,reason\n';

/**
 * Quotes a field when it holds a comma or a quote (RFC 4180). Output files are one record per
 * line, so a control character in a reported value (only a bad row can carry one) is shown as '?'.
 */
export function csvField(text: string): string {
  if (CONTROL.test(text)) text = text.replace(CONTROL_ALL, '?');
  return text.includes('"') || text.includes(',') ? `"${text.replaceAll('"', '""')}"` : text;
}
const CONTROL = /[\u0000-\u001f]/;
const CONTROL_ALL = /[\u0000-\u001f]/g;

/** Share counts are integers, or carry up to 4 decimals when a bonus action made a fraction. */
const shares = (value: Rational) => value.toTrimmed(4);
/** Prices are shown with 4 decimals (display only: the engine used the exact values). */
const price = (value: Rational | null) => (value === null ? '' : value.toFixed(4));
/**
 * One line of compensation.csv, with its newline. `fen` are the row's rounded amounts; a caller
 * that also totals them (the batch) passes the ones it computed, so each is rounded once.
 */
export function compensationLine(result: InvestorResult, fen: Record<AmountColumn, bigint> = rowAmounts(result)): string {
  const { computed } = result;
  const columns: string[] = [csvField(result.investor), result.status, csvField(result.reason)];
  if (computed === null) {
    columns.push('', '', '', '', '', '', '', '', '', '', '');
  } else {
    columns.push(shares(computed.eligibleShares), shares(computed.soldAfterDisclosure), shares(computed.heldAtBase));
    const legs = computed.legs;
    if (legs === null) {
      columns.push('', '', price(computed.basePrice), '', '', '', '', '');
    } else {
      columns.push(
        price(legs.averageBuyPrice),
        price(legs.averageSellPrice),
        price(computed.basePrice),
        formatFen(fen.loss_sold),
        formatFen(fen.loss_held),
        formatFen(fen.investment_difference_loss),
        legs.deduction.ratio === null ? '' : legs.deduction.ratio.toFixed(6),
        formatFen(fen.deduction),
      );
    }
  }
  columns.push(formatFen(fen.principal), formatFen(fen.commission), formatFen(fen.stamp_duty), formatFen(fen.interest), formatFen(fen.total));
  return `${columns.join(',')}\n`;
}

/** The rounded amounts of a row in fen, as its CSV shows them (blank columns count as zero). */
export function rowAmounts(result: InvestorResult): Record<AmountColumn, bigint> {
  const legs = result.computed?.legs ?? null;
  return {
    loss_sold: legs ? roundToFen(legs.lossSold) : 0n,
    loss_held: legs ? roundToFen(legs.lossHeld) : 0n,
    investment_difference_loss: legs ? roundToFen(legs.loss) : 0n,
    deduction: legs ? roundToFen(legs.deduction.amount) : 0n,
    principal: result.amounts.principal,
    commission: result.amounts.commission,
    stamp_duty: result.amounts.stampDuty,
    interest: result.amounts.interest,
    total: result.amounts.total,
  };
}

export function rejectLine(row: RejectedRow): string {
  return `${csvField(row.file)},${row.line},${csvField(row.investor)},${csvField(row.reason)}\n`;
}
