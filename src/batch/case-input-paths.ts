import type { CsvEncoding } from '../io/csv-scan.ts';

/**
 * Where a case's input files are, and nothing else: this module imports nothing of the engine,
 * so that a thread that only reads the files (input-hashes.ts) starts in a few milliseconds.
 */

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
