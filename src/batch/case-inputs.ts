import { prepareLossCase, type LossCase } from '../domain/loss/loss-case.ts';
import type { CaseInputPaths } from './case-input-paths.ts';
import { readPlanFile } from '../io/plan-file.ts';
import { readActionsFile, readIndexFile, readMarketFile } from '../io/shared-data-files.ts';

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
