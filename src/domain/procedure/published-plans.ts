import type { PlanDocument } from '../plan/plan-document.ts';
import type { CaseEvent } from './case-events.ts';

/**
 * The plan versions a case published, read from its events: each version's document and hash as
 * proposed, and the version the hearing adopted, which is the only plan a computation may run on.
 */
export function planDocumentOf(events: readonly CaseEvent[], version: number): { document: PlanDocument; hash: string } | null {
  for (const event of events) {
    if (event.type === 'plan-version-proposed' && event.version === version) return { document: event.document, hash: event.hash };
  }
  return null;
}

/** The adopted plan with its loss parameters, or null before a hearing adopted one. */
export function adoptedPlanOf(events: readonly CaseEvent[]): { version: number; hash: string; lossParameters: PlanDocument['lossParameters'] } | null {
  let adopted: Extract<CaseEvent, { type: 'plan-adopted' }> | null = null;
  for (const event of events) if (event.type === 'plan-adopted') adopted = event;
  if (adopted === null) return null;
  const plan = planDocumentOf(events, adopted.version);
  return plan === null ? null : { version: adopted.version, hash: adopted.planHash, lossParameters: plan.document.lossParameters };
}
