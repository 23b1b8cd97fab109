import { formatFen, type Fen } from '../money/fen.ts';
import type { BilingualText } from '../procedure/bilingual-text.ts';
import { ACCOUNT_IDS } from './fund-accounts.ts';
import { balances, type LedgerState } from './ledger-state.ts';

/**
 * The invariants a ledger state keeps, checked from the state alone: a state loaded from elsewhere
 * (a snapshot, a copy an auditor holds) can be checked without trusting whoever built it.
 * `applyTransaction` refuses every transaction that would break one, so a state built by it yields
 * no breach.
 *
 * - the postings of all accounts sum to zero (every transaction did);
 * - custody cash is never negative;
 * - investor payables equal accepted offers minus payments, offer by offer: the payables account
 *   is the sum of the offers' payables, compensation the sum of what they accepted, and each
 *   offer's payable lies between zero and what it accepted (no offer paid more than once, none
 *   paid more than accepted);
 * - the funder and party sub-ledgers add up to their accounts.
 */
export function ledgerInvariantBreaches(state: LedgerState): BilingualText[] {
  const breaches: BilingualText[] = [];
  const b = balances(state);
  const sum = ACCOUNT_IDS.reduce((total, account) => total + state.postedFen[account], 0n);
  if (sum !== 0n) breaches.push({ zh: `各科目分录合计 ${formatFen(sum)} 元，不为零`, en: `the postings of all accounts sum to ${formatFen(sum)} yuan, not zero` });
  if (b['custody-cash'] < 0n) breaches.push({ zh: `托管资金为负：${formatFen(b['custody-cash'])} 元`, en: `custody cash is negative: ${formatFen(b['custody-cash'])} yuan` });

  let accepted = 0n;
  let payable = 0n;
  for (const [offerId, offer] of state.offers) {
    accepted += offer.acceptedFen;
    payable += offer.payableFen;
    if (offer.payableFen < 0n || offer.payableFen > offer.acceptedFen) {
      breaches.push({
        zh: `要约 ${offerId} 应付 ${formatFen(offer.payableFen)} 元，不在零与已接受的 ${formatFen(offer.acceptedFen)} 元之间`,
        en: `offer ${offerId} has ${formatFen(offer.payableFen)} yuan payable, not between zero and the ${formatFen(offer.acceptedFen)} yuan accepted`,
      });
    }
  }
  const mismatch = (what: BilingualText, account: Fen, parts: Fen): void => {
    if (account !== parts) breaches.push({ zh: `${what.zh}科目为 ${formatFen(account)} 元，明细合计 ${formatFen(parts)} 元`, en: `${what.en}: the account holds ${formatFen(account)} yuan, its details add up to ${formatFen(parts)} yuan` });
  };
  mismatch({ zh: '应付投资者赔付款', en: 'investor payables' }, b['investor-payables'], payable);
  mismatch({ zh: '赔付支出', en: 'compensation' }, b['compensation'], accepted);
  const funders = [...state.funders.values()];
  const parties = [...state.parties.values()];
  mismatch({ zh: '出资人出资', en: "funders' contributions" }, b['funder-contributions'], funders.reduce((total, funder) => total + funder.contributedFen, 0n));
  mismatch({ zh: '退还出资人剩余资金', en: 'residual returned' }, b['residual-returned'], funders.reduce((total, funder) => total + funder.residualFen, 0n));
  mismatch({ zh: '承诺金', en: 'commitment money' }, b['commitment-money'], parties.reduce((total, party) => total + party.committedFen, 0n));
  mismatch({ zh: '追偿所得', en: 'recoveries' }, b['recoveries'], parties.reduce((total, party) => total + party.recoveredFen, 0n));
  return breaches;
}
