import type { IsoDate } from '../market/calendar-date.ts';
import type { Fen } from '../money/fen.ts';
import type { LedgerTransaction, Posting } from './ledger-transaction.ts';

/**
 * The fund's business movements, each built as the one transaction that records it (signs and
 * accounts as in fund-accounts.ts and ledger-transaction.ts). Amounts are given as positive fen;
 * a builder only writes the postings, and `applyTransaction` decides whether the ledger takes them.
 */
export interface TransactionHeader {
  /** Unique in the ledger and the write's idempotency key. */
  id: string;
  fundId: string;
  on: IsoDate;
  memo?: string;
}

interface OfferMovement extends TransactionHeader {
  offerId: string;
  investor: string;
  amountFen: Fen;
}

function header(input: TransactionHeader): Pick<LedgerTransaction, 'id' | 'fundId' | 'on' | 'memo'> {
  return { id: input.id, fundId: input.fundId, on: input.on, memo: input.memo ?? '' };
}

/** A funder's deposit confirmed against the bank's records arrives in custody. */
export function contributionReceived(input: TransactionHeader & { funderId: string; amountFen: Fen }): LedgerTransaction {
  return {
    ...header(input),
    kind: 'contribution-received',
    postings: [
      { account: 'custody-cash', amountFen: input.amountFen },
      { account: 'funder-contributions', amountFen: -input.amountFen, funderId: input.funderId },
    ],
  };
}

/** Under administrative settlement (行政和解), the committing party's money arrives in custody. */
export function commitmentReceived(input: TransactionHeader & { partyId: string; amountFen: Fen }): LedgerTransaction {
  return {
    ...header(input),
    kind: 'commitment-received',
    postings: [
      { account: 'custody-cash', amountFen: input.amountFen },
      { account: 'commitment-money', amountFen: -input.amountFen, partyId: input.partyId },
    ],
  };
}

/** The custodian bank credits interest on the account; it may serve only compensation (interest-rule.ts). */
export function interestCredited(input: TransactionHeader & { amountFen: Fen }): LedgerTransaction {
  return {
    ...header(input),
    kind: 'interest-credited',
    postings: [
      { account: 'custody-cash', amountFen: input.amountFen },
      { account: 'interest-earned', amountFen: -input.amountFen },
    ],
  };
}

/** The trustee's management fee (管理费), out of free funds only. */
export function managementFeeCharged(input: TransactionHeader & { amountFen: Fen }): LedgerTransaction {
  return {
    ...header(input),
    kind: 'management-fee-charged',
    postings: [
      { account: 'management-fee', amountFen: input.amountFen },
      { account: 'custody-cash', amountFen: -input.amountFen },
    ],
  };
}

/** An investor accepts an offer: the fund owes the amount from now on. */
export function offerAccepted(input: OfferMovement): LedgerTransaction {
  return {
    ...header(input),
    kind: 'offer-accepted',
    postings: [
      { account: 'compensation', amountFen: input.amountFen, offerId: input.offerId, investor: input.investor },
      { account: 'investor-payables', amountFen: -input.amountFen, offerId: input.offerId, investor: input.investor },
    ],
  };
}

/** The payment instruction for an offer leaves custody: the whole payable, once. */
export function paymentSent(input: OfferMovement): LedgerTransaction {
  return {
    ...header(input),
    kind: 'payment-sent',
    postings: [
      { account: 'investor-payables', amountFen: input.amountFen, offerId: input.offerId, investor: input.investor },
      { account: 'custody-cash', amountFen: -input.amountFen },
    ],
  };
}

/** A payment failed (closed or abnormal account, deceased holder) and its money came back: owed again. */
export function paymentReturned(input: OfferMovement): LedgerTransaction {
  return {
    ...header(input),
    kind: 'payment-returned',
    postings: [
      { account: 'custody-cash', amountFen: input.amountFen },
      { account: 'investor-payables', amountFen: -input.amountFen, offerId: input.offerId, investor: input.investor },
    ],
  };
}

/**
 * The residual goes back to the funders, one posting per funder and one custody posting for the
 * whole; `residualShares` (residual-shares.ts) proposes the shares by contribution.
 */
export function residualReturned(input: TransactionHeader & { shares: readonly { funderId: string; amountFen: Fen }[] }): LedgerTransaction {
  const postings: Posting[] = input.shares.map((share) => ({ account: 'residual-returned', amountFen: share.amountFen, funderId: share.funderId }));
  postings.push({ account: 'custody-cash', amountFen: -input.shares.reduce((total, share) => total + share.amountFen, 0n) });
  return { ...header(input), kind: 'residual-returned', postings };
}

/** Under administrative settlement the residual is remitted to the treasury (上缴国库). */
export function treasuryRemitted(input: TransactionHeader & { amountFen: Fen }): LedgerTransaction {
  return {
    ...header(input),
    kind: 'treasury-remitted',
    postings: [
      { account: 'treasury-remittance', amountFen: input.amountFen },
      { account: 'custody-cash', amountFen: -input.amountFen },
    ],
  };
}

/** Money recovered (追偿) from a liable party on the assigned claims arrives in custody. */
export function recoveryReceived(input: TransactionHeader & { partyId: string; amountFen: Fen }): LedgerTransaction {
  return {
    ...header(input),
    kind: 'recovery-received',
    postings: [
      { account: 'custody-cash', amountFen: input.amountFen },
      { account: 'recoveries', amountFen: -input.amountFen, partyId: input.partyId },
    ],
  };
}

/** The correction of `original`: its postings, one by one, with the opposite sign. */
export function reversalOf(original: LedgerTransaction, input: Omit<TransactionHeader, 'fundId'>): LedgerTransaction {
  return {
    id: input.id,
    fundId: original.fundId,
    kind: 'reversal',
    on: input.on,
    memo: input.memo ?? '',
    postings: original.postings.map((posting) => ({ ...posting, amountFen: -posting.amountFen })),
    reverses: original.id,
  };
}
