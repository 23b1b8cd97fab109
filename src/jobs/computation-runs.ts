import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { sql, type Transaction } from 'kysely';
import { computeCase, type ComputeSummary } from '../batch/compute-case.ts';
import type { CaseInputPaths } from '../batch/case-input-paths.ts';
import type { Actor } from '../domain/access/roles.ts';
import { CaseError } from '../domain/case-error.ts';
import { parseYuan } from '../domain/money/fen.ts';
import { COMPENSATION_COLUMNS, AMOUNT_COLUMNS } from '../io/compensation-csv.ts';
import { FileError, splitCsvLine } from '../io/csv-scan.ts';
import { appendAuditEntry } from '../store/audit-log.ts';
import { eventsOf, type CaseStore } from '../store/case-store.ts';
import type { Database } from '../store/database.ts';
import type { Tables } from '../store/tables.ts';
import { adoptedPlanOf } from '../domain/procedure/published-plans.ts';

/**
 * Computation runs (procedure.md step 7): the registry's files of a dataset computed against the
 * case's adopted plan with the batch engine, every investor's result and calculation sheet
 * stored, and the run recorded in the case — all in one transaction, so a run is either wholly
 * in the case or not at all. Runs are recorded with the SHA-256 of their inputs; a rerun on the
 * same inputs and plan gives the same results.
 */
export interface ComputationRunner {
  /**
   * Checks the request, records the run as running and starts it; the result arrives later. Given
   * a transaction (a request's under an Idempotency-Key), the check and the record are made in it,
   * so that they commit with the request's stored answer or not at all; the run computes once
   * that transaction has committed, and never if it rolled back.
   */
  start(input: StartRun, within?: Transaction<Tables>): Promise<{ runId: string }>;
  /** Resolves when the run has finished or failed (for tests and the CLI). */
  settled(runId: string): Promise<void>;
}

export interface StartRun {
  caseId: string;
  /** A folder under the import root holding trades.csv and the other registry files. */
  dataset: string;
  encoding: 'utf-8' | 'gb18030';
  actor: Actor;
  today: string;
  at: Date;
}

/** A run that cannot start, with a reason a person can act on. */
export class RunRefused extends Error {
  readonly code: string;
  readonly bilingual: { zh: string; en: string };
  constructor(code: string, message: { zh: string; en: string }) {
    super(message.en);
    this.name = 'RunRefused';
    this.code = code;
    this.bilingual = message;
  }
}

interface RecordedRun {
  runId: string;
  folder: string;
  plan: { version: number; hash: string; lossParameters: unknown };
}

/** The advisory lock a run's record holds until its transaction ends. */
const runLockName = (runId: string) => `computation-run:${runId}`;

const INPUT_FILES = { trades: 'trades.csv', holdings: 'holdings.csv', market: 'market.csv', index: 'index.csv', actions: 'actions.csv', ratios: 'ratios.csv' } as const;
const INSERT_BATCH = 500;

export class LocalComputationRunner implements ComputationRunner {
  private readonly database: Database;
  private readonly store: CaseStore;
  private readonly importRoot: string;
  private readonly workRoot: string;
  private readonly workers: number | undefined;
  private readonly running = new Map<string, Promise<void>>();

  constructor(options: { database: Database; store: CaseStore; importRoot: string; workRoot: string; workers?: number }) {
    this.database = options.database;
    this.store = options.store;
    this.importRoot = resolve(options.importRoot);
    this.workRoot = resolve(options.workRoot);
    this.workers = options.workers;
  }

  async start(input: StartRun, within?: Transaction<Tables>): Promise<{ runId: string }> {
    const recorded = within === undefined
      ? await this.database.db.transaction().execute((transaction) => this.record(transaction, input))
      : await this.record(within, input);
    this.launch(recorded, input);
    return { runId: recorded.runId };
  }

  /** Refuses a run that cannot start, else records it as running with its audit entry. */
  private async record(transaction: Transaction<Tables>, input: StartRun): Promise<RecordedRun> {
    // Inside the caller's transaction only the transaction may be used: on PGlite a query on the
    // outer handle would wait for it to end, which it never does.
    const events = await eventsOf(transaction, input.caseId);
    if (events.length === 0) throw new RunRefused('not-found', { zh: `未找到案件 ${input.caseId}`, en: `no case ${input.caseId}` });
    const plan = adoptedPlanOf(events);
    if (plan === null) throw new RunRefused('no-adopted-plan', { zh: '方案尚未经听证通过，不能计算', en: 'no plan has been adopted at a hearing yet, so nothing can be computed' });
    const folder = resolve(this.importRoot, input.dataset);
    const inside = relative(this.importRoot, folder);
    if (inside.startsWith('..') || isAbsolute(inside) || inside === '') {
      throw new RunRefused('invalid-dataset', { zh: `数据集 ${input.dataset} 不在导入目录内`, en: `dataset ${input.dataset} is not a folder inside the import root` });
    }
    if (!existsSync(join(folder, INPUT_FILES.trades))) {
      throw new RunRefused('invalid-dataset', { zh: `数据集 ${input.dataset} 中没有 trades.csv`, en: `dataset ${input.dataset} has no trades.csv` });
    }
    const runId = `run-${input.at.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(5).toString('hex')}`;
    // Held until this transaction ends: the run waits on it before computing (see `launch`).
    await sql`select pg_advisory_xact_lock(hashtext(${runLockName(runId)}))`.execute(transaction);
    await transaction
      .insertInto('computation_runs')
      .values({ id: runId, case_id: input.caseId, plan_version: plan.version, plan_sha256: plan.hash, dataset: input.dataset, status: 'running', started_at: input.at })
      .execute();
    await appendAuditEntry(transaction, {
      caseId: input.caseId, actorId: input.actor.id, role: input.actor.role, at: input.at.toISOString(),
      command: 'start-computation-run', reason: null, payload: { runId, dataset: input.dataset, encoding: input.encoding, planVersion: plan.version, planHash: plan.hash }, outcome: 'accepted',
    });
    return { runId, folder, plan };
  }

  /**
   * Computes a recorded run in the background. The record may sit in a transaction that has not
   * committed yet (a request's, still storing its answer): computing before it commits could store
   * results for a run that then never was. So the run first takes the lock its record holds, which
   * frees when that transaction ends, and goes on only if the record is there, committed.
   */
  private launch(recorded: RecordedRun, input: StartRun): void {
    const { runId, folder, plan } = recorded;
    const running = (async () => {
      if (await this.committed(runId)) await this.run(runId, folder, input, plan);
    })().catch(async (error: unknown) => {
      const message = error instanceof CaseError || error instanceof FileError ? error.oneLine() : error instanceof Error ? error.message : String(error);
      await this.database.db.updateTable('computation_runs').set({ status: 'failed', error: message, finished_at: new Date() }).where('id', '=', runId).execute()
        // With the database unreachable the run stays marked running; the next start marks it failed.
        .catch(() => {});
    });
    this.running.set(runId, running);
    void running.finally(() => this.running.delete(runId));
  }

  /** Whether the run's record committed: waits for the transaction that wrote it to end. */
  private async committed(runId: string): Promise<boolean> {
    return this.database.db.transaction().execute(async (transaction) => {
      await sql`select pg_advisory_xact_lock(hashtext(${runLockName(runId)}))`.execute(transaction);
      const row = await transaction.selectFrom('computation_runs').select('status').where('id', '=', runId).executeTakeFirst();
      return row?.status === 'running';
    });
  }

  async settled(runId: string): Promise<void> {
    await this.running.get(runId);
  }

  private async run(runId: string, folder: string, input: StartRun, plan: { version: number; hash: string; lossParameters: unknown }): Promise<void> {
    const out = join(this.workRoot, runId);
    await mkdir(out, { recursive: true });
    try {
      const planPath = join(out, 'plan.json');
      await writeFile(planPath, `${JSON.stringify(plan.lossParameters, null, 2)}\n`);
      const paths: CaseInputPaths = { plan: planPath, trades: join(folder, INPUT_FILES.trades), encoding: input.encoding };
      for (const role of ['holdings', 'market', 'index', 'actions', 'ratios'] as const) {
        const path = join(folder, INPUT_FILES[role]);
        if (existsSync(path)) paths[role] = path;
      }
      const summary = await computeCase({ ...paths, out: join(out, 'results'), sheets: true, workers: this.workers });
      const inputSha256 = (JSON.parse(await readFile(summary.files.summary, 'utf8')) as { inputs: { sha256: string } }).inputs.sha256;
      const { outcome } = await this.store.execute({
        caseId: input.caseId,
        command: {
          type: 'record-computation-run', runId, planVersion: plan.version, planHash: plan.hash, inputHash: inputSha256,
          counts: { investors: summary.counts.investors, payable: summary.counts.payable, zero: summary.counts.zero, ineligible: summary.counts.ineligible, rejected: summary.counts.rejected },
          totalPayableFen: fenOf(summary.totals.total).toString(),
        } as never,
        actor: input.actor,
        today: input.today,
        at: new Date(),
        reason: `computation run ${runId} on dataset ${input.dataset}`,
        alongside: (transaction) => storeResults(transaction, runId, summary, inputSha256),
      });
      if (!outcome.accepted) {
        await this.database.db
          .updateTable('computation_runs')
          .set({ status: 'failed', error: `${outcome.refusal.code}: ${outcome.refusal.message.en}`, finished_at: new Date() })
          .where('id', '=', runId)
          .execute();
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }
}

async function storeResults(transaction: Transaction<Tables>, runId: string, summary: ComputeSummary, inputSha256: string): Promise<void> {
  const columns = COMPENSATION_COLUMNS;
  const figureColumns = columns.filter((column) => !(AMOUNT_COLUMNS as readonly string[]).includes(column) && !['investor', 'status', 'reason'].includes(column));
  const csv = lines(summary.files.compensation);
  const sheets = lines(summary.files.sheets!);
  await csv.next(); // header
  let batch: Tables['investor_results'][] = [];
  const flush = async () => {
    if (batch.length > 0) await transaction.insertInto('investor_results').values(batch as never).execute();
    batch = [];
  };
  for (;;) {
    const [row, sheetLine] = await Promise.all([csv.next(), sheets.next()]);
    if (row.done || sheetLine.done) {
      if (row.done !== sheetLine.done) throw new Error('compensation.csv and sheets.jsonl disagree on the investors');
      break;
    }
    const fields = splitCsvLine(row.value)!;
    const at = (column: string) => fields[columns.indexOf(column as (typeof columns)[number])] ?? '';
    const { investor, sheet } = JSON.parse(sheetLine.value) as { investor: string; sheet: unknown };
    if (investor !== at('investor')) throw new Error(`sheets.jsonl has ${investor} where compensation.csv has ${at('investor')}`);
    const amounts = Object.fromEntries(AMOUNT_COLUMNS.map((column) => [`${column}_fen`, fenOf(at(column))]));
    batch.push({
      run_id: runId, investor, status: at('status'), reason: at('reason'), ...amounts,
      figures: JSON.stringify(Object.fromEntries(figureColumns.map((column) => [column, at(column)]))),
      sheet: JSON.stringify(sheet),
    } as never);
    if (batch.length === INSERT_BATCH) await flush();
  }
  await flush();
  const rejects = lines(summary.files.rejects);
  await rejects.next();
  let rejected: Tables['rejected_rows'][] = [];
  for await (const line of { [Symbol.asyncIterator]: () => rejects }) {
    const [file, lineNumber, investor, reason] = splitCsvLine(line)!;
    rejected.push({ run_id: runId, file: file!, line: Number(lineNumber), investor: investor!, reason: reason! });
    if (rejected.length === INSERT_BATCH) {
      await transaction.insertInto('rejected_rows').values(rejected).execute();
      rejected = [];
    }
  }
  if (rejected.length > 0) await transaction.insertInto('rejected_rows').values(rejected).execute();
  const { counts } = summary;
  await transaction
    .updateTable('computation_runs')
    .set({
      status: 'finished', finished_at: new Date(), input_sha256: inputSha256,
      investors: counts.investors, payable: counts.payable, zero: counts.zero, ineligible: counts.ineligible, rejected: counts.rejected, rejected_rows: counts.rejectedRows,
      total_fen: fenOf(summary.totals.total), summary: JSON.stringify({ counts, totals: summary.totals }),
    })
    .where('id', '=', runId)
    .execute();
}

/** An amount column of compensation.csv in fen (blank is zero). */
export function fenOf(yuan: string): bigint {
  if (yuan === '') return 0n;
  const fen = parseYuan(yuan);
  if (fen === null) throw new Error(`not an amount with two decimals: '${yuan}'`);
  return fen;
}

function lines(path: string): AsyncIterator<string> {
  return createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]();
}
