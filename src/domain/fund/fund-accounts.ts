import type { BilingualText } from '../procedure/bilingual-text.ts';

/**
 * The chart of accounts of one special fund (先行赔付专项基金), a segregated trust fund the investor
 * protection fund holds as trustee (procedure.md steps 3, 8–12).
 *
 * There is no account for "paid": what was paid is compensation minus investor payables, per offer
 * and in total (`fund-position.ts`). A separate account would always hold that difference, and a
 * ledger that stores one number twice can contradict itself.
 */
export type AccountId =
  | 'custody-cash'
  | 'funder-contributions'
  | 'commitment-money'
  | 'interest-earned'
  | 'recoveries'
  | 'investor-payables'
  | 'compensation'
  | 'management-fee'
  | 'residual-returned'
  | 'treasury-remittance';

/** The side on which an account's balance is normally carried, and so reported as a positive number. */
export type NormalSide = 'debit' | 'credit';

/**
 * Which reference a posting to the account must carry, and may carry no other: the sub-ledger the
 * account keeps (per offer and its investor, per funder, per liable party), or none.
 */
export type AccountReference = 'offer' | 'funder' | 'party' | 'none';

export interface FundAccount {
  id: AccountId;
  name: BilingualText;
  normalSide: NormalSide;
  reference: AccountReference;
}

export const FUND_ACCOUNTS: Readonly<Record<AccountId, FundAccount>> = {
  'custody-cash': {
    id: 'custody-cash',
    name: { zh: '托管账户资金', en: 'custody cash' },
    normalSide: 'debit',
    reference: 'none',
  },
  'funder-contributions': {
    id: 'funder-contributions',
    name: { zh: '出资人出资', en: "funders' contributions" },
    normalSide: 'credit',
    reference: 'funder',
  },
  'commitment-money': {
    // Paid by a party under administrative settlement (行政和解); its residual goes to the treasury.
    id: 'commitment-money',
    name: { zh: '承诺金', en: 'commitment money' },
    normalSide: 'credit',
    reference: 'party',
  },
  'interest-earned': {
    id: 'interest-earned',
    name: { zh: '利息收入', en: 'interest earned' },
    normalSide: 'credit',
    reference: 'none',
  },
  'recoveries': {
    id: 'recoveries',
    name: { zh: '追偿所得', en: 'recoveries' },
    normalSide: 'credit',
    reference: 'party',
  },
  'investor-payables': {
    id: 'investor-payables',
    name: { zh: '应付投资者赔付款', en: 'investor payables' },
    normalSide: 'credit',
    reference: 'offer',
  },
  'compensation': {
    // The compensation the fund owes by accepted offers, recognised when the investor accepts.
    id: 'compensation',
    name: { zh: '赔付支出', en: 'compensation' },
    normalSide: 'debit',
    reference: 'offer',
  },
  'management-fee': {
    id: 'management-fee',
    name: { zh: '管理费', en: 'management fee' },
    normalSide: 'debit',
    reference: 'none',
  },
  'residual-returned': {
    id: 'residual-returned',
    name: { zh: '退还出资人剩余资金', en: 'residual returned to funders' },
    normalSide: 'debit',
    reference: 'funder',
  },
  'treasury-remittance': {
    id: 'treasury-remittance',
    name: { zh: '上缴国库', en: 'treasury remittance' },
    normalSide: 'debit',
    reference: 'none',
  },
};

export const ACCOUNT_IDS = Object.keys(FUND_ACCOUNTS) as readonly AccountId[];

export function isAccountId(text: string): text is AccountId {
  return Object.hasOwn(FUND_ACCOUNTS, text);
}

/**
 * The movements of the fund and what may flow where. A flow takes money `from` one account `to`
 * another: in a transaction of that kind the `from` account is credited and the `to` account is
 * debited, and no other account appears. Reading "from → to" this way, an acceptance flows from
 * investor payables to compensation: the liability is what pays for the expense.
 */
export type MovementKind =
  | 'contribution-received'
  | 'commitment-received'
  | 'interest-credited'
  | 'management-fee-charged'
  | 'offer-accepted'
  | 'payment-sent'
  | 'payment-returned'
  | 'residual-returned'
  | 'treasury-remitted'
  | 'recovery-received';

export interface Flow {
  from: AccountId;
  to: AccountId;
  name: BilingualText;
}

export const FLOWS: Readonly<Record<MovementKind, Flow>> = {
  'contribution-received': {
    from: 'funder-contributions',
    to: 'custody-cash',
    name: { zh: '出资到账', en: 'contribution received' },
  },
  'commitment-received': {
    from: 'commitment-money',
    to: 'custody-cash',
    name: { zh: '承诺金到账', en: 'commitment money received' },
  },
  'interest-credited': {
    from: 'interest-earned',
    to: 'custody-cash',
    name: { zh: '利息入账', en: 'interest credited' },
  },
  'management-fee-charged': {
    from: 'custody-cash',
    to: 'management-fee',
    name: { zh: '收取管理费', en: 'management fee charged' },
  },
  'offer-accepted': {
    from: 'investor-payables',
    to: 'compensation',
    name: { zh: '投资者接受赔付', en: 'offer accepted' },
  },
  'payment-sent': {
    from: 'custody-cash',
    to: 'investor-payables',
    name: { zh: '赔付款划付', en: 'payment sent' },
  },
  'payment-returned': {
    // A payment that failed (closed or abnormal account, deceased holder) and came back: the
    // investor is owed the money again.
    from: 'investor-payables',
    to: 'custody-cash',
    name: { zh: '赔付款退回', en: 'payment failed and returned' },
  },
  'residual-returned': {
    from: 'custody-cash',
    to: 'residual-returned',
    name: { zh: '剩余资金退还出资人', en: 'residual returned to funders' },
  },
  'treasury-remitted': {
    from: 'custody-cash',
    to: 'treasury-remittance',
    name: { zh: '剩余承诺金上缴国库', en: 'residual remitted to the treasury' },
  },
  'recovery-received': {
    from: 'recoveries',
    to: 'custody-cash',
    name: { zh: '追偿款到账', en: 'recovery received' },
  },
};

export const MOVEMENT_KINDS = Object.keys(FLOWS) as readonly MovementKind[];

export function isMovementKind(text: string): text is MovementKind {
  return Object.hasOwn(FLOWS, text);
}
