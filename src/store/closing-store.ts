import { sql, type Kysely } from 'kysely';
import type { Actor } from '../domain/access/roles.ts';
import { decideResidualReturn } from '../domain/fund/closing.ts';
import { fundPosition } from '../domain/fund/fund-position.ts';
import { residualReturned, treasuryRemitted } from '../domain/fund/ledger-rules.ts';
import { residualShares } from '../domain/fund/residual-shares.ts';
import type { IsoDate } from '../domain/market/calendar-date.ts';
import type { CaseEvent } from '../domain/procedure/case-events.ts';
import { adoptedPlanOf, planDocumentOf } from '../domain/procedure/published-plans.ts';
import { appendAuditEntry } from './audit-log.ts';
import { ledgerState, postTransaction } from './ledger-store.ts';
import type { Tables } from './tables.ts';

export class ClosingRefused extends Error {
  readonly code: string;
  readonly bilingual: { zh: string; en: string };
  constructor(code: string, message: { zh: string; en: string }) {
    super(message.en);
    this.name = 'ClosingRefused';
    this.code = code;
    this.bilingual = message;
  }
}

/**
 * Hands back what is left in the fund (procedure.md step 11), once `decideResidualReturn` allows:
 * to the funders pro rata to their contributions, or to the treasury when the case opened under an
 * administrative-settlement commitment. One transaction, id `residual:<case>`, so it happens once.
 */
export async function returnResidual(db: Kysely<Tables>, input: { caseId: string; actor: Actor; today: IsoDate; at: Date }): Promise<{ kind: 'funders' | 'treasury'; residualFen: bigint; shares: { funderId: string; amountFen: bigint }[] }> {
  return db.transaction().execute(async (transaction) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`payments:${input.caseId}`}))`.execute(transaction);
    const events = (await transaction.selectFrom('case_events').select('event').where('case_id', '=', input.caseId).orderBy('seq').execute()).map((row) => row.event as unknown as CaseEvent);
    const adopted = adoptedPlanOf(events);
    if (adopted === null) throw new ClosingRefused('no-adopted-plan', { zh: '尚无经通过的方案', en: 'no plan has been adopted' });
    const { document } = planDocumentOf(events, adopted.version)!;
    const count = async (query: Promise<{ count: string | number | bigint }>) => Number((await query).count);
    const state = await ledgerState(transaction, input.caseId);
    const position = fundPosition(state);
    const decision = decideResidualReturn({
      today: input.today,
      acceptanceClosesOn: document.timetable.acceptanceClosesOn,
      lateClaimDays: document.latePolicy.lateClaimDays,
      openOffers: await count(transaction.selectFrom('offers').select((eb) => eb.fn.countAll<string>().as('count')).where('case_id', '=', input.caseId).where('status', '=', 'offered').where('closes_on', '>=', input.today).executeTakeFirstOrThrow()),
      disputedOffers: await count(transaction.selectFrom('offers').select((eb) => eb.fn.countAll<string>().as('count')).where('case_id', '=', input.caseId).where('status', '=', 'disputed').executeTakeFirstOrThrow()),
      paymentsInFlight: await count(transaction.selectFrom('payment_items as p').innerJoin('offers as o', 'o.id', 'p.offer_id').select((eb) => eb.fn.countAll<string>().as('count')).where('o.case_id', '=', input.caseId).where('p.status', 'in', ['pending', 'sent']).executeTakeFirstOrThrow()),
      payableFen: position.payableFen,
      custodyFen: position.custodyFen,
    });
    if (!decision.ok) throw new ClosingRefused(decision.code, decision.message);
    const underCommitment = events[0]?.type === 'opened-under-commitment';
    const header = { id: `residual:${input.caseId}`, fundId: input.caseId, on: input.today, memo: 'residual at close' };
    const shares = underCommitment ? [] : residualShares(state, decision.residualFen);
    await postTransaction(transaction, underCommitment ? treasuryRemitted({ ...header, amountFen: decision.residualFen }) : residualReturned({ ...header, shares }));
    await appendAuditEntry(transaction, {
      caseId: input.caseId, actorId: input.actor.id, role: input.actor.role, at: input.at.toISOString(), command: 'return-residual', reason: null,
      payload: { residualFen: decision.residualFen, to: underCommitment ? 'treasury' : 'funders', shares: shares.map((share) => ({ ...share })) }, outcome: 'accepted',
    });
    return { kind: underCommitment ? 'treasury' : 'funders', residualFen: decision.residualFen, shares };
  });
}
