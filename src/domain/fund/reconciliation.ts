import { Rational } from '../money/rational.ts';
import type { Fen } from '../money/fen.ts';
import type { FundPosition } from './fund-position.ts';

/**
 * The reconciliation of a case (procedure.md step 11): computed, offered, accepted, refused,
 * disputed, paid, failed and the fund's balance, as counts, amounts and percentages, with the
 * identities that must hold between them checked and every difference named. The figures come
 * from three independent records — the computation, the offers and payments, and the ledger — so
 * a report whose checks all pass shows that they agree to the fen.
 */
export interface Tally {
  count: number;
  amountFen: Fen;
}

/** Offers by status (superseded ones are counted apart: their replacements stand for them). */
export interface OfferTallies {
  offered: Tally;
  accepted: Tally;
  refused: Tally;
  disputed: Tally;
  superseded: Tally;
}

export interface ReconciliationInput {
  /** The latest computation run: investors computed, and those payable with their total. */
  computed: { investors: number; payable: Tally };
  /** Offers by status, counted from the offers themselves. */
  offers: OfferTallies;
  /** The running tallies the database keeps of the same offers, checked against the count. */
  runningTallies: OfferTallies;
  /** Amounts fixed by a court and paid through the fund (step 13); they are payable like accepted offers. */
  awards: Tally;
  /** Offers paid (their latest payment paid) and offers whose latest payment failed, awards included. */
  payments: { paid: Tally; failed: Tally };
  ledger: FundPosition;
}

export interface Share {
  count: number;
  amountFen: Fen;
  /** Of the offers made, in percent with two decimals (half up), by count and by amount. */
  countPercent: string;
  amountPercent: string;
}

export interface ReconciliationCheck {
  name: string;
  holds: boolean;
  detail: { zh: string; en: string };
}

/** What the public sees of a case's progress: offers made, and their shares answered and paid. */
export interface Progress {
  offered: Tally;
  accepted: Share;
  refused: Share;
  disputed: Share;
  open: Share;
  paid: Share;
}

/** The progress, and what the auditor checks behind it. */
export interface Reconciliation extends Progress {
  computed: { investors: number; payable: Tally };
  failed: Share;
  superseded: Tally;
  awards: Tally;
  fund: { contributedFen: Fen; interestEarnedFen: Fen; custodyFen: Fen; payableFen: Fen; freeFundsFen: Fen; shortfallFen: Fen };
  checks: ReconciliationCheck[];
  balanced: boolean;
}

/** Shares of the offers made (superseded ones aside), by count and amount; `paid` includes court awards paid. */
export function progressOf(offers: OfferTallies, paid: Tally): Progress & { share: (tally: Tally) => Share } {
  const made: Tally = {
    count: offers.offered.count + offers.accepted.count + offers.refused.count + offers.disputed.count,
    amountFen: offers.offered.amountFen + offers.accepted.amountFen + offers.refused.amountFen + offers.disputed.amountFen,
  };
  const share = (tally: Tally): Share => ({ ...tally, countPercent: percent(BigInt(tally.count), BigInt(made.count)), amountPercent: percent(tally.amountFen, made.amountFen) });
  return { offered: made, accepted: share(offers.accepted), refused: share(offers.refused), disputed: share(offers.disputed), open: share(offers.offered), paid: share(paid), share };
}

export function reconcile(input: ReconciliationInput): Reconciliation {
  const { offers, payments, ledger } = input;
  const { share, ...progress } = progressOf(offers, payments.paid);
  const made = progress.offered;
  const runningTalliesHold = (['offered', 'accepted', 'refused', 'disputed', 'superseded'] as const)
    .every((status) => offers[status].count === input.runningTallies[status].count && offers[status].amountFen === input.runningTallies[status].amountFen);
  const check = (name: string, left: bigint | number, right: bigint | number, zh: string, en: string): ReconciliationCheck => ({
    name,
    holds: left === right,
    detail: { zh: `${zh}：${left} 与 ${right}${left === right ? '相符' : '不符'}`, en: `${en}: ${left} against ${right}${left === right ? '' : ' — they differ'}` },
  });
  const checks = [
    check('offers-match-computation', made.count, input.computed.payable.count, '要约数与应付投资者数', 'offers made and investors payable'),
    check('offer-amounts-match-computation', made.amountFen, input.computed.payable.amountFen, '要约金额与计算应付总额', 'amount offered and amount computed payable'),
    check('ledger-accepted-matches-offers', ledger.acceptedFen, offers.accepted.amountFen + input.awards.amountFen, '账簿中接受金额与已接受要约及法院判决金额', 'accepted in the ledger and accepted offers with court awards'),
    check('ledger-paid-matches-payments', ledger.paidFen, payments.paid.amountFen, '账簿中已付金额与付款结果', 'paid in the ledger and payments reported paid'),
    check('accepted-is-paid-plus-payable', offers.accepted.amountFen + input.awards.amountFen, ledger.paidFen + ledger.payableFen, '已接受金额等于已付加应付', 'accepted (with court awards) equals paid plus payable'),
    check('paid-count-matches-ledger', payments.paid.count, ledger.offersPaid, '付款结果中已付要约数与账簿', 'offers paid by the payment results and by the ledger'),
    {
      name: 'running-tallies-match-offers',
      holds: runningTalliesHold,
      detail: runningTalliesHold
        ? { zh: '数据库维护的要约计数与逐条清点相符', en: 'the tallies the database keeps agree with the offers counted one by one' }
        : { zh: '数据库维护的要约计数与逐条清点不符', en: 'the tallies the database keeps differ from the offers counted one by one' },
    },
  ];
  return {
    computed: input.computed,
    ...progress,
    failed: share(payments.failed),
    superseded: offers.superseded,
    awards: input.awards,
    fund: { contributedFen: ledger.contributedFen, interestEarnedFen: ledger.interestEarnedFen, custodyFen: ledger.custodyFen, payableFen: ledger.payableFen, freeFundsFen: ledger.freeFundsFen, shortfallFen: ledger.shortfallFen },
    checks,
    balanced: checks.every((entry) => entry.holds),
  };
}

/** part/whole in percent, two decimals, half up; "0.00" of nothing. */
export function percent(part: bigint, whole: bigint): string {
  if (whole === 0n) return '0.00';
  return Rational.of(part * 100n, whole).toFixed(2);
}
