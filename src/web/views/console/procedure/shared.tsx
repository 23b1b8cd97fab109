import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { Role } from '../../../../domain/access/roles.ts';
import { COMMAND_ROLES, type CaseCommandType } from '../../../../domain/procedure/case-commands.ts';
import type { CasePhase, DeadlineKind } from '../../../../domain/procedure/case-progress.ts';
import { say, type Bilingual, type Lang } from '../../../i18n.ts';
import type { WebContext } from '../../../web-context.ts';
import { CsrfField, Flash } from '../../ui.tsx';

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

/** The outcome of the last form, as the page it returned to was asked to show it. */
export type FormOutcome =
  | { kind: 'done'; type: CaseCommandType }
  | { kind: 'refused'; code: string; message: Bilingual | null };

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

/** The message for a command that went through. */
export function doneMessage(type: CaseCommandType): Bilingual {
  return DONE[type] ?? { zh: '已办理。', en: 'Done.' };
}

/** A text with a note after it, in the brackets of the page's language: 李某某（funder） or 李某某 (funder). */
export function withNote(lang: Lang, main: string, note: string): string {
  return lang === 'zh' ? `${main}（${note}）` : `${main} (${note})`;
}

/** A label and what it labels, with the colon of the page's language. */
export function labelled(lang: Lang, label: string, text: string): string {
  return lang === 'zh' ? `${label}：${text}` : `${label}: ${text}`;
}

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

export function OutcomeFlash(props: { lang: Lang; outcome: FormOutcome | null }) {
  const { lang, outcome } = props;
  if (outcome === null) return null;
  if (outcome.kind === 'done') return <Flash tone="good">{doneMessage(outcome.type)[lang]}</Flash>;
  const label = refusalLabel(outcome.code);
  return (
    <Flash tone="bad">
      <strong>{say(lang, '未办理：', 'Not done: ')}</strong>
      {outcome.message ? outcome.message[lang] : label[lang]}
      <span class="muted">{` (${outcome.code})`}</span>
    </Flash>
  );
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

/** A labelled input of a command form; the label is always visible, for screen readers and for people. */
export function InputField(props: { label: string; name: string; type?: string; value?: string; required?: boolean; hint?: string; inputmode?: string; pattern?: string; maxLength?: number; min?: number }) {
  const id = fieldId(useContext(FormScope), props.name);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input id={id} name={props.name} type={(props.type ?? 'text') as 'text'} value={props.value} required={props.required}
        inputMode={props.inputmode as never} pattern={props.pattern} maxLength={props.maxLength} min={props.min}
        aria-describedby={props.hint ? `${id}-hint` : undefined} />
      {props.hint ? <p class="hint" id={`${id}-hint`}>{props.hint}</p> : null}
    </div>
  );
}

export function AreaField(props: { label: string; name: string; required?: boolean; rows?: number; hint?: string }) {
  const id = fieldId(useContext(FormScope), props.name);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <textarea id={id} name={props.name} required={props.required} rows={props.rows ?? 4} aria-describedby={props.hint ? `${id}-hint` : undefined}></textarea>
      {props.hint ? <p class="hint" id={`${id}-hint`}>{props.hint}</p> : null}
    </div>
  );
}

/** A labelled choice among a few options. */
export function SelectField(props: { label: string; name: string; options: { value: string; label: string }[]; value?: string; required?: boolean; hint?: string }) {
  const id = fieldId(useContext(FormScope), props.name);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name} required={props.required} aria-describedby={props.hint ? `${id}-hint` : undefined}>
        {props.options.map((option) => <option value={option.value} selected={option.value === props.value}>{option.label}</option>)}
      </select>
      {props.hint ? <p class="hint" id={`${id}-hint`}>{props.hint}</p> : null}
    </div>
  );
}

/** A hash, in full: it is what readers compare against their own copy. */
export function Hash(props: { value: string }) {
  return <code>{props.value}</code>;
}

/** A note where a form would be when the step is not open to the reader now. */
export function Unavailable(props: { children: ComponentChildren }) {
  return <p class="muted">{props.children}</p>;
}

export const PHASE_NAMES: Record<CasePhase, Bilingual> = {
  scheduled: { zh: '待启动', en: 'scheduled' },
  opened: { zh: '已启动', en: 'opened' },
  announcement: { zh: '公告期', en: 'announcement' },
  selection: { zh: '待抽签', en: 'selection by lot' },
  hearing: { zh: '听证', en: 'hearing' },
  plan: { zh: '待通过方案', en: 'plan to adopt' },
  computation: { zh: '待计算', en: 'computation' },
  computed: { zh: '已计算', en: 'computed' },
};

export const DEADLINE_NAMES: Record<DeadlineKind, Bilingual> = {
  opening: { zh: '程序启动', en: 'Opening' },
  'announcement-end': { zh: '公告期届满', en: 'End of the announcement period' },
  hearing: { zh: '听证', en: 'Hearing' },
  'plan-adoption': { zh: '方案通过', en: 'Adoption of the plan' },
  'review-end': { zh: '审核期结束', en: 'End of the review' },
  'acceptance-opens': { zh: '受理开始', en: 'Acceptance opens' },
  'acceptance-closes': { zh: '受理截止', en: 'Acceptance closes' },
  payment: { zh: '支付日', en: 'Payment date' },
  'plan-end': { zh: '方案结束日', en: "Plan's end date" },
  limit: { zh: '期限届满', en: 'Limit date' },
};

export const POOL_NAMES: Record<'representatives' | 'lawyers', Bilingual> = {
  representatives: { zh: '投资者代表', en: 'Investor representatives' },
  lawyers: { zh: '投资者律师', en: "Investors' lawyers" },
};

export const SIDE_NAMES: Record<'liable-parties' | 'investors', Bilingual> = {
  'liable-parties': { zh: '责任方', en: 'Liable parties' },
  investors: { zh: '投资者方', en: 'Investors' },
};
