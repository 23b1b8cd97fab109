import type { ComponentChildren } from 'preact';
import type { CalculationSheet, SheetEvent, SheetNumber, SheetPools } from '../../domain/loss/calculation-sheet.ts';
import { renderCalculationSheet, sheetReasonText, sheetWords } from '../../io/calculation-sheet-text.ts';
import { paren, say, type Lang } from '../i18n.ts';
import { Facts, Money, Section, StatusTag } from './ui.tsx';

/**
 * One investor's calculation sheet (计算明细表): the key dates, every trade and what it did to the
 * pools, the two legs of the loss, the market-risk deduction index by index, the fees, interest and
 * total. The figures are the engine's, as stored with the run; the plain-text sheet (the same one
 * the CLI and the PDF print) follows for a reader who wants every formula spelt out.
 *
 * `level` is the rank of the parts' headings: 2 where the sheet is the page (the console), 3 where
 * it sits in a section of its own (the investor's offer).
 */
export function CalculationSheetView(props: { lang: Lang; sheet: CalculationSheet; level: 2 | 3 }) {
  const { lang, sheet, level } = props;
  return (
    <>
      <KeyDates lang={lang} sheet={sheet} level={level} />
      <History lang={lang} sheet={sheet} level={level} />
      <Loss lang={lang} sheet={sheet} level={level} />
      <Deduction lang={lang} sheet={sheet} level={level} />
      <Compensation lang={lang} sheet={sheet} level={level} />
      <Part level={level} id="sheet-text" title={say(lang, '文本计算表', 'The sheet as text')}>
        <details>
          <summary>{say(lang, '展开逐项公式与数字（与 PDF 和命令行输出相同）', 'Show every formula with its numbers (as the PDF and the CLI print it)')}</summary>
          <pre>{renderCalculationSheet(sheet, lang)}</pre>
        </details>
      </Part>
    </>
  );
}

interface PartProps {
  lang: Lang;
  sheet: CalculationSheet;
  level: 2 | 3;
}

function Heading(props: { level: number; id?: string; children: ComponentChildren }) {
  const Tag = `h${Math.min(props.level, 6)}` as 'h2';
  return <Tag id={props.id}>{props.children}</Tag>;
}

/** A part of the sheet: a card of the page at level 2, a titled section inside another at level 3. */
function Part(props: { level: 2 | 3; id: string; title: string; children: ComponentChildren }) {
  if (props.level === 2) return <Section id={props.id} title={props.title}>{props.children}</Section>;
  return (
    <section id={props.id} aria-labelledby={`${props.id}-title`}>
      <Heading level={3} id={`${props.id}-title`}>{props.title}</Heading>
      {props.children}
    </section>
  );
}

function num(value: SheetNumber | null): string {
  return value === null ? '—' : value.value;
}

/** A displayed number with its exact value as a tooltip where rounding hid it. */
function Exact(props: { value: SheetNumber | null }) {
  if (props.value === null) return <>—</>;
  const rounded = props.value.exact.includes('/');
  return rounded ? <abbr title={props.value.exact}>{props.value.value}</abbr> : <>{props.value.value}</>;
}

/** Why the sheet computes nothing, or nothing payable, in words. */

/** The head of a sheet: whose, which security, under which rules, and the result. Also shown with an offer. */
export function SheetSummary(props: { lang: Lang; sheet: CalculationSheet; totalFen: bigint }) {
  const { lang, sheet } = props;
  return (
    <Facts items={[
      [say(lang, '投资者', 'Investor'), sheet.investor],
      [say(lang, '证券', 'Security'), `${sheet.security.code} ${sheet.security.name}`],
      [say(lang, '虚假陈述类型', 'Misstatement'), sheetWords(lang).direction[sheet.direction]],
      [say(lang, '适用规定', 'Rules'), sheetWords(lang).ruleSet[sheet.ruleSet]],
      [say(lang, '系统风险扣除方法', 'Market-risk deduction'), `${sheetWords(lang).deductionMethod[sheet.methods.riskDeduction]}${sheet.methods.indices.length > 0 ? paren(lang, sheet.methods.indices.join(say(lang, '、', ', '))) : sheet.methods.fixedRatio ? paren(lang, sheet.methods.fixedRatio.value) : ''}`],
      [say(lang, '结果', 'Result'), <StatusTag lang={lang} of="result" status={sheet.status} />],
      [say(lang, '赔付合计', 'Total'), <span id="sheet-total"><Money fen={props.totalFen} /></span>],
      ...(sheet.status === 'payable' ? [] : [[say(lang, '原因', 'Reason'), sheetReasonText(sheet, lang)] as [string, string]]),
    ]} />
  );
}

function KeyDates(props: PartProps) {
  const { lang } = props;
  const kd = props.sheet.keyDates;
  const rule = kd.baseDateRule;
  const baseRule = rule.kind === 'plan'
    ? say(lang, '由方案确定', 'fixed by the plan')
    : rule.kind === 'turnover'
      ? say(lang, `第 ${rule.baseDay} 个交易日：累计成交量 ${rule.cumulativeVolume} 股达到首日流通股数 ${rule.float} 股`, `trading day ${rule.baseDay}: cumulative volume ${rule.cumulativeVolume} reached the float of ${rule.float} shares`)
      : say(lang, `第 ${rule.baseDay} 个交易日：累计成交量 ${rule.cumulativeVolume} 股未达到首日流通股数 ${rule.float} 股`, `trading day ${rule.baseDay}: cumulative volume ${rule.cumulativeVolume} did not reach the float of ${rule.float} shares`);
  const basePrice = kd.basePriceSource === 'plan'
    ? say(lang, '由方案确定', 'fixed by the plan')
    : say(lang, `${kd.baseWindowDays} 个交易日收盘价的平均值 ${num(kd.basePriceMean)}`, `mean close of ${kd.baseWindowDays} trading days, ${num(kd.basePriceMean)}`);
  return (
    <Part level={props.level} id="key-dates" title={say(lang, '一、三日一价', '1. Key dates and base price')}>
      <Facts items={[
        [say(lang, '实施日', 'Implementation date'), kd.implementationDate],
        [say(lang, '揭露日', 'Disclosure date'), kd.disclosureDate],
        [say(lang, '首个交易日', 'First trading day'), kd.firstTradingDay],
        [say(lang, '基准日', 'Base date'), <>{kd.baseDate}<br /><span class="muted">{baseRule}</span></>],
        [say(lang, '基准价', 'Base price'), <><Exact value={kd.basePrice} /><br /><span class="muted">{basePrice}</span></>],
        [say(lang, '印花税率', 'Stamp duty rate'), kd.stampDutyRate],
      ]} />
    </Part>
  );
}

function poolsText(pools: SheetPools | null): string {
  if (pools === null) return '—';
  return `P0 ${pools.preWindow} · E ${pools.eligible} · P2 ${pools.late}`;
}

function takenText(pools: SheetPools): string {
  const parts = [['P0', pools.preWindow], ['E', pools.eligible], ['P2', pools.late]].filter(([, quantity]) => quantity !== '0');
  return parts.length === 0 ? '—' : parts.map(([pool, quantity]) => `${pool} −${quantity}`).join(', ');
}

const POOL_NAMES: Record<string, string> = { 'pre-window': 'P0', eligible: 'E', late: 'P2' };

function History(props: PartProps) {
  const { lang, sheet } = props;
  const buySide = sheet.direction === 'inflated';
  const side = (s: 'B' | 'S') => (s === 'B' ? say(lang, '买入', 'buy') : say(lang, '卖出', 'sell'));
  const row = (event: SheetEvent, index: number) => {
    switch (event.kind) {
      case 'holdings':
        return <tr key={index}><td>—</td><td>{say(lang, '实施日开盘前', 'start of implementation date')}</td><td>—</td><td>{say(lang, '持股', 'held')}</td><td class="num">{event.quantity}</td><td class="num">—</td><td>holdings.csv</td><td>→ P0</td><td>{buySide ? poolsText({ preWindow: event.quantity, eligible: '0', late: '0' }) : event.quantity}</td><td class="num">—</td></tr>;
      case 'bonus':
        return <tr key={index}><td>—</td><td>{event.date}</td><td>—</td><td>{say(lang, '送转', 'bonus')}</td><td class="num">{say(lang, `每股 ${event.ratio}`, `${event.ratio} per share`)}</td><td class="num">—</td><td>—</td><td>× {event.factor}</td><td>{poolsText(event.pools)}</td><td class="num"><Exact value={event.average} /></td></tr>;
      case 'ignored':
        return <tr key={index}><td class="num">{event.trade.line}</td><td>{event.trade.time.replace('T', ' ')}</td><td>{event.trade.account}</td><td>{side(event.trade.side)}</td><td class="num">{event.trade.quantity}</td><td class="num">{event.trade.price}</td><td>{say(lang, '不计', 'ignored')}</td><td colSpan={3}>{say(lang, '实施日前持股以 holdings.csv 为准', 'holdings.csv gives the pre-window position')}</td></tr>;
      case 'missing-position':
        return <tr key={index} class="breach"><td class="num">{event.trade.line}</td><td>{event.trade.time.replace('T', ' ')}</td><td>{event.trade.account}</td><td>{side(event.trade.side)}</td><td class="num">{event.trade.quantity}</td><td class="num">{event.trade.price}</td><td>{say(lang, '持仓缺失', 'missing position')}</td><td colSpan={3}>{say(lang, `可卖出仅 ${event.available}`, `only ${event.available} available`)}</td></tr>;
      case 'trade': {
        const moved = buySide
          ? (event.pool !== null ? `→ ${POOL_NAMES[event.pool] ?? event.pool}` : event.taken !== null ? takenText(event.taken) : '—')
          : (event.counted === null ? '—' : event.counted.role === 'eligible-sale' ? say(lang, `适格卖出 ${event.counted.quantity}`, `eligible sale ${event.counted.quantity}`) : say(lang, `买回 ${event.counted.quantity}`, `buy-back ${event.counted.quantity}`));
        return (
          <tr key={index}>
            <td class="num">{event.trade.line}</td><td>{event.trade.time.replace('T', ' ')}</td><td>{event.trade.account}</td><td>{side(event.trade.side)}</td>
            <td class="num">{event.trade.quantity}</td><td class="num">{event.trade.price}</td><td>{sheetWords(lang).period[event.period]}</td>
            <td>{moved}</td><td>{buySide ? poolsText(event.pools) : (event.position ?? '—')}</td><td class="num"><Exact value={event.average} /></td>
          </tr>
        );
      }
    }
  };
  return (
    <Part level={props.level} id="history" title={say(lang, '二、交易记录', '2. Trades')}>
      <p class="hint">{buySide
        ? say(lang, 'P0 = 实施日前持股，E = 适格股份（实施日至揭露日前买入），P2 = 揭露日后买入；各池余额与 E 均价为该笔之后的数值。', 'P0 = held before the implementation date, E = eligible (bought in the window), P2 = bought after disclosure; pools and the average of E are after the trade.')
        : say(lang, '适格卖出 = 实施日至揭露日前的卖出；买回 = 揭露日至基准日买入，以适格卖出股数为限；持仓为该笔之后的余额。', 'Eligible sale = sold in the window; buy-back = bought from disclosure to the base date, up to the shares sold; position after the trade.')}</p>
      <div class="table-wrap" role="region" aria-label={say(lang, '交易记录', 'Trades')} tabindex={0}>
        <table>
          <caption>{say(lang, '按计算引擎重放的顺序', 'In the order the engine replayed them')}</caption>
          <thead>
            <tr>
              <th scope="col" class="num">{say(lang, '行号', 'Line')}</th><th scope="col">{say(lang, '时间', 'Time')}</th><th scope="col">{say(lang, '账户', 'Account')}</th>
              <th scope="col">{say(lang, '买卖', 'Side')}</th><th scope="col" class="num">{say(lang, '数量', 'Quantity')}</th><th scope="col" class="num">{say(lang, '价格', 'Price')}</th>
              <th scope="col">{say(lang, '期间', 'Period')}</th><th scope="col">{buySide ? say(lang, '股份变动', 'Pools moved') : say(lang, '计入', 'Counted')}</th>
              <th scope="col">{buySide ? say(lang, '该笔之后', 'After the trade') : say(lang, '持仓', 'Position')}</th><th scope="col" class="num">{say(lang, 'E 均价', 'Average of E')}</th>
            </tr>
          </thead>
          <tbody>
            {sheet.history.length === 0
              ? <tr><td colSpan={10} class="empty">{sheet.loss === null && sheet.reasonDetail !== null ? say(lang, `未逐笔计算：${sheetReasonText(sheet, lang)}`, `Not replayed: ${sheetReasonText(sheet, lang)}`) : say(lang, '无交易记录', 'No trades')}</td></tr>
              : sheet.history.map(row)}
          </tbody>
        </table>
      </div>
    </Part>
  );
}

function Loss(props: PartProps) {
  const { lang, sheet } = props;
  const loss = sheet.loss;
  const buySide = sheet.direction === 'inflated';
  return (
    <Part level={props.level} id="loss" title={say(lang, '三、投资差额损失', '3. Investment difference loss')}>
      {loss === null ? <p>{say(lang, `不计算：${sheetReasonText(sheet, lang)}`, `Not computed: ${sheetReasonText(sheet, lang)}`)}</p> : (
        <>
          <Facts items={buySide ? [
            [say(lang, '揭露日持有的适格股份', 'Eligible shares held at disclosure'), loss.eligibleShares],
            [say(lang, '买入均价 P_buy', 'Average buy price P_buy'), <Exact value={loss.averageBuyPrice} />],
            [say(lang, '揭露日至基准日卖出 Q_sold', 'Sold from disclosure to base date Q_sold'), loss.soldAfterDisclosure],
            [say(lang, '卖出均价 P_sell', 'Average sell price P_sell'), <Exact value={loss.averageSellPrice} />],
            [say(lang, '基准日仍持有 Q_held', 'Held at the base date Q_held'), loss.heldAtBase],
            [say(lang, '基准价', 'Base price'), <Exact value={loss.basePrice} />],
          ] : [
            [say(lang, '实施日至揭露日前卖出的股份', 'Shares sold in the window'), loss.eligibleShares],
            [say(lang, '卖出均价 P_sell', 'Average sell price P_sell'), <Exact value={loss.averageSellPrice} />],
            [say(lang, '揭露日至基准日买回 Q_back', 'Bought back Q_back'), loss.soldAfterDisclosure],
            [say(lang, '买回均价 P_back', 'Average buy-back price P_back'), <Exact value={loss.averageBuyPrice} />],
            [say(lang, '未买回 Q_not_back', 'Not bought back Q_not_back'), loss.heldAtBase],
            [say(lang, '基准价', 'Base price'), <Exact value={loss.basePrice} />],
          ]} />
          <div class="table-wrap" role="region" aria-label={say(lang, '损失的两部分', 'The two legs')} tabindex={0}>
            <table>
              <caption>{say(lang, '损失 = (被减数 − 减数) × 数量', 'Loss = (minuend − subtrahend) × quantity')}</caption>
              <thead><tr>
                <th scope="col">{say(lang, '部分', 'Leg')}</th><th scope="col">{say(lang, '公式', 'Formula')}</th><th scope="col" class="num">{say(lang, '数量', 'Quantity')}</th>
                <th scope="col" class="num">{say(lang, '被减数', 'Minuend')}</th><th scope="col" class="num">{say(lang, '减数', 'Subtrahend')}</th><th scope="col" class="num">{say(lang, '损失（元）', 'Loss (yuan)')}</th>
              </tr></thead>
              <tbody>
                {loss.legs.map((leg) => (
                  <tr key={leg.name}>
                    <th scope="row">{sheetWords(lang).leg[leg.name]}</th><td><code>{sheetWords(lang).legFormula[leg.name]}</code></td><td class="num">{leg.quantity}</td>
                    <td class="num"><Exact value={leg.minuend} /></td><td class="num"><Exact value={leg.subtrahend} /></td><td class="num"><Exact value={leg.loss} /></td>
                  </tr>
                ))}
                <tr><th scope="row" colSpan={5}>{say(lang, '投资差额损失 L', 'Investment difference loss L')}</th><td class="num"><strong><Exact value={loss.total} /></strong></td></tr>
              </tbody>
            </table>
          </div>
        </>
      )}
    </Part>
  );
}

function Deduction(props: PartProps) {
  const { lang, sheet } = props;
  const deduction = sheet.deduction;
  const method = sheetWords(lang).deductionMethod[sheet.methods.riskDeduction];
  return (
    <Part level={props.level} id="deduction" title={say(lang, `四、系统风险扣除：${method}`, `4. Market-risk deduction: ${method}`)}>
      {deduction === null ? <p>{say(lang, `不计算：${sheetReasonText(sheet, lang)}`, `Not computed: ${sheetReasonText(sheet, lang)}`)}</p>
        : deduction.legs.length === 0 ? <p>{say(lang, '没有损失为正的部分，不扣除。', 'No leg with a positive loss: nothing to deduct.')}</p>
        : (
          <>
            {deduction.legs.map((leg) => (
              <div key={leg.leg}>
                <Heading level={props.level + 1}>{sheetWords(lang).leg[leg.leg]}</Heading>
                <Facts items={[
                  [say(lang, '损失', 'Loss'), <Exact value={leg.loss} />],
                  ...(leg.entryPrice !== null ? [[say(lang, '个股进出价格', 'Stock entry and exit'), <><Exact value={leg.entryPrice} /> → <Exact value={leg.exitPrice} /></>] as [string, ComponentChildren]] : []),
                  [sheet.direction === 'inflated' ? say(lang, '个股跌幅 r_s', 'Stock fall r_s') : say(lang, '个股涨幅 r_s', 'Stock rise r_s'), <Exact value={leg.stockChange} />],
                  [sheet.direction === 'inflated' ? say(lang, '市场跌幅 r_m', 'Market fall r_m') : say(lang, '市场涨幅 r_m', 'Market rise r_m'), <Exact value={leg.marketChange} />],
                  [say(lang, '扣除比例 k', 'Ratio k'), <Exact value={leg.ratio} />],
                  [say(lang, '扣除金额', 'Deduction'), <Exact value={leg.amount} />],
                ]} />
                {leg.indices.length > 0 ? (
                  <div class="table-wrap" role="region" aria-label={`${sheetWords(lang).leg[leg.leg]} ${say(lang, '指数', 'indices')}`} tabindex={0}>
                    <table>
                      <caption>{say(lang, '参照指数的同期变动', 'The reference indices over the same days')}</caption>
                      <thead><tr>
                        <th scope="col">{say(lang, '指数', 'Index')}</th><th scope="col" class="num">{say(lang, '进入点位', 'Entry level')}</th>
                        <th scope="col" class="num">{say(lang, '退出点位', 'Exit level')}</th><th scope="col" class="num">{sheet.direction === 'inflated' ? say(lang, '跌幅', 'Fall') : say(lang, '涨幅', 'Rise')}</th>
                      </tr></thead>
                      <tbody>
                        {leg.indices.map((change) => (
                          <tr key={change.index}><th scope="row">{change.index}</th><td class="num"><Exact value={change.entry} /></td><td class="num"><Exact value={change.exit} /></td><td class="num"><Exact value={change.change} /></td></tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                ) : null}
              </div>
            ))}
            <p><strong>{say(lang, '系统风险扣除 D = ', 'Market-risk deduction D = ')}<Exact value={deduction.amount} /></strong>
              {deduction.ratio !== null ? <span class="muted">{say(lang, `（综合扣除比例 ${deduction.ratio.value}）`, ` (overall ratio ${deduction.ratio.value})`)}</span> : null}</p>
          </>
        )}
    </Part>
  );
}

function Compensation(props: PartProps) {
  const { lang, sheet } = props;
  const c = sheet.compensation;
  const interest = c.interestDetail;
  const rows: [string, string, ComponentChildren][] = [
    [say(lang, '本金', 'Principal'), say(lang, '投资差额损失 − 系统风险扣除', 'investment difference loss − market-risk deduction'), <Exact value={c.principal} />],
    [say(lang, '佣金', 'Commission'), say(lang, `费率 ${c.commissionRate}`, `rate ${c.commissionRate}`), <Exact value={c.commission} />],
    [say(lang, '印花税', 'Stamp duty'), say(lang, `税率 ${c.stampDutyRate}${c.stampDutyByDate ? '（按基准日税率）' : ''}`, `rate ${c.stampDutyRate}${c.stampDutyByDate ? ' (rate on the base date)' : ''}`), <Exact value={c.stampDuty} />],
    [say(lang, '利息', 'Interest'), !c.interestInPlan ? say(lang, '方案不计利息', 'the plan pays no interest') : interest === null ? say(lang, '不计息', 'no interest')
      : say(lang, `(本金 + 佣金 + 印花税) ${interest.base.value} × 年化系数 ${interest.yearFraction.value}；自 ${interest.start} 次日起至 ${interest.end} 共 ${interest.days} 天`,
        `(principal + commission + stamp duty) ${interest.base.value} × year fraction ${interest.yearFraction.value}; ${interest.days} days from the day after ${interest.start} to ${interest.end}`), <Exact value={c.interest} />],
  ];
  return (
    <Part level={props.level} id="compensation" title={say(lang, '五、赔付金额', '5. Compensation')}>
      <div class="table-wrap" role="region" aria-label={say(lang, '赔付金额', 'Compensation')} tabindex={0}>
        <table>
          <caption>{say(lang, '各项由精确值四舍五入到分，合计为各项之和', 'Each amount is rounded to the fen from its exact value; the total is their sum')}</caption>
          <thead><tr><th scope="col">{say(lang, '项目', 'Item')}</th><th scope="col">{say(lang, '依据', 'How')}</th><th scope="col" class="num">{say(lang, '金额（元）', 'Amount (yuan)')}</th></tr></thead>
          <tbody>
            {rows.map(([label, how, amount]) => <tr key={label}><th scope="row">{label}</th><td>{how}</td><td class="num">{amount}</td></tr>)}
            <tr><th scope="row" colSpan={2}>{say(lang, '合计', 'Total')}</th><td class="num"><strong>{c.total}</strong></td></tr>
          </tbody>
        </table>
      </div>
    </Part>
  );
}
