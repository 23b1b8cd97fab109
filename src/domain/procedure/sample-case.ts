import type { Actor } from '../access/roles.ts';
import type { IsoDate } from '../market/calendar-date.ts';
import type { CaseCommand } from './case-commands.ts';
import type { CaseState } from './case-state.ts';
import { drawCommitment } from './lot-draw.ts';

/**
 * A whole case from the penalty decision to a recorded computation run (procedure.md steps 1–7),
 * with realistic parties and dates: the walk the procedure's tests check value by value, and a
 * script a demo can replay. Commands that cite what the case computed (the hearing record's hash,
 * the adopted plan's hash) are functions of the state at their step.
 *
 * The decision is dated 2026-01-15, so the case opens on 2026-01-16 and its limit date is
 * 2026-04-16.
 */
export const SAMPLE_CASE_ID = 'case-2026-008';

/** The seed the administrator commits to with the announcement and reveals for the draw. */
export const SAMPLE_SEED = '726564726573732d647261772d6578616d706c652d736565642d32303236';

export const SAMPLE_ACTORS = {
  administrator: { id: 'admin-ipf', role: 'administrator', name: '投保基金' },
  host: { id: 'host-sac', role: 'hearing-host', name: '证券业协会调解中心 王主持' },
  sponsor: { id: 'funder-sponsor', role: 'funder', name: '示例证券股份有限公司' },
  controller: { id: 'funder-controller', role: 'funder', name: '张某' },
  issuer: { id: 'party-issuer', role: 'funder', name: '示例存储股份有限公司' },
  bob: { id: 'inv-Bob', role: 'representative', name: 'Bob Chen' },
  alice: { id: 'inv-alice', role: 'representative', name: 'Alice Wu' },
  li: { id: 'inv-李雷', role: 'representative', name: '李雷' },
  wang: { id: 'inv-王芳', role: 'representative', name: '王芳' },
  chen: { id: 'inv-陈静', role: 'representative', name: '陈静' },
  qian: { id: 'law-Qian', role: 'lawyer', name: '钱律师' },
  sun: { id: 'law-sun', role: 'lawyer', name: '孙律师' },
  zhou: { id: 'law-zhou', role: 'lawyer', name: '周律师' },
  publicViewer: { id: 'someone', role: 'public', name: '公众' },
} as const satisfies Record<string, Actor>;

/**
 * The plan document. Version 1 carries a clause that exempts the funders (flagged by the review of
 * standard terms); version 2, proposed at the hearing, drops it.
 */
export function samplePlanDocument(version: 1 | 2): Record<string, unknown> {
  const clauses = [
    { id: 'c1', text: '出资人按本方案计算的金额向投资者支付赔偿款。' },
    { id: 'c2', text: '投资者接受赔付后，其在已获赔付范围内对其他责任主体的请求权转让给出资人。' },
  ];
  if (version === 1) clauses.push({ id: 'c3', text: '出资人不承担任何责任。' });
  return {
    title: '示例存储虚假陈述先行赔付方案',
    lossParameters: { security: { code: '688999', name: '示例存储', exchange: 'SSE' }, implementationDate: '2024-03-01', disclosureDate: '2025-06-30' },
    fund: { sizeFen: '8000000000', topUpRule: '计算总额超过已到账出资的，出资人按认缴比例在通知后五日内补足。' },
    timetable: { reviewEndsOn: '2026-03-01', acceptanceOpensOn: '2026-03-02', acceptanceClosesOn: '2026-03-31', paymentOn: '2026-04-08', endsOn: '2026-04-15' },
    latePolicy: { lateClaimDays: 30, text: '受理截止后三十日内提出的申请仍予受理。' },
    disputeChannel: '对计算结果有异议的，可在受理期内向基金管理人申请复核。',
    agreement: { title: '先行赔付和解协议', language: 'zh', clauses },
  };
}

/** The SHA-256 of the data summary laid before the hearing. */
export const SAMPLE_DATA_SUMMARY_SHA256 = '3f1e6a0c9b7d5e2f4a8c1b3d5e7f9a0b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f';

export interface SampleStep {
  today: IsoDate;
  actor: Actor;
  type: CaseCommand['type'];
  command: CaseCommand | ((state: CaseState) => CaseCommand);
}

const A = SAMPLE_ACTORS;

function step(today: IsoDate, actor: Actor, command: CaseCommand): SampleStep {
  return { today, actor, type: command.type, command };
}

/** A step whose command cites what the case has computed by then. */
function citing<T extends CaseCommand['type']>(today: IsoDate, actor: Actor, type: T, command: (state: CaseState) => Extract<CaseCommand, { type: T }>): SampleStep {
  return { today, actor, type, command };
}

function planEvidenceHash(state: CaseState, version: number): string {
  const plan = state.planVersions.find((candidate) => candidate.version === version);
  if (plan === undefined) throw new Error(`the sample case has no plan version ${version} at this step`);
  return plan.hash;
}

/** The sample case, step by step; every step is accepted when run in order. */
export const SAMPLE_WALK: readonly SampleStep[] = [
  step('2026-01-15', A.administrator, {
    type: 'record-penalty-decision',
    decisionNumber: '〔2026〕8号',
    decisionDate: '2026-01-15',
    authority: '中国证监会',
    issuer: '示例存储股份有限公司',
    security: { code: '688999', name: '示例存储' },
    liableParties: [
      { id: 'party-issuer', name: '示例存储股份有限公司', kind: 'issuer' },
      { id: 'party-sponsor', name: '示例证券股份有限公司', kind: 'sponsor' },
      { id: 'party-controller', name: '张某', kind: 'actual-controller' },
      { id: 'party-auditor', name: '示例会计师事务所', kind: 'auditor' },
    ],
    facts: '示例存储在首次公开发行文件中虚增营业收入，保荐机构未勤勉尽责。',
    keyDates: { implementationDate: '2024-03-01', disclosureDate: '2025-06-30' },
  }),
  step('2026-01-16', A.administrator, { type: 'add-funder', funderId: 'funder-sponsor', name: '示例证券股份有限公司', liableParty: 'party-sponsor', pledgeFen: '10000000000' }),
  step('2026-01-16', A.administrator, { type: 'add-funder', funderId: 'funder-controller', name: '张某', liableParty: 'party-controller', pledgeFen: '2000000000' }),
  step('2026-01-16', A.administrator, {
    type: 'open-announcement',
    endsOn: '2026-01-30',
    seats: { representatives: 2, lawyers: 1 },
    drawCommitment: drawCommitment(SAMPLE_SEED),
  }),
  step('2026-01-19', A.administrator, { type: 'confirm-deposit', funderId: 'funder-sponsor', amountFen: '6000000000', bankReference: 'BOC-20260119-0001', valueDate: '2026-01-19' }),
  step('2026-01-20', A.bob, { type: 'apply-as-representative', applicantId: 'inv-Bob', name: 'Bob Chen', ties: [] }),
  step('2026-01-20', A.alice, { type: 'apply-as-representative', applicantId: 'inv-alice', name: 'Alice Wu', ties: [] }),
  step('2026-01-20', A.li, { type: 'apply-as-representative', applicantId: 'inv-李雷', name: '李雷', ties: [{ partyId: 'some-other-company', relation: 'employee' }] }),
  step('2026-01-21', A.wang, { type: 'apply-as-representative', applicantId: 'inv-王芳', name: '王芳', ties: [] }),
  step('2026-01-21', A.chen, { type: 'apply-as-representative', applicantId: 'inv-陈静', name: '陈静', ties: [] }),
  step('2026-01-21', A.qian, { type: 'apply-as-lawyer', applicantId: 'law-Qian', name: '钱律师', firm: { id: 'firm-a', name: '甲律师事务所' }, ties: [] }),
  step('2026-01-21', A.sun, { type: 'apply-as-lawyer', applicantId: 'law-sun', name: '孙律师', firm: { id: 'firm-b', name: '乙律师事务所' }, ties: [] }),
  step('2026-01-22', A.zhou, { type: 'apply-as-lawyer', applicantId: 'law-zhou', name: '周律师', firm: { id: 'firm-c', name: '丙律师事务所' }, ties: [] }),
  step('2026-01-22', A.administrator, { type: 'record-selection-by-agreement', representatives: ['inv-陈静'], lawyers: [] }),
  step('2026-01-31', A.administrator, { type: 'draw-lots', seedHex: SAMPLE_SEED }),
  step('2026-02-02', A.administrator, { type: 'appoint-hearing-host', hostId: 'host-sac', name: '证券业协会调解中心 王主持' }),
  step('2026-02-02', A.sponsor, { type: 'propose-plan-version', document: samplePlanDocument(1) }),
  citing('2026-02-03', A.host, 'schedule-hearing', (state) => ({
    type: 'schedule-hearing',
    date: '2026-02-10',
    venue: '北京市西城区金融大街 19 号',
    agenda: [
      { id: 'a1', title: '赔付方案草案' },
      { id: 'a2', title: '登记结算数据摘要' },
    ],
    evidence: [
      { id: 'e1', title: '赔付方案第 1 版', sha256: planEvidenceHash(state, 1) },
      { id: 'e2', title: '登记结算数据摘要', sha256: SAMPLE_DATA_SUMMARY_SHA256 },
    ],
  })),
  step('2026-02-04', A.host, { type: 'seat-hearing-participant', side: 'liable-parties', participantId: 'funder-sponsor', name: '示例证券股份有限公司', capacity: '保荐机构代理人' }),
  step('2026-02-04', A.host, { type: 'seat-hearing-participant', side: 'liable-parties', participantId: 'funder-controller', name: '张某', capacity: '实际控制人' }),
  step('2026-02-04', A.host, { type: 'seat-hearing-participant', side: 'liable-parties', participantId: 'party-issuer', name: '示例存储股份有限公司', capacity: '发行人' }),
  step('2026-02-04', A.host, { type: 'seat-hearing-participant', side: 'investors', participantId: 'inv-陈静', name: '陈静', capacity: '投资者代表' }),
  step('2026-02-04', A.host, { type: 'seat-hearing-participant', side: 'investors', participantId: 'inv-王芳', name: '王芳', capacity: '投资者代表' }),
  step('2026-02-04', A.host, { type: 'seat-hearing-participant', side: 'investors', participantId: 'law-sun', name: '孙律师', capacity: '投资者律师' }),
  step('2026-02-10', A.host, { type: 'open-hearing' }),
  ...['funder-sponsor', 'funder-controller', 'party-issuer', 'inv-陈静', 'inv-王芳', 'law-sun'].map((participantId) =>
    step('2026-02-10', A.host, { type: 'record-attendance', participantId, present: true }),
  ),
  step('2026-02-10', A.host, { type: 'record-statement', speakerId: 'funder-sponsor', text: '保荐机构愿先行赔付，方案按移动加权平均法计算损失。' }),
  step('2026-02-10', A.host, { type: 'record-objection', by: 'law-sun', concerning: { kind: 'agenda-item', id: 'a1' }, text: '第 c3 条免除出资人责任，属无效格式条款，应当删除。' }),
  step('2026-02-10', A.sponsor, { type: 'propose-plan-version', document: samplePlanDocument(2) }),
  citing('2026-02-10', A.host, 'add-evidence', (state) => ({ type: 'add-evidence', id: 'e3', title: '赔付方案第 2 版（删除第 c3 条）', sha256: planEvidenceHash(state, 2) })),
  step('2026-02-10', A.host, { type: 'record-statement', speakerId: 'inv-陈静', text: '投资者代表同意第 2 版。' }),
  ...(
    [
      [A.host, 'host-sac'],
      [A.sponsor, 'funder-sponsor'],
      [A.controller, 'funder-controller'],
      [A.issuer, 'party-issuer'],
      [A.chen, 'inv-陈静'],
      [A.wang, 'inv-王芳'],
      [A.sun, 'law-sun'],
    ] as const
  ).map(([actor, signerId]) => step('2026-02-10', actor, { type: 'sign-hearing-record', signerId })),
  step('2026-02-10', A.host, { type: 'close-hearing-record' }),
  citing('2026-02-11', A.host, 'adopt-plan', (state) => ({ type: 'adopt-plan', version: 2, hearingRecordHash: state.hearing!.closed!.recordHash })),
  citing('2026-02-20', A.administrator, 'record-computation-run', (state) => ({
    type: 'record-computation-run',
    runId: 'run-1',
    planVersion: 2,
    planHash: planEvidenceHash(state, 2),
    inputHash: 'aa2f6f3e0d4c1b5a69788796a5b4c3d2e1f00112233445566778899aabbccdde',
    counts: { investors: 12840, payable: 11020, zero: 1533, ineligible: 270, rejected: 17 },
    totalPayableFen: '7500000000',
  })),
  step('2026-02-24', A.administrator, { type: 'confirm-deposit', funderId: 'funder-controller', amountFen: '2000000000', bankReference: 'ICBC-20260224-0042', valueDate: '2026-02-24' }),
];

/** The command of a step at the state it runs on. */
export function commandAt(step: SampleStep, state: CaseState | null): CaseCommand {
  if (typeof step.command !== 'function') return step.command;
  if (state === null) throw new Error('a step that cites the case needs the case');
  return step.command(state);
}
