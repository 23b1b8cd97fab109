import type { ComponentChildren } from 'preact';
import { say, withNote, type Lang } from '../../../i18n.ts';
import { Field, FilterForm, Select, type SelectOption } from '../../ui.tsx';
import { STATUS_WORDS, type StatusFamily } from '../../words.ts';

/** Pieces shared by the console's money pages: figures as cards, times, filters and links that keep them. */

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

/** The options of a status filter: every status, after "all". */
export function statusOptions(lang: Lang, of: StatusFamily): SelectOption[] {
  return [{ value: '', label: say(lang, '全部', 'All') }, ...Object.entries(STATUS_WORDS[of]).map(([status, word]) => ({ value: status, label: word[lang] }))];
}

/**
 * The filters of a list of investors' rows (offers, a run's results): a status, and the start of
 * the investor's id. The list is the element `#<list>-list`, which the filters update in place.
 */
export function InvestorListFilters(props: { lang: Lang; action: string; list: string; family: StatusFamily; filters: { status: string; q: string } }) {
  const { lang, list } = props;
  return (
    <FilterForm lang={lang} action={props.action} target={`#${list}-list`}>
      <Select id={`${list}-status`} label={say(lang, '状态', 'Status')} name="status" value={props.filters.status} options={statusOptions(lang, props.family)} />
      <Field id={`${list}-q`} label={say(lang, '投资者编号开头', 'Investor id starts with')} name="q" value={props.filters.q} maxLength={64} />
    </FilterForm>
  );
}

/** A name with its id after it, in the page's own brackets: 李某某（controller-li）, or Li (controller-li). */
export function nameWithId(lang: Lang, name: string | undefined, id: string): string {
  return name === undefined || name === id ? id : withNote(lang, name, id);
}
