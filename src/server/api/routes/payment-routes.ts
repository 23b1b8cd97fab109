import { z } from 'zod';
import { PaymentRefused, PaymentStore } from '../../../store/payment-store.ts';
import type { PaymentBatch } from '../../../domain/payment/payment-batch.ts';
import { ApiError, refusalAsAnswer } from '../api-error.ts';
import type { ApiServices, TypedApp } from '../app.ts';

/** The API's error for a payment refusal; null for any other error. */
function refusal(error: unknown): ApiError | null {
  if (!(error instanceof PaymentRefused)) return null;
  return new ApiError(error.code === 'not-found' ? 404 : error.code === 'same-person' ? 403 : 409, error.code, error.bilingual);
}

function translate(error: unknown): never {
  throw refusal(error) ?? error;
}

function describeBatch(batch: PaymentBatch) {
  const total = batch.items.reduce((sum, item) => sum + item.amountFen, 0n);
  const count = (status: string) => batch.items.filter((item) => item.status === status).length;
  return {
    batchId: batch.batchId, caseId: batch.caseId, status: batch.status, preparedBy: batch.preparedBy, approvedBy: batch.approvedBy, preparedOn: batch.preparedOn,
    totalFen: total, counts: { items: batch.items.length, pending: count('pending'), sent: count('sent'), paid: count('paid'), failed: count('failed') },
    items: batch.items,
  };
}

export function registerPaymentRoutes(app: TypedApp, services: ApiServices): void {
  const payments = new PaymentStore(services.database.db);
  const batchParams = z.object({ batchId: z.string() });

  app.post('/api/v1/cases/:caseId/payment-batches', {
    config: { access: { roles: ['administrator'] } },
    schema: { summary: 'Prepare a payment batch of every accepted offer that is due (after the acceptance window)', tags: ['payments'], params: z.object({ caseId: z.string() }) },
  }, async (request, reply) => {
    await services.answer(request, reply, (transaction) => refusalAsAnswer(refusal, async () => {
      const batch = await payments.prepare({ caseId: request.params.caseId, actor: request.actor, today: services.today(), at: services.clock.now() }, transaction ?? undefined);
      return { statusCode: 201, body: describeBatch(batch) };
    }));
  });

  app.get('/api/v1/payment-batches/:batchId', {
    config: { access: { roles: ['administrator', 'auditor'] } },
    schema: { summary: 'A payment batch and its items', tags: ['payments'], params: batchParams },
  }, async (request) => describeBatch(await payments.get(request.params.batchId).catch(translate)));

  app.post('/api/v1/payment-batches/:batchId/approve', {
    config: { access: { roles: ['administrator'] } },
    schema: { summary: 'Approve a batch: a second administrator, never its preparer (四眼原则)', tags: ['payments'], params: batchParams },
  }, async (request, reply) => {
    await services.answer(request, reply, (transaction) => refusalAsAnswer(refusal, async () => {
      const batch = await payments.approve({ batchId: request.params.batchId, actor: request.actor, at: services.clock.now() }, transaction ?? undefined);
      return { statusCode: 200, body: describeBatch(batch) };
    }));
  });

  app.post('/api/v1/payment-batches/:batchId/send', {
    config: { access: { roles: ['administrator'] } },
    schema: { summary: 'Send an approved batch: returns the payment instructions (CSV, docs/interop.md)', tags: ['payments'], params: batchParams },
  }, async (request, reply) => {
    await services.answer(request, reply, (transaction) => refusalAsAnswer(refusal, async () => {
      const { instructions } = await payments.send({ batchId: request.params.batchId, actor: request.actor, at: services.clock.now() }, transaction ?? undefined);
      return { statusCode: 200, body: instructions };
    }), { textType: 'text/csv; charset=utf-8' });
  });

  app.get('/api/v1/payment-batches/:batchId/instructions.csv', {
    config: { access: { roles: ['administrator', 'auditor'] } },
    schema: { summary: 'The payment instructions of a batch (CSV)', tags: ['payments'], params: batchParams },
  }, async (request, reply) => reply.type('text/csv; charset=utf-8').send(await payments.instructions(request.params.batchId).catch(translate)));

  app.post('/api/v1/payment-batches/:batchId/results', {
    config: { access: { roles: ['administrator'] } },
    schema: {
      summary: 'Import the bank\'s results (offer_id,amount,outcome,reason); bad rows are reported by line, the rest applied',
      tags: ['payments'],
      params: batchParams,
      body: z.strictObject({ csv: z.string().min(1).max(200 << 20) }),
    },
  }, async (request, reply) => {
    await services.answer(request, reply, (transaction) => refusalAsAnswer(refusal, async () => {
      const { batch, applied, errors } = await payments.importResults({ batchId: request.params.batchId, text: request.body.csv, actor: request.actor, today: services.today(), at: services.clock.now() }, transaction ?? undefined);
      return { statusCode: 200, body: { batch: describeBatch(batch), applied, rejected: errors } };
    }));
  });

  app.post('/api/v1/offers/:offerId/payment-route', {
    config: { access: { roles: ['administrator'] } },
    schema: {
      summary: 'Record where to pay an offer whose payment failed',
      tags: ['payments'],
      params: z.object({ offerId: z.string() }),
      body: z.strictObject({ kind: z.enum(['securities-account', 'bank-account']), reference: z.string().trim().min(1).max(64), reason: z.string().trim().min(1).max(2000) }),
    },
  }, async (request, reply) => {
    const { kind, reference, reason } = request.body;
    await services.answer(request, reply, (transaction) => refusalAsAnswer(refusal, async () => {
      await payments.reroute({ offerId: request.params.offerId, route: { kind, reference }, reason, actor: request.actor, at: services.clock.now() }, transaction ?? undefined);
      return { statusCode: 200, body: { offerId: request.params.offerId, route: { kind, reference } } };
    }));
  });
}
