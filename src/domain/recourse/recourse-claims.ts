import { compareCodePoints } from '../code-point-order.ts';
import { epochDay, isIsoDate, type IsoDate } from '../market/calendar-date.ts';
import { formatFen, type Fen } from '../money/fen.ts';
import type { FaultAllocation } from './fault-allocation.ts';
import { apportionFen } from '../money/largest-remainder.ts';
import { threeYearsFrom } from './limitation-date.ts';
import { isValidId, refused, type Refused } from './recourse-refusal.ts';

/**
 * Recourse among the liable parties (追偿, procedure.md step 12). A party that paid more than its
 * share under the fault allocation recovers the excess from those that paid less than theirs
 * (《民法典》第一百七十八条第二款：实际承担责任超过自己责任份额的连带责任人，有权向其他连带责任人追偿).
 * A sponsor found without fault has a share of zero and so recovers everything it paid; a funder
 * that is not a liable party at all (a third party that paid) likewise.
 *
 * Who recovers how much from whom: each party's balance is what it paid less its share. Those in
 * credit recover their excess from those in debit in proportion to what each still owes (its share
 * less what it paid itself); when one funder paid everything that is in proportion to the other
 * parties' shares. With several creditors the claims are a table whose rows (what each creditor
 * recovers) and columns (what each debtor owes) must both add up to the fen. The creditors take
 * their parts in code-point order of id: each divides its excess among the debtors in proportion
 * to what they still owe after the creditors before it, by the largest remainder at the fen
 * (largest-remainder.ts). No part exceeds what the debtor still owes, and the last creditor takes
 * exactly what is left, so every row and every column adds up.
 *
 * Recoveries are recorded against a claim and never exceed what is outstanding on it. Each liable
 * party has a limitation date, by default three years from the disclosure date
 * (limitation-date.ts); an override replaces it with a recorded reason (a demand that interrupted
 * the period, 第一百九十五条). A recovery after the limitation date is still recorded: a debtor that
 * pays a time-barred claim cannot ask for it back (第一百九十二条).
 *
 * A book is a value: every record returns a new book and leaves the old one as it was.
 */
export interface RecoursePayment {
  payerId: string;
  /** What the payer paid towards the compensation, which it bears or recovers. */
  paidFen: Fen;
  /** A payer that is not among the liable parties (procedure's 'other' funder): it bears no share. */
  thirdParty?: boolean;
}

export interface PartyPosition {
  id: string;
  /** False for a third-party payer. */
  liable: boolean;
  shareFen: Fen;
  paidFen: Fen;
  /** Paid less share: above zero it recovers this much, below zero it owes this much. */
  balanceFen: Fen;
}

export interface RecourseClaim {
  /** The party that paid more than its share. */
  creditor: string;
  /** The party that paid less than its share. */
  debtor: string;
  amountFen: Fen;
}

export interface Recovery {
  creditor: string;
  debtor: string;
  amountFen: Fen;
  on: IsoDate;
  /** The bank transfer, judgment or settlement it rests on; unique in the book. */
  reference: string;
}

export interface LimitationOverride {
  party: string;
  date: IsoDate;
  /** Why the date differs from the default, as recorded (e.g. the demand of 2025-03-10, ref. …). */
  reason: string;
}

export interface RecourseBook {
  disclosureDate: IsoDate;
  /** Every liable party of the allocation and every third-party payer, in code-point order of id. */
  positions: PartyPosition[];
  /** Creditor by creditor, each's debtors, all in code-point order of id; no zero claims. */
  claims: RecourseClaim[];
  /** In the order recorded. */
  recoveries: Recovery[];
  /** In the order recorded; the latest for a party is its limitation date. */
  limitationOverrides: LimitationOverride[];
}

export type RecourseBookResult = { ok: true; book: RecourseBook } | Refused;

export interface RecourseOpening {
  allocation: FaultAllocation;
  payments: readonly RecoursePayment[];
  /** 揭露日, from which the limitation dates count. */
  disclosureDate: IsoDate;
}

export function openRecourse(opening: RecourseOpening): RecourseBookResult {
  const { allocation, payments, disclosureDate } = opening;
  if (!isIsoDate(disclosureDate)) return refused('invalid-date', `揭露日“${disclosureDate}”不是 YYYY-MM-DD 格式的有效日期`, `disclosure date '${disclosureDate}' is not a real date written YYYY-MM-DD`);
  const shares = new Map(allocation.shares.map((share) => [share.id, share.shareFen]));
  const paid = new Map<string, Fen>();
  const thirdParties = new Set<string>();
  let paidTotal = 0n;
  for (const payment of payments) {
    const id = payment.payerId;
    if (!isValidId(id)) return refused('invalid-id', `付款方标识“${id}”无效：不能为空，首尾不能有空格`, `payer id '${id}' is not valid: it must not be empty or have spaces around it`);
    if (paid.has(id)) return refused('duplicate', `付款方“${id}”重复出现`, `payer '${id}' is given twice`);
    if (payment.thirdParty === true) {
      if (shares.has(id)) return refused('unknown-party', `“${id}”是责任主体，不是第三方付款人`, `'${id}' is a liable party, not a third-party payer`);
      thirdParties.add(id);
    } else if (!shares.has(id)) {
      return refused('unknown-party', `付款方“${id}”不是分担中的责任主体；非责任主体的出资人应标明为第三方`, `payer '${id}' is not a party of the allocation; a funder that is not liable must be marked as a third party`);
    }
    if (payment.paidFen <= 0n) return refused('invalid-amount', `付款方“${id}”的付款额应大于零（${formatFen(payment.paidFen)} 元）`, `what payer '${id}' paid must be above zero (${formatFen(payment.paidFen)} yuan)`);
    paid.set(id, payment.paidFen);
    paidTotal += payment.paidFen;
  }
  if (paidTotal !== allocation.paidFen) {
    return refused(
      'payments-mismatch',
      `各付款方合计支付 ${formatFen(paidTotal)} 元，与分担的赔付金额 ${formatFen(allocation.paidFen)} 元不符`,
      `the payers paid ${formatFen(paidTotal)} yuan in all, not the ${formatFen(allocation.paidFen)} yuan allocated`,
    );
  }

  const positions = [...shares.keys(), ...thirdParties]
    .sort(compareCodePoints)
    .map((id): PartyPosition => {
      const shareFen = shares.get(id) ?? 0n;
      const paidFen = paid.get(id) ?? 0n;
      return { id, liable: shares.has(id), shareFen, paidFen, balanceFen: paidFen - shareFen };
    });
  const creditors = positions.filter((position) => position.balanceFen > 0n);
  const debtors = positions.filter((position) => position.balanceFen < 0n);
  const stillOwed = debtors.map((debtor) => -debtor.balanceFen);
  const claims: RecourseClaim[] = [];
  for (const creditor of creditors) {
    const parts = apportionFen(
      creditor.balanceFen,
      debtors.map((debtor, index) => ({ id: debtor.id, weight: stillOwed[index]! })),
    );
    parts.forEach((amountFen, index) => {
      if (amountFen === 0n) return;
      stillOwed[index]! -= amountFen;
      claims.push({ creditor: creditor.id, debtor: debtors[index]!.id, amountFen });
    });
  }
  return { ok: true, book: { disclosureDate, positions, claims, recoveries: [], limitationOverrides: [] } };
}

export interface ClaimBalance extends RecourseClaim {
  recoveredFen: Fen;
  outstandingFen: Fen;
}

/** Every claim with what has been recovered on it and what is outstanding, in the book's order. */
export function claimBalances(book: RecourseBook): ClaimBalance[] {
  const recovered = new Map<string, Fen>();
  for (const recovery of book.recoveries) {
    const key = claimKey(recovery.creditor, recovery.debtor);
    recovered.set(key, (recovered.get(key) ?? 0n) + recovery.amountFen);
  }
  return book.claims.map((claim) => {
    const recoveredFen = recovered.get(claimKey(claim.creditor, claim.debtor)) ?? 0n;
    return { ...claim, recoveredFen, outstandingFen: claim.amountFen - recoveredFen };
  });
}

/**
 * Records a recovery by `creditor` from `debtor`. Refused when there is no such claim, when the
 * amount is not above zero or above what is outstanding on the claim, when the date is not real
 * or before the disclosure date, or when the reference is missing or already recorded.
 */
export function recordRecovery(book: RecourseBook, recovery: Recovery): RecourseBookResult {
  const { creditor, debtor, amountFen, on, reference } = recovery;
  const known = new Set(book.positions.map((position) => position.id));
  for (const id of [creditor, debtor]) {
    if (!known.has(id)) return refused('unknown-party', `“${id}”不是本案追偿中的当事方`, `'${id}' is not a party to this case's recourse`);
  }
  const claim = claimBalances(book).find((balance) => balance.creditor === creditor && balance.debtor === debtor);
  if (claim === undefined) return refused('no-claim', `“${creditor}”对“${debtor}”没有追偿债权`, `'${creditor}' has no recourse claim against '${debtor}'`);
  if (amountFen <= 0n) return refused('invalid-amount', `追回金额应大于零（${formatFen(amountFen)} 元）`, `a recovery must be above zero (${formatFen(amountFen)} yuan)`);
  if (!isIsoDate(on)) return refused('invalid-date', `追回日期“${on}”不是 YYYY-MM-DD 格式的有效日期`, `recovery date '${on}' is not a real date written YYYY-MM-DD`);
  if (on < book.disclosureDate) return refused('date-order', `追回日期 ${on} 早于揭露日 ${book.disclosureDate}`, `the recovery date ${on} is before the disclosure date ${book.disclosureDate}`);
  if (reference.trim() === '') return refused('reason-required', '追回记录须注明依据（转账、判决或和解的编号）', 'a recovery needs its reference (the bank transfer, judgment or settlement it rests on)');
  if (book.recoveries.some((recorded) => recorded.reference === reference)) {
    return refused('duplicate', `依据“${reference}”的追回已经记录，不能重复记录`, `a recovery with reference '${reference}' is already recorded; it cannot be recorded twice`);
  }
  if (amountFen > claim.outstandingFen) {
    return refused(
      'above-outstanding',
      `“${creditor}”对“${debtor}”尚未追回的金额为 ${formatFen(claim.outstandingFen)} 元，不能记录 ${formatFen(amountFen)} 元`,
      `'${creditor}' has ${formatFen(claim.outstandingFen)} yuan outstanding against '${debtor}', less than the ${formatFen(amountFen)} yuan recorded`,
    );
  }
  return { ok: true, book: { ...book, recoveries: [...book.recoveries, { creditor, debtor, amountFen, on, reference }] } };
}

export interface DebtorOutstanding {
  party: string;
  owedFen: Fen;
  recoveredFen: Fen;
  outstandingFen: Fen;
}

/** What each party against which there is a claim owes, has paid back and still owes, in code-point order. */
export function outstandingByParty(book: RecourseBook): DebtorOutstanding[] {
  const byParty = new Map<string, DebtorOutstanding>();
  for (const claim of claimBalances(book)) {
    const row = byParty.get(claim.debtor) ?? { party: claim.debtor, owedFen: 0n, recoveredFen: 0n, outstandingFen: 0n };
    row.owedFen += claim.amountFen;
    row.recoveredFen += claim.recoveredFen;
    row.outstandingFen += claim.outstandingFen;
    byParty.set(claim.debtor, row);
  }
  return [...byParty.values()].sort((a, b) => compareCodePoints(a.party, b.party));
}

export type LimitationDate =
  /** Three years from the disclosure date (limitation-date.ts, DISCLOSURE_DATE_RULE). */
  | { party: string; date: IsoDate; basis: 'disclosure-date' }
  | { party: string; date: IsoDate; basis: 'override'; reason: string };

/**
 * Replaces a liable party's limitation date, with the reason. The date must be a real date after
 * the disclosure date; the earlier overrides stay in the book.
 */
export function overrideLimitationDate(book: RecourseBook, override: LimitationOverride): RecourseBookResult {
  const { party, date, reason } = override;
  if (!book.positions.some((position) => position.id === party && position.liable)) {
    return refused('unknown-party', `“${party}”不是本案的责任主体`, `'${party}' is not a liable party of this case`);
  }
  if (!isIsoDate(date)) return refused('invalid-date', `诉讼时效届满日“${date}”不是 YYYY-MM-DD 格式的有效日期`, `limitation date '${date}' is not a real date written YYYY-MM-DD`);
  if (date <= book.disclosureDate) {
    return refused('date-order', `诉讼时效届满日 ${date} 应晚于揭露日 ${book.disclosureDate}`, `the limitation date ${date} must be after the disclosure date ${book.disclosureDate}`);
  }
  if (reason.trim() === '') return refused('reason-required', '变更诉讼时效届满日须记录理由（如催告中断时效，《民法典》第一百九十五条）', 'a changed limitation date needs its reason recorded (e.g. a demand that interrupted the period, Civil Code Art. 195)');
  return { ok: true, book: { ...book, limitationOverrides: [...book.limitationOverrides, { party, date, reason }] } };
}

/** The limitation date of a liable party, or null for an id that is not one. */
export function limitationDate(book: RecourseBook, party: string): LimitationDate | null {
  if (!book.positions.some((position) => position.id === party && position.liable)) return null;
  const override = book.limitationOverrides.findLast((recorded) => recorded.party === party);
  if (override !== undefined) return { party, date: override.date, basis: 'override', reason: override.reason };
  return { party, date: threeYearsFrom(book.disclosureDate), basis: 'disclosure-date' };
}

/** The limitation date of every liable party, in code-point order of id. */
export function limitationDates(book: RecourseBook): LimitationDate[] {
  return book.positions.filter((position) => position.liable).map((position) => limitationDate(book, position.id)!);
}

export interface OverdueLimitation {
  party: string;
  limitationDate: LimitationDate;
  outstandingFen: Fen;
  /** Calendar days since the limitation date, at least 1. */
  daysOverdue: number;
}

/**
 * The parties that still owe something and whose limitation date has passed: the limitation date
 * is the last day of the period, so a party is overdue from the day after it. Earliest date first,
 * then code-point order of id. `today` comes from the caller (the domain has no clock); a value
 * that is not a real date is a defect and throws.
 */
export function overdueLimitations(book: RecourseBook, today: IsoDate): OverdueLimitation[] {
  if (!isIsoDate(today)) throw new RangeError(`'${today}' is not a date written YYYY-MM-DD`);
  const overdue: OverdueLimitation[] = [];
  for (const row of outstandingByParty(book)) {
    if (row.outstandingFen === 0n) continue;
    const limitation = limitationDate(book, row.party)!;
    if (today <= limitation.date) continue;
    overdue.push({ party: row.party, limitationDate: limitation, outstandingFen: row.outstandingFen, daysOverdue: epochDay(today) - epochDay(limitation.date) });
  }
  return overdue.sort((a, b) => (a.limitationDate.date === b.limitationDate.date ? compareCodePoints(a.party, b.party) : a.limitationDate.date < b.limitationDate.date ? -1 : 1));
}

function claimKey(creditor: string, debtor: string): string {
  return JSON.stringify([creditor, debtor]);
}
