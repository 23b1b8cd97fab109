import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRunScratch, removeAbandonedRunScratch } from '../jobs/run-scratch.ts';
import { buildServer, DEFAULT_IMPORT_ROOT, ensureAdministrator } from '../server/serve.ts';
import { demoToday, describeSignIns, DEMO_SIGN_INS_FILE, EXAMPLES_DIR, loadDemoCase } from '../server/demo-platform.ts';
import { DataDirInUseError } from '../store/data-dir-lock.ts';
import { databaseOptionsFrom, DEFAULT_DATA_DIR, openDatabase, type Database } from '../store/database.ts';
import { MigrationError } from '../store/migrate.ts';
import { runCommand } from './command.ts';
import { positiveIntegerFlag } from './options.ts';

export const serveHelp = `redress serve — run the platform's HTTP API

Usage:
  redress serve [--port N] [--host H] [--data DIR] [--import-root DIR] [--demo]

  --port N           port to listen on (default: $PORT, else 3000)
  --host H           address to listen on (default 127.0.0.1)
  --data DIR         the embedded database's data directory (default ./data; created on
                     first start; one process at a time). DATABASE_URL, when set, names a
                     PostgreSQL database instead.
  --import-root DIR  where computation runs find registry datasets, one folder per dataset
                     holding trades.csv, holdings.csv, market.csv, index.csv, actions.csv
                     (default ./imports; with --demo, the project's examples/)
  --demo             load the demo case on first start (what 'npm start' runs): the case
                     of examples/plans on the registry data of examples/demo-case, part-way
                     through its life, with a sign-in for every role. The sign-ins are
                     printed at every start and kept in DIR/demo-sign-ins.txt.

Migrations are applied on start. The web pages are at /, the API under /api/v1, its
OpenAPI description at /api/openapi.json and a health check at /health. When the database has no administrator
yet, one ('admin') is created and its bearer token printed once.`;

export async function runServe(args: string[]): Promise<number> {
  return runCommand(serveHelp, async () => {
    const { values } = parseArgs({
      args,
      options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, 'import-root': { type: 'string' }, demo: { type: 'boolean', default: false } },
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
    // Scratch space that servers killed outright left behind goes first (src/jobs/run-scratch.ts).
    for (const path of await removeAbandonedRunScratch()) process.stdout.write(`Removed the scratch space of a server that was stopped without clearing it: ${path}\n`);
    const workRoot = await createRunScratch();
    try {
      const dataDir = values.data ?? DEFAULT_DATA_DIR;
      let signIns: string | null = null;
      if (values.demo) {
        process.stdout.write('Loading the demo case if the database holds no case yet…\n');
        const demo = await loadDemoCase(database, { today: demoToday() });
        signIns = demo ? describeSignIns(demo) : await readFile(join(dataDir, DEMO_SIGN_INS_FILE), 'utf8').catch(() => null);
        if (demo && database.kind === 'pglite') await writeFile(join(dataDir, DEMO_SIGN_INS_FILE), signIns!, { mode: 0o600 });
      }
      const importRoot = values['import-root'] ?? (values.demo ? EXAMPLES_DIR : DEFAULT_IMPORT_ROOT);
      const { api } = await buildServer({ database, importRoot, workRoot, logger: true });
      const admin = await ensureAdministrator(database);
      const address = await api.listen({ port, host: values.host ?? '127.0.0.1' });
      process.stdout.write(`Redress is listening on ${address} (${database.kind === 'postgres' ? 'PostgreSQL' : `embedded database in ${dataDir}`})\n`);
      process.stdout.write(`  web: ${address}/   API: ${address}/api/v1   OpenAPI: ${address}/api/openapi.json   health: ${address}/health\n`);
      if (admin) process.stdout.write(`  first administrator '${admin.id}', bearer token (shown once): ${admin.token}\n`);
      if (signIns) process.stdout.write(`\n${signIns}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await api.close();
      await database.close();
    } finally {
      // A start that fails (the port taken, the demo not loading) leaves no scratch space either.
      await rm(workRoot, { recursive: true, force: true });
    }
    return 0;
  });
}
