-- The audit log: one entry per command, accepted or refused, each sealed with a hash that covers
-- the previous entry's hash (src/domain/audit/audit-chain.ts). Entries are numbered 1, 2, 3, …
-- under an advisory lock rather than by a sequence, because a sequence skips numbers when a
-- transaction rolls back, and a gap must mean a removed entry.
CREATE TABLE audit_log (
  seq          bigint PRIMARY KEY CHECK (seq >= 1),
  case_id      text,
  actor_id     text NOT NULL CHECK (actor_id <> ''),
  role         text NOT NULL CHECK (role <> ''),
  -- Text, not timestamptz: the hash covers this exact spelling, and a timestamptz holds
  -- microseconds a reader parsing it into a millisecond Date would not see. The fixed-width UTC
  -- form still sorts and compares in time order.
  at           text NOT NULL CHECK (at ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'),
  command      text NOT NULL CHECK (command <> ''),
  reason       text,
  payload_hash text NOT NULL CHECK (payload_hash ~ '^[0-9a-f]{64}$'),
  outcome      text NOT NULL CHECK (outcome IN ('accepted', 'refused')),
  prev_hash    text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash         text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);

CREATE INDEX audit_log_case ON audit_log (case_id, seq);

-- Append-only: the log is evidence, so no row may change or go, whoever asks. Only the table's
-- owner can switch the triggers off, and a row changed that way no longer matches its hash.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
