import type { Role } from '../../domain/access/roles.ts';
import type { LiablePartyKind } from '../../domain/procedure/case-commands.ts';
import type { HearingSide } from '../../domain/procedure/case-events.ts';
import type { CasePhase, DeadlineKind } from '../../domain/procedure/case-progress.ts';
import type { DrawPool } from '../../domain/procedure/lot-draw.ts';
import type { Bilingual, Lang } from '../i18n.ts';
import type { Tone } from './ui.tsx';

/**
 * The words every face of the web uses for the procedure's and the fund's fixed terms: one list
 * each, so that the public pages, the console and the portal call a thing by the same name.
 */

/** Where a case stands (case-progress.ts). */
export const PHASE_NAMES: Record<CasePhase, Bilingual> = {
  scheduled: { zh: '待启动', en: 'Scheduled' },
  opened: { zh: '已启动', en: 'Opened' },
  announcement: { zh: '公告期', en: 'Announcement period' },
  selection: { zh: '待抽签', en: 'Awaiting the draw' },
  hearing: { zh: '听证阶段', en: 'Hearing' },
  plan: { zh: '待通过方案', en: 'Plan awaiting adoption' },
  computation: { zh: '待计算', en: 'Awaiting computation' },
  computed: { zh: '已计算，要约与支付', en: 'Computed: offers and payment' },
};

/** The deadlines of the procedure, as the plan's timetable names them. */
export const DEADLINE_NAMES: Record<DeadlineKind, Bilingual> = {
  opening: { zh: '程序启动', en: 'Opening' },
  'announcement-end': { zh: '公告期届满', en: 'End of the announcement period' },
  hearing: { zh: '听证', en: 'Hearing' },
  'plan-adoption': { zh: '方案通过', en: 'Adoption of the plan' },
  'review-end': { zh: '复核截止', en: 'End of the review' },
  'acceptance-opens': { zh: '接受期开始', en: 'Acceptance opens' },
  'acceptance-closes': { zh: '接受期截止', en: 'Acceptance closes' },
  payment: { zh: '支付日', en: 'Payment date' },
  'plan-end': { zh: '赔付结束日', en: 'End date of the plan' },
  limit: { zh: '三个月期限届满', en: 'End of the three-month limit' },
};

/** The investors' seats, filled by agreement or by lot (代表人选定). */
export const POOL_NAMES: Record<DrawPool, Bilingual> = {
  representatives: { zh: '投资者代表', en: 'Investor representatives' },
  lawyers: { zh: '投资者律师', en: "Investors' lawyers" },
};

/** The two sides of the hearing, which sit in equal numbers. */
export const SIDE_NAMES: Record<HearingSide, Bilingual> = {
  'liable-parties': { zh: '责任主体一方', en: "Liable parties' side" },
  investors: { zh: '投资者一方', en: "Investors' side" },
};

/** The liable parties (责任主体) a decision names. */
export const PARTY_KIND_NAMES: Record<LiablePartyKind, Bilingual> = {
  issuer: { zh: '发行人', en: 'issuer' },
  sponsor: { zh: '保荐机构', en: 'sponsor' },
  'controlling-shareholder': { zh: '控股股东', en: 'controlling shareholder' },
  'actual-controller': { zh: '实际控制人', en: 'actual controller' },
  auditor: { zh: '会计师事务所', en: 'auditor' },
  'law-firm': { zh: '律师事务所', en: 'law firm' },
  other: { zh: '其他', en: 'other' },
};

/** Who someone is on the platform. */
export const ROLE_NAMES: Record<Role, Bilingual> = {
  administrator: { zh: '基金管理人', en: 'administrator' },
  'hearing-host': { zh: '听证主持人', en: 'hearing host' },
  funder: { zh: '出资人', en: 'funder' },
  representative: { zh: '投资者代表', en: 'investor representative' },
  lawyer: { zh: '投资者律师', en: "investors' lawyer" },
  investor: { zh: '投资者', en: 'investor' },
  auditor: { zh: '审计人员', en: 'auditor' },
  public: { zh: '公众', en: 'public' },
};

/** How an issuer challenges the penalty decision; neither pauses the procedure. */
export const CHALLENGE_KIND_NAMES: Record<'reconsideration' | 'litigation', Bilingual> = {
  reconsideration: { zh: '行政复议', en: 'Administrative reconsideration' },
  litigation: { zh: '行政诉讼', en: 'Administrative litigation' },
};

/** A status with the colour of its tag. */
export type StatusWord = Bilingual & { tone: Tone };

/** The statuses of offers, computation runs and their results, payment batches and their items. */
export const STATUS_WORDS = {
  offer: {
    offered: { zh: '待答复', en: 'Awaiting an answer', tone: 'info' },
    accepted: { zh: '已接受', en: 'Accepted', tone: 'good' },
    refused: { zh: '已拒绝', en: 'Refused', tone: 'neutral' },
    disputed: { zh: '异议复核中', en: 'Disputed, under review', tone: 'warn' },
    superseded: { zh: '已由新要约替代', en: 'Replaced by a new offer', tone: 'neutral' },
  },
  run: {
    running: { zh: '计算中', en: 'Running', tone: 'info' },
    finished: { zh: '已完成', en: 'Finished', tone: 'good' },
    failed: { zh: '失败', en: 'Failed', tone: 'bad' },
  },
  result: {
    payable: { zh: '可赔付', en: 'Payable', tone: 'good' },
    zero: { zh: '无损失', en: 'No loss', tone: 'neutral' },
    ineligible: { zh: '不适格', en: 'Ineligible', tone: 'neutral' },
    rejected: { zh: '数据有误', en: 'Data rejected', tone: 'bad' },
  },
  batch: {
    prepared: { zh: '待批准', en: 'Awaiting approval', tone: 'warn' },
    approved: { zh: '已批准', en: 'Approved', tone: 'info' },
    sent: { zh: '已发出', en: 'Sent', tone: 'info' },
    settled: { zh: '已结清', en: 'Settled', tone: 'good' },
  },
  item: {
    pending: { zh: '待发出', en: 'Pending', tone: 'neutral' },
    sent: { zh: '已发出', en: 'Sent', tone: 'info' },
    paid: { zh: '已支付', en: 'Paid', tone: 'good' },
    failed: { zh: '支付失败', en: 'Payment failed', tone: 'bad' },
  },
} as const satisfies Record<string, Record<string, StatusWord>>;

export type StatusFamily = keyof typeof STATUS_WORDS;

/** How an investor answered an offer, and where. */
export const ANSWER_KINDS: Record<'accept' | 'refuse' | 'dispute', Bilingual> = {
  accept: { zh: '接受', en: 'accepted' },
  refuse: { zh: '拒绝', en: 'refused' },
  dispute: { zh: '提出异议', en: 'disputed' },
};

export const ANSWER_CHANNELS: Record<'portal' | 'exchange-file' | 'counter', Bilingual> = {
  portal: { zh: '网上答复', en: 'online' },
  'exchange-file': { zh: '交易所申报', en: "the exchange's declaration file" },
  counter: { zh: '柜台', en: 'at the counter' },
};

/** What the review of a disputed offer decided. */
export const RESOLUTION_NAMES: Record<'upheld' | 'corrected', Bilingual> = {
  upheld: { zh: '维持原要约', en: 'upheld' },
  corrected: { zh: '更正', en: 'corrected' },
};

/** A word from a list in the page's language, or the key itself when the list lacks it. */
export function wordOf(lang: Lang, words: Readonly<Record<string, Bilingual>>, key: string): string {
  return words[key]?.[lang] ?? key;
}

/** A status in the page's language, and the tone of its tag; an unknown status is shown as itself. */
export function statusWord(lang: Lang, family: StatusFamily, status: string): { text: string; tone: Tone } {
  const word = (STATUS_WORDS[family] as Record<string, StatusWord>)[status];
  return word ? { text: word[lang], tone: word.tone } : { text: status, tone: 'neutral' };
}

export function phaseName(lang: Lang, phase: CasePhase): string {
  return PHASE_NAMES[phase][lang];
}

export function deadlineName(lang: Lang, kind: DeadlineKind): string {
  return DEADLINE_NAMES[kind][lang];
}

export function poolName(lang: Lang, pool: string): string {
  return wordOf(lang, POOL_NAMES, pool);
}

export function sideName(lang: Lang, side: HearingSide): string {
  return SIDE_NAMES[side][lang];
}

export function partyKindName(lang: Lang, kind: string): string {
  return wordOf(lang, PARTY_KIND_NAMES, kind);
}

export function roleName(lang: Lang, role: Role): string {
  return ROLE_NAMES[role][lang];
}
