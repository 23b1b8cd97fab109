import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  caseOf, fixedDeduction, indexComparison, investorChoices, NO_DEDUCTION, outcome, recordsOf,
  SCENARIO_CHOICES, sharedColumns, worldArb,
} from '../../../test/support/random-cases.ts';
import { handCase, trade } from '../../../test/support/hand-cases.ts';
import { CaseError } from '../case-error.ts';
import { Rational } from '../money/rational.ts';
import { compensationLine } from '../../io/compensation-csv.ts';
import { walkBuySide, type BuySideWalk } from './buy-side-walk.ts';
import { buySideCounts, mirrorCountsByReplay, walkBuySideFast, walkSellSideFast } from './integer-walk.ts';
import { computeInvestorLoss } from './investor-loss.ts';
import { sortTrades, timeOrderKey, type InvestorRecords, type Trade } from './investor-records.ts';
import type { LossCase } from './loss-case.ts';
import { walkSellSide, type SellSideWalk } from './sell-side-walk.ts';
import { columnsOfTrades, type TradeColumns } from './trade-columns.ts';
import type { MissingPosition } from './walk-steps.ts';

/*
 * The integer fast path (integer-walk.ts) against the general walks it replaces: on random
 * investors in random cases (test/support/random-cases.ts), a fast walk either declines (null) or
 * returns exactly the fields the general walk returns, for the main run and every index mirror;
 * computeInvestorLoss gives the same result with columns as without; and the fast path is
 * actually taken for nearly every ordinary investor. Then hand-computed walks for each method,
 * and overflow.
 */

const MAX_TRADES = 14;
const INVESTORS = 24;

const scenarioArb = fc.record({
  ...SCENARIO_CHOICES,
  riskDeduction: fc.oneof(
    { weight: 6, arbitrary: indexComparison(['I1'], ['I1', 'I2'], ['I2', 'I1'], ['I5'], ['I5', 'I1']) },
    { weight: 1, arbitrary: indexComparison(['I3'], ['I1', 'I3'], ['I4'], ['I2', 'I4']) },
    { weight: 1, arbitrary: NO_DEDUCTION },
    { weight: 1, arbitrary: fixedDeduction() },
  ),
  interest: fc.constantFrom('none', 'one'),
});

// Quantities of 10^14 and more overflow the fast path.
const investorArb = fc.record(investorChoices(MAX_TRADES, { huge: [{ power: 14, weight: 1 }], zeroPrices: true }));

const randomWorld = worldArb(scenarioArb, investorArb, INVESTORS);

// ---- helpers ---------------------------------------------------------------------------------

function generalWalk(records: InvestorRecords, lossCase: LossCase, index: string | null): BuySideWalk | SellSideWalk | MissingPosition {
  const { plan, keyDates, actions } = lossCase;
  const priceOf = index === null ? (trade: Trade) => trade.price : (trade: Trade) => lossCase.indexClose(index, trade.date, records.investor);
  const options = { keyDates, actions, priceOf, priceSplits: index === null };
  return plan.direction === 'inflated'
    ? walkBuySide(records, { ...options, averagePrice: plan.averagePrice, postDisclosureSales: plan.postDisclosureSales })
    : walkSellSide(records, options);
}

function fastWalk(columns: TradeColumns, records: InvestorRecords, lossCase: LossCase, index: string | null): BuySideWalk | SellSideWalk | null {
  return lossCase.plan.direction === 'inflated'
    ? walkBuySideFast(columns, records.holdings, lossCase, index)
    : walkSellSideFast(columns, records.holdings, lossCase, index);
}

/** Field by field: Rationals by `equals`, dates and nulls by identity. */
function assertSameWalk(fast: BuySideWalk | SellSideWalk, general: BuySideWalk | SellSideWalk, what: string): void {
  const fastFields = fast as unknown as Record<string, Rational | string | null>;
  const generalFields = general as unknown as Record<string, Rational | string | null>;
  assert.deepEqual(Object.keys(fastFields).sort(), Object.keys(generalFields).sort(), what);
  for (const [name, wanted] of Object.entries(generalFields)) {
    const actual = fastFields[name];
    const same = wanted instanceof Rational ? actual instanceof Rational && actual.equals(wanted) : actual === wanted;
    assert.ok(same, `${what} ${name}: fast ${String(actual)}, general ${String(wanted)}`);
  }
}

/** A result as plain data, exact values as fractions, to compare two results as a whole. */
function plain(value: unknown): unknown {
  if (value instanceof Rational) return value.toFraction();
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  return value;
}

/** Records whose `trades` is a getter that notes each read, as a batch's lazy trades would. */
function watched(records: InvestorRecords, columns: TradeColumns): { records: InvestorRecords; reads: () => number } {
  let reads = 0;
  const { trades } = records;
  return {
    records: { investor: records.investor, holdings: records.holdings, ratio: records.ratio, badRows: records.badRows, columns, get trades() { reads++; return trades; } },
    reads: () => reads,
  };
}

// ---- random investors ------------------------------------------------------------------------

describe('the integer fast path against the general walks', () => {
  test('each fast walk gives null or exactly the general walk, main run and every mirror; computeInvestorLoss agrees with and without columns', (t) => {
    const tally = { ordinary: 0, ordinaryFast: 0, ordinaryMirrors: 0, ordinaryMirrorsFast: 0, investors: 0, caseErrors: 0, declinedHuge: 0, huge: 0 };
    fc.assert(
      fc.property(randomWorld, ({ scenario, investors }) => {
        const lossCase = caseOf(scenario);
        const all = investors.map((built) => recordsOf(built));
        const columns = sharedColumns(all);
        const indices = ['I1', 'I2', 'I3', 'I4'];
        for (const [k, built] of investors.entries()) {
          const records = all[k]!;
          const who = `${records.investor} (${scenario.direction}, ${scenario.averagePrice}, ${scenario.postDisclosureSales}, actions ${JSON.stringify(lossCase.actions.map((a) => [a.date, a.ratio.toFraction()]))})`;
          tally.investors++;

          const general = generalWalk(records, lossCase, null);
          const fast = fastWalk(columns[k]!, records, lossCase, null);
          const missing = 'kind' in general;
          if (missing) assert.equal(fast, null, `${who}: a missing position must decline`);
          else if (fast !== null) assertSameWalk(fast, general, `${who} main run`);
          if (built.huge) {
            tally.huge++;
            if (fast === null) tally.declinedHuge++;
          } else if (!missing) {
            tally.ordinary++;
            if (fast !== null) tally.ordinaryFast++;
          }

          for (const index of indices) {
            let generalMirror: BuySideWalk | SellSideWalk | MissingPosition | CaseError;
            try {
              generalMirror = generalWalk(records, lossCase, index);
            } catch (caught) {
              if (!(caught instanceof CaseError)) throw caught;
              generalMirror = caught;
            }
            const fastMirror = fastWalk(columns[k]!, records, lossCase, index);
            if (generalMirror instanceof CaseError || 'kind' in generalMirror) {
              assert.equal(fastMirror, null, `${who} mirror ${index}: must decline`);
              continue;
            }
            if (fastMirror !== null) assertSameWalk(fastMirror, generalMirror, `${who} mirror ${index}`);
            if (!built.huge && (index === 'I1' || index === 'I2')) {
              tally.ordinaryMirrors++;
              if (fastMirror !== null) tally.ordinaryMirrorsFast++;
            }
          }

          const without = outcome(() => computeInvestorLoss(records, lossCase));
          const lazy = watched(records, columns[k]!);
          const withColumns = outcome(() => computeInvestorLoss(lazy.records, lossCase));
          if ('caseError' in without) {
            tally.caseErrors++;
            assert.deepEqual(withColumns, without, `${who}: the same CaseError`);
            continue;
          }
          assert.ok('value' in withColumns, `${who}: ${'caseError' in withColumns ? withColumns.caseError : ''}`);
          assert.equal(compensationLine(withColumns.value), compensationLine(without.value), who);
          assert.deepEqual(plain(withColumns.value.exact), plain(without.value.exact), who);
          assert.deepEqual(plain(withColumns.value), plain(without.value), who);
          // The fast path, when it carries the whole investor, never makes the trade objects.
          const mirrorsFast = lossCase.plan.riskDeduction.method !== 'index-comparison'
            || lossCase.plan.riskDeduction.indices.every((index) => fastWalk(columns[k]!, records, lossCase, index) !== null);
          if (fast !== null && mirrorsFast) assert.equal(lazy.reads(), 0, `${who}: the fast path read records.trades`);
        }
      }),
      { numRuns: 250 },
    );
    t.diagnostic(JSON.stringify(tally));
    assert.ok(tally.ordinaryFast > 0.9 * tally.ordinary, `fast main runs: ${tally.ordinaryFast} of ${tally.ordinary} ordinary investors`);
    assert.ok(tally.ordinaryMirrorsFast > 0.9 * tally.ordinaryMirrors, `fast mirrors: ${tally.ordinaryMirrorsFast} of ${tally.ordinaryMirrors}`);
    assert.ok(tally.declinedHuge > 0, 'some huge quantity overflowed');
    assert.ok(tally.caseErrors > 0, 'some mirror stopped the case');
  });
});

// ---- by hand ---------------------------------------------------------------------------------

const r = (text: string) => Rational.parse(text);
const frac = (num: number, den: number) => Rational.of(num, den);

function handRecords(trades: Trade[], holdings: number | null = null): InvestorRecords {
  return { investor: 'H', trades: sortTrades(trades), holdings: holdings === null ? null : Rational.of(holdings), ratio: null, badRows: [] };
}

/** Asserts the fast walk, and the general walk too, against numbers worked out by hand. */
function assertWalk(records: InvestorRecords, lossCase: LossCase, index: string | null, expected: Record<string, Rational | string | null>): void {
  const fast = fastWalk(columnsOfTrades(records.trades)!, records, lossCase, index);
  assert.ok(fast !== null, 'the fast path is taken');
  const general = generalWalk(records, lossCase, index);
  assert.ok(!('kind' in general));
  for (const [name, walk] of [['fast', fast], ['general', general]] as const) {
    const fields = walk as unknown as Record<string, Rational | string | null>;
    for (const [field, wanted] of Object.entries(expected)) {
      const actual = fields[field];
      const same = wanted instanceof Rational ? actual instanceof Rational && actual.equals(wanted) : actual === wanted;
      assert.ok(same, `${name} ${index ?? 'main'} ${field}: ${String(actual)}, expected ${String(wanted)}`);
    }
  }
}

/*
 * One investor for every method: in the window it buys 1000 at 10.00 and 1000 at 12.00, sells
 * 500 at 13.00, and buys 500 at 14.00; after the disclosure it sells 600 at 9.00, all from E.
 *   moving weighted average: avg 11 after the two buys; the sale leaves it; then
 *     (11 × 1500 + 14 × 500) / 2000 = 23500 / 2000 = 11.75
 *   FIFO: the sale takes 500 of the 10.00 lot: (500 × 10 + 1000 × 12 + 500 × 14) / 2000 = 12
 *   actual cost: (10000 + 12000 + 7000 − 6500) / (2500 − 500) = 22500 / 2000 = 11.25
 *   weighted buys: 29000 / 2500 = 11.6
 * With a 10送2.5 bonus (ratio 0.25, factor 5/4) on 2021-05-20, between the sale and the last buy,
 * E is 1500 × 5/4 + 500 = 2375 at the disclosure date, and the averages are
 *   moving weighted average: (11 / 1.25 × 1875 + 7000) / 2375 = 23500 / 2375 = 188/19
 *   FIFO: lots 625 at 8.00, 1250 at 9.60, 500 at 14.00: 24000 / 2375 = 192/19
 *   actual cost: (22000 − 6500 + 7000) / 2375 = 22500 / 2375 = 180/19
 *   weighted buys: 29000 / (2500 + 500) = 29/3
 */
function handTrades(): Trade[] {
  return [
    trade('2021-03-10', 'B', 1000, '10.00'),
    trade('2021-04-12T10:00:00', 'B', 1000, '12.00'),
    trade('2021-05-10', 'S', 500, '13.00'),
    trade('2021-06-10T14:00:00', 'B', 500, '14.00'),
    trade('2021-09-06T09:31:00', 'S', 600, '9.00'),
  ];
}

describe('index mirrors replayed over the events of E', () => {
  test("a replay gives exactly the mirror's own run, or declines where it does; only the moving weighted average records", () => {
    const tally = { replayed: 0, declined: 0 };
    fc.assert(
      fc.property(randomWorld, ({ scenario, investors }) => {
        if (scenario.direction !== 'inflated') return;
        const lossCase = caseOf(scenario);
        const all = investors.map((built) => recordsOf(built));
        const columns = sharedColumns(all);
        for (const [k, records] of all.entries()) {
          const main = buySideCounts(columns[k]!, records.holdings, lossCase, null);
          if (main === null) continue;
          // Every replay first: a full run starts a trace of its own.
          const indices = ['I1', 'I2', 'I3', 'I4', 'I5'];
          const replays = indices.map((index) => mirrorCountsByReplay(main, columns[k]!, lossCase, index));
          for (const [j, index] of indices.entries()) {
            const replayed = replays[j];
            if (scenario.averagePrice !== 'moving-weighted-average') {
              assert.equal(replayed, undefined, `${records.investor}: only the moving weighted average is replayed`);
              continue;
            }
            assert.notEqual(replayed, undefined, `${records.investor}: the stock's run recorded its events`);
            assert.deepEqual(replayed, buySideCounts(columns[k]!, records.holdings, lossCase, index), `${records.investor} mirror ${index}`);
            if (replayed === null) tally.declined++;
            else tally.replayed++;
          }
          // Once another run has started, the events are no longer this investor's.
          assert.equal(mirrorCountsByReplay(main, columns[k]!, lossCase, 'I1'), undefined);
        }
      }),
      { numRuns: 150 },
    );
    // That both outcomes were exercised. The counts vary with the draw (some 700 to 2,500 replays
    // and a fifth as many declines in 150 runs); 100 leaves no room for a chance failure.
    assert.ok(tally.replayed > 100 && tally.declined > 0, JSON.stringify(tally));
  });

  test('by hand: a bonus after a sale after disclosure scales the sold value; E at disclosure keeps its shares', () => {
    const closes = { '2021-03-10': '3000', '2021-04-12': '3100', '2021-05-10': '3200', '2021-06-10': '3300', '2021-09-06': '2900.5' };
    const records = handRecords(handTrades());
    const columns = columnsOfTrades(records.trades)!;
    const lossCase = handCase({ averagePrice: 'moving-weighted-average' }, { actions: [{ date: '2021-09-10', ratio: r('1') }], index: closes });
    const main = buySideCounts(columns, null, lossCase, null)!;
    const replayed = mirrorCountsByReplay(main, columns, lossCase, 'IX')!;
    // E: 2000 shares at disclosure (4000 after the 10送10, as the stock's run counts them); 600 sold
    // at 2900.5 after disclosure, 1200 after the bonus: 1740300 points, doubled with the shares.
    assert.equal(main.costShares, 4000 * main.shareUnit);
    assert.equal(replayed.costShares, 2000 * main.shareUnit);
    assert.equal(replayed.soldValue / (replayed.priceUnit * replayed.shareUnit), 3_480_600);
    assert.deepEqual(replayed, buySideCounts(columns, null, lossCase, 'IX'));
  });
});

describe('the integer fast path by hand', () => {
  const averages = {
    'moving-weighted-average': [r('11.75'), frac(188, 19)],
    fifo: [r('12'), frac(192, 19)],
    'actual-cost': [r('11.25'), frac(180, 19)],
    'weighted-buys': [r('11.6'), frac(29, 3)],
  } as const;
  for (const [method, [plainAverage, bonusAverage]] of Object.entries(averages)) {
    test(`${method}: the eligible pool's average, the legs, with and without a bonus`, () => {
      const records = handRecords(handTrades());
      assertWalk(records, handCase({ averagePrice: method }), null, {
        eligibleAtDisclosure: r('2000'), averageBuyPrice: plainAverage, soldAfterDisclosure: r('600'), soldValue: r('5400'), heldAtBase: r('1400'), firstEligibleBuyDate: '2021-03-10',
      });
      const bonus = handCase({ averagePrice: method }, { actions: [{ date: '2021-05-20', ratio: r('0.25') }] });
      assertWalk(records, bonus, null, {
        eligibleAtDisclosure: r('2375'), averageBuyPrice: bonusAverage, soldAfterDisclosure: r('600'), soldValue: r('5400'), heldAtBase: r('1775'), firstEligibleBuyDate: '2021-03-10',
      });
    });
  }

  test('mirror run: index closes as prices, the bonus scales shares but not the index average', () => {
    // closes on the trade dates 3000, 3100, (3200, read only under actual cost), 3300; 2900 on the sale after disclosure
    const closes = { '2021-03-10': '3000', '2021-04-12': '3100', '2021-05-10': '3200', '2021-06-10': '3300', '2021-09-06': '2900.5' };
    const records = handRecords(handTrades());
    const action = [{ date: '2021-05-20', ratio: r('0.25') }];
    // moving weighted average: 3050 on 2000, 1875 after the sale and the bonus, then (3050 × 1875 + 3300 × 500) / 2375 = 58950/19
    assertWalk(records, handCase({ averagePrice: 'moving-weighted-average' }, { actions: action, index: closes }), 'IX', {
      eligibleAtDisclosure: r('2375'), averageBuyPrice: frac(58950, 19), soldAfterDisclosure: r('600'), soldValue: r('1740300'), heldAtBase: r('1775'),
    });
    // actual cost: (3000 × 1000 + 3100 × 1000 − 3200 × 500) × 5/4 + 3300 × 500 = 7275000 on 2375 shares
    assertWalk(records, handCase({ averagePrice: 'actual-cost' }, { actions: action, index: closes }), 'IX', {
      eligibleAtDisclosure: r('2375'), averageBuyPrice: frac(7_275_000, 2375), soldValue: r('1740300'),
    });
    // a bonus after the disclosure and before the base date: the sold value scales with the shares
    const late = [{ date: '2021-09-10', ratio: r('1') }];
    assertWalk(records, handCase({ averagePrice: 'fifo' }, { actions: late, index: closes }), 'IX', {
      // FIFO lots at disclosure: 500 at 3000, 1000 at 3100, 500 at 3300: 6250000 / 2000 = 3125
      eligibleAtDisclosure: r('4000'), averageBuyPrice: r('3125'), soldAfterDisclosure: r('1200'), soldValue: r('3480600'), heldAtBase: r('2800'),
    });
    // the main run with the same bonus: the sold value stays, the average halves
    assertWalk(records, handCase({ averagePrice: 'fifo' }, { actions: late }), null, {
      eligibleAtDisclosure: r('4000'), averageBuyPrice: r('6'), soldAfterDisclosure: r('1200'), soldValue: r('5400'), heldAtBase: r('2800'),
    });
  });

  test('a sale emptying E clears its history', () => {
    const records = handRecords([
      trade('2021-03-10', 'B', 400, '10.00'),
      trade('2021-03-11', 'S', 400, '11.00'),
      trade('2021-04-01', 'B', 800, '12.50'),
    ]);
    // without the reset, weighted buys would give 14000 / 1200 and actual cost (14000 − 4400) / 800
    for (const method of ['moving-weighted-average', 'fifo', 'actual-cost', 'weighted-buys']) {
      assertWalk(records, handCase({ averagePrice: method }), null, {
        eligibleAtDisclosure: r('800'), averageBuyPrice: r('12.5'), heldAtBase: r('800'), firstEligibleBuyDate: '2021-04-01',
      });
    }
  });

  test('post-disclosure order, holdings, trades after the base date', () => {
    const trades = [
      trade('2021-02-01', 'S', 999, '1.00'), // before the window: superseded by holdings
      trade('2021-03-10', 'B', 800, '12.50'),
      trade('2021-09-02', 'B', 100, '7.00'), // into P2
      trade('2021-09-03', 'S', 500, '7.50'),
      trade('2021-10-04', 'S', 1000, '8.00'), // after the base date: every pool may be sold from
    ];
    const records = handRecords(trades, 600);
    // fifo: the post-disclosure sale takes P0 first, nothing from E
    assertWalk(records, handCase({ postDisclosureSales: 'fifo' }), null, {
      eligibleAtDisclosure: r('800'), averageBuyPrice: r('12.5'), soldAfterDisclosure: r('0'), soldValue: r('0'), heldAtBase: r('800'), firstEligibleBuyDate: '2021-03-10',
    });
    // eligible first: 500 from E
    assertWalk(records, handCase({ postDisclosureSales: 'eligible-first' }), null, {
      eligibleAtDisclosure: r('800'), soldAfterDisclosure: r('500'), soldValue: r('3750'), heldAtBase: r('300'),
    });
    // one more share sold after the base date than the investor has: the fast path declines
    const oversold = handRecords([...trades, trade('2021-10-05', 'S', 1, '8.00')], 600);
    const columns = columnsOfTrades(oversold.trades)!;
    assert.equal(walkBuySideFast(columns, oversold.holdings, handCase({}), null), null);
    const result = computeInvestorLoss({ ...oversold, columns }, handCase({}));
    assert.equal(result.status, 'rejected');
    assert.match(result.reason, /^missing position: the sale of 1 on 2021-10-05 /);
  });

  test('after the base date a bonus scales only the position, which later sales take from', () => {
    // 10送10 on 2021-10-01: the 1000 shares held become 2000, all sold; the results stay in base-date units
    const bonus = [{ date: '2021-10-01', ratio: r('1') }];
    const buySide = handRecords([trade('2021-03-10', 'B', 1000, '10.00'), trade('2021-10-04', 'S', 2000, '8.00')]);
    assertWalk(buySide, handCase({}, { actions: bonus }), null, {
      eligibleAtDisclosure: r('1000'), averageBuyPrice: r('10'), soldAfterDisclosure: r('0'), heldAtBase: r('1000'), firstEligibleBuyDate: '2021-03-10',
    });
    const sellSide = handRecords([trade('2021-03-10', 'S', 400, '10.00'), trade('2021-10-04', 'S', 1200, '8.00')], 1000);
    assertWalk(sellSide, handCase({ direction: 'deflated' }, { actions: bonus }), null, {
      soldInWindow: r('400'), saleValue: r('4000'), boughtBack: r('0'), buyBackValue: r('0'), firstEligibleSaleDate: '2021-03-10',
    });
  });

  test('sell side: sales in the window, a bonus, buy-backs up to the eligible quantity', () => {
    const trades = [
      trade('2021-03-10', 'S', 400, '10.00'),
      trade('2021-05-10', 'S', 300, '12.00'),
      trade('2021-09-06', 'B', 600, '7.00'),
      trade('2021-09-07', 'B', 600, '8.00'), // only 1050 − 600 = 450 of it buys back
    ];
    const records = handRecords(trades, 1000);
    // 700 sold in the window; the 10送5 bonus on 2021-06-01 makes them 1050; the proceeds stay 7600
    const lossCase = handCase({ direction: 'deflated' }, {
      actions: [{ date: '2021-06-01', ratio: r('0.5') }],
      index: { '2021-03-10': '3000', '2021-05-10': '3100', '2021-09-06': '2800', '2021-09-07': '2700' },
    });
    assertWalk(records, lossCase, null, {
      soldInWindow: r('1050'), saleValue: r('7600'), boughtBack: r('1050'), buyBackValue: r('7800'), firstEligibleSaleDate: '2021-03-10',
    });
    // mirror: 3000 × 400 + 3100 × 300 = 2130000, × 3/2 by the bonus; buy-backs 2800 × 600 + 2700 × 450
    assertWalk(records, lossCase, 'IX', {
      soldInWindow: r('1050'), saleValue: r('3195000'), boughtBack: r('1050'), buyBackValue: r('2895000'),
    });
  });
});

describe('the integer fast path declines what it cannot hold', () => {
  test('a huge quantity overflows: null, and computeInvestorLoss still gives the exact result', () => {
    const huge = 10 ** 15; // 10^15 shares at 10.00 yuan: 10^19 thousandth-yuan-shares, past 2^53
    const records = handRecords([trade('2021-03-10', 'B', huge, '10.00')]);
    const columns = columnsOfTrades(records.trades)!;
    const lossCase = handCase({ riskDeduction: { method: 'index-comparison', indices: ['IX'] } }, { index: { '2021-03-10': '3000' } });
    assert.equal(walkBuySideFast(columns, null, lossCase, null), null);
    const result = computeInvestorLoss({ ...records, columns }, lossCase);
    // (10 − 8) × 10^15 held at the base date; the index did not fall, so nothing is deducted
    assert.ok(result.exact !== null && result.exact.principal.equals(Rational.of(2n * 10n ** 15n)));
    assert.equal(compensationLine(result), compensationLine(computeInvestorLoss(records, lossCase)));
  });

  test('a mirror that overflows sends the whole investor to the general path, with the same result', () => {
    // 2 × 10^11 shares: the main run fits (10 yuan = 10^4 thousandths); the index mirror fits
    // when the closes are whole points (3000, counted in points), not when one has four decimals
    // (30000001 ten-thousandths).
    const records = handRecords([trade('2021-03-10', 'B', 2 * 10 ** 11, '10.00')]);
    const columns = columnsOfTrades(records.trades)!;
    const wholePoints = handCase({ riskDeduction: { method: 'index-comparison', indices: ['IX'] } }, { index: { '2021-03-10': '3000', '2021-09-14': '2000' } });
    const fits = walkBuySideFast(columns, null, wholePoints, 'IX');
    assert.ok(fits !== null, 'the mirror in whole points fits');
    assertSameWalk(fits, generalWalk(records, wholePoints, 'IX') as BuySideWalk, 'whole points');
    const lossCase = handCase({ riskDeduction: { method: 'index-comparison', indices: ['IX'] } }, { index: { '2021-03-10': '3000.0001', '2021-09-14': '2000' } });
    assert.notEqual(walkBuySideFast(columns, null, lossCase, null), null);
    assert.equal(walkBuySideFast(columns, null, lossCase, 'IX'), null);
    const lazy = watched(records, columns);
    const result = computeInvestorLoss(lazy.records, lossCase);
    assert.ok(lazy.reads() > 0, 'the general path made the trades');
    assert.deepEqual(plain(result), plain(computeInvestorLoss(records, lossCase)));
    assert.ok(result.computed!.legs!.deduction.amount.isPositive());
  });

  test('columnsOfTrades: null for a quantity or a price × 1000 that is not a safe integer', () => {
    assert.equal(columnsOfTrades([trade('2021-03-10', 'B', 2n ** 53n, '10.00')]), null);
    assert.equal(columnsOfTrades([trade('2021-03-10', 'B', 100, '10.0005')]), null);
    const columns = columnsOfTrades([trade('2021-03-10', 'B', 100, '10.005'), trade('2021-03-11T10:00:00', 'S', 50, '0')])!;
    assert.deepEqual([...columns.priceMilli], [10005, 0]);
    assert.deepEqual([...columns.isBuy], [1, 0]);
    assert.deepEqual([columns.start, columns.end], [0, 2]);
    assert.equal(columns.timeKey[1], timeOrderKey('2021-03-11T10:00:00'));
  });

  test('a missing index close the mirror reads: the CaseError of the general path', () => {
    const records = handRecords([trade('2021-03-10', 'B', 1000, '10.00')]);
    const columns = columnsOfTrades(records.trades)!;
    const lossCase = handCase({ riskDeduction: { method: 'index-comparison', indices: ['IX'] } }, { index: { '2021-03-10': null } });
    assert.equal(walkBuySideFast(columns, null, lossCase, 'IX'), null);
    assert.throws(() => computeInvestorLoss({ ...records, columns }, lossCase), (error: unknown) =>
      error instanceof CaseError && /no close of index IX on 2021-03-10, needed for the market-risk deduction of investor H/.test(error.message));
  });
});
