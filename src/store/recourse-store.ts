import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../domain/access/roles.ts';
import type { IsoDate } from '../domain/market/calendar-date.ts';
import { recoveryReceived } from '../domain/fund/ledger-rules.ts';
import type { CaseEvent } from '../domain/procedure/case-events.ts';
import { adoptedPlanOf } from '../domain/procedure/published-plans.ts';
import { assignClaims, type AssignedClaimsRegister } from '../domain/recourse/assigned-claims.ts';
import { allocateByFault, type PartyFault } from '../domain/recourse/fault-allocation.ts';
import { openRecourse, overrideLimitationDate, recordRecovery, type RecourseBook } from '../domain/recourse/recourse-claims.ts';
import { appendAuditEntry } from './audit-log.ts';
import { ledgerState, postTransaction } from './ledger-store.ts';
import type { Tables } from './tables.ts';

/**
 * Recourse in the database (procedure.md step 12). The register of assigned claims comes from the
 * offers accepted and paid, each split among the funders by what they contributed; the book of
 * who recovers what from whom is rebuilt from the latest allocation by degree of fault, the
 * recoveries and the limitation overrides recorded, by the pure rules of `domain/recourse`.
 */
export class RecourseRefused extends Error {
  readonly code: string;
  readonly bilingual: { zh: string; en: string };
  constructor(code: string, message: { zh: string; en: string }) {
    super(message.en);
    this.name = 'RecourseRefused';
    this.code = code;
    this.bilingual = message;
  }
}

type Refusal = { ok: false; refusal: { code: string; message: { zh: string; en: string } } };
function settled<T extends { ok: boolean }>(outcome: T): Exclude<T, Refusal> {
  if (!outcome.ok) {
    const { refusal } = outcome as unknown as Refusal;
    throw new RecourseRefused(refusal.code, refusal.message);
  }
  return outcome as Exclude<T, Refusal>;
}

async function caseEvents(executor: Kysely<Tables>, caseId: string): Promise<CaseEvent[]> {
  return (await executor.selectFrom('case_events').select('event').where('case_id', '=', caseId).orderBy('seq').execute()).map((row) => row.event as unknown as CaseEvent);
}

/** The claims the investors assigned (债权转让), for the offers accepted and paid. */
export async function assignedClaimsRegister(executor: Kysely<Tables>, caseId: string): Promise<AssignedClaimsRegister> {
  const state = await ledgerState(executor, caseId);
  const offers = [...state.offers].filter(([, offer]) => offer.acceptedFen > 0n && offer.payableFen === 0n).map(([offerId, offer]) => ({ offerId, investor: offer.investor, amountFen: offer.acceptedFen }));
  const funders = [...state.funders].filter(([, funder]) => funder.contributedFen > 0n).map(([funderId, funder]) => ({ funderId, paidFen: funder.contributedFen }));
  return settled(assignClaims(offers, funders)).register;
}

/** The recourse book as recorded so far, or null before an allocation by fault was recorded. */
export async function recourseBook(executor: Kysely<Tables>, caseId: string): Promise<{ book: RecourseBook; register: AssignedClaimsRegister; version: number } | null> {
  const allocation = await executor.selectFrom('recourse_allocations').selectAll().where('case_id', '=', caseId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!allocation) return null;
  const events = await caseEvents(executor, caseId);
  const register = await assignedClaimsRegister(executor, caseId);
  const allocated = settled(allocateByFault(register.totalFen, allocation.faults as unknown as PartyFault[])).allocation;
  // Who paid: each funder for its part of the claims, as the liable party it is (or a third party).
  const partyOf = new Map(events.filter((event) => event.type === 'funder-added').map((event) => [event.funderId, event.liableParty]));
  const payments = register.totals.map((total) => {
    const party = partyOf.get(total.funderId);
    return party === undefined || party === 'other' ? { payerId: total.funderId, paidFen: total.amountFen, thirdParty: true } : { payerId: party, paidFen: total.amountFen };
  });
  const disclosureDate = adoptedPlanOf(events)?.lossParameters.disclosureDate;
  if (disclosureDate === undefined) throw new RecourseRefused('no-adopted-plan', { zh: '尚无经通过的方案，揭露日未定', en: 'no plan is adopted, so the disclosure date is not fixed' });
  let book = settled(openRecourse({ allocation: allocated, payments, disclosureDate })).book;
  const overrides = await executor.selectFrom('recourse_limitation_overrides').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  const recoveries = await executor.selectFrom('recourse_recoveries').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  for (const override of overrides) book = settled(overrideLimitationDate(book, { party: override.party, date: override.limit_date, reason: override.reason })).book;
  for (const recovery of recoveries) {
    book = settled(recordRecovery(book, { creditor: recovery.creditor, debtor: recovery.debtor, amountFen: recovery.amount_fen, on: recovery.received_on, reference: recovery.reference })).book;
  }
  return { book, register, version: allocation.version };
}

export async function recordAllocation(db: Kysely<Tables>, input: { caseId: string; faults: PartyFault[]; basis: string; actor: Actor; at: Date }): Promise<number> {
  return db.transaction().execute(async (transaction) => {
    await lock(transaction, input.caseId);
    const register = await assignedClaimsRegister(transaction, input.caseId);
    settled(allocateByFault(register.totalFen, input.faults));
    const last = await transaction.selectFrom('recourse_allocations').select((eb) => eb.fn.max('version').as('version')).where('case_id', '=', input.caseId).executeTakeFirst();
    const version = Number(last?.version ?? 0) + 1;
    await transaction.insertInto('recourse_allocations').values({ case_id: input.caseId, version, faults: JSON.stringify(input.faults), basis: input.basis, decided_by: input.actor.id, decided_at: input.at }).execute();
    await recourseBook(transaction, input.caseId);
    await audit(transaction, input, 'record-recourse-allocation', { version, faults: input.faults as never, basis: input.basis });
    return version;
  });
}

/** A recovery received into the fund from a liable party, recorded in the book and the ledger at once. */
export async function recordRecourseRecovery(db: Kysely<Tables>, input: { caseId: string; creditor: string; debtor: string; amountFen: bigint; receivedOn: IsoDate; reference: string; actor: Actor; today: IsoDate; at: Date }): Promise<void> {
  await db.transaction().execute(async (transaction) => {
    await lock(transaction, input.caseId);
    const current = await recourseBook(transaction, input.caseId);
    if (current === null) throw new RecourseRefused('no-allocation', { zh: '尚未确定各责任主体的责任份额', en: 'no allocation by degree of fault has been recorded yet' });
    settled(recordRecovery(current.book, { creditor: input.creditor, debtor: input.debtor, amountFen: input.amountFen, on: input.receivedOn, reference: input.reference }));
    const seq = current.book.recoveries.length + 1;
    await transaction.insertInto('recourse_recoveries').values({ case_id: input.caseId, reference: input.reference, creditor: input.creditor, debtor: input.debtor, amount_fen: input.amountFen, received_on: input.receivedOn, recorded_by: input.actor.id, recorded_at: input.at, seq }).execute();
    await postTransaction(transaction, recoveryReceived({ id: `recovery:${input.reference}`, fundId: input.caseId, on: input.today, partyId: input.debtor, amountFen: input.amountFen, memo: `recovery for ${input.creditor}, received ${input.receivedOn}` }));
    await audit(transaction, input, 'record-recovery', { creditor: input.creditor, debtor: input.debtor, amountFen: input.amountFen, receivedOn: input.receivedOn, reference: input.reference });
  });
}

export async function recordLimitationOverride(db: Kysely<Tables>, input: { caseId: string; party: string; date: IsoDate; reason: string; actor: Actor; at: Date }): Promise<void> {
  await db.transaction().execute(async (transaction) => {
    await lock(transaction, input.caseId);
    const current = await recourseBook(transaction, input.caseId);
    if (current === null) throw new RecourseRefused('no-allocation', { zh: '尚未确定各责任主体的责任份额', en: 'no allocation by degree of fault has been recorded yet' });
    settled(overrideLimitationDate(current.book, { party: input.party, date: input.date, reason: input.reason }));
    const seq = (await transaction.selectFrom('recourse_limitation_overrides').select((eb) => eb.fn.countAll<string>().as('count')).where('case_id', '=', input.caseId).executeTakeFirstOrThrow()).count;
    await transaction.insertInto('recourse_limitation_overrides').values({ case_id: input.caseId, seq: Number(seq) + 1, party: input.party, limit_date: input.date, reason: input.reason, recorded_by: input.actor.id, recorded_at: input.at }).execute();
    await audit(transaction, input, 'override-limitation-date', { party: input.party, date: input.date, reason: input.reason });
  });
}

async function lock(transaction: Transaction<Tables>, caseId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`recourse:${caseId}`}))`.execute(transaction);
}

async function audit(transaction: Transaction<Tables>, input: { caseId: string; actor: Actor; at: Date }, command: string, payload: Record<string, unknown>): Promise<void> {
  await appendAuditEntry(transaction, { caseId: input.caseId, actorId: input.actor.id, role: input.actor.role, at: input.at.toISOString(), command, reason: null, payload: payload as never, outcome: 'accepted' });
}
