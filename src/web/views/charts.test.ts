import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { PRICE_CHART_FRAME, PriceChart, PROGRESS_CHART_FRAME, PROGRESS_PARTS, ProgressChart, progressShares, SHARE_SCALE, type PriceChartProps, type ProgressChartProps } from './charts.tsx';

const utc = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** The attributes of every element of a kind whose attributes include all of `having`. */
function elements(html: string, tag: string, having: Record<string, string> = {}): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  for (const match of html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))) {
    const attributes = Object.fromEntries([...match[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((pair) => [pair[1]!, pair[2]!]));
    if (Object.entries(having).every(([name, value]) => attributes[name] === value)) found.push(attributes);
  }
  return found;
}

function only<T>(items: T[]): T {
  assert.equal(items.length, 1, `expected exactly one, found ${items.length}`);
  return items[0]!;
}

describe('progressShares', () => {
  it('gives millionths that add up exactly to the whole, with the remainder to the largest fractions', () => {
    // 1/3 each: 333333 each and one millionth left, which goes to the first by id order on a tie.
    const shares = progressShares({ paid: 1n, acceptedUnpaid: 1n, refused: 1n, disputed: 0n, open: 1n });
    const sum = PROGRESS_PARTS.reduce((total, part) => total + shares[part], 0n);
    assert.equal(sum, SHARE_SCALE);
    assert.deepEqual([shares.paid, shares.acceptedUnpaid, shares.refused, shares.disputed, shares.open].sort(), [0n, 250000n, 250000n, 250000n, 250000n].sort());
  });

  it('keeps amounts in fen exact, far beyond a float\'s integers', () => {
    // 2^60 + 1 fen and 2^60 − 1 fen: a float cannot tell them apart, bigint can.
    const big = 1n << 60n;
    const shares = progressShares({ paid: 0n, acceptedUnpaid: big + 1n, refused: big - 1n, disputed: 0n, open: 0n });
    assert.equal(shares.acceptedUnpaid + shares.refused, SHARE_SCALE);
    assert.equal(shares.acceptedUnpaid, 500000n);
    assert.equal(shares.refused, 500000n);
    const thirds = progressShares({ paid: 0n, acceptedUnpaid: 2n * big, refused: big, disputed: 0n, open: 0n });
    assert.deepEqual([thirds.acceptedUnpaid, thirds.refused], [666667n, 333333n]);
  });

  it('gives nothing when there is nothing', () => {
    const shares = progressShares({ paid: 0n, acceptedUnpaid: 0n, refused: 0n, disputed: 0n, open: 0n });
    assert.ok(PROGRESS_PARTS.every((part) => shares[part] === 0n));
  });
});

describe('ProgressChart', () => {
  // The demo case's figures: 642 accepted, 80 refused, 2 disputed, 241 open, nothing paid yet.
  const demo: ProgressChartProps = {
    lang: 'zh', id: 'p',
    accepted: { count: 642, amountFen: 454572534n },
    refused: { count: 80, amountFen: 56235529n },
    disputed: { count: 2, amountFen: 1328626n },
    open: { count: 241, amountFen: 172836273n },
    paid: { count: 100, amountFen: 70000000n },
  };
  const html = renderToString(h(ProgressChart, demo));
  const plotWidth = PROGRESS_CHART_FRAME.right - PROGRESS_CHART_FRAME.left;

  it('draws each part as wide as its integer share of the bar', () => {
    const accepted = only(elements(html, 'rect', { 'data-part': 'accepted', 'data-measure': 'count' }));
    // 642 of 965 investors: 665284.97… millionths, 665285 after the largest remainder.
    assert.equal(accepted['data-share'], '665285');
    assert.ok(Math.abs(Number(accepted['width']) - (665285 / 1e6) * plotWidth) < 1e-6);
    assert.equal(Number(accepted['x']), PROGRESS_CHART_FRAME.left);
    const refused = only(elements(html, 'rect', { 'data-part': 'refused', 'data-measure': 'count' }));
    assert.ok(Math.abs(Number(refused['x']) - (PROGRESS_CHART_FRAME.left + (665285 / 1e6) * plotWidth)) < 1e-6);
  });

  it('fills the whole bar, by count and by amount, and keeps paid inside accepted', () => {
    for (const measure of ['count', 'amount']) {
      const parts = ['accepted', 'refused', 'disputed', 'open'].map((part) => only(elements(html, 'rect', { 'data-part': part, 'data-measure': measure })));
      assert.equal(parts.reduce((sum, part) => sum + BigInt(part['data-share']!), 0n), SHARE_SCALE);
      const end = parts.at(-1)!;
      assert.ok(Math.abs(Number(end['x']) + Number(end['width']) - PROGRESS_CHART_FRAME.right) < 1e-6);
      const paid = only(elements(html, 'rect', { 'data-part': 'paid', 'data-measure': measure }));
      assert.ok(BigInt(paid['data-share']!) <= BigInt(parts[0]!['data-share']!));
    }
    const amountPaid = only(elements(html, 'rect', { 'data-part': 'paid', 'data-measure': 'amount' }));
    // 70,000,000 of 684,972,962 fen: 102193.79… millionths.
    assert.equal(amountPaid['data-share'], '102194');
  });

  it('names itself and writes the figures out for those who cannot see it', () => {
    const svg = only(elements(html, 'svg'));
    assert.equal(svg['viewBox'], `0 0 ${PROGRESS_CHART_FRAME.width} ${PROGRESS_CHART_FRAME.height}`);
    assert.equal(svg['aria-labelledby'], 'p-title p-desc');
    assert.match(html, /<title id="p-title">/);
    assert.match(html, /<desc id="p-desc">共向 965 名投资者发出要约，合计 ¥6,849,729\.62。/);
    assert.match(html, /已接受：642 人（66\.5%），¥4,545,725\.34（66\.4%）/);
  });
});

describe('PriceChart', () => {
  const props: PriceChartProps = {
    lang: 'en',
    security: { code: '003999', name: '示例科技' },
    stock: [
      { date: '2022-01-03', close: '20.00' },
      { date: '2022-02-01', close: '15.00' },
      { date: '2022-03-01', close: '12.50' },
      { date: '2022-05-02', close: '10.00' },
      { date: '2022-07-01', close: '11.00' },
    ],
    index: { code: '000001.SH', closes: [
      { date: '2022-01-03', close: '3600.00' },
      { date: '2022-03-01', close: '3240.00' },
      { date: '2022-07-01', close: '2880.00' },
    ] },
    dates: { implementation: '2022-01-03', disclosure: '2022-04-30', base: '2022-07-01' },
    trades: [
      { time: '2022-02-01T10:15:00', side: 'buy', quantity: '500', price: '15.00' },
      { time: '2022-03-01T14:00:00', side: 'buy', quantity: '300', price: '12.50' },
      { time: '2022-05-02T09:31:00', side: 'sell', quantity: '800', price: '10.00' },
    ],
  };
  const html = renderToString(h(PriceChart, props));
  const frame = PRICE_CHART_FRAME;
  const plotLeft = frame.left;
  const plotRight = frame.width - frame.right;
  // Every date lies within [2022-01-03, 2022-07-01] and every price within [10, 20]: a nice domain already.
  const xOf = (date: string) => plotLeft + ((utc(date) - utc('2022-01-03')) / (utc('2022-07-01') - utc('2022-01-03'))) * (plotRight - plotLeft);
  const yOf = (price: number) => frame.height - frame.bottom - ((price - 10) / 10) * (frame.height - frame.bottom - frame.top);

  it('puts a known close at the expected height within the viewBox', () => {
    const path = only(elements(html, 'path', { class: 'line line-stock' }))['d']!;
    const points = [...path.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((match) => [Number(match[1]), Number(match[2])] as const);
    assert.equal(points.length, 5);
    assert.ok(Math.abs(points[0]![0] - plotLeft) < 0.01);
    assert.ok(Math.abs(points[0]![1] - frame.top) < 0.01, 'the highest close, 20.00, is at the top of the plot');
    assert.ok(Math.abs(points[1]![1] - yOf(15)) < 0.01);
    assert.ok(Math.abs(points[1]![0] - xOf('2022-02-01')) < 0.01);
    assert.ok(Math.abs(points[3]![1] - (frame.height - frame.bottom)) < 0.01, 'the lowest close, 10.00, is at the bottom');
  });

  it('rebases the index to the stock\'s first close, so both lines start together', () => {
    const path = only(elements(html, 'path', { class: 'line line-index' }))['d']!;
    const points = [...path.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((match) => [Number(match[1]), Number(match[2])] as const);
    assert.ok(Math.abs(points[0]![1] - frame.top) < 0.01);
    // 3240 / 3600 × 20.00 = 18.00; 2880 / 3600 × 20.00 = 16.00.
    assert.ok(Math.abs(points[1]![1] - yOf(18)) < 0.01);
    assert.ok(Math.abs(points[2]![1] - yOf(16)) < 0.01);
    assert.match(html, /rebased to the stock's first close \(20\.00 on 2022-01-03\) so both lines start together/);
  });

  it('marks the implementation, disclosure and base dates where they fall', () => {
    const disclosure = only(elements(html, 'g', { class: 'key-date', 'data-kind': 'disclosure' }));
    assert.ok(disclosure);
    const markers = elements(html, 'line', {}).filter((line) => line['stroke-dasharray'] === '4 3');
    assert.equal(markers.length, 3);
    const [implementation, disclosed, base] = markers;
    assert.ok(Math.abs(Number(implementation!['x1']) - plotLeft) < 1e-9);
    assert.ok(Math.abs(Number(disclosed!['x1']) - xOf('2022-04-30')) < 1e-9);
    assert.ok(Math.abs(Number(base!['x1']) - plotRight) < 1e-9);
    assert.match(html, />Disclosure 2022-04-30</);
  });

  it('draws one triangle per trade: buys up, sells down, at their day and price', () => {
    const buys = elements(html, 'path', { class: 'trade trade-buy' });
    const sells = elements(html, 'path', { class: 'trade trade-sell' });
    assert.equal(buys.length, 2);
    assert.equal(sells.length, 1);
    const [, bx, by] = /translate\(([\d.]+),([\d.]+)\)/.exec(buys[0]!['transform']!)!;
    assert.ok(Math.abs(Number(bx) - xOf('2022-02-01')) < 0.01);
    assert.ok(Math.abs(Number(by) - yOf(15)) < 0.01);
    assert.doesNotMatch(buys[0]!['transform']!, /rotate/);
    assert.match(sells[0]!['transform']!, /rotate\(180\)$/);
    const [, sx] = /translate\(([\d.]+),/.exec(sells[0]!['transform']!)!;
    assert.ok(Math.abs(Number(sx) - xOf('2022-05-02')) < 0.01);
  });

  it('is scalable and described, with the trades written out', () => {
    const svg = only(elements(html, 'svg'));
    assert.equal(svg['viewBox'], `0 0 ${frame.width} ${frame.height}`);
    assert.equal(svg['role'], 'img');
    assert.match(html, /<title id="price-chart-003999-title">/);
    assert.match(html, /Your 2 buys and 1 sells are marked\./);
    assert.match(html, /<td>2022-05-02 09:31:00<\/td><td>Sell<\/td><td class="num">800<\/td><td class="num">10\.00<\/td>/);
  });

  it('draws no index line when the plan deducts no market risk', () => {
    const bare = renderToString(h(PriceChart, { ...props, lang: 'zh', index: null }));
    assert.equal(elements(bare, 'path', { class: 'line line-index' }).length, 0);
    assert.match(bare, /实施日 2022-01-03/);
  });
});
