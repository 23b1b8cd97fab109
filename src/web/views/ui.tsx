import type { ComponentChildren } from 'preact';
import { formatFen } from '../../domain/money/fen.ts';
import { say, type Lang } from '../i18n.ts';

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

/** Keyset paging: a link to the first page and one to the next, which carries the last key seen. */
export function Pager(props: { lang: Lang; firstUrl: string; nextUrl: string | null; target?: string }) {
  const hx = (url: string) => (props.target ? { 'hx-get': url, 'hx-target': props.target, 'hx-select': props.target, 'hx-swap': 'outerHTML', 'hx-push-url': 'true' } : {});
  return (
    <nav class="pager" aria-label={say(props.lang, '翻页', 'Pages')}>
      <a href={props.firstUrl} {...hx(props.firstUrl)}>{say(props.lang, '第一页', 'First page')}</a>
      {props.nextUrl ? <a href={props.nextUrl} rel="next" {...hx(props.nextUrl)}>{say(props.lang, '下一页', 'Next page')}</a> : <span aria-disabled="true">{say(props.lang, '已是最后一页', 'Last page')}</span>}
    </nav>
  );
}

/** A labelled form field; the label is always visible, for screen readers and for people. */
export function Field(props: { label: string; name: string; type?: string; value?: string; required?: boolean; hint?: string; autocomplete?: string; inputmode?: string; pattern?: string; maxLength?: number }) {
  const id = `field-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input id={id} name={props.name} type={(props.type ?? 'text') as 'text'} value={props.value} required={props.required} 
        autocomplete={props.autocomplete} inputMode={props.inputmode as never} pattern={props.pattern} maxLength={props.maxLength}
        aria-describedby={props.hint ? `${id}-hint` : undefined} />
      {props.hint ? <p class="hint" id={`${id}-hint`}>{props.hint}</p> : null}
    </div>
  );
}

export function TextArea(props: { label: string; name: string; required?: boolean; rows?: number; hint?: string }) {
  const id = `field-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <textarea id={id} name={props.name} required={props.required} rows={props.rows ?? 4} aria-describedby={props.hint ? `${id}-hint` : undefined}></textarea>
      {props.hint ? <p class="hint" id={`${id}-hint`}>{props.hint}</p> : null}
    </div>
  );
}
