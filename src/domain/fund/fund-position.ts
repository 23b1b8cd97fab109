import type { Fen } from '../money/fen.ts';
import { freeFunds, unspentInterest } from './interest-rule.ts';
import { balances, type LedgerState } from './ledger-state.ts';

/**
 * Where the fund stands, as the reconciliation at close reads it (procedure.md step 11): money in,
 * compensation accepted and paid, what is still owed, what went out otherwise, and what is left.
 * Paid is accepted less payable (fund-accounts.ts says why it is not an account of its own).
 */
export interface FundPosition {
  contributedFen: Fen;
  committedFen: Fen;
  interestEarnedFen: Fen;
  recoveredFen: Fen;
  acceptedFen: Fen;
  paidFen: Fen;
  payableFen: Fen;
  managementFeeFen: Fen;
  residualReturnedFen: Fen;
  treasuryRemittedFen: Fen;
  custodyFen: Fen;
  /** Interest not yet matched by compensation, which only compensation may use. */
  unspentInterestFen: Fen;
  /** Custody cash beyond payables and unspent interest: what a fee or a residual may take. */
  freeFundsFen: Fen;
  /** Payables the custody cash does not cover: the top-up a short fund needs, or zero. */
  shortfallFen: Fen;
  offersAccepted: number;
  offersPaid: number;
  offersPayable: number;
}

export function fundPosition(state: LedgerState): FundPosition {
  const b = balances(state);
  let offersAccepted = 0;
  let offersPaid = 0;
  for (const offer of state.offers.values()) {
    if (offer.acceptedFen === 0n) continue;
    offersAccepted += 1;
    if (offer.payableFen === 0n) offersPaid += 1;
  }
  const shortfall = b['investor-payables'] - b['custody-cash'];
  return {
    contributedFen: b['funder-contributions'],
    committedFen: b['commitment-money'],
    interestEarnedFen: b['interest-earned'],
    recoveredFen: b['recoveries'],
    acceptedFen: b['compensation'],
    paidFen: b['compensation'] - b['investor-payables'],
    payableFen: b['investor-payables'],
    managementFeeFen: b['management-fee'],
    residualReturnedFen: b['residual-returned'],
    treasuryRemittedFen: b['treasury-remittance'],
    custodyFen: b['custody-cash'],
    unspentInterestFen: unspentInterest(b),
    freeFundsFen: freeFunds(b),
    shortfallFen: shortfall > 0n ? shortfall : 0n,
    offersAccepted,
    offersPaid,
    offersPayable: offersAccepted - offersPaid,
  };
}
