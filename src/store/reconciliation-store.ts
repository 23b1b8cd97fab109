import { sql, type Kysely } from 'kysely';
import { fundPosition } from '../domain/fund/fund-position.ts';
import { reconcile, type Reconciliation, type Tally } from '../domain/fund/reconciliation.ts';
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
    awards: { count: Number(awarded.count), amountFen: BigInt(awarded.amount ?? 0) },
    payments: { paid: payment('paid'), failed: payment('failed') },
    ledger: fundPosition(await ledgerState(db, caseId)),
  });
}
