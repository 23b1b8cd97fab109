import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Actor } from '../domain/access/roles.ts';
import { canonicalJson, sha256Hex, type CanonicalValue } from '../domain/content-hash.ts';
import type { IsoDate } from '../domain/market/calendar-date.ts';
import type { CaseCommand } from '../domain/procedure/case-commands.ts';
import type { CaseEvent } from '../domain/procedure/case-events.ts';
import { replay, type CaseState } from '../domain/procedure/case-state.ts';
import { handleCommand, type CommandOutcome } from '../domain/procedure/handle-command.ts';
import { contributionReceived } from '../domain/fund/ledger-rules.ts';
import { appendAuditEntry } from './audit-log.ts';
import { postTransaction } from './ledger-store.ts';
import type { Tables } from './tables.ts';

/**
 * The event store of cases. A case is its events: every command is decided by the pure
 * procedure (`handleCommand`) against the state replayed from them, and what it decides — the
 * events, the notices, the audit entry — is written in one transaction, or nothing is. The case
 * row is locked for the decision, so two commands on one case are decided one after the other,
 * each against the other's result.
 */
export interface ExecuteInput {
  /** null for the command that creates a case; the id then comes from `newCaseId`. */
  caseId: string | null;
  command: CaseCommand;
  actor: Actor;
  today: IsoDate;
  at: Date;
  /** Why the actor issued the command, when it said (recorded in the audit log). */
  reason?: string | null;
  /**
   * Runs inside the transaction after the command was accepted, before it commits: other rows
   * that must exist exactly when the events do (a computation run's results).
   */
  alongside?: (transaction: Transaction<Tables>, outcome: Extract<CommandOutcome, { accepted: true }>) => Promise<void>;
}

export type ExecuteResult = { caseId: string; version: number; outcome: CommandOutcome };

export class UnknownCaseError extends Error {
  readonly caseId: string;
  constructor(caseId: string) {
    super(`no case ${caseId}`);
    this.name = 'UnknownCaseError';
    this.caseId = caseId;
  }
}

/**
 * The id of the case a penalty decision (or a commitment) opens: derived from its number, so
 * recording the same decision twice names the same case, which the procedure then refuses as
 * existing.
 */
export function newCaseId(reference: string): string {
  return `case-${sha256Hex(reference.normalize('NFKC').replace(/\s+/g, '')).slice(0, 12)}`;
}

export class CaseStore {
  private readonly db: Kysely<Tables>;

  constructor(db: Kysely<Tables>) {
    this.db = db;
  }

  /** Decides and records one command; inside `within` when the caller holds a transaction already. */
  async execute(input: ExecuteInput, within?: Transaction<Tables>): Promise<ExecuteResult> {
    if (within) return this.executeIn(within, input);
    return this.db.transaction().execute((transaction) => this.executeIn(transaction, input));
  }

  private async executeIn(transaction: Transaction<Tables>, input: ExecuteInput): Promise<ExecuteResult> {
    {
      const caseId = input.caseId ?? newCaseId(openingReferenceOf(input.command));
      const current = await lockCase(transaction, caseId);
      if (current === null && input.caseId !== null) throw new UnknownCaseError(caseId);
      const state = current === null ? null : replay(await eventsOf(transaction, caseId));
      const outcome = handleCommand(state, input.command, { caseId, today: input.today, actor: input.actor });
      const version = current?.version ?? 0;
      const events = outcome.events;
      if (events.length > 0) {
        const title = outcome.accepted ? caseTitle(outcome.state) : null;
        if (current === null) {
          if (!outcome.accepted) throw new Error('a refused command cannot log events for a case that does not exist');
          await transaction.insertInto('cases').values({ id: caseId, title: title!, version: events.length }).execute();
        } else {
          await transaction
            .updateTable('cases')
            .set({ version: version + events.length, updated_at: input.at, ...(title === null ? {} : { title }) })
            .where('id', '=', caseId)
            .execute();
        }
        await transaction
          .insertInto('case_events')
          .values(events.map((event, index) => ({ case_id: caseId, seq: version + index + 1, type: event.type, event: JSON.stringify(event), recorded_at: input.at })))
          .execute();
      }
      // A deposit confirmed in the procedure is the same instant money in the fund's ledger.
      if (outcome.accepted) {
        for (const event of outcome.events) {
          if (event.type !== 'deposit-confirmed') continue;
          await postTransaction(transaction, contributionReceived({
            id: `deposit:${event.bankReference}`, fundId: caseId, on: event.on, funderId: event.funderId, amountFen: BigInt(event.amountFen),
            memo: `deposit ${event.bankReference}, value date ${event.valueDate}`,
          }));
        }
      }
      if (outcome.accepted && outcome.notices.length > 0) {
        const published = await transaction.selectFrom('notices').select((eb) => eb.fn.countAll<string>().as('count')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
        const first = Number(published.count);
        await transaction
          .insertInto('notices')
          .values(outcome.notices.map((notice, index) => ({
            case_id: caseId, seq: first + index + 1, event_seq: version + events.length, kind: notice.kind,
            publish_on: notice.publishOn, title: JSON.stringify(notice.title), body: JSON.stringify(notice.body),
          })))
          .execute();
      }
      await appendAuditEntry(transaction, {
        caseId: current === null && !outcome.accepted ? null : caseId,
        actorId: input.actor.id,
        role: input.actor.role,
        at: input.at.toISOString(),
        command: input.command.type,
        reason: input.reason ?? (outcome.accepted ? null : outcome.refusal.code),
        payload: auditPayload(input.command),
        outcome: outcome.accepted ? 'accepted' : 'refused',
      });
      if (outcome.accepted && input.alongside) await input.alongside(transaction, outcome);
      return { caseId, version: version + events.length, outcome };
    }
  }

  /** The case's state replayed from its events, or null when there is no such case. */
  async load(caseId: string): Promise<{ state: CaseState; events: CaseEvent[]; version: number } | null> {
    const events = await eventsOf(this.db, caseId);
    if (events.length === 0) return null;
    return { state: replay(events), events, version: events.length };
  }

  async list(): Promise<{ caseId: string; title: string; state: CaseState; events: CaseEvent[] }[]> {
    const rows = await this.db.selectFrom('cases').select(['id', 'title']).orderBy('created_at').orderBy('id').execute();
    const cases = [];
    for (const row of rows) {
      const events = await eventsOf(this.db, row.id);
      cases.push({ caseId: row.id, title: row.title, state: replay(events), events });
    }
    return cases;
  }

  async events(caseId: string): Promise<{ seq: number; recordedAt: Date; event: CaseEvent }[]> {
    const rows = await this.db.selectFrom('case_events').select(['seq', 'recorded_at', 'event']).where('case_id', '=', caseId).orderBy('seq').execute();
    return rows.map((row) => ({ seq: row.seq, recordedAt: row.recorded_at, event: row.event as unknown as CaseEvent }));
  }

  async notices(caseId: string) {
    return this.db.selectFrom('notices').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  }
}

async function lockCase(transaction: Transaction<Tables>, caseId: string): Promise<{ version: number } | null> {
  // A new case has no row to lock yet: two creations of one case serialise on its id instead.
  await sql`select pg_advisory_xact_lock(hashtext(${caseId}))`.execute(transaction);
  const row = await transaction.selectFrom('cases').select('version').where('id', '=', caseId).forUpdate().executeTakeFirst();
  return row ?? null;
}

/** A case's events in order, read by `executor` (a caller's transaction, where one is open). */
export async function eventsOf(executor: Kysely<Tables>, caseId: string): Promise<CaseEvent[]> {
  const rows = await executor.selectFrom('case_events').select('event').where('case_id', '=', caseId).orderBy('seq').execute();
  return rows.map((row) => row.event as unknown as CaseEvent);
}

/** What names a new case: the penalty decision's number, or the commitment's (kept apart by a prefix). */
function openingReferenceOf(command: CaseCommand): string {
  if (command.type === 'record-penalty-decision') return command.decisionNumber;
  if (command.type === 'open-under-commitment') return `commitment:${command.commitmentNumber}`;
  throw new Error(`${command.type} does not open a case`);
}

/** How lists name a case: the security, and the decision or commitment that opened it. */
function caseTitle(state: CaseState): string {
  return `${state.security.name}（${state.security.code}）${state.penalty?.decisionNumber ?? state.commitment?.commitmentNumber ?? ''}`;
}

/**
 * A command as the audit log hashes it. A refused command may carry what canonical JSON refuses
 * (a binary float in a malformed plan document, say); its exact JSON text is hashed then, so that
 * every command, valid or not, leaves its fingerprint.
 */
function auditPayload(command: CaseCommand): CanonicalValue {
  try {
    canonicalJson(command as unknown as CanonicalValue);
    return command as unknown as CanonicalValue;
  } catch {
    return { nonCanonicalJson: JSON.stringify(command) };
  }
}
