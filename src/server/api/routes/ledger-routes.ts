import { z } from 'zod';
import { fundPosition } from '../../../domain/fund/fund-position.ts';
import { balances, trialBalance } from '../../../domain/fund/ledger-state.ts';
import { ROLES } from '../../../domain/access/roles.ts';
import { LedgerRefused, ledgerState, recordFundMovement, type FundMovementKind } from '../../../store/ledger-store.ts';
import { ApiError } from '../api-error.ts';
import { publicProgressOf, reconciliationOf } from '../../../store/reconciliation-store.ts';
import type { ApiServices, TypedApp } from '../app.ts';

export function registerLedgerRoutes(app: TypedApp, services: ApiServices): void {
  const { db } = services.database;

  app.get('/api/v1/cases/:caseId/ledger', {
    config: { access: { roles: ['administrator', 'auditor'] } },
    schema: { summary: 'The special fund: its position, each account\'s balance and the trial balance, all derived from the postings', tags: ['fund'], params: z.object({ caseId: z.string() }) },
  }, async (request) => {
    const state = await ledgerState(db, request.params.caseId);
    return { fundId: request.params.caseId, position: fundPosition(state), balances: balances(state), trialBalance: trialBalance(state), transactions: state.transactions.size };
  });

  // Interest the custodian credits and the trustee's management fee (管理费): movements of the fund
  // itself, each under its bank reference, which is its idempotency key.
  const movement = (kind: FundMovementKind, summary: string) => {
    app.post(`/api/v1/cases/:caseId/ledger/${kind}`, {
      config: { access: { roles: ['administrator'] } },
      schema: {
        summary, tags: ['fund'], params: z.object({ caseId: z.string() }),
        body: z.strictObject({ amountFen: z.string().regex(/^[1-9]\d{0,17}$/), reference: z.string().trim().min(1).max(200), memo: z.string().max(2000).default('') }),
      },
    }, async (request, reply) => {
      const { amountFen, reference, memo } = request.body;
      const { state } = await recordFundMovement(db, {
        caseId: request.params.caseId, kind, amountFen: BigInt(amountFen), reference, memo, actor: request.actor, today: services.today(), at: services.clock.now(),
      }).catch((error: unknown) => {
        if (error instanceof LedgerRefused) throw new ApiError(409, error.code, error.bilingual);
        throw error;
      });
      return reply.code(201).send({ position: fundPosition(state) });
    });
  };
  movement('interest', 'Record interest the custodian credited to the fund; it may only go to compensation');
  movement('management-fee', 'Charge the trustee\'s management fee; it may take only free funds, never interest');

  app.get('/api/v1/cases/:caseId/reconciliation', {
    config: { access: { roles: ['administrator', 'auditor'] } },
    schema: { summary: 'Computed, offered, accepted, refused, disputed, paid, failed and the fund, as counts, amounts and percentages, with the checks between them', tags: ['fund'], params: z.object({ caseId: z.string() }) },
  }, async (request) => reconciliationOf(db, request.params.caseId));

  app.get('/api/v1/cases/:caseId/progress', {
    config: { access: { roles: ROLES } },
    schema: { summary: 'Public progress: investors and amounts accepted, paid, disputed and refused, as counts and percentages (no personal data)', tags: ['fund'], params: z.object({ caseId: z.string() }) },
  }, async (request) => {
    const progress = await publicProgressOf(db, request.params.caseId);
    return { offered: progress.offered, accepted: progress.accepted, paid: progress.paid, disputed: progress.disputed, refused: progress.refused, open: progress.open };
  });

  app.get('/api/v1/cases/:caseId/ledger/transactions', {
    config: { access: { roles: ['administrator', 'auditor'] } },
    schema: {
      summary: 'The fund\'s transactions with their postings, oldest first, a page at a time',
      tags: ['fund'],
      params: z.object({ caseId: z.string() }),
      querystring: z.object({ after: z.coerce.number().int().min(0).default(0).describe('the last sequence number of the previous page'), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    },
  }, async (request) => {
    const rows = await db.selectFrom('fund_transactions').select(['seq', 'id', 'kind', 'booked_on', 'memo', 'reverses', 'sha256', 'body', 'recorded_at'])
      .where('fund_id', '=', request.params.caseId).where('seq', '>', request.query.after).orderBy('seq').limit(request.query.limit).execute();
    return { transactions: rows, next: rows.length === request.query.limit ? rows.at(-1)!.seq : null };
  });
}
