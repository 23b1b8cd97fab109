-- Payment batches (procedure.md step 10): prepared by one administrator, approved by another, sent
-- as instructions, settled by the bank's results. The partial unique index is the database's own
-- guarantee that an offer is never paid twice: at most one of its payments is pending, sent or paid.
CREATE TABLE payment_batches (
  id           text PRIMARY KEY,
  case_id      text NOT NULL REFERENCES cases (id),
  status       text NOT NULL CHECK (status IN ('prepared', 'approved', 'sent', 'settled')),
  prepared_by  text NOT NULL,
  prepared_on  date NOT NULL,
  prepared_at  timestamptz NOT NULL DEFAULT now(),
  approved_by  text CHECK (approved_by IS NULL OR approved_by <> prepared_by),
  approved_at  timestamptz,
  sent_at      timestamptz,
  items        integer NOT NULL,
  total_fen    bigint NOT NULL CHECK (total_fen > 0)
);

CREATE TABLE payment_items (
  batch_id         text NOT NULL REFERENCES payment_batches (id),
  offer_id         text NOT NULL REFERENCES offers (id),
  investor         text NOT NULL,
  amount_fen       bigint NOT NULL CHECK (amount_fen > 0),
  route_kind       text NOT NULL CHECK (route_kind IN ('securities-account', 'bank-account')),
  route_reference  text NOT NULL,
  attempt          integer NOT NULL CHECK (attempt >= 1),
  status           text NOT NULL CHECK (status IN ('pending', 'sent', 'paid', 'failed')),
  failure          text,
  settled_at       timestamptz,
  PRIMARY KEY (batch_id, offer_id),
  UNIQUE (offer_id, attempt)
);
CREATE UNIQUE INDEX payment_items_one_live_per_offer ON payment_items (offer_id) WHERE status IN ('pending', 'sent', 'paid');

-- Where to pay an offer after a failed payment (a bank account the investor gave, an heir's account).
CREATE TABLE payment_routes (
  offer_id         text PRIMARY KEY REFERENCES offers (id),
  route_kind       text NOT NULL CHECK (route_kind IN ('securities-account', 'bank-account')),
  route_reference  text NOT NULL,
  reason           text NOT NULL,
  recorded_by      text NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now()
);
