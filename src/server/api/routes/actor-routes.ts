import { z } from 'zod';
import { ROLES } from '../../../domain/access/roles.ts';
import { appendAuditEntry } from '../../../store/audit-log.ts';
import { actorExists, createActor } from '../actor-store.ts';
import { ApiError } from '../api-error.ts';
import type { ApiServices, TypedApp } from '../app.ts';

const actorInput = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'letters, digits, dots, dashes, colons; at most 64'),
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES).exclude(['public']),
});

export function registerActorRoutes(app: TypedApp, services: ApiServices): void {
  app.post('/api/v1/actors', {
    config: { access: { roles: ['administrator'] } },
    schema: { summary: 'Register an actor and issue its bearer token (shown once)', tags: ['actors'], body: actorInput },
  }, async (request, reply) => {
    if (await actorExists(services.database.db, request.body.id)) {
      throw new ApiError(409, 'actor-exists', { zh: `参与者 ${request.body.id} 已存在`, en: `actor ${request.body.id} exists already` });
    }
    const { actor, token } = await services.database.db.transaction().execute(async (transaction) => {
      const created = await createActor(transaction, request.body);
      // The token is never logged: the audit entry hashes the actor as registered, not its secret.
      await appendAuditEntry(transaction, {
        caseId: null, actorId: request.actor.id, role: request.actor.role, at: services.clock.now().toISOString(),
        command: 'register-actor', reason: null, payload: { ...created.actor }, outcome: 'accepted',
      });
      return created;
    });
    return reply.code(201).send({ actor, token });
  });

  app.get('/api/v1/me', {
    config: { access: { roles: ROLES } },
    schema: { summary: 'Who the request acts as', tags: ['actors'] },
  }, async (request) => ({ actor: request.actor }));
}
