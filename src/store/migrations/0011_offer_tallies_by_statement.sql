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

-- Adds each (case, source, status)'s change of count and amount to its tally. The rows are locked
-- in key order before they change, so that two transactions moving offers between the same rows
-- in opposite directions wait for each other rather than deadlock.
CREATE FUNCTION offer_tallies_add(changes jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO offer_tallies (case_id, source, status, offers, amount_fen)
    SELECT change ->> 'case_id', change ->> 'source', change ->> 'status', 0, 0 FROM jsonb_array_elements(changes) AS change
    ORDER BY 1, 2, 3
  ON CONFLICT (case_id, source, status) DO NOTHING;
  PERFORM 1 FROM offer_tallies AS tally
    JOIN jsonb_array_elements(changes) AS change
      ON tally.case_id = change ->> 'case_id' AND tally.source = change ->> 'source' AND tally.status = change ->> 'status'
    ORDER BY tally.case_id, tally.source, tally.status
    FOR UPDATE OF tally;
  UPDATE offer_tallies AS tally
     SET offers = tally.offers + (change ->> 'offers')::bigint,
         amount_fen = tally.amount_fen + (change ->> 'amount_fen')::bigint
    FROM jsonb_array_elements(changes) AS change
   WHERE tally.case_id = change ->> 'case_id' AND tally.source = change ->> 'source' AND tally.status = change ->> 'status';
END;
$$;

CREATE FUNCTION offer_tallies_follow_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM offer_tallies_add(coalesce((
    SELECT jsonb_agg(jsonb_build_object('case_id', case_id, 'source', source, 'status', status, 'offers', offers, 'amount_fen', amount_fen))
      FROM (SELECT case_id, source, status, count(*) AS offers, sum(amount_fen) AS amount_fen FROM inserted GROUP BY case_id, source, status) AS added
  ), '[]'::jsonb));
  RETURN NULL;
END;
$$;

CREATE FUNCTION offer_tallies_follow_updates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- An offer whose status changed leaves its old row and joins its new one; others move nothing.
  PERFORM offer_tallies_add(coalesce((
    SELECT jsonb_agg(jsonb_build_object('case_id', case_id, 'source', source, 'status', status, 'offers', offers, 'amount_fen', amount_fen))
      FROM (
        SELECT case_id, source, status, sum(offers) AS offers, sum(amount_fen) AS amount_fen
          FROM (
            SELECT after.case_id, after.source, after.status, 1 AS offers, after.amount_fen
              FROM updated_after AS after JOIN updated_before AS before ON before.id = after.id
             WHERE after.status <> before.status
            UNION ALL
            SELECT before.case_id, before.source, before.status, -1, -before.amount_fen
              FROM updated_after AS after JOIN updated_before AS before ON before.id = after.id
             WHERE after.status <> before.status
          ) AS moves
         GROUP BY case_id, source, status
      ) AS moved
     WHERE offers <> 0 OR amount_fen <> 0
  ), '[]'::jsonb));
  RETURN NULL;
END;
$$;

CREATE TRIGGER offers_tally_inserts AFTER INSERT ON offers
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION offer_tallies_follow_inserts();
CREATE TRIGGER offers_tally_updates AFTER UPDATE ON offers
  REFERENCING OLD TABLE AS updated_before NEW TABLE AS updated_after FOR EACH STATEMENT EXECUTE FUNCTION offer_tallies_follow_updates();
