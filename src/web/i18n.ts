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
