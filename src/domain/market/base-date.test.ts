import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CaseError } from '../case-error.ts';
import { computeInvestorLoss } from '../loss/investor-loss.ts';
import { timeOrderKey, type Trade } from '../loss/investor-records.ts';
import { prepareLossCase } from '../loss/loss-case.ts';
import { Rational } from '../money/rational.ts';
import { parseLossPlan, type LossPlan } from '../plan/loss-plan.ts';
import { computeKeyDates } from './base-date.ts';
import { addDays, isWeekend, type IsoDate } from './calendar-date.ts';
import type { BonusAction, MarketDay } from './market-data.ts';

const FLOAT = 100_000_000n;
const q = (text: string) => Rational.parse(text);

/** Monday to Friday from `start` (inclusive), `count` days. */
function weekdays(start: IsoDate, count: number): IsoDate[] {
  const days: IsoDate[] = [];
  for (let date = start; days.length < count; date = addDays(date, 1)) {
    if (!isWeekend(date)) days.push(date);
  }
  return days;
}

/** Market rows on the given dates, with volumes (and optionally closes and floats) by position. */
function marketRows(dates: IsoDate[], volumes: (number | bigint)[], closes?: string[], floats?: bigint[]): MarketDay[] {
  return dates.map((date, i) => ({
    date,
    close: q(closes?.[i] ?? '10.00'),
    volume: BigInt(volumes[i] ?? 0),
    float: floats?.[i] ?? FLOAT,
  }));
}

function plan(overrides: Record<string, unknown> = {}): LossPlan {
  return parseLossPlan({
    security: { code: '600000', name: 'test', exchange: 'SSE' },
    implementationDate: '2023-06-01',
    disclosureDate: '2024-01-01',
    ...overrides,
  });
}

/** 2024-01-01 is a Monday; 60 weekdays from it are the trading days of the synthetic market. */
const DAYS = weekdays('2024-01-01', 60);
const day = (n: number) => DAYS[n - 1]!;

/** Volumes giving a running sum; `perDay[i]` for day i + 1, 0 after. */
function volumesReaching(perDay: number[], total = 60): number[] {
  return Array.from({ length: total }, (_, i) => perDay[i] ?? 0);
}

describe('S-1: SPC2022 base date (Art. 26), float 100,000,000', () => {
  test('(a) reached on day 7 → base date day 10, and the base price 7.40', () => {
    // days 1–6: 15,000,000 each = 90,000,000; day 7: 20,000,000 → 110,000,000 ≥ 100,000,000 on day 7
    const volumes = volumesReaching([15e6, 15e6, 15e6, 15e6, 15e6, 15e6, 20e6, 1e6, 1e6, 1e6, 1e6]);
    const closes = ['9.00', '8.10', '7.30', '7.50', '7.20', '7.00', '6.90', '7.10', '7.00', '6.90', '99.00', '99.00'];
    const keyDates = computeKeyDates(plan(), marketRows(DAYS, volumes, closes), []);
    assert.equal(keyDates.firstTradingDay, '2024-01-01');
    assert.equal(keyDates.baseDate, day(10)); // max(7, 10) = 10
    assert.equal(keyDates.baseDate, '2024-01-12');
    assert.deepEqual(keyDates.baseDateRule, {
      kind: 'turnover', ruleSet: 'SPC2022', reachedOnDay: 7, baseDay: 10, float: FLOAT,
      cumulativeVolume: 113_000_000n, // 110,000,000 + 3 × 1,000,000 to day 10
    });
    // 9.00+8.10+7.30+7.50+7.20+7.00+6.90+7.10+7.00+6.90 = 74.00; 74.00 / 10 = 7.40 (day 11's 99.00 is outside)
    assert.ok(keyDates.basePrice.equals(q('7.40')));
    assert.ok(keyDates.basePriceMean!.equals(Rational.of(37, 5)));
    assert.equal(keyDates.baseWindow.length, 10);
    assert.equal(keyDates.baseWindow[0]!.date, day(1));
    assert.equal(keyDates.baseWindow[9]!.date, day(10));
  });

  test('(b) reached on day 18 → day 18', () => {
    // days 1–17: 5,000,000 each = 85,000,000; day 18: 16,000,000 → 101,000,000
    const volumes = volumesReaching([...Array(17).fill(5e6), 16e6]);
    const keyDates = computeKeyDates(plan(), marketRows(DAYS, volumes), []);
    assert.equal(keyDates.baseDate, day(18));
    assert.equal(keyDates.baseDateRule.kind, 'turnover');
    assert.equal(keyDates.baseWindow.length, 18);
  });

  test('(b′) one share short on day 17 is not reached', () => {
    // days 1–17 sum to 99,999,999; day 18 adds 1 → exactly 100,000,000 on day 18
    const volumes = volumesReaching([...Array(16).fill(6e6), 3_999_999, 1]);
    const keyDates = computeKeyDates(plan(), marketRows(DAYS, volumes), []);
    assert.equal(keyDates.baseDate, day(18));
  });

  test('(c) still 97% on day 30 → day 30 (fallback), even though it is reached on day 31', () => {
    // days 1–29: 3,000,000 = 87,000,000; day 30: 10,000,000 → 97,000,000; day 31: 50,000,000
    const volumes = volumesReaching([...Array(29).fill(3e6), 10e6, 50e6]);
    const keyDates = computeKeyDates(plan(), marketRows(DAYS, volumes), []);
    assert.equal(keyDates.baseDate, day(30));
    assert.deepEqual(keyDates.baseDateRule, { kind: 'fallback', ruleSet: 'SPC2022', baseDay: 30, float: FLOAT, cumulativeVolume: 97_000_000n });
    assert.equal(keyDates.baseWindow.length, 30);
  });

  test('(c′) not reached with exactly 30 rows → day 30', () => {
    const dates = DAYS.slice(0, 30);
    const keyDates = computeKeyDates(plan(), marketRows(dates, volumesReaching([], 30)), []);
    assert.equal(keyDates.baseDate, day(30));
  });

  test('(d) exactly 100% on day 10 → day 10', () => {
    // 10,000,000 a day: the running sum is 100,000,000 = float on day 10 ("reaches" includes equality)
    const volumes = volumesReaching(Array(10).fill(10e6));
    const keyDates = computeKeyDates(plan(), marketRows(DAYS, volumes), []);
    assert.equal(keyDates.baseDate, day(10));
    assert.equal(keyDates.baseDateRule.kind === 'turnover' && keyDates.baseDateRule.reachedOnDay, 10);
  });

  test('(d′) exactly 100% on day 11 → day 11', () => {
    // 9,999,999 × 10 = 99,999,990 on day 10; day 11 adds 10 → 100,000,000
    const volumes = volumesReaching([...Array(10).fill(9_999_999), 10]);
    const keyDates = computeKeyDates(plan(), marketRows(DAYS, volumes), []);
    assert.equal(keyDates.baseDate, day(11));
  });

  test('the float of day 1 is the target, not a later day’s float', () => {
    // float 100,000,000 on day 1, 200,000,000 afterwards; 10,000,000 a day reaches 100,000,000 on day 10
    // and would reach 200,000,000 only on day 20
    const floats = DAYS.map((_, i) => (i === 0 ? FLOAT : 2n * FLOAT));
    const keyDates = computeKeyDates(plan(), marketRows(DAYS, volumesReaching(Array(30).fill(10e6)), undefined, floats), []);
    assert.equal(keyDates.baseDate, day(10));
  });

  test('rows before the disclosure date are not counted', () => {
    // disclosure on day 6 (2024-01-08); days 1–5 carry 500,000,000 that must not count.
    // From day 6: 20,000,000 a day → reached on its 5th day → base = its 10th trading day = DAYS[15]
    const volumes = DAYS.map((_, i) => (i < 5 ? 500e6 : 20e6));
    const keyDates = computeKeyDates(plan({ disclosureDate: day(6) }), marketRows(DAYS, volumes), []);
    assert.equal(keyDates.firstTradingDay, day(6));
    assert.equal(keyDates.baseDate, DAYS[14]); // 10th day counted from day(6) = DAYS[5 + 9]
    assert.equal(keyDates.baseDate, day(15));
  });
});

describe('SPC2003 base date (2003 Art. 33)', () => {
  const plan2003 = (overrides: Record<string, unknown> = {}) => plan({ ruleSet: 'SPC2003', ...overrides });

  test('first day reached with no floor: day 7 → day 7', () => {
    const volumes = volumesReaching([15e6, 15e6, 15e6, 15e6, 15e6, 15e6, 20e6]);
    const keyDates = computeKeyDates(plan2003(), marketRows(DAYS, volumes), []);
    assert.equal(keyDates.baseDate, day(7));
    assert.deepEqual(keyDates.baseDateRule, { kind: 'turnover', ruleSet: 'SPC2003', reachedOnDay: 7, baseDay: 7, float: FLOAT, cumulativeVolume: 110_000_000n });
  });

  test('reached on day 3 with only 3 rows given → day 3 (no floor, nothing more is needed)', () => {
    const dates = DAYS.slice(0, 3);
    const keyDates = computeKeyDates(plan2003(), marketRows(dates, [40e6, 40e6, 40e6]), []);
    assert.equal(keyDates.baseDate, day(3));
  });

  test('data ending before it is reached → day 30', () => {
    // 40 rows of 1,000,000: 40,000,000 < float, never reached
    const dates = DAYS.slice(0, 40);
    const keyDates = computeKeyDates(plan2003(), marketRows(dates, Array(40).fill(1e6)), []);
    assert.equal(keyDates.baseDate, day(30));
    assert.equal(keyDates.baseDateRule.kind, 'fallback');
  });

  test('TV-5 shape: reached on day 45 → day 45 (no cap); the same market under SPC2022 → day 30', () => {
    // days 1–44: 2,000,000 = 88,000,000; day 45: 12,000,000 → 100,000,000
    const volumes = volumesReaching([...Array(44).fill(2e6), 12e6]);
    const market = marketRows(DAYS, volumes);
    assert.equal(computeKeyDates(plan2003(), market, []).baseDate, day(45));
    assert.equal(computeKeyDates(plan(), market, []).baseDate, day(30));
  });
});

describe('calendar', () => {
  test('a disclosure date on a Saturday: day 1 is the Monday after', () => {
    // 2024-01-06 is a Saturday; day 1 = Monday 2024-01-08. Counted from it: 08,09,10,11,12 | 15,16,17,18,19
    // 20,000,000 a day reaches the float on the 5th day → base date = 10th day = 2024-01-19
    const volumes = DAYS.map(() => 20e6);
    const keyDates = computeKeyDates(plan({ disclosureDate: '2024-01-06' }), marketRows(DAYS, volumes), []);
    assert.equal(keyDates.disclosureDate, '2024-01-06');
    assert.equal(keyDates.firstTradingDay, '2024-01-08');
    assert.equal(keyDates.baseDate, '2024-01-19');
    assert.equal(keyDates.baseWindow.length, 10);
  });

  test('suspended days (missing rows) are skipped in the count', () => {
    // rows: 01-01 (d1), 01-02 (d2), 01-03..01-05 suspended, 01-08 (d3), 09, 10, 11, 12, 15, 16, 17 (d10)
    const dates = DAYS.filter((date) => date < '2024-01-03' || date > '2024-01-05');
    const closes = ['10', '10', '8', '8', '8', '8', '8', '8', '8', '8'];
    // reached on d3 (3 × 40,000,000), floor → d10 = 2024-01-17
    const keyDates = computeKeyDates(plan(), marketRows(dates, Array(dates.length).fill(40e6), closes), []);
    assert.equal(keyDates.baseDate, '2024-01-17');
    assert.deepEqual(keyDates.baseWindow.map((row) => row.date), ['2024-01-01', '2024-01-02', '2024-01-08', '2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12', '2024-01-15', '2024-01-16', '2024-01-17']);
    // (10 + 10 + 8 × 8) / 10 = 84 / 10 = 8.40
    assert.ok(keyDates.basePrice.equals(q('8.40')));
  });
});

describe('too few market rows → CaseError, nothing is computed', () => {
  test('no row on or after the disclosure date', () => {
    const dates = DAYS.slice(0, 5);
    assert.throws(() => computeKeyDates(plan({ disclosureDate: '2024-02-01' }), marketRows(dates, Array(5).fill(1e6)), []), CaseError);
  });

  test('SPC2022 reached on day 5 but only 8 rows: day 10 cannot be found', () => {
    const dates = DAYS.slice(0, 8);
    assert.throws(
      () => computeKeyDates(plan(), marketRows(dates, Array(8).fill(30e6)), []),
      (error: unknown) => error instanceof CaseError && error.file === 'market.csv' && /too few market rows/.test(error.message),
    );
  });

  test('SPC2022 not reached and only 20 rows', () => {
    const dates = DAYS.slice(0, 20);
    assert.throws(() => computeKeyDates(plan(), marketRows(dates, Array(20).fill(1e6)), []), CaseError);
  });

  test('SPC2003 not reached and only 25 rows (day 30 is not in the data)', () => {
    const dates = DAYS.slice(0, 25);
    assert.throws(() => computeKeyDates(plan({ ruleSet: 'SPC2003' }), marketRows(dates, Array(25).fill(1e6)), []), CaseError);
  });

  test('prepareLossCase passes the CaseError on', () => {
    const dates = DAYS.slice(0, 8);
    assert.throws(() => prepareLossCase({ plan: plan(), market: marketRows(dates, Array(8).fill(1e6)), actions: [], indexCloses: new Map() }), CaseError);
  });
});

describe('plan-fixed base date and price', () => {
  const volumes = DAYS.map(() => 1e6); // never reached: the computed date would be day 30

  test('a baseDate on a Saturday: the window runs to the Friday before and the mean is taken over it', () => {
    // baseDate 2024-01-13 (Saturday): window 01-01..01-12 = 10 trading days
    const closes = ['5', '5', '5', '5', '5', '6', '6', '6', '6', '7', '100'];
    const keyDates = computeKeyDates(plan({ baseDate: '2024-01-13' }), marketRows(DAYS, volumes, closes), []);
    assert.equal(keyDates.baseDate, '2024-01-13');
    assert.deepEqual(keyDates.baseDateRule, { kind: 'plan' });
    assert.equal(keyDates.baseWindow.length, 10);
    // (5 × 5 + 6 × 4 + 7) / 10 = 56 / 10 = 5.60
    assert.ok(keyDates.basePrice.equals(q('5.6')));
  });

  test('baseDate and basePrice given: both used exactly, no mean', () => {
    const keyDates = computeKeyDates(plan({ baseDate: '2024-01-13', basePrice: '6.775' }), marketRows(DAYS, volumes), []);
    assert.equal(keyDates.baseDate, '2024-01-13');
    assert.ok(keyDates.basePrice.equals(q('6.775'))); // not rounded to 2 decimals
    assert.equal(keyDates.basePriceMean, null);
  });

  test('only basePrice given: the base date is still computed', () => {
    const keyDates = computeKeyDates(plan({ basePrice: '3.333' }), marketRows(DAYS, DAYS.map(() => 20e6)), []);
    assert.equal(keyDates.baseDate, day(10)); // reached day 5 → 10
    assert.ok(keyDates.basePrice.equals(q('3.333')));
  });

  test('a plan baseDate with no trading day to average and no basePrice → CaseError', () => {
    // disclosure on Saturday 2024-01-06, base date Sunday 2024-01-07: day 1 is 01-08, after the base date
    assert.throws(() => computeKeyDates(plan({ disclosureDate: '2024-01-06', baseDate: '2024-01-07' }), marketRows(DAYS, volumes), []), CaseError);
  });
});

describe('base price rounding', () => {
  const volumes = volumesReaching(Array(10).fill(10e6)); // base date day 10

  test('basePriceDecimals null keeps the exact mean; 2 (default) and 3 round half up', () => {
    // closes 1 × 9 days and 2.01 on day 10 → 11.01 / 10 = 1.101 → 2 decimals 1.10, 3 decimals 1.101
    const closes = ['1', '1', '1', '1', '1', '1', '1', '1', '1', '2.01'];
    const market = marketRows(DAYS, volumes, closes);
    assert.ok(computeKeyDates(plan({ basePriceDecimals: null }), market, []).basePrice.equals(q('1.101')));
    assert.ok(computeKeyDates(plan(), market, []).basePrice.equals(q('1.10')));
    assert.ok(computeKeyDates(plan({ basePriceDecimals: 3 }), market, []).basePrice.equals(q('1.101')));
  });

  test('a mean ending in exactly 5 rounds up; a repeating mean is kept exact with null', () => {
    // closes 7.00 × 5 and 7.01 × 5 → 70.05 / 10 = 7.005 → 7.01
    const half = marketRows(DAYS, volumes, [...Array(5).fill('7.00'), ...Array(5).fill('7.01')]);
    assert.ok(computeKeyDates(plan(), half, []).basePrice.equals(q('7.01')));
    // SPC2003 reached on day 3 (3 × 40,000,000): closes 1, 1, 2 → 4/3 = 1.3333…
    const third = marketRows(DAYS, [40e6, 40e6, 40e6], ['1', '1', '2']);
    const exact = computeKeyDates(plan({ ruleSet: 'SPC2003', basePriceDecimals: null }), third, []);
    assert.ok(exact.basePrice.equals(Rational.of(4, 3)));
    assert.ok(computeKeyDates(plan({ ruleSet: 'SPC2003' }), third, []).basePrice.equals(q('1.33')));
  });

  test('a bonus action inside the span divides earlier closes by 1 + ratio', () => {
    // action on day 4, ratio 0.25: days 1–3 at 10.00 become 10 / 1.25 = 8.00; days 4–10 are 8.00
    // mean = 80 / 10 = 8.00 (unadjusted it would be (30 + 56) / 10 = 8.60)
    const closes = ['10', '10', '10', '8', '8', '8', '8', '8', '8', '8'];
    const market = marketRows(DAYS, volumes, closes);
    const actions: BonusAction[] = [{ date: day(4), ratio: q('0.25') }];
    assert.ok(computeKeyDates(plan(), market, actions).basePrice.equals(q('8.00')));
    assert.ok(computeKeyDates(plan(), market, []).basePrice.equals(q('8.60')));
  });

  test('two bonus actions compound; actions outside the span change nothing', () => {
    // actions day 3 (ratio 1) and day 6 (ratio 0.5): days 1–2 ÷ 3, days 3–5 ÷ 1.5
    // closes: 30, 30 | 15, 15, 15 | 10 × 5 → all become 10 → mean 10.00
    const closes = ['30', '30', '15', '15', '15', '10', '10', '10', '10', '10'];
    const market = marketRows(DAYS, volumes, closes);
    const inside: BonusAction[] = [{ date: day(3), ratio: q('1') }, { date: day(6), ratio: q('0.5') }];
    assert.ok(computeKeyDates(plan(), market, inside).basePrice.equals(q('10')));
    // an action before day 1 (in the window) or after the base date does not adjust any close:
    // mean = (60 + 45 + 50) / 10 = 15.50
    const outside: BonusAction[] = [{ date: '2023-12-01', ratio: q('1') }, { date: day(1), ratio: q('1') }, { date: day(11), ratio: q('1') }];
    assert.ok(computeKeyDates(plan(), market, outside).basePrice.equals(q('15.50')));
  });

  test('an action on the base date itself adjusts all earlier closes', () => {
    // action on day 10, ratio 1: days 1–9 at 20 → 10; day 10 at 10 → mean 10.00
    const closes = [...Array(9).fill('20'), '10'];
    const market = marketRows(DAYS, volumes, closes);
    assert.ok(computeKeyDates(plan(), market, [{ date: day(10), ratio: q('1') }]).basePrice.equals(q('10')));
  });
});

describe('TV-2 广汽长丰 (600991): fixed base date and price, two legs', () => {
  // 实施日 2004-06-14, 揭露日 2009-01-07, 基准日 2009-03-09, 基准价 6.77 (2003 rule)
  const tvPlan = parseLossPlan({
    security: { code: '600991', name: '广汽长丰', exchange: 'SSE' },
    ruleSet: 'SPC2003',
    implementationDate: '2004-06-14',
    disclosureDate: '2009-01-07',
    baseDate: '2009-03-09',
    basePrice: '6.77',
  });
  const market: MarketDay[] = [
    { date: '2009-01-07', close: q('6.80'), volume: 1n, float: FLOAT },
    { date: '2009-03-09', close: q('6.70'), volume: 1n, float: FLOAT },
  ];
  const lossCase = prepareLossCase({ plan: tvPlan, market, actions: [], indexCloses: new Map() });
  const trade = (line: number, time: string, side: 'B' | 'S', quantity: number, price: string): Trade => ({
    line, account: 'A1', time, timeKey: timeOrderKey(time), date: time.slice(0, 10), side, quantity: Rational.of(quantity), price: q(price),
  });
  const investor = (trades: Trade[]) => computeInvestorLoss({ investor: 'X', trades, holdings: null, ratio: null, badRows: [] }, lossCase);

  test('key dates as fixed by the plan', () => {
    assert.equal(lossCase.keyDates.baseDate, '2009-03-09');
    assert.ok(lossCase.keyDates.basePrice.equals(q('6.77')));
  });

  test('(a) bought 100 @ 7.50 in the window, sold 100 @ 5.50 after disclosure → 200.00', () => {
    // (7.50 − 5.50) × 100 = 200.00
    const result = investor([trade(2, '2008-05-06', 'B', 100, '7.50'), trade(3, '2009-02-02', 'S', 100, '5.50')]);
    assert.equal(result.status, 'payable');
    assert.ok(result.computed!.legs!.loss.equals(q('200')));
    assert.equal(result.amounts.principal, 20000n);
  });

  test('(b) holds → 73.00 (the spec’s reading; the source says 78)', () => {
    // (7.50 − 6.77) × 100 = 73.00
    const result = investor([trade(2, '2008-05-06', 'B', 100, '7.50')]);
    assert.ok(result.computed!.legs!.loss.equals(q('73')));
    assert.equal(result.amounts.principal, 7300n);
  });

  test('(b′) sells after the base date → held leg at the base price, 73.00', () => {
    const result = investor([trade(2, '2008-05-06', 'B', 100, '7.50'), trade(3, '2009-03-10', 'S', 100, '5.00')]);
    assert.equal(result.amounts.principal, 7300n);
    assert.ok(result.computed!.heldAtBase.equals(Rational.of(100)));
  });
});
