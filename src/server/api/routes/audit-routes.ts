import { z } from 'zod';
import { readAuditLog, verifyAuditLog } from '../../../store/audit-log.ts';
import type { ApiServices, TypedApp } from '../app.ts';

const AUDITORS = ['auditor', 'administrator'] as const;

export function registerAuditRoutes(app: TypedApp, services: ApiServices): void {
  app.get('/api/v1/audit/entries', {
    config: { access: { roles: AUDITORS } },
    schema: {
      summary: 'The hash-chained audit log, a page at a time',
      tags: ['audit'],
      querystring: z.object({ after: z.coerce.bigint().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    },
  }, async (request) => {
    const entries = await readAuditLog(services.database.db, { after: request.query.after, limit: request.query.limit });
    return { entries, next: entries.length === request.query.limit ? entries.at(-1)!.seq : null };
  });

  app.get('/api/v1/audit/verify', {
    config: { access: { roles: AUDITORS } },
    schema: { summary: 'Recompute the audit chain and name the first broken link, if any', tags: ['audit'] },
  }, async () => verifyAuditLog(services.database.db));
}
