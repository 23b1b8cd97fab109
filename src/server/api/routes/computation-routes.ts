import { z } from 'zod';
import { RunRefused } from '../../../jobs/computation-runs.ts';
import { ApiError, notFound, refusalAsAnswer } from '../api-error.ts';
import type { ApiServices, TypedApp } from '../app.ts';

const RUN = { zh: '计算批次', en: 'computation run' };
const READERS = ['administrator', 'auditor'] as const;

/** The API's error for a run that cannot start; null for any other error. */
const refusal = (error: unknown) => (error instanceof RunRefused ? new ApiError(error.code === 'not-found' ? 404 : 409, error.code, error.bilingual) : null);

export function registerComputationRoutes(app: TypedApp, services: ApiServices): void {
  const { db } = services.database;

  app.post('/api/v1/cases/:caseId/computation-runs', {
    config: { access: { roles: ['administrator'] } },
    schema: {
      summary: 'Compute every investor of a registry dataset against the adopted plan (runs in the background)',
      tags: ['computation'],
      params: z.object({ caseId: z.string() }),
      body: z.strictObject({
        dataset: z.string().min(1).describe('a folder under the server\'s import root with trades.csv and the other registry files'),
        encoding: z.enum(['utf-8', 'gb18030']).default('utf-8'),
      }),
    },
  }, async (request, reply) => {
    // Under an Idempotency-Key the run is recorded in the key's transaction: a retry gets the same
    // run, and a run is never recorded without its answer (nor an answer without its run).
    await services.answer(request, reply, (transaction) => refusalAsAnswer(refusal, async () => {
      const { runId } = await services.computations.start({
        caseId: request.params.caseId, dataset: request.body.dataset, encoding: request.body.encoding,
        actor: request.actor, today: services.today(), at: services.clock.now(),
      }, transaction ?? undefined);
      return { statusCode: 202, body: { runId, status: 'running', links: { run: `/api/v1/computation-runs/${runId}` } } };
    }));
  });

  app.get('/api/v1/cases/:caseId/computation-runs', {
    config: { access: { roles: READERS } },
    schema: { summary: 'The computation runs of a case, newest last', tags: ['computation'], params: z.object({ caseId: z.string() }) },
  }, async (request) => {
    const runs = await db.selectFrom('computation_runs').selectAll().where('case_id', '=', request.params.caseId).orderBy('started_at').orderBy('id').execute();
    return { runs: runs.map(describeRun) };
  });

  app.get('/api/v1/computation-runs/:runId', {
    config: { access: { roles: READERS } },
    schema: { summary: 'One computation run: status, counts, totals and the hash of its inputs', tags: ['computation'], params: z.object({ runId: z.string() }) },
  }, async (request) => {
    const run = await db.selectFrom('computation_runs').selectAll().where('id', '=', request.params.runId).executeTakeFirst();
    if (!run) throw notFound(RUN);
    return describeRun(run);
  });

  app.get('/api/v1/computation-runs/:runId/results', {
    config: { access: { roles: READERS } },
    schema: {
      summary: 'Investors\' results of a run, in investor order, a page at a time',
      tags: ['computation'],
      params: z.object({ runId: z.string() }),
      querystring: z.object({
        status: z.enum(['payable', 'zero', 'ineligible', 'rejected']).optional(),
        after: z.string().optional().describe('the last investor of the previous page'),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
    },
  }, async (request) => {
    const { status, after, limit } = request.query;
    let query = db
      .selectFrom('investor_results')
      .select(['investor', 'status', 'reason', 'investment_difference_loss_fen', 'deduction_fen', 'principal_fen', 'commission_fen', 'stamp_duty_fen', 'interest_fen', 'total_fen'])
      .where('run_id', '=', request.params.runId);
    if (status) query = query.where('status', '=', status);
    if (after) query = query.where('investor', '>', after);
    // Investor ids sort by code point, as compensation.csv does: compare bytes, not the locale.
    const rows = await query.orderBy((eb) => eb.fn('convert_to', [eb.ref('investor'), eb.val('UTF8')])).limit(limit).execute();
    return { results: rows, next: rows.length === limit ? rows.at(-1)!.investor : null };
  });

  app.get('/api/v1/computation-runs/:runId/results/:investor', {
    config: { access: { roles: READERS } },
    schema: { summary: 'One investor\'s result with its calculation sheet', tags: ['computation'], params: z.object({ runId: z.string(), investor: z.string() }) },
  }, async (request) => {
    const row = await db.selectFrom('investor_results').selectAll().where('run_id', '=', request.params.runId).where('investor', '=', request.params.investor).executeTakeFirst();
    if (!row) throw notFound({ zh: '该投资者的计算结果', en: 'result for this investor' });
    return row;
  });
}

function describeRun(run: Record<string, unknown> & { id: string }) {
  return {
    runId: run.id, caseId: run['case_id'], planVersion: run['plan_version'], planSha256: run['plan_sha256'], dataset: run['dataset'],
    status: run['status'], startedAt: run['started_at'], finishedAt: run['finished_at'], error: run['error'], inputSha256: run['input_sha256'],
    counts: run['investors'] === null ? null : {
      investors: run['investors'], payable: run['payable'], zero: run['zero'], ineligible: run['ineligible'], rejected: run['rejected'], rejectedRows: run['rejected_rows'],
    },
    totalFen: run['total_fen'],
  };
}
