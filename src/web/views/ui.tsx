import type { ComponentChildren } from 'preact';
import { formatFen } from '../../domain/money/fen.ts';
import { say, type Lang } from '../i18n.ts';
import type { Outcome } from '../outcome.ts';
import { statusWord, type StatusFamily } from './words.ts';

/** An amount in fen, shown in yuan with thousands separators: ¥1,234.56. */
export function yuan(fen: bigint | string): string {
  const text = formatFen(typeof fen === 'string' ? BigInt(fen) : fen);
  const negative = text.startsWith('-');
  const [whole, cents] = (negative ? text.slice(1) : text).split('.');
  return `${negative ? '-' : ''}¥${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

export function Money(props: { fen: bigint | string }) {
  return <span class="money">{yuan(props.fen)}</span>;
}

/** A share of a whole as a percentage with one decimal, computed in integers. */
export function percent(part: bigint | number, whole: bigint | number): string {
  const p = BigInt(part);
  const w = BigInt(whole);
  if (w === 0n) return '—';
  const tenths = (p * 1000n * 2n + w) / (2n * w);
  return `${tenths / 10n}.${tenths % 10n}%`;
}

/** The hidden field every signed-in form carries against cross-site posting. */
export function CsrfField(props: { token: string | null }) {
  return props.token ? <input type="hidden" name="_csrf" value={props.token} /> : null;
}

export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';

export function Tag(props: { tone?: Tone; children: ComponentChildren }) {
  return <span class={`tag tag-${props.tone ?? 'neutral'}`}>{props.children}</span>;
}

/** A message at the top of a page: the outcome of the last action, or a refusal with its reason. */
export function Flash(props: { tone: 'good' | 'bad' | 'info'; children: ComponentChildren }) {
  return <div class={`flash flash-${props.tone}`} role={props.tone === 'bad' ? 'alert' : 'status'}>{props.children}</div>;
}

/** The outcome of the form that led back to this page (outcome.ts), when there was one. */
export function OutcomeFlash(props: { outcome: Outcome | null }) {
  return props.outcome === null ? null : <Flash tone={props.outcome.tone}>{props.outcome.text}</Flash>;
}

/** A status (words.ts) as a coloured tag in the page's language; an unknown status shows as itself. */
export function StatusTag(props: { lang: Lang; of: StatusFamily; status: string }) {
  const word = statusWord(props.lang, props.of, props.status);
  return <Tag tone={word.tone}>{word.text}</Tag>;
}

/** Label–value pairs, as a definition list. */
export function Facts(props: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {props.items.map(([label, value]) => (
        <div key={label}><dt>{label}</dt><dd>{value}</dd></div>
      ))}
    </dl>
  );
}

export function Section(props: { id?: string; title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card" id={props.id} aria-labelledby={props.id ? `${props.id}-title` : undefined}>
      <div class="card-head">
        <h2 id={props.id ? `${props.id}-title` : undefined}>{props.title}</h2>
        {props.actions ?? null}
      </div>
      {props.children}
    </section>
  );
}

export interface Column<Row> {
  label: string;
  cell: (row: Row) => ComponentChildren;
  numeric?: boolean;
}

/** A table that scrolls sideways on a phone rather than squeezing its columns. */
export function DataTable<Row>(props: { caption: string; columns: Column<Row>[]; rows: Row[]; empty: string; rowKey: (row: Row) => string }) {
  return (
    <div class="table-wrap" role="region" aria-label={props.caption} tabindex={0}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>{props.columns.map((column) => <th scope="col" class={column.numeric ? 'num' : undefined}>{column.label}</th>)}</tr>
        </thead>
        <tbody>
          {props.rows.length === 0 ? (
            <tr><td colSpan={props.columns.length} class="empty">{props.empty}</td></tr>
          ) : props.rows.map((row) => (
            <tr key={props.rowKey(row)}>{props.columns.map((column) => <td class={column.numeric ? 'num' : undefined}>{column.cell(row)}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** htmx's attributes that replace `target` with the same element of the page at `url`, and put `url` in the address bar. */
function inPlace(url: string, target: string) {
  return { 'hx-get': url, 'hx-target': target, 'hx-select': target, 'hx-swap': 'outerHTML', 'hx-push-url': 'true' };
}

/** Keyset paging: a link to the first page and one to the next, which carries the last key seen. */
export function Pager(props: { lang: Lang; firstUrl: string; nextUrl: string | null; target?: string }) {
  const hx = (url: string) => (props.target ? inPlace(url, props.target) : {});
  return (
    <nav class="pager" aria-label={say(props.lang, '翻页', 'Pages')}>
      <a href={props.firstUrl} {...hx(props.firstUrl)}>{say(props.lang, '第一页', 'First page')}</a>
      {props.nextUrl ? <a href={props.nextUrl} rel="next" {...hx(props.nextUrl)}>{say(props.lang, '下一页', 'Next page')}</a> : <span aria-disabled="true">{say(props.lang, '已是最后一页', 'Last page')}</span>}
    </nav>
  );
}

/** The filters of a list: a plain GET form, which htmx turns into an update of the list (`target`) in place. */
export function FilterForm(props: { lang: Lang; action: string; target: string; children: ComponentChildren }) {
  return (
    <form method="get" action={props.action} class="filters" role="search" {...inPlace(props.action, props.target)}>
      {props.children}
      <button type="submit" class="secondary">{say(props.lang, '筛选', 'Filter')}</button>
    </form>
  );
}

/** The frame of a form field: its label, always visible for screen readers and for people, and the hint its control points to. */
function FieldFrame(props: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? <p class="hint" id={`${props.id}-hint`}>{props.hint}</p> : null}
    </div>
  );
}

const hintId = (id: string, hint: string | undefined) => (hint ? `${id}-hint` : undefined);

/**
 * The fields of a form. `id` must be unique on the page; it defaults to one made from the name,
 * which serves a page with one form (several forms sharing field names give their own ids).
 */
export interface FieldProps {
  id?: string;
  label: string;
  name: string;
  required?: boolean;
  hint?: string;
}

export function Field(props: FieldProps & { type?: string; value?: string; autocomplete?: string; inputmode?: string; pattern?: string; maxLength?: number; min?: number; placeholder?: string }) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint}>
      <input id={id} name={props.name} type={(props.type ?? 'text') as 'text'} value={props.value} required={props.required}
        autocomplete={props.autocomplete} inputMode={props.inputmode as never} pattern={props.pattern} maxLength={props.maxLength} min={props.min} placeholder={props.placeholder}
        aria-describedby={hintId(id, props.hint)} />
    </FieldFrame>
  );
}

export function TextArea(props: FieldProps & { rows?: number; value?: string; maxLength?: number }) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint}>
      <textarea id={id} name={props.name} required={props.required} rows={props.rows ?? 4} maxLength={props.maxLength} aria-describedby={hintId(id, props.hint)}>{props.value ?? ''}</textarea>
    </FieldFrame>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

/** A labelled choice among a few options; `value` is the one chosen (none given: the one whose value is empty, else the first). */
export function Select(props: FieldProps & { options: SelectOption[]; value?: string }) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint}>
      <select id={id} name={props.name} required={props.required} aria-describedby={hintId(id, props.hint)}>
        {props.options.map((option) => <option value={option.value} selected={option.value === (props.value ?? '')}>{option.label}</option>)}
      </select>
    </FieldFrame>
  );
}
