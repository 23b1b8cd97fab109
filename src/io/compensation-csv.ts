import { roundToFen } from '../domain/money/fen.ts';
import type { Rational } from '../domain/money/rational.ts';
import { fastCompensationRow, type CompensationRow, type Int } from '../domain/loss/compensation-row.ts';
import type { InvestorRecords, RejectedRow } from '../domain/loss/investor-records.ts';
import { computeInvestorLoss, type InvestorResult, type InvestorStatus } from '../domain/loss/investor-loss.ts';
import type { LossCase } from '../domain/loss/loss-case.ts';
import * as line from './line-writer.ts';

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

/**
 * One line of compensation.csv, with its newline. `fen` are the row's rounded amounts; a caller
 * that also totals them (the batch) passes the ones it computed, so each is rounded once. The
 * result is rounded into the row the fast path builds and written as that row is, so that a line
 * reads the same whichever path computed it.
 */
export function compensationLine(result: InvestorResult, fen: Record<AmountColumn, bigint> = rowAmounts(result)): string {
  return rowLine(result.investor, roundedRow(result, fen));
}

/**
 * The result as compensation.csv reports it, in the integers of the fast path's row: share counts
 * and prices × 10^4 and the deduction ratio × 10^6, each rounded half away from zero as the
 * column shows it, and the amounts in fen.
 */
function roundedRow(result: InvestorResult, fen: Record<AmountColumn, bigint>): CompensationRow {
  const { computed } = result;
  const legs = computed?.legs ?? null;
  return {
    status: result.status,
    reason: result.reason,
    shares: computed === null ? null : {
      eligibleShares: scaled(computed.eligibleShares, 4),
      soldAfterDisclosure: scaled(computed.soldAfterDisclosure, 4),
      heldAtBase: scaled(computed.heldAtBase, 4),
      basePrice: scaled(computed.basePrice, 4),
    },
    legs: legs === null ? null : {
      averageBuyPrice: legs.averageBuyPrice === null ? null : scaled(legs.averageBuyPrice, 4),
      averageSellPrice: legs.averageSellPrice === null ? null : scaled(legs.averageSellPrice, 4),
      lossSold: intOf(fen.loss_sold),
      lossHeld: intOf(fen.loss_held),
      loss: intOf(fen.investment_difference_loss),
      deductionRatio: legs.deduction.ratio === null ? null : scaled(legs.deduction.ratio, 6),
      deduction: intOf(fen.deduction),
    },
    principal: intOf(fen.principal),
    commission: intOf(fen.commission),
    stampDuty: intOf(fen.stamp_duty),
    interest: intOf(fen.interest),
    total: intOf(fen.total),
  };
}

function scaled(value: Rational, decimals: number): Int {
  return intOf(value.roundToScaled(decimals));
}

/** A safe integer as a number, which line-writer.ts writes without making a string of it first. */
function intOf(value: bigint): Int {
  return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : value;
}
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

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

/** What the batch writes and totals for one investor. */
export interface InvestorCompensation {
  /** Its line of compensation.csv, with the newline. */
  line: string;
  status: InvestorStatus;
  /** The row's rounded amounts, as `rowAmounts` gives them: a safe integer may come as a number. */
  fen: Record<AmountColumn, Int>;
}

/**
 * What the batch writes and totals for one investor: exactly { line: compensationLine(r), status:
 * r.status, fen: rowAmounts(r) } for r = computeInvestorLoss(records, lossCase), and a CaseError
 * where that throws one. Fast when `records.columns` is present: the row comes from the integer
 * walks as rounded integers (compensation-row.ts), with no InvestorResult; anything that path
 * cannot vouch for takes the general one.
 */
export function compensationOf(records: InvestorRecords, lossCase: LossCase): InvestorCompensation {
  line.startLine();
  const { status, fen } = appendCompensation(records, lossCase);
  return { line: line.finishLine(), status, fen };
}

/**
 * compensationOf, with the line kept in the batch's output (startCompensationLines,
 * takeCompensationLines) rather than made a string.
 */
export function appendCompensation(records: InvestorRecords, lossCase: LossCase): Omit<InvestorCompensation, 'line'> {
  const row = fastCompensationRow(records, lossCase);
  if (row === null) {
    const result = computeInvestorLoss(records, lossCase);
    const fen = rowAmounts(result);
    writeRow(result.investor, roundedRow(result, fen));
    return { status: result.status, fen };
  }
  const legs = row.legs;
  const fen: Record<AmountColumn, Int> = {
    loss_sold: legs === null ? 0 : legs.lossSold,
    loss_held: legs === null ? 0 : legs.lossHeld,
    investment_difference_loss: legs === null ? 0 : legs.loss,
    deduction: legs === null ? 0 : legs.deduction,
    principal: row.principal,
    commission: row.commission,
    stamp_duty: row.stampDuty,
    interest: row.interest,
    total: row.total,
  };
  writeRow(records.investor, row);
  return { status: row.status, fen };
}

/** Starts the batch's output of compensation.csv lines afresh. */
export function startCompensationLines(): void {
  line.clearOutput();
}

/** Appends a line that was written as a string (with its newline) to the batch's output. */
export function appendLine(text: string): void {
  line.text(text);
}

/**
 * The lines appended since startCompensationLines, as the UTF-8 bytes of the file, valid until
 * the next line is written; the output then starts afresh.
 */
export function takeCompensationLines(): Uint8Array {
  return line.takeOutput();
}

/** The line of compensation.csv, with its newline, for a row of rounded integers. */
function rowLine(investor: string, row: CompensationRow): string {
  line.startLine();
  writeRow(investor, row);
  return line.finishLine();
}

/** Writes the line of a row of rounded integers, with its newline, by line-writer.ts. */
function writeRow(investor: string, row: CompensationRow): void {
  line.text(csvField(investor));
  line.comma();
  line.text(row.status);
  line.comma();
  if (row.reason !== '') line.text(csvField(row.reason));
  const { shares, legs } = row;
  if (shares === null) {
    line.text(',,,,,,,,,,,');
  } else {
    line.comma();
    line.trimmed4(shares.eligibleShares);
    line.comma();
    line.trimmed4(shares.soldAfterDisclosure);
    line.comma();
    line.trimmed4(shares.heldAtBase);
    if (legs === null) {
      line.text(',,,');
      line.fixed(shares.basePrice, 4);
      line.text(',,,,,');
    } else {
      line.comma();
      if (legs.averageBuyPrice !== null) line.fixed(legs.averageBuyPrice, 4);
      line.comma();
      if (legs.averageSellPrice !== null) line.fixed(legs.averageSellPrice, 4);
      line.comma();
      line.fixed(shares.basePrice, 4);
      line.comma();
      line.fixed(legs.lossSold, 2);
      line.comma();
      line.fixed(legs.lossHeld, 2);
      line.comma();
      line.fixed(legs.loss, 2);
      line.comma();
      if (legs.deductionRatio !== null) line.fixed(legs.deductionRatio, 6);
      line.comma();
      line.fixed(legs.deduction, 2);
    }
  }
  amount(row.principal);
  amount(row.commission);
  amount(row.stampDuty);
  amount(row.interest);
  amount(row.total);
  line.text('\n');
}

function amount(fen: Int): void {
  line.comma();
  line.fixed(fen, 2);
}

export function rejectLine(row: RejectedRow): string {
  return `${csvField(row.file)},${row.line},${csvField(row.investor)},${csvField(row.reason)}\n`;
}
