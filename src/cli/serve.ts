import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildServer, DEFAULT_IMPORT_ROOT, ensureAdministrator } from '../server/serve.ts';
import { DataDirInUseError } from '../store/data-dir-lock.ts';
import { databaseOptionsFrom, openDatabase, type Database } from '../store/database.ts';
import { MigrationError } from '../store/migrate.ts';
import { runCommand } from './command.ts';
import { positiveIntegerFlag } from './options.ts';

export const serveHelp = `redress serve — run the platform's HTTP API

Usage:
  redress serve [--port N] [--host H] [--data DIR] [--import-root DIR]

  --port N           port to listen on (default: $PORT, else 3000)
  --host H           address to listen on (default 127.0.0.1)
  --data DIR         the embedded database's data directory (default ./data; created on
                     first start; one process at a time). DATABASE_URL, when set, names a
                     PostgreSQL database instead.
  --import-root DIR  where computation runs find registry datasets, one folder per dataset
                     holding trades.csv, holdings.csv, market.csv, index.csv, actions.csv
                     (default ./imports)

Migrations are applied on start. The API is under /api/v1, its OpenAPI description at
/api/openapi.json and a health check at /health. When the database has no administrator
yet, one ('admin') is created and its bearer token printed once.`;

export async function runServe(args: string[]): Promise<number> {
  return runCommand(serveHelp, async () => {
    const { values } = parseArgs({
      args,
      options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, 'import-root': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    const port = positiveIntegerFlag('port', values.port ?? process.env['PORT'], 3000);
    let database: Database;
    try {
      database = await openDatabase(databaseOptionsFrom(process.env, values.data));
    } catch (error) {
      // A data directory held by another process, or a database that cannot be reached: one line, exit 2.
      if (error instanceof DataDirInUseError || error instanceof MigrationError || (error as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
        process.stderr.write(`redress: ${(error as Error).message}\n`);
        return 2;
      }
      throw error;
    }
    const workRoot = await mkdtemp(join(tmpdir(), 'redress-runs-'));
    const { api } = await buildServer({ database, importRoot: values['import-root'] ?? DEFAULT_IMPORT_ROOT, workRoot, logger: true });
    const admin = await ensureAdministrator(database);
    const address = await api.listen({ port, host: values.host ?? '127.0.0.1' });
    process.stdout.write(`Redress is listening on ${address} (${database.kind === 'postgres' ? 'PostgreSQL' : `embedded database in ${values.data ?? './data'}`})\n`);
    process.stdout.write(`  API: ${address}/api/v1   OpenAPI: ${address}/api/openapi.json   health: ${address}/health\n`);
    if (admin) process.stdout.write(`  first administrator '${admin.id}', bearer token (shown once): ${admin.token}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await api.close();
    await database.close();
    await rm(workRoot, { recursive: true, force: true });
    return 0;
  });
}
