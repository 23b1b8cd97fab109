import { ACCOUNT_IDS, type AccountId } from './fund-accounts.ts';
import type { LedgerTransaction } from './ledger-transaction.ts';
import {
  contributionReceived,
  interestCredited,
  managementFeeCharged,
  offerAccepted,
  paymentReturned,
  paymentSent,
  residualReturned,
} from './ledger-rules.ts';

/**
 * A fund from deposit to close, with every amount worked out by hand; the tests and the
 * documentation use it.
 *
 * Three funders deposit 400,000.00 + 350,000.00 + 250,000.00 = 1,000,000.00 yuan; the bank credits
 * 123.45 of interest; the trustee charges a 1,000.00 fee (free funds were 1,000,000.00: the
 * interest is held back). Four offers are accepted for 250,000.00 + 120,000.50 + 80,000.25 +
 * 45,678.91 = 495,679.66; the first three are paid, the fourth is paid, fails (the account is
 * closed), comes back and is paid again to a new account.
 *
 * Custody: 100,000,000 + 12,345 − 100,000 − 49,567,966 = 50,344,379 fen (503,443.79 yuan), all
 * of it residual. Shared 40 : 35 : 25 by contribution:
 *   sponsor     50,344,379 × 0.40 = 20,137,751.60 → 20,137,751, remainder .60
 *   controller  50,344,379 × 0.35 = 17,620,532.65 → 17,620,532, remainder .65
 *   auditor     50,344,379 × 0.25 = 12,586,094.75 → 12,586,094, remainder .75
 * The floors add up to 50,344,377; the 2 fen left go to the largest remainders, the auditor
 * (.75) and the controller (.65): 20,137,751 + 17,620,533 + 12,586,095 = 50,344,379.
 */
export const SAMPLE_FUND_ID = 'fund-2026-001';

const fund = SAMPLE_FUND_ID;

export const SAMPLE_OFFERS = [
  { offerId: 'offer-001', investor: 'inv-zhang', amountFen: 25_000_000n },
  { offerId: 'offer-002', investor: 'inv-li', amountFen: 12_000_050n },
  { offerId: 'offer-003', investor: 'inv-wang', amountFen: 8_000_025n },
  { offerId: 'offer-004', investor: 'inv-zhao', amountFen: 4_567_891n },
] as const;

export const SAMPLE_RESIDUAL_SHARES = [
  { funderId: 'funder-auditor', amountFen: 12_586_095n },
  { funderId: 'funder-controller', amountFen: 17_620_533n },
  { funderId: 'funder-sponsor', amountFen: 20_137_751n },
] as const;

export const SAMPLE_TRANSACTIONS: readonly LedgerTransaction[] = [
  contributionReceived({ id: 'tx-01', fundId: fund, on: '2026-02-02', funderId: 'funder-sponsor', amountFen: 40_000_000n, memo: 'bank ref 0001' }),
  contributionReceived({ id: 'tx-02', fundId: fund, on: '2026-02-02', funderId: 'funder-controller', amountFen: 35_000_000n, memo: 'bank ref 0002' }),
  contributionReceived({ id: 'tx-03', fundId: fund, on: '2026-02-03', funderId: 'funder-auditor', amountFen: 25_000_000n, memo: 'bank ref 0003' }),
  interestCredited({ id: 'tx-04', fundId: fund, on: '2026-03-21', amountFen: 12_345n }),
  managementFeeCharged({ id: 'tx-05', fundId: fund, on: '2026-03-23', amountFen: 100_000n }),
  ...SAMPLE_OFFERS.map((offer, index) => offerAccepted({ id: `tx-${String(6 + index).padStart(2, '0')}`, fundId: fund, on: '2026-03-25', ...offer })),
  paymentSent({ id: 'tx-10', fundId: fund, on: '2026-04-01', ...SAMPLE_OFFERS[0] }),
  paymentSent({ id: 'tx-11', fundId: fund, on: '2026-04-01', ...SAMPLE_OFFERS[1] }),
  paymentSent({ id: 'tx-12', fundId: fund, on: '2026-04-01', ...SAMPLE_OFFERS[2] }),
  paymentSent({ id: 'tx-13', fundId: fund, on: '2026-04-01', ...SAMPLE_OFFERS[3] }),
  paymentReturned({ id: 'tx-14', fundId: fund, on: '2026-04-03', ...SAMPLE_OFFERS[3], memo: 'account closed' }),
  paymentSent({ id: 'tx-15', fundId: fund, on: '2026-04-08', ...SAMPLE_OFFERS[3], memo: 'new account' }),
  residualReturned({ id: 'tx-16', fundId: fund, on: '2026-04-30', shares: SAMPLE_RESIDUAL_SHARES }),
];

/** Every account's balance: those named, every other account zero (for tests to state a ledger whole). */
export function balancesWith(values: Partial<Record<AccountId, bigint>>): Record<AccountId, bigint> {
  return Object.fromEntries(ACCOUNT_IDS.map((account) => [account, values[account] ?? 0n])) as Record<AccountId, bigint>;
}
