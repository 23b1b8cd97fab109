import { z } from 'zod';
import { LIABLE_PARTY_KINDS } from '../../../domain/procedure/case-commands.ts';
import { claimBalances, limitationDates, outstandingByParty, overdueLimitations } from '../../../domain/recourse/recourse-claims.ts';
import { isIsoDate } from '../../../domain/market/calendar-date.ts';
import { LedgerRefused } from '../../../store/ledger-store.ts';
import { assignedClaimsRegister, recordAllocation, recordLimitationOverride, recordRecourseRecovery, recourseBook, RecourseRefused } from '../../../store/recourse-store.ts';
import { ApiError } from '../api-error.ts';
import type { ApiServices, TypedApp } from '../app.ts';

function translate(error: unknown): never {
  if (error instanceof RecourseRefused || error instanceof LedgerRefused) throw new ApiError(409, error.code, error.bilingual);
  throw error;
}

const isoDate = z.string().refine(isIsoDate, 'a real date written YYYY-MM-DD');
const READERS = ['administrator', 'auditor', 'funder'] as const;

export function registerRecourseRoutes(app: TypedApp, services: ApiServices): void {
  const { db } = services.database;
  const caseParams = z.object({ caseId: z.string() });

  app.get('/api/v1/cases/:caseId/recourse', {
    config: { access: { roles: READERS } },
    schema: { summary: 'Recourse (追偿): the register of assigned claims, who recovers what from whom, recoveries, outstanding amounts and limitation dates', tags: ['recourse'], params: caseParams },
  }, async (request) => {
    const register = await assignedClaimsRegister(db, request.params.caseId).catch(translate);
    const current = await recourseBook(db, request.params.caseId).catch(translate);
    return {
      register: { claims: register.claims.length, totalFen: register.totalFen, assignees: register.totals },
      allocation: current === null ? null : { version: current.version, positions: current.book.positions },
      claims: current === null ? [] : claimBalances(current.book),
      outstanding: current === null ? [] : outstandingByParty(current.book),
      limitationDates: current === null ? [] : limitationDates(current.book),
      overdue: current === null ? [] : overdueLimitations(current.book, services.today()),
    };
  });

  app.post('/api/v1/cases/:caseId/recourse/allocation', {
    config: { access: { roles: ['administrator'] } },
    schema: {
      summary: 'Record the shares of the liable parties by degree of fault (percentages; equal shares where not determinable; a sponsor that did its duty bears none)',
      tags: ['recourse'],
      params: caseParams,
      body: z.strictObject({
        parties: z.array(z.strictObject({
          id: z.string().min(1), kind: z.enum(LIABLE_PARTY_KINDS),
          fault: z.union([z.strictObject({ percent: z.string().regex(/^\d{1,3}(\.\d{1,12})?$/) }), z.literal('undeterminable'), z.literal('no-fault')]),
        })).min(1),
        basis: z.string().trim().min(1).max(2000).describe('what the shares rest on: a judgment, an agreement among the parties'),
      }),
    },
  }, async (request, reply) => {
    const version = await recordAllocation(db, { caseId: request.params.caseId, faults: request.body.parties, basis: request.body.basis, actor: request.actor, at: services.clock.now() }).catch(translate);
    return reply.code(201).send({ version });
  });

  app.post('/api/v1/cases/:caseId/recourse/recoveries', {
    config: { access: { roles: ['administrator'] } },
    schema: {
      summary: 'Record a recovery received from a liable party for a creditor; it enters the fund\'s ledger at once',
      tags: ['recourse'],
      params: caseParams,
      body: z.strictObject({ creditor: z.string().min(1), debtor: z.string().min(1), amountFen: z.string().regex(/^[1-9]\d{0,17}$/), receivedOn: isoDate, reference: z.string().trim().min(1).max(200) }),
    },
  }, async (request, reply) => {
    const body = request.body;
    await recordRecourseRecovery(db, { caseId: request.params.caseId, ...body, amountFen: BigInt(body.amountFen), actor: request.actor, today: services.today(), at: services.clock.now() }).catch(translate);
    return reply.code(201).send({ reference: body.reference });
  });

  app.post('/api/v1/cases/:caseId/recourse/limitation-overrides', {
    config: { access: { roles: ['administrator'] } },
    schema: {
      summary: 'Replace a party\'s limitation date, with the reason (a demand restarts the three years, Civil Code Art. 195)',
      tags: ['recourse'],
      params: caseParams,
      body: z.strictObject({ party: z.string().min(1), date: isoDate, reason: z.string().trim().min(1).max(2000) }),
    },
  }, async (request, reply) => {
    await recordLimitationOverride(db, { caseId: request.params.caseId, ...request.body, actor: request.actor, at: services.clock.now() }).catch(translate);
    return reply.code(201).send({ party: request.body.party, date: request.body.date });
  });
}
