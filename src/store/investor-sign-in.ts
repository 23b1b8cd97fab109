import { randomInt, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CODE_DIGITS, CODE_LIFETIME_MS, codeDigest, judgeCode, mayIssueCode, CODE_WINDOW_MS } from '../domain/access/one-time-code.ts';
import type { Actor } from '../domain/access/roles.ts';
import type { CalculationSheet } from '../domain/loss/calculation-sheet.ts';
import { enqueueNotification } from './notification-outbox.ts';
import type { Tables } from './tables.ts';

/**
 * Investors sign in with their investor id and one of their securities accounts, as the registry's
 * data shows them, plus a one-time code sent through the notification outbox. Neither step tells
 * whether an investor exists: a request for a code is answered the same whether or not one was
 * sent, and every failed code reads the same.
 */
export class InvestorSignIn {
  private readonly db: Kysely<Tables>;

  constructor(db: Kysely<Tables>) {
    this.db = db;
  }

  /** Sends a code when the investor and account match an offer's data; otherwise does nothing, silently. */
  async requestCode(input: { investor: string; account: string; at: Date }): Promise<{ sent: boolean }> {
    const investor = input.investor.trim();
    const account = input.account.trim();
    if (!(await this.accountsOf(investor)).includes(account)) return { sent: false };
    return this.db.transaction().execute(async (transaction) => {
      const recent = await transaction.selectFrom('sign_in_challenges').select('created_at')
        .where('investor', '=', investor).where('account', '=', account).where('created_at', '>', new Date(input.at.getTime() - CODE_WINDOW_MS)).execute();
      if (!mayIssueCode(recent.map((row) => row.created_at), input.at)) return { sent: false };
      const id = randomUUID();
      const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
      await transaction.insertInto('sign_in_challenges').values({
        id, investor, account, code_sha256: codeDigest(id, code), created_at: input.at, expires_at: new Date(input.at.getTime() + CODE_LIFETIME_MS),
      }).execute();
      await enqueueNotification(transaction, {
        recipient: investor, kind: 'sign-in-code',
        subject: '登录验证码 sign-in code',
        body: `您的先行赔付平台登录验证码为 ${code}，10 分钟内有效，请勿告诉他人。Your sign-in code is ${code}; it is valid for 10 minutes.`,
      });
      return { sent: true };
    });
  }

  /**
   * The investor, signed in, if `code` is the live code of the newest challenge for this investor
   * and account. A wrong code counts against the challenge; after five the challenge is spent.
   */
  async verifyCode(input: { investor: string; account: string; code: string; at: Date }): Promise<Actor | null> {
    const investor = input.investor.trim();
    const account = input.account.trim();
    return this.db.transaction().execute(async (transaction) => {
      const challenge = await transaction.selectFrom('sign_in_challenges').selectAll()
        .where('investor', '=', investor).where('account', '=', account).orderBy('created_at', 'desc').limit(1).forUpdate().executeTakeFirst();
      if (!challenge) return null;
      const verdict = judgeCode({ id: challenge.id, codeSha256: challenge.code_sha256, expiresAt: challenge.expires_at, attempts: challenge.attempts, usedAt: challenge.used_at }, input.code, input.at);
      if (verdict === 'wrong') {
        await transaction.updateTable('sign_in_challenges').set({ attempts: challenge.attempts + 1 }).where('id', '=', challenge.id).execute();
        return null;
      }
      if (verdict !== 'ok') return null;
      await transaction.updateTable('sign_in_challenges').set({ used_at: input.at }).where('id', '=', challenge.id).execute();
      const existing = await transaction.selectFrom('actors').select(['id', 'name', 'role']).where('id', '=', investor).executeTakeFirst();
      // An investor id that is already a staff member's id never signs in as that member.
      if (existing && existing.role !== 'investor') return null;
      if (!existing) await transaction.insertInto('actors').values({ id: investor, name: investor, role: 'investor', token_sha256: null }).execute();
      return { id: investor, name: existing?.name ?? investor, role: 'investor' };
    });
  }

  /** The securities accounts the investor traded in, as the calculation sheets behind its offers list them. */
  async accountsOf(investor: string): Promise<string[]> {
    const rows = await this.db.selectFrom('offers').innerJoin('investor_results', (join) => join.onRef('investor_results.run_id', '=', 'offers.run_id').onRef('investor_results.investor', '=', 'offers.investor'))
      .select('investor_results.sheet').where('offers.investor', '=', investor).execute();
    const accounts = new Set<string>();
    for (const row of rows) {
      for (const event of (row.sheet as unknown as CalculationSheet).history) if ('trade' in event) accounts.add(event.trade.account);
    }
    return [...accounts].sort();
  }
}
