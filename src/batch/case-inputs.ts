import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { prepareLossCase, type LossCase } from '../domain/loss/loss-case.ts';
import type { CsvEncoding } from '../io/csv-scan.ts';
import { readPlanFile } from '../io/plan-file.ts';
import { readActionsFile, readIndexFile, readMarketFile } from '../io/shared-data-files.ts';

/** The input files of `redress compute` (loss-methodology.md §7). */
export interface CaseInputPaths {
  plan: string;
  trades: string;
  holdings?: string | undefined;
  market?: string | undefined;
  index?: string | undefined;
  actions?: string | undefined;
  ratios?: string | undefined;
  encoding: CsvEncoding;
}

export type InputRole = 'plan' | 'trades' | 'holdings' | 'market' | 'index' | 'actions' | 'ratios';
export const INPUT_ROLES: readonly InputRole[] = ['plan', 'trades', 'holdings', 'market', 'index', 'actions', 'ratios'];

/** Just the case's inputs of options that carry more, for a message to another thread or process. */
export function inputPathsOf(options: CaseInputPaths): CaseInputPaths {
  const { plan, trades, holdings, market, index, actions, ratios, encoding } = options;
  return { plan, trades, holdings, market, index, actions, ratios, encoding };
}

/**
 * Reads the plan and the shared data and decides the case-wide quantities. Everything that can
 * stop the whole case before any investor is read happens here.
 */
export async function loadLossCase(paths: CaseInputPaths): Promise<LossCase> {
  const { plan } = await readPlanFile(paths.plan);
  const [market, indexCloses, actions] = await Promise.all([
    paths.market ? readMarketFile(paths.market, paths.encoding) : Promise.resolve([]),
    paths.index ? readIndexFile(paths.index, paths.encoding) : Promise.resolve(new Map()),
    paths.actions ? readActionsFile(paths.actions, paths.encoding) : Promise.resolve([]),
  ]);
  return prepareLossCase({ plan, market, actions, indexCloses });
}

/** SHA-256 of each input file's bytes, and one digest over all of them (role, name, digest per line). */
export async function hashInputs(paths: CaseInputPaths): Promise<{ files: Record<string, { file: string; sha256: string }>; sha256: string }> {
  const files: Record<string, { file: string; sha256: string }> = {};
  for (const role of INPUT_ROLES) {
    const path = paths[role];
    if (!path) continue;
    files[role] = { file: basename(path), sha256: await hashFile(path) };
  }
  const combined = createHash('sha256');
  for (const role of INPUT_ROLES) {
    const entry = files[role];
    if (entry) combined.update(`${role}\t${entry.file}\t${entry.sha256}\n`);
  }
  combined.update(`encoding\t${paths.encoding}\n`);
  return { files, sha256: combined.digest('hex') };
}

/**
 * Reads into one buffer, reused: the hash runs beside the computation's threads, and a fresh
 * buffer per chunk made this thread collect garbage for as long as it hashed. The chunks are
 * large because the main thread, which also computes, hashes one chunk between two of its tasks:
 * in chunks of 4 MiB the hash of 10M rows ended some 130 ms after the last partition, the other
 * thread idle meanwhile.
 */
async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(32 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
