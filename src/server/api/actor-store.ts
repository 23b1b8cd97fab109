import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor, Role } from '../../domain/access/roles.ts';
import { sha256Hex } from '../../domain/content-hash.ts';
import type { Tables } from '../../store/tables.ts';

/**
 * Actors and their bearer tokens. A token is 32 random bytes shown once, when the actor is
 * created; only its SHA-256 is stored, so a copy of the database does not sign anyone in.
 */
export async function createActor(db: Kysely<Tables>, input: { id: string; name: string; role: Role }): Promise<{ actor: Actor; token: string }> {
  const token = `rdr_${randomBytes(32).toString('base64url')}`;
  await db.insertInto('actors').values({ id: input.id, name: input.name, role: input.role, token_sha256: sha256Hex(token) }).execute();
  return { actor: { id: input.id, name: input.name, role: input.role }, token };
}

export async function actorByToken(db: Kysely<Tables>, token: string): Promise<Actor | null> {
  const row = await db.selectFrom('actors').select(['id', 'name', 'role']).where('token_sha256', '=', sha256Hex(token)).executeTakeFirst();
  return row ? { id: row.id, name: row.name, role: row.role as Role } : null;
}

export async function actorExists(db: Kysely<Tables>, id: string): Promise<boolean> {
  return (await db.selectFrom('actors').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Anyone without a token reads as the public, which may read what is published and nothing else. */
export const PUBLIC_ACTOR: Actor = { id: 'public', name: 'public', role: 'public' };
