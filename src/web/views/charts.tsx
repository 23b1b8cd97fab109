import { scaleLinear, scaleUtc } from 'd3-scale';
import { line, symbol, symbolTriangle } from 'd3-shape';
import { apportionFen } from '../../domain/money/largest-remainder.ts';
import { say, withNote, type Lang } from '../i18n.ts';
import { percent, yuan } from './ui.tsx';
import { STATUS_WORDS } from './words.ts';

/**
 * Charts drawn on the server as SVG: no script, a viewBox so that they shrink to a phone's width,
 * a <title> and a <desc> for screen readers, and the same figures written out beside them. The
 * colours are the stylesheet's (site.css), repeated here because an SVG attribute cannot read a
 * CSS variable.
 */
const COLOURS = {
  accepted: '#0f6b35',
  paid: '#0b5cad',
  refused: '#b3261e',
  disputed: '#8a5300',
  open: '#8a949f',
  stock: '#0b5cad',
  index: '#8a5300',
  buy: '#b3261e',
  sell: '#0f6b35',
  marker: '#4d5661',
  grid: '#d5dae0',
} as const;

// ───────────────────────────── Progress ─────────────────────────────

export interface ProgressTally {
  count: number;
  amountFen: bigint;
}

export interface ProgressChartProps {
  lang: Lang;
  /** Unique on the page: the SVG's title and description are named by it. */
  id: string;
  accepted: ProgressTally;
  refused: ProgressTally;
  disputed: ProgressTally;
  /** Offers made and not answered yet. */
  open: ProgressTally;
  /** Offers paid: a part of the accepted ones. */
  paid: ProgressTally;
}

/** Shares are counted in millionths of the whole, so that the parts of a bar add up exactly. */
export const SHARE_SCALE = 1_000_000n;

export type ProgressPart = 'paid' | 'acceptedUnpaid' | 'refused' | 'disputed' | 'open';
export const PROGRESS_PARTS: readonly ProgressPart[] = ['paid', 'acceptedUnpaid', 'refused', 'disputed', 'open'];

/**
 * Each part's share of the whole in millionths, by the largest-remainder method on integers, so
 * that the shares of one bar always add up to exactly SHARE_SCALE (or all are 0 when the whole is
 * nothing). Amounts stay in bigint fen throughout: a share is never computed from a float.
 */
export function progressShares(parts: Record<ProgressPart, bigint>): Record<ProgressPart, bigint> {
  const weights = PROGRESS_PARTS.map((part) => ({ id: part, weight: parts[part] < 0n ? 0n : parts[part] }));
  const total = weights.reduce((sum, entry) => sum + entry.weight, 0n);
  const shares = total === 0n ? weights.map(() => 0n) : apportionFen(SHARE_SCALE, weights);
  return Object.fromEntries(PROGRESS_PARTS.map((part, index) => [part, shares[index]!])) as Record<ProgressPart, bigint>;
}

/** The two bars' parts: paid offers are drawn inside the accepted ones, so they never exceed them. */
function progressParts(props: ProgressChartProps, measure: 'count' | 'amount'): Record<ProgressPart, bigint> {
  const of = (tally: ProgressTally) => (measure === 'count' ? BigInt(tally.count) : tally.amountFen);
  const accepted = of(props.accepted);
  const paid = of(props.paid) > accepted ? accepted : of(props.paid);
  return { paid, acceptedUnpaid: accepted - paid, refused: of(props.refused), disputed: of(props.disputed), open: of(props.open) };
}

export const PROGRESS_CHART_FRAME = { width: 640, height: 150, left: 96, right: 624, rows: [16, 72], barHeight: 36, paidHeight: 10, axisY: 124 } as const;

/**
 * How the offers stand, by number of investors and by amount: one stacked bar each, accepted
 * (with the paid part inside it), refused, disputed and not yet answered.
 */
export function ProgressChart(props: ProgressChartProps) {
  const { lang, id } = props;
  const frame = PROGRESS_CHART_FRAME;
  const x = scaleLinear().domain([0, Number(SHARE_SCALE)]).range([frame.left, frame.right]);
  const totalCount = props.accepted.count + props.refused.count + props.disputed.count + props.open.count;
  const totalFen = props.accepted.amountFen + props.refused.amountFen + props.disputed.amountFen + props.open.amountFen;
  const labels = {
    accepted: STATUS_WORDS.offer.accepted[lang],
    paid: say(lang, '其中已支付', 'of which paid'),
    refused: STATUS_WORDS.offer.refused[lang],
    disputed: STATUS_WORDS.offer.disputed[lang],
    open: STATUS_WORDS.offer.offered[lang],
  };
  const rows = (['count', 'amount'] as const).map((measure, index) => {
    const shares = progressShares(progressParts(props, measure));
    const y = frame.rows[index]!;
    // Shares are at most SHARE_SCALE, well within a float's exact integers; only the pixel is a float.
    const at = (millionths: bigint) => x(Number(millionths));
    const acceptedShare = shares.paid + shares.acceptedUnpaid;
    const segments = [
      { part: 'accepted', from: 0n, share: acceptedShare, colour: COLOURS.accepted },
      { part: 'refused', from: acceptedShare, share: shares.refused, colour: COLOURS.refused },
      { part: 'disputed', from: acceptedShare + shares.refused, share: shares.disputed, colour: COLOURS.disputed },
      { part: 'open', from: acceptedShare + shares.refused + shares.disputed, share: shares.open, colour: COLOURS.open },
    ] as const;
    return (
      <g class="progress-row" data-measure={measure}>
        <text x={frame.left - 8} y={y + frame.barHeight / 2} text-anchor="end" dominant-baseline="middle">
          {measure === 'count' ? say(lang, '人数', 'Investors') : say(lang, '金额', 'Amount')}
        </text>
        <rect x={frame.left} y={y} width={frame.right - frame.left} height={frame.barHeight} fill="#f4f6f8" stroke={COLOURS.grid} />
        {segments.map((segment) => (
          <rect class={`part part-${segment.part}`} data-part={segment.part} data-measure={measure} data-share={segment.share.toString()}
            x={at(segment.from)} y={y} width={at(segment.from + segment.share) - at(segment.from)} height={frame.barHeight} fill={segment.colour}>
            <title>{labels[segment.part]}</title>
          </rect>
        ))}
        <rect class="part part-paid" data-part="paid" data-measure={measure} data-share={shares.paid.toString()}
          x={at(0n)} y={y + frame.barHeight - frame.paidHeight} width={at(shares.paid) - at(0n)} height={frame.paidHeight} fill={COLOURS.paid}>
          <title>{labels.paid}</title>
        </rect>
      </g>
    );
  });
  const ticks = [0n, 250_000n, 500_000n, 750_000n, SHARE_SCALE];
  const figures = (tally: ProgressTally) => say(lang,
    `${tally.count} 人（${percent(tally.count, totalCount)}），${yuan(tally.amountFen)}（${percent(tally.amountFen, totalFen)}）`,
    `${tally.count} investors (${percent(tally.count, totalCount)}), ${yuan(tally.amountFen)} (${percent(tally.amountFen, totalFen)})`);
  const colon = say(lang, '：', ': ');
  const description = say(lang,
    `共向 ${totalCount} 名投资者发出要约，合计 ${yuan(totalFen)}。已接受 ${figures(props.accepted)}，其中已支付 ${props.paid.count} 人、${yuan(props.paid.amountFen)}；已拒绝 ${figures(props.refused)}；异议中 ${figures(props.disputed)}；未答复 ${figures(props.open)}。`,
    `Offers were made to ${totalCount} investors, ${yuan(totalFen)} in all. Accepted: ${figures(props.accepted)}, of which paid ${props.paid.count} investors, ${yuan(props.paid.amountFen)}; refused: ${figures(props.refused)}; disputed: ${figures(props.disputed)}; not answered: ${figures(props.open)}.`);
  return (
    <figure class="progress-chart">
      <svg class="chart" viewBox={`0 0 ${frame.width} ${frame.height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{say(lang, '赔付进度：按人数和金额', 'Progress by investors and by amount')}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((tick) => (
          <g class="tick">
            <line x1={x(Number(tick))} x2={x(Number(tick))} y1={frame.rows[0] - 4} y2={frame.axisY - 10} stroke={COLOURS.grid} />
            <text x={x(Number(tick))} y={frame.axisY} text-anchor="middle">{`${(tick * 100n) / SHARE_SCALE}%`}</text>
          </g>
        ))}
        {rows}
      </svg>
      <figcaption>
        <ul class="legend">
          <li><span class="swatch" style={`background:${COLOURS.accepted}`} aria-hidden="true"></span>{labels.accepted}{colon}{figures(props.accepted)}</li>
          <li><span class="swatch" style={`background:${COLOURS.paid}`} aria-hidden="true"></span>{labels.paid}{colon}{say(lang,
            `${props.paid.count} 人（占已接受的 ${percent(props.paid.count, props.accepted.count)}），${yuan(props.paid.amountFen)}`,
            `${props.paid.count} investors (${percent(props.paid.count, props.accepted.count)} of those accepted), ${yuan(props.paid.amountFen)}`)}</li>
          <li><span class="swatch" style={`background:${COLOURS.refused}`} aria-hidden="true"></span>{labels.refused}{colon}{figures(props.refused)}</li>
          <li><span class="swatch" style={`background:${COLOURS.disputed}`} aria-hidden="true"></span>{labels.disputed}{colon}{figures(props.disputed)}</li>
          <li><span class="swatch" style={`background:${COLOURS.open}`} aria-hidden="true"></span>{labels.open}{colon}{figures(props.open)}</li>
        </ul>
      </figcaption>
    </figure>
  );
}

// ───────────────────────────── Price ─────────────────────────────

export interface PriceChartProps {
  lang: Lang;
  security: { code: string; name: string };
  /** Daily closes of the stock, ascending by date; price is a decimal string like "21.49". */
  stock: { date: string; close: string }[];
  /** The reference index (e.g. 000001.SH) closes over the same days; null when the plan deducts no market risk. */
  index: { code: string; closes: { date: string; close: string }[] } | null;
  dates: { implementation: string; disclosure: string; base: string };
  /** The investor's own trades to plot: buys and sells at their prices. */
  trades: { time: string; side: 'buy' | 'sell'; quantity: string; price: string }[];
}

export const PRICE_CHART_FRAME = { width: 720, height: 400, top: 52, right: 16, bottom: 36, left: 56 } as const;

/** Midnight UTC of the day a date or a trade's time falls on: the chart's x is the calendar day. */
function dayOf(dateOrTime: string): Date {
  return new Date(`${dateOrTime.slice(0, 10)}T00:00:00Z`);
}

/**
 * The stock's closes with the reference index beside it, the three dates of the false statement,
 * and the investor's trades. Prices arrive as decimal strings and are turned into numbers here only
 * to place points on the picture: no amount is computed from them, and the exact prices are the
 * ones written in the labels and the table.
 */
export function PriceChart(props: PriceChartProps) {
  const { lang, security } = props;
  const frame = PRICE_CHART_FRAME;
  const id = `price-chart-${security.code.replace(/[^A-Za-z0-9_-]/g, '')}`;
  const stockName = withNote(lang, security.name, security.code);
  if (props.stock.length === 0) {
    return <p class="muted">{say(lang, `暂无${stockName}的行情数据。`, `No prices of ${stockName} to show.`)}</p>;
  }
  const first = props.stock[0]!;
  const last = props.stock.at(-1)!;
  const stockFirst = Number(first.close);
  // The index is rebased so that it starts at the stock's first close: both lines then show how
  // far each moved from the same point, which is what the market-risk deduction compares.
  const indexBase = props.index ? Number((props.index.closes.find((close) => close.date === first.date) ?? props.index.closes[0])?.close ?? NaN) : NaN;
  const rebased = props.index && Number.isFinite(indexBase) && indexBase > 0
    ? props.index.closes.map((close) => ({ date: close.date, value: (Number(close.close) / indexBase) * stockFirst }))
    : [];

  const keyDates = [
    { kind: 'implementation', date: props.dates.implementation, label: say(lang, '实施日', 'Implementation') },
    { kind: 'disclosure', date: props.dates.disclosure, label: say(lang, '揭露日', 'Disclosure') },
    { kind: 'base', date: props.dates.base, label: say(lang, '基准日', 'Base date') },
  ];
  const days = [first.date, last.date, ...keyDates.map((entry) => entry.date), ...props.trades.map((trade) => trade.time), ...rebased.map((point) => point.date)].map(dayOf);
  const x = scaleUtc()
    .domain([new Date(Math.min(...days.map(Number))), new Date(Math.max(...days.map(Number)))])
    .range([frame.left, frame.width - frame.right]);
  const prices = [...props.stock.map((close) => Number(close.close)), ...rebased.map((point) => point.value), ...props.trades.map((trade) => Number(trade.price))];
  const y = scaleLinear()
    .domain([Math.min(...prices), Math.max(...prices)])
    .nice()
    .range([frame.height - frame.bottom, frame.top]);

  const pathOf = line<{ date: string; value: number }>().x((point) => x(dayOf(point.date))).y((point) => y(point.value)).digits(2);
  const stockPath = pathOf(props.stock.map((close) => ({ date: close.date, value: Number(close.close) }))) ?? '';
  const indexPath = rebased.length > 0 ? (pathOf(rebased) ?? '') : null;
  const triangle = symbol(symbolTriangle, 72)() ?? '';
  const buys = props.trades.filter((trade) => trade.side === 'buy').length;
  const sells = props.trades.length - buys;
  const closes = props.stock.map((close) => close.close);
  const lowest = closes.reduce((low, close) => (Number(close) < Number(low) ? close : low));
  const highest = closes.reduce((high, close) => (Number(close) > Number(high) ? close : high));
  const xTicks = x.ticks(6);
  const monthly = xTicks.every((tick) => tick.getUTCDate() === 1);
  const yTicks = y.ticks(6);
  const yFormat = y.tickFormat(6);
  const sideLabel = (side: 'buy' | 'sell') => (side === 'buy' ? say(lang, '买入', 'Buy') : say(lang, '卖出', 'Sell'));

  return (
    <figure class="price-chart">
      <svg class="chart" viewBox={`0 0 ${frame.width} ${frame.height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{say(lang, `${stockName}收盘价与本人交易`, `${stockName} closing prices and your trades`)}</title>
        <desc id={`${id}-desc`}>
          {say(lang,
            `${first.date} 至 ${last.date} 的每日收盘价，最低 ${lowest} 元，最高 ${highest} 元。实施日 ${props.dates.implementation}，揭露日 ${props.dates.disclosure}，基准日 ${props.dates.base}。${props.index ? `参照指数 ${props.index.code} 已按首日收盘价折算，与股价从同一点起。` : ''}图中标出本人 ${buys} 笔买入、${sells} 笔卖出。`,
            `Daily closes from ${first.date} to ${last.date}, lowest ${lowest}, highest ${highest} (CNY). Implementation date ${props.dates.implementation}, disclosure date ${props.dates.disclosure}, base date ${props.dates.base}.${props.index ? ` The index ${props.index.code} is rebased to the stock's first close, so both lines start at the same point.` : ''} Your ${buys} buys and ${sells} sells are marked.`)}
        </desc>
        <g class="axis axis-y">
          {yTicks.map((tick) => (
            <g class="tick">
              <line x1={frame.left} x2={frame.width - frame.right} y1={round2(y(tick))} y2={round2(y(tick))} stroke={COLOURS.grid} />
              <text x={frame.left - 6} y={round2(y(tick))} text-anchor="end" dominant-baseline="middle">{yFormat(tick)}</text>
            </g>
          ))}
          <text x={4} y={frame.top - 8}>{say(lang, '元', 'CNY')}</text>
        </g>
        <g class="axis axis-x">
          <line x1={frame.left} x2={frame.width - frame.right} y1={frame.height - frame.bottom} y2={frame.height - frame.bottom} stroke={COLOURS.marker} />
          {xTicks.map((tick) => (
            <text x={round2(x(tick))} y={frame.height - frame.bottom + 16} text-anchor="middle">{tick.toISOString().slice(0, monthly ? 7 : 10)}</text>
          ))}
        </g>
        {keyDates.map((entry, index) => {
          const at = x(dayOf(entry.date));
          const labelY = 14 + index * 13;
          return (
            <g class="key-date" data-kind={entry.kind}>
              <line x1={at} x2={at} y1={labelY + 4} y2={frame.height - frame.bottom} stroke={COLOURS.marker} stroke-dasharray="4 3" />
              <text x={at} y={labelY} text-anchor={at > (frame.left + frame.width) / 2 ? 'end' : 'start'}>{`${entry.label} ${entry.date}`}</text>
            </g>
          );
        })}
        {indexPath !== null ? <path class="line line-index" d={indexPath} fill="none" stroke={COLOURS.index} stroke-width="1.5" stroke-dasharray="6 3" /> : null}
        <path class="line line-stock" d={stockPath} fill="none" stroke={COLOURS.stock} stroke-width="2" />
        {props.trades.map((trade) => {
          const tx = x(dayOf(trade.time));
          const ty = y(Number(trade.price));
          return (
            <path class={`trade trade-${trade.side}`} d={triangle} fill={trade.side === 'buy' ? COLOURS.buy : COLOURS.sell} stroke="#ffffff" stroke-width="1"
              transform={`translate(${round2(tx)},${round2(ty)})${trade.side === 'sell' ? ' rotate(180)' : ''}`}>
              <title>{`${sideLabel(trade.side)} ${trade.quantity} ${say(lang, '股', 'shares')} @ ${trade.price}${say(lang, `（${trade.time.slice(0, 10)}）`, ` (${trade.time.slice(0, 10)})`)}`}</title>
            </path>
          );
        })}
      </svg>
      <figcaption>
        <ul class="legend">
          <li><span class="swatch" style={`background:${COLOURS.stock}`} aria-hidden="true"></span>{say(lang, `${stockName}收盘价（左轴，元）`, `${stockName} close (left axis, CNY)`)}</li>
          {props.index ? (
            <li><span class="swatch" style={`background:${COLOURS.index}`} aria-hidden="true"></span>{say(lang, `${props.index.code} 指数，已按 ${first.date} 股价收盘价 ${first.close} 元折算，两线起点相同`, `${props.index.code} index, rebased to the stock's first close (${first.close} on ${first.date}) so both lines start together`)}</li>
          ) : null}
          <li><span aria-hidden="true" style={`color:${COLOURS.buy}`}>▲</span> {say(lang, '本人买入（成交日、成交价）', 'your buys (trade day, price)')}</li>
          <li><span aria-hidden="true" style={`color:${COLOURS.sell}`}>▼</span> {say(lang, '本人卖出（成交日、成交价）', 'your sells (trade day, price)')}</li>
          <li><span aria-hidden="true">┆</span> {say(lang, '实施日、揭露日、基准日', 'implementation, disclosure and base dates')}</li>
        </ul>
        <details>
          <summary>{say(lang, '图中数据', 'The data in the chart')}</summary>
          <div class="table-wrap">
            <table>
              <caption>{say(lang, '关键日期与本人交易', 'Key dates and your trades')}</caption>
              <thead><tr><th scope="col">{say(lang, '日期', 'Date')}</th><th scope="col">{say(lang, '事项', 'What')}</th><th scope="col" class="num">{say(lang, '数量（股）', 'Quantity')}</th><th scope="col" class="num">{say(lang, '价格（元）', 'Price (CNY)')}</th></tr></thead>
              <tbody>
                {keyDates.map((entry) => <tr><td>{entry.date}</td><td>{entry.label}</td><td class="num"></td><td class="num"></td></tr>)}
                {props.trades.map((trade) => <tr><td>{trade.time.replace('T', ' ')}</td><td>{sideLabel(trade.side)}</td><td class="num">{trade.quantity}</td><td class="num">{trade.price}</td></tr>)}
                <tr><td>{first.date}</td><td>{say(lang, '首个收盘价', 'first close')}</td><td class="num"></td><td class="num">{first.close}</td></tr>
                <tr><td>{last.date}</td><td>{say(lang, '最后收盘价', 'last close')}</td><td class="num"></td><td class="num">{last.close}</td></tr>
              </tbody>
            </table>
          </div>
        </details>
      </figcaption>
    </figure>
  );
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
