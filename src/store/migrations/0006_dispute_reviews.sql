-- The review of each disputed offer: upheld (the offer is open again) or corrected (a new offer
-- from a recomputation replaces it, or none when nothing is payable).
CREATE TABLE dispute_reviews (
  offer_id      text PRIMARY KEY REFERENCES offers (id),
  resolution    text NOT NULL CHECK (resolution IN ('upheld', 'corrected')),
  note          text NOT NULL,
  run_id        text REFERENCES computation_runs (id),
  new_offer_id  text REFERENCES offers (id),
  reviewed_by   text NOT NULL,
  reviewed_on   date NOT NULL,
  reviewed_at   timestamptz NOT NULL DEFAULT now()
);
