import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ROLES, type Role } from '../../domain/access/roles.ts';
import { canonicalJson, sha256Hex } from '../../domain/content-hash.ts';
import { isDatabaseUnavailable, type Database } from '../../store/database.ts';
import { idempotently, jsonReplacer, type StoredAnswer } from '../../store/idempotent-requests.ts';
import { actorByToken, PUBLIC_ACTOR } from './actor-store.ts';
import { ApiError } from './api-error.ts';
import { chinaDate, systemClock, type Clock } from './request-context.ts';
import { registerActorRoutes } from './routes/actor-routes.ts';
import { registerAuditRoutes } from './routes/audit-routes.ts';
import { registerCaseRoutes } from './routes/case-routes.ts';
import { registerComputationRoutes } from './routes/computation-routes.ts';
import { registerOfferRoutes } from './routes/offer-routes.ts';
import { registerPaymentRoutes } from './routes/payment-routes.ts';
import { registerLedgerRoutes } from './routes/ledger-routes.ts';
import { registerClosingRoutes } from './routes/closing-routes.ts';
import { registerRecourseRoutes } from './routes/recourse-routes.ts';
import type { ComputationRunner } from '../../jobs/computation-runs.ts';

export interface ApiOptions {
  database: Database;
  clock?: Clock;
  /** Runs computations; the server's own unless a test brings one. */
  computations: ComputationRunner;
  logger?: boolean;
  /** Where the log goes when `logger` is on (stdout unless a test brings a stream). */
  logStream?: { write(line: string): void };
  /** Adds the HTML pages (src/web) to the same server, after the API's routes. */
  web?: (app: TypedApp, services: ApiServices) => Promise<{ notFound: (request: FastifyRequest, reply: FastifyReply) => unknown }>;
}

/** Every route, with the roles it admits: the API's access matrix, read by its tests and docs. */
export interface RouteEntry {
  method: string;
  url: string;
  roles: readonly Role[];
}

/** The server: the API's access matrix in `routeTable`, the web pages' in `webRouteTable`. */
export type Api = FastifyInstance & { routeTable: RouteEntry[]; webRouteTable: RouteEntry[] };

export interface ApiServices {
  database: Database;
  clock: Clock;
  computations: ComputationRunner;
  /** Today's date in China, the date every rule of the procedure counts in. */
  today(): string;
  /**
   * Runs `work` once per Idempotency-Key (when the request carries one) and sends its answer. With
   * a key, `work` must do everything in the transaction it is given: the answer is stored in it,
   * so the work and its answer commit together or not at all. An answer whose body is text (a CSV
   * file) goes out as `textType`.
   */
  answer(request: FastifyRequest, reply: FastifyReply, work: (transaction: Parameters<Parameters<typeof idempotently>[2]>[0] | null) => Promise<StoredAnswer>, options?: { textType?: string }): Promise<void>;
}

/**
 * Answers a request the database could not serve (isDatabaseUnavailable) with 503 and when to try
 * again, for the API and the web pages alike: the database is down or restarting, a fault of
 * neither the request nor the code. One line in the log, not a stack per request of an outage.
 */
export function deferForDatabase(request: FastifyRequest, reply: FastifyReply, error: Error): void {
  request.log.warn({ code: (error as { code?: unknown }).code, message: error.message }, 'database unavailable');
  reply.code(503).header('retry-after', DATABASE_RETRY_AFTER_SECONDS);
}

/** Retry-After, in seconds, for a request the database could not serve: an outage is expected to be a restart. */
const DATABASE_RETRY_AFTER_SECONDS = '2';

/**
 * The JSON API under /api/v1 (Fastify + zod; OpenAPI at /api/openapi.json). Each route names the
 * roles it admits in `config.access`; a request without a token acts as the public, a wrong role
 * is refused before any handler runs, and errors share one body (see api-error.ts).
 */
export async function buildApi(options: ApiOptions): Promise<Api> {
  const app = Fastify({
    logger: options.logger ? {
      ...(options.logStream ? { stream: options.logStream } : {}),
      // A request is logged by the route it took, never by its address: addresses carry investor
      // ids (a calculation sheet's page, a search) and the client's IP is personal data too.
      serializers: {
        req: (request: FastifyRequest) => ({ method: request.method, route: request.routeOptions?.url ?? 'unmatched' }),
      },
    } : false,
  }) as unknown as Api;
  const clock = options.clock ?? systemClock;
  app.routeTable = [];
  app.webRouteTable = [];
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data, jsonReplacer));
  app.setReplySerializer((payload) => JSON.stringify(payload, jsonReplacer));
  app.decorateRequest('actor', null as never);

  // Secure headers on every answer, pages and API alike. Pages load only the site's own script
  // (htmx) and stylesheet; inline style attributes draw the progress bars, and htmx adds one
  // <style> for its indicators. No frames, no forms to other sites, no plugins.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], fontSrc: ["'self'"],
        connectSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'self'"], objectSrc: ["'none'"],
      },
    },
    // Served as plain HTTP on a workstation or behind a TLS-terminating proxy: the proxy sets HSTS.
    strictTransportSecurity: false,
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Redress API',
        description: 'Advance compensation (先行赔付): cases from penalty decision to adopted plan and computation. Authenticate with `Authorization: Bearer <token>`; without a token you act as the public.',
        version: '1',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/documentation')) return;
    const config = route.config as { access?: { roles: readonly Role[] }; web?: boolean } | undefined;
    const roles = config?.access?.roles;
    if (config?.web) {
      // Pages sign in by cookie and answer in HTML; they are not part of the API's description.
      if (roles === undefined) throw new Error(`page ${route.method} ${route.url} declares no access`);
      route.schema = { ...(route.schema ?? {}), hide: true };
      for (const method of [route.method].flat()) if (method !== 'HEAD') app.webRouteTable.push({ method, url: route.url, roles });
      return;
    }
    if (roles === undefined && route.url !== '/health' && route.url !== '/api/openapi.json') {
      throw new Error(`route ${route.method} ${route.url} declares no access`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.routeTable.push({ method, url: route.url, roles: roles ?? ROLES });
    }
  });

  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.web) return;
    const header = request.headers.authorization;
    if (header === undefined) {
      request.actor = PUBLIC_ACTOR;
    } else {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      const actor = token === undefined ? null : await actorByToken(options.database.db, token);
      if (actor === null) throw new ApiError(401, 'bad-token', { zh: '身份令牌无效', en: 'the bearer token is not valid' });
      request.actor = actor;
    }
    const roles = request.routeOptions.config.access?.roles;
    if (roles !== undefined && !roles.includes(request.actor.role)) {
      if (request.actor.role === 'public') throw new ApiError(401, 'sign-in-required', { zh: '请先登录', en: 'sign in first' });
      throw new ApiError(403, 'wrong-role', {
        zh: `角色“${request.actor.role}”不能执行此操作（允许：${roles.join('、')}）`,
        en: `the role '${request.actor.role}' may not do this (allowed: ${roles.join(', ')})`,
      });
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string; validation?: unknown }, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.statusCode).send(error.body());
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({ path: `${error.validationContext ?? ''}${issue.instancePath}`, message: issue.message }));
      return reply.code(400).send({
        error: { code: 'invalid-request', message: { zh: `请求不符合要求：${issues.map((i) => `${i.path} ${i.message}`).join('；')}`, en: `the request is not valid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}` }, details: issues },
      });
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: { code: 'bad-request', message: { zh: `请求无法处理：${error.message}`, en: error.message } } });
    }
    if (isDatabaseUnavailable(error)) {
      // Not a fault of the request or of the code: the database is down or restarting, and the
      // client should try again. Its work is all or nothing, but if the connection broke at the
      // commit it may be either; a retry under the same Idempotency-Key is safe in both cases.
      deferForDatabase(request, reply, error);
      return reply.send({
        error: { code: 'database-unavailable', message: { zh: '数据库暂时无法访问，请稍后重试', en: 'the database cannot be reached now; try again shortly' } },
      });
    }
    request.log.error(error);
    return reply.code(500).send({ error: { code: 'internal', message: { zh: '服务器内部错误，已记录', en: 'internal error; it has been logged' } } });
  });

  // Set once the pages are registered: an address outside the API gets a page, not JSON.
  let pageNotFound: ((request: FastifyRequest, reply: FastifyReply) => unknown) | null = null;
  app.setNotFoundHandler((request, reply) => {
    if (pageNotFound !== null && !request.url.startsWith('/api/')) return pageNotFound(request, reply);
    return reply.code(404).send({ error: { code: 'no-route', message: { zh: '没有这个地址', en: 'no such route' } } });
  });

  const services: ApiServices = {
    database: options.database,
    clock,
    computations: options.computations,
    today: () => chinaDate(clock.now()),
    async answer(request, reply, work, answerOptions) {
      const send = (answer: StoredAnswer) => {
        if (typeof answer.body === 'string' && answerOptions?.textType !== undefined) reply.type(answerOptions.textType);
        return void reply.code(answer.statusCode).send(answer.body);
      };
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || key.length === 0) return send(await work(null));
      if (key.length > 200) throw new ApiError(400, 'invalid-request', { zh: 'Idempotency-Key 过长', en: 'Idempotency-Key is too long' });
      const requestSha256 = sha256Hex(`${request.method} ${request.url}\n${canonicalJson((request.body ?? null) as never)}`);
      const result = await idempotently(options.database.db, { actorId: request.actor.id, key, requestSha256 }, (transaction) => work(transaction));
      if (result.kind === 'key-reused') {
        throw new ApiError(409, 'idempotency-key-reused', { zh: '此 Idempotency-Key 已用于另一个请求', en: 'this Idempotency-Key was used for a different request' });
      }
      if (result.kind === 'replayed') reply.header('idempotent-replayed', 'true');
      return send(result.answer);
    },
  };

  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get('/health', { schema: { summary: 'Liveness: the server answers and names its database', tags: ['service'] } }, async () => ({ status: 'ok', database: options.database.kind, time: clock.now().toISOString() }));
  typed.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerActorRoutes(typed, services);
  registerCaseRoutes(typed, services);
  registerComputationRoutes(typed, services);
  registerOfferRoutes(typed, services);
  registerPaymentRoutes(typed, services);
  registerLedgerRoutes(typed, services);
  registerClosingRoutes(typed, services);
  registerRecourseRoutes(typed, services);
  registerAuditRoutes(typed, services);
  if (options.web) pageNotFound = (await options.web(typed, services)).notFound;
  await app.ready();
  return app;
}

export type TypedApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;
