import { createContext, type ComponentChildren, type ComponentProps } from 'preact';
import { useContext } from 'preact/hooks';
import type { Role } from '../../../../domain/access/roles.ts';
import { CASE_COMMAND_TYPES, COMMAND_ROLES, type CaseCommandType } from '../../../../domain/procedure/case-commands.ts';
import type { Bilingual } from '../../../i18n.ts';
import type { OutcomeKind } from '../../../outcome.ts';
import type { WebContext } from '../../../web-context.ts';
import { CsrfField, Field, Select, TextArea } from '../../ui.tsx';

/**
 * The form a field belongs to: a page holds several forms whose fields share names (two forms
 * name a funder), so each field's id starts with its form's, and every label finds its own input.
 */
const FormScope = createContext('form');

function fieldId(scope: string, name: string): string {
  return `${scope}-${name}`;
}

/** Where a console form posts a command of the procedure for a case. */
export function commandUrl(caseId: string, type: CaseCommandType): string {
  return `/console/cases/${encodeURIComponent(caseId)}/commands/${type}`;
}

/**
 * Whether the reader may be shown the form of a command: the command admits their role, and they
 * are not the auditor, who reads everything and changes nothing.
 */
export function mayIssue(role: Role, type: CaseCommandType): boolean {
  return role !== 'auditor' && COMMAND_ROLES[type].includes(role);
}

/** What a page says when a command went through. */
const DONE: Partial<Record<CaseCommandType, Bilingual>> = {
  'record-issuer-challenge': { zh: '已记录发行人的复议或诉讼；程序照常进行。', en: "The issuer's challenge is recorded; the procedure goes on." },
  'add-funder': { zh: '已登记出资人。', en: 'The funder is registered.' },
  'confirm-deposit': { zh: '已确认到账，并记入基金台账。', en: 'The deposit is confirmed and booked in the ledger.' },
  'open-announcement': { zh: '公告期已开始。', en: 'The announcement period has opened.' },
  'apply-as-representative': { zh: '申请已受理。', en: 'The application is received.' },
  'apply-as-lawyer': { zh: '申请已受理。', en: 'The application is received.' },
  'record-selection-by-agreement': { zh: '已记录协商确定的人选。', en: 'The selection by agreement is recorded.' },
  'draw-lots': { zh: '已抽签，结果可复核。', en: 'The lots are drawn; anyone can recompute them.' },
  'appoint-hearing-host': { zh: '已指定听证主持人。', en: 'The hearing host is appointed.' },
  'schedule-hearing': { zh: '已安排听证并发出通知。', en: 'The hearing is scheduled and its notice given.' },
  'seat-hearing-participant': { zh: '参加人已就座。', en: 'The participant is seated.' },
  'open-hearing': { zh: '听证已开始。', en: 'The hearing has opened.' },
  'record-attendance': { zh: '已记录出席情况。', en: 'The attendance is recorded.' },
  'record-statement': { zh: '发言已记入笔录。', en: 'The statement is in the record.' },
  'record-objection': { zh: '异议已记入笔录。', en: 'The objection is in the record.' },
  'add-evidence': { zh: '证据已记入笔录。', en: 'The evidence is in the record.' },
  'sign-hearing-record': { zh: '您已签署听证笔录。', en: 'You have signed the hearing record.' },
  'close-hearing-record': { zh: '听证笔录已封存。', en: 'The hearing record is closed.' },
  'propose-plan-version': { zh: '方案新版本已提出并公布。', en: 'The new plan version is proposed and published.' },
  'overrule-review-flag': { zh: '审查提示已驳回，理由已记录。', en: 'The review flag is overruled; the reason is recorded.' },
  'adopt-plan': { zh: '方案已通过。', en: 'The plan is adopted.' },
};

/** What a refusal code means, when the refusal's own message is not at hand. */
const REFUSAL_LABELS: Record<string, Bilingual> = {
  'invalid-command': { zh: '填写的内容有误', en: 'what was entered is not valid' },
  'wrong-role': { zh: '您的身份不能办理此事项', en: 'your role may not do this' },
  'out-of-sequence': { zh: '程序尚未到这一步，或这一步已经过去', en: 'the procedure is not at this step' },
  duplicate: { zh: '重复办理', en: 'this was done already' },
  'conflict-of-interest': { zh: '存在利益冲突', en: 'conflict of interest' },
  'acting-for-another': { zh: '须由本人办理', en: 'one acts only for oneself' },
  'date-order': { zh: '日期先后不符', en: 'the dates are out of order' },
  'beyond-time-limit': { zh: '超出三个月期限', en: 'beyond the three-month limit' },
};

export function refusalLabel(code: string): Bilingual {
  return REFUSAL_LABELS[code] ?? { zh: `拒绝（${code}）`, en: `refused (${code})` };
}

/**
 * The procedure pages' own words for the outcome of a command: what went through, and what a
 * refusal code means when the refusal's signed message did not come with it.
 */
export function commandOutcomeWords(kind: OutcomeKind, code: string): Bilingual | undefined {
  if (kind === 'refused') return REFUSAL_LABELS[code];
  if (!(CASE_COMMAND_TYPES as readonly string[]).includes(code)) return undefined;
  return DONE[code as CaseCommandType] ?? { zh: '已办理。', en: 'Done.' };
}

/**
 * A form that posts one command of the procedure, with the session's token against cross-site
 * posting. `scope` tells apart several forms of one command on a page (one per review flag).
 */
export function CommandForm(props: { ctx: WebContext; caseId: string; type: CaseCommandType; title: string; submit: string; hint?: string; scope?: string; children?: ComponentChildren }) {
  const scope = props.scope ?? props.type;
  const headingId = `${scope}-title`;
  return (
    <form method="post" action={commandUrl(props.caseId, props.type)} class="form narrow card" aria-labelledby={headingId}>
      <h3 id={headingId}>{props.title}</h3>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      <CsrfField token={props.ctx.csrfToken} />
      <FormScope.Provider value={scope}>{props.children}</FormScope.Provider>
      <div class="actions"><button type="submit">{props.submit}</button></div>
    </form>
  );
}

/** The fields of a command form, each with an id of its form's (so every label finds its own input). */
export function InputField(props: Omit<ComponentProps<typeof Field>, 'id'>) {
  return <Field {...props} id={fieldId(useContext(FormScope), props.name)} />;
}

export function AreaField(props: Omit<ComponentProps<typeof TextArea>, 'id'>) {
  return <TextArea {...props} id={fieldId(useContext(FormScope), props.name)} />;
}

export function SelectField(props: Omit<ComponentProps<typeof Select>, 'id'>) {
  return <Select {...props} id={fieldId(useContext(FormScope), props.name)} />;
}

/** A hash, in full: it is what readers compare against their own copy. */
export function Hash(props: { value: string }) {
  return <code>{props.value}</code>;
}

/** A note where a form would be when the step is not open to the reader now. */
export function Unavailable(props: { children: ComponentChildren }) {
  return <p class="muted">{props.children}</p>;
}
