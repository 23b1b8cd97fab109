import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CaseError } from '../case-error.ts';
import { weekdaysBetween, type IsoDate } from '../market/calendar-date.ts';
import type { BonusAction, IndexCloses, MarketDay } from '../market/market-data.ts';
import { Rational } from '../money/rational.ts';
import { parseLossPlan } from '../plan/loss-plan.ts';
import { compensationLine } from '../../io/compensation-csv.ts';
import { computeInvestorLoss, type InvestorResult } from './investor-loss.ts';
import { sortTrades, timeOrderKey, type InvestorRecords, type RejectedRow, type Trade } from './investor-records.ts';
import { prepareLossCase, type LossCase } from './loss-case.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures. The standard case is S-2's: 实施日 2021-03-01, 揭露日 2021-09-01 (a Wednesday),
// base date 2021-09-14, base price 6.00, fixed by the plan. The stock trades Monday to Friday
// except on 2021-09-08 (suspended), so day 1 … base date is 9 trading days:
// 09-01, 02, 03, 06, 07, 09, 10, 13, 14.
// ---------------------------------------------------------------------------------------------

const q = (text: string) => Rational.parse(text);
const n = (value: number) => Rational.of(value);

const SUSPENDED = '2021-09-08';
const MARKET_2021: MarketDay[] = weekdaysBetween('2021-01-04', '2021-12-31')
  .filter((date) => date !== SUSPENDED)
  .map((date) => ({ date, close: q('10'), volume: 1n, float: 1_000_000_000n }));
const BASE_WINDOW = MARKET_2021.filter((day) => day.date >= '2021-09-01' && day.date <= '2021-09-14').map((day) => day.date);

const SECURITY = { code: '300999', name: '测试股份', exchange: 'SZSE' };

function makeCase(
  overrides: Record<string, unknown> = {},
  extras: { actions?: BonusAction[]; index?: Record<string, Record<IsoDate, string>>; market?: MarketDay[] } = {},
): LossCase {
  const plan = parseLossPlan({
    security: SECURITY,
    implementationDate: '2021-03-01',
    disclosureDate: '2021-09-01',
    baseDate: '2021-09-14',
    basePrice: '6.00',
    ...overrides,
  });
  const indexCloses: IndexCloses = new Map(
    Object.entries(extras.index ?? {}).map(([code, closes]) => [code, new Map(Object.entries(closes).map(([date, close]) => [date, q(close)]))]),
  );
  return prepareLossCase({ plan, market: extras.market ?? MARKET_2021, actions: extras.actions ?? [], indexCloses });
}

let nextLine = 2;
/** A trade row; lines count up in the order trades are written, like a file. */
function t(time: string, side: 'B' | 'S', quantity: number, price: string, account = 'A1', line = nextLine++): Trade {
  return { line, account, time, timeKey: timeOrderKey(time), date: time.slice(0, 10), side, quantity: n(quantity), price: q(price) };
}

function records(
  trades: Trade[],
  options: { investor?: string; holdings?: number | null; ratio?: string | null; badRows?: RejectedRow[] } = {},
): InvestorRecords {
  return {
    investor: options.investor ?? 'X',
    trades,
    holdings: options.holdings === undefined || options.holdings === null ? null : n(options.holdings),
    ratio: options.ratio === undefined || options.ratio === null ? null : q(options.ratio),
    badRows: options.badRows ?? [],
  };
}

function compute(lossCase: LossCase, trades: Trade[], options: Parameters<typeof records>[1] = {}): InvestorResult {
  return computeInvestorLoss(records(trades, options), lossCase);
}

/** Asserts an exact rational. */
function eq(actual: Rational | null | undefined, expected: Rational | string | number, what = ''): void {
  const want = expected instanceof Rational ? expected : typeof expected === 'number' ? n(expected) : q(expected);
  assert.ok(actual !== null && actual !== undefined, `${what}: expected ${want.toFraction()}, got ${String(actual)}`);
  assert.ok(actual.equals(want), `${what}: expected ${want.toFraction()}, got ${actual.toFraction()}`);
}

function legs(result: InvestorResult) {
  assert.ok(result.computed?.legs, `${result.investor}: ${result.status} ${result.reason}`);
  return result.computed.legs;
}

function amounts(result: InvestorResult): Record<string, bigint> {
  const { principal, commission, stampDuty, interest, total } = result.amounts;
  return { principal, commission, stampDuty, interest, total };
}

const S2_TRADES = () => [
  t('2021-01-10', 'B', 1000, '8.00'), // before 实施日 → pre-window P0
  t('2021-03-01', 'B', 2000, '10.00'), // on 实施日 → eligible
  t('2021-05-10', 'S', 1500, '11.00'), // P0 1000 first, then 500 from E → E 1500 @ 10
  t('2021-06-15', 'B', 1000, '9.00'), // E 2500, MWA (1500 × 10 + 9000) / 2500 = 9.60
  t('2021-09-01', 'B', 500, '7.00'), // on 揭露日 → late pool P2
  t('2021-09-03', 'S', 1200, '6.50'), // E first after the empty P0 → Q_sold 1200
];

// ---------------------------------------------------------------------------------------------

describe('TV-1: the average-price methods on one trade list', () => {
  // window: B 100 @ 3.00, B 300 @ 3.20, B 100 @ 3.10, S 200 @ 3.10, S 100 @ 3.40 → E = 200 held
  const trades = () => [
    t('2021-03-10', 'B', 100, '3.00'),
    t('2021-03-11', 'B', 300, '3.20'),
    t('2021-03-12', 'B', 100, '3.10'),
    t('2021-03-15', 'S', 200, '3.10'),
    t('2021-03-16', 'S', 100, '3.40'),
  ];
  const alternativeOrder = () => [
    t('2021-03-10', 'B', 100, '3.00'),
    t('2021-03-11', 'B', 300, '3.20'),
    t('2021-03-15', 'S', 200, '3.10'),
    t('2021-03-16', 'B', 100, '3.10'),
    t('2021-03-17', 'S', 100, '3.40'),
  ];
  const run = (method: string, list: Trade[]) => compute(makeCase({ averagePrice: method, basePrice: '3.00' }), list);

  test('actual-cost: (300 + 960 + 310 − 620 − 340) / (500 − 300) = 610 / 200 = 3.05', () => {
    const result = run('actual-cost', trades());
    eq(legs(result).averageBuyPrice, '3.05');
    eq(result.computed!.eligibleShares, 200);
    eq(legs(result).loss, '10'); // (3.05 − 3.00) × 200
  });

  test('weighted-buys: 1570 / 500 = 3.14', () => {
    const result = run('weighted-buys', trades());
    eq(legs(result).averageBuyPrice, '3.14');
    eq(legs(result).loss, '28'); // 0.14 × 200
  });

  test('fifo: the sales take 100 @ 3.00 and 200 @ 3.20 → (100 × 3.20 + 100 × 3.10) / 200 = 3.15', () => {
    const result = run('fifo', trades());
    eq(legs(result).averageBuyPrice, '3.15');
    eq(legs(result).loss, '30');
  });

  test('moving-weighted-average, buys first: 1570 / 500 = 3.14, sales leave it', () => {
    eq(legs(run('moving-weighted-average', trades())).averageBuyPrice, '3.14');
  });

  test('moving-weighted-average, alternative order: 1260/400 = 3.15; 200 left; (630 + 310) / 300 = 47/15 = 3.1333…', () => {
    const result = run('moving-weighted-average', alternativeOrder());
    eq(legs(result).averageBuyPrice, Rational.of(47, 15));
    eq(legs(result).loss, Rational.of(80, 3)); // (47/15 − 3) × 200 = 2/15 × 200 = 26.666…
    assert.equal(result.amounts.principal, 2667n);
  });

  test('on the alternative order only MWA changes: fifo 3.15, actual-cost 3.05, weighted-buys 3.14', () => {
    // fifo: 100@3.00, 300@3.20; S200 → 200@3.20; B100@3.10; S100 → 100@3.20 + 100@3.10 → 3.15
    eq(legs(run('fifo', alternativeOrder())).averageBuyPrice, '3.15');
    eq(legs(run('actual-cost', alternativeOrder())).averageBuyPrice, '3.05');
    eq(legs(run('weighted-buys', alternativeOrder())).averageBuyPrice, '3.14');
  });
});

describe('TV-3: CPA exam item', () => {
  test('average 20, base 8, 10,000 held → 120,000.00', () => {
    const result = compute(makeCase({ basePrice: '8' }), [t('2021-04-01', 'B', 10000, '20')]);
    // (20 − 8) × 10000 = 120000; commission 120000 × 0.0003 = 36.00; stamp × 0.001 = 120.00
    eq(legs(result).loss, 120000);
    assert.deepEqual(amounts(result), { principal: 12000000n, commission: 3600n, stampDuty: 12000n, interest: 0n, total: 12015600n });
  });
});

describe('TV-4: bonus factor 1.6 inside the window', () => {
  // B 200 @ 20, B 100 @ 30, S 100 @ 25 (window), 10-for-6 bonus (ratio 0.6) on 2021-05-06, B 100 @ 20, held; base 8
  const trades = () => [
    t('2021-04-01', 'B', 200, '20'),
    t('2021-04-02', 'B', 100, '30'),
    t('2021-04-06', 'S', 100, '25'),
    t('2021-05-10', 'B', 100, '20'),
  ];
  const run = (method: string) =>
    compute(makeCase({ averagePrice: method, basePrice: '8' }, { actions: [{ date: '2021-05-06', ratio: q('0.6') }] }), trades());

  test('MWA: 300 @ 70/3 → sell 100 → 200 → ×1.6 = 320 @ 175/12 → +100 @ 20 → 420 @ 1000/63 = 15.873…; loss 3306.67', () => {
    const result = run('moving-weighted-average');
    eq(result.computed!.eligibleShares, 420);
    eq(result.computed!.heldAtBase, 420);
    // (320 × 175/12 + 2000) / 420 = (14000/3 + 2000) / 420 = 1000/63
    eq(legs(result).averageBuyPrice, Rational.of(1000, 63));
    // 420 × 1000/63 − 420 × 8 = 20000/3 − 3360 = 9920/3 = 3306.666…
    eq(legs(result).loss, Rational.of(9920, 3));
    assert.equal(result.amounts.principal, 330667n);
  });

  test('fifo: lots 100 @ 20, 100 @ 30 → ×1.6 → 160 @ 12.5, 160 @ 18.75, +100 @ 20 → 7000 / 420 = 50/3; loss 3640.00', () => {
    const result = run('fifo');
    eq(legs(result).averageBuyPrice, Rational.of(50, 3));
    eq(legs(result).loss, 3640); // 7000 − 3360
  });

  test('actual-cost: (4000 + 3000 − 2500 + 2000) / (480 − 160 + 100) = 6500 / 420; loss 3140.00', () => {
    const result = run('actual-cost');
    eq(legs(result).averageBuyPrice, Rational.of(325, 21));
    eq(legs(result).loss, 3140); // 6500 − 3360
  });

  test('weighted-buys: (7000 + 2000) / (300 × 1.6 + 100) = 9000 / 580; loss 3157.24', () => {
    const result = run('weighted-buys');
    eq(legs(result).averageBuyPrice, Rational.of(450, 29));
    // 420 × 450/29 − 3360 = (189000 − 97440) / 29 = 91560/29 = 3157.2413…
    eq(legs(result).loss, Rational.of(91560, 29));
    assert.equal(result.amounts.principal, 315724n);
  });
});

describe('bonus actions after the window', () => {
  test('after disclosure: share counts in base-date units, P_buy and P_sell fall by the factor', () => {
    // B 1000 @ 10 (window); S 200 @ 8 on 09-02; bonus ratio 1 on 09-06; base price 3 (post-bonus units)
    // E at disclosure 1000 → 2000; P_buy 5; Q_sold 200 → 400, proceeds 1600 → P_sell 4; Q_held 1600
    // L_sold = (5 − 4) × 400 = 400; L_held = (5 − 3) × 1600 = 3200; L = 3600
    const lossCase = makeCase({ basePrice: '3' }, { actions: [{ date: '2021-09-06', ratio: q('1') }] });
    const result = compute(lossCase, [t('2021-04-01', 'B', 1000, '10'), t('2021-09-02', 'S', 200, '8')]);
    eq(result.computed!.eligibleShares, 2000);
    eq(result.computed!.soldAfterDisclosure, 400);
    eq(result.computed!.heldAtBase, 1600);
    eq(legs(result).averageBuyPrice, 5);
    eq(legs(result).averageSellPrice, 4);
    eq(legs(result).lossSold, 400);
    eq(legs(result).lossHeld, 3200);
    eq(legs(result).loss, 3600);
  });

  test('a bonus after the base date changes no result, only the position for later sales', () => {
    const lossCase = makeCase({}, { actions: [{ date: '2021-09-15', ratio: q('1') }] });
    // B 1000 @ 10, held: units as of the base date → 1000 held, (10 − 6) × 1000 = 4000
    const held = compute(lossCase, [t('2021-04-01', 'B', 1000, '10')]);
    eq(held.computed!.eligibleShares, 1000);
    eq(held.computed!.heldAtBase, 1000);
    eq(legs(held).averageBuyPrice, 10);
    eq(legs(held).loss, 4000);
    // after the bonus the investor has 2000 shares and may sell them all on 09-16: same result
    const soldLater = compute(lossCase, [t('2021-04-01', 'B', 1000, '10'), t('2021-09-16', 'S', 2000, '5')]);
    eq(legs(soldLater).loss, 4000);
    eq(soldLater.computed!.heldAtBase, 1000);
    // 2001 shares is more than the investor ever had
    assert.match(compute(lossCase, [t('2021-04-01', 'B', 1000, '10'), t('2021-09-16', 'S', 2001, '5')]).reason, /^missing position/);
  });

  test('holdings are in units before an action dated on the implementation date, which scales them', () => {
    // holdings 1000, bonus ratio 0.5 on 03-01 → P0 1500; B 1000 @ 10 on 03-02; S 1500 @ 9 on 03-03 takes P0 only
    // → E 1000 → L = (10 − 6) × 1000 = 4000 (unscaled P0 would leave E 500 → 2000)
    const lossCase = makeCase({}, { actions: [{ date: '2021-03-01', ratio: q('0.5') }] });
    const result = compute(lossCase, [t('2021-03-02', 'B', 1000, '10'), t('2021-03-03', 'S', 1500, '9')], { holdings: 1000 });
    eq(result.computed!.eligibleShares, 1000);
    eq(legs(result).loss, 4000);
  });

  test('holdings are not scaled by an action before the implementation date; pre-window trades are', () => {
    const lossCase = makeCase({}, { actions: [{ date: '2021-02-01', ratio: q('0.5') }] });
    // holdings 1000 (already in post-action units); S 1500 in the window takes 1000 P0 + 500 E → E 500 → 2000
    const withHoldings = compute(lossCase, [t('2021-03-02', 'B', 1000, '10'), t('2021-03-03', 'S', 1500, '9')], { holdings: 1000 });
    eq(withHoldings.computed!.eligibleShares, 500);
    // pre-window B 1000 on 01-10 becomes 1500 after the action → S 1500 takes P0 only → E 1000 → 4000
    const withTrades = compute(lossCase, [t('2021-01-10', 'B', 1000, '12'), t('2021-03-02', 'B', 1000, '10'), t('2021-03-03', 'S', 1500, '9')]);
    eq(withTrades.computed!.eligibleShares, 1000);
    eq(legs(withTrades).loss, 4000);
  });

  test('an action on a trade date applies before that trade', () => {
    // B 100 @ 10 on 04-01; bonus ratio 1 on 04-06; S 200 @ 9 on 04-06 (window) is possible only after the action
    // → E 0 at disclosure → ineligible (without the action first, it would be a missing position)
    const lossCase = makeCase({}, { actions: [{ date: '2021-04-06', ratio: q('1') }] });
    const result = compute(lossCase, [t('2021-04-01', 'B', 100, '10'), t('2021-04-06T10:00:00', 'S', 200, '9')]);
    assert.equal(result.status, 'ineligible');
  });
});

describe('S-2: full 2022 investor', () => {
  test('L_sold 3720.00, L_held 4680.00, L 8400.00, commission 2.52, stamp 8.40, total 8410.92', () => {
    const result = compute(makeCase(), S2_TRADES());
    assert.equal(result.status, 'payable');
    assert.equal(result.reason, '');
    const c = result.computed!;
    eq(c.eligibleShares, 2500); // 1500 + 1000; the 09-01 buy is late
    eq(c.soldAfterDisclosure, 1200);
    eq(c.heldAtBase, 1300); // 2500 − 1200
    eq(c.basePrice, '6');
    eq(legs(result).averageBuyPrice, '9.6');
    eq(legs(result).averageSellPrice, '6.5');
    eq(legs(result).lossSold, 3720); // (9.60 − 6.50) × 1200
    eq(legs(result).lossHeld, 4680); // (9.60 − 6.00) × 1300
    eq(legs(result).loss, 8400);
    eq(legs(result).deduction.amount, 0);
    eq(legs(result).lossAfterDeduction, 8400);
    assert.equal(legs(result).interestStart, '2021-03-01');
    // 8400 × 0.0003 = 2.52; 8400 × 0.001 = 8.40; 8400 + 2.52 + 8.40 = 8410.92
    assert.deepEqual(amounts(result), { principal: 840000n, commission: 252n, stampDuty: 840n, interest: 0n, total: 841092n });
    assert.equal(compensationLine(result), 'X,payable,,2500,1200,1300,9.6000,6.5000,6.0000,3720.00,4680.00,8400.00,0.000000,0.00,8400.00,2.52,8.40,0.00,8410.92\n');
  });

  test('the same trades under the other methods', () => {
    // fifo: lot 2000 @ 10 − 500 = 1500 @ 10, + 1000 @ 9 → 24000 / 2500 = 9.6 → 8400
    eq(legs(compute(makeCase({ averagePrice: 'fifo' }), S2_TRADES())).loss, 8400);
    // actual-cost: (20000 + 9000 − 500 × 11) / 2500 = 23500 / 2500 = 9.4
    // L = (9.4 − 6.5) × 1200 + (9.4 − 6) × 1300 = 3480 + 4420 = 7900
    const actual = compute(makeCase({ averagePrice: 'actual-cost' }), S2_TRADES());
    eq(legs(actual).averageBuyPrice, '9.4');
    eq(legs(actual).loss, 7900);
    // weighted-buys: 29000 / 3000 = 29/3; L = (29/3 − 6.5) × 1200 + (29/3 − 6) × 1300 = 3800 + 14300/3 = 25700/3
    const weighted = compute(makeCase({ averagePrice: 'weighted-buys' }), S2_TRADES());
    eq(legs(weighted).averageBuyPrice, Rational.of(29, 3));
    eq(legs(weighted).loss, Rational.of(25700, 3));
    assert.equal(weighted.amounts.principal, 856667n); // 8566.666… → 8566.67
  });
});

// S-3 index: buy dates 03-01 = 3500, 06-15 = 3300; sale 09-03 = 3000; over the 9 trading days of
// day 1 … base date: 3000 + 2900 (09-06) + 7 × 2950 = 26550 → mean 2950. The suspended 09-08 has an
// index close (9999) that must not be averaged. No close on 01-10 (pre-window buy) or 05-10 (window
// sale): MWA does not read them.
function s3Index(overrides: Record<IsoDate, string> = {}): Record<IsoDate, string> {
  const closes: Record<IsoDate, string> = { '2021-03-01': '3500', '2021-06-15': '3300', [SUSPENDED]: '9999' };
  for (const date of BASE_WINDOW) closes[date] = '2950';
  closes['2021-09-03'] = '3000';
  closes['2021-09-06'] = '2900';
  return { ...closes, ...overrides };
}

describe('S-3: index comparison on S-2', () => {
  const indexPlan = (indices: string[], averagePrice = 'moving-weighted-average') => ({
    averagePrice,
    riskDeduction: { method: 'index-comparison', indices },
  });

  test('I_buy 3420, I_sell 3000, I_base 2950 → deduction 3129.82, principal 5270.18', () => {
    assert.equal(BASE_WINDOW.length, 9);
    const result = compute(makeCase(indexPlan(['IDX']), { index: { IDX: s3Index() } }), S2_TRADES());
    const deduction = legs(result).deduction;
    const [sold, held] = deduction.legs;
    // sold: r_s = (9.6 − 6.5) / 9.6 = 31/96; r_m = (3420 − 3000) / 3420 = 7/57; k = (7/57) / (31/96) = 672/1767
    eq(sold!.stockChange, Rational.of(31, 96));
    eq(sold!.marketChange, Rational.of(7, 57));
    eq(sold!.ratio, Rational.of(672, 1767));
    eq(sold!.indices[0]!.entry, 3420); // MWA mirror: (1500 × 3500 + 1000 × 3300) / 2500
    eq(sold!.indices[0]!.exit, 3000);
    eq(sold!.amount, Rational.of(80640, 57)); // 3720 × 672/1767 = 1414.736…
    // held: r_s = 3.6 / 9.6 = 3/8; r_m = (3420 − 2950) / 3420 = 47/342; k = 188/513
    eq(held!.stockChange, Rational.of(3, 8));
    eq(held!.marketChange, Rational.of(47, 342));
    eq(held!.ratio, Rational.of(188, 513));
    eq(held!.indices[0]!.exit, 2950);
    eq(held!.amount, Rational.of(97760, 57)); // 4680 × 188/513 = 1715.087…
    // D = 178400/57 = 3129.8245…; L' = 8400 − D = 300400/57 = 5270.1754…
    eq(deduction.amount, Rational.of(178400, 57));
    eq(deduction.ratio, Rational.of(446, 1197)); // D / 8400
    eq(legs(result).lossAfterDeduction, Rational.of(300400, 57));
    // commission 300400/57 × 0.0003 = 1.5810… → 1.58; stamp × 0.001 = 5.2701… → 5.27; total 5277.03
    assert.deepEqual(amounts(result), { principal: 527018n, commission: 158n, stampDuty: 527n, interest: 0n, total: 527703n });
    assert.equal(compensationLine(result), 'X,payable,,2500,1200,1300,9.6000,6.5000,6.0000,3720.00,4680.00,8400.00,0.372598,3129.82,5270.18,1.58,5.27,0.00,5277.03\n');
  });

  test('k is clamped to 1 when the index fell more than the stock', () => {
    // I_base = 1000: 09-03 = 3000 and the other 8 days 750 → 9000 / 9. Held: r_m = 2420/3420 > r_s = 3/8 → k = 1
    const closes = s3Index();
    for (const date of BASE_WINDOW) if (date !== '2021-09-03') closes[date] = '750';
    const result = compute(makeCase(indexPlan(['IDX']), { index: { IDX: closes } }), S2_TRADES());
    eq(legs(result).deduction.legs[1]!.ratio, 1);
    // D = 80640/57 + 4680 = 347400/57; L' = 8400 − D = 131400/57 = 2305.263… (the S-3 sold-leg L')
    eq(legs(result).lossAfterDeduction, Rational.of(131400, 57));
    assert.equal(result.amounts.principal, 230526n);
  });

  test('two indices: r_m is the mean of the indices’ falls', () => {
    // FLAT = 3420 on every date read → its falls are 0; mean r_m: sold 7/114, held 47/684 → k halves
    // D = (40320 + 48880) / 57 = 89200/57 = 1564.912…; L' = 8400 − D = 389600/57 = 6835.087…
    const flat: Record<IsoDate, string> = { '2021-03-01': '3420', '2021-06-15': '3420' };
    for (const date of BASE_WINDOW) flat[date] = '3420';
    const result = compute(makeCase(indexPlan(['IDX', 'FLAT']), { index: { IDX: s3Index(), FLAT: flat } }), S2_TRADES());
    eq(legs(result).deduction.legs[0]!.marketChange, Rational.of(7, 114));
    eq(legs(result).deduction.amount, Rational.of(89200, 57));
    assert.equal(result.amounts.principal, 683509n);
  });

  test('a missing index close the mirror needs → CaseError naming the index and date', () => {
    const closes = s3Index();
    delete closes['2021-06-15'];
    const lossCase = makeCase(indexPlan(['IDX']), { index: { IDX: closes } });
    assert.throws(
      () => compute(lossCase, S2_TRADES()),
      (error: unknown) => error instanceof CaseError && error.file === 'index.csv' && error.message.includes('2021-06-15') && error.message.includes('IDX'),
    );
  });

  test('a missing close on a base-window day → CaseError', () => {
    const closes = s3Index();
    delete closes['2021-09-13'];
    assert.throws(() => compute(makeCase(indexPlan(['IDX']), { index: { IDX: closes } }), S2_TRADES()), CaseError);
  });

  test('under actual-cost the mirror also reads window sales from E (05-10 missing → CaseError)', () => {
    assert.throws(() => compute(makeCase(indexPlan(['IDX'], 'actual-cost'), { index: { IDX: s3Index() } }), S2_TRADES()), CaseError);
    // with the 05-10 close: I_buy = (2000 × 3500 + 1000 × 3300 − 500 × 3100) / 2500 = 8750000 / 2500 = 3500
    const result = compute(makeCase(indexPlan(['IDX'], 'actual-cost'), { index: { IDX: s3Index({ '2021-05-10': '3100' }) } }), S2_TRADES());
    eq(legs(result).deduction.legs[0]!.indices[0]!.entry, 3500);
    // sold: r_s = 2.9/9.4 = 29/94, r_m = 500/3500 = 1/7 → k = 94/203; D_sold = 3480 × 94/203 = 11280/7
    eq(legs(result).deduction.legs[0]!.amount, Rational.of(11280, 7));
  });

  test('no error when no investor needs the mirror', () => {
    // the index has no close on any buy date of these investors
    const lossCase = makeCase(indexPlan(['IDX']), { index: { IDX: { '2021-09-01': '3000' } } });
    // bought below the base price: L = (5 − 6) × 100 < 0 → no positive leg → zero, no mirror
    const below = compute(lossCase, [t('2021-04-01', 'B', 100, '5')]);
    assert.equal(below.status, 'zero');
    assert.equal(legs(below).deduction.ratio, null);
    // sold after disclosure at a profit, nothing held: no positive leg
    assert.equal(compute(lossCase, [t('2021-04-01', 'B', 100, '7'), t('2021-09-02', 'S', 100, '8')]).status, 'zero');
    // no eligible shares, rejected, excluded
    assert.equal(compute(lossCase, [t('2021-09-02', 'B', 100, '9')]).status, 'ineligible');
    assert.equal(compute(lossCase, [t('2021-04-01', 'S', 100, '9')]).status, 'rejected');
  });

  test('mirror with a bonus after a post-disclosure sale: share counts scale, index levels do not', () => {
    // B 1000 @ 10 on 04-01 (index 3000); S 500 @ 7 on 09-02 (index 2700); bonus ratio 1 on 09-06;
    // S 200 @ 3 on 09-09 (index 2300); base price 3 (post-bonus units); index 2500 on the other base-window days
    // Stock: E 2000 @ 5; Q_sold 1000 + 200 = 1200 for 3500 + 600 = 4100 → P_sell 41/12; Q_held 800
    //   L_sold = 5 × 1200 − 4100 = 1900; L_held = (5 − 3) × 800 = 1600; L = 3500
    // Mirror: I_buy 3000; I_sell = (1000 × 2700 + 200 × 2300) / 1200 = 3160000 / 1200 = 7900/3;
    //   I_base = (7 × 2500 + 2700 + 2300) / 9 = 2500
    // sold: r_s = (5 − 41/12) / 5 = 19/60; r_m = (3000 − 7900/3) / 3000 = 11/90; k = 22/57; D = 1900 × 22/57 = 2200/3
    // held: r_s = 2/5; r_m = 500/3000 = 1/6; k = 5/12; D = 1600 × 5/12 = 2000/3
    // D = 1400; L' = 2100
    const closes: Record<IsoDate, string> = { '2021-04-01': '3000' };
    for (const date of BASE_WINDOW) closes[date] = '2500';
    closes['2021-09-02'] = '2700';
    closes['2021-09-09'] = '2300';
    const lossCase = makeCase(
      { basePrice: '3', riskDeduction: { method: 'index-comparison', indices: ['IDX'] } },
      { index: { IDX: closes }, actions: [{ date: '2021-09-06', ratio: q('1') }] },
    );
    const result = compute(lossCase, [t('2021-04-01', 'B', 1000, '10'), t('2021-09-02', 'S', 500, '7'), t('2021-09-09', 'S', 200, '3')]);
    eq(legs(result).loss, 3500);
    const [sold, held] = legs(result).deduction.legs;
    eq(sold!.indices[0]!.entry, 3000);
    eq(sold!.indices[0]!.exit, Rational.of(7900, 3));
    eq(sold!.ratio, Rational.of(22, 57));
    eq(held!.ratio, Rational.of(5, 12));
    eq(legs(result).deduction.amount, 1400);
    assert.equal(result.amounts.principal, 210000n);
  });

  test('a mirror I_buy ≤ 0 (actual-cost) gives k = 0', () => {
    // B 100 @ 10 (index 2000), B 100 @ 10 (2000), S 199 @ 10 (4000), all in the window → E 1
    // P_buy = (2000 − 1990) / 1 = 10 → L_held = (10 − 6) × 1 = 4 > 0
    // mirror I_buy = (200 × 2000 − 199 × 4000) / 1 = −396000 ≤ 0 → no ratio → D = 0
    const closes: Record<IsoDate, string> = { '2021-04-01': '2000', '2021-04-02': '2000', '2021-04-05': '4000' };
    for (const date of BASE_WINDOW) closes[date] = '2500';
    const lossCase = makeCase({ averagePrice: 'actual-cost', riskDeduction: { method: 'index-comparison', indices: ['IDX'] } }, { index: { IDX: closes } });
    const result = compute(lossCase, [t('2021-04-01', 'B', 100, '10'), t('2021-04-02', 'B', 100, '10'), t('2021-04-05', 'S', 199, '10')]);
    eq(legs(result).averageBuyPrice, 10);
    eq(legs(result).loss, 4);
    eq(legs(result).deduction.amount, 0);
    eq(legs(result).deduction.ratio, 0);
    assert.equal(result.status, 'payable');
  });

  test('an index named by the plan with no rows at all → CaseError when the case is prepared', () => {
    assert.throws(() => makeCase(indexPlan(['NOPE']), { index: { IDX: s3Index() } }), CaseError);
  });
});

describe('S-4: sell-side (诱空)', () => {
  const deflated = (overrides: Record<string, unknown> = {}) => ({ direction: 'deflated', basePrice: '12', ...overrides });
  const s4Trades = () => [
    t('2021-01-10', 'B', 1000, '5'), // the position the investor sells from
    t('2021-04-01', 'S', 1000, '8'), // sold in the window → eligible
    t('2021-09-02', 'B', 400, '11'), // bought back in [揭露日, base date]
  ];

  test('(11 − 8) × 400 + (12 − 8) × 600 = 1200 + 2400 = 3600.00', () => {
    const result = compute(makeCase(deflated()), s4Trades());
    assert.equal(result.status, 'payable');
    eq(result.computed!.eligibleShares, 1000);
    eq(result.computed!.soldAfterDisclosure, 400); // Q_back
    eq(result.computed!.heldAtBase, 600); // Q_not_back
    eq(legs(result).averageBuyPrice, 11); // P_back
    eq(legs(result).averageSellPrice, 8); // P_sell
    eq(legs(result).lossSold, 1200);
    eq(legs(result).lossHeld, 2400);
    eq(legs(result).loss, 3600);
    assert.equal(legs(result).interestStart, '2021-04-01');
    // commission 3600 × 0.0003 = 1.08, stamp 3.60 → 3604.68
    assert.deepEqual(amounts(result), { principal: 360000n, commission: 108n, stampDuty: 360n, interest: 0n, total: 360468n });
  });

  test('a buy crossing the limit counts in part; window buys and buys after the base date do not buy back', () => {
    // window: S 1000 @ 8, B 300 @ 5 (window buy: not a buy-back); post: B 400 @ 11, B 700 @ 10 (600 count), 09-15 B 100 ignored
    // P_back = (4400 + 6000) / 1000 = 10.4; L = (10.4 − 8) × 1000 = 2400
    const result = compute(makeCase(deflated()), [
      t('2021-01-10', 'B', 1000, '5'),
      t('2021-04-01', 'S', 1000, '8'),
      t('2021-04-02', 'B', 300, '5'),
      t('2021-09-02', 'B', 400, '11'),
      t('2021-09-03', 'B', 700, '10'),
      t('2021-09-15', 'B', 100, '1'),
    ]);
    eq(result.computed!.soldAfterDisclosure, 1000);
    eq(result.computed!.heldAtBase, 0);
    eq(legs(result).averageBuyPrice, '10.4');
    eq(legs(result).loss, 2400);
  });

  test('bonus after the window sale: the sold shares double and P_sell halves', () => {
    // S 1000 @ 8 (window); bonus ratio 1 on 06-01 → 2000 sold at 8000 / 2000 = 4; B 800 @ 5.5 post; base 6
    // L = (5.5 − 4) × 800 + (6 − 4) × 1200 = 1200 + 2400 = 3600
    const lossCase = makeCase(deflated({ basePrice: '6' }), { actions: [{ date: '2021-06-01', ratio: q('1') }] });
    const result = compute(lossCase, [t('2021-01-10', 'B', 1000, '5'), t('2021-04-01', 'S', 1000, '8'), t('2021-09-02', 'B', 800, '5.5')]);
    eq(result.computed!.eligibleShares, 2000);
    eq(legs(result).averageSellPrice, 4);
    eq(legs(result).loss, 3600);
  });

  test('no sale in the window → ineligible; a sale beyond the position → rejected', () => {
    const none = compute(makeCase(deflated()), [t('2021-04-01', 'B', 1000, '8'), t('2021-09-02', 'S', 1000, '11')]);
    assert.equal(none.status, 'ineligible');
    assert.equal(none.reason, 'no eligible shares sold in the window');
    const oversold = compute(makeCase(deflated()), [t('2021-04-01', 'S', 100, '8')]);
    assert.equal(oversold.status, 'rejected');
    assert.match(oversold.reason, /^missing position/);
  });

  test('sell-side index mirror: rises in place of falls', () => {
    // index: 04-01 (sale) 3000; 09-02 (buy-back) 3300; 9 base-window days: 7 × 3150 + 3300 + 3000 = 28350 → 3150
    const closes: Record<IsoDate, string> = { '2021-04-01': '3000' };
    for (const date of BASE_WINDOW) closes[date] = '3150';
    closes['2021-09-02'] = '3300';
    closes['2021-09-03'] = '3000';
    const lossCase = makeCase(deflated({ riskDeduction: { method: 'index-comparison', indices: ['IDX'] } }), { index: { IDX: closes } });
    const result = compute(lossCase, s4Trades());
    const [back, notBack] = legs(result).deduction.legs;
    // bought back: r_s = (11 − 8) / 8 = 3/8; r_m = (3300 − 3000) / 3000 = 1/10; k = 4/15; D = 1200 × 4/15 = 320
    eq(back!.stockChange, Rational.of(3, 8));
    eq(back!.marketChange, Rational.of(1, 10));
    eq(back!.amount, 320);
    // not bought back: r_s = (12 − 8) / 8 = 1/2; r_m = (3150 − 3000) / 3000 = 1/20; k = 1/10; D = 2400 / 10 = 240
    eq(notBack!.ratio, Rational.of(1, 10));
    eq(notBack!.amount, 240);
    // D = 560; L' = 3040; commission 0.912 → 0.91; stamp 3.04; total 3043.95; ratio 560 / 3600 = 7/45
    eq(legs(result).deduction.ratio, Rational.of(7, 45));
    assert.deepEqual(amounts(result), { principal: 304000n, commission: 91n, stampDuty: 304n, interest: 0n, total: 304395n });
    assert.equal(compensationLine(result), 'X,payable,,1000,400,600,11.0000,8.0000,12.0000,1200.00,2400.00,3600.00,0.155556,560.00,3040.00,0.91,3.04,0.00,3043.95\n');
  });

  test('sell-side interest runs from the first eligible sale', () => {
    // days 04-02 … 09-14: 29 + 31 + 30 + 31 + 31 + 14 = 166
    // (3600 + 1.08 + 3.60) × 0.0035 × 166 / 365 = 2094.319… / 365 = 5.7378… → 5.74
    const lossCase = makeCase(deflated({ interest: { annualRates: [{ from: '2020-01-01', rate: '0.0035' }] } }));
    const result = compute(lossCase, s4Trades());
    assert.equal(result.amounts.interest, 574n);
    assert.equal(result.amounts.total, 360468n + 574n);
  });
});

describe('S-5: day boundaries (Art. 34)', () => {
  const lossCase = makeCase();

  test('a buy on the implementation date is included; the trading day before is not', () => {
    const on = compute(lossCase, [t('2021-03-01', 'B', 100, '10')]);
    eq(on.computed!.eligibleShares, 100);
    eq(legs(on).loss, 400); // (10 − 6) × 100
    assert.equal(compute(lossCase, [t('2021-02-26', 'B', 100, '10')]).status, 'ineligible');
  });

  test('a buy on the disclosure date is excluded: it goes to the late pool', () => {
    const result = compute(lossCase, [t('2021-03-01', 'B', 100, '10'), t('2021-09-01T09:30:00', 'B', 100, '7')]);
    eq(result.computed!.eligibleShares, 100); // not 200
    eq(legs(result).averageBuyPrice, 10); // not 8.5
    eq(legs(result).loss, 400);
    const only = compute(lossCase, [t('2021-09-01', 'B', 100, '10')]);
    assert.equal(only.status, 'ineligible');
    assert.equal(only.reason, 'no eligible shares held at disclosure');
  });

  test('the day before disclosure is in the window', () => {
    eq(compute(lossCase, [t('2021-08-31T14:59:59', 'B', 100, '10')]).computed!.eligibleShares, 100);
  });

  test('sales on the disclosure date and on the base date are at their actual price', () => {
    for (const date of ['2021-09-01', '2021-09-14']) {
      const result = compute(lossCase, [t('2021-03-01', 'B', 100, '10'), t(date, 'S', 100, '7')]);
      eq(result.computed!.soldAfterDisclosure, 100, date);
      eq(result.computed!.heldAtBase, 0, date);
      eq(legs(result).lossSold, 300, date); // (10 − 7) × 100
      eq(legs(result).loss, 300, date);
    }
  });

  test('a sale the trading day after the base date counts as held at the base price', () => {
    const result = compute(lossCase, [t('2021-03-01', 'B', 100, '10'), t('2021-09-15', 'S', 100, '7')]);
    eq(result.computed!.soldAfterDisclosure, 0);
    eq(result.computed!.heldAtBase, 100);
    assert.equal(legs(result).averageSellPrice, null);
    eq(legs(result).lossHeld, 400); // (10 − 6) × 100
  });

  test('all eligible shares sold before disclosure → ineligible', () => {
    const result = compute(lossCase, [t('2021-03-01', 'B', 100, '10'), t('2021-08-31', 'S', 100, '12')]);
    assert.equal(result.status, 'ineligible');
    eq(result.computed!.eligibleShares, 0);
    assert.equal(result.computed!.legs, null);
    assert.equal(result.amounts.total, 0n);
  });
});

describe('S-6: 2003 interest', () => {
  // L = (20 − 10) × 1000 = 10,000.00; commission 0.003 → 30.00; stamp 0.001 → 10.00
  const case2003 = (annualRates: { from: string; rate: string }[]) =>
    makeCase(
      {
        ruleSet: 'SPC2003',
        implementationDate: '2015-01-05',
        disclosureDate: '2015-10-08',
        baseDate: '2015-12-31',
        basePrice: '10',
        fees: { commissionRate: '0.003', stampDutyRate: '0.001' },
        interest: { annualRates },
      },
      { market: [{ date: '2015-10-08', close: q('10'), volume: 1n, float: 1n }] },
    );

  test('0.35% from the first buy 2015-03-02 to 2015-12-31: 304 days', () => {
    // days 03-03 … 12-31: 29 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 = 304
    // 10,040 × 0.0035 × 304 / 365 = 10682.56 / 365 = 29.2673… → 29.27
    const result = compute(case2003([{ from: '2012-07-06', rate: '0.0035' }]), [t('2015-03-02', 'B', 1000, '20'), t('2015-06-01', 'B', 1000, '20')]);
    eq(result.exact!.interestYearFraction, q('0.0035').mul(n(304)).div(n(365)));
    assert.equal(legs(result).interestStart, '2015-03-02'); // the first buy of the position, not the second
    // two buys of 1000 @ 20: L = 20,000.00; commission 60.00; stamp 20.00
    // interest (20,000 + 60 + 20) × 0.0035 × 304 / 365 = 21365.12 / 365 = 58.5346… → 58.53
    assert.deepEqual(amounts(result), { principal: 2000000n, commission: 6000n, stampDuty: 2000n, interest: 5853n, total: 2013853n });
  });

  test('single buy: 10,000 + 30 + 10 + 29.27 = 10,069.27', () => {
    const result = compute(case2003([{ from: '2012-07-06', rate: '0.0035' }]), [t('2015-03-02', 'B', 1000, '20')]);
    assert.deepEqual(amounts(result), { principal: 1000000n, commission: 3000n, stampDuty: 1000n, interest: 2927n, total: 1006927n });
  });

  test('a rate change: 235 days at 0.35% and 69 days at 0.30% → 28.32', () => {
    // 03-03 … 10-23 = 212 + 23 = 235 days; 10-24 … 12-31 = 8 + 30 + 31 = 69 days
    // 10,040 × (235 × 0.0035 + 69 × 0.003) / 365 = 10,040 × 1.0295 / 365 = 28.3183… → 28.32
    const result = compute(
      case2003([{ from: '2012-07-06', rate: '0.0035' }, { from: '2015-10-24', rate: '0.003' }]),
      [t('2015-03-02', 'B', 1000, '20')],
    );
    assert.equal(result.amounts.interest, 2832n);
  });

  test('no rate before the first entry: 184 days from 2015-07-01 → 17.71', () => {
    // 07-01 … 12-31 = 31 + 31 + 30 + 31 + 30 + 31 = 184; 10,040 × 0.0035 × 184 / 365 = 17.7144… → 17.71
    const result = compute(case2003([{ from: '2015-07-01', rate: '0.0035' }]), [t('2015-03-02', 'B', 1000, '20')]);
    assert.equal(result.amounts.interest, 1771n);
  });

  test('ruleSet alone does not switch interest on', () => {
    const lossCase = makeCase(
      { ruleSet: 'SPC2003', implementationDate: '2015-01-05', disclosureDate: '2015-10-08', baseDate: '2015-12-31', basePrice: '10' },
      { market: [{ date: '2015-10-08', close: q('10'), volume: 1n, float: 1n }] },
    );
    assert.equal(compute(lossCase, [t('2015-03-02', 'B', 1000, '20')]).amounts.interest, 0n);
  });
});

describe('TV-7 / TV-8: fees and rounding', () => {
  test('TV-7: L′ = 100,000.00 → commission 30.00 at 0.0003, stamp 100.00; 300.00 at 0.003', () => {
    const trades = () => [t('2021-04-01', 'B', 10000, '20')]; // (20 − 10) × 10000
    const kangmei = compute(makeCase({ basePrice: '10' }), trades());
    assert.deepEqual(amounts(kangmei), { principal: 10000000n, commission: 3000n, stampDuty: 10000n, interest: 0n, total: 10013000n });
    const wanfu = compute(makeCase({ basePrice: '10', fees: { commissionRate: '0.003', stampDutyRate: '0' } }), trades());
    assert.equal(wanfu.amounts.commission, 30000n);
    assert.equal(wanfu.amounts.stampDuty, 0n);
  });

  test('TV-8 中毅达: 22,496 × 0.001 = 22.496 → 22.50 for each fee', () => {
    // (18 − 10) × 2812 = 22496
    const result = compute(makeCase({ basePrice: '10', fees: { commissionRate: '0.001', stampDutyRate: '0.001' } }), [t('2021-04-01', 'B', 2812, '18')]);
    assert.deepEqual(amounts(result), { principal: 2249600n, commission: 2250n, stampDuty: 2250n, interest: 0n, total: 2254100n });
  });

  test('half a fen rounds away from zero', () => {
    // (15 − 10) × 10 = 50: commission 50 × 0.0003 = 0.015 → 0.02; stamp 0.05 → 50.07
    const fees = compute(makeCase({ basePrice: '10' }), [t('2021-04-01', 'B', 10, '15')]);
    assert.deepEqual(amounts(fees), { principal: 5000n, commission: 2n, stampDuty: 5n, interest: 0n, total: 5007n });
    // (10.335 − 10) × 3 = 1.005 → principal 1.01; commission 0.0003015 → 0.00; stamp 0.001005 → 0.00
    const principal = compute(makeCase({ basePrice: '10' }), [t('2021-04-01', 'B', 3, '10.335')]);
    assert.deepEqual(amounts(principal), { principal: 101n, commission: 0n, stampDuty: 0n, interest: 0n, total: 101n });
  });

  test('the total is the sum of the rounded components, not the rounded sum', () => {
    // (13.501 − 10) × 4 = 14.004 → 14.00; commission 0.0042012 → 0.00; stamp 0.014004 → 0.01
    // total 14.01 (the exact sum 14.0222052 would round to 14.02)
    const result = compute(makeCase({ basePrice: '10' }), [t('2021-04-01', 'B', 4, '13.501')]);
    assert.deepEqual(amounts(result), { principal: 1400n, commission: 0n, stampDuty: 1n, interest: 0n, total: 1401n });
  });
});

describe('fixed and per-investor deduction', () => {
  test('fixed 0.25 on S-2: D = 2100, L′ = 6300, commission 1.89, stamp 6.30', () => {
    const result = compute(makeCase({ riskDeduction: { method: 'fixed', ratio: '0.25' } }), S2_TRADES());
    eq(legs(result).deduction.amount, 2100); // 0.25 × (3720 + 4680)
    eq(legs(result).deduction.ratio, '0.25');
    assert.deepEqual(amounts(result), { principal: 630000n, commission: 189n, stampDuty: 630n, interest: 0n, total: 630819n });
  });

  test('fixed applies to the positive leg only; L′ = 0 → zero, with the deduction shown', () => {
    // B 200 @ 10; S 100 @ 12 after disclosure: L_sold = −200; L_held = (10 − 6) × 100 = 400; L = 200
    // D = 0.5 × 400 = 200 → L′ = 0 → zero; ratio 200 / 400 = 0.5
    const result = compute(makeCase({ riskDeduction: { method: 'fixed', ratio: '0.5' } }), [t('2021-03-01', 'B', 200, '10'), t('2021-09-02', 'S', 100, '12')]);
    assert.equal(result.status, 'zero');
    eq(legs(result).deduction.amount, 200);
    eq(legs(result).lossAfterDeduction, 0);
    assert.equal(compensationLine(result), 'X,zero,no investment difference loss,200,100,100,10.0000,12.0000,6.0000,-200.00,400.00,200.00,0.500000,200.00,0.00,0.00,0.00,0.00,0.00\n');
  });

  test('per-investor ratio 0.3 on S-2: D = 2520, L′ = 5880', () => {
    const result = compute(makeCase({ riskDeduction: { method: 'per-investor' } }), S2_TRADES(), { ratio: '0.3' });
    eq(legs(result).deduction.amount, 2520);
    // 5880 × 0.0003 = 1.764 → 1.76; stamp 5.88 → 5887.64
    assert.deepEqual(amounts(result), { principal: 588000n, commission: 176n, stampDuty: 588n, interest: 0n, total: 588764n });
  });

  test('per-investor without a ratio → rejected; the ratio is not needed under other methods', () => {
    const result = compute(makeCase({ riskDeduction: { method: 'per-investor' } }), S2_TRADES());
    assert.equal(result.status, 'rejected');
    assert.match(result.reason, /^missing ratio/);
    assert.equal(result.computed, null);
    assert.equal(compute(makeCase(), S2_TRADES()).status, 'payable');
  });
});

describe('postDisclosureSales', () => {
  // holdings 1000 (P0); B 1000 @ 10 (E); B 1000 @ 7 on 09-02 (P2); S 1500 @ 8 on 09-03
  const trades = () => [t('2021-03-01', 'B', 1000, '10'), t('2021-09-02', 'B', 1000, '7'), t('2021-09-03', 'S', 1500, '8')];

  test('fifo: P0 1000 then E 500 → Q_sold 500, Q_held 500, L = 2 × 500 + 4 × 500 = 3000', () => {
    const result = compute(makeCase({ postDisclosureSales: 'fifo' }), trades(), { holdings: 1000 });
    eq(result.computed!.soldAfterDisclosure, 500);
    eq(result.computed!.heldAtBase, 500);
    eq(legs(result).loss, 3000);
  });

  test('eligible-first: E 1000 first → Q_sold 1000, Q_held 0, L = 2 × 1000 = 2000', () => {
    const result = compute(makeCase({ postDisclosureSales: 'eligible-first' }), trades(), { holdings: 1000 });
    eq(result.computed!.soldAfterDisclosure, 1000);
    eq(result.computed!.heldAtBase, 0);
    eq(legs(result).loss, 2000);
  });

  test('a sale in the window takes P0 before E under both options', () => {
    for (const option of ['fifo', 'eligible-first']) {
      const result = compute(makeCase({ postDisclosureSales: option }), [t('2021-03-01', 'B', 1000, '10'), t('2021-04-01', 'S', 600, '11')], { holdings: 1000 });
      eq(result.computed!.eligibleShares, 1000, option);
    }
  });
});

describe('reset on zero', () => {
  // B 100 @ 10 (03-10), S 100 @ 12 (04-12) empties E, B 200 @ 8 (05-10): the average starts afresh at 8.
  // Without the reset: actual-cost (1000 + 1600 − 1200) / 200 = 7; weighted-buys 2600 / 300 = 8.67.
  const trades = () => [t('2021-03-10', 'B', 100, '10'), t('2021-04-12', 'S', 100, '12'), t('2021-05-10', 'B', 200, '8')];
  const interest = { annualRates: [{ from: '2000-01-01', rate: '0.0035' }] };

  for (const method of ['moving-weighted-average', 'fifo', 'actual-cost', 'weighted-buys']) {
    test(`${method}: P_buy 8, L = (8 − 6) × 200 = 400, interest from 2021-05-10`, () => {
      const result = compute(makeCase({ averagePrice: method, interest }), trades());
      eq(legs(result).averageBuyPrice, 8);
      eq(legs(result).loss, 400);
      assert.equal(legs(result).interestStart, '2021-05-10');
      // days 05-11 … 09-14: 21 + 30 + 31 + 31 + 14 = 127
      // (400 + 0.12 + 0.40) × 0.0035 × 127 / 365 = 0.48775… → 0.49 (from 03-10 it would be 188 days → 0.72)
      assert.equal(result.amounts.interest, 49n);
    });
  }

  test('a partial sale does not reset: interest still from the first buy', () => {
    const result = compute(makeCase({ interest }), [t('2021-03-10', 'B', 100, '10'), t('2021-04-12', 'S', 50, '12'), t('2021-05-10', 'B', 200, '8')]);
    assert.equal(legs(result).interestStart, '2021-03-10');
    // MWA: 50 @ 10 + 200 @ 8 → 2100 / 250 = 8.4
    eq(legs(result).averageBuyPrice, '8.4');
  });
});

describe('missing position', () => {
  test('a window sale larger than P0 + E → rejected with the reason', () => {
    const result = compute(makeCase(), [t('2021-03-10', 'B', 100, '10'), t('2021-04-12', 'S', 200, '11', 'A1', 42)]);
    assert.equal(result.status, 'rejected');
    assert.match(result.reason, /^missing position/);
    assert.match(result.reason, /line 42/);
    assert.equal(result.computed, null);
    assert.deepEqual(amounts(result), { principal: 0n, commission: 0n, stampDuty: 0n, interest: 0n, total: 0n });
  });

  test('after disclosure all three pools count, but not more', () => {
    // E 100 + P2 50 = 150 < 200
    assert.equal(compute(makeCase(), [t('2021-03-10', 'B', 100, '10'), t('2021-09-02', 'B', 50, '7'), t('2021-09-03', 'S', 200, '7')]).status, 'rejected');
    // = 150: fine
    assert.equal(compute(makeCase(), [t('2021-03-10', 'B', 100, '10'), t('2021-09-02', 'B', 50, '7'), t('2021-09-03', 'S', 150, '7')]).status, 'payable');
  });

  test('a sale after the base date of shares never held is a missing position too', () => {
    // B 100 in the window; 09-20 (after the base date) S 150 → only 100 were ever held
    const result = compute(makeCase(), [t('2021-03-10', 'B', 100, '10'), t('2021-09-20', 'S', 150, '7')]);
    assert.equal(result.status, 'rejected');
    assert.match(result.reason, /^missing position/);
    // a later buy covers a later sale: B 50 on 09-17 then S 150 on 09-20 → still held at base
    const covered = compute(makeCase(), [t('2021-03-10', 'B', 100, '10'), t('2021-09-17', 'B', 50, '7'), t('2021-09-20', 'S', 150, '7')]);
    assert.equal(covered.status, 'payable');
    eq(covered.computed!.heldAtBase, 100);
    // sell side: the same rule
    const deflated = makeCase({ direction: 'deflated', basePrice: '12' });
    const sellSide = compute(deflated, [t('2021-01-10', 'B', 100, '5'), t('2021-04-01', 'S', 100, '8'), t('2021-09-20', 'S', 1, '8')]);
    assert.match(sellSide.reason, /^missing position/);
  });

  test('a pre-window sale with no position, and a sale beyond the holdings', () => {
    assert.equal(compute(makeCase(), [t('2021-01-10', 'S', 100, '10'), t('2021-03-10', 'B', 100, '10')]).status, 'rejected');
    assert.equal(compute(makeCase(), [t('2021-03-10', 'S', 150, '10')], { holdings: 100 }).status, 'rejected');
    assert.equal(compute(makeCase(), [t('2021-03-10', 'S', 100, '10')], { holdings: 100 }).status, 'ineligible');
  });
});

describe('merged accounts and trade order', () => {
  test('two accounts of one investor interleaved by time (fifo)', () => {
    // file order: A1 B 1000 @ 10 at 10:00 (line 2), A1 S 1000 @ 11 at 11:00 (line 3), A2 B 1000 @ 12 at 09:00 (line 4)
    // time order: B @ 12, B @ 10, S → fifo sells the 12 lot → E 1000 @ 10 → L = (10 − 6) × 1000 = 4000
    // (file order would leave the 12 lot: L = 6000)
    const trades = [
      t('2021-03-10T10:00:00', 'B', 1000, '10', 'A1', 2),
      t('2021-03-10T11:00:00', 'S', 1000, '11', 'A1', 3),
      t('2021-03-10T09:00:00', 'B', 1000, '12', 'A2', 4),
    ];
    const sorted = sortTrades([...trades]);
    assert.deepEqual(sorted.map((trade) => trade.line), [4, 2, 3]);
    const result = compute(makeCase({ averagePrice: 'fifo' }), sorted);
    eq(legs(result).averageBuyPrice, 10);
    eq(legs(result).loss, 4000);
  });

  test('a sale in one account of shares bought in the other is not a missing position', () => {
    const result = compute(makeCase(), [t('2021-03-10', 'B', 1000, '10', 'A2'), t('2021-09-02', 'S', 400, '7', 'A1')]);
    assert.equal(result.status, 'payable');
    eq(legs(result).loss, 1200 + 2400); // (10 − 7) × 400 + (10 − 6) × 600
  });

  test('a date-only time sorts before the timed trades of that date', () => {
    const trades = [
      t('2021-03-10T09:30:00', 'B', 100, '10', 'A1', 2),
      t('2021-03-10', 'B', 100, '12', 'A1', 3),
      t('2021-03-10T10:00:00', 'S', 100, '11', 'A1', 4),
      t('2021-03-09T15:00:00', 'B', 100, '9', 'A1', 5),
    ];
    const sorted = sortTrades([...trades]);
    assert.deepEqual(sorted.map((trade) => trade.line), [5, 3, 2, 4]);
    // fifo: 9, 12, 10; the sale takes the 9 lot → 100 @ 12 + 100 @ 10 → 11; L = (11 − 6) × 200 = 1000
    eq(legs(compute(makeCase({ averagePrice: 'fifo' }), sorted)).averageBuyPrice, 11);
  });

  test('ties keep file order by line', () => {
    const time = '2021-03-10T10:00:00';
    const sorted = sortTrades([t(time, 'S', 100, '11', 'A1', 5), t(time, 'B', 100, '12', 'A2', 3), t(time, 'B', 100, '10', 'A1', 4)]);
    assert.deepEqual(sorted.map((trade) => trade.line), [3, 4, 5]);
    // fifo: B 12, B 10, S → 100 @ 10 left (line 5 first would be a missing position)
    eq(legs(compute(makeCase({ averagePrice: 'fifo' }), sorted)).averageBuyPrice, 10);
  });
});

describe('holdings', () => {
  test('holdings supersede the pre-window trades', () => {
    // holdings 500; the 01-10 buy of 2000 is ignored; S 800 in the window takes 500 P0 + 300 E → E 700
    const trades = () => [t('2021-01-10', 'B', 2000, '5'), t('2021-03-01', 'B', 1000, '10'), t('2021-05-10', 'S', 800, '11')];
    const withHoldings = compute(makeCase(), trades(), { holdings: 500 });
    eq(withHoldings.computed!.eligibleShares, 700);
    eq(legs(withHoldings).loss, 2800); // (10 − 6) × 700
    const withoutHoldings = compute(makeCase(), trades());
    eq(withoutHoldings.computed!.eligibleShares, 1000); // P0 2000 covers the sale
  });

  test('holdings 0 mean no pre-window position, whatever the earlier trades say', () => {
    const result = compute(makeCase(), [t('2021-01-10', 'B', 1000, '5'), t('2021-03-01', 'B', 1000, '10'), t('2021-05-10', 'S', 500, '11')], { holdings: 0 });
    eq(result.computed!.eligibleShares, 500);
  });

  test('a superseded pre-window trade that would oversell is ignored, not a missing position', () => {
    const result = compute(makeCase(), [t('2021-01-10', 'S', 9999, '5'), t('2021-03-01', 'B', 1000, '10')], { holdings: 500 });
    assert.equal(result.status, 'payable');
  });
});

describe('statuses and reasons in the order of precedence (§4.3)', () => {
  const badRow: RejectedRow = { file: 'trades.csv', line: 7, investor: 'X', reason: "side 'X' is not B or S" };
  const perInvestor = makeCase({ riskDeduction: { method: 'per-investor' }, exclusions: ['X'] });
  const oversell = () => [t('2021-04-12', 'S', 200, '11')];

  test('excluded beats a bad row, a missing ratio and a missing position', () => {
    const result = compute(perInvestor, oversell(), { badRows: [badRow] });
    assert.equal(result.status, 'ineligible');
    assert.match(result.reason, /excluded/);
    assert.equal(result.computed, null);
  });

  test('an excluded investor with good trades is ineligible', () => {
    const result = compute(makeCase({ exclusions: ['X'] }), S2_TRADES());
    assert.equal(result.status, 'ineligible');
    assert.equal(result.amounts.total, 0n);
    // other investors are not excluded
    assert.equal(compute(makeCase({ exclusions: ['X'] }), S2_TRADES(), { investor: 'Y' }).status, 'payable');
  });

  test('a bad row beats a missing ratio and a missing position', () => {
    const result = compute(makeCase({ riskDeduction: { method: 'per-investor' } }), oversell(), { badRows: [badRow] });
    assert.equal(result.status, 'rejected');
    assert.equal(result.reason, "bad row: trades.csv line 7: side 'X' is not B or S");
  });

  test('a bad row rejects an investor whose other rows are fine', () => {
    const result = compute(makeCase(), S2_TRADES(), { badRows: [badRow] });
    assert.equal(result.status, 'rejected');
    assert.equal(result.computed, null);
  });

  test('a missing ratio beats a missing position', () => {
    const result = compute(makeCase({ riskDeduction: { method: 'per-investor' } }), oversell());
    assert.match(result.reason, /^missing ratio/);
  });

  test('a missing position beats no eligible shares', () => {
    const result = compute(makeCase(), oversell());
    assert.equal(result.status, 'rejected');
    assert.match(result.reason, /^missing position/);
  });

  test('no eligible shares beats zero', () => {
    const result = compute(makeCase(), [t('2021-01-10', 'B', 100, '20')]); // pre-window only
    assert.equal(result.status, 'ineligible');
    assert.equal(result.reason, 'no eligible shares held at disclosure');
    eq(result.computed!.eligibleShares, 0);
  });

  test('zero: L = 0 exactly, L < 0, and L > 0 with L′ = 0', () => {
    const exact = compute(makeCase(), [t('2021-04-01', 'B', 100, '6')]); // (6 − 6) × 100 = 0
    assert.equal(exact.status, 'zero');
    eq(legs(exact).loss, 0);
    assert.equal(compute(makeCase(), [t('2021-04-01', 'B', 100, '5.99')]).status, 'zero'); // −1
    const deducted = compute(makeCase({ riskDeduction: { method: 'fixed', ratio: '1' } }), [t('2021-04-01', 'B', 100, '7')]);
    assert.equal(deducted.status, 'zero');
    eq(legs(deducted).loss, 100);
    eq(legs(deducted).deduction.amount, 100);
  });

  test('payable: the smallest positive loss', () => {
    const result = compute(makeCase(), [t('2021-04-01', 'B', 1, '6.001')]); // 0.001 > 0, rounds to 0.00
    assert.equal(result.status, 'payable');
    assert.equal(result.amounts.principal, 0n);
  });
});

describe('by-date stamp duty', () => {
  const caseOn = (baseDate: IsoDate) =>
    makeCase(
      { implementationDate: '1990-01-02', disclosureDate: baseDate, baseDate, basePrice: '10', fees: { commissionRate: '0.0003', stampDutyRate: 'by-date' } },
      { market: [{ date: baseDate, close: q('10'), volume: 1n, float: 1n }] },
    );

  test('the seller rate in force on the base date', () => {
    const table: [IsoDate, string][] = [
      ['1992-06-12', '0.003'],
      ['1997-05-11', '0.003'],
      ['1997-05-12', '0.005'],
      ['1998-06-12', '0.004'],
      ['2001-11-16', '0.002'],
      ['2005-01-24', '0.001'],
      ['2007-05-29', '0.001'],
      ['2007-05-30', '0.003'],
      ['2008-04-23', '0.003'],
      ['2008-04-24', '0.001'],
      ['2008-05-01', '0.001'],
      ['2023-08-27', '0.001'],
      ['2023-08-28', '0.0005'],
      ['2023-09-01', '0.0005'],
    ];
    for (const [date, rate] of table) eq(caseOn(date).stampDutyRate, rate, date);
  });

  test('an investor’s stamp duty uses it: L = 1000, base date 2023-09-01 → 0.50', () => {
    // the window is [1990-01-02, 2023-09-01); B 100 @ 20 → (20 − 10) × 100 = 1000 → 1000 × 0.0005 = 0.50
    assert.equal(compute(caseOn('2023-09-01'), [t('2023-05-01', 'B', 100, '20')]).amounts.stampDuty, 50n);
    assert.equal(compute(caseOn('2008-05-01'), [t('2008-03-03', 'B', 100, '20')]).amounts.stampDuty, 100n);
  });

  test('a base date before 1992-06-12 → CaseError', () => {
    assert.throws(() => caseOn('1992-06-11'), CaseError);
  });
});

describe('compensationLine', () => {
  test('a fractional share count after a bonus action prints as 4004.5', () => {
    // B 3 @ 10; bonus ratio 0.5 on 05-04 → 4.5 @ 20/3 (cost 30); B 4000 @ 8 → 4004.5 @ 32030 / 4004.5 = 7.99850…
    // L = 32030 − 6 × 4004.5 = 32030 − 24027 = 8003.00; commission 2.4009 → 2.40; stamp 8.003 → 8.00
    const lossCase = makeCase({}, { actions: [{ date: '2021-05-04', ratio: q('0.5') }] });
    const result = compute(lossCase, [t('2021-04-01', 'B', 3, '10'), t('2021-06-01', 'B', 4000, '8')]);
    eq(result.computed!.eligibleShares, '4004.5');
    assert.equal(compensationLine(result), 'X,payable,,4004.5,0,4004.5,7.9985,,6.0000,0.00,8003.00,8003.00,0.000000,0.00,8003.00,2.40,8.00,0.00,8013.40\n');
  });

  test('rejected and excluded rows leave the computed columns blank', () => {
    const rejected = compute(makeCase(), [t('2021-04-12', 'S', 200, '11', 'A1', 9)], { investor: 'R' });
    assert.equal(
      compensationLine(rejected),
      `R,rejected,${rejected.reason},,,,,,,,,,,,0.00,0.00,0.00,0.00,0.00\n`,
    );
    const excluded = compute(makeCase({ exclusions: ['E'] }), S2_TRADES(), { investor: 'E' });
    assert.equal(compensationLine(excluded), `E,ineligible,${excluded.reason},,,,,,,,,,,,0.00,0.00,0.00,0.00,0.00\n`);
  });

  test('a reason with a comma is quoted', () => {
    const badRow: RejectedRow = { file: 'trades.csv', line: 3, investor: 'Q', reason: "price '1,5' is not a decimal" };
    const result = compute(makeCase(), [], { investor: 'Q', badRows: [badRow] });
    assert.equal(compensationLine(result), `Q,rejected,"bad row: trades.csv line 3: price '1,5' is not a decimal",,,,,,,,,,,,0.00,0.00,0.00,0.00,0.00\n`);
  });

  test('an ineligible row shows its share counts and the base price only', () => {
    const result = compute(makeCase(), [t('2021-09-02', 'B', 100, '9')], { investor: 'I' });
    assert.equal(compensationLine(result), 'I,ineligible,no eligible shares held at disclosure,0,0,0,,,6.0000,,,,,,0.00,0.00,0.00,0.00,0.00\n');
  });

  test('a zero row without a positive leg: blank ratio, deduction 0.00, negative loss shown', () => {
    // B 100 @ 10; S 100 @ 12 after disclosure: L_sold = −200, nothing held
    const result = compute(makeCase(), [t('2021-03-01', 'B', 100, '10'), t('2021-09-02', 'S', 100, '12')], { investor: 'Z' });
    assert.equal(compensationLine(result), 'Z,zero,no investment difference loss,100,100,0,10.0000,12.0000,6.0000,-200.00,0.00,-200.00,,0.00,0.00,0.00,0.00,0.00,0.00\n');
  });
});
