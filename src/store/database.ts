import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { migrate } from './migrate.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Tables } from './tables.ts';

/**
 * The database: PGlite (PostgreSQL compiled to WebAssembly, in-process) in a data directory by
 * default, PostgreSQL when a URL is given. Both speak one SQL dialect through Kysely and return the
 * same JavaScript values for the same column types, so code and tests run unchanged on either.
 */
export interface Database {
  db: Kysely<Tables>;
  kind: 'pglite' | 'postgres';
  /** Closes the connections (and releases the data directory); safe to call twice. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL connection URL; when given, `dataDir` is not used. */
  url?: string;
  /** The PGlite data directory, created on first start; `memory://` keeps the database in memory. */
  dataDir?: string;
  /** Applies pending migrations on open unless false. */
  migrate?: boolean;
}

export const DEFAULT_DATA_DIR = './data';
export const MEMORY_DATA_DIR = 'memory://';

/**
 * Where the commands find the database: DATABASE_URL when set, else the data directory given, else
 * `./data`.
 */
export function databaseOptionsFrom(environment: NodeJS.ProcessEnv, dataDir: string | undefined): OpenDatabaseOptions {
  const url = environment['DATABASE_URL'];
  if (url !== undefined && url !== '') return { url };
  return { dataDir: dataDir ?? DEFAULT_DATA_DIR };
}

const OID = { int8: 20, numeric: 1700, date: 1082, textArray: 1009, int8Array: 1016, numericArray: 1231, dateArray: 1182 } as const;

/**
 * The parsers that differ from a driver's default, the same for both drivers: int8 (money in fen,
 * counts) as bigint, never a float that would round above 2^53; numeric as its exact decimal
 * text; date as `YYYY-MM-DD`, the form the domain uses (node-postgres would make a Date at local
 * midnight). Arrays of these types parse their elements the same way. Everything else keeps the
 * drivers' common defaults (timestamptz → Date, int4 → number, json → value).
 */
export const TYPE_PARSERS: Readonly<Record<number, (text: string) => unknown>> = {
  [OID.int8]: (text) => BigInt(text),
  [OID.numeric]: (text) => text,
  [OID.date]: (text) => text,
};

const ARRAY_ELEMENTS: Readonly<Record<number, number>> = {
  [OID.int8Array]: OID.int8,
  [OID.numericArray]: OID.numeric,
  [OID.dateArray]: OID.date,
};

/**
 * Type parsers for one node-postgres pool. They are handed to the pool rather than set on
 * `pg.types`, so another pool in the same process keeps the global defaults.
 */
function poolTypeParsers(): pg.CustomTypesConfig {
  const defaultParser = pg.types.getTypeParser as (oid: number, format: 'text' | 'binary') => unknown;
  const parseTextArray = defaultParser(OID.textArray, 'text') as (text: string) => unknown;
  function getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (format === 'binary') return defaultParser(oid, 'binary');
    const parser = TYPE_PARSERS[oid];
    if (parser !== undefined) return parser;
    const element = ARRAY_ELEMENTS[oid];
    if (element !== undefined) {
      const parseElement = TYPE_PARSERS[element]!;
      return (text: string) => mapArray(parseTextArray(text), parseElement);
    }
    return defaultParser(oid, 'text');
  }
  return { getTypeParser } as pg.CustomTypesConfig;
}

function mapArray(value: unknown, parse: (text: string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => mapArray(item, parse));
  return value === null ? null : parse(value as string);
}

/** Opens (and by default migrates) the database the options name. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const opened = options.url !== undefined ? openPostgres(options.url) : await openPGlite(options.dataDir ?? DEFAULT_DATA_DIR);
  if (options.migrate !== false) {
    try {
      await migrate(opened.db);
    } catch (error) {
      await opened.close();
      throw error;
    }
  }
  return opened;
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, types: poolTypeParsers() });
  // When the server stops or ends a session, every connection errors: an idle one on the pool, one
  // in use (say, between two queries of a transaction) on its client. Either way the pool drops it
  // and the next query opens a new one, and a query on the broken one fails and is answered as
  // such; but an 'error' event nobody listens to is thrown, and ends the process.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: once(() => db.destroy()) };
}

async function openPGlite(dataDir: string): Promise<Database> {
  if (dataDir === MEMORY_DATA_DIR) return databaseOnPGlite(await PGlite.create(MEMORY_DATA_DIR, { parsers: { ...TYPE_PARSERS } }));
  await mkdir(dataDir, { recursive: true });
  const lock = await lockDataDir(dataDir);
  try {
    return onPGlite(await PGlite.create(resolve(dataDir), { parsers: { ...TYPE_PARSERS } }), lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * A Database over a PGlite instance made elsewhere (tests start in-memory instances from a dump
 * of a migrated one). The instance must use TYPE_PARSERS; closing the Database closes it.
 */
export function databaseOnPGlite(pglite: PGlite): Database {
  return onPGlite(pglite, null);
}

function onPGlite(pglite: PGlite, lock: DataDirLock | null): Database {
  const db = new Kysely<Tables>({ dialect: new PGliteDialect(pglite) });
  const close = async () => {
    try {
      await db.destroy();
      // Kysely closes only a driver it has used; a database opened and never queried is closed here.
      if (!pglite.closed) await pglite.close();
    } finally {
      await lock?.release();
    }
  };
  return { db, kind: 'pglite', close: once(close) };
}

/**
 * Whether an error says the database cannot be reached now, rather than that a query or the code
 * is wrong: the server is down, refusing connections while it starts or stops, or ended the
 * session. Such a request may succeed when retried later; the API answers it with 503.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // Sockets that cannot connect or were cut, and SQLSTATE class 08 (connection exception),
    // 57P01-57P03 (administrator or crash shutdown, cannot connect now), 53300 (too many connections).
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'].includes(code)) return true;
    if (/^08/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  }
  // node-postgres reports a connection lost mid-query, or a client left unusable by it, in words only.
  return typeof message === 'string' && /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/.test(message);
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= action());
}
