import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CaseCommand } from '../src/domain/procedure/case-commands.ts';
import { replay } from '../src/domain/procedure/case-state.ts';
import { commandAt, SAMPLE_ACTORS, SAMPLE_WALK } from '../src/domain/procedure/sample-case.ts';
import { fundPosition } from '../src/domain/fund/fund-position.ts';
import { CaseStore } from '../src/store/case-store.ts';
import type { Database } from '../src/store/database.ts';
import { ledgerState } from '../src/store/ledger-store.ts';
import { OfferStore } from '../src/store/offer-store.ts';
import { forEachDatabase } from '../src/store/test-database.ts';

/**
 * A plan that allocates pro rata, a fund that is short: the offers share exactly what the fund
 * holds, each in proportion to its computed amount, none above it. The sample case of the
 * procedure is walked through the store up to the adopted plan, with its plan set to pro rata.
 */
forEachDatabase((databaseName, open) => {
  describe(`pro-rata offers of a short fund on ${databaseName}`, () => {
    let database: Database;
    let caseId = '';

    before(async () => {
      database = await open();
      const store = new CaseStore(database.db);
      let id: string | null = null;
      for (const step of SAMPLE_WALK) {
        const events = id === null ? [] : (await store.events(id)).map((entry) => entry.event);
        let command: CaseCommand = commandAt(step, events.length === 0 ? null : replay(events));
        if (command.type === 'propose-plan-version') {
          const document = command.document as { fund: Record<string, unknown> };
          command = { ...command, document: { ...document, fund: { ...document.fund, shortfall: 'pro-rata' } } };
        }
        const done = await store.execute({ caseId: id, command, actor: step.actor, today: step.today, at: new Date(`${step.today}T02:00:00Z`) });
        assert.ok(done.outcome.accepted, `${step.type}: ${done.outcome.accepted ? '' : done.outcome.refusal.message.en}`);
        id = done.caseId;
        if (step.type === 'adopt-plan') break;
      }
      caseId = id!;
    });
    after(async () => database?.close());

    it('shares what the fund holds among the payable investors, to the fen', async () => {
      const { contributedFen } = fundPosition(await ledgerState(database.db, caseId));
      assert.ok(contributedFen > 0n);
      const adopted = (await new CaseStore(database.db).events(caseId)).map((entry) => entry.event).find((event) => event.type === 'plan-adopted')!;
      assert.equal(adopted.type, 'plan-adopted');
      await database.db.insertInto('computation_runs').values({ id: 'run-short', case_id: caseId, plan_version: adopted.version, plan_sha256: adopted.planHash, dataset: 'x', status: 'finished' }).execute();
      // Claims of twice what the fund holds, in three unequal parts (and one investor with nothing).
      const claims = { A: contributedFen, B: (contributedFen * 3n) / 5n, C: (contributedFen * 2n) / 5n + 1n, D: 0n };
      const zero = { loss_sold_fen: 0n, loss_held_fen: 0n, investment_difference_loss_fen: 0n, deduction_fen: 0n, principal_fen: 0n, commission_fen: 0n, stamp_duty_fen: 0n, interest_fen: 0n, figures: '{}', sheet: '{}' };
      await database.db.insertInto('investor_results').values(Object.entries(claims).map(([investor, total]) => ({ run_id: 'run-short', investor, status: total > 0n ? 'payable' : 'zero', reason: '', ...zero, total_fen: total }))).execute();

      const issued = await new OfferStore(database.db).issue({ caseId, runId: 'run-short', actor: SAMPLE_ACTORS.administrator, at: new Date('2026-02-20T02:00:00Z') });
      assert.equal(issued.proRata, true);
      assert.equal(issued.offers, 3);
      assert.equal(issued.totalFen, contributedFen, 'the offers add up to exactly what the fund holds');
      const offers = await database.db.selectFrom('offers').select(['investor', 'amount_fen']).where('run_id', '=', 'run-short').orderBy('investor').execute();
      const total = claims.A + claims.B + claims.C;
      for (const offer of offers) {
        const claim = claims[offer.investor as 'A' | 'B' | 'C'];
        const exact = contributedFen * claim;
        // Largest remainder: each share is its exact quota rounded down or up, never more.
        assert.ok(offer.amount_fen * total <= exact + total && offer.amount_fen * total >= exact - total, `${offer.investor}: ${offer.amount_fen}`);
        assert.ok(offer.amount_fen <= claim);
      }
    });
  });
});
