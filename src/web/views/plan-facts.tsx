import type { ComponentChildren } from 'preact';
import type { PlanDocument } from '../../domain/plan/plan-document.ts';
import { paren, say, type Bilingual, type Lang } from '../i18n.ts';
import { maskInvestorId } from '../mask.ts';
import { yuan } from './ui.tsx';
import { DEADLINE_NAMES } from './words.ts';

/** A plan document (赔付方案) in words, as label–value pairs: its loss parameters, fund and timetable. */

/** A rate written as a decimal ("0.0003") as a percentage ("0.03%"), by moving the point: exact. */
export function decimalPercent(text: string): string {
  const [whole = '0', fraction = ''] = text.split('.');
  const digits = whole + fraction.padEnd(2, '0');
  const pointAt = whole.length + 2;
  const integer = digits.slice(0, pointAt).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(pointAt).replace(/0+$/, '');
  return `${integer}${rest ? `.${rest}` : ''}%`;
}

type LossParameters = PlanDocument['lossParameters'];

const AVERAGE_PRICE: Record<LossParameters['averagePrice'], Bilingual> = {
  'moving-weighted-average': { zh: '移动加权平均法', en: 'moving weighted average' },
  fifo: { zh: '先进先出法', en: 'first in, first out' },
  'actual-cost': { zh: '实际成本法', en: 'actual cost' },
  'weighted-buys': { zh: '买入加权平均法', en: 'weighted average of the buys' },
};

/**
 * The loss parameters of a plan in words, as label–value pairs. The plan may exclude investors by
 * id (the liable persons and their relations); a public page shows those ids masked.
 */
export function lossParameterFacts(lang: Lang, parameters: LossParameters): [string, string][] {
  const risk = parameters.riskDeduction;
  const riskText =
    risk.method === 'none' ? say(lang, '不扣除证券市场系统风险', 'no deduction for market risk')
      : risk.method === 'fixed' ? say(lang, `按固定比例 ${decimalPercent(risk.ratio)} 扣除`, `a fixed ${decimalPercent(risk.ratio)} is deducted`)
        : risk.method === 'index-comparison' ? say(lang, `以参照指数 ${risk.indices.join('、')} 与个股同期涨跌对比扣除`, `deducted by comparing the stock with the indices ${risk.indices.join(', ')} over the same days`)
          : say(lang, '逐个投资者按其持股期间计算扣除比例', 'a ratio computed for each investor over their holding period');
  const stampDuty = parameters.fees.stampDutyRate === 'by-date' ? say(lang, '按成交日适用的税率', 'the rate in force on each trade day') : decimalPercent(parameters.fees.stampDutyRate);
  const interest = parameters.interest === null
    ? say(lang, '不计利息', 'no interest')
    : parameters.interest.annualRates.map((entry) => say(lang, `自 ${entry.from} 起年利率 ${decimalPercent(entry.rate)}`, `${decimalPercent(entry.rate)} a year from ${entry.from}`)).join(say(lang, '；', '; '));
  const exclusions = parameters.exclusions.length === 0
    ? say(lang, '无', 'none')
    : say(lang, `${parameters.exclusions.length} 名（编号已遮蔽：${parameters.exclusions.map(maskInvestorId).join('、')}）`, `${parameters.exclusions.length} (ids masked: ${parameters.exclusions.map(maskInvestorId).join(', ')})`);
  return [
    [say(lang, '证券', 'Security'), `${parameters.security.name}${paren(lang, `${parameters.security.code}${say(lang, '，', ', ')}${parameters.security.exchange}`)}`],
    [say(lang, '适用的司法解释', 'Rules applied'), parameters.ruleSet === 'SPC2022'
      ? say(lang, '《最高人民法院关于审理证券市场虚假陈述侵权民事赔偿案件的若干规定》（法释〔2022〕2号）', "the Supreme People's Court Provisions of 2022 (Fa Shi [2022] No. 2)")
      : say(lang, '《最高人民法院关于审理证券市场因虚假陈述引发的民事赔偿案件的若干规定》（法释〔2003〕2号）', "the Supreme People's Court Provisions of 2003 (Fa Shi [2003] No. 2)")],
    [say(lang, '虚假陈述类型', 'Kind of misstatement'), parameters.direction === 'inflated' ? say(lang, '诱多型（虚增，股价被抬高）', 'inflating (the price was pushed up)') : say(lang, '诱空型（虚减，股价被压低）', 'deflating (the price was pushed down)')],
    [say(lang, '实施日', 'Implementation date'), parameters.implementationDate],
    [say(lang, '揭露日', 'Disclosure date'), parameters.disclosureDate],
    [say(lang, '基准日', 'Base date'), parameters.baseDate ?? say(lang, '依司法解释按揭露日后累计换手率确定（累计换手率达到可流通部分 100% 之日，最迟为第 30 个交易日）', 'found by the rules from the turnover after the disclosure (the day it reaches 100% of the free float, at the latest the 30th trading day)')],
    [say(lang, '基准价', 'Base price'), parameters.basePrice ?? say(lang, '揭露日至基准日每个交易日收盘价的平均价', 'the average close of the trading days from the disclosure to the base date')],
    [say(lang, '买入均价计算方法', 'Average buying price'), AVERAGE_PRICE[parameters.averagePrice][lang]],
    [say(lang, '揭露日后卖出的配对', 'Sales after the disclosure'), parameters.postDisclosureSales === 'fifo' ? say(lang, '先进先出配对', 'matched first in, first out') : say(lang, '优先与适格持股配对', 'matched against eligible shares first')],
    [say(lang, '系统风险扣除', 'Market-risk deduction'), riskText],
    [say(lang, '佣金费率', 'Commission rate'), decimalPercent(parameters.fees.commissionRate)],
    [say(lang, '印花税率', 'Stamp duty rate'), stampDuty],
    [say(lang, '利息', 'Interest'), interest],
    [say(lang, '排除的投资者', 'Excluded investors'), exclusions],
  ];
}

/** How the plan's fund is made up, and what happens when deposits fall short. */
export function fundFacts(lang: Lang, fund: PlanDocument['fund']): [string, string][] {
  return [
    [say(lang, '基金规模', 'Fund size'), yuan(fund.sizeFen)],
    [say(lang, '补足规则', 'Top-up rule'), fund.topUpRule],
    [say(lang, '资金不足时', 'When the fund is short'), fund.shortfall === 'pro-rata'
      ? say(lang, '按各投资者应得金额比例分配已到账资金（最大余额法精确到分）', "deposits shared in proportion to each investor's amount (largest remainder, to the fen)")
      : say(lang, '出资人补足差额后再发出要约', 'no offer until the funders make up the difference')],
  ];
}

/** The plan's timetable; given the case's limit date, an end date after it is marked as the breach it is. */
export function timetableFacts(lang: Lang, timetable: PlanDocument['timetable'], limitDate?: string): [string, ComponentChildren][] {
  return [
    [DEADLINE_NAMES['review-end'][lang], timetable.reviewEndsOn],
    [say(lang, '接受期', 'Acceptance window'), say(lang, `${timetable.acceptanceOpensOn} 至 ${timetable.acceptanceClosesOn}`, `${timetable.acceptanceOpensOn} to ${timetable.acceptanceClosesOn}`)],
    [DEADLINE_NAMES.payment[lang], timetable.paymentOn],
    [DEADLINE_NAMES['plan-end'][lang], limitDate !== undefined && timetable.endsOn > limitDate ? <span class="breach">{timetable.endsOn}</span> : timetable.endsOn],
  ];
}
