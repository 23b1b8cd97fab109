import { formatFen, type Fen } from '../money/fen.ts';
import type { AccountId, MovementKind } from './fund-accounts.ts';
import { ledgerRefusal, type LedgerRefusal } from './ledger-refusal.ts';

/**
 * Balances on each account's normal side: custody cash and compensation as debits, contributions,
 * interest and payables as credits, each positive in the ordinary case.
 */
export type NormalBalances = Readonly<Record<AccountId, Fen>>;

/**
 * The rule this fund keeps for interest earned (利息收入) and for money owed to investors. Cash in
 * the custody account is one sum; the rule says which part of it each outflow may take.
 *
 * 1. Interest serves compensation first: of the interest earned, the part not yet matched by
 *    compensation accepted is unspent, max(0, interest − compensation). Spending interest first is
 *    what lets all of it reach investors whatever the order in which money arrives.
 * 2. Free funds are custody cash less the investor payables outstanding and less the unspent
 *    interest. A management fee (管理费), a residual returned to funders and a remittance to the
 *    treasury may take free funds only: never money owed on an accepted offer, never interest.
 * 3. One exception: a residual return or treasury remittance that empties the custody account while
 *    no payable is outstanding (the final return at close, after the late-claim period) takes the
 *    interest left with it, because no compensation is left for it to serve. A fee never takes
 *    interest. The ledger does not know when the acceptance window and the late-claim period end;
 *    the procedure writes the final return only at close (procedure.md step 11).
 *
 * The rule is checked when a fee, residual or remittance is written. A reversal is a correction of
 * what happened at the bank and is held only to custody cash never going negative; a reversed
 * acceptance can make interest unspent again, and later outflows then respect it.
 */
export function unspentInterest(balances: NormalBalances): Fen {
  const unspent = balances['interest-earned'] - balances['compensation'];
  return unspent > 0n ? unspent : 0n;
}

/** Custody cash that is neither owed to investors nor unspent interest (negative when the fund is short). */
export function freeFunds(balances: NormalBalances): Fen {
  return balances['custody-cash'] - balances['investor-payables'] - unspentInterest(balances);
}

const OUTFLOWS: ReadonlySet<MovementKind> = new Set(['management-fee-charged', 'residual-returned', 'treasury-remitted']);

/** Whether an outflow of `kind` that leaves `after` behind keeps the rule; null when it does or is no outflow. */
export function outflowRefusal(kind: MovementKind, after: NormalBalances): LedgerRefusal | null {
  if (!OUTFLOWS.has(kind)) return null;
  const custody = after['custody-cash'];
  const payables = after['investor-payables'];
  if (custody < payables) {
    return ledgerRefusal(
      'payables-unmet',
      `该笔支出后托管资金仅余 ${formatFen(custody)} 元，少于应付投资者的 ${formatFen(payables)} 元`,
      `after this outflow custody cash would be ${formatFen(custody)} yuan, less than the ${formatFen(payables)} yuan owed to investors`,
    );
  }
  const interest = unspentInterest(after);
  const finalReturn = kind !== 'management-fee-charged' && payables === 0n && custody === 0n;
  if (custody - payables < interest && !finalReturn) {
    return ledgerRefusal(
      'interest-reserved',
      `利息收入只能用于赔付：尚未用于赔付的利息 ${formatFen(interest)} 元须留在基金中，该笔支出后可用资金仅余 ${formatFen(custody - payables)} 元`,
      `interest earned may serve only compensation: ${formatFen(interest)} yuan of unspent interest must stay in the fund, and this outflow would leave ${formatFen(custody - payables)} yuan beyond the payables`,
    );
  }
  return null;
}
