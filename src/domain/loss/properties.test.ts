import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ACTION_DAY, actionDays, caseInputs, DISCLOSURE, fixedDeduction, IMPLEMENTATION, indexComparison, investorChoices, NO_DEDUCTION,
  PER_INVESTOR_DEDUCTION, recordsOf, SCENARIO_CHOICES, worldArb, type CaseInputs, type InvestorSpec,
} from '../../../test/support/random-cases.ts';
import { addDays, type IsoDate } from '../market/calendar-date.ts';
import { roundToFen } from '../money/fen.ts';
import { Rational } from '../money/rational.ts';
import { compensationLine } from '../../io/compensation-csv.ts';
import { computeInvestorLoss, type InvestorResult } from './investor-loss.ts';
import { sortTrades, type InvestorRecords, type Trade } from './investor-records.ts';
import { prepareLossCase, type LossCase } from './loss-case.ts';

/*
 * Property tests over random small investors in random cases with random plan options
 * (test/support/random-cases.ts): every average-price method, both directions, every deduction
 * method, both post-disclosure orders, bonus actions, opening holdings, interest, computed or
 * fixed base dates. The deductions by index read I1 and I2 only, which have a close on every
 * trading day, so the index-comparison mirror never lacks one.
 */

const ZERO = Rational.ZERO;
const MAX_TRADES = 12;
const INVESTORS = 21;

// ---- generators ------------------------------------------------------------------------------

const scenarioArb = fc.record({
  ...SCENARIO_CHOICES,
  riskDeduction: fc.oneof(NO_DEDUCTION, fixedDeduction(), indexComparison(['I1'], ['I1', 'I2']), PER_INVESTOR_DEDUCTION),
  interest: fc.constantFrom('none', 'two'),
  // half of the bonus actions fall between the disclosure date and the end of the trades
  actions: actionDays(ACTION_DAY.anywhere, ACTION_DAY.afterDisclosure),
});

// Opening holdings may also be given as two rows: holdingsSplit percent of them, and the rest.
const investorArb = fc.record({
  ...investorChoices(MAX_TRADES, { huge: [], zeroPrices: false }),
  holdingsSplit: fc.integer({ min: 0, max: 100 }),
});

const randomWorld = worldArb(scenarioArb, investorArb, INVESTORS);

const newCase = (inputs: CaseInputs): LossCase => prepareLossCase(inputs);

// ---- helpers ---------------------------------------------------------------------------------

const fen = (text: string) => BigInt(text.replace('.', ''));

/** Opening holdings as two rows that add up: holdingsSplit percent of them, and the rest. */
function holdingsParts(spec: InvestorSpec & { holdingsSplit: number }): Rational[] {
  if (spec.holdings === null) return [];
  const part = Math.floor((spec.holdings * spec.holdingsSplit) / 100);
  return [Rational.of(part), Rational.of(spec.holdings - part)];
}

function positiveLegsTotal(result: InvestorResult): Rational {
  const legs = result.computed!.legs!;
  return [legs.lossSold, legs.lossHeld].filter((loss) => loss.isPositive()).reduce((a, b) => a.add(b), ZERO);
}

function statusCounts(results: InvestorResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) counts[result.status] = (counts[result.status] ?? 0) + 1;
  return counts;
}

// Over all runs, every status must actually occur, or the properties prove little.
const seenStatuses: Record<string, number> = {};
const seenMethods = new Set<string>();

// ---- properties ------------------------------------------------------------------------------

describe('properties of computeInvestorLoss', () => {
  test('(a) 0 ≤ deduction ≤ sum of positive legs, 0 ≤ deduction_ratio ≤ 1; (b) the sheet adds up', (t) => {
    fc.assert(
      fc.property(randomWorld, ({ scenario, investors }) => {
        const inputs = caseInputs(scenario);
        const lossCase = newCase(inputs);
        const results = investors.map((built) => computeInvestorLoss(recordsOf(built), lossCase));
        for (const [status, count] of Object.entries(statusCounts(results))) seenStatuses[status] = (seenStatuses[status] ?? 0) + count;
        for (const result of results) {
          const { amounts } = result;
          // (b) total = principal + commission + stamp_duty + interest, in fen
          assert.equal(amounts.total, amounts.principal + amounts.commission + amounts.stampDuty + amounts.interest);
          const line = compensationLine(result).trimEnd().split(',');
          const [principal, commission, stamp, interest, total] = line.slice(-5).map(fen);
          assert.equal(total, principal! + commission! + stamp! + interest!, 'the printed row adds up');
          if (result.status !== 'payable') {
            assert.deepEqual(amounts, { principal: 0n, commission: 0n, stampDuty: 0n, interest: 0n, total: 0n });
          }
          const legs = result.computed?.legs ?? null;
          if (legs === null) {
            assert.notEqual(result.status, 'payable');
            assert.notEqual(result.status, 'zero');
            continue;
          }
          seenMethods.add(legs.deduction.method);
          // (b) L = L_sold + L_held, L' = L − D
          assert.ok(legs.loss.equals(legs.lossSold.add(legs.lossHeld)));
          assert.ok(legs.lossAfterDeduction.equals(legs.loss.sub(legs.deduction.amount)));
          // (b) buy side: E at disclosure = Q_sold + Q_held (units as of the base date)
          const c = result.computed!;
          if (scenario.direction === 'inflated') assert.ok(c.eligibleShares.equals(c.soldAfterDisclosure.add(c.heldAtBase)));
          else assert.ok(c.soldAfterDisclosure.lte(c.eligibleShares));
          // status on exact values
          const payable = legs.loss.isPositive() && legs.lossAfterDeduction.isPositive();
          assert.equal(result.status, payable ? 'payable' : 'zero');
          if (payable) {
            assert.equal(amounts.principal, roundToFen(legs.lossAfterDeduction));
            assert.equal(amounts.commission, roundToFen(legs.lossAfterDeduction.mul(inputs.plan.commissionRate)));
            assert.equal(amounts.stampDuty, roundToFen(legs.lossAfterDeduction.mul(lossCase.stampDutyRate)));
            if (scenario.interest === 'none') assert.equal(amounts.interest, 0n);
          }
          // (a) the deduction
          const positive = positiveLegsTotal(result);
          const deduction = legs.deduction;
          assert.ok(deduction.amount.gte(ZERO), 'D ≥ 0');
          assert.ok(deduction.amount.lte(positive), 'D ≤ sum of positive legs');
          if (positive.isZero()) {
            assert.equal(deduction.ratio, null);
          } else {
            assert.ok(deduction.ratio !== null && deduction.ratio.gte(ZERO) && deduction.ratio.lte(Rational.ONE), 'ratio in [0, 1]');
            assert.ok(deduction.ratio.equals(deduction.amount.div(positive)));
          }
          for (const leg of deduction.legs) {
            assert.ok(leg.loss.isPositive(), 'only positive legs are deducted');
            assert.ok(leg.ratio.gte(ZERO) && leg.ratio.lte(Rational.ONE));
            assert.ok(leg.amount.equals(leg.loss.mul(leg.ratio)));
          }
          // fixed and per-investor ratios apply exactly
          const method = inputs.plan.riskDeduction;
          if (method.method === 'none') assert.ok(deduction.amount.isZero());
          if (method.method === 'fixed') assert.ok(deduction.amount.equals(positive.mul(method.ratio)));
          if (method.method === 'per-investor') assert.ok(deduction.amount.equals(positive.mul(investors.find((b) => b.investor === result.investor)!.ratio!)));
        }
      }),
      { numRuns: 150 },
    );
    t.diagnostic(`statuses seen: ${JSON.stringify(seenStatuses)}`);
    for (const status of ['payable', 'zero', 'ineligible', 'rejected']) assert.ok((seenStatuses[status] ?? 0) > 0, `status ${status} never occurred`);
    for (const method of ['none', 'fixed', 'index-comparison', 'per-investor']) assert.ok(seenMethods.has(method), `method ${method} never occurred`);
  });

  test('(c) a result depends only on the investor’s own records', () => {
    fc.assert(
      fc.property(randomWorld, fc.nat({ max: INVESTORS - 1 }), ({ scenario, investors }, target) => {
        const inputs = caseInputs(scenario);
        const alone = compensationLine(computeInvestorLoss(recordsOf(investors[target]!), newCase(inputs)));
        const shared = newCase(inputs);
        for (const [i, built] of investors.entries()) if (i !== target) computeInvestorLoss(recordsOf(built), shared);
        assert.equal(compensationLine(computeInvestorLoss(recordsOf(investors[target]!), shared)), alone);
        // and again, once the shared case has seen the target too
        assert.equal(compensationLine(computeInvestorLoss(recordsOf(investors[target]!), shared)), alone);
      }),
      { numRuns: 40 },
    );
  });

  test('(d) permuting the input order of trades, then sortTrades, gives identical output', () => {
    fc.assert(
      fc.property(randomWorld, fc.array(fc.nat(), { minLength: MAX_TRADES, maxLength: MAX_TRADES }), ({ scenario, investors }, keys) => {
        const lossCase = newCase(caseInputs(scenario));
        for (const built of investors) {
          const expected = compensationLine(computeInvestorLoss(recordsOf(built), lossCase));
          const permuted = built.fileOrder.map((trade, i) => ({ trade, key: keys[i]! * 100 + i })).sort((a, b) => a.key - b.key).map((x) => x.trade);
          const reversed = [...built.fileOrder].reverse();
          for (const order of [permuted, reversed]) {
            const sorted = sortTrades([...order]);
            assert.deepEqual(sorted.map((trade) => trade.line), sortTrades([...built.fileOrder]).map((trade) => trade.line));
            assert.equal(compensationLine(computeInvestorLoss(recordsOf(built, sorted), lossCase)), expected);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  test('(e) splitting an investor’s records across two accounts does not change the result', () => {
    fc.assert(
      fc.property(randomWorld, ({ scenario, investors }) => {
        const lossCase = newCase(caseInputs(scenario));
        for (const built of investors) {
          // one account: every row in A1, holdings in one row
          const single: Trade[] = built.fileOrder.map((trade) => ({ ...trade, account: 'A1' }));
          const expected = compensationLine(computeInvestorLoss(recordsOf(built, sortTrades(single)), lossCase));
          // two accounts: the file lists A1's rows, then A2's; holdings split over two rows that add up
          const a1 = built.fileOrder.filter((trade) => trade.account === 'A1');
          const a2 = built.fileOrder.filter((trade) => trade.account === 'A2');
          const merged = sortTrades([...a1, ...a2]);
          const parts = holdingsParts(built.spec);
          const holdings = parts.length === 0 ? null : parts.reduce((a, b) => a.add(b), ZERO);
          const records = { ...recordsOf(built, merged), holdings };
          assert.equal(compensationLine(computeInvestorLoss(records, lossCase)), expected);
        }
      }),
      { numRuns: 40 },
    );
  });

  test('(f) pools, legs, deduction (index mirror included), fees and interest agree with a direct reading of §4–§6', () => {
    fc.assert(
      fc.property(randomWorld, ({ scenario, investors }) => {
        const inputs = caseInputs(scenario);
        const lossCase = newCase(inputs);
        for (const built of investors) {
          const records = recordsOf(built);
          const result = computeInvestorLoss(records, lossCase);
          if (lossCase.plan.exclusions.has(built.investor) || built.badRow || (lossCase.plan.riskDeduction.method === 'per-investor' && built.ratio === null)) {
            assert.equal(result.computed, null);
            continue;
          }
          const expected = referenceInvestor(records, lossCase, inputs);
          if (expected === 'missing') {
            assert.equal(result.status, 'rejected');
            assert.match(result.reason, /^missing position/);
            continue;
          }
          const who = `${built.investor} (${scenario.direction}, ${scenario.averagePrice}, ${inputs.plan.riskDeduction.method})`;
          const same = (actual: Rational | null | undefined, wanted: Rational | null, what: string) =>
            assert.ok(wanted === null ? actual === null : actual?.equals(wanted) === true, `${who} ${what}: ${String(actual)} vs ${String(wanted)}`);
          const c = result.computed!;
          same(c.eligibleShares, expected.eligible, 'eligible');
          same(c.soldAfterDisclosure, expected.sold, 'Q_sold / Q_back');
          same(c.heldAtBase, expected.held, 'Q_held / Q_not_back');
          if (expected.loss === null) {
            assert.equal(result.status, 'ineligible');
            continue;
          }
          const legs = c.legs!;
          same(legs.averageBuyPrice, expected.averageBuyPrice, 'avg_buy_price');
          same(legs.averageSellPrice, expected.averageSellPrice, 'avg_sell_price');
          same(legs.lossSold, expected.lossSold, 'loss_sold');
          same(legs.loss, expected.loss, 'L');
          same(legs.deduction.amount, expected.deduction, 'D');
          assert.equal(legs.interestStart, expected.interestStart, `${who} interest start`);
          assert.equal(result.status, expected.amounts === null ? 'zero' : 'payable', who);
          if (expected.amounts !== null) assert.deepEqual(result.amounts, expected.amounts, who);
        }
      }),
      { numRuns: 150 },
    );
  });
});

// ---- a direct reading of the spec, written independently of the engine ----------------------

type Event = { kind: 'action'; date: IsoDate; factor: Rational } | { kind: 'trade'; date: IsoDate; trade: Trade };

/**
 * Actions (before the trades of their date) and trades, in order. Events after the base date are
 * included: they no longer change any result, but a sale there must still be covered by the
 * position (a sale of shares never held is a missing position wherever it is).
 */
function events(records: InvestorRecords, lossCase: LossCase): Event[] {
  const withHoldings = records.holdings !== null;
  const list: Event[] = [];
  const actions = lossCase.actions.filter((a) => !(withHoldings && a.date < IMPLEMENTATION));
  let next = 0;
  for (const trade of records.trades) {
    if (withHoldings && trade.date < IMPLEMENTATION) continue;
    while (next < actions.length && actions[next]!.date <= trade.date) {
      list.push({ kind: 'action', date: actions[next]!.date, factor: Rational.ONE.add(actions[next]!.ratio) });
      next++;
    }
    list.push({ kind: 'trade', date: trade.date, trade });
  }
  for (; next < actions.length; next++) list.push({ kind: 'action', date: actions[next]!.date, factor: Rational.ONE.add(actions[next]!.ratio) });
  return list;
}

/** After the base date only the total position is followed, to find a missing position. */
function followPosition(position: Rational, rest: Event[]): boolean {
  for (const event of rest) {
    if (event.kind === 'action') position = position.mul(event.factor);
    else if (event.trade.side === 'B') position = position.add(event.trade.quantity);
    else if (event.trade.quantity.gt(position)) return false;
    else position = position.sub(event.trade.quantity);
  }
  return true;
}

/** `priceOf` gives the trade price, or the index close in the mirror run, where nothing splits. */
interface Pricing {
  priceOf: (trade: Trade) => Rational;
  splits: boolean;
}

interface BuySideFacts {
  eligible: Rational;
  /** P_buy (null when E was empty at disclosure). */
  averageBuyPrice: Rational | null;
  sold: Rational;
  soldValue: Rational;
  held: Rational;
  firstBuy: IsoDate | null;
}

function referenceBuySide(records: InvestorRecords, lossCase: LossCase, { priceOf, splits }: Pricing): BuySideFacts | 'missing' {
  const method = lossCase.plan.averagePrice;
  let p0 = records.holdings ?? ZERO;
  let p2 = ZERO;
  // E, kept in every method's terms at once
  let lots: { quantity: Rational; unitCost: Rational }[] = [];
  let quantity = ZERO;
  let movingAverage = ZERO;
  let boughtShares = ZERO;
  let boughtAmount = ZERO;
  let soldShares = ZERO;
  let soldProceeds = ZERO;
  let firstBuy: IsoDate | null = null;
  const average = (): Rational => {
    switch (method) {
      case 'moving-weighted-average':
        return movingAverage;
      case 'fifo':
        return lots.reduce((a, lot) => a.add(lot.unitCost.mul(lot.quantity)), ZERO).div(quantity);
      case 'actual-cost':
        return boughtAmount.sub(soldProceeds).div(boughtShares.sub(soldShares));
      case 'weighted-buys':
        return boughtAmount.div(boughtShares);
    }
  };
  let snapshot: { eligible: Rational; price: Rational | null; firstBuy: IsoDate | null } | null = null;
  let qSold = ZERO;
  let soldValue = ZERO;

  const all = events(records, lossCase);
  const afterBase = all.findIndex((event) => event.date > lossCase.keyDates.baseDate);
  for (const event of afterBase < 0 ? all : all.slice(0, afterBase)) {
    if (snapshot === null && event.date >= DISCLOSURE) snapshot = { eligible: quantity, price: quantity.isPositive() ? average() : null, firstBuy };
    if (event.kind === 'action') {
      const f = event.factor;
      p0 = p0.mul(f);
      p2 = p2.mul(f);
      quantity = quantity.mul(f);
      boughtShares = boughtShares.mul(f);
      soldShares = soldShares.mul(f);
      qSold = qSold.mul(f);
      if (splits) {
        // money stays, unit prices fall
        lots = lots.map((lot) => ({ quantity: lot.quantity.mul(f), unitCost: lot.unitCost.div(f) }));
        movingAverage = movingAverage.div(f);
        if (snapshot?.price) snapshot = { ...snapshot, price: snapshot.price.div(f) };
      } else {
        // index levels stay, so index "amounts" grow with the shares
        lots = lots.map((lot) => ({ quantity: lot.quantity.mul(f), unitCost: lot.unitCost }));
        boughtAmount = boughtAmount.mul(f);
        soldProceeds = soldProceeds.mul(f);
        soldValue = soldValue.mul(f);
      }
      if (snapshot !== null) snapshot = { ...snapshot, eligible: snapshot.eligible.mul(f) };
      continue;
    }
    const { trade } = event;
    const period = trade.date < IMPLEMENTATION ? 'pre' : trade.date < DISCLOSURE ? 'window' : 'post';
    if (trade.side === 'B') {
      if (period === 'pre') p0 = p0.add(trade.quantity);
      else if (period === 'post') p2 = p2.add(trade.quantity);
      else {
        const price = priceOf(trade);
        if (quantity.isZero()) firstBuy = trade.date;
        movingAverage = quantity.isZero() ? price : movingAverage.mul(quantity).add(price.mul(trade.quantity)).div(quantity.add(trade.quantity));
        lots.push({ quantity: trade.quantity, unitCost: price });
        boughtShares = boughtShares.add(trade.quantity);
        boughtAmount = boughtAmount.add(price.mul(trade.quantity));
        quantity = quantity.add(trade.quantity);
      }
      continue;
    }
    const order = period === 'pre' ? ['p0'] : period === 'window' ? ['p0', 'E'] : lossCase.plan.postDisclosureSales === 'fifo' ? ['p0', 'E', 'p2'] : ['E', 'p0', 'p2'];
    const pool = (name: string) => (name === 'p0' ? p0 : name === 'p2' ? p2 : quantity);
    if (trade.quantity.gt(order.reduce((a, name) => a.add(pool(name)), ZERO))) return 'missing';
    let remaining = trade.quantity;
    for (const name of order) {
      const take = remaining.min(pool(name));
      remaining = remaining.sub(take);
      if (name === 'p0') p0 = p0.sub(take);
      else if (name === 'p2') p2 = p2.sub(take);
      else if (take.isPositive()) {
        let left = take;
        while (left.isPositive()) {
          const lot = lots[0]!;
          const used = left.min(lot.quantity);
          left = left.sub(used);
          if (used.equals(lot.quantity)) lots.shift();
          else lots[0] = { quantity: lot.quantity.sub(used), unitCost: lot.unitCost };
        }
        quantity = quantity.sub(take);
        if (method === 'actual-cost' || period === 'post') {
          // the mirror reads an index close on a sale date only where it is used
          const price = priceOf(trade);
          soldShares = soldShares.add(take);
          soldProceeds = soldProceeds.add(price.mul(take));
          if (period === 'post') {
            qSold = qSold.add(take);
            soldValue = soldValue.add(price.mul(take));
          }
        } else {
          soldShares = soldShares.add(take);
        }
        if (quantity.isZero()) {
          // E empty: its history is cleared (§4.2)
          lots = [];
          movingAverage = ZERO;
          boughtShares = boughtAmount = soldShares = soldProceeds = ZERO;
          if (period === 'window') firstBuy = null;
        }
      }
    }
  }
  snapshot ??= { eligible: quantity, price: quantity.isPositive() ? average() : null, firstBuy };
  if (afterBase >= 0 && !followPosition(p0.add(quantity).add(p2), all.slice(afterBase))) return 'missing';
  return { eligible: snapshot.eligible, averageBuyPrice: snapshot.price, sold: qSold, soldValue, held: quantity, firstBuy: snapshot.firstBuy };
}

interface SellSideFacts {
  sold: Rational;
  saleValue: Rational;
  back: Rational;
  backValue: Rational;
  firstSale: IsoDate | null;
}

function referenceSellSide(records: InvestorRecords, lossCase: LossCase, { priceOf, splits }: Pricing): SellSideFacts | 'missing' {
  let position = records.holdings ?? ZERO;
  let sold = ZERO;
  let saleValue = ZERO;
  let back = ZERO;
  let backValue = ZERO;
  let firstSale: IsoDate | null = null;
  const all = events(records, lossCase);
  const afterBase = all.findIndex((event) => event.date > lossCase.keyDates.baseDate);
  for (const event of afterBase < 0 ? all : all.slice(0, afterBase)) {
    if (event.kind === 'action') {
      position = position.mul(event.factor);
      sold = sold.mul(event.factor);
      back = back.mul(event.factor);
      if (!splits) {
        saleValue = saleValue.mul(event.factor);
        backValue = backValue.mul(event.factor);
      }
      continue;
    }
    const { trade } = event;
    const inWindow = trade.date >= IMPLEMENTATION && trade.date < DISCLOSURE;
    if (trade.side === 'S') {
      if (trade.quantity.gt(position)) return 'missing';
      position = position.sub(trade.quantity);
      if (inWindow) {
        firstSale ??= trade.date;
        sold = sold.add(trade.quantity);
        saleValue = saleValue.add(priceOf(trade).mul(trade.quantity));
      }
    } else {
      position = position.add(trade.quantity);
      if (trade.date >= DISCLOSURE) {
        const counted = trade.quantity.min(sold.sub(back));
        if (counted.isPositive()) {
          back = back.add(counted);
          backValue = backValue.add(priceOf(trade).mul(counted));
        }
      }
    }
  }
  if (afterBase >= 0 && !followPosition(position, all.slice(afterBase))) return 'missing';
  return { sold, saleValue, back, backValue, firstSale };
}

interface Expected {
  eligible: Rational;
  sold: Rational;
  held: Rational;
  averageBuyPrice: Rational | null;
  averageSellPrice: Rational | null;
  lossSold: Rational;
  /** null → ineligible. */
  loss: Rational | null;
  deduction: Rational;
  interestStart: IsoDate | null;
  /** null → zero. */
  amounts: { principal: bigint; commission: bigint; stampDuty: bigint; interest: bigint; total: bigint } | null;
}

const clamp01 = (x: Rational) => (x.lt(ZERO) ? ZERO : x.gt(Rational.ONE) ? Rational.ONE : x);
const mean = (xs: Rational[]) => xs.reduce((a, b) => a.add(b), ZERO).div(Rational.of(xs.length));

function referenceInvestor(records: InvestorRecords, lossCase: LossCase, inputs: CaseInputs): Expected | 'missing' {
  const { plan, keyDates } = lossCase;
  const basePrice = keyDates.basePrice;
  const inflated = plan.direction === 'inflated';
  const own: Pricing = { priceOf: (trade) => trade.price, splits: true };
  // the index mirror, for index j: index closes in place of prices; nothing splits
  const indexPricing = (j: string): Pricing => ({ priceOf: (trade) => inputs.indexCloses.get(j)!.get(trade.date)!, splits: false });
  const baseWindow = inputs.market.filter((day) => day.date >= keyDates.firstTradingDay && day.date <= keyDates.baseDate);
  const indexBase = (j: string) => mean(baseWindow.map((day) => inputs.indexCloses.get(j)!.get(day.date)!));

  // the two legs: [sold | bought back, held | not bought back], each with its exit price
  let eligible: Rational, sold: Rational, held: Rational, entry: Rational | null, exits: [Rational | null, Rational];
  let lossSold: Rational, lossHeld: Rational, start: IsoDate | null;
  let averageBuyPrice: Rational | null, averageSellPrice: Rational | null;
  let mirror: (j: string) => { entry: Rational; exits: [Rational | null, Rational] };
  if (inflated) {
    const facts = referenceBuySide(records, lossCase, own);
    if (facts === 'missing') return 'missing';
    ({ eligible, sold, held } = facts);
    entry = facts.averageBuyPrice;
    const sellPrice = sold.isPositive() ? facts.soldValue.div(sold) : null;
    averageBuyPrice = entry;
    averageSellPrice = sellPrice;
    exits = [sellPrice, basePrice];
    lossSold = entry === null ? ZERO : entry.mul(sold).sub(facts.soldValue);
    lossHeld = entry === null ? ZERO : entry.sub(basePrice).mul(held);
    start = facts.firstBuy;
    mirror = (j) => {
      const m = referenceBuySide(records, lossCase, indexPricing(j)) as BuySideFacts;
      return { entry: m.averageBuyPrice!, exits: [m.sold.isPositive() ? m.soldValue.div(m.sold) : null, indexBase(j)] };
    };
    if (!eligible.isPositive() || entry === null) {
      return { eligible, sold, held, averageBuyPrice, averageSellPrice, lossSold, loss: null, deduction: ZERO, interestStart: null, amounts: null };
    }
  } else {
    const facts = referenceSellSide(records, lossCase, own);
    if (facts === 'missing') return 'missing';
    eligible = facts.sold;
    sold = facts.back;
    held = facts.sold.sub(facts.back);
    if (!eligible.isPositive()) {
      return { eligible, sold, held, averageBuyPrice: null, averageSellPrice: null, lossSold: ZERO, loss: null, deduction: ZERO, interestStart: null, amounts: null };
    }
    entry = facts.saleValue.div(facts.sold);
    const backPrice = facts.back.isPositive() ? facts.backValue.div(facts.back) : null;
    averageBuyPrice = backPrice;
    averageSellPrice = entry;
    exits = [backPrice, basePrice];
    lossSold = facts.backValue.sub(entry.mul(facts.back));
    lossHeld = basePrice.sub(entry).mul(held);
    start = facts.firstSale;
    mirror = (j) => {
      const m = referenceSellSide(records, lossCase, indexPricing(j)) as SellSideFacts;
      return { entry: m.saleValue.div(m.sold), exits: [m.back.isPositive() ? m.backValue.div(m.back) : null, indexBase(j)] };
    };
  }
  const loss = lossSold.add(lossHeld);

  // §5: a ratio per positive leg
  const change = (from: Rational, to: Rational) => (inflated ? from.sub(to) : to.sub(from)).div(from);
  const legLosses = [lossSold, lossHeld];
  const risk = plan.riskDeduction;
  let deduction = ZERO;
  legLosses.forEach((legLoss, i) => {
    if (!legLoss.isPositive()) return;
    let k = ZERO;
    if (risk.method === 'fixed') k = risk.ratio;
    else if (risk.method === 'per-investor') k = records.ratio!;
    else if (risk.method === 'index-comparison') {
      const exit = exits[i as 0 | 1];
      const stock = entry !== null && entry.isPositive() && exit !== null ? change(entry, exit) : null;
      if (stock !== null && stock.isPositive()) {
        const runs = risk.indices.map(mirror);
        if (runs.every((run) => run.entry.isPositive())) {
          const market = mean(runs.map((run) => change(run.entry, run.exits[i as 0 | 1]!)));
          if (market.isPositive()) k = market.div(stock);
        }
      }
    }
    deduction = deduction.add(legLoss.mul(clamp01(k)));
  });
  const after = loss.sub(deduction);
  const base = { eligible, sold, held, averageBuyPrice, averageSellPrice, lossSold, loss, deduction, interestStart: start };
  if (!loss.isPositive() || !after.isPositive()) return { ...base, amounts: null };

  // §6: fees, and interest day by day over (start, base date]
  const commission = after.mul(plan.commissionRate);
  const stamp = after.mul(lossCase.stampDutyRate);
  let rateDays = ZERO;
  if (plan.interestRates !== null && start !== null) {
    for (let day = addDays(start, 1); day <= keyDates.baseDate; day = addDays(day, 1)) {
      const entryInForce = plan.interestRates.filter((rate) => rate.from <= day).at(-1);
      if (entryInForce) rateDays = rateDays.add(entryInForce.rate);
    }
  }
  const interest = after.add(commission).add(stamp).mul(rateDays).div(Rational.of(365));
  const rounded = { principal: roundToFen(after), commission: roundToFen(commission), stampDuty: roundToFen(stamp), interest: roundToFen(interest) };
  return { ...base, amounts: { ...rounded, total: rounded.principal + rounded.commission + rounded.stampDuty + rounded.interest } };
}
