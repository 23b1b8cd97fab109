import { compareCodePoints } from '../domain/code-point-order.ts';
import { isIsoDate, type IsoDate } from '../domain/market/calendar-date.ts';
import { formatFen, type Fen } from '../domain/money/fen.ts';
import { csvField } from './compensation-csv.ts';

/**
 * The registry units file (docs/interop.md): the compensation-right units (补偿权份额) the
 * registry (中国结算) credits to securities accounts, so that an investor sees its offer in its
 * broker's trading software and accepts it by a declaration on the exchange (procedure.md step 8).
 *
 * Two rules decide what is credited.
 *
 * - One unit is one yuan, read literally: an offer of 1234.56 yuan is 1234.56 units, so units carry
 *   two decimals and always equal the amount. Whole units with the fen paid in cash would split one
 *   offer into two things to accept, while the investor declares for exactly the units it holds and
 *   an acceptance is of the whole offer.
 * - All units of an offer go to one account, the first of the investor's accounts in code-point
 *   order. The loss is computed over all accounts merged (Art. 30), so no account owns a share of it
 *   that a split could follow, and a split would need a declaration on every account to accept one
 *   offer. Code-point order is reproducible by anyone from the registry's own data, whatever the row
 *   order of trades.csv.
 */
export const REGISTRY_UNITS_COLUMNS = ['offer_id', 'investor', 'account', 'units', 'security_code', 'plan_sha256', 'opens_on', 'closes_on'] as const;

/** What the registry credits for one offer. */
export interface UnitsCredit {
  offerId: string;
  investor: string;
  account: string;
  /** The units counted in hundredths, which are fen because one unit is one yuan: equal to the offer's amount. */
  unitsFen: Fen;
}

/** What every row of one file shares: the case's security, the adopted plan and the declaration window. */
export interface RegistryUnitsFile {
  securityCode: string;
  planSha256: string;
  opensOn: IsoDate;
  closesOn: IsoDate;
}

/** Raised when credits cannot be written as they are; the registry must never receive a doubtful credit. */
export class RegistryUnitsRefused extends Error {
  readonly code: string;
  readonly bilingual: { zh: string; en: string };
  constructor(code: string, message: { zh: string; en: string }) {
    super(message.en);
    this.name = 'RegistryUnitsRefused';
    this.code = code;
    this.bilingual = message;
  }
}

/**
 * The account that holds an offer's units: the first in code-point order of the investor's accounts
 * (those of its rows in trades.csv and holdings.csv, all on the exchange of the case's security).
 * Blank accounts are passed over; null when none is left.
 */
export function creditedAccount(accounts: readonly string[]): string | null {
  let first: string | null = null;
  for (const account of accounts) {
    if (account.trim() === '') continue;
    if (first === null || compareCodePoints(account, first) < 0) first = account;
  }
  return first;
}

/**
 * The credit of one offer. Null when the investor has no account on record: the registry cannot
 * reach it, and the offer is answered through the portal or at a counter.
 */
export function unitsPerAccount(offer: { offerId: string; investor: string; amountFen: Fen }, accounts: readonly string[]): UnitsCredit | null {
  if (offer.amountFen <= 0n) {
    throw new RegistryUnitsRefused('amount-not-positive', { zh: `要约 ${offer.offerId} 的金额不是正数`, en: `offer ${offer.offerId} has an amount that is not positive` });
  }
  const account = creditedAccount(accounts);
  return account === null ? null : { offerId: offer.offerId, investor: offer.investor, account, unitsFen: offer.amountFen };
}

const OFFER_ID = /^offer-[0-9a-f]{20}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Writes the file: the header, then one row per credit sorted by investor then offer id in
 * code-point order, so the same credits always give the same bytes. Refuses a file the registry
 * could misapply: a malformed offer id, an offer credited twice, one account credited for two
 * investors, units that are not positive, a blank investor or account, or a bad plan hash or window.
 */
export function registryUnitsCsv(credits: readonly UnitsCredit[], file: RegistryUnitsFile): string {
  if (file.securityCode.trim() === '') refuse('no-security-code', '缺少证券代码', 'the security code is missing');
  if (!SHA256.test(file.planSha256)) refuse('bad-plan-hash', `方案哈希 '${file.planSha256}' 不是 64 位十六进制小写字符`, `the plan hash '${file.planSha256}' is not 64 lowercase hex digits`);
  if (!isIsoDate(file.opensOn) || !isIsoDate(file.closesOn) || file.opensOn > file.closesOn) {
    refuse('bad-window', `申报期 ${file.opensOn} 至 ${file.closesOn} 无效`, `the declaration window ${file.opensOn} to ${file.closesOn} is not a valid period`);
  }
  const offers = new Set<string>();
  const investorOfAccount = new Map<string, string>();
  for (const credit of credits) {
    if (!OFFER_ID.test(credit.offerId)) refuse('bad-offer-id', `要约编号 '${credit.offerId}' 格式不符`, `the offer id '${credit.offerId}' is not offer- followed by 20 hex digits`);
    if (offers.has(credit.offerId)) refuse('offer-credited-twice', `要约 ${credit.offerId} 出现两次`, `offer ${credit.offerId} is credited twice`);
    offers.add(credit.offerId);
    if (credit.investor.trim() === '') refuse('no-investor', `要约 ${credit.offerId} 缺少投资者`, `offer ${credit.offerId} names no investor`);
    if (credit.account.trim() === '') refuse('no-account', `要约 ${credit.offerId} 缺少证券账户`, `offer ${credit.offerId} names no securities account`);
    if (credit.unitsFen <= 0n) refuse('units-not-positive', `要约 ${credit.offerId} 的份额不是正数`, `offer ${credit.offerId} credits units that are not positive`);
    const holder = investorOfAccount.get(credit.account);
    if (holder !== undefined && holder !== credit.investor) {
      refuse('account-of-two-investors', `证券账户 ${credit.account} 同时记在 ${holder} 和 ${credit.investor} 名下`, `securities account ${credit.account} is credited for both ${holder} and ${credit.investor}`);
    }
    investorOfAccount.set(credit.account, credit.investor);
  }
  const sorted = [...credits].sort((a, b) => compareCodePoints(a.investor, b.investor) || compareCodePoints(a.offerId, b.offerId));
  const lines = [REGISTRY_UNITS_COLUMNS.join(',')];
  for (const credit of sorted) {
    lines.push(
      [credit.offerId, credit.investor, credit.account, formatFen(credit.unitsFen), file.securityCode, file.planSha256, file.opensOn, file.closesOn].map(csvField).join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function refuse(code: string, zh: string, en: string): never {
  throw new RegistryUnitsRefused(code, { zh, en });
}
