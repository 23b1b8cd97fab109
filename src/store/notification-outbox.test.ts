import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from './database.ts';
import { enqueueNotification, NotificationOutbox, type Notification } from './notification-outbox.ts';
import { forEachDatabase } from './test-database.ts';
import { closeSession, openSession, SESSION_LIFETIME_MS, sessionOf } from './web-sessions.ts';

forEachDatabase((name, open) => {
  describe(`the notification outbox and browser sessions, on ${name}`, () => {
    let database: Database;
    before(async () => { database = await open(); });
    after(async () => { await database.close(); });

    it('sends each pending notification once, and keeps one whose sender failed for the next pass', async () => {
      const delivered: Notification[] = [];
      let failNext = true;
      const outbox = new NotificationOutbox(database.db, {
        async send(notification) {
          if (notification.recipient === 'INV-flaky' && failNext) {
            failNext = false;
            throw new Error('gateway timeout');
          }
          delivered.push(notification);
        },
      });
      await enqueueNotification(database.db, { recipient: 'INV-1', kind: 'sign-in-code', subject: 's', body: 'code 123456' });
      await enqueueNotification(database.db, { recipient: 'INV-flaky', kind: 'sign-in-code', subject: 's', body: 'code 654321' });
      // Two passes at once share one: nothing goes out twice.
      const [first, second] = await Promise.all([outbox.dispatch(), outbox.dispatch()]);
      assert.deepEqual(first, { sent: 1, failed: 1 });
      assert.deepEqual(second, first);
      assert.deepEqual(delivered.map((notification) => notification.recipient), ['INV-1']);
      const flaky = await database.db.selectFrom('notifications').selectAll().where('recipient', '=', 'INV-flaky').executeTakeFirstOrThrow();
      assert.deepEqual([flaky.sent_at, flaky.attempts, flaky.last_error], [null, 1, 'gateway timeout']);
      assert.deepEqual(await outbox.dispatch(), { sent: 1, failed: 0 });
      assert.deepEqual(delivered.map((notification) => notification.recipient), ['INV-1', 'INV-flaky']);
      assert.deepEqual(await outbox.dispatch(), { sent: 0, failed: 0 });
    });

    it('opens a session a cookie names until it expires or is closed, and keeps only the cookie\'s hash', async () => {
      await database.db.insertInto('actors').values({ id: 'auditor-1', name: '审计', role: 'auditor', token_sha256: null }).execute();
      const at = new Date('2027-01-05T02:00:00Z');
      const { cookie, csrfToken } = await openSession(database.db, 'auditor-1', at);
      const session = await sessionOf(database.db, cookie, new Date(at.getTime() + 1000));
      assert.deepEqual(session, { actor: { id: 'auditor-1', name: '审计', role: 'auditor' }, csrfToken });
      assert.equal(await sessionOf(database.db, cookie, new Date(at.getTime() + SESSION_LIFETIME_MS)), null, 'expired');
      assert.equal(await sessionOf(database.db, `${cookie}x`, at), null);
      const rows = await database.db.selectFrom('web_sessions').select('id_sha256').execute();
      assert.ok(rows.every((row) => row.id_sha256 !== cookie && /^[0-9a-f]{64}$/.test(row.id_sha256)));
      await closeSession(database.db, cookie);
      assert.equal(await sessionOf(database.db, cookie, new Date(at.getTime() + 1000)), null, 'signed out');
    });
  });
});
