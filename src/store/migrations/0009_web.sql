-- The web faces (issue: portal, console, public pages): signed-in browser sessions, investors'
-- one-time sign-in codes, and the outbox through which notifications leave the platform.

-- A browser session. Only the SHA-256 of the cookie's value is kept, as with bearer tokens, so a
-- copy of the database signs nobody in. Each session carries its own token against cross-site forms.
CREATE TABLE web_sessions (
  id_sha256 text PRIMARY KEY,
  actor_id text NOT NULL REFERENCES actors (id),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);

-- A one-time code sent to an investor who gave an investor id and a securities account that match
-- the registry's data. The code itself is never stored, only its salted SHA-256.
CREATE TABLE sign_in_challenges (
  id text PRIMARY KEY,
  investor text NOT NULL,
  account text NOT NULL,
  code_sha256 text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  used_at timestamptz
);
CREATE INDEX sign_in_challenges_by_investor ON sign_in_challenges (investor, account, created_at);

-- Notifications wait here, written in the transaction of what they announce, until a sender
-- (SMS gateway, mail, the demo's server log) has delivered them.
CREATE TABLE notifications (
  id text PRIMARY KEY,
  recipient text NOT NULL,
  kind text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX notifications_pending ON notifications (created_at) WHERE sent_at IS NULL;

-- The console lists a case's refused applications from the audit log by command and outcome.
CREATE INDEX audit_log_case_command ON audit_log (case_id, command, seq);

-- The console pages a case's offers by investor: one index gives the page in order, without a sort.
CREATE INDEX offers_by_case_investor ON offers (case_id, investor, id);
