import type { Actor } from '../domain/access/roles.ts';
import type { Lang } from './i18n.ts';

/** What every page is rendered with: who is reading, in which language, and on which day. */
export interface WebContext {
  lang: Lang;
  actor: Actor;
  /** The session's token against cross-site forms; null for the public, who post no forms but sign-in. */
  csrfToken: string | null;
  /** The path and query of this request, for the language switch and for returning after sign-in. */
  url: string;
  /** Today in China (the procedure's calendar). */
  today: string;
}
