import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Actor } from '../domain/access/roles.ts';
import { contentHash } from '../domain/content-hash.ts';
import type { IsoDate } from '../domain/market/calendar-date.ts';
import { reviewDispute, type DisputeResolution } from '../domain/offer/dispute-review.ts';
import { decideOfferAnswer, type OfferAnswer, type OfferDecision } from '../domain/offer/offer-decision.ts';
import type { CaseEvent } from '../domain/procedure/case-events.ts';
import { planDocumentOf } from '../domain/procedure/published-plans.ts';
import { fundPosition } from '../domain/fund/fund-position.ts';
import { offerAccepted } from '../domain/fund/ledger-rules.ts';
import { offerAmounts } from '../domain/offer/offer-amounts.ts';
import { appendAuditEntry } from './audit-log.ts';
import { ledgerState, postTransaction } from './ledger-store.ts';
import type { CourtAwardRow } from '../io/court-awards-file.ts';
import type { Tables } from './tables.ts';

/**
 * Offers and answers (procedure.md steps 8–9). Offers are made from a finished computation run
 * of the adopted plan: one per payable investor, for the run's total, carrying the plan version and
 * the hash of its settlement agreement. Each answer is decided by the pure rules of
 * `domain/offer/offer-decision.ts` against the offer locked for the decision, and written with its
 * audit entry in one transaction; repeating an answer changes nothing, so a retried request or a
 * declaration file imported twice is harmless.
 */
export class OfferRefused extends Error {
  readonly code: string;
  readonly bilingual: { zh: string; en: string };
  constructor(code: string, message: { zh: string; en: string }) {
    super(message.en);
    this.name = 'OfferRefused';
    this.code = code;
    this.bilingual = message;
  }
}

export interface IssueOffers {
  caseId: string;
  runId: string;
  actor: Actor;
  at: Date;
}

export interface AnswerOffer {
  offerId: string;
  answer: OfferAnswer;
  actor: Actor;
  today: IsoDate;
  /** When the investor answered, if not today (a declaration in the exchange's file): the window is judged on it. */
  answeredOn?: IsoDate;
  at: Date;
}

/** The hash an acceptance binds: the agreement of the plan version, as canonical JSON. */
export function agreementSha256(agreement: object): string {
  return contentHash(agreement as never);
}

export type OfferRow = Selectable<Tables['offers']>;

/** An offer's id, derived from its run and investor (the same expression as the insert of `issue`). */
export function offerId(runId: string, investor: string): string {
  return `offer-${createHash('sha256').update(`${runId}\u001f${investor}`).digest('hex').slice(0, 20)}`;
}

export class OfferStore {
  private readonly db: Kysely<Tables>;

  constructor(db: Kysely<Tables>) {
    this.db = db;
  }

  /** Makes the offers of a run; making them again returns what was made the first time. */
  async issue(input: IssueOffers): Promise<{ offers: number; totalFen: bigint; alreadyIssued: boolean; proRata: boolean }> {
    return this.db.transaction().execute(async (transaction) => {
      const run = await transaction.selectFrom('computation_runs').selectAll().where('id', '=', input.runId).where('case_id', '=', input.caseId).forUpdate().executeTakeFirst();
      if (!run) throw new OfferRefused('not-found', { zh: '未找到该计算批次', en: 'no such computation run in this case' });
      if (run.status !== 'finished') throw new OfferRefused('run-not-finished', { zh: '计算批次尚未完成', en: 'the computation run has not finished' });
      const events = (await transaction.selectFrom('case_events').select('event').where('case_id', '=', input.caseId).orderBy('seq').execute()).map((row) => row.event as unknown as CaseEvent);
      const adopted = events.filter((event) => event.type === 'plan-adopted').at(-1);
      if (!adopted || adopted.version !== run.plan_version || adopted.planHash !== run.plan_sha256) {
        throw new OfferRefused('not-the-adopted-plan', { zh: '该计算批次所用方案不是已通过的方案', en: 'this run was not computed on the adopted plan' });
      }
      const existing = await transaction.selectFrom('offers').select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.sum<string>('amount_fen').as('total')]).where('run_id', '=', input.runId).executeTakeFirstOrThrow();
      if (Number(existing.count) > 0) return { offers: Number(existing.count), totalFen: BigInt(existing.total ?? '0'), alreadyIssued: true, proRata: false };
      const superseded = await transaction.selectFrom('offers').select('id').where('case_id', '=', input.caseId).where('status', '=', 'offered').executeTakeFirst();
      if (superseded) {
        throw new OfferRefused('offers-outstanding', { zh: '本案已有未答复的要约', en: 'this case has offers out already; a new run replaces offers only through the dispute review' });
      }
      const { document } = planDocumentOf(events, adopted.version)!;
      const agreement = agreementSha256(document.agreement);
      // When the deposits do not cover the computed total and the plan says so, each investor is
      // offered a share of what the fund holds, in proportion to its amount (largest remainder).
      const computed = await transaction.selectFrom('investor_results').select((eb) => eb.fn.sum<string>('total_fen').as('total')).where('run_id', '=', input.runId).where('status', '=', 'payable').executeTakeFirstOrThrow();
      const position = fundPosition(await ledgerState(transaction, input.caseId));
      const availableFen = position.custodyFen - position.payableFen;
      const proRata = document.fund.shortfall === 'pro-rata' && availableFen < BigInt(computed.total ?? 0);
      if (proRata) {
        const results = await transaction.selectFrom('investor_results').select(['investor', 'total_fen']).where('run_id', '=', input.runId).where('status', '=', 'payable').execute();
        const { offers: amounts } = offerAmounts(results.map((row) => ({ investor: row.investor, amountFen: row.total_fen })), availableFen, 'pro-rata');
        const rows = amounts.map((offer) => ({
          id: offerId(input.runId, offer.investor), case_id: input.caseId, run_id: input.runId, investor: offer.investor, amount_fen: offer.amountFen, plan_version: run.plan_version, plan_sha256: run.plan_sha256,
          agreement_sha256: agreement, opens_on: document.timetable.acceptanceOpensOn, closes_on: document.timetable.acceptanceClosesOn, issued_at: input.at, status: 'offered' as const,
        }));
        for (let start = 0; start < rows.length; start += 500) await transaction.insertInto('offers').values(rows.slice(start, start + 500)).execute();
      } else {
        // One set-based insert: a case of 100k investors makes its offers in one statement.
        await sql`
        insert into offers (id, case_id, run_id, investor, amount_fen, plan_version, plan_sha256, agreement_sha256, opens_on, closes_on, issued_at, status)
        select 'offer-' || substr(encode(sha256(convert_to(${input.runId} || chr(31) || investor, 'UTF8')), 'hex'), 1, 20),
               ${input.caseId}, ${input.runId}, investor, total_fen, ${run.plan_version}, ${run.plan_sha256}, ${agreement},
               ${document.timetable.acceptanceOpensOn}::date, ${document.timetable.acceptanceClosesOn}::date, ${input.at}, 'offered'
        from investor_results where run_id = ${input.runId} and status = 'payable' and total_fen > 0`.execute(transaction);
      }
      const made = await transaction.selectFrom('offers').select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.sum<string>('amount_fen').as('total')]).where('run_id', '=', input.runId).executeTakeFirstOrThrow();
      const summary = { offers: Number(made.count), totalFen: BigInt(made.total ?? '0') };
      await appendAuditEntry(transaction, {
        caseId: input.caseId, actorId: input.actor.id, role: input.actor.role, at: input.at.toISOString(), command: 'issue-offers', reason: null,
        payload: { runId: input.runId, offers: summary.offers, totalFen: summary.totalFen, agreementSha256: agreement, proRata: proRata ? { availableFen, computedFen: BigInt(computed.total ?? 0) } : null }, outcome: 'accepted',
      });
      return { ...summary, alreadyIssued: false, proRata };
    });
  }

  /**
   * Decides and records an answer; refusals are audited too, and throw OfferRefused. In a caller's
   * transaction (an API request with an Idempotency-Key stores its answer in it), the caller must
   * let that transaction commit for a refusal's audit entry to stay.
   */
  async answer(input: AnswerOffer, outer?: Transaction<Tables>): Promise<{ decision: Extract<OfferDecision, { ok: true }>; offer: OfferRow }> {
    const decide = async (transaction: Transaction<Tables>) => {
      const offer = await transaction.selectFrom('offers').selectAll().where('id', '=', input.offerId).forUpdate().executeTakeFirst();
      if (!offer) throw new OfferRefused('not-found', { zh: '未找到该要约', en: 'no such offer' });
      // An investor answers only its own offers; others answer for it only at a counter, as administrators.
      if (input.actor.role === 'investor' ? offer.investor !== input.actor.id : input.actor.role !== 'administrator' || input.answer.channel === 'portal') {
        throw new OfferRefused('not-your-offer', { zh: '只能答复本人的要约', en: 'only the investor answers its offer (or an administrator at a counter or from the exchange file)' });
      }
      const decision = decideOfferAnswer(
        { offerId: offer.id, investor: offer.investor, amountFen: offer.amount_fen, planVersion: offer.plan_version, agreementSha256: offer.agreement_sha256, status: offer.status, window: { opensOn: offer.opens_on, closesOn: offer.closes_on } },
        input.answer,
        input.answeredOn ?? input.today,
      );
      // The ledger's lock, the audit log's and the case's offer tallies (which the status change
      // updates by trigger) are each held until commit, so every answer of a case waits for the one
      // before it from the first of them on. The answer's own row contends with no other request,
      // so it is written before any of them is taken.
      const answering = decision.ok && decision.firstTime;
      if (answering) {
        await transaction
          .insertInto('offer_answers')
          .values({
            offer_id: offer.id, kind: input.answer.kind, channel: input.answer.channel, answered_on: input.answeredOn ?? input.today, answered_at: input.at, actor_id: input.actor.id,
            agreement_sha256: input.answer.agreementSha256, reason: input.answer.reason ?? null,
            assignment: input.answer.kind === 'accept' ? JSON.stringify(await assignmentOf(transaction, offer)) : null,
          })
          .execute();
      }
      // An acceptance makes the amount payable to the investor (debit compensation, credit payables).
      // The ledger is written before the audit log, in the order every writer takes the two locks.
      if (answering && input.answer.kind === 'accept') {
        await postTransaction(transaction, offerAccepted({ id: `accept:${offer.id}`, fundId: offer.case_id, on: input.today, offerId: offer.id, investor: offer.investor, amountFen: offer.amount_fen }));
      }
      await appendAuditEntry(transaction, {
        caseId: offer.case_id, actorId: input.actor.id, role: input.actor.role, at: input.at.toISOString(), command: `${input.answer.kind}-offer`,
        reason: decision.ok ? (input.answer.reason ?? null) : decision.code,
        payload: { offerId: offer.id, channel: input.answer.channel, agreementSha256: input.answer.agreementSha256, reason: input.answer.reason ?? null },
        outcome: decision.ok ? 'accepted' : 'refused',
      });
      if (!decision.ok) return { decision, offer };
      if (decision.firstTime) await transaction.updateTable('offers').set({ status: decision.status }).where('id', '=', offer.id).execute();
      return { decision, offer: { ...offer, status: decision.status } };
    };
    const outcome = outer === undefined ? await this.db.transaction().execute(decide) : await decide(outer);
    // The refusal's audit entry is committed (or left to the caller's transaction); only then is the refusal raised.
    if (!outcome.decision.ok) throw new OfferRefused(outcome.decision.code, outcome.decision.message);
    return { decision: outcome.decision, offer: outcome.offer };
  }

  /**
   * Ends the review of a disputed offer. A correction rests on a new run of the same adopted plan
   * (the data fixed, the case recomputed); the investor's result in that run makes the new offer.
   */
  async resolveDispute(input: { offerId: string; resolution: 'upheld' | 'corrected'; note: string; runId?: string | undefined; actor: Actor; today: IsoDate; at: Date }): Promise<{ offer: OfferRow; replacement: OfferRow | null }> {
    return this.db.transaction().execute(async (transaction) => {
      const offer = await transaction.selectFrom('offers').selectAll().where('id', '=', input.offerId).forUpdate().executeTakeFirst();
      if (!offer) throw new OfferRefused('not-found', { zh: '未找到该要约', en: 'no such offer' });
      const events = (await transaction.selectFrom('case_events').select('event').where('case_id', '=', offer.case_id).orderBy('seq').execute()).map((row) => row.event as unknown as CaseEvent);
      const plan = planDocumentOf(events, offer.plan_version)!;
      let resolution: DisputeResolution;
      if (input.resolution === 'upheld') {
        resolution = { kind: 'upheld', note: input.note };
      } else {
        if (input.runId === undefined) throw new OfferRefused('run-required', { zh: '更正须指明重新计算的批次', en: 'a correction names the run that recomputed the case' });
        const run = await transaction.selectFrom('computation_runs').selectAll().where('id', '=', input.runId).where('case_id', '=', offer.case_id).executeTakeFirst();
        if (!run || run.status !== 'finished' || run.plan_sha256 !== offer.plan_sha256) {
          throw new OfferRefused('not-the-adopted-plan', { zh: '更正须依据同一方案下已完成的计算批次', en: 'a correction rests on a finished run of the same adopted plan' });
        }
        const result = await transaction.selectFrom('investor_results').select(['status', 'total_fen']).where('run_id', '=', run.id).where('investor', '=', offer.investor).executeTakeFirst();
        resolution = { kind: 'corrected', note: input.note, recomputed: { runId: run.id, amountFen: result?.status === 'payable' ? result.total_fen : null } };
      }
      const outcome = reviewDispute(
        { offerId: offer.id, investor: offer.investor, amountFen: offer.amount_fen, planVersion: offer.plan_version, agreementSha256: offer.agreement_sha256, status: offer.status, window: { opensOn: offer.opens_on, closesOn: offer.closes_on }, runId: offer.run_id ?? '' },
        resolution,
        input.today,
        plan.document.latePolicy.lateClaimDays,
      );
      if (!outcome.ok) throw new OfferRefused(outcome.code, outcome.message);
      await transaction.updateTable('offers').set({ status: outcome.old.status, closes_on: outcome.old.closesOn }).where('id', '=', offer.id).execute();
      let replacement: OfferRow | null = null;
      if (outcome.replacement) {
        replacement = {
          ...offer, id: offerId(outcome.replacement.runId, offer.investor), run_id: outcome.replacement.runId, amount_fen: outcome.replacement.amountFen,
          opens_on: input.today < offer.opens_on ? offer.opens_on : input.today, closes_on: outcome.replacement.closesOn, issued_at: input.at, status: 'offered',
        };
        await transaction.insertInto('offers').values(replacement).execute();
      }
      await transaction.insertInto('dispute_reviews').values({
        offer_id: offer.id, resolution: input.resolution, note: input.note, run_id: input.runId ?? null, new_offer_id: replacement?.id ?? null,
        reviewed_by: input.actor.id, reviewed_on: input.today, reviewed_at: input.at,
      }).execute();
      await appendAuditEntry(transaction, {
        caseId: offer.case_id, actorId: input.actor.id, role: input.actor.role, at: input.at.toISOString(), command: 'resolve-dispute', reason: input.note,
        payload: { offerId: offer.id, resolution: input.resolution, runId: input.runId ?? null, newOfferId: replacement?.id ?? null }, outcome: 'accepted',
      });
      return { offer: { ...offer, status: outcome.old.status, closes_on: outcome.old.closesOn }, replacement };
    });
  }

  /**
   * Amounts fixed by a court (procedure.md step 13), paid through the same rails: each becomes an
   * offer accepted by the judgment itself, payable in the ledger at once, so the next payment batch
   * takes it. A judgment and investor recorded before are repeats and change nothing.
   */
  async recordCourtAwards(input: { caseId: string; rows: readonly CourtAwardRow[]; actor: Actor; today: IsoDate; at: Date }): Promise<{ recorded: number; repeats: number; errors: { line: number; reason: string }[] }> {
    return this.db.transaction().execute(async (transaction) => {
      const events = (await transaction.selectFrom('case_events').select('event').where('case_id', '=', input.caseId).orderBy('seq').execute()).map((row) => row.event as unknown as CaseEvent);
      const adopted = events.filter((event) => event.type === 'plan-adopted').at(-1);
      if (!adopted) throw new OfferRefused('not-the-adopted-plan', { zh: '尚无经通过的方案，专项基金尚未设立', en: 'no plan has been adopted, so the case has no fund to pay from' });
      const agreement = agreementSha256(planDocumentOf(events, adopted.version)!.document.agreement);
      let recorded = 0;
      let repeats = 0;
      const errors: { line: number; reason: string }[] = [];
      for (const row of input.rows) {
        const id = `award-${createHash('sha256').update(`${input.caseId}\u001f${row.judgment}\u001f${row.investor}`).digest('hex').slice(0, 20)}`;
        const earlier = await transaction.selectFrom('offers').select('amount_fen').where('id', '=', id).executeTakeFirst();
        if (earlier) {
          if (earlier.amount_fen === row.amountFen) repeats++;
          else errors.push({ line: row.line, reason: `judgment ${row.judgment} was recorded for ${row.investor} with ${earlier.amount_fen} fen, not ${row.amountFen}` });
          continue;
        }
        await transaction.insertInto('offers').values({
          id, case_id: input.caseId, run_id: null, source: 'court-award', award_reference: row.judgment, investor: row.investor, amount_fen: row.amountFen,
          plan_version: adopted.version, plan_sha256: adopted.planHash, agreement_sha256: agreement, opens_on: row.judgmentDate, closes_on: row.judgmentDate, issued_at: input.at, status: 'accepted',
        }).execute();
        await postTransaction(transaction, offerAccepted({ id: `award:${id}`, fundId: input.caseId, on: input.today, offerId: id, investor: row.investor, amountFen: row.amountFen, memo: `court award ${row.judgment} of ${row.judgmentDate}` }));
        recorded++;
      }
      await appendAuditEntry(transaction, {
        caseId: input.caseId, actorId: input.actor.id, role: input.actor.role, at: input.at.toISOString(), command: 'record-court-awards', reason: null,
        payload: { rows: input.rows.map((row) => ({ investor: row.investor, amountFen: row.amountFen, judgment: row.judgment, judgmentDate: row.judgmentDate })), recorded, repeats }, outcome: 'accepted',
      });
      return { recorded, repeats, errors };
    });
  }

  async get(offerId: string) {
    return this.db.selectFrom('offers').selectAll().where('id', '=', offerId).executeTakeFirst();
  }

  async ofInvestor(investor: string) {
    return this.db.selectFrom('offers').selectAll().where('investor', '=', investor).orderBy('issued_at').orderBy('id').execute();
  }

  async answersOf(offerId: string) {
    return this.db.selectFrom('offer_answers').selectAll().where('offer_id', '=', offerId).orderBy('answered_at').execute();
  }
}

/**
 * What an acceptance assigns (债权转让): the investor's claims, up to the amount paid, against the
 * liable parties, to the case's funders, each in proportion to its pledge (Securities Law Art. 93).
 */
async function assignmentOf(transaction: Transaction<Tables>, offer: OfferRow) {
  // Only the events that name the parties: a case's events also carry every plan version in full.
  const events = (await transaction.selectFrom('case_events').select('event').where('case_id', '=', offer.case_id)
    .where('type', 'in', ['penalty-decision-recorded', 'opened-under-commitment', 'funder-added']).orderBy('seq').execute()).map((row) => row.event as unknown as CaseEvent);
  const opening = events[0] as Extract<CaseEvent, { type: 'penalty-decision-recorded' | 'opened-under-commitment' }>;
  const funders = events.filter((event) => event.type === 'funder-added');
  return {
    amountFen: offer.amount_fen.toString(),
    assignees: funders.map((funder) => ({ funderId: funder.funderId, name: funder.name, pledgeFen: funder.pledgeFen })),
    against: opening.liableParties.map((party) => ({ id: party.id, name: party.name, kind: party.kind })),
  };
}
