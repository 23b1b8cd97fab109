import type { CalculationSheet, SheetEvent, SheetNumber } from '../../domain/loss/calculation-sheet.ts';
import { renderCalculationSheet } from '../../io/calculation-sheet-text.ts';
import { say, type Lang } from '../i18n.ts';

const PERIOD: Record<string, { zh: string; en: string }> = {
  'pre-window': { zh: '实施日前', en: 'before implementation' },
  window: { zh: '实施日至揭露日前', en: 'implementation to disclosure' },
  'post-disclosure': { zh: '揭露日至基准日', en: 'disclosure to base date' },
  'after-base': { zh: '基准日后', en: 'after the base date' },
};
const POOL: Record<string, { zh: string; en: string }> = {
  'pre-window': { zh: '实施日前持股', en: 'pre-window pool' },
  eligible: { zh: '适格买入 E', en: 'eligible pool E' },
  late: { zh: '揭露日后买入', en: 'late pool' },
};
const LEG: Record<string, { zh: string; en: string }> = {
  sold: { zh: '揭露日后卖出部分', en: 'sold after disclosure' },
  held: { zh: '基准日仍持有部分', en: 'held at the base date' },
  'bought-back': { zh: '买回部分', en: 'bought back' },
  'not-bought-back': { zh: '未买回部分', en: 'not bought back' },
};

const shown = (number: SheetNumber | null | undefined) => number?.value ?? '—';

function TradeRow(props: { lang: Lang; event: SheetEvent }) {
  const { lang, event } = props;
  if (event.kind === 'holdings') {
    return <tr><td colSpan={3}>{say(lang, '实施日前持股', 'holdings before implementation')}</td><td class="num">{event.quantity}</td><td colSpan={5}></td></tr>;
  }
  if (event.kind === 'bonus') {
    return <tr><td>{event.date}</td><td colSpan={2}>{say(lang, `送转股 每股 ${event.ratio}`, `bonus shares ${event.ratio} per share`)}</td><td class="num">×{event.factor}</td><td></td><td></td><td></td><td class="num">{event.eligible ?? '—'}</td><td class="num">{shown(event.average)}</td></tr>;
  }
  const trade = event.trade;
  const side = trade.side === 'B' ? say(lang, '买入', 'buy') : say(lang, '卖出', 'sell');
  if (event.kind !== 'trade') {
    const why = event.kind === 'ignored' ? say(lang, '已由持股数据替代', 'replaced by the holdings') : say(lang, `持股不足（可卖 ${event.available}）`, `short position (had ${event.available})`);
    return <tr><td>{trade.time.replace('T', ' ')}</td><td>{side}</td><td>{trade.account}</td><td class="num">{trade.quantity}</td><td class="num">{trade.price}</td><td colSpan={4}>{why}</td></tr>;
  }
  return (
    <tr>
      <td>{trade.time.replace('T', ' ')}</td>
      <td>{side}</td>
      <td>{trade.account}</td>
      <td class="num">{trade.quantity}</td>
      <td class="num">{trade.price}</td>
      <td>{PERIOD[event.period]![lang]}</td>
      <td>{event.pool ? POOL[event.pool]![lang] : event.counted ? (event.counted.role === 'eligible-sale' ? say(lang, `计入卖出 ${event.counted.quantity}`, `counted sale ${event.counted.quantity}`) : say(lang, `计入买回 ${event.counted.quantity}`, `counted buy-back ${event.counted.quantity}`)) : event.taken ? say(lang, `卖出：实施日前 ${event.taken.preWindow}，适格 ${event.taken.eligible}，揭露后 ${event.taken.late}`, `sold from: pre-window ${event.taken.preWindow}, eligible ${event.taken.eligible}, late ${event.taken.late}`) : '—'}</td>
      <td class="num">{event.eligible ?? event.position ?? '—'}</td>
      <td class="num">{shown(event.average)}</td>
    </tr>
  );
}

/**
 * An investor's calculation sheet (计算明细表) as a page section: the key dates, every trade with
 * its period, pool and the average after it, the two legs, the market-risk deduction index by
 * index, fees and the total — then the full text sheet, word for word as `redress explain` prints it.
 */
export function CalculationSheetView(props: { lang: Lang; sheet: CalculationSheet }) {
  const { lang, sheet } = props;
  const kd = sheet.keyDates;
  const buySide = sheet.direction === 'inflated';
  return (
    <div class="sheet">
      <h3>{say(lang, '一、关键日期与基准价', '1. Key dates and base price')}</h3>
      <dl class="facts">
        <div><dt>{say(lang, '实施日', 'Implementation date')}</dt><dd>{kd.implementationDate}</dd></div>
        <div><dt>{say(lang, '揭露日', 'Disclosure date')}</dt><dd>{kd.disclosureDate}</dd></div>
        <div><dt>{say(lang, '基准日', 'Base date')}</dt><dd>{kd.baseDate}</dd></div>
        <div><dt>{say(lang, '基准价', 'Base price')}</dt><dd>{kd.basePrice.value}</dd></div>
      </dl>

      <h3>{say(lang, '二、交易记录', '2. Trades')}</h3>
      <div class="table-wrap" role="region" aria-label={say(lang, '交易记录', 'Trades')} tabindex={0}>
        <table>
          <caption>{buySide ? say(lang, '每笔交易所属期间、计入的股份池，以及交易后的适格持股和买入均价', 'Each trade\'s period, the pool it went to or came from, and the eligible shares and average buy price after it') : say(lang, '每笔交易所属期间及计入情况', 'Each trade\'s period and how it counts')}</caption>
          <thead>
            <tr>
              <th scope="col">{say(lang, '时间', 'Time')}</th><th scope="col">{say(lang, '方向', 'Side')}</th><th scope="col">{say(lang, '证券账户', 'Account')}</th>
              <th scope="col" class="num">{say(lang, '数量', 'Quantity')}</th><th scope="col" class="num">{say(lang, '价格', 'Price')}</th>
              <th scope="col">{say(lang, '期间', 'Period')}</th><th scope="col">{say(lang, '股份池', 'Pool')}</th>
              <th scope="col" class="num">{buySide ? say(lang, '适格持股 E', 'Eligible E') : say(lang, '持仓', 'Position')}</th>
              <th scope="col" class="num">{say(lang, '买入均价', 'Average')}</th>
            </tr>
          </thead>
          <tbody>{sheet.history.length === 0 ? <tr><td colSpan={9} class="empty">{say(lang, '无交易记录', 'No trades')}</td></tr> : sheet.history.map((event) => <TradeRow lang={lang} event={event} />)}</tbody>
        </table>
      </div>

      <h3>{say(lang, '三、投资差额损失', '3. Investment difference loss')}</h3>
      {sheet.loss === null ? <p>{say(lang, '未计算：', 'Not computed: ')}{sheet.reason}</p> : (
        <div class="table-wrap" role="region" aria-label={say(lang, '投资差额损失', 'Loss')} tabindex={0}>
          <table>
            <caption>{say(lang, `损失 =（被减数 − 减数）× 股数；基准价 ${sheet.loss.basePrice.value}`, `loss = (minuend − subtrahend) × shares; base price ${sheet.loss.basePrice.value}`)}</caption>
            <thead><tr><th scope="col">{say(lang, '部分', 'Leg')}</th><th scope="col" class="num">{say(lang, '股数', 'Shares')}</th><th scope="col" class="num">{say(lang, '被减数', 'Minuend')}</th><th scope="col" class="num">{say(lang, '减数', 'Subtrahend')}</th><th scope="col" class="num">{say(lang, '损失', 'Loss')}</th></tr></thead>
            <tbody>
              {sheet.loss.legs.map((leg) => <tr><th scope="row">{LEG[leg.name]![lang]}</th><td class="num">{leg.quantity}</td><td class="num">{shown(leg.minuend)}</td><td class="num">{shown(leg.subtrahend)}</td><td class="num">{leg.loss.value}</td></tr>)}
              <tr><th scope="row">{say(lang, '合计 L', 'Total L')}</th><td colSpan={3}></td><td class="num">{sheet.loss.total.value}</td></tr>
            </tbody>
          </table>
        </div>
      )}

      <h3>{say(lang, '四、证券市场系统风险扣除', '4. Deduction of market risk')}</h3>
      {sheet.deduction === null ? <p>{say(lang, '不扣除', 'None')}</p> : (
        <div class="table-wrap" role="region" aria-label={say(lang, '系统风险扣除', 'Deduction')} tabindex={0}>
          <table>
            <caption>{sheet.methods.indices.length > 0 ? say(lang, `对比指数：${sheet.methods.indices.join('、')}；扣除比例 k 取股价跌幅中由指数跌幅解释的部分`, `Reference indices: ${sheet.methods.indices.join(', ')}; the ratio k is the share of the stock's fall the indices explain`) : say(lang, '按方案规定的比例扣除', 'At the plan\'s ratio')}</caption>
            <thead><tr><th scope="col">{say(lang, '部分', 'Leg')}</th><th scope="col">{say(lang, '指数变化', 'Index changes')}</th><th scope="col" class="num">{say(lang, '股价变化 rₛ', 'Stock rₛ')}</th><th scope="col" class="num">{say(lang, '市场变化 rₘ', 'Market rₘ')}</th><th scope="col" class="num">k</th><th scope="col" class="num">{say(lang, '扣除额', 'Deduction')}</th></tr></thead>
            <tbody>
              {sheet.deduction.legs.map((leg) => (
                <tr>
                  <th scope="row">{LEG[leg.leg]![lang]}</th>
                  <td>{leg.indices.length === 0 ? '—' : leg.indices.map((index) => <div>{index.index}: {index.entry.value} → {index.exit.value} ({index.change.value})</div>)}</td>
                  <td class="num">{shown(leg.stockChange)}</td><td class="num">{shown(leg.marketChange)}</td><td class="num">{leg.ratio.value}</td><td class="num">{leg.amount.value}</td>
                </tr>
              ))}
              <tr><th scope="row">{say(lang, '合计 D', 'Total D')}</th><td colSpan={4}></td><td class="num">{sheet.deduction.amount.value}</td></tr>
            </tbody>
          </table>
        </div>
      )}

      <h3>{say(lang, '五、赔偿金额', '5. Compensation')}</h3>
      <div class="table-wrap" role="region" aria-label={say(lang, '赔偿金额', 'Compensation')} tabindex={0}>
        <table>
          <caption>{say(lang, '各项分别四舍五入到分，合计为各项之和', 'Each item is rounded half-up to the fen; the total is the sum of the rounded items')}</caption>
          <tbody>
            <tr><th scope="row">{say(lang, '投资差额损失（扣除后）', 'Loss after deduction')}</th><td class="num">{sheet.compensation.principal.value}</td></tr>
            <tr><th scope="row">{say(lang, `佣金（费率 ${sheet.compensation.commissionRate}）`, `Commission (rate ${sheet.compensation.commissionRate})`)}</th><td class="num">{sheet.compensation.commission.value}</td></tr>
            <tr><th scope="row">{say(lang, `印花税（税率 ${sheet.compensation.stampDutyRate}）`, `Stamp duty (rate ${sheet.compensation.stampDutyRate})`)}</th><td class="num">{sheet.compensation.stampDuty.value}</td></tr>
            {sheet.compensation.interestInPlan ? <tr><th scope="row">{say(lang, '利息', 'Interest')}</th><td class="num">{sheet.compensation.interest.value}</td></tr> : null}
            <tr><th scope="row">{say(lang, '合计（元）', 'Total (yuan)')}</th><td class="num"><strong>{sheet.compensation.total}</strong></td></tr>
          </tbody>
        </table>
      </div>

      <details>
        <summary>{say(lang, '完整计算说明（逐项公式）', 'The full calculation sheet, formula by formula')}</summary>
        <pre>{renderCalculationSheet(sheet, lang)}</pre>
      </details>
    </div>
  );
}
