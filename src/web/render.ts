import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';

// Pages are any element; their props are checked where they are built.
import { renderToString } from 'preact-render-to-string';
import { PUBLIC_ACTOR } from '../server/api/actor-store.ts';
import type { ApiServices } from '../server/api/app.ts';
import { isLang, type Lang } from './i18n.ts';
import type { WebContext } from './web-context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The browser session's token against cross-site forms, when someone is signed in. */
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** A page of the web faces: signed in by cookie, answered in HTML. */
    web?: boolean;
  }
}

/** `?lang=` read from the address itself: a page's own query schema may not list it. */
function askedLanguage(request: FastifyRequest): string | null {
  return new URL(request.url, 'http://page.invalid').searchParams.get('lang');
}

/** The page's language: `?lang=` when given (and remembered), else the cookie, else Chinese. */
export function languageOf(request: FastifyRequest): Lang {
  const asked = askedLanguage(request);
  if (isLang(asked)) return asked;
  const remembered = request.cookies?.['lang'];
  return isLang(remembered) ? remembered : 'zh';
}

export function contextOf(request: FastifyRequest, services: Pick<ApiServices, 'today'>): WebContext {
  return { lang: languageOf(request), actor: request.actor ?? PUBLIC_ACTOR, csrfToken: request.csrfToken ?? null, url: request.url, today: services.today() };
}

/** Sends a page; `?lang=` is remembered for the next ones. */
export function sendPage(request: FastifyRequest, reply: FastifyReply, page: VNode<any>, statusCode = 200): FastifyReply {
  const asked = askedLanguage(request);
  if (isLang(asked) && typeof reply.setCookie === 'function') reply.setCookie('lang', asked, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600 });
  return reply.code(statusCode).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(`<!doctype html>${renderToString(page)}`);
}

/** Sends a fragment for htmx to swap into the page. */
export function sendFragment(reply: FastifyReply, fragment: VNode<any>, statusCode = 200): FastifyReply {
  return reply.code(statusCode).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderToString(fragment));
}

/** A file to keep (a statement, an instruction file): downloaded under `filename`, never cached. */
export function sendDownload(reply: FastifyReply, type: string, filename: string, body: Buffer | string): FastifyReply {
  return reply.type(type).header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${filename}"`).send(body);
}

/** After a form: back to a page (POST, redirect, GET); outcome.ts puts the outcome for it in the query. */
export function redirectAfterPost(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).header('location', location).send();
}
