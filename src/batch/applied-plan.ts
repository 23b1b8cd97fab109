import type { LossCase } from '../domain/loss/loss-case.ts';

/**
 * The plan as applied, for summary.json: every field with its default filled in, and the
 * quantities the engine decided (base date and base price when computed, the stamp duty rate
 * when taken by date), so a reader can rerun the case from the summary alone.
 */
export function describeAppliedPlan(lossCase: LossCase): Record<string, unknown> {
  const { plan, keyDates } = lossCase;
  const rule = keyDates.baseDateRule;
  return {
    ...plan.document,
    baseDate: keyDates.baseDate,
    basePrice: keyDates.basePrice.toTrimmed(12),
    applied: {
      firstTradingDay: keyDates.firstTradingDay,
      baseDateRule:
        rule.kind === 'plan'
          ? 'fixed by the plan'
          : rule.kind === 'turnover'
            ? `${rule.ruleSet}: cumulative volume reached the float (${rule.float}) on trading day ${rule.reachedOnDay}; base date is trading day ${rule.baseDay}`
            : `${rule.ruleSet}: cumulative volume (${rule.cumulativeVolume}) had not reached the float (${rule.float}) by trading day ${rule.baseDay}; base date is trading day ${rule.baseDay}`,
      tradingDaysInBaseWindow: keyDates.baseWindow.length,
      basePriceSource: keyDates.basePriceMean === null ? 'plan' : 'mean of closes',
      basePriceMean: keyDates.basePriceMean?.toFraction() ?? null,
      stampDutyRate: lossCase.stampDutyRate.toTrimmed(12),
    },
  };
}
