import type { Actor, Role } from '../../domain/access/roles.ts';

/** What each route declares about who may call it; the API refuses everyone else before the handler runs. */
export interface RouteAccess {
  roles: readonly Role[];
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** Dates of the procedure are dates in China: a day starts at midnight Beijing time (UTC+8, no DST). */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
