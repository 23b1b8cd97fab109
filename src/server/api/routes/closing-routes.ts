import { z } from 'zod';
import { formatFen } from '../../../domain/money/fen.ts';
import { fundPosition } from '../../../domain/fund/fund-position.ts';
import { trialBalance } from '../../../domain/fund/ledger-state.ts';
import { csvField } from '../../../io/compensation-csv.ts';
import { verifyAuditLog } from '../../../store/audit-log.ts';
import { ledgerState } from '../../../store/ledger-store.ts';
import { reconciliationOf } from '../../../store/reconciliation-store.ts';
import { CaseStore } from '../../../store/case-store.ts';
import { ApiError, notFound } from '../api-error.ts';
import { ClosingRefused, returnResidual } from '../../../store/closing-store.ts';
import { LedgerRefused } from '../../../store/ledger-store.ts';
import { OfferRefused, OfferStore } from '../../../store/offer-store.ts';
import { parseCourtAwards } from '../../../io/court-awards-file.ts';
import type { ApiServices, TypedApp } from '../app.ts';
import { publicCaseView } from '../case-views.ts';

/**
 * What a case hands on at its end (procedure.md steps 11 and 13): the auditor's pack, and the
 * investors whom the advance compensation did not settle — those who refused, those who did not
 * answer, those the plan did not cover — with their computed amounts, for representative litigation.
 */
export function registerClosingRoutes(app: TypedApp, services: ApiServices): void {
  const { db } = services.database;
  const cases = new CaseStore(db);

  app.post('/api/v1/cases/:caseId/residual-return', {
    config: { access: { roles: ['administrator'] } },
    schema: { summary: 'Hand back what is left in the fund after the late-claim period: to the funders pro rata, or to the treasury under a commitment', tags: ['fund'], params: z.object({ caseId: z.string() }) },
  }, async (request) => {
    try {
      return await returnResidual(db, { caseId: request.params.caseId, actor: request.actor, today: services.today(), at: services.clock.now() });
    } catch (error) {
      if (error instanceof ClosingRefused || error instanceof LedgerRefused) throw new ApiError(409, error.code, error.bilingual);
      throw error;
    }
  });

  app.post('/api/v1/cases/:caseId/court-awards', {
    config: { access: { roles: ['administrator'] } },
    schema: {
      summary: 'Record amounts fixed by courts (investor,amount,judgment,judgment_date) to be paid through the fund\'s payment batches; bad rows come back with line and reason; repeats change nothing',
      tags: ['fund'],
      params: z.object({ caseId: z.string() }),
      body: z.strictObject({ csv: z.string().min(1).max(50 << 20) }),
    },
  }, async (request) => {
    const parsed = parseCourtAwards(request.body.csv);
    try {
      const result = await new OfferStore(db).recordCourtAwards({ caseId: request.params.caseId, rows: parsed.rows, actor: request.actor, today: services.today(), at: services.clock.now() });
      return { ...result, errors: [...parsed.errors, ...result.errors].sort((a, b) => a.line - b.line) };
    } catch (error) {
      if (error instanceof OfferRefused || error instanceof LedgerRefused) throw new ApiError(409, error.code, error.bilingual);
      throw error;
    }
  });

  app.get('/api/v1/cases/:caseId/auditor-pack', {
    config: { access: { roles: ['auditor', 'administrator'] } },
    schema: { summary: 'The auditor\'s pack: the case, the reconciliation, the ledger with every transaction and posting, the payment batches, the runs, and the audit chain\'s verification', tags: ['fund'], params: z.object({ caseId: z.string() }) },
  }, async (request) => {
    const loaded = await cases.load(request.params.caseId);
    if (loaded === null) throw notFound({ zh: '案件', en: 'case' });
    const state = await ledgerState(db, request.params.caseId);
    const transactions = await db.selectFrom('fund_transactions').select(['seq', 'id', 'kind', 'booked_on', 'memo', 'reverses', 'sha256', 'body']).where('fund_id', '=', request.params.caseId).orderBy('seq').execute();
    const batches = await db.selectFrom('payment_batches').selectAll().where('case_id', '=', request.params.caseId).orderBy('prepared_at').orderBy('id').execute();
    const runs = await db.selectFrom('computation_runs').select(['id', 'plan_version', 'plan_sha256', 'input_sha256', 'status', 'investors', 'payable', 'total_fen', 'started_at', 'finished_at']).where('case_id', '=', request.params.caseId).orderBy('started_at').execute();
    return {
      generatedAt: services.clock.now().toISOString(),
      case: publicCaseView(loaded.state, loaded.events, services.today()),
      reconciliation: await reconciliationOf(db, request.params.caseId),
      ledger: { position: fundPosition(state), trialBalance: trialBalance(state), transactions },
      paymentBatches: batches,
      computationRuns: runs,
      auditLog: await verifyAuditLog(db),
    };
  });

  app.get('/api/v1/cases/:caseId/litigation-export.csv', {
    config: { access: { roles: ['administrator', 'auditor'] } },
    schema: {
      summary: 'Investors not settled by the advance compensation, with their computed amounts, for representative litigation (CSV)',
      tags: ['fund'],
      params: z.object({ caseId: z.string() }),
    },
  }, async (request, reply) => {
    const run = await db.selectFrom('computation_runs').select('id').where('case_id', '=', request.params.caseId).where('status', '=', 'finished').orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    const lines = ['investor,standing,computed_status,computed_total,offer_id,reason'];
    if (run) {
      // Every investor of the latest run, with its current offer (the replacement after a correction).
      const rows = await db
        .selectFrom('investor_results as r')
        .leftJoin('offers as o', (join) => join.onRef('o.investor', '=', 'r.investor').on('o.case_id', '=', request.params.caseId).on('o.source', '=', 'computation').on('o.status', '<>', 'superseded'))
        .select(['r.investor', 'r.status as computed', 'r.total_fen', 'r.reason', 'o.id as offer_id', 'o.status as offer_status'])
        .where('r.run_id', '=', run.id)
        .orderBy('r.investor')
        .execute();
      for (const row of rows) {
        const standing = row.computed !== 'payable' ? 'not-covered' : row.offer_status === 'refused' ? 'refused' : row.offer_status === 'offered' || row.offer_status === 'disputed' ? 'not-settled' : null;
        if (standing === null) continue;
        lines.push([row.investor, standing, row.computed, formatFen(row.total_fen), row.offer_id ?? '', row.reason].map(csvField).join(','));
      }
    }
    return reply.type('text/csv; charset=utf-8').send(`${lines.join('\n')}\n`);
  });
}
