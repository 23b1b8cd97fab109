import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { RunRefused } from '../jobs/computation-runs.ts';
import { LedgerRefused } from '../store/ledger-store.ts';
import { OfferRefused } from '../store/offer-store.ts';
import { PaymentRefused } from '../store/payment-store.ts';
import { RecourseRefused } from '../store/recourse-store.ts';
import { say, type Bilingual } from './i18n.ts';
import { languageOf, redirectAfterPost } from './render.ts';

/**
 * What a form came to, told to the page it returns to (POST, redirect, GET): `?done=<code>` or
 * `?refused=<code>`, with the message for a person in `note`, signed in `sig` with the session's
 * own token. A link made elsewhere cannot sign, so it cannot put words of its choosing on a page:
 * without a valid signature a page shows only its own fixed words for the code, and a code that
 * is not a plain identifier shows nothing at all.
 */
export type OutcomeKind = 'done' | 'refused';

export type OutcomeTone = 'good' | 'bad' | 'info';

/** The outcome as a page shows it, in the page's language. */
export interface Outcome {
  tone: OutcomeTone;
  text: string;
}

/** A page's own words for a code, shown when no signed message came with it. */
export type OutcomeWords = Bilingual & { tone?: OutcomeTone };

export type OutcomeWording = (kind: OutcomeKind, code: string) => OutcomeWords | undefined;

/** The query of a page a form returns to: its language, and the outcome. */
export const outcomeQuery = {
  lang: z.string().optional(),
  done: z.string().max(64).optional(),
  refused: z.string().max(64).optional(),
  note: z.string().max(8000).optional(),
  sig: z.string().max(64).optional(),
};

/** Codes are identifiers such as `duplicate` or `same-person`, never text. */
const CODE = /^[a-z][a-z0-9-]{0,63}$/;

/** A message is kept short enough for an address: a longer one is cut, not lost with its page. */
const MAX_TEXT = 1000;

function seal(token: string, kind: OutcomeKind, code: string, note: string): string {
  return createHmac('sha256', token).update(`${kind}\u001f${code}\u001f${note}`).digest('base64url');
}

/** Where a form sends its reader back to: `path` with the outcome; the message only for a signed-in session, which can sign it. */
export function outcomeLocation(request: FastifyRequest, path: string, kind: OutcomeKind, code: string, message?: Bilingual): string {
  const params = new URLSearchParams({ [kind]: code });
  if (message !== undefined && request.csrfToken) {
    const cut = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);
    const note = Buffer.from(JSON.stringify({ zh: cut(message.zh), en: cut(message.en) }), 'utf8').toString('base64url');
    params.set('note', note);
    params.set('sig', seal(request.csrfToken, kind, code, note));
  }
  return `${path}${path.includes('?') ? '&' : '?'}${params.toString()}`;
}

export function redirectWithOutcome(request: FastifyRequest, reply: FastifyReply, path: string, kind: OutcomeKind, code: string, message?: Bilingual): FastifyReply {
  return redirectAfterPost(reply, outcomeLocation(request, path, kind, code, message));
}

function signedMessage(token: string | null, kind: OutcomeKind, code: string, note: string | null, sig: string | null): Bilingual | null {
  if (token === null || note === null || sig === null) return null;
  const expected = Buffer.from(seal(token, kind, code, note));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const message = JSON.parse(Buffer.from(note, 'base64url').toString('utf8')) as Partial<Bilingual> | null;
    if (typeof message?.zh === 'string' && typeof message.en === 'string') return { zh: message.zh, en: message.en };
  } catch {
    // A signed note is always JSON; anything else reads as no note.
  }
  return null;
}

/**
 * The outcome a page was sent back with, or null. The signed message comes first; else the page's
 * own words for the code (`wording`), a refusal's after "not done"; else the bare code.
 */
export function outcomeOf(request: FastifyRequest, wording?: OutcomeWording): Outcome | null {
  const query = new URL(request.url, 'http://page.invalid').searchParams;
  const kind: OutcomeKind | null = query.has('refused') ? 'refused' : query.has('done') ? 'done' : null;
  if (kind === null) return null;
  const code = query.get(kind)!;
  if (!CODE.test(code)) return null;
  const lang = languageOf(request);
  const found = wording?.(kind, code);
  // The code comes from the address: a name such as `constructor` must not find an object's own machinery.
  const words = typeof found?.zh === 'string' && typeof found.en === 'string' ? found : undefined;
  const tone = words?.tone ?? (kind === 'refused' ? 'bad' : 'good');
  const signed = signedMessage(request.csrfToken, kind, code, query.get('note'), query.get('sig'));
  if (signed !== null) return { tone, text: signed[lang] };
  if (kind === 'done') return { tone, text: words ? words[lang] : say(lang, `已完成（${code}）`, `Done (${code})`) };
  return { tone, text: words ? say(lang, `未办理：${words.zh}`, `Not done: ${words.en}`) : say(lang, `未办理（${code}）`, `Not done (${code})`) };
}

type Refusal = Error & { code: string; bilingual: Bilingual };

/** The stores' refusals: a reason for a person, told on the page the form came from. */
function refusalOf(error: unknown): Refusal | null {
  const refusal = error instanceof RunRefused || error instanceof OfferRefused || error instanceof PaymentRefused || error instanceof LedgerRefused || error instanceof RecourseRefused;
  return refusal ? (error as Refusal) : null;
}

/** Runs a form's work; a store's refusal sends the reader back to `path` with its reason. */
export async function orRefused(request: FastifyRequest, reply: FastifyReply, path: string, work: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await work();
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal === null) throw error;
    return redirectWithOutcome(request, reply, path, 'refused', refusal.code, refusal.bilingual);
  }
}
