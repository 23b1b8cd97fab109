import { z } from 'zod';
import { Rational } from '../money/rational.ts';
import { isIsoDate, type IsoDate } from '../market/calendar-date.ts';

/**
 * The loss parameters of a compensation plan (loss-methodology.md §2.1): everything the engine
 * needs to turn trade records into amounts. Decimal numbers are JSON strings, never JSON numbers,
 * and unknown keys are refused so that a typo cannot silently fall back to a default.
 */

const decimalText = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal number written as a string, e.g. "0.0003"');
const isoDate = z.string().refine(isIsoDate, 'must be a real date written YYYY-MM-DD');

const riskDeductionSchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('none') }),
  // Above 1 it is clamped like every leg's k (loss-methodology.md §5); planWarnings says so.
  z.strictObject({ method: z.literal('fixed'), ratio: decimalText }),
  z.strictObject({
    method: z.literal('index-comparison'),
    indices: z.array(z.string().min(1, 'an index code is required')).min(1, 'name at least one index'),
  }),
  z.strictObject({ method: z.literal('per-investor') }),
]);

export const lossPlanSchema = z.strictObject({
  security: z.strictObject({
    code: z.string().min(1),
    name: z.string(),
    exchange: z.string(),
  }),
  ruleSet: z.enum(['SPC2022', 'SPC2003']).default('SPC2022'),
  direction: z.enum(['inflated', 'deflated']).default('inflated'),
  implementationDate: isoDate,
  disclosureDate: isoDate,
  baseDate: isoDate.optional(),
  basePrice: decimalText.optional(),
  basePriceDecimals: z.number().int().min(0).max(8).nullable().default(2),
  averagePrice: z.enum(['moving-weighted-average', 'fifo', 'actual-cost', 'weighted-buys']).default('moving-weighted-average'),
  postDisclosureSales: z.enum(['fifo', 'eligible-first']).default('fifo'),
  riskDeduction: riskDeductionSchema.default({ method: 'none' }),
  fees: z
    .strictObject({
      commissionRate: decimalText.default('0.0003'),
      stampDutyRate: z.union([z.literal('by-date'), decimalText]).default('0.001'),
    })
    .default({ commissionRate: '0.0003', stampDutyRate: '0.001' }),
  interest: z
    .strictObject({
      annualRates: z.array(z.strictObject({ from: isoDate, rate: decimalText })).min(1, 'give at least one rate'),
    })
    .nullable()
    .default(null),
  exclusions: z.array(z.string().min(1)).default([]),
});

export type LossPlanDocument = z.output<typeof lossPlanSchema>;

export type AveragePriceMethod = LossPlanDocument['averagePrice'];
export type RuleSet = LossPlanDocument['ruleSet'];
export type Direction = LossPlanDocument['direction'];
export type PostDisclosureSales = LossPlanDocument['postDisclosureSales'];

export type RiskDeduction =
  | { method: 'none' }
  | { method: 'fixed'; ratio: Rational }
  | { method: 'index-comparison'; indices: readonly string[] }
  | { method: 'per-investor' };

export interface InterestRate {
  from: IsoDate;
  rate: Rational;
}

/** A validated plan with its decimals parsed into exact rationals. */
export interface LossPlan {
  document: LossPlanDocument;
  security: LossPlanDocument['security'];
  ruleSet: RuleSet;
  direction: Direction;
  implementationDate: IsoDate;
  disclosureDate: IsoDate;
  baseDate: IsoDate | null;
  basePrice: Rational | null;
  basePriceDecimals: number | null;
  averagePrice: AveragePriceMethod;
  postDisclosureSales: PostDisclosureSales;
  riskDeduction: RiskDeduction;
  commissionRate: Rational;
  stampDutyRate: Rational | 'by-date';
  interestRates: readonly InterestRate[] | null;
  exclusions: ReadonlySet<string>;
}

/** A problem with the plan, located by the JSON path of the offending value. */
export class PlanError extends Error {
  readonly path: readonly (string | number)[];
  constructor(path: readonly (string | number)[], message: string) {
    super(message);
    this.name = 'PlanError';
    this.path = path;
  }
}

/**
 * The fixed ratio of a plan whose ratio is above 1, as written, else null. k is clamped to 1
 * there (loss-methodology.md §5), so every positive leg is deducted in full and nothing is paid:
 * what a ratio written as a percentage ("25" for 0.25) would do without a word. `redress compute`
 * warns of it (planWarnings); a plan the case publishes refuses it (parsePlanDocument).
 */
export function fixedRatioAboveOne(plan: LossPlan): string | null {
  const risk = plan.document.riskDeduction;
  return risk.method === 'fixed' && Rational.parse(risk.ratio).gt(Rational.ONE) ? risk.ratio : null;
}

/** What a valid plan does that its author may not have meant, in words for the person who runs it. */
export function planWarnings(plan: LossPlan): string[] {
  const ratio = fixedRatioAboveOne(plan);
  return ratio === null ? [] : [`riskDeduction.ratio "${ratio}" is above 1: k is clamped to 1, so every positive leg is deducted in full and nothing is paid (write a ratio, e.g. "0.25" for 25%)`];
}

/** Validates a parsed plan.json value; throws PlanError naming the first problem. */
export function parseLossPlan(value: unknown): LossPlan {
  const result = lossPlanSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
    // An unknown key is located at the key itself, so the error names its line.
    if (issue.code === 'unrecognized_keys') path.push(issue.keys[0]!);
    throw new PlanError(path, describeIssue(issue, valueAt(value, path)));
  }
  const document = result.data;
  if (document.implementationDate >= document.disclosureDate) {
    throw new PlanError(['disclosureDate'], 'must be after implementationDate');
  }
  if (document.baseDate !== undefined && document.baseDate < document.disclosureDate) {
    throw new PlanError(['baseDate'], 'must be on or after disclosureDate');
  }
  const rates = document.interest?.annualRates ?? null;
  if (rates) {
    rates.forEach((entry, index) => {
      if (index > 0 && entry.from <= rates[index - 1]!.from) {
        throw new PlanError(['interest', 'annualRates', index, 'from'], 'rates must be listed in increasing order of "from"');
      }
    });
  }
  const risk = document.riskDeduction;
  return {
    document,
    security: document.security,
    ruleSet: document.ruleSet,
    direction: document.direction,
    implementationDate: document.implementationDate,
    disclosureDate: document.disclosureDate,
    baseDate: document.baseDate ?? null,
    basePrice: document.basePrice === undefined ? null : Rational.parse(document.basePrice),
    basePriceDecimals: document.basePriceDecimals,
    averagePrice: document.averagePrice,
    postDisclosureSales: document.postDisclosureSales,
    riskDeduction:
      risk.method === 'fixed'
        ? { method: 'fixed', ratio: Rational.parse(risk.ratio) }
        : risk.method === 'index-comparison'
          ? { method: 'index-comparison', indices: [...new Set(risk.indices)] }
          : risk,
    commissionRate: Rational.parse(document.fees.commissionRate),
    stampDutyRate: document.fees.stampDutyRate === 'by-date' ? 'by-date' : Rational.parse(document.fees.stampDutyRate),
    interestRates: rates?.map((entry) => ({ from: entry.from, rate: Rational.parse(entry.rate) })) ?? null,
    exclusions: new Set(document.exclusions),
  };
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}: remove ${issue.keys.length > 1 ? 'them' : 'it'} or fix the spelling`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_union':
      if (typeof input === 'number') return 'must be a string: write decimal numbers in quotes, e.g. "0.0003"';
      return issue.message;
    case 'invalid_type':
      if (input === undefined) return 'is required';
      if (issue.expected === 'string' && typeof input === 'number') {
        return 'must be a string: write decimal numbers in quotes, e.g. "0.0003"';
      }
      return `must be of type ${issue.expected}`;
    default:
      return issue.message;
  }
}
