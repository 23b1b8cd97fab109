import type { ComponentChildren } from 'preact';
import { say, type Bilingual, type Lang } from '../../../i18n.ts';
import { Flash, Tag, type Tone } from '../../ui.tsx';

/**
 * Pieces shared by the console's money pages: the outcome of the last form, form fields whose ids
 * stay unique when one page carries several forms, and the words for each status.
 */

/** What the last form on a page came to, as the route read it back from the address. */
export interface Outcome {
  tone: 'good' | 'bad' | 'info';
  message: Bilingual;
}

export function OutcomeFlash(props: { lang: Lang; outcome: Outcome | null }) {
  if (props.outcome === null) return null;
  return <Flash tone={props.outcome.tone}>{props.outcome.message[props.lang]}</Flash>;
}

/** A labelled input; `id` must be unique on the page (several forms may share field names). */
export function Input(props: {
  id: string; label: string; name: string; type?: string; value?: string; required?: boolean; hint?: string;
  pattern?: string; inputmode?: 'numeric' | 'decimal' | 'text'; maxLength?: number; placeholder?: string; autocomplete?: string;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input id={props.id} name={props.name} type={(props.type ?? 'text') as 'text'} value={props.value} required={props.required} pattern={props.pattern}
        inputMode={props.inputmode} maxLength={props.maxLength} placeholder={props.placeholder} autocomplete={props.autocomplete}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined} />
      {props.hint ? <p class="hint" id={`${props.id}-hint`}>{props.hint}</p> : null}
    </div>
  );
}

export function Select(props: { id: string; label: string; name: string; options: [string, string][]; value?: string; required?: boolean; hint?: string }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.name} required={props.required} aria-describedby={props.hint ? `${props.id}-hint` : undefined}>
        {props.options.map(([value, label]) => <option value={value} selected={value === (props.value ?? '')}>{label}</option>)}
      </select>
      {props.hint ? <p class="hint" id={`${props.id}-hint`}>{props.hint}</p> : null}
    </div>
  );
}

export function Area(props: { id: string; label: string; name: string; required?: boolean; rows?: number; hint?: string; value?: string; maxLength?: number }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <textarea id={props.id} name={props.name} required={props.required} rows={props.rows ?? 3} maxLength={props.maxLength}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}>{props.value ?? ''}</textarea>
      {props.hint ? <p class="hint" id={`${props.id}-hint`}>{props.hint}</p> : null}
    </div>
  );
}

/** One figure as a card: a label and its value; `id` lets a reader (or a test) find it. */
export function Stat(props: { id?: string; label: string; children: ComponentChildren; note?: string }) {
  return (
    <div class="stat" id={props.id}>
      <div class="label">{props.label}</div>
      <div class="value">{props.children}</div>
      {props.note ? <div class="hint">{props.note}</div> : null}
    </div>
  );
}

/** An instant as Beijing time, `YYYY-MM-DD HH:MM`: the procedure's clock, whatever the server's zone. */
export function chinaTime(at: Date | string | null): string {
  if (at === null) return '—';
  const instant = typeof at === 'string' ? new Date(at) : at;
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A link that keeps the page's filters and replaces the given ones (an empty value drops the parameter). */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, value);
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

type Labelled = Record<string, { zh: string; en: string; tone: Tone }>;

const OFFER_STATUS: Labelled = {
  offered: { zh: '待答复', en: 'open', tone: 'info' },
  accepted: { zh: '已接受', en: 'accepted', tone: 'good' },
  refused: { zh: '已拒绝', en: 'refused', tone: 'neutral' },
  disputed: { zh: '异议复核中', en: 'disputed', tone: 'warn' },
  superseded: { zh: '已被替代', en: 'superseded', tone: 'neutral' },
};

const RUN_STATUS: Labelled = {
  running: { zh: '计算中', en: 'running', tone: 'info' },
  finished: { zh: '已完成', en: 'finished', tone: 'good' },
  failed: { zh: '失败', en: 'failed', tone: 'bad' },
};

const RESULT_STATUS: Labelled = {
  payable: { zh: '可赔付', en: 'payable', tone: 'good' },
  zero: { zh: '无损失', en: 'no loss', tone: 'neutral' },
  ineligible: { zh: '不适格', en: 'ineligible', tone: 'neutral' },
  rejected: { zh: '数据有误', en: 'rejected', tone: 'bad' },
};

const BATCH_STATUS: Labelled = {
  prepared: { zh: '待批准', en: 'awaiting approval', tone: 'warn' },
  approved: { zh: '已批准', en: 'approved', tone: 'info' },
  sent: { zh: '已发出', en: 'sent', tone: 'info' },
  settled: { zh: '已结清', en: 'settled', tone: 'good' },
};

const ITEM_STATUS: Labelled = {
  pending: { zh: '待发出', en: 'pending', tone: 'neutral' },
  sent: { zh: '已发出', en: 'sent', tone: 'info' },
  paid: { zh: '已支付', en: 'paid', tone: 'good' },
  failed: { zh: '支付失败', en: 'failed', tone: 'bad' },
};

export const STATUS_WORDS = { offer: OFFER_STATUS, run: RUN_STATUS, result: RESULT_STATUS, batch: BATCH_STATUS, item: ITEM_STATUS } as const;

/** A status as a coloured tag in the page's language; an unknown status shows as itself. */
export function StatusTag(props: { lang: Lang; of: keyof typeof STATUS_WORDS; status: string }) {
  const words = STATUS_WORDS[props.of][props.status];
  return <Tag tone={words?.tone ?? 'neutral'}>{words ? words[props.lang] : props.status}</Tag>;
}

/** The options of a status filter: every status, after "all". */
export function statusOptions(lang: Lang, of: keyof typeof STATUS_WORDS): [string, string][] {
  return [['', say(lang, '全部', 'All')], ...Object.entries(STATUS_WORDS[of]).map(([status, words]): [string, string] => [status, words[lang]])];
}

export const ANSWER_KINDS: Record<string, Bilingual> = {
  accept: { zh: '接受', en: 'accept' },
  refuse: { zh: '拒绝', en: 'refuse' },
  dispute: { zh: '提出异议', en: 'dispute' },
};

export const ANSWER_CHANNELS: Record<string, Bilingual> = {
  portal: { zh: '投资者网上答复', en: 'investor portal' },
  'exchange-file': { zh: '交易所申报文件', en: "exchange's declaration file" },
  counter: { zh: '柜台', en: 'counter' },
};

export const LIABLE_PARTY_KIND_NAMES: Record<string, Bilingual> = {
  issuer: { zh: '发行人', en: 'issuer' },
  sponsor: { zh: '保荐机构', en: 'sponsor' },
  'controlling-shareholder': { zh: '控股股东', en: 'controlling shareholder' },
  'actual-controller': { zh: '实际控制人', en: 'actual controller' },
  auditor: { zh: '会计师事务所', en: 'auditor' },
  'law-firm': { zh: '律师事务所', en: 'law firm' },
  other: { zh: '其他', en: 'other' },
};

/** A name with its id after it, in the page's own brackets: 李某某（controller-li）, or Li (controller-li). */
export function nameWithId(lang: Lang, name: string | undefined, id: string): string {
  if (name === undefined || name === id) return id;
  return say(lang, `${name}（${id}）`, `${name} (${id})`);
}

/** A word from a table in the page's language, or the key itself when the table lacks it. */
export function wordOf(lang: Lang, table: Record<string, Bilingual>, key: string): string {
  return table[key]?.[lang] ?? key;
}
