-- Recourse among the liable parties (procedure.md step 12). The book is rebuilt from these rows and
-- the fund's records by the pure rules of domain/recourse; the rows are the decisions and facts
-- recorded, in order, and are never changed.
CREATE TABLE recourse_allocations (
  case_id     text NOT NULL REFERENCES cases (id),
  version     integer NOT NULL,
  -- [{ id, kind, fault: { percent } | 'undeterminable' | 'no-fault' }], as decided (a court, an agreement).
  faults      jsonb NOT NULL,
  basis       text NOT NULL,
  decided_by  text NOT NULL,
  decided_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, version)
);

CREATE TABLE recourse_recoveries (
  case_id      text NOT NULL REFERENCES cases (id),
  reference    text NOT NULL,
  creditor     text NOT NULL,
  debtor       text NOT NULL,
  amount_fen   bigint NOT NULL CHECK (amount_fen > 0),
  received_on  date NOT NULL,
  recorded_by  text NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  seq          integer NOT NULL,
  PRIMARY KEY (case_id, reference),
  UNIQUE (case_id, seq)
);

CREATE TABLE recourse_limitation_overrides (
  case_id      text NOT NULL REFERENCES cases (id),
  seq          integer NOT NULL,
  party        text NOT NULL,
  limit_date   date NOT NULL,
  reason       text NOT NULL,
  recorded_by  text NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, seq)
);

CREATE TRIGGER recourse_allocations_append_only BEFORE UPDATE OR DELETE ON recourse_allocations
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER recourse_recoveries_append_only BEFORE UPDATE OR DELETE ON recourse_recoveries
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER recourse_limitation_overrides_append_only BEFORE UPDATE OR DELETE ON recourse_limitation_overrides
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
