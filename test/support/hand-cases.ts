import { timeOrderKey, type Trade } from '../../src/domain/loss/investor-records.ts';
import { prepareLossCase, type LossCase } from '../../src/domain/loss/loss-case.ts';
import { weekdaysBetween, type IsoDate } from '../../src/domain/market/calendar-date.ts';
import type { BonusAction, MarketDay } from '../../src/domain/market/market-data.ts';
import { Rational } from '../../src/domain/money/rational.ts';
import { parseLossPlan } from '../../src/domain/plan/loss-plan.ts';
import { DISCLOSURE, IMPLEMENTATION } from './random-cases.ts';

/*
 * Cases small enough to work out by hand, for the tests that check the engine's fast paths
 * against figures computed on paper. The random cases' window, but a market with no suspension
 * and a close of 10.00 every day, so that only the plan, the trades and index IX move the figures.
 */

export const HAND_DATES = weekdaysBetween('2021-01-04', '2021-12-31');
export const HAND_MARKET: MarketDay[] = HAND_DATES.map((date) => ({ date, close: Rational.parse('10'), volume: 1n, float: 1_000_000_000n }));

export interface HandCaseExtras {
  /** Closes of index IX by date; 3000 on any date not given, none on a date given null. */
  index?: Record<IsoDate, string | null>;
  actions?: BonusAction[];
}

/** A plan with base date 2021-09-14 and base price 8.00 unless overridden. */
export function handCase(overrides: Record<string, unknown>, { index = {}, actions = [] }: HandCaseExtras = {}): LossCase {
  const plan = parseLossPlan({
    security: { code: '300999', name: 'p', exchange: 'SZSE' },
    implementationDate: IMPLEMENTATION,
    disclosureDate: DISCLOSURE,
    baseDate: '2021-09-14',
    basePrice: '8.00',
    ...overrides,
  });
  const closes = new Map<IsoDate, Rational>();
  for (const date of HAND_DATES) {
    const given = index[date];
    if (given !== null) closes.set(date, Rational.parse(given ?? '3000'));
  }
  return prepareLossCase({ plan, market: HAND_MARKET, actions, indexCloses: new Map([['IX', closes]]) });
}

// Numbered in the order made, so that a file's trades keep distinct lines across its tests.
let nextLine = 2;

/** A trade in account A1; `time` is a date, or a date and a time of day. */
export function trade(time: string, side: 'B' | 'S', quantity: number | bigint, price: string): Trade {
  return { line: nextLine++, account: 'A1', time, timeKey: timeOrderKey(time), date: time.slice(0, 10), side, quantity: Rational.of(quantity), price: Rational.parse(price) };
}
