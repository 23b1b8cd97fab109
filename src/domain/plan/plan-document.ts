import { z } from 'zod';
import { isIsoDate, type IsoDate } from '../market/calendar-date.ts';
import { fixedRatioAboveOne, lossPlanSchema, parseLossPlan, PlanError, type LossPlan } from './loss-plan.ts';

/**
 * The compensation plan (赔付方案) as the hearing fixes it and the case publishes it: the loss
 * parameters the engine runs on (exactly a plan.json of `redress compute`), the fund, the
 * timetable, the late-claim policy, the dispute channel and the settlement agreement (和解协议)
 * an investor accepts or refuses. procedure.md step 6.
 *
 * Amounts are fen written as a string of digits, so that JSON never carries money as a binary
 * float; dates are YYYY-MM-DD.
 */
const isoDate = z.string().refine(isIsoDate, 'must be a real date written YYYY-MM-DD');
const fenText = z.string().regex(/^(0|[1-9]\d{0,17})$/, 'must be an amount in fen written as a string of digits, e.g. "150000000"');

const clauseSchema = z.strictObject({
  /** Stable within the agreement, so that a review flag and a diff can name the clause. */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'must be 1–32 letters, digits, dots, dashes or underscores'),
  text: z.string().trim().min(1, 'a clause needs text'),
});

export const planDocumentSchema = z.strictObject({
  title: z.string().trim().min(1),
  lossParameters: lossPlanSchema,
  fund: z.strictObject({
    /** The size the funders commit to before computation; a computed total above it calls a top-up. */
    sizeFen: fenText,
    topUpRule: z.string().trim().min(1),
    /**
     * What the offers are when the deposits do not cover the computed total: `top-up` (the default)
     * makes no offer until the funders top up; `pro-rata` offers each investor a share of the
     * deposits in proportion to its computed amount, by largest remainder at the fen.
     */
    shortfall: z.enum(['top-up', 'pro-rata']).default('top-up'),
  }),
  timetable: z.strictObject({
    reviewEndsOn: isoDate,
    acceptanceOpensOn: isoDate,
    acceptanceClosesOn: isoDate,
    paymentOn: isoDate,
    /** The day the case closes; never later than the three-month limit. */
    endsOn: isoDate,
  }),
  latePolicy: z.strictObject({ lateClaimDays: z.number().int().min(0).max(366), text: z.string().trim().min(1) }),
  disputeChannel: z.string().trim().min(1),
  agreement: z.strictObject({
    title: z.string().trim().min(1),
    language: z.enum(['zh', 'en']),
    clauses: z.array(clauseSchema).min(1, 'the agreement needs at least one clause'),
  }),
});

export type PlanDocument = z.output<typeof planDocumentSchema>;
export type AgreementClause = PlanDocument['agreement']['clauses'][number];

/** A plan document that passed validation, with its loss parameters parsed for the engine. */
export interface ValidPlanDocument {
  document: PlanDocument;
  lossPlan: LossPlan;
  fundSizeFen: bigint;
}

const TIMETABLE_ORDER = ['reviewEndsOn', 'acceptanceOpensOn', 'acceptanceClosesOn', 'paymentOn', 'endsOn'] as const;

/**
 * Validates a plan document; throws PlanError with the JSON path of the first problem. The
 * timetable must run in order (review, acceptance window, payment, end) and agreement clause ids
 * must be unique.
 */
export function parsePlanDocument(value: unknown): ValidPlanDocument {
  const result = planDocumentSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
    if (issue.code === 'unrecognized_keys') path.push(issue.keys[0]!);
    throw new PlanError(path, issue.message);
  }
  const document = result.data;
  let lossPlan: LossPlan;
  try {
    lossPlan = parseLossPlan((value as { lossParameters: unknown }).lossParameters);
  } catch (error) {
    if (error instanceof PlanError) throw new PlanError(['lossParameters', ...error.path], error.message);
    throw error;
  }
  // `redress compute` clamps it as the specification does, with a warning; a plan the case
  // publishes for investors to accept is refused it instead.
  if (fixedRatioAboveOne(lossPlan) !== null) {
    throw new PlanError(['lossParameters', 'riskDeduction', 'ratio'], 'must be between 0 and 1 (above 1 every loss would be deducted in full): write e.g. "0.25" for 25%');
  }
  const timetable = document.timetable;
  for (let i = 1; i < TIMETABLE_ORDER.length; i++) {
    const earlier: IsoDate = timetable[TIMETABLE_ORDER[i - 1]!];
    const later: IsoDate = timetable[TIMETABLE_ORDER[i]!];
    if (later < earlier) throw new PlanError(['timetable', TIMETABLE_ORDER[i]!], `must not be before ${TIMETABLE_ORDER[i - 1]} (${earlier})`);
  }
  const seen = new Set<string>();
  document.agreement.clauses.forEach((clause, index) => {
    if (seen.has(clause.id)) throw new PlanError(['agreement', 'clauses', index, 'id'], `clause id '${clause.id}' is used twice`);
    seen.add(clause.id);
  });
  return { document, lossPlan, fundSizeFen: BigInt(document.fund.sizeFen) };
}
