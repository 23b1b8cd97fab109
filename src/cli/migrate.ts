import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { databaseOptionsFrom, openDatabase, type Database } from '../store/database.ts';
import { migrate, MigrationError, recordedMigrations } from '../store/migrate.ts';
import { runCommand } from './command.ts';

export const migrateHelp = `redress migrate — bring the database schema up to date

Usage: redress migrate [--data DIR]

Applies the migrations (src/store/migrations/NNNN_name.sql) the database does not have yet,
in order, each in its own transaction, and prints them. Every start of Redress does the
same; this command does it alone, before a deployment for example.
  --data DIR   the PGlite data directory, created if missing (default: ./data);
               DATABASE_URL, when set, names a PostgreSQL database instead

A migration file changed after it was applied stops the run and names the file (exit code 2).`;

export interface MigrateOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: MigrateOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

export async function runMigrate(args: string[], output: MigrateOutput = processOutput, environment: NodeJS.ProcessEnv = process.env): Promise<number> {
  return runCommand(migrateHelp, async () => {
    const { values } = parseArgs({ args, options: { data: { type: 'string' } }, strict: true, allowPositionals: false });
    const options = databaseOptionsFrom(environment, values.data);
    const where = options.url !== undefined ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${options.dataDir}`;
    let database: Database;
    try {
      database = await openDatabase({ ...options, migrate: false });
      // The first query is where PostgreSQL connects, so an unreachable server shows up here.
      await sql`select 1`.execute(database.db).catch(async (error: unknown) => {
        await database.close();
        throw error;
      });
    } catch (error) {
      output.stderr(`redress: cannot open the database: ${errorText(error)}\n`);
      return 2;
    }
    try {
      const applied = await migrate(database.db);
      for (const migration of applied) output.stdout(`applied ${migration.name}\n`);
      const recorded = await recordedMigrations(database.db);
      const latest = recorded.at(-1);
      const state = latest === undefined ? 'has no migrations' : `is at ${latest.name} (${recorded.length} ${recorded.length === 1 ? 'migration' : 'migrations'})`;
      output.stdout(`${applied.length === 0 ? 'nothing to apply: ' : ''}${where} ${state}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof MigrationError)) throw error;
      output.stderr(`redress: ${error.message}\n`);
      return 2;
    } finally {
      await database.close();
    }
  });
}

/** An error's message; a failed connection to a host with several addresses is an AggregateError with none of its own. */
function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') return error.errors.map(errorText).join('; ');
  return error instanceof Error ? error.message : String(error);
}
