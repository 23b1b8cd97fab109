import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { databaseOnPGlite, MEMORY_DATA_DIR, openDatabase, TYPE_PARSERS, type Database } from './database.ts';
import { migrate } from './migrate.ts';

export type DatabaseKind = Database['kind'];

/**
 * Runs a database test suite on every database there is: PGlite in memory always, and PostgreSQL
 * too when TEST_DATABASE_URL is set (CI sets it). Each `open()` gives a fresh, migrated database:
 * a new in-memory PGlite, or on PostgreSQL a schema of its own, `test_<random>`, which every
 * connection of the pool uses as its search path and which `close()` drops. Test files running in
 * parallel processes against one PostgreSQL database therefore never see each other's rows.
 *
 * ```ts
 * forEachDatabase((name, open) => {
 *   describe(`audit log on ${name}`, () => { ... });
 * });
 * ```
 */
export function forEachDatabase(register: (name: DatabaseKind, open: () => Promise<Database>) => void): void {
  register('pglite', openMemoryTestDatabase);
  const url = process.env['TEST_DATABASE_URL'];
  if (url !== undefined && url !== '') register('postgres', () => openTestSchema(url));
}

let template: Promise<Blob | File> | null = null;

/**
 * A migrated in-memory PGlite database. Creating a PGlite cluster (initdb) takes seconds; loading
 * a dump of one takes a fraction of that, so each test process migrates one database, dumps it,
 * and starts every later one from the dump.
 */
export async function openMemoryTestDatabase(): Promise<Database> {
  template ??= (async () => {
    const pglite = await PGlite.create(MEMORY_DATA_DIR, { parsers: { ...TYPE_PARSERS } });
    const database = databaseOnPGlite(pglite);
    try {
      await migrate(database.db);
      return await pglite.dumpDataDir('none');
    } finally {
      await database.close();
    }
  })();
  const pglite = await PGlite.create(MEMORY_DATA_DIR, { parsers: { ...TYPE_PARSERS }, loadDataDir: await template });
  return databaseOnPGlite(pglite);
}

/** A migrated database in a new schema of the PostgreSQL database at `url`, dropped on close. */
export async function openTestSchema(url: string, options: { migrate?: boolean } = {}): Promise<Database & { url: string }> {
  const schema = `test_${randomBytes(8).toString('hex')}`;
  await withClient(url, (client) => client.query(`create schema ${schema}`));
  let database: Database;
  try {
    database = await openDatabase({ url: withSearchPath(url, schema), migrate: options.migrate ?? true });
  } catch (error) {
    await withClient(url, (client) => client.query(`drop schema ${schema} cascade`));
    throw error;
  }
  let closed: Promise<void> | null = null;
  return {
    /** The schema's own URL, for a child process that must see the same rows. */
    url: withSearchPath(url, schema),
    db: database.db,
    kind: database.kind,
    close: () =>
      (closed ??= (async () => {
        try {
          await database.close();
        } finally {
          await withClient(url, (client) => client.query(`drop schema if exists ${schema} cascade`));
        }
      })()),
  };
}

/** The URL with the session option that makes `schema` the only schema searched (and created in). */
function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  const existing = parsed.searchParams.get('options');
  parsed.searchParams.set('options', `${existing === null ? '' : `${existing} `}-c search_path=${schema}`);
  return parsed.toString();
}

async function withClient(url: string, action: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await action(client);
  } finally {
    await client.end();
  }
}
