import type { ColumnType } from 'kysely';
import type { CaseTables } from './case-tables.ts';
import type { WebTables } from './web-tables.ts';

/**
 * The database as Kysely sees it: one entry per table, named as in the migrations. Column types
 * are what the drivers return under the parsers of `database.ts`: int8 as bigint, numeric as a
 * decimal string, date as `YYYY-MM-DD`, timestamptz as a Date. Money columns are int8 fen.
 */
export interface Tables extends CaseTables, WebTables {
  schema_migrations: SchemaMigrationsTable;
  audit_log: AuditLogTable;
}

/** One row per migration file applied (`migrate.ts`). */
export interface SchemaMigrationsTable {
  version: number;
  name: string;
  /** SHA-256 of the file's bytes when it was applied. */
  checksum: string;
  applied_at: ColumnType<Date, never, never>;
}

/** The hash-chained audit log (`audit-log.ts`, `domain/audit/audit-chain.ts`); append-only. */
export interface AuditLogTable {
  seq: ColumnType<bigint, bigint, never>;
  case_id: ColumnType<string | null, string | null, never>;
  actor_id: ColumnType<string, string, never>;
  role: ColumnType<string, string, never>;
  /** The entry's instant as hashed, `YYYY-MM-DDTHH:MM:SS.sssZ`; text so that what is read is what was hashed. */
  at: ColumnType<string, string, never>;
  command: ColumnType<string, string, never>;
  reason: ColumnType<string | null, string | null, never>;
  payload_hash: ColumnType<string, string, never>;
  outcome: ColumnType<'accepted' | 'refused', 'accepted' | 'refused', never>;
  prev_hash: ColumnType<string, string, never>;
  hash: ColumnType<string, string, never>;
}
