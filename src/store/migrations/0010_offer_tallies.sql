-- Running counts and amounts of a case's offers by source and status, kept by trigger in the same
-- transaction as each offer's insert or change of status, so that progress pages and the console's
-- counts read a handful of rows however many investors a case has. The reconciliation still counts
-- the offers themselves and checks these tallies against them.
CREATE TABLE offer_tallies (
  case_id     text NOT NULL REFERENCES cases (id),
  source      text NOT NULL,
  status      text NOT NULL,
  offers      bigint NOT NULL CHECK (offers >= 0),
  amount_fen  bigint NOT NULL CHECK (amount_fen >= 0),
  PRIMARY KEY (case_id, source, status)
);

CREATE FUNCTION offer_tallies_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.case_id, NEW.source, NEW.amount_fen) IS DISTINCT FROM (OLD.case_id, OLD.source, OLD.amount_fen) THEN
    RAISE EXCEPTION 'an offer''s case, source and amount never change';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.status = OLD.status THEN
    RETURN NEW;
  END IF;
  INSERT INTO offer_tallies (case_id, source, status, offers, amount_fen) VALUES (NEW.case_id, NEW.source, NEW.status, 0, 0)
    ON CONFLICT (case_id, source, status) DO NOTHING;
  -- One statement moves the offer between its two rows, which it locks in key order: two offers
  -- moving in opposite directions at once wait for each other rather than deadlock.
  UPDATE offer_tallies
     SET offers = offers + CASE WHEN status = NEW.status THEN 1 ELSE -1 END,
         amount_fen = amount_fen + CASE WHEN status = NEW.status THEN NEW.amount_fen ELSE -NEW.amount_fen END
   WHERE case_id = NEW.case_id AND source = NEW.source
     AND (status = NEW.status OR (TG_OP = 'UPDATE' AND status = OLD.status));
  RETURN NEW;
END;
$$;

CREATE TRIGGER offers_keep_tallies AFTER INSERT OR UPDATE ON offers FOR EACH ROW EXECUTE FUNCTION offer_tallies_follow();

INSERT INTO offer_tallies (case_id, source, status, offers, amount_fen)
  SELECT case_id, source, status, count(*), sum(amount_fen) FROM offers GROUP BY case_id, source, status;
