import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../domain/access/roles.ts';
import { actorByToken, PUBLIC_ACTOR } from '../server/api/actor-store.ts';
import { ApiError } from '../server/api/api-error.ts';
import { deferForDatabase, type ApiServices, type TypedApp } from '../server/api/app.ts';
import { isDatabaseUnavailable } from '../store/database.ts';
import { InvestorSignIn } from '../store/investor-sign-in.ts';
import type { NotificationOutbox } from '../store/notification-outbox.ts';
import { closeSession, openSession, SESSION_LIFETIME_MS, sessionOf } from '../store/web-sessions.ts';
import { contextOf, redirectAfterPost, sendPage } from './render.ts';
import { registerAdminPages } from './routes/admin-pages.ts';
import { registerInvestorPages } from './routes/investor-pages.ts';
import { registerPublicPages } from './routes/public-pages.ts';
import { ErrorPage, HomePage, InvestorCodePage, InvestorSignInPage, StaffSignInPage } from './views/common-pages.tsx';

const SESSION_COOKIE = 'redress_session';
const require = createRequire(import.meta.url);

/** The stylesheet and htmx, read once: the pages need nothing else from the server's disk. */
const ASSETS: Record<string, { type: string; body: Buffer }> = {
  'site.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('./assets/site.css', import.meta.url)) },
  'htmx.min.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js')) },
};

export interface WebOptions {
  outbox: NotificationOutbox;
  /** Where computation runs' datasets are: the charts read the market and index closes there. */
  importRoot: string;
  /** Sign-in attempts admitted per address and minute (tests raise it). */
  signInRateLimit?: number;
}

/** Extra services of the pages. */
export interface WebServices extends ApiServices {
  outbox: NotificationOutbox;
  importRoot: string;
}

/** Where someone who must sign in for a page is sent: investors to their portal's sign-in. */
function signInPathFor(roles: readonly Role[]): string {
  return roles.length === 1 && roles[0] === 'investor' ? '/portal/sign-in' : '/sign-in';
}

/** Only a path on this site may be a place to return to after signing in. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/';
}

/**
 * The web faces on the API's server: public pages, the investors' portal and the staff console.
 * Pages declare their roles as API routes do (`config.access`) plus `config.web`; a browser is
 * signed in by a session cookie (HttpOnly, SameSite=Lax) whose token must come back with every
 * form it posts (`_csrf` field, or the `x-csrf-token` header htmx sends).
 */
export async function registerWeb(root: TypedApp, services: ApiServices, options: WebOptions): Promise<{ notFound: (request: FastifyRequest, reply: FastifyReply) => unknown }> {
  // The pages live in a context of their own, with their own hooks and error pages; the API's stay as they are.
  await root.register(async (scope) => registerPages(scope.withTypeProvider<ZodTypeProvider>(), services, options));
  return {
    notFound: (request, reply) => sendPage(request, reply, h(ErrorPage, { ctx: contextOf(request, services), statusCode: 404, message: { zh: '没有这个页面', en: 'No such page' } }), 404),
  };
}

async function registerPages(app: TypedApp, services: ApiServices, options: WebOptions): Promise<void> {
  const web: WebServices = { ...services, outbox: options.outbox, importRoot: options.importRoot };
  const { db } = services.database;
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifyRateLimit, { global: false });
  app.decorateRequest('csrfToken', null);

  const renderError = (request: FastifyRequest, reply: FastifyReply, statusCode: number, message: { zh: string; en: string }) =>
    sendPage(request, reply, h(ErrorPage, { ctx: contextOf(request, services), statusCode, message }), statusCode);

  app.addHook('onRequest', async (request, reply) => {
    if (!request.routeOptions.config.web) return;
    request.actor = PUBLIC_ACTOR;
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      const session = await sessionOf(db, cookie, services.clock.now());
      if (session) {
        request.actor = session.actor;
        request.csrfToken = session.csrfToken;
      }
    }
    const roles = request.routeOptions.config.access?.roles ?? [];
    if (roles.includes(request.actor.role)) return;
    if (request.actor.role === 'public') {
      if (request.method === 'GET') return reply.code(303).header('location', `${signInPathFor(roles)}?next=${encodeURIComponent(request.url)}`).send();
      return renderError(request, reply, 401, { zh: '请先登录', en: 'Sign in first' });
    }
    return renderError(request, reply, 403, { zh: `您的身份（${request.actor.role}）不能访问此页面`, en: `Your role (${request.actor.role}) may not use this page` });
  });

  // A signed-in browser's forms must carry the session's token: a page on another site cannot.
  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config.web || request.method === 'GET' || request.method === 'HEAD' || request.csrfToken === null) return;
    const sent = (request.body as Record<string, unknown> | undefined)?.['_csrf'] ?? request.headers['x-csrf-token'];
    if (sent !== request.csrfToken) return renderError(request, reply, 403, { zh: '表单已失效，请刷新页面后重试', en: 'The form has expired; reload the page and try again' });
  });

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    if (error instanceof ApiError) return renderError(request, reply, error.statusCode, error.bilingual);
    if (error.statusCode === 429) return renderError(request, reply, 429, { zh: '尝试次数过多，请稍后再试', en: 'Too many tries; wait a little and try again' });
    if (error.validation !== undefined || (error.statusCode !== undefined && error.statusCode < 500)) {
      return renderError(request, reply, 400, { zh: `请求无法处理：${error.message}`, en: `The request cannot be handled: ${error.message}` });
    }
    if (isDatabaseUnavailable(error)) {
      // The person should come back in a moment, as an API client is told to; nothing on the page
      // of what failed inside.
      deferForDatabase(request, reply, error);
      return sendPage(request, reply, h(ErrorPage, {
        ctx: contextOf(request, services), statusCode: 503,
        message: { zh: '系统暂时无法提供服务，请稍候几秒后重试。', en: 'The service is briefly unavailable. Wait a few seconds and try again.' },
        // A page can simply be asked for again; a form is sent again from its page.
        ...(request.method === 'GET' ? { retry: safeNext(request.url) } : {}),
      }), 503);
    }
    request.log.error(error);
    return renderError(request, reply, 500, { zh: '服务器内部错误，已记录', en: 'Internal error; it has been logged' });
  });

  const everyone = { web: true, access: { roles: ['administrator', 'hearing-host', 'funder', 'representative', 'lawyer', 'investor', 'auditor', 'public'] as Role[] } };
  const signInLimit = { rateLimit: { max: options.signInRateLimit ?? 10, timeWindow: '1 minute' } };

  app.get('/assets/:name', { config: everyone, schema: { params: z.object({ name: z.string() }) } }, async (request, reply) => {
    const asset = ASSETS[request.params.name];
    if (!asset) return renderError(request, reply, 404, { zh: '没有这个文件', en: 'No such file' });
    return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
  });

  app.get('/', { config: everyone }, async (request, reply) => sendPage(request, reply, h(HomePage, { ctx: contextOf(request, services) })));

  const startSession = async (reply: FastifyReply, request: FastifyRequest, actorId: string) => {
    const { cookie } = await openSession(db, actorId, services.clock.now());
    reply.setCookie(SESSION_COOKIE, cookie, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', maxAge: SESSION_LIFETIME_MS / 1000 });
  };

  app.get('/sign-in', { config: everyone, schema: { querystring: z.object({ next: z.string().optional(), lang: z.string().optional() }) } }, async (request, reply) =>
    sendPage(request, reply, h(StaffSignInPage, { ctx: contextOf(request, services), next: safeNext(request.query.next), failed: false })));

  app.post('/sign-in', { config: { ...everyone, ...signInLimit }, schema: { body: z.object({ actorId: z.string().trim().max(200), token: z.string().trim().max(200), next: z.string().optional() }) } }, async (request, reply) => {
    const actor = await actorByToken(db, request.body.token);
    if (!actor || actor.id !== request.body.actorId || actor.role === 'investor' || actor.role === 'public') {
      return sendPage(request, reply, h(StaffSignInPage, { ctx: contextOf(request, services), next: safeNext(request.body.next), failed: true }), 401);
    }
    await startSession(reply, request, actor.id);
    const next = safeNext(request.body.next);
    return redirectAfterPost(reply, next === '/' ? '/console' : next);
  });

  const signIn = new InvestorSignIn(db);
  app.get('/portal/sign-in', { config: everyone, schema: { querystring: z.object({ next: z.string().optional(), lang: z.string().optional() }) } }, async (request, reply) =>
    sendPage(request, reply, h(InvestorSignInPage, { ctx: contextOf(request, services) })));

  app.post('/portal/sign-in/code', { config: { ...everyone, ...signInLimit }, schema: { body: z.object({ investor: z.string().trim().min(1).max(64), account: z.string().trim().min(1).max(64) }) } }, async (request, reply) => {
    await signIn.requestCode({ investor: request.body.investor, account: request.body.account, at: services.clock.now() });
    // Sent in the background: the answer takes as long whether or not there was anything to send.
    void options.outbox.dispatch().catch((error: unknown) => request.log.error(error));
    return sendPage(request, reply, h(InvestorCodePage, { ctx: contextOf(request, services), investor: request.body.investor, account: request.body.account }));
  });

  app.post('/portal/sign-in/verify', { config: { ...everyone, ...signInLimit }, schema: { body: z.object({ investor: z.string().trim().min(1).max(64), account: z.string().trim().min(1).max(64), code: z.string().max(16) }) } }, async (request, reply) => {
    const actor = await signIn.verifyCode({ ...request.body, at: services.clock.now() });
    if (!actor) return sendPage(request, reply, h(InvestorSignInPage, { ctx: contextOf(request, services), investor: request.body.investor, account: request.body.account, failed: true }), 401);
    await startSession(reply, request, actor.id);
    return redirectAfterPost(reply, '/portal');
  });

  app.post('/sign-out', { config: everyone }, async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) await closeSession(db, cookie);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return redirectAfterPost(reply, '/');
  });

  registerPublicPages(app, web);
  registerInvestorPages(app, web);
  registerAdminPages(app, web);
}
