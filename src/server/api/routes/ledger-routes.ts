import { z } from 'zod';
import { fundPosition } from '../../../domain/fund/fund-position.ts';
import { balances, trialBalance } from '../../../domain/fund/ledger-state.ts';
import { ledgerState } from '../../../store/ledger-store.ts';
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
