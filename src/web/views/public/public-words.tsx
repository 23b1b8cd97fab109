import { STANDARD_TERMS_RULES } from '../../../domain/plan/standard-terms-review.ts';
import type { publicCaseView } from '../../../server/api/case-views.ts';
import { paren, say, type Lang } from '../../i18n.ts';

/** What the public pages say about a case, read from its events (case-views.ts). */
export type PublicCaseView = ReturnType<typeof publicCaseView>;

/** "第 2 版" / "version 2". */
export function versionName(lang: Lang, version: number): string {
  return say(lang, `第 ${version} 版`, `version ${version}`);
}

/** A case as lists and headings name it: the security and the decision (or commitment) that opened it. */
export function caseTitle(lang: Lang, view: Pick<PublicCaseView, 'security' | 'trigger' | 'caseId'>): string {
  const security = view.security ? `${view.security.name}${paren(lang, view.security.code)}` : view.caseId;
  const trigger = view.trigger;
  const reference = trigger === null ? '' : trigger.kind === 'penalty-decision' ? (trigger as { decisionNumber: string }).decisionNumber : (trigger as { commitmentNumber: string }).commitmentNumber;
  return reference ? `${security} ${reference}` : security;
}

/** The short name of a standard-terms rule: its explanation up to the colon. */
export function reviewRuleName(lang: Lang, ruleId: string): string {
  const rule = STANDARD_TERMS_RULES.find((entry) => entry.id === ruleId);
  if (!rule) return ruleId;
  return rule.explanation[lang].split(/[：:]/)[0]!;
}
