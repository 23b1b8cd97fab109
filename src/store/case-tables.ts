import type { ColumnType, JSONColumnType } from 'kysely';

/**
 * Kysely's view of the case tables (migrations/0002_cases.sql). int8 columns arrive as bigint and
 * dates as text on both drivers (see database.ts), so the types here are what a query returns.
 */
/** Timestamps default to now() in the tables, so inserts may leave them out. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type OptionalTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;
type Bilingual = { zh: string; en: string };

export interface ActorsTable {
  id: string;
  name: string;
  role: string;
  token_sha256: string | null;
  created_at: Timestamp;
}

export interface CasesTable {
  id: string;
  title: string;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseEventsTable {
  case_id: string;
  seq: number;
  type: string;
  event: Json<Record<string, unknown>>;
  recorded_at: Timestamp;
}

export interface NoticesTable {
  case_id: string;
  seq: number;
  event_seq: number;
  kind: string;
  publish_on: ColumnType<string, string, string>;
  title: Json<Bilingual>;
  body: Json<Bilingual>;
}

export interface IdempotentRequestsTable {
  key: string;
  actor_id: string;
  request_sha256: string;
  status_code: number;
  response: Json<object>;
  created_at: Timestamp;
}

export interface ComputationRunsTable {
  id: string;
  case_id: string;
  plan_version: number;
  plan_sha256: string;
  dataset: string;
  status: 'running' | 'finished' | 'failed';
  started_at: Timestamp;
  finished_at: OptionalTimestamp;
  error: string | null;
  input_sha256: string | null;
  investors: number | null;
  payable: number | null;
  zero: number | null;
  ineligible: number | null;
  rejected: number | null;
  rejected_rows: number | null;
  total_fen: bigint | null;
  summary: Json<Record<string, unknown>> | null;
}

export interface InvestorResultsTable {
  run_id: string;
  investor: string;
  status: string;
  reason: string;
  loss_sold_fen: bigint;
  loss_held_fen: bigint;
  investment_difference_loss_fen: bigint;
  deduction_fen: bigint;
  principal_fen: bigint;
  commission_fen: bigint;
  stamp_duty_fen: bigint;
  interest_fen: bigint;
  total_fen: bigint;
  figures: Json<Record<string, string>>;
  sheet: Json<object>;
}

export interface RejectedRowsTable {
  run_id: string;
  file: string;
  line: number;
  investor: string;
  reason: string;
}

/** Running counts of a case's offers by source and status, kept by statement triggers (migrations 0010, 0011). */
export interface OfferTalliesTable {
  case_id: string;
  source: string;
  status: string;
  offers: ColumnType<bigint, never, never>;
  amount_fen: ColumnType<bigint, never, never>;
}

export interface OffersTable {
  id: string;
  case_id: string;
  /** The computation run the amount comes from; null for a court award. */
  run_id: string | null;
  source: ColumnType<'computation' | 'court-award', 'computation' | 'court-award' | undefined, never>;
  /** The judgment that fixed a court award. */
  award_reference: ColumnType<string | null, string | null | undefined, never>;
  investor: string;
  amount_fen: bigint;
  plan_version: number;
  plan_sha256: string;
  agreement_sha256: string;
  opens_on: ColumnType<string, string, string>;
  closes_on: ColumnType<string, string, string>;
  issued_at: Timestamp;
  status: 'offered' | 'accepted' | 'refused' | 'disputed' | 'superseded';
}

export interface OfferAnswersTable {
  offer_id: string;
  kind: 'accept' | 'refuse' | 'dispute';
  channel: 'portal' | 'exchange-file' | 'counter';
  answered_on: ColumnType<string, string, string>;
  answered_at: Timestamp;
  actor_id: string;
  agreement_sha256: string;
  assignment: Json<object> | null;
  reason: string | null;
}

export interface PaymentBatchesTable {
  id: string;
  case_id: string;
  status: 'prepared' | 'approved' | 'sent' | 'settled';
  prepared_by: string;
  prepared_on: ColumnType<string, string, string>;
  prepared_at: Timestamp;
  approved_by: string | null;
  approved_at: OptionalTimestamp;
  sent_at: OptionalTimestamp;
  items: number;
  total_fen: bigint;
}

export interface PaymentItemsTable {
  batch_id: string;
  offer_id: string;
  investor: string;
  amount_fen: bigint;
  route_kind: 'securities-account' | 'bank-account';
  route_reference: string;
  attempt: number;
  status: 'pending' | 'sent' | 'paid' | 'failed';
  failure: string | null;
  settled_at: OptionalTimestamp;
}

export interface PaymentRoutesTable {
  offer_id: string;
  route_kind: 'securities-account' | 'bank-account';
  route_reference: string;
  reason: string;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface FundTransactionsTable {
  id: string;
  fund_id: string;
  seq: number;
  kind: string;
  booked_on: ColumnType<string, string, string>;
  memo: string;
  reverses: string | null;
  sha256: string;
  body: Json<object>;
  recorded_at: Timestamp;
}

export interface FundPostingsTable {
  transaction_id: string;
  line: number;
  fund_id: string;
  account: string;
  amount_fen: bigint;
  investor: string | null;
  offer_id: string | null;
  funder_id: string | null;
  party_id: string | null;
}

export interface DisputeReviewsTable {
  offer_id: string;
  resolution: 'upheld' | 'corrected';
  note: string;
  run_id: string | null;
  new_offer_id: string | null;
  reviewed_by: string;
  reviewed_on: ColumnType<string, string, string>;
  reviewed_at: Timestamp;
}

export interface RecourseAllocationsTable {
  case_id: string;
  version: number;
  faults: Json<object>;
  basis: string;
  decided_by: string;
  decided_at: Timestamp;
}

export interface RecourseRecoveriesTable {
  case_id: string;
  reference: string;
  creditor: string;
  debtor: string;
  amount_fen: bigint;
  received_on: ColumnType<string, string, string>;
  recorded_by: string;
  recorded_at: Timestamp;
  seq: number;
}

export interface RecourseLimitationOverridesTable {
  case_id: string;
  seq: number;
  party: string;
  limit_date: ColumnType<string, string, string>;
  reason: string;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface CaseTables {
  actors: ActorsTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  notices: NoticesTable;
  idempotent_requests: IdempotentRequestsTable;
  computation_runs: ComputationRunsTable;
  investor_results: InvestorResultsTable;
  rejected_rows: RejectedRowsTable;
  offers: OffersTable;
  offer_tallies: OfferTalliesTable;
  offer_answers: OfferAnswersTable;
  payment_batches: PaymentBatchesTable;
  payment_items: PaymentItemsTable;
  payment_routes: PaymentRoutesTable;
  fund_transactions: FundTransactionsTable;
  fund_postings: FundPostingsTable;
  dispute_reviews: DisputeReviewsTable;
  recourse_allocations: RecourseAllocationsTable;
  recourse_recoveries: RecourseRecoveriesTable;
  recourse_limitation_overrides: RecourseLimitationOverridesTable;
}
