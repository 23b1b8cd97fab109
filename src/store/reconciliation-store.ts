import { sql, type Kysely } from 'kysely';
import { fundPosition } from '../domain/fund/fund-position.ts';
import { progressOf, reconcile, type OfferTallies, type Progress, type Reconciliation, type Tally } from '../domain/fund/reconciliation.ts';
import { ledgerState } from './ledger-store.ts';
import type { Tables } from './tables.ts';

/** Reads the three records of a case — its latest run, its offers and payments, its ledger — and reconciles them. */
export async function reconciliationOf(db: Kysely<Tables>, caseId: string): Promise<Reconciliation> {
  const run = await db.selectFrom('computation_runs').select(['investors', 'payable', 'id']).where('case_id', '=', caseId).where('status', '=', 'finished').orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const payableTotal = run
    ? await db.selectFrom('investor_results').select((eb) => eb.fn.sum<string>('total_fen').as('total')).where('run_id', '=', run.id).where('status', '=', 'payable').executeTakeFirstOrThrow()
    : { total: '0' };
  const byStatus = await db.selectFrom('offers').select(['status']).select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.sum<string>('amount_fen').as('amount')]).where('case_id', '=', caseId).where('source', '=', 'computation').groupBy('status').execute();
  const awarded = await db.selectFrom('offers').select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.sum<string>('amount_fen').as('amount')]).where('case_id', '=', caseId).where('source', '=', 'court-award').executeTakeFirstOrThrow();
  const tally = (status: string): Tally => {
    const row = byStatus.find((entry) => entry.status === status);
    return { count: Number(row?.count ?? 0), amountFen: BigInt(row?.amount ?? 0) };
  };
  // Each offer counts by its latest payment only: a failure followed by a paid retry is paid.
  const latest = await sql<{ status: string; count: string; amount: string | null }>`
    select status, count(*) as count, sum(amount_fen) as amount from (
      select distinct on (p.offer_id) p.status, p.amount_fen
      from payment_items p join offers o on o.id = p.offer_id
      where o.case_id = ${caseId}
      order by p.offer_id, p.attempt desc
    ) last group by status`.execute(db);
  const payment = (status: string): Tally => {
    const row = latest.rows.find((entry) => entry.status === status);
    return { count: Number(row?.count ?? 0), amountFen: BigInt(row?.amount ?? 0) };
  };
  return reconcile({
    computed: { investors: run?.investors ?? 0, payable: { count: run?.payable ?? 0, amountFen: BigInt(payableTotal.total ?? 0) } },
    offers: { offered: tally('offered'), accepted: tally('accepted'), refused: tally('refused'), disputed: tally('disputed'), superseded: tally('superseded') },
    runningTallies: (await runningOfferTallies(db, caseId)).computation,
    awards: { count: Number(awarded.count), amountFen: BigInt(awarded.amount ?? 0) },
    payments: { paid: payment('paid'), failed: payment('failed') },
    ledger: fundPosition(await ledgerState(db, caseId)),
  });
}

const NO_OFFERS: Tally = { count: 0, amountFen: 0n };

/**
 * A case's offers by status, from the tallies the database keeps by trigger (migration 0010): a
 * few rows to read, whatever the number of investors. Offers made from computations, and amounts
 * fixed by courts, apart.
 */
export async function runningOfferTallies(db: Kysely<Tables>, caseId: string): Promise<{ computation: OfferTallies; courtAward: OfferTallies }> {
  const rows = await db.selectFrom('offer_tallies').select(['source', 'status', 'offers', 'amount_fen']).where('case_id', '=', caseId).execute();
  const of = (source: string): OfferTallies => {
    const tally = (status: string): Tally => {
      const row = rows.find((entry) => entry.source === source && entry.status === status);
      return row ? { count: Number(row.offers), amountFen: row.amount_fen } : NO_OFFERS;
    };
    return { offered: tally('offered'), accepted: tally('accepted'), refused: tally('refused'), disputed: tally('disputed'), superseded: tally('superseded') };
  };
  return { computation: of('computation'), courtAward: of('court-award') };
}

/** Public progress from the running tallies and the fund's ledger (which counts what has been paid). */
export async function publicProgressOf(db: Kysely<Tables>, caseId: string): Promise<Progress & { computed: { investors: number; payable: Tally } }> {
  const { computation } = await runningOfferTallies(db, caseId);
  const position = fundPosition(await ledgerState(db, caseId));
  const run = await db.selectFrom('computation_runs').select(['investors', 'payable', 'total_fen']).where('case_id', '=', caseId).where('status', '=', 'finished').orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const { share: _share, ...progress } = progressOf(computation, { count: position.offersPaid, amountFen: position.paidFen });
  return { computed: { investors: run?.investors ?? 0, payable: { count: run?.payable ?? 0, amountFen: BigInt(run?.total_fen ?? 0) } }, ...progress };
}

/** Offers by status, computations and court awards together, with the statuses that have any. */
export function offerCountsByStatus(tallies: { computation: OfferTallies; courtAward: OfferTallies }): { status: keyof OfferTallies; count: number; totalFen: bigint }[] {
  return (['offered', 'accepted', 'refused', 'disputed', 'superseded'] as const)
    .map((status) => ({ status, count: tallies.computation[status].count + tallies.courtAward[status].count, totalFen: tallies.computation[status].amountFen + tallies.courtAward[status].amountFen }))
    .filter((entry) => entry.count > 0);
}
