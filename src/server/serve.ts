import { mkdir } from 'node:fs/promises';
import { LocalComputationRunner } from '../jobs/computation-runs.ts';
import { CaseStore } from '../store/case-store.ts';
import type { Database } from '../store/database.ts';
import { createActor } from './api/actor-store.ts';
import { buildApi, type Api } from './api/app.ts';
import type { Clock } from './api/request-context.ts';
import { logSender, NotificationOutbox, type NotificationSender } from '../store/notification-outbox.ts';
import { registerWeb } from '../web/web-app.ts';

export interface ServerOptions {
  database: Database;
  /** Where computation runs find registry datasets (one folder per dataset). */
  importRoot: string;
  /** Scratch space of computation runs. */
  workRoot: string;
  clock?: Clock;
  workers?: number;
  logger?: boolean;
  logStream?: { write(line: string): void };
  /** Delivers notifications such as investors' sign-in codes; the default writes them to stdout. */
  notificationSender?: NotificationSender;
  /** Sign-in attempts per address and minute (default 10). */
  signInRateLimit?: number;
}

/** The platform's HTTP server over an open database: the API, and computation runs in the background. */
export async function buildServer(options: ServerOptions): Promise<{ api: Api; computations: LocalComputationRunner; outbox: NotificationOutbox }> {
  await mkdir(options.workRoot, { recursive: true });
  const computations = new LocalComputationRunner({
    database: options.database, store: new CaseStore(options.database.db),
    importRoot: options.importRoot, workRoot: options.workRoot, ...(options.workers ? { workers: options.workers } : {}),
  });
  await failInterruptedRuns(options.database);
  const outbox = new NotificationOutbox(options.database.db, options.notificationSender ?? logSender((line) => process.stdout.write(`${line}\n`)));
  const api = await buildApi({
    database: options.database, computations, ...(options.clock ? { clock: options.clock } : {}), logger: options.logger ?? false, ...(options.logStream ? { logStream: options.logStream } : {}),
    web: (app, services) => registerWeb(app, services, { outbox, importRoot: options.importRoot, ...(options.signInRateLimit ? { signInRateLimit: options.signInRateLimit } : {}) }),
  });
  // What a stop left unsent goes out now.
  await outbox.dispatch();
  return { api, computations, outbox };
}

/**
 * A run still marked running when the server starts was cut off by a crash or a stop: its results
 * were never committed (they commit with the run's event), so it is marked failed and can be rerun.
 */
async function failInterruptedRuns(database: Database): Promise<void> {
  await database.db
    .updateTable('computation_runs')
    .set({ status: 'failed', error: 'interrupted: the server stopped before the run finished; start it again', finished_at: new Date() })
    .where('status', '=', 'running')
    .execute();
}

/**
 * The first administrator. Nobody can register actors before one exists, so a server that finds
 * none creates one and shows its token once, on its own terminal.
 */
export async function ensureAdministrator(database: Database): Promise<{ id: string; token: string } | null> {
  const existing = await database.db.selectFrom('actors').select('id').where('role', '=', 'administrator').executeTakeFirst();
  if (existing) return null;
  const { actor, token } = await createActor(database.db, { id: 'admin', name: '基金管理人 (administrator)', role: 'administrator' });
  return { id: actor.id, token };
}

export const DEFAULT_IMPORT_ROOT = './imports';
