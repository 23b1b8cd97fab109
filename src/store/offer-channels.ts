import type { Kysely } from 'kysely';
import type { Actor } from '../domain/access/roles.ts';
import type { IsoDate } from '../domain/market/calendar-date.ts';
import type { CalculationSheet } from '../domain/loss/calculation-sheet.ts';
import { matchDeclarations, parseExchangeDeclarations, type OfferForDeclarations } from '../io/exchange-declarations-file.ts';
import { registryUnitsCsv, unitsPerAccount, type UnitsCredit } from '../io/registry-units-file.ts';
import type { CsvEncoding } from '../io/csv-scan.ts';
import { OfferRefused, OfferStore } from './offer-store.ts';
import type { Tables } from './tables.ts';

/**
 * The offer channels that run through the market's infrastructure (procedure.md step 8): the
 * registry's file crediting compensation-right units to securities accounts, and the exchange's
 * declaration file carrying the investors' answers back (docs/interop.md). Every answer read from
 * the file goes through the same rules and store as a portal answer, judged on the day it was
 * declared, so importing a file twice records nothing twice.
 */

/** The securities accounts an investor traded in, as its calculation sheet lists them. */
function accountsOf(sheet: CalculationSheet): string[] {
  const accounts = new Set<string>();
  for (const event of sheet.history) if ('trade' in event) accounts.add(event.trade.account);
  return [...accounts];
}

export async function registryUnitsFile(db: Kysely<Tables>, caseId: string): Promise<{ csv: string; credited: number; withoutAccount: string[] }> {
  const offers = await db
    .selectFrom('offers as o')
    .innerJoin('investor_results as r', (join) => join.onRef('r.run_id', '=', 'o.run_id').onRef('r.investor', '=', 'o.investor'))
    .select(['o.id', 'o.investor', 'o.amount_fen', 'o.plan_sha256', 'o.opens_on', 'o.closes_on', 'r.sheet'])
    .where('o.case_id', '=', caseId)
    .where('o.status', '=', 'offered')
    .execute();
  const credits: UnitsCredit[] = [];
  const withoutAccount: string[] = [];
  for (const offer of offers) {
    const credit = unitsPerAccount({ offerId: offer.id, investor: offer.investor, amountFen: offer.amount_fen }, accountsOf(offer.sheet as unknown as CalculationSheet));
    if (credit === null) withoutAccount.push(offer.investor);
    else credits.push(credit);
  }
  const first = offers[0];
  const security = first ? (first.sheet as unknown as CalculationSheet).security.code : '';
  const csv = first === undefined ? '' : registryUnitsCsv(credits, {
    securityCode: security, planSha256: first.plan_sha256,
    opensOn: offers.reduce((min, offer) => (offer.opens_on < min ? offer.opens_on : min), first.opens_on),
    closesOn: offers.reduce((min, offer) => (offer.closes_on < min ? offer.closes_on : min), first.closes_on),
  });
  return { csv, credited: credits.length, withoutAccount };
}

export interface DeclarationImport {
  accepted: number;
  refused: number;
  repeats: number;
  /** Rows not recorded, with their line: unreadable, not matching an offer, or refused by the answer's rules (a late declaration, say). */
  errors: { line: number; code: string; reason: { zh: string; en: string } }[];
}

export async function importExchangeDeclarations(db: Kysely<Tables>, input: { caseId: string; file: string; content: Uint8Array | string; encoding: CsvEncoding; actor: Actor; today: IsoDate; at: Date }): Promise<DeclarationImport> {
  const parsed = parseExchangeDeclarations(input.content, input.file, { encoding: input.encoding });
  const ids = [...new Set(parsed.rows.map((row) => row.offerId))];
  const offers = new Map<string, OfferForDeclarations>();
  for (let start = 0; start < ids.length; start += 1000) {
    const rows = await db
      .selectFrom('offers as o')
      .innerJoin('investor_results as r', (join) => join.onRef('r.run_id', '=', 'o.run_id').onRef('r.investor', '=', 'o.investor'))
      .select(['o.id', 'o.investor', 'o.amount_fen', 'o.status', 'r.sheet'])
      .where('o.case_id', '=', input.caseId)
      .where('o.id', 'in', ids.slice(start, start + 1000))
      .execute();
    for (const row of rows) offers.set(row.id, { investor: row.investor, amountFen: row.amount_fen, status: row.status, accounts: accountsOf(row.sheet as unknown as CalculationSheet) });
  }
  const matched = matchDeclarations(parsed.rows, offers);
  const errors: DeclarationImport['errors'] = [...parsed.errors, ...matched.errors];
  const store = new OfferStore(db);
  let accepted = 0;
  let refused = 0;
  for (const [kind, rows] of [['accept', matched.accepted], ['refuse', matched.refused]] as const) {
    for (const row of rows) {
      const offer = await store.get(row.offerId);
      try {
        await store.answer({
          offerId: row.offerId, answer: { kind, channel: 'exchange-file', agreementSha256: offer!.agreement_sha256 },
          actor: input.actor, today: input.today, answeredOn: row.declaredOn, at: input.at,
        });
        if (kind === 'accept') accepted++;
        else refused++;
      } catch (error) {
        if (!(error instanceof OfferRefused)) throw error;
        errors.push({ line: row.line, code: error.code, reason: error.bilingual });
      }
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { accepted, refused, repeats: matched.repeats.length, errors };
}
