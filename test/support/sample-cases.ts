import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Actor } from '../../src/domain/access/roles.ts';
import type { IsoDate } from '../../src/domain/market/calendar-date.ts';
import type { CaseCommand } from '../../src/domain/procedure/case-commands.ts';
import { CaseStore } from '../../src/store/case-store.ts';
import type { Tables } from '../../src/store/tables.ts';

/*
 * A case opened on the record of a penalty decision, for the store and server tests that need a
 * case to hang offers and payments on but test nothing of the procedure itself.
 */

export interface SampleDecision {
  /** The decision's number, as 〔2026〕N号. */
  number: string;
  /** The issuer, which also names its security. */
  issuer: string;
  code: string;
  /** 2026-11-02 unless given. */
  decided?: IsoDate;
  /** 虚增收入。 unless given. */
  facts?: string;
}

export interface SampleCaseOptions {
  /** The sponsor (保荐机构, liable beside the issuer) added as funder, and its whole pledge deposited, on `on`. */
  sponsorDeposit?: { on: IsoDate; fen: string };
  /** When a command of the day `today` is recorded: 02:00 UTC of that day unless given. */
  at?: (today: IsoDate) => Date;
}

/** Opens the case as `actor` (an administrator); every command must be accepted. Returns the case's id. */
export async function openSampleCase(db: Kysely<Tables>, actor: Actor, decision: SampleDecision, options: SampleCaseOptions = {}): Promise<string> {
  const { number, issuer, code, decided = '2026-11-02', facts = '虚增收入。' } = decision;
  const { sponsorDeposit, at = (today: IsoDate) => new Date(`${today}T02:00:00Z`) } = options;
  const cases = new CaseStore(db);
  const run = async (today: IsoDate, command: CaseCommand, caseId: string | null) => {
    const done = await cases.execute({ caseId, command, actor, today, at: at(today) });
    assert.ok(done.outcome.accepted, done.outcome.accepted ? '' : done.outcome.refusal.message.en);
    return done.caseId;
  };
  const caseId = await run(decided, {
    type: 'record-penalty-decision', decisionNumber: number, decisionDate: decided, authority: '中国证监会', issuer, security: { code, name: issuer },
    liableParties: [{ id: 'issuer', name: issuer, kind: 'issuer' }, { id: 'sponsor', name: '保荐机构', kind: 'sponsor' }], facts,
  }, null);
  if (sponsorDeposit !== undefined) {
    const { on, fen } = sponsorDeposit;
    await run(on, { type: 'add-funder', funderId: 'sponsor-1', name: '保荐机构', liableParty: 'sponsor', pledgeFen: fen }, caseId);
    await run(on, { type: 'confirm-deposit', funderId: 'sponsor-1', amountFen: fen, bankReference: 'BANK-1', valueDate: on }, caseId);
  }
  return caseId;
}
