-- Offers (procedure.md step 8) made from a computation run, and every answer to them (step 9).
CREATE TABLE offers (
  id                text PRIMARY KEY,
  case_id           text NOT NULL REFERENCES cases (id),
  run_id            text NOT NULL REFERENCES computation_runs (id),
  investor          text NOT NULL,
  amount_fen        bigint NOT NULL CHECK (amount_fen > 0),
  plan_version      integer NOT NULL,
  plan_sha256       text NOT NULL,
  agreement_sha256  text NOT NULL,
  opens_on          date NOT NULL,
  closes_on         date NOT NULL,
  issued_at         timestamptz NOT NULL DEFAULT now(),
  status            text NOT NULL CHECK (status IN ('offered', 'accepted', 'refused', 'disputed', 'superseded')),
  UNIQUE (run_id, investor)
);
CREATE INDEX offers_by_investor ON offers (investor, issued_at);
CREATE INDEX offers_by_case_status ON offers (case_id, status);

-- One row per answer that changed an offer; a repeated answer adds nothing. An offer can be
-- disputed and, when the review upholds it, then accepted or refused: one answer of each kind at most.
CREATE TABLE offer_answers (
  offer_id          text NOT NULL REFERENCES offers (id),
  kind              text NOT NULL CHECK (kind IN ('accept', 'refuse', 'dispute')),
  channel           text NOT NULL CHECK (channel IN ('portal', 'exchange-file', 'counter')),
  answered_on       date NOT NULL,
  answered_at       timestamptz NOT NULL DEFAULT now(),
  actor_id          text NOT NULL,
  agreement_sha256  text NOT NULL,
  -- For an acceptance: the claims assigned to the funders (债权转让), as the agreement states them.
  assignment        jsonb,
  reason            text,
  PRIMARY KEY (offer_id, kind)
);
