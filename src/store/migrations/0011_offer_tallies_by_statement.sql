-- The offer tallies (0010) follow each statement on offers rather than each row. Kept per row,
-- issuing a case's offers in one transaction updated the same tally row once per offer, and every
-- update had to step over the versions of that row the transaction had left before it: issuing
-- 100,000 offers took over two minutes, growing with the square of the case. Per statement, the
-- offers an INSERT or UPDATE wrote are summed by case, source and status from its transition
-- tables, and each tally row is written once.

DROP TRIGGER offers_keep_tallies ON offers;
DROP FUNCTION offer_tallies_follow();

-- An offer's case, source and amount never change: its tallies could not follow otherwise.
CREATE FUNCTION offers_keep_their_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.case_id, NEW.source, NEW.amount_fen) IS DISTINCT FROM (OLD.case_id, OLD.source, OLD.amount_fen) THEN
    RAISE EXCEPTION 'an offer''s case, source and amount never change';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER offers_keep_their_terms BEFORE UPDATE ON offers FOR EACH ROW EXECUTE FUNCTION offers_keep_their_terms();

-- A change of one tally row: the offers that join it, and their amount (negative when they leave).
CREATE TYPE offer_tally_change AS (case_id text, source text, status text, offers bigint, amount_fen bigint);

-- Adds each change to its tally. The rows are locked in key order before they change, so that two
-- transactions moving offers between the same rows in opposite directions wait for each other
-- rather than deadlock.
CREATE FUNCTION offer_tallies_add(changes offer_tally_change[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO offer_tallies (case_id, source, status, offers, amount_fen)
    SELECT change.case_id, change.source, change.status, 0, 0 FROM unnest(changes) AS change
    ORDER BY 1, 2, 3
  ON CONFLICT (case_id, source, status) DO NOTHING;
  PERFORM 1 FROM offer_tallies AS tally JOIN unnest(changes) AS change USING (case_id, source, status)
    ORDER BY tally.case_id, tally.source, tally.status
    FOR UPDATE OF tally;
  UPDATE offer_tallies AS tally
     SET offers = tally.offers + change.offers,
         amount_fen = tally.amount_fen + change.amount_fen
    FROM unnest(changes) AS change
   WHERE tally.case_id = change.case_id AND tally.source = change.source AND tally.status = change.status;
END;
$$;

CREATE FUNCTION offer_tallies_follow_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM offer_tallies_add(ARRAY(
    SELECT (case_id, source, status, count(*), sum(amount_fen))::offer_tally_change FROM inserted GROUP BY case_id, source, status
  ));
  RETURN NULL;
END;
$$;

CREATE FUNCTION offer_tallies_follow_updates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- An offer whose status changed leaves its old row and joins its new one; others move nothing.
  PERFORM offer_tallies_add(ARRAY(
    SELECT (move.case_id, move.source, move.status, sum(move.offers), sum(move.amount_fen))::offer_tally_change
      FROM updated_after AS after JOIN updated_before AS before ON before.id = after.id
     CROSS JOIN LATERAL (VALUES (after.case_id, after.source, after.status, 1, after.amount_fen),
                                (before.case_id, before.source, before.status, -1, -before.amount_fen)) AS move (case_id, source, status, offers, amount_fen)
     WHERE after.status <> before.status
     GROUP BY move.case_id, move.source, move.status
    HAVING sum(move.offers) <> 0 OR sum(move.amount_fen) <> 0
  ));
  RETURN NULL;
END;
$$;

CREATE TRIGGER offers_tally_inserts AFTER INSERT ON offers
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION offer_tallies_follow_inserts();
CREATE TRIGGER offers_tally_updates AFTER UPDATE ON offers
  REFERENCING OLD TABLE AS updated_before NEW TABLE AS updated_after FOR EACH STATEMENT EXECUTE FUNCTION offer_tallies_follow_updates();
