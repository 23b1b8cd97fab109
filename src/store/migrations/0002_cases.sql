-- The case: actors, the event stream of each case (the procedure's only source of truth), the
-- notices it published, idempotent requests, and computation runs with a result per investor.
-- Money is bigint fen; nothing is stored as a float.

CREATE TABLE actors (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('administrator', 'hearing-host', 'funder', 'representative', 'lawyer', 'investor', 'auditor', 'public')),
  -- SHA-256 of the bearer token; the token itself is shown once, when the actor is created.
  token_sha256  text UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cases (
  id          text PRIMARY KEY,
  title       text NOT NULL,
  -- Events applied so far: a command is decided against this version and appends after it.
  version     integer NOT NULL CHECK (version >= 1),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE case_events (
  case_id      text NOT NULL REFERENCES cases (id),
  seq          integer NOT NULL CHECK (seq >= 1),
  type         text NOT NULL,
  event        jsonb NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, seq)
);

CREATE FUNCTION refuse_case_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_events is append-only';
END;
$$;
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION refuse_case_event_change();

CREATE TABLE notices (
  case_id     text NOT NULL REFERENCES cases (id),
  seq         integer NOT NULL,
  event_seq   integer NOT NULL,
  kind        text NOT NULL,
  publish_on  date NOT NULL,
  title       jsonb NOT NULL,
  body        jsonb NOT NULL,
  PRIMARY KEY (case_id, seq)
);

-- A retried request with the same key and the same body gets the first answer; another body is refused.
CREATE TABLE idempotent_requests (
  key             text NOT NULL,
  actor_id        text NOT NULL,
  request_sha256  text NOT NULL,
  status_code     integer NOT NULL,
  response        jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (actor_id, key)
);

CREATE TABLE computation_runs (
  id               text PRIMARY KEY,
  case_id          text NOT NULL REFERENCES cases (id),
  plan_version     integer NOT NULL,
  plan_sha256      text NOT NULL,
  dataset          text NOT NULL,
  status           text NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  started_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  error            text,
  input_sha256     text,
  investors        integer,
  payable          integer,
  zero             integer,
  ineligible       integer,
  rejected         integer,
  rejected_rows    integer,
  total_fen        bigint,
  summary          jsonb
);
CREATE INDEX computation_runs_by_case ON computation_runs (case_id, started_at);

CREATE TABLE investor_results (
  run_id                          text NOT NULL REFERENCES computation_runs (id),
  investor                        text NOT NULL,
  status                          text NOT NULL CHECK (status IN ('payable', 'zero', 'ineligible', 'rejected')),
  reason                          text NOT NULL,
  loss_sold_fen                   bigint NOT NULL,
  loss_held_fen                   bigint NOT NULL,
  investment_difference_loss_fen  bigint NOT NULL,
  deduction_fen                   bigint NOT NULL,
  principal_fen                   bigint NOT NULL,
  commission_fen                  bigint NOT NULL,
  stamp_duty_fen                  bigint NOT NULL,
  interest_fen                    bigint NOT NULL,
  total_fen                       bigint NOT NULL CHECK (total_fen >= 0),
  -- The other columns of compensation.csv (shares, average prices, ratios) as the decimal text printed there.
  figures                         jsonb NOT NULL,
  sheet                           jsonb NOT NULL,
  PRIMARY KEY (run_id, investor)
);

CREATE TABLE rejected_rows (
  run_id    text NOT NULL REFERENCES computation_runs (id),
  file      text NOT NULL,
  line      integer NOT NULL,
  investor  text NOT NULL,
  reason    text NOT NULL,
  PRIMARY KEY (run_id, file, line)
);
