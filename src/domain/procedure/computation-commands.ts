import type { CommandOf } from './case-commands.ts';
import type { CaseState } from './case-state.ts';
import { accept, isRefusal, openCase, refuse, stamp, type Decision, type ProcedureContext } from './decision.ts';

/**
 * Step 7 of procedure.md: a computation run is recorded only against the adopted plan, named by
 * version and hash, so a result can never rest on a draft. Runs may repeat (after a correction of
 * the data); the latest counts, and its total sets the shortfall against the deposits.
 */
export function recordComputationRun(state: CaseState | null, command: CommandOf<'record-computation-run'>, context: ProcedureContext): Decision {
  const open = openCase(state, context);
  if (isRefusal(open)) return open;
  const adopted = open.adoptedPlan;
  if (adopted === null) return refuse('out-of-sequence', '方案尚未通过，不能记录计算', 'no plan has been adopted: there is nothing to compute against');
  if (command.planVersion !== adopted.version || command.planHash !== adopted.planHash) {
    return refuse(
      'plan-mismatch',
      `计算所用方案（第 ${command.planVersion} 版，${command.planHash}）不是已通过的方案（第 ${adopted.version} 版，${adopted.planHash}）`,
      `the run used plan version ${command.planVersion} (${command.planHash}), not the adopted version ${adopted.version} (${adopted.planHash})`,
    );
  }
  if (open.computationRuns.some((run) => run.runId === command.runId)) {
    return refuse('duplicate', `计算 ${command.runId} 已经记录`, `run ${command.runId} is already recorded`);
  }
  return accept({
    type: 'computation-run-recorded',
    ...stamp(context),
    runId: command.runId,
    planVersion: command.planVersion,
    planHash: command.planHash,
    inputHash: command.inputHash,
    counts: { ...command.counts },
    totalPayableFen: command.totalPayableFen,
  });
}
