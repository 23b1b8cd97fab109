import { readFileSync } from 'node:fs';
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The scratch space of a server's computation runs: a folder in the system's temporary directory
 * holding each run's plan and spill files while the engine computes. A clean stop removes it; a
 * process killed outright (kill -9, the machine's out-of-memory killer, a power cut) cannot, and
 * nothing else would, so every server start removes the folders whose owner is gone.
 *
 * The owner is named in the folder's own name — `redress-runs-<pid>-<start>-XXXXXX` — so the
 * folder never exists without it, not even for a process killed the instant after creating it.
 * `<start>` is when the owner started, as the kernel counts it (Linux: /proc/<pid>/stat, clock
 * ticks since boot; 0 where the system does not say): a process id is reused once its process is
 * gone, and a folder whose pid now belongs to another process, of another start, is as abandoned
 * as one whose pid is free. Several servers on one machine (each on its own data directory, or
 * sharing a PostgreSQL database) each keep their own folder, and none removes another's while it
 * lives.
 *
 * Folders without an owner in their name (made by earlier versions, or by other tools and tests
 * using the same prefix) are left alone: whether they are still in use cannot be told.
 */
export const RUN_SCRATCH_PREFIX = 'redress-runs-';

const OWNED_NAME = /^redress-runs-([1-9]\d{0,9})-(\d{1,20})-[A-Za-z0-9]{6}$/;

export interface ScratchOwner {
  pid: number;
  /** The owner's start in the kernel's clock ticks since boot, or '0' where that is unknown. */
  start: string;
}

/** The owner a folder's name records, or null when the name records none. */
export function scratchOwnerOf(name: string): ScratchOwner | null {
  const match = OWNED_NAME.exec(name);
  return match === null ? null : { pid: Number(match[1]), start: match[2]! };
}

/** When a process started, by the kernel's clock; '0' where the system does not tell. */
function startOf(pid: number | 'self'): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (command) state ppid …": the command may hold spaces and brackets, so count fields from
  // the last ')'. The start time is the 22nd field, the 20th after the command.
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return start !== undefined && /^\d+$/.test(start) ? start : null;
}

const OWN_START = startOf('self') ?? '0';

/** Creates this process's scratch folder in `parent` (the system's temporary directory by default). */
export async function createRunScratch(parent: string = tmpdir()): Promise<string> {
  return mkdtemp(join(parent, `${RUN_SCRATCH_PREFIX}${process.pid}-${OWN_START}-`));
}

/** Whether the process a folder names still runs: the same pid, and where the kernel tells, the same start. */
function ownerLives(owner: ScratchOwner): boolean {
  if (owner.pid === process.pid) return owner.start === OWN_START;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.start === '0') return true;
  const start = startOf(owner.pid);
  // Where the kernel does not tell (the process ended just now, or no /proc), count it alive.
  return start === null || start === owner.start;
}

/**
 * Removes the scratch folders in `parent` whose owner no longer runs, with whatever a run left
 * in them; returns their paths. A folder that cannot be removed (another server removing it at
 * the same moment, a permission) is skipped: the next start tries again.
 */
export async function removeAbandonedRunScratch(parent: string = tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const uid = process.getuid?.();
  for (const name of names) {
    const owner = scratchOwnerOf(name);
    if (owner === null || ownerLives(owner)) continue;
    const path = join(parent, name);
    try {
      // Only a real folder of this user: the temporary directory is shared, and a link placed
      // there under a matching name must not lead the removal elsewhere.
      const found = await lstat(path);
      if (!found.isDirectory() || (uid !== undefined && found.uid !== uid)) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      continue;
    }
  }
  return removed;
}
