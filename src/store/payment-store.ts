import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../domain/access/roles.ts';
import type { IsoDate } from '../domain/market/calendar-date.ts';
import { applyResults, approveBatch, prepareBatch, sendBatch, type Decided, type PayableOffer, type PaymentBatch, type PaymentItem, type PaymentRoute } from '../domain/payment/payment-batch.ts';
import { parsePaymentResults, paymentInstructionsCsv, type ResultRowError } from '../io/payment-files.ts';
import { paymentSent } from '../domain/fund/ledger-rules.ts';
import { appendAuditEntry } from './audit-log.ts';
import { LedgerRefused, postTransaction } from './ledger-store.ts';
import type { Tables } from './tables.ts';

/**
 * Payment batches in the database. Each step loads the batch (locked), asks the pure rules of
 * `domain/payment/payment-batch.ts`, and writes the outcome with its audit entry in one
 * transaction. The database adds its own guard: a partial unique index lets an offer have only
 * one payment pending, sent or paid, so even two administrators preparing batches at the same
 * moment cannot put one offer in both (the second insert fails and its transaction rolls back).
 */
export class PaymentRefused extends Error {
  readonly code: string;
  readonly bilingual: { zh: string; en: string };
  constructor(code: string, message: { zh: string; en: string }) {
    super(message.en);
    this.name = 'PaymentRefused';
    this.code = code;
    this.bilingual = message;
  }
}

function settled<T>(decided: Decided<T>): T {
  if (!decided.ok) throw new PaymentRefused(decided.refusal.code, decided.refusal.message);
  return decided.value;
}

export class PaymentStore {
  private readonly db: Kysely<Tables>;

  constructor(db: Kysely<Tables>) {
    this.db = db;
  }

  /**
   * Runs a step in the caller's transaction when given one (an API request with an
   * Idempotency-Key stores its answer in it), else in a transaction of its own.
   */
  private within<T>(transaction: Transaction<Tables> | undefined, work: (transaction: Transaction<Tables>) => Promise<T>): Promise<T> {
    return transaction === undefined ? this.db.transaction().execute(work) : work(transaction);
  }

  async prepare(input: { caseId: string; actor: Actor; today: IsoDate; at: Date }, outer?: Transaction<Tables>): Promise<PaymentBatch> {
    return this.within(outer, async (transaction) => {
      // One preparer at a time per case: offers are read and put in a batch without a race.
      await sql`select pg_advisory_xact_lock(hashtext(${`payments:${input.caseId}`}))`.execute(transaction);
      // The plan's acceptance window: offers reopened after a dispute review have later ends of
      // their own, but they hold up only themselves (they are paid once accepted), not the batch.
      const window = await transaction.selectFrom('offers').select((eb) => eb.fn.min('closes_on').as('closes')).where('case_id', '=', input.caseId).executeTakeFirst();
      if (!window?.closes) throw new PaymentRefused('nothing-to-pay', { zh: '本案没有要约', en: 'this case has no offers' });
      const batch = settled(prepareBatch({
        batchId: `batch-${input.today.replaceAll('-', '')}-${randomBytes(4).toString('hex')}`,
        caseId: input.caseId, preparedBy: input.actor.id, today: input.today, windowClosesOn: String(window.closes),
        offers: await payableOffers(transaction, input.caseId),
      }));
      const total = batch.items.reduce((sum, item) => sum + item.amountFen, 0n);
      await transaction.insertInto('payment_batches').values({ id: batch.batchId, case_id: input.caseId, status: 'prepared', prepared_by: input.actor.id, prepared_on: input.today, prepared_at: input.at, items: batch.items.length, total_fen: total }).execute();
      for (let start = 0; start < batch.items.length; start += 500) {
        await transaction.insertInto('payment_items').values(batch.items.slice(start, start + 500).map((item) => ({
          batch_id: batch.batchId, offer_id: item.offerId, investor: item.investor, amount_fen: item.amountFen,
          route_kind: item.route.kind, route_reference: item.route.reference, attempt: item.attempt, status: 'pending' as const,
        }))).execute();
      }
      await audit(transaction, input, 'prepare-payment-batch', { batchId: batch.batchId, items: batch.items.length, totalFen: total });
      return batch;
    });
  }

  /**
   * Approves a prepared batch. A refused approval is audited and then thrown; in a caller's
   * transaction, the caller must let that transaction commit for the refusal to stay on record.
   */
  async approve(input: { batchId: string; actor: Actor; at: Date }, outer?: Transaction<Tables>): Promise<PaymentBatch> {
    return this.within(outer, async (transaction) => {
      const batch = await loadBatch(transaction, input.batchId);
      const decided = approveBatch(batch, input.actor.id);
      if (!decided.ok) {
        await audit(transaction, { ...input, caseId: batch.caseId }, 'approve-payment-batch', { batchId: batch.batchId }, decided.refusal.code);
        return decided;
      }
      await transaction.updateTable('payment_batches').set({ status: 'approved', approved_by: input.actor.id, approved_at: input.at }).where('id', '=', batch.batchId).execute();
      await audit(transaction, { ...input, caseId: batch.caseId }, 'approve-payment-batch', { batchId: batch.batchId });
      return decided;
    }).then(settled);
  }

  /** Sends an approved batch: its items go to the bank; returns the instructions file. */
  async send(input: { batchId: string; actor: Actor; at: Date }, outer?: Transaction<Tables>): Promise<{ batch: PaymentBatch; instructions: string }> {
    return this.within(outer, async (transaction) => {
      const sent = settled(sendBatch(await loadBatch(transaction, input.batchId)));
      await transaction.updateTable('payment_batches').set({ status: 'sent', sent_at: input.at }).where('id', '=', sent.batchId).execute();
      await transaction.updateTable('payment_items').set({ status: 'sent' }).where('batch_id', '=', sent.batchId).execute();
      await audit(transaction, { ...input, caseId: sent.caseId }, 'send-payment-batch', { batchId: sent.batchId });
      return { batch: sent, instructions: paymentInstructionsCsv(sent) };
    });
  }

  async instructions(batchId: string): Promise<string> {
    return this.db.transaction().execute(async (transaction) => paymentInstructionsCsv(await loadBatch(transaction, batchId)));
  }

  /**
   * Imports the bank's results. Rows that cannot be read, or that name an offer not in the batch,
   * another amount, or contradict a result already recorded, are reported with their line and
   * reason; the other rows are applied. Importing the same file again changes nothing.
   */
  async importResults(input: { batchId: string; text: string; actor: Actor; today: IsoDate; at: Date }, outer?: Transaction<Tables>): Promise<{ batch: PaymentBatch; applied: number; errors: ResultRowError[] }> {
    return this.within(outer, async (transaction) => {
      let batch = await loadBatch(transaction, input.batchId);
      const { results, errors } = parsePaymentResults(input.text);
      const changed: PaymentItem[] = [];
      for (const result of results) {
        // One row at a time, so a bad row is reported on its own line and the others still apply.
        const decided = applyResults(batch, [result]);
        if (!decided.ok) {
          errors.push({ line: result.line, reason: decided.refusal.message.en });
          continue;
        }
        // A payment made leaves custody and settles the payable, in the same transaction as its
        // result; a payment the ledger cannot take (more than custody holds) is reported, not applied.
        const paid = decided.value.changed.find((entry) => entry.status === 'paid');
        if (paid) {
          try {
            await postTransaction(transaction, paymentSent({
              id: `payment:${paid.offerId}:${paid.attempt}`, fundId: batch.caseId, on: input.today, offerId: paid.offerId, investor: paid.investor, amountFen: paid.amountFen,
              memo: `batch ${batch.batchId}`,
            }));
          } catch (error) {
            if (!(error instanceof LedgerRefused)) throw error;
            errors.push({ line: result.line, reason: error.message });
            continue;
          }
        }
        batch = decided.value.batch;
        changed.push(...decided.value.changed);
      }
      for (const item of changed) {
        await transaction.updateTable('payment_items').set({ status: item.status, failure: item.failure, settled_at: input.at }).where('batch_id', '=', batch.batchId).where('offer_id', '=', item.offerId).execute();
      }
      await transaction.updateTable('payment_batches').set({ status: batch.status }).where('id', '=', batch.batchId).execute();
      errors.sort((a, b) => a.line - b.line);
      await audit(transaction, { ...input, caseId: batch.caseId }, 'import-payment-results', { batchId: batch.batchId, applied: changed.length, rejected: errors.length });
      return { batch, applied: changed.length, errors };
    });
  }

  /** Records where to pay an offer whose payment failed (an account the investor or its heir gave). */
  async reroute(input: { offerId: string; route: PaymentRoute; reason: string; actor: Actor; at: Date }, outer?: Transaction<Tables>): Promise<void> {
    await this.within(outer, async (transaction) => {
      const offer = await transaction.selectFrom('offers').select(['case_id', 'status']).where('id', '=', input.offerId).executeTakeFirst();
      if (!offer) throw new PaymentRefused('not-found', { zh: '未找到该要约', en: 'no such offer' });
      const live = await transaction.selectFrom('payment_items').select('status').where('offer_id', '=', input.offerId).where('status', 'in', ['pending', 'sent', 'paid']).executeTakeFirst();
      if (live) throw new PaymentRefused('payment-live', { zh: `该要约的付款状态为 ${live.status}，不能改路径`, en: `this offer's payment is ${live.status}; its route cannot change` });
      await transaction
        .insertInto('payment_routes')
        .values({ offer_id: input.offerId, route_kind: input.route.kind, route_reference: input.route.reference, reason: input.reason, recorded_by: input.actor.id, recorded_at: input.at })
        .onConflict((conflict) => conflict.column('offer_id').doUpdateSet({ route_kind: input.route.kind, route_reference: input.route.reference, reason: input.reason, recorded_by: input.actor.id, recorded_at: input.at }))
        .execute();
      await audit(transaction, { ...input, caseId: offer.case_id }, 'reroute-payment', { offerId: input.offerId, route: { ...input.route }, reason: input.reason });
    });
  }

  async get(batchId: string): Promise<PaymentBatch> {
    return this.db.transaction().execute((transaction) => loadBatch(transaction, batchId, false));
  }
}

/** Accepted offers with their latest payment and where to pay them now. */
async function payableOffers(transaction: Transaction<Tables>, caseId: string): Promise<PayableOffer[]> {
  const rows = await transaction
    .selectFrom('offers as o')
    .leftJoin('payment_routes as r', 'r.offer_id', 'o.id')
    .select(['o.id', 'o.investor', 'o.amount_fen', 'r.route_kind', 'r.route_reference'])
    .select((eb) => [
      eb.selectFrom('payment_items as p').select('p.attempt').whereRef('p.offer_id', '=', 'o.id').orderBy('p.attempt', 'desc').limit(1).as('last_attempt'),
      eb.selectFrom('payment_items as p').select('p.status').whereRef('p.offer_id', '=', 'o.id').orderBy('p.attempt', 'desc').limit(1).as('last_status'),
    ])
    .where('o.case_id', '=', caseId)
    .where('o.status', '=', 'accepted')
    .execute();
  return rows.map((row) => {
    const lastAttempt = row.last_attempt === null ? null : { attempt: row.last_attempt, status: row.last_status! };
    // A first payment goes to the fund account behind the investor's securities accounts, which the
    // custodian resolves from the investor id; after a failure, only a route recorded since is tried.
    const route: PaymentRoute | null = row.route_kind !== null
      ? { kind: row.route_kind, reference: row.route_reference! }
      : lastAttempt === null ? { kind: 'securities-account', reference: row.investor } : null;
    return { offerId: row.id, investor: row.investor, amountFen: row.amount_fen, lastAttempt, route };
  });
}

async function loadBatch(transaction: Transaction<Tables>, batchId: string, lock = true): Promise<PaymentBatch> {
  let query = transaction.selectFrom('payment_batches').selectAll().where('id', '=', batchId);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new PaymentRefused('not-found', { zh: '未找到该付款批次', en: 'no such payment batch' });
  const items = await transaction.selectFrom('payment_items').selectAll().where('batch_id', '=', batchId).orderBy('investor').orderBy('offer_id').execute();
  return {
    batchId: row.id, caseId: row.case_id, status: row.status, preparedBy: row.prepared_by, approvedBy: row.approved_by, preparedOn: row.prepared_on,
    items: items.map((item) => ({
      offerId: item.offer_id, investor: item.investor, amountFen: item.amount_fen, route: { kind: item.route_kind, reference: item.route_reference },
      attempt: item.attempt, status: item.status, failure: item.failure,
    })),
  };
}

async function audit(transaction: Transaction<Tables>, input: { caseId: string; actor: Actor; at: Date }, command: string, payload: Record<string, unknown>, refusal?: string): Promise<void> {
  await appendAuditEntry(transaction, {
    caseId: input.caseId, actorId: input.actor.id, role: input.actor.role, at: input.at.toISOString(), command, reason: refusal ?? null,
    payload: payload as never, outcome: refusal === undefined ? 'accepted' : 'refused',
  });
}
