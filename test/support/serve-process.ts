import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './private-postgres.ts';

/**
 * `redress serve` as a real child process, for tests that kill it, restart it, or take its
 * database away: the process's own output, its exit, and HTTP to it. Every start waits for the
 * line that says the server listens; a process that exits first fails the start with its output.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServeOptions {
  /** The PostgreSQL database (DATABASE_URL of the child)… */
  databaseUrl?: string;
  /** …or the embedded database's data directory (--data). */
  dataDir?: string;
  importRoot?: string;
  /** Extra environment, e.g. TMPDIR for where runs keep their scratch files. */
  env?: Record<string, string>;
}

export interface ServeProcess {
  /** http://127.0.0.1:PORT */
  base: string;
  readonly child: ChildProcess;
  /** Everything the current process printed, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code or signal of the current process. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True while the current process has not exited. */
  running(): boolean;
  /** SIGKILL: no handler runs, nothing is flushed or closed; resolves once the process is gone. */
  kill9(): Promise<void>;
  /** Starts the server again on the same port and database (after a kill). */
  restart(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not stopped within 10 s. */
  stop(): Promise<void>;
}

export async function startServe(options: ServeOptions): Promise<ServeProcess> {
  const port = await freePort();
  let child!: ChildProcess;
  let output = '';
  let exited!: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let alive = false;

  const launch = async () => {
    output = '';
    const args = [
      join(root, 'bin/redress.js'), 'serve', '--port', String(port),
      ...(options.importRoot ? ['--import-root', options.importRoot] : []), ...(options.dataDir ? ['--data', options.dataDir] : []),
    ];
    child = spawn(process.execPath, args, { env: { ...process.env, ...options.env, DATABASE_URL: options.databaseUrl ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    alive = true;
    exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      alive = false;
      resolve({ code, signal });
    }));
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (/Redress is listening on/.test(output)) {
          child.stdout!.off('data', check);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      void exited.then(({ code, signal }) => reject(new Error(`redress serve exited (${code ?? signal}) before listening:\n${output}`)));
    });
  };
  await launch();

  const process_: ServeProcess = {
    base: `http://127.0.0.1:${port}`,
    get child() {
      return child;
    },
    output: () => output,
    get exited() {
      return exited;
    },
    running: () => alive,
    async kill9() {
      if (!alive) return;
      child.kill('SIGKILL');
      await exited;
    },
    restart: launch,
    async stop() {
      if (!alive) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return process_;
}

/** Resolves when `condition` holds, checking every few milliseconds; fails after `timeoutMs`. */
export async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000, everyMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
