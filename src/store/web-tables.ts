import type { ColumnType } from 'kysely';

/** Kysely's view of the web tables (migrations/0009_web.sql). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type OptionalTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface WebSessionsTable {
  id_sha256: string;
  actor_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface SignInChallengesTable {
  id: string;
  investor: string;
  account: string;
  code_sha256: string;
  created_at: ColumnType<Date, Date | string, never>;
  expires_at: ColumnType<Date, Date | string, never>;
  attempts: ColumnType<number, number | undefined, number>;
  used_at: OptionalTimestamp;
}

export interface NotificationsTable {
  id: string;
  recipient: string;
  kind: string;
  subject: string;
  body: string;
  created_at: Timestamp;
  sent_at: OptionalTimestamp;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
}

export interface WebTables {
  web_sessions: WebSessionsTable;
  sign_in_challenges: SignInChallengesTable;
  notifications: NotificationsTable;
}
