import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely, type Transaction } from 'kysely';
import { sha256Hex } from '../domain/content-hash.ts';
import type { Tables } from './tables.ts';

/**
 * Plain SQL migrations: files `NNNN_name.sql` applied in version order, each in its own
 * transaction together with its row in `schema_migrations`, so a migration is either wholly
 * applied and recorded or not at all. A file is never edited once applied: its SHA-256 is
 * recorded, and a different one later stops every start until the file is restored (a change
 * goes into a new migration). Migrators that start together on PostgreSQL wait for each other on
 * a transaction-scoped advisory lock, and each re-reads what is applied once it holds the lock.
 */
export const MIGRATIONS_DIRECTORY = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Any 64-bit constant no other lock in Redress uses. */
const MIGRATION_LOCK_KEY = 0x7265_6472_6d69_6701n;

const FILE_NAME = /^(\d{4})_([a-z0-9][a-z0-9_]*)\.sql$/;

export interface MigrationFile {
  version: number;
  /** The file name, `0001_audit_log.sql`. */
  name: string;
  sql: string;
  /** SHA-256 of the file's bytes, hex. */
  checksum: string;
}

export interface RecordedMigration {
  version: number;
  name: string;
  checksum: string;
  appliedAt: Date;
}

/** A migration directory or database that cannot be migrated safely; nothing further was applied. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** The migration files of `directory` in version order; a misnamed `.sql` file or a repeated version is an error. */
export async function readMigrationFiles(directory: string = MIGRATIONS_DIRECTORY): Promise<MigrationFile[]> {
  const files: MigrationFile[] = [];
  for (const entry of (await readdir(directory)).sort()) {
    if (!entry.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(entry);
    if (match === null || Number(match[1]) === 0) {
      throw new MigrationError(`migration file ${entry} is not named NNNN_name.sql (four digits from 0001, then lowercase letters, digits and _)`);
    }
    const version = Number(match[1]);
    const previous = files.at(-1);
    if (previous !== undefined && previous.version === version) {
      throw new MigrationError(`migration files ${previous.name} and ${entry} have the same version ${match[1]}`);
    }
    const bytes = await readFile(join(directory, entry));
    files.push({ version, name: entry, sql: bytes.toString('utf8'), checksum: sha256Hex(bytes) });
  }
  return files;
}

/**
 * Applies the migrations of `directory` not yet applied, in order, and returns them. Checks first
 * that every applied migration still has its file, unchanged.
 */
export async function migrate(db: Kysely<Tables>, options: { directory?: string } = {}): Promise<MigrationFile[]> {
  const files = await readMigrationFiles(options.directory);
  const recorded = await db.transaction().execute(async (trx) => {
    await lockMigrations(trx);
    await sql`
      create table if not exists schema_migrations (
        version integer primary key check (version >= 1),
        name text not null,
        checksum text not null check (checksum ~ '^[0-9a-f]{64}$'),
        applied_at timestamptz not null default now()
      )`.execute(trx);
    return readRecorded(trx);
  });
  checkRecorded(files, recorded);

  const applied: MigrationFile[] = [];
  for (const file of files) {
    const ran = await db.transaction().execute(async (trx) => {
      await lockMigrations(trx);
      const already = (await readRecorded(trx)).find((migration) => migration.version === file.version);
      if (already !== undefined) {
        checkRecorded([file], [already]);
        return false;
      }
      await sql.raw(file.sql).execute(trx);
      await trx.insertInto('schema_migrations').values({ version: file.version, name: file.name, checksum: file.checksum }).execute();
      return true;
    });
    if (ran) applied.push(file);
  }
  return applied;
}

/** The migrations recorded in the database, in version order; empty before the first migration. */
export async function recordedMigrations(db: Kysely<Tables>): Promise<RecordedMigration[]> {
  const exists = await sql<{ found: string | null }>`select to_regclass('schema_migrations')::text as found`.execute(db);
  if (exists.rows[0]?.found == null) return [];
  return readRecorded(db);
}

async function lockMigrations(trx: Transaction<Tables>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
}

async function readRecorded(executor: Kysely<Tables>): Promise<RecordedMigration[]> {
  const rows = await executor.selectFrom('schema_migrations').select(['version', 'name', 'checksum', 'applied_at']).orderBy('version').execute();
  return rows.map((row) => ({ version: row.version, name: row.name, checksum: row.checksum, appliedAt: row.applied_at }));
}

function checkRecorded(files: readonly MigrationFile[], recorded: readonly RecordedMigration[]): void {
  const byVersion = new Map(files.map((file) => [file.version, file]));
  for (const migration of recorded) {
    const file = byVersion.get(migration.version);
    if (file === undefined) {
      throw new MigrationError(`the database has migration ${migration.name} applied, but there is no such file: this database is newer than this version of Redress`);
    }
    if (file.name !== migration.name) {
      throw new MigrationError(`migration ${migration.name} was applied, but its version is now the file ${file.name}: restore the name`);
    }
    if (file.checksum !== migration.checksum) {
      throw new MigrationError(
        `migration ${file.name} was changed after it was applied (checksum ${migration.checksum} recorded, ${file.checksum} now): restore the file and put the change in a new migration`,
      );
    }
  }
}
