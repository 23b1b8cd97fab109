import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { computeCase } from '../src/batch/compute-case.ts';
import { TASK_QUEUE } from '../src/batch/queue-protocol.ts';
import { computeCaseOnQueue, type QueueComputeOptions } from '../src/batch/queue-runner.ts';
import { writeSyntheticCase } from '../src/demo/synthetic-case.ts';

/**
 * `redress compute` on worker processes through a pg-boss queue: the same case computed on the
 * threads of one process, then with 1, 2 and 4 `redress compute-worker` processes, and with a
 * worker killed mid-task whose task another takes up after its heartbeat stops: every output
 * byte is the same. PostgreSQL only; the queue lives in a schema of the test's own, dropped after.
 */
const url = process.env['TEST_DATABASE_URL'];
const root = fileURLToPath(new URL('..', import.meta.url));
const OUTPUTS = ['compensation.csv', 'rejects.csv', 'summary.json', 'sheets.jsonl'];

describe('compute on a queue of worker processes', { skip: url === undefined || url === '' ? 'needs TEST_DATABASE_URL (a PostgreSQL for the queue)' : false }, () => {
  const database = url!;
  const schema = `queue_test_${randomBytes(6).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'redress-queue-'));
  const caseDir = join(dir, 'case');
  const files = {
    plan: join(caseDir, 'plan.json'), trades: join(caseDir, 'trades.csv'), holdings: join(caseDir, 'holdings.csv'),
    market: join(caseDir, 'market.csv'), index: join(caseDir, 'index.csv'), actions: join(caseDir, 'actions.csv'),
    encoding: 'utf-8' as const,
  };
  const workers: WorkerProcess[] = [];
  let reference: Record<string, string>;
  let tradesBytes = 0;

  /** The outputs in `out`; sheets.jsonl only when the run wrote sheets. */
  const read = (out: string, sheets = false) => Object.fromEntries(OUTPUTS.filter((name) => sheets || name !== 'sheets.jsonl').map((name) => [name, readFileSync(join(out, name), 'utf8')]));
  const expected = (sheets = false) => Object.fromEntries(Object.entries(reference).filter(([name]) => sheets || name !== 'sheets.jsonl'));

  /** Small tasks, so that even this small case makes several of each for the workers to share. */
  const onQueue = (out: string, sheets = false): QueueComputeOptions => ({
    ...files, out, sheets, database, schema, heartbeatSeconds: 10,
    scanRangeBytes: Math.ceil(tradesBytes / 6), partitionBytes: Math.ceil(tradesBytes / 6),
  });

  const startWorker = async () => {
    const worker = new WorkerProcess(spawn(process.execPath, [join(root, 'bin/redress.js'), 'compute-worker', '--database', database, '--schema', schema, '--concurrency', '1'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    workers.push(worker);
    await worker.line(/taking tasks/);
    return worker;
  };

  before(async () => {
    const written = await writeSyntheticCase({ investors: 4000, seed: 29, outDir: caseDir, malformed: true });
    tradesBytes = written.files.find((file) => file.name === 'trades.csv')!.bytes;
    const out = join(dir, 'reference');
    await computeCase({ ...files, out, workers: 2, sheets: true });
    reference = read(out, true);
    assert.match(reference['rejects.csv']!, /\ntrades\.csv,\d+,/, 'the case has bad rows');
  });

  after(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      await client.query(`drop schema if exists ${schema} cascade`);
    } finally {
      await client.end();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  // One group of workers grows from one to four processes between the runs.
  const group: WorkerProcess[] = [];
  for (const count of [1, 2, 4]) {
    const sheets = count === 2;
    it(`${count} worker ${count === 1 ? 'process gives' : 'processes give'} the bytes of one process's threads${sheets ? ', sheets too' : ''}`, async (t) => {
      group.push(...(await Promise.all(Array.from({ length: count - group.length }, startWorker))));
      const seen = group.map((worker) => worker.lines.length);
      const out = join(dir, `workers-${count}`);
      const started = Date.now();
      const summary = await computeCaseOnQueue(onQueue(out, sheets));
      const seconds = (Date.now() - started) / 1000;
      if (count === 4) await Promise.all(group.map((worker) => worker.stop()));
      assert.deepEqual(read(out, sheets), expected(sheets));
      assert.deepEqual(readdirSync(out).sort(), OUTPUTS.filter((name) => sheets || name !== 'sheets.jsonl').sort(), 'nothing but the outputs is left in the folder');
      const lines = group.map((worker, index) => worker.lines.slice(seen[index]));
      // How the workers shared the tasks is up to who asked first: shown, not asserted.
      const ran = lines.map((printed) => printed.filter((line) => / done in /.test(line)).length);
      t.diagnostic(`${summary.partitions} partitions; tasks per worker: ${ran.join(', ')}; ${seconds.toFixed(1)} s`);
      const partitionsRan = lines.flat().filter((line) => / partition \d+ of run \w+: done in /.test(line));
      assert.equal(partitionsRan.length, summary.partitions, 'every partition ran once, on a worker');
    });
  }

  it('redress compute-coordinator, a worker killed mid-task: another takes the task when its heartbeat stops, and the bytes are the same', async (t) => {
    const first = await startWorker();
    const boss = new PgBoss({ connectionString: database, schema, supervise: false, schedule: false, registerInstance: false });
    await boss.start();
    try {
      const out = join(dir, 'killed');
      // The command as a user runs it: one scan task and one partition task for this small case.
      const coordinator = spawn(process.execPath, [
        join(root, 'bin/redress.js'), 'compute-coordinator', '--database', database, '--schema', schema, '--heartbeat', '10', '--out', out,
        '--plan', files.plan, '--trades', files.trades, '--holdings', files.holdings, '--market', files.market, '--index', files.index, '--actions', files.actions,
      ], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      coordinator.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      coordinator.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => coordinator.once('exit', (code) => resolve(code)));
      // The worker prints a task's start before running it; stopped at once, it may still have
      // finished the task in between, so it is killed only while its job is active.
      let killed: string | null = null;
      while (killed === null) {
        const line = await Promise.race([first.line(/ partition \d+ of run \w+: started \(job /), exited.then(() => null)]);
        assert.ok(line !== null, `the run ended before the worker could be stopped mid-task: ${stderr}`);
        const job = /\(job ([0-9a-f-]+), attempt/.exec(line)![1]!;
        first.child.kill('SIGSTOP');
        const [state] = await boss.findJobs(TASK_QUEUE, { id: job });
        if (state?.state === 'active') {
          first.child.kill('SIGKILL');
          killed = job;
        } else {
          first.child.kill('SIGCONT');
        }
      }
      const killedAt = Date.now();
      const second = await startWorker();
      assert.equal(await exited, 0, stderr);
      const seconds = (Date.now() - killedAt) / 1000;
      await second.stop();
      assert.match(stdout, /^4000 investors: /);
      assert.deepEqual(read(out), expected());
      assert.deepEqual(readdirSync(out).sort(), OUTPUTS.filter((name) => name !== 'sheets.jsonl').sort(), "the killed attempt's files are gone too");
      const retried = second.lines.find((line) => line.includes(`(job ${killed}, attempt 2)`));
      assert.ok(retried, `the second worker ran the killed job ${killed} again:\n${second.lines.join('\n')}`);
      t.diagnostic(`the killed task was retried and the run finished ${seconds.toFixed(1)} s after the kill`);
    } finally {
      await boss.stop({ graceful: false });
    }
  });
});

/** A `redress compute-worker` child process and the lines it printed. */
class WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  private readonly waiting: { pattern: RegExp; from: number; resolve: (line: string) => void }[] = [];
  private consumed = 0;
  private readonly exited: Promise<void>;

  constructor(child: ChildProcess) {
    this.child = child;
    const errors: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const waiter of [...this.waiting]) this.match(waiter);
    });
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL' && errors.length > 0) process.stderr.write(`compute-worker exited (${code ?? signal}): ${errors.join('')}\n`);
    });
  }

  /** The next line, after those an earlier call returned, that matches `pattern`. */
  line(pattern: RegExp): Promise<string> {
    return new Promise((resolve) => {
      const waiter = { pattern, from: this.consumed, resolve };
      this.waiting.push(waiter);
      this.match(waiter);
    });
  }

  private match(waiter: { pattern: RegExp; from: number; resolve: (line: string) => void }): void {
    for (let at = waiter.from; at < this.lines.length; at++) {
      if (waiter.pattern.test(this.lines[at]!)) {
        this.consumed = at + 1;
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        waiter.resolve(this.lines[at]!);
        return;
      }
    }
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await this.exited;
  }
}
