-- The special fund's ledger (domain/fund): one row per transaction and one per posting; balances
-- are sums of postings. Nothing is updated or deleted: a correction is a reversing transaction.
CREATE TABLE fund_transactions (
  id           text PRIMARY KEY,
  fund_id      text NOT NULL,
  seq          integer NOT NULL,
  kind         text NOT NULL,
  booked_on    date NOT NULL,
  memo         text NOT NULL,
  reverses     text REFERENCES fund_transactions (id),
  -- SHA-256 of the transaction as applied: the same id with other content is refused.
  sha256       text NOT NULL,
  body         jsonb NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (fund_id, seq)
);

CREATE TABLE fund_postings (
  transaction_id  text NOT NULL REFERENCES fund_transactions (id),
  line            integer NOT NULL,
  fund_id         text NOT NULL,
  account         text NOT NULL,
  amount_fen      bigint NOT NULL CHECK (amount_fen <> 0),
  investor        text,
  offer_id        text,
  funder_id       text,
  party_id        text,
  PRIMARY KEY (transaction_id, line)
);
CREATE INDEX fund_postings_by_account ON fund_postings (fund_id, account);

CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: correct it with a reversing transaction', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER fund_transactions_append_only BEFORE UPDATE OR DELETE ON fund_transactions
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER fund_postings_append_only BEFORE UPDATE OR DELETE ON fund_postings
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
