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
