import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One process per PGlite data directory: PGlite is PostgreSQL without a postmaster, so two
 * processes on one directory would each believe they own the files and corrupt them. The lock is
 * a file in the directory holding the owner's pid. It appears atomically with its content (a
 * temporary file hard-linked into place, which fails if the lock exists), so a reader never sees
 * a lock without a pid. A lock whose process is gone (a crash, a kill -9) is stale and taken
 * over; a second, short-lived file serialises takeovers, so two processes finding the same stale
 * lock cannot both take it.
 */
export const LOCK_FILE = 'redress.lock';
const TAKEOVER_FILE = 'redress.lock.takeover';
const ATTEMPTS = 20;
/** Distinguishes the temporary files of concurrent attempts within this process. */
let attemptCounter = 0;

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  readonly dataDir: string;
  readonly pid: number;

  constructor(dataDir: string, pid: number) {
    super(`data directory ${dataDir} is in use by process ${pid}; stop it or set DATABASE_URL`);
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock if it is still this process's; safe to call twice. */
  release(): Promise<void>;
}

/** Locks `dataDir` (which must exist) for this process, or throws DataDirInUseError naming the owner. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await createExclusively(path)) return heldLock(path);
    const owner = await readPid(path);
    if (owner === undefined) continue; // released between our attempt and the read: try again
    if (owner !== null && isAlive(owner)) throw new DataDirInUseError(dataDir, owner);
    await takeOverStale(dataDir, path, owner);
  }
  throw new Error(`could not lock data directory ${dataDir}: its lock file ${path} keeps changing`);
}

function heldLock(path: string): DataDirLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      if ((await readPid(path)) === process.pid) await unlink(path).catch(ignoreMissing);
    },
  };
}

/** Removes a stale lock, unless another process is already taking it over or has done so. */
async function takeOverStale(dataDir: string, path: string, stalePid: number | null): Promise<void> {
  const takeover = join(dataDir, TAKEOVER_FILE);
  if (!(await createExclusively(takeover))) {
    // Another process is taking over; its takeover file is stale only if it died doing so.
    const other = await readPid(takeover);
    if (other !== undefined && (other === null || !isAlive(other))) await unlink(takeover).catch(ignoreMissing);
    await new Promise((resolve) => setTimeout(resolve, 10));
    return;
  }
  try {
    if ((await readPid(path)) === stalePid) await unlink(path).catch(ignoreMissing);
  } finally {
    await unlink(takeover).catch(ignoreMissing);
  }
}

/** Creates `path` holding this process's pid, or returns false if it exists. */
async function createExclusively(path: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${++attemptCounter}.tmp`;
  await writeFile(temporary, `${process.pid}\n`);
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary).catch(ignoreMissing);
  }
}

/** The pid in a lock file; null if it holds no pid, undefined if the file is gone. */
async function readPid(path: string): Promise<number | null | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const trimmed = text.trim();
  return /^[1-9]\d{0,9}$/.test(trimmed) ? Number(trimmed) : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
