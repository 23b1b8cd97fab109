import fc from 'fast-check';
import { CaseError } from '../../src/domain/case-error.ts';
import { sortTrades, timeOrderKey, type InvestorRecords, type Trade } from '../../src/domain/loss/investor-records.ts';
import { prepareLossCase, type LossCase } from '../../src/domain/loss/loss-case.ts';
import { columnsOfTrades, type TradeColumns } from '../../src/domain/loss/trade-columns.ts';
import { weekdaysBetween } from '../../src/domain/market/calendar-date.ts';
import type { BonusAction, IndexCloses, MarketDay } from '../../src/domain/market/market-data.ts';
import { Rational } from '../../src/domain/money/rational.ts';
import { parseLossPlan, type LossPlan } from '../../src/domain/plan/loss-plan.ts';

/*
 * Random cases for the property tests of the loss engine: random plans over one market, and
 * random investors whose trades follow a position, so that most of them can be computed.
 *
 * The market is 2021, Monday to Friday, 2021-09-08 suspended; 实施日 2021-03-01, 揭露日
 * 2021-09-01. Trades fall on trading days from 2021-01-04 (before the window) to 2021-10-29
 * (after the base date, where only the position is followed).
 *
 * A test draws a scenario with fc.record({ ...SCENARIO_CHOICES, riskDeduction, interest }) and
 * an investor with fc.record(investorChoices(…)), replacing any choice it needs drawn otherwise.
 */

export const IMPLEMENTATION = '2021-03-01';
export const DISCLOSURE = '2021-09-01';
const MARKET_DATES = weekdaysBetween('2021-01-04', '2021-12-31').filter((date) => date !== '2021-09-08');
const TRADE_DATES = MARKET_DATES.filter((date) => date <= '2021-10-29');
/** A trade's time on its date: none (it sorts first), or one of three times of day. */
const TIME_SLOTS = ['', 'T09:30:00', 'T10:15:00', 'T14:00:00'];

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
/** The record that fc.record draws from an object of arbitraries. */
type Drawn<Choices> = { [Name in keyof Choices]: ValueOf<Choices[Name]> };

// ---- scenarios -------------------------------------------------------------------------------

/** Where a bonus action may fall, as an index into TRADE_DATES. */
export const ACTION_DAY = {
  anywhere: fc.integer({ min: 0, max: TRADE_DATES.length - 1 }),
  inWindow: fc.integer({ min: TRADE_DATES.indexOf(IMPLEMENTATION), max: TRADE_DATES.indexOf(DISCLOSURE) - 1 }),
  /** Before or after the base date. */
  afterDisclosure: fc.integer({ min: TRADE_DATES.indexOf(DISCLOSURE), max: TRADE_DATES.length - 1 }),
};

/** Up to two bonus actions on distinct days, each day drawn evenly from `days`. */
export function actionDays(...days: fc.Arbitrary<number>[]): fc.Arbitrary<number[]> {
  return fc.uniqueArray(fc.oneof(...days), { maxLength: 2 });
}

export const BONUS_RATIOS = ['0.2', '0.25', '0.3', '0.5', '1'];

/** The ratio of each of the (up to two) bonus actions. */
export function actionRatios(ratios: readonly string[]): fc.Arbitrary<string[]> {
  return fc.array(fc.constantFrom(...ratios), { minLength: 2, maxLength: 2 });
}

/**
 * Interest by the number of its periods of annual rates: 'two' changes the rate inside the
 * window; 'three' also after the base date, and has a rate of 7 decimals.
 */
const INTEREST_RATES = {
  none: null,
  one: [{ from: '2020-01-01', rate: '0.0035' }],
  two: [{ from: '2020-01-01', rate: '0.0035' }, { from: '2021-06-01', rate: '0.003' }],
  three: [{ from: '2021-04-15', rate: '0.0123457' }, { from: '2021-06-01', rate: '0.003' }, { from: '2021-10-01', rate: '0.5' }],
} as const;

/**
 * What every scenario draws, but the deduction and the interest. The indices: I1 and I2 have a
 * close on every trading day; I3 (I1's closes) lacks some, so that a mirror run that reads one of
 * those stops the case with a CaseError; I4 has 5 decimals, more than the spec allows and more
 * than the integer walks' units hold (they must decline and leave the result to the general path);
 * I5 has 2, which the integer walks count in hundredths of a point.
 */
export const SCENARIO_CHOICES = {
  averagePrice: fc.constantFrom('moving-weighted-average', 'fifo', 'actual-cost', 'weighted-buys'),
  direction: fc.constantFrom('inflated', 'deflated'),
  postDisclosureSales: fc.constantFrom('fifo', 'eligible-first'),
  ruleSet: fc.constantFrom('SPC2022', 'SPC2003'),
  /** A base price in fen on a fixed base date, 2021-09-14; null: the engine computes both. */
  fixedBase: fc.option(fc.integer({ min: 200, max: 2000 }), { freq: 2 }),
  basePriceDecimals: fc.constantFrom(2, null),
  commissionRate: fc.constantFrom<string>('0.0003', '0.00025', '0.003'),
  stampDutyRate: fc.constantFrom('0.001', '0.0005', 'by-date'),
  excludeFirst: fc.boolean(),
  dailyVolume: fc.integer({ min: 1_000_000, max: 40_000_000 }),
  closes: fc.array(fc.integer({ min: 200, max: 2000 }), { minLength: 37, maxLength: 37 }),
  /** 100: closes in fen; 1000: a third decimal, which varies from day to day. */
  closeDecimals: fc.constantFrom<number>(100),
  index1: fc.array(fc.integer({ min: 20_000_000, max: 40_000_000 }), { minLength: 41, maxLength: 41 }),
  index2: fc.array(fc.integer({ min: 20_000_000, max: 40_000_000 }), { minLength: 43, maxLength: 43 }),
  index3Gaps: fc.array(fc.integer({ min: 0, max: 25 }).map((x) => x === 0), { minLength: 47, maxLength: 47 }),
  actions: actionDays(ACTION_DAY.anywhere, ACTION_DAY.inWindow, ACTION_DAY.afterDisclosure),
  actionRatios: actionRatios(BONUS_RATIOS),
};

/** A scenario: the shared choices and the two every test draws its own way. */
export type Scenario = Drawn<typeof SCENARIO_CHOICES> & {
  riskDeduction: Record<string, unknown>;
  interest: keyof typeof INTEREST_RATES;
};

export const NO_DEDUCTION: fc.Arbitrary<Record<string, unknown>> = fc.constant({ method: 'none' });
export const PER_INVESTOR_DEDUCTION: fc.Arbitrary<Record<string, unknown>> = fc.constant({ method: 'per-investor' });

/** A fixed ratio in thousandths, or (half the time, when given) one of `oddRatios`. */
export function fixedDeduction(...oddRatios: string[]): fc.Arbitrary<Record<string, unknown>> {
  const thousandths = fc.integer({ min: 0, max: 1000 }).map((k) => Rational.of(k, 1000).toTrimmed(3));
  return (oddRatios.length === 0 ? thousandths : fc.oneof(thousandths, fc.constantFrom(...oddRatios))).map((ratio) => ({ method: 'fixed', ratio }));
}

/** 个体相对比例法 over one of `indexLists`. */
export function indexComparison(...indexLists: string[][]): fc.Arbitrary<Record<string, unknown>> {
  return fc.constantFrom(...indexLists).map((indices) => ({ method: 'index-comparison', indices }));
}

export interface CaseInputs {
  plan: LossPlan;
  market: MarketDay[];
  actions: BonusAction[];
  indexCloses: IndexCloses;
}

export function caseInputs(s: Scenario): CaseInputs {
  const rates = INTEREST_RATES[s.interest];
  const plan = parseLossPlan({
    security: { code: '300999', name: 'p', exchange: 'SZSE' },
    ruleSet: s.ruleSet,
    direction: s.direction,
    implementationDate: IMPLEMENTATION,
    disclosureDate: DISCLOSURE,
    ...(s.fixedBase === null ? {} : { baseDate: '2021-09-14', basePrice: Rational.of(s.fixedBase, 100).toTrimmed(2) }),
    basePriceDecimals: s.basePriceDecimals,
    averagePrice: s.averagePrice,
    postDisclosureSales: s.postDisclosureSales,
    riskDeduction: s.riskDeduction,
    fees: { commissionRate: s.commissionRate, stampDutyRate: s.stampDutyRate },
    interest: rates === null ? null : { annualRates: rates },
    exclusions: s.excludeFirst ? [investorId(0, PLAIN_NAME)] : [],
  });
  const market: MarketDay[] = MARKET_DATES.map((date, i) => ({
    date,
    close: Rational.of(s.closes[i % s.closes.length]! * (s.closeDecimals / 100) + (s.closeDecimals === 1000 ? i % 10 : 0), s.closeDecimals),
    volume: BigInt(s.dailyVolume),
    float: 100_000_000n,
  }));
  const actions: BonusAction[] = s.actions
    .map((i, k) => ({ date: TRADE_DATES[i]!, ratio: Rational.parse(s.actionRatios[k]!) }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const index = (values: number[], scale: number, gaps: boolean[] = []) =>
    new Map(MARKET_DATES.filter((_, i) => !gaps[i % Math.max(gaps.length, 1)]).map((date, i) => [date, Rational.of(values[i % values.length]!, scale)]));
  const indexCloses: IndexCloses = new Map([
    ['I1', index(s.index1, 10_000)],
    ['I2', index(s.index2, 10_000)],
    ['I3', index(s.index1, 10_000, s.index3Gaps)],
    ['I4', index(s.index2.map((x) => x * 10 + 3), 100_000)],
    // Closes of two decimals, as exchanges publish them: the integer walk counts them in hundredths.
    ['I5', index(s.index2.map((x) => Math.round(x / 100)), 100)],
  ]);
  return { plan, market, actions, indexCloses };
}

export function caseOf(s: Scenario): LossCase {
  return prepareLossCase(caseInputs(s));
}

// ---- investors -------------------------------------------------------------------------------

/** Investor ids: mostly plain, some non-latin-1, some that compensation.csv must quote. */
const NAMES = ['INV', '投资者', 'Müller,', 'say "hi"'];
const PLAIN_NAME = NAMES[0]!;

function investorId(index: number, name: string): string {
  return `${name}${String(index).padStart(2, '0')}`;
}

/** What a test adds to the ordinary trades: round lots up to 2000 or any lot up to 2500 shares, at 1.000 to 30.000 yuan. */
export interface ExtremeTrades {
  /** Quantities of 1–9 × 10^power, each drawn with `weight` against 30 for each ordinary kind. */
  huge: readonly { power: number; weight: number }[];
  /** Now and then (1 in 41) a price of 0. */
  zeroPrices: boolean;
}

function intentArb({ huge, zeroPrices }: ExtremeTrades) {
  const price = fc.integer({ min: 1000, max: 30000 });
  return fc.record({
    buy: fc.boolean(),
    quantity: fc.oneof(
      { weight: 30, arbitrary: fc.integer({ min: 1, max: 20 }).map((x) => x * 100) },
      { weight: 30, arbitrary: fc.integer({ min: 1, max: 2500 }) },
      ...huge.map(({ power, weight }) => ({ weight, arbitrary: fc.integer({ min: 1, max: 9 }).map((x) => x * 10 ** power) })),
    ),
    priceMilli: zeroPrices ? fc.oneof({ weight: 40, arbitrary: price }, { weight: 1, arbitrary: fc.constant(0) }) : price,
    oversell: fc.integer({ min: 0, max: 49 }).map((x) => x === 0),
    // An investor's accounts are merged, so which one a trade is in must not matter.
    secondAccount: fc.boolean(),
  });
}

/** An investor's deduction ratio in thousandths, or (half the time, when given) one of `oddRatios`; none 1 time in 6. */
export function ratioArb(...oddRatios: Rational[]): fc.Arbitrary<Rational | null> {
  const thousandths = fc.integer({ min: 0, max: 1000 }).map((k) => Rational.of(k, 1000));
  return fc.option(oddRatios.length === 0 ? thousandths : fc.oneof(thousandths, fc.constantFrom(...oddRatios)), { freq: 6 });
}

/** The choices of one investor with up to `maxTrades` trades. */
export function investorChoices(maxTrades: number, extremes: ExtremeTrades) {
  return {
    slots: fc.uniqueArray(fc.integer({ min: 0, max: TRADE_DATES.length * TIME_SLOTS.length - 1 }), { maxLength: maxTrades }),
    intents: fc.array(intentArb(extremes), { minLength: maxTrades, maxLength: maxTrades }),
    holdings: fc.option(fc.integer({ min: 0, max: 3000 }), { freq: 3 }),
    ratio: ratioArb(),
    badRow: fc.integer({ min: 0, max: 29 }).map((x) => x === 0),
    name: fc.integer({ min: 0, max: 19 }).map((x) => NAMES[x < NAMES.length ? x : 0]!),
  };
}

export type InvestorSpec = Drawn<ReturnType<typeof investorChoices>>;

export interface RandomInvestor<Spec extends InvestorSpec = InvestorSpec> {
  investor: string;
  /** In file order: the random order of the slots, which number the lines. */
  fileOrder: Trade[];
  holdings: Rational | null;
  ratio: Rational | null;
  badRow: boolean;
  /** Some quantity is so large (past 10^8) that the integer walks are expected to overflow. */
  huge: boolean;
  spec: Spec;
}

/**
 * Sales are cut to the position the investor is known to have (so most investors are
 * computable), except for a rare deliberate oversell, which may also sell from nothing; any other
 * sale with nothing to sell becomes a buy. Bonus actions only add shares, so the cut is always
 * feasible. Before the window, with opening holdings, sides are left as drawn: the engine
 * ignores those trades.
 */
function buildInvestor<Spec extends InvestorSpec>(index: number, spec: Spec): RandomInvestor<Spec> {
  const investor = investorId(index, spec.name);
  const raw = spec.slots.map((slot, k) => {
    const date = TRADE_DATES[Math.floor(slot / TIME_SLOTS.length)]!;
    const time = date + TIME_SLOTS[slot % TIME_SLOTS.length]!;
    return { time, date, key: timeOrderKey(time), intent: spec.intents[k]!, line: 2 + index * 100 + k, side: 'B' as 'B' | 'S', quantity: 0 };
  });
  const byTime = [...raw].sort((a, b) => a.key - b.key);
  let position = spec.holdings ?? 0;
  for (const entry of byTime) {
    const { intent } = entry;
    entry.quantity = intent.quantity;
    if (spec.holdings !== null && entry.date < IMPLEMENTATION) {
      entry.side = intent.buy ? 'B' : 'S';
    } else if (intent.buy) {
      entry.side = 'B';
      position += intent.quantity;
    } else if (intent.oversell) {
      entry.side = 'S';
      entry.quantity = position + intent.quantity;
      position = 0;
    } else if (position === 0) {
      entry.side = 'B';
      position += intent.quantity;
    } else {
      entry.side = 'S';
      entry.quantity = Math.min(intent.quantity, position);
      position -= entry.quantity;
    }
  }
  const fileOrder: Trade[] = raw.map((entry) => ({
    line: entry.line,
    account: entry.intent.secondAccount ? 'A2' : 'A1',
    time: entry.time,
    timeKey: entry.key,
    date: entry.date,
    side: entry.side,
    quantity: Rational.of(entry.quantity),
    price: Rational.of(entry.intent.priceMilli, 1000),
  }));
  return {
    investor,
    fileOrder,
    holdings: spec.holdings === null ? null : Rational.of(spec.holdings),
    ratio: spec.ratio,
    badRow: spec.badRow,
    huge: raw.some((entry) => entry.quantity > 1e8),
    spec,
  };
}

/** The investor's records, with its trades sorted unless given; a bad row has a reason compensation.csv must quote. */
export function recordsOf(built: RandomInvestor, trades: Trade[] = sortTrades([...built.fileOrder])): InvestorRecords {
  const { investor } = built;
  return {
    investor,
    trades,
    holdings: built.holdings,
    ratio: built.ratio,
    badRows: built.badRow ? [{ file: 'trades.csv', line: 9999, investor, reason: 'price "1,5" is not a decimal' }] : [],
  };
}

/** A scenario and `count` investors in it. */
export function worldArb<S, Spec extends InvestorSpec>(scenarios: fc.Arbitrary<S>, investors: fc.Arbitrary<Spec>, count: number) {
  return fc
    .tuple(scenarios, fc.array(investors, { minLength: count, maxLength: count }))
    .map(([scenario, specs]) => ({ scenario, investors: specs.map((spec, i) => buildInvestor(i, spec)) }));
}

// ---- running them ----------------------------------------------------------------------------

/**
 * Every investor's columns in one set of shared arrays, each investor a range of them, as the
 * batch fills them; null where columnsOfTrades declines.
 */
export function sharedColumns(all: readonly InvestorRecords[]): (TradeColumns | null)[] {
  const parts = all.map((records) => columnsOfTrades(records.trades));
  const total = parts.reduce((count, part) => count + (part?.end ?? 0), 0) + 3;
  const shared = {
    line: new Float64Array(total), timeKey: new Float64Array(total), epochDay: new Int32Array(total),
    isBuy: new Uint8Array(total), quantity: new Float64Array(total), priceMilli: new Float64Array(total),
  };
  // Garbage around each range: a walk that strays outside its range gives wrong results.
  shared.quantity.fill(7);
  shared.timeKey.fill(1);
  let at = 1;
  return parts.map((part) => {
    if (part === null) return null;
    for (const name of ['line', 'timeKey', 'epochDay', 'isBuy', 'quantity', 'priceMilli'] as const) shared[name].set(part[name], at);
    const columns = { ...shared, start: at, end: at + part.end };
    at += part.end;
    return columns;
  });
}

/** What `compute` gives, or the message of the CaseError it throws (a missing index close stops the case). */
export type Outcome<T> = { value: T } | { caseError: string };

export function outcome<T>(compute: () => T): Outcome<T> {
  try {
    return { value: compute() };
  } catch (caught) {
    if (caught instanceof CaseError) return { caseError: caught.message };
    throw caught;
  }
}
