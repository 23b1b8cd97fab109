import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { verifyAuditLog } from '../store/audit-log.ts';
import { databaseOptionsFrom, openDatabase, type Database } from '../store/database.ts';
import { runCommand, UsageError } from './command.ts';

export const auditHelp = `redress audit — check the audit log

Usage: redress audit verify [--data DIR]

Recomputes the hash of every audit log entry and its link to the entry before it,
and names the first entry that was edited, removed or moved.
  --data DIR   the PGlite data directory (default: ./data); DATABASE_URL, when set,
               names a PostgreSQL database instead

Prints 'audit log intact: N entries' (exit code 0) or 'audit log broken at entry S:
<problem>' (exit code 1). A database that cannot be opened is exit code 2.`;

export interface AuditOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: AuditOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

export async function runAudit(args: string[], output: AuditOutput = processOutput, environment: NodeJS.ProcessEnv = process.env): Promise<number> {
  return runCommand(auditHelp, async () => {
    const { values, positionals } = parseArgs({ args, options: { data: { type: 'string' } }, strict: true, allowPositionals: true });
    if (positionals.length === 0) throw new UsageError('name what to do with the audit log: verify');
    if (positionals[0] !== 'verify' || positionals.length > 1) throw new UsageError(`unknown audit subcommand '${positionals.join(' ')}': use verify`);
    const options = databaseOptionsFrom(environment, values.data);
    if (options.dataDir !== undefined && !existsSync(options.dataDir)) {
      output.stderr(`redress: data directory ${options.dataDir} does not exist; name it with --data or set DATABASE_URL\n`);
      return 2;
    }
    let database: Database;
    try {
      // Verifying reads the log as it is: it does not migrate the database first.
      database = await openDatabase({ ...options, migrate: false });
    } catch (error) {
      output.stderr(`redress: cannot open the database: ${errorText(error)}\n`);
      return 2;
    }
    try {
      let table: string | null;
      try {
        // The first query is where PostgreSQL connects, so an unreachable server shows up here.
        table = (await sql<{ found: string | null }>`select to_regclass('audit_log')::text as found`.execute(database.db)).rows[0]?.found ?? null;
      } catch (error) {
        output.stderr(`redress: cannot open the database: ${errorText(error)}\n`);
        return 2;
      }
      if (table === null) {
        output.stderr(`redress: the database has no audit log yet; run 'redress migrate' first\n`);
        return 2;
      }
      const verdict = await verifyAuditLog(database.db);
      if (verdict.ok) {
        output.stdout(`audit log intact: ${verdict.entries} ${verdict.entries === 1 ? 'entry' : 'entries'}\n`);
        return 0;
      }
      output.stdout(`audit log broken at entry ${verdict.brokenAt}: ${verdict.problem}\n`);
      return 1;
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
