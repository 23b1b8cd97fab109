import type { LiablePartyKind } from '../../../domain/procedure/case-commands.ts';
import type { CasePhase, DeadlineKind } from '../../../domain/procedure/case-progress.ts';
import type { DrawPool } from '../../../domain/procedure/lot-draw.ts';
import type { PlanDocument } from '../../../domain/plan/plan-document.ts';
import { STANDARD_TERMS_RULES } from '../../../domain/plan/standard-terms-review.ts';
import type { publicCaseView } from '../../../server/api/case-views.ts';
import { say, type Bilingual, type Lang } from '../../i18n.ts';
import { maskInvestorId } from '../../mask.ts';
import { yuan } from '../ui.tsx';

/** What the public pages say about a case, read from its events (case-views.ts). */
export type PublicCaseView = ReturnType<typeof publicCaseView>;

const PHASES: Record<CasePhase, Bilingual> = {
  scheduled: { zh: '待启动', en: 'Scheduled' },
  opened: { zh: '已启动', en: 'Opened' },
  announcement: { zh: '公告征集中', en: 'Announcement' },
  selection: { zh: '待抽签', en: 'Awaiting the draw' },
  hearing: { zh: '听证阶段', en: 'Hearing' },
  plan: { zh: '待通过方案', en: 'Plan to adopt' },
  computation: { zh: '待计算', en: 'Computation' },
  computed: { zh: '已计算，要约与支付', en: 'Computed: offers and payment' },
};

export function phaseName(lang: Lang, phase: CasePhase): string {
  return PHASES[phase][lang];
}

const PARTY_KINDS: Record<LiablePartyKind, Bilingual> = {
  issuer: { zh: '发行人', en: 'issuer' },
  sponsor: { zh: '保荐机构', en: 'sponsor' },
  'controlling-shareholder': { zh: '控股股东', en: 'controlling shareholder' },
  'actual-controller': { zh: '实际控制人', en: 'actual controller' },
  auditor: { zh: '会计师事务所', en: 'auditor' },
  'law-firm': { zh: '律师事务所', en: 'law firm' },
  other: { zh: '其他', en: 'other' },
};

export function partyKindName(lang: Lang, kind: LiablePartyKind): string {
  return PARTY_KINDS[kind][lang];
}

const DEADLINES: Record<DeadlineKind, Bilingual> = {
  opening: { zh: '程序启动', en: 'Opening' },
  'announcement-end': { zh: '公告期届满', en: 'End of the announcement period' },
  hearing: { zh: '听证', en: 'Hearing' },
  'plan-adoption': { zh: '方案通过', en: 'Adoption of the plan' },
  'review-end': { zh: '复核截止', en: 'End of the review' },
  'acceptance-opens': { zh: '接受期开始', en: 'Acceptance opens' },
  'acceptance-closes': { zh: '接受期截止', en: 'Acceptance closes' },
  payment: { zh: '支付日', en: 'Payment date' },
  'plan-end': { zh: '赔付结束日', en: "The plan's end date" },
  limit: { zh: '三个月期限届满', en: 'Three-month limit' },
};

export function deadlineName(lang: Lang, kind: DeadlineKind): string {
  return DEADLINES[kind][lang];
}

export function poolName(lang: Lang, pool: DrawPool | string): string {
  return pool === 'lawyers' ? say(lang, '投资者律师', 'lawyers') : say(lang, '投资者代表', 'investor representatives');
}

/** An aside in brackets: full-width in Chinese, spaced round ones in English. */
export function paren(lang: Lang, text: string): string {
  return lang === 'zh' ? `（${text}）` : ` (${text})`;
}

/** "第 2 版" / "version 2". */
export function versionName(lang: Lang, version: number): string {
  return say(lang, `第 ${version} 版`, `version ${version}`);
}

/** A case as lists and headings name it: the security and the decision (or commitment) that opened it. */
export function caseTitle(lang: Lang, view: Pick<PublicCaseView, 'security' | 'trigger' | 'caseId'>): string {
  const security = view.security ? say(lang, `${view.security.name}（${view.security.code}）`, `${view.security.name} (${view.security.code})`) : view.caseId;
  const trigger = view.trigger;
  const reference = trigger === null ? '' : trigger.kind === 'penalty-decision' ? (trigger as { decisionNumber: string }).decisionNumber : (trigger as { commitmentNumber: string }).commitmentNumber;
  return reference ? `${security} ${reference}` : security;
}

/** The short name of a standard-terms rule: its explanation up to the colon. */
export function reviewRuleName(lang: Lang, ruleId: string): string {
  const rule = STANDARD_TERMS_RULES.find((entry) => entry.id === ruleId);
  if (!rule) return ruleId;
  return rule.explanation[lang].split(/[：:]/)[0]!;
}

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

export function fundFacts(lang: Lang, fund: PlanDocument['fund']): [string, string][] {
  return [
    [say(lang, '基金规模', 'Fund size'), yuan(fund.sizeFen)],
    [say(lang, '补足规则', 'Top-up rule'), fund.topUpRule],
    [say(lang, '资金不足时', 'When the fund is short'), fund.shortfall === 'pro-rata'
      ? say(lang, '按各投资者应得金额比例分配已到账资金（最大余额法精确到分）', "deposits shared in proportion to each investor's amount (largest remainder, to the fen)")
      : say(lang, '出资人补足差额后再发出要约', 'no offer until the funders make up the difference')],
  ];
}

export function timetableFacts(lang: Lang, timetable: PlanDocument['timetable']): [string, string][] {
  return [
    [say(lang, '复核截止日', 'End of the review'), timetable.reviewEndsOn],
    [say(lang, '接受期', 'Acceptance window'), say(lang, `${timetable.acceptanceOpensOn} 至 ${timetable.acceptanceClosesOn}`, `${timetable.acceptanceOpensOn} to ${timetable.acceptanceClosesOn}`)],
    [say(lang, '支付日', 'Payment date'), timetable.paymentOn],
    [say(lang, '赔付结束日', 'End date'), timetable.endsOn],
  ];
}
