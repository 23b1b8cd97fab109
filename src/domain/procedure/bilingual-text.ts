/**
 * Text a person reads (a refusal, a notice, a breach): Chinese first, English second, always both,
 * so that every screen and every published notice can show either without a translation step.
 */
export interface BilingualText {
  zh: string;
  en: string;
}
