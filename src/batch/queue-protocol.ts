import { PgBoss, type ConstructorOptions } from 'pg-boss';
import type { CaseInputPaths } from './case-input-paths.ts';
import type { WorkerRequest } from './compute-worker.ts';

/**
 * What the coordinator of a queued computation (queue-runner.ts) and its worker processes
 * (queue-worker.ts) say to each other through pg-boss on a shared PostgreSQL.
 *
 * Every run's scan and partition tasks go to one queue, so a worker needs to know nothing of the
 * runs there are; each run collects its results on a queue of its own, which the tasks also name
 * as their dead letter queue: a task that failed on every attempt arrives there as well, and the
 * coordinator stops the run instead of waiting for it.
 */
export const TASK_QUEUE = 'redress-compute-tasks';

export const DEFAULT_QUEUE_SCHEMA = 'redress_queue';

export function resultQueueOf(run: string): string {
  return `redress-compute-results.${run}`;
}

/** A task job's data. */
export interface TaskMessage {
  run: string;
  /** The run's result queue. */
  results: string;
  /** The case's inputs, for a worker that computes partitions and must load the case first. */
  paths: CaseInputPaths;
  request: Extract<WorkerRequest, { kind: 'scan' | 'partition' }>;
}

/** A result job's data: the value a task returned, as the task job's id names it. */
export interface ResultMessage {
  task: string;
  value: unknown;
}

export function openBoss(database: string, schema: string, options: Partial<ConstructorOptions>): PgBoss {
  return new PgBoss({ connectionString: database, schema, schedule: false, ...options });
}

/**
 * A value as jsonb can hold it. Tallies are bigint fen, which JSON has no form for, and a string
 * with a NUL (an odd investor id in the partition boundaries, say) is refused by jsonb even
 * escaped; both go as tagged objects and come back as they were.
 */
export function toJsonb(value: unknown): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (typeof value === 'string') return value.includes('\u0000') ? { $utf8: Buffer.from(value, 'utf8').toString('base64') } : value;
  if (Array.isArray(value)) return value.map(toJsonb);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJsonb(item)]));
  return value;
}

export function fromJsonb(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJsonb);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [key, item] = entries[0]!;
      if (key === '$bigint' && typeof item === 'string') return BigInt(item);
      if (key === '$utf8' && typeof item === 'string') return Buffer.from(item, 'base64').toString('utf8');
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, fromJsonb(item)]));
  }
  return value;
}

/** The message of a failed job's output, whichever shape pg-boss stored it in. */
export function failureOf(output: unknown): string {
  if (output !== null && typeof output === 'object') {
    const record = output as { message?: unknown; value?: unknown };
    if (typeof record.message === 'string') return record.message;
    if (record.value !== undefined) return failureOf(record.value);
  }
  return typeof output === 'string' ? output : JSON.stringify(output);
}

/** An error's message; a refused connection to both of a host's addresses has none of its own. */
export function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') return error.errors.map(errorText).join('; ');
  if (error instanceof Error) return error.message || String((error as NodeJS.ErrnoException).code ?? error.name);
  return String(error);
}
