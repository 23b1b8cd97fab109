import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor, Role } from '../domain/access/roles.ts';
import { sha256Hex } from '../domain/content-hash.ts';
import type { Tables } from './tables.ts';

/** How long a browser stays signed in without signing in again. */
export const SESSION_LIFETIME_MS = 8 * 3600_000;

export interface WebSession {
  actor: Actor;
  csrfToken: string;
}

/** Opens a session for `actorId` and returns the cookie's value (shown to the browser only). */
export async function openSession(db: Kysely<Tables>, actorId: string, at: Date): Promise<{ cookie: string; csrfToken: string }> {
  const cookie = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.insertInto('web_sessions').values({ id_sha256: sha256Hex(cookie), actor_id: actorId, csrf_token: csrfToken, created_at: at, expires_at: new Date(at.getTime() + SESSION_LIFETIME_MS) }).execute();
  return { cookie, csrfToken };
}

/** The session a cookie names, if it is still open at `at`. */
export async function sessionOf(db: Kysely<Tables>, cookie: string, at: Date): Promise<WebSession | null> {
  const row = await db.selectFrom('web_sessions').innerJoin('actors', 'actors.id', 'web_sessions.actor_id')
    .select(['actors.id', 'actors.name', 'actors.role', 'web_sessions.csrf_token'])
    .where('web_sessions.id_sha256', '=', sha256Hex(cookie)).where('web_sessions.expires_at', '>', at).executeTakeFirst();
  return row ? { actor: { id: row.id, name: row.name, role: row.role as Role }, csrfToken: row.csrf_token } : null;
}

export async function closeSession(db: Kysely<Tables>, cookie: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('id_sha256', '=', sha256Hex(cookie)).execute();
}
