/**
 * Pages speak Chinese first and English second: every text a page shows exists in both, and a
 * switch on every page picks one (a `lang` cookie, set by `?lang=`).
 */
export type Lang = 'zh' | 'en';

export interface Bilingual {
  zh: string;
  en: string;
}

export function isLang(value: unknown): value is Lang {
  return value === 'zh' || value === 'en';
}

/** The text in the page's language. */
export function say(lang: Lang, zh: string, en: string): string {
  return lang === 'zh' ? zh : en;
}

export function sayBilingual(lang: Lang, text: Bilingual): string {
  return text[lang];
}

/** An aside in brackets: full-width in Chinese, spaced round ones in English. */
export function paren(lang: Lang, text: string): string {
  return lang === 'zh' ? `（${text}）` : ` (${text})`;
}

/** A text with a note after it in the page's brackets: 李某某（funder） or 李某某 (funder). */
export function withNote(lang: Lang, main: string, note: string): string {
  return `${main}${paren(lang, note)}`;
}

/** A label and what it labels, with the colon of the page's language. */
export function labelled(lang: Lang, label: string, text: string): string {
  return lang === 'zh' ? `${label}：${text}` : `${label}: ${text}`;
}
