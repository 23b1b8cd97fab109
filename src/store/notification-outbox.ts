import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Tables } from './tables.ts';

/** A message to a person, as the outbox keeps it until a sender has delivered it. */
export interface Notification {
  id: string;
  recipient: string;
  kind: string;
  subject: string;
  body: string;
}

/**
 * Delivers notifications: an SMS gateway or mail in production, the server log in the demo. A
 * sender that throws leaves the notification pending, to be tried again.
 */
export interface NotificationSender {
  send(notification: Notification): Promise<void>;
}

/** The demo's sender: each message becomes one line of the server's log, for whoever runs it to read. */
export function logSender(write: (line: string) => void): NotificationSender {
  return {
    async send(notification) {
      write(`[notification to ${notification.recipient}] ${notification.subject}: ${notification.body}`);
    },
  };
}

/** Writes a notification in the caller's transaction, so it exists exactly when what it announces does. */
export async function enqueueNotification(db: Kysely<Tables>, input: Omit<Notification, 'id'>): Promise<string> {
  const id = randomUUID();
  await db.insertInto('notifications').values({ id, ...input }).execute();
  return id;
}

/**
 * The outbox: sends what is pending, oldest first, marking each sent only once its sender has
 * returned. Run after every write that enqueues, and at start for what a stop left behind.
 */
export class NotificationOutbox {
  private readonly db: Kysely<Tables>;
  private readonly sender: NotificationSender;
  private running: Promise<{ sent: number; failed: number }> | null = null;

  constructor(db: Kysely<Tables>, sender: NotificationSender) {
    this.db = db;
    this.sender = sender;
  }

  /** Sends everything pending; concurrent calls share one pass so nothing is sent twice by this process. */
  dispatch(): Promise<{ sent: number; failed: number }> {
    this.running ??= this.pass().finally(() => { this.running = null; });
    return this.running;
  }

  private async pass(): Promise<{ sent: number; failed: number }> {
    const pending = await this.db.selectFrom('notifications').select(['id', 'recipient', 'kind', 'subject', 'body', 'attempts'])
      .where('sent_at', 'is', null).where('attempts', '<', 10).orderBy('created_at').limit(500).execute();
    let sent = 0;
    let failed = 0;
    for (const notification of pending) {
      try {
        await this.sender.send(notification);
        await this.db.updateTable('notifications').set({ sent_at: new Date(), attempts: notification.attempts + 1, last_error: null }).where('id', '=', notification.id).execute();
        sent++;
      } catch (error) {
        await this.db.updateTable('notifications').set({ attempts: notification.attempts + 1, last_error: String((error as Error).message ?? error).slice(0, 500) }).where('id', '=', notification.id).execute();
        failed++;
      }
    }
    return { sent, failed };
  }
}
