-- Amounts fixed by a court for investors who refused or were not covered (procedure.md step 13),
-- paid through the same rails as accepted offers: an award is an offer that is accepted by the
-- judgment itself, with no computation run behind it.
ALTER TABLE offers ALTER COLUMN run_id DROP NOT NULL;
ALTER TABLE offers ADD COLUMN source text NOT NULL DEFAULT 'computation' CHECK (source IN ('computation', 'court-award'));
ALTER TABLE offers ADD COLUMN award_reference text;
ALTER TABLE offers ADD CONSTRAINT offers_source_has_its_basis CHECK (
  (source = 'computation' AND run_id IS NOT NULL AND award_reference IS NULL)
  OR (source = 'court-award' AND run_id IS NULL AND award_reference IS NOT NULL));
CREATE UNIQUE INDEX offers_one_award_per_judgment ON offers (case_id, award_reference, investor) WHERE source = 'court-award';
