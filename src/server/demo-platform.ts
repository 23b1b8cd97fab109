import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Role } from '../domain/access/roles.ts';
import { addDays, epochDay } from '../domain/market/calendar-date.ts';
import { drawCommitment } from '../domain/procedure/lot-draw.ts';
import { createRunScratch } from '../jobs/run-scratch.ts';
import type { Database } from '../store/database.ts';
import { InvestorSignIn } from '../store/investor-sign-in.ts';
import type { NotificationSender } from '../store/notification-outbox.ts';
import { createActor } from './api/actor-store.ts';
import type { Api } from './api/app.ts';
import { chinaDate, type Clock } from './api/request-context.ts';
import { buildServer } from './serve.ts';

/**
 * The demo platform: the case of examples/plans (示例科技, 003999) on the registry data of
 * examples/demo-case, walked through the API as its people would, and left part-way through its
 * life — hearing held, plan adopted, offers out and answered by most investors, disputes in review,
 * a payment batch prepared and waiting for a second administrator's approval.
 *
 * The script is written on the plans' own calendar (penalty decision 2026-11-02, acceptance
 * 2027-01-04 to 01-22) and replayed moved in time, every procedural date by the same number of
 * days, so that the day the demo is loaded is three days after the acceptance window closed:
 * the case is then 8 days from its three-month limit.
 */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

/** The plans' calendar: the day of the penalty decision, and the demo's "today" on that calendar. */
const SCRIPT_DECISION_DATE = '2026-11-02';
const SCRIPT_TODAY = '2027-01-25';
const DRAW_SEED = 'de70de70de70de70de70de70de70de70de70de70de70de70de70de70de70de70';

export interface DemoSignIn {
  id: string;
  role: Role;
  name: string;
  /** Staff sign in with their access token; investors with their account and a one-time code. */
  token?: string;
  account?: string;
  note: { zh: string; en: string };
}

export interface DemoCase {
  caseId: string;
  signIns: DemoSignIn[];
}

function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

/**
 * Moves every date of the procedure in a plan document by `days`: ISO dates and dates written
 * 2027年1月4日 in its texts, when they fall on or after the penalty decision. Dates of the
 * false statement itself (implementation, disclosure) are earlier and stay where they are.
 */
export function shiftProcedureDates<T>(value: T, days: number, from = SCRIPT_DECISION_DATE): T {
  const shiftIso = (iso: string) => (iso >= from ? addDays(iso, days) : iso);
  const shiftText = (text: string) =>
    text
      .replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (iso) => shiftIso(iso))
      .replace(/(\d{4})年(\d{1,2})月(\d{1,2})日/g, (whole, year: string, month: string, day: string) => {
        const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
        if (iso < from) return whole;
        const [y, m, d] = shiftIso(iso).split('-');
        return `${y}年${Number(m)}月${Number(d)}日`;
      });
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return shiftText(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, inner]) => [key, walk(inner)]));
    return node;
  };
  return walk(value) as T;
}

/** A clock the script moves from day to day; ten in the morning, Beijing time. */
class ScriptClock implements Clock {
  date = SCRIPT_DECISION_DATE;
  now(): Date {
    return new Date(`${this.date}T10:00:00+08:00`);
  }
}

const STAFF: { id: string; role: Role; name: string; note: { zh: string; en: string } }[] = [
  { id: 'admin', role: 'administrator', name: '投保基金 赔付管理人', note: { zh: '基金管理人：案件各环节、审核异议、批准支付批次', en: 'administrator: every step, disputes, approves payment batches' } },
  { id: 'admin-2', role: 'administrator', name: '投保基金 复核员', note: { zh: '第二位管理人：已制作一个待批准的支付批次（本人不能批准）', en: 'second administrator: prepared the batch awaiting approval (may not approve it)' } },
  { id: 'host-1', role: 'hearing-host', name: '证券业协会调解中心 王调解员', note: { zh: '听证主持人', en: 'hearing host' } },
  { id: 'sponsor-zx', role: 'funder', name: '中兴证券股份有限公司', note: { zh: '出资人（保荐机构）', en: 'funder (the sponsor)' } },
  { id: 'controller-li', role: 'funder', name: '李某某', note: { zh: '出资人（实际控制人）', en: 'funder (the actual controller)' } },
  { id: 'rep-1', role: 'representative', name: '投资者代表 周某', note: { zh: '投资者代表（协商选定）', en: 'investor representative (chosen by agreement)' } },
  { id: 'rep-2', role: 'representative', name: '投资者代表 吴某', note: { zh: '投资者代表申请人', en: 'applicant for investor representative' } },
  { id: 'rep-3', role: 'representative', name: '投资者代表 郑某', note: { zh: '投资者代表申请人', en: 'applicant for investor representative' } },
  { id: 'rep-4', role: 'representative', name: '投资者 冯某', note: { zh: '因与保荐机构存在利害关系被拒绝的申请人', en: 'an applicant refused for a tie to the sponsor' } },
  { id: 'law-1', role: 'lawyer', name: '赵律师', note: { zh: '律师申请人', en: 'applicant lawyer' } },
  { id: 'law-2', role: 'lawyer', name: '钱律师', note: { zh: '律师申请人', en: 'applicant lawyer' } },
  { id: 'auditor', role: 'auditor', name: '审计员 孙某', note: { zh: '审计：只读，核对台账与审计日志', en: 'auditor: reads everything, checks ledger and audit log' } },
];

class DemoScriptError extends Error {}

/**
 * Loads the demo case into an empty platform and returns who can sign in. Does nothing and
 * returns null when the database already holds a case.
 */
export async function loadDemoCase(database: Database, options: { today: string; notificationSender?: NotificationSender }): Promise<DemoCase | null> {
  const existing = await database.db.selectFrom('cases').select('id').limit(1).executeTakeFirst();
  if (existing) return null;
  const shift = daysBetween(SCRIPT_TODAY, options.today);
  const at = (scriptDate: string) => addDays(scriptDate, shift);
  const clock = new ScriptClock();
  // Owned scratch space, as a server's: a load killed half-way leaves it to the next start's sweep.
  const workRoot = await createRunScratch();
  const { api, computations } = await buildServer({
    database, importRoot: EXAMPLES_DIR, workRoot, clock, workers: 1,
    notificationSender: options.notificationSender ?? { send: async () => {} },
  });
  const tokens: Record<string, string> = {};
  const signIns: DemoSignIn[] = [];
  for (const person of STAFF) {
    tokens[person.id] = (await createActor(database.db, { id: person.id, role: person.role, name: person.name })).token;
    signIns.push({ ...person, token: tokens[person.id]! });
  }
  try {
    const caseId = await walkDemoCase({ api, tokens, clock, at, settled: (runId) => computations.settled(runId), database });
    const investors = await demoInvestors(caseId, database);
    signIns.push(...investors);
    return { caseId, signIns };
  } finally {
    await api.close();
    await rm(workRoot, { recursive: true, force: true });
  }
}

interface Walk {
  api: Api;
  tokens: Record<string, string>;
  clock: ScriptClock;
  at: (scriptDate: string) => string;
  settled: (runId: string) => Promise<unknown>;
  database: Database;
}

async function request(api: Api, token: string | null, method: 'GET' | 'POST', url: string, body?: unknown): Promise<any> {
  const response = await api.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }), headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const type = String(response.headers['content-type'] ?? '');
  const parsed = type.includes('json') ? response.json() : response.body;
  if (response.statusCode >= 400) throw new DemoScriptError(`${method} ${url} → ${response.statusCode}: ${typeof parsed === 'string' ? parsed : JSON.stringify(parsed)}`);
  return parsed;
}

async function walkDemoCase(walk: Walk): Promise<string> {
  const { api, tokens, clock, at } = walk;
  const plan = async (name: string) => shiftProcedureDates(JSON.parse(await readFile(join(EXAMPLES_DIR, 'plans', name), 'utf8')) as Record<string, unknown>, daysBetween(SCRIPT_DECISION_DATE, at(SCRIPT_DECISION_DATE)));
  const on = (scriptDate: string) => { clock.date = at(scriptDate); };
  const as = (actor: string) => ({
    get: (url: string) => request(api, tokens[actor]!, 'GET', url),
    post: (url: string, body: unknown = {}) => request(api, tokens[actor]!, 'POST', url, body),
  });
  const admin = as('admin');

  on('2026-11-02');
  const created = await admin.post('/api/v1/cases', {
    decisionNumber: '〔2026〕88号', decisionDate: at('2026-11-02'), authority: '中国证券监督管理委员会',
    issuer: '示例科技股份有限公司', security: { code: '003999', name: '示例科技' },
    liableParties: [
      { id: 'issuer', name: '示例科技股份有限公司', kind: 'issuer' },
      { id: 'sponsor', name: '中兴证券股份有限公司', kind: 'sponsor' },
      { id: 'controller', name: '李某某', kind: 'actual-controller' },
    ],
    facts: '示例科技股份有限公司在2021年年度报告中虚增营业收入2.3亿元、利润总额8,600万元，保荐机构在持续督导中未勤勉尽责。',
  });
  const caseId = created.caseId as string;
  const command = (actor: string, type: string, body: unknown) => as(actor).post(`/api/v1/cases/${caseId}/commands/${type}`, body);

  on('2026-11-03');
  await command('admin', 'add-funder', { funderId: 'sponsor-zx', name: '中兴证券股份有限公司', liableParty: 'sponsor', pledgeFen: '50000000000' });
  await command('admin', 'add-funder', { funderId: 'controller-li', name: '李某某', liableParty: 'controller', pledgeFen: '10000000000' });
  await command('admin', 'confirm-deposit', { funderId: 'sponsor-zx', amountFen: '50000000000', bankReference: 'ICBC-20261103-0001', valueDate: at('2026-11-03') });
  await command('admin', 'open-announcement', { endsOn: at('2026-11-13'), seats: { representatives: 2, lawyers: 1 }, drawCommitment: drawCommitment(DRAW_SEED) });
  await command('admin', 'record-issuer-challenge', { kind: 'reconsideration', filedOn: at('2026-11-03'), body: '中国证监会行政复议委员会' });
  // A pause on the ground of the issuer's challenge is refused, and the refusal is on the record.
  await request(api, tokens['sponsor-zx']!, 'POST', `/api/v1/cases/${caseId}/commands/request-pause`, { ground: '发行人已申请行政复议，请求暂停先行赔付程序', onGroundOf: 'issuer-challenge' }).catch((error: unknown) => {
    if (!(error instanceof DemoScriptError) || !/pause-refused/.test(error.message)) throw error;
  });

  on('2026-11-05');
  await command('admin', 'confirm-deposit', { funderId: 'controller-li', amountFen: '10000000000', bankReference: 'CCB-20261105-0007', valueDate: at('2026-11-05') });
  for (const id of ['rep-1', 'rep-2', 'rep-3']) {
    const person = STAFF.find((candidate) => candidate.id === id)!;
    await command(id, 'apply-as-representative', { applicantId: id, name: person.name, ties: [] });
  }
  await request(api, tokens['rep-4']!, 'POST', `/api/v1/cases/${caseId}/commands/apply-as-representative`, { applicantId: 'rep-4', name: '投资者 冯某', ties: [{ partyId: 'sponsor', relation: 'employee' }] }).catch((error: unknown) => {
    if (!(error instanceof DemoScriptError) || !/conflict-of-interest/.test(error.message)) throw error;
  });
  for (const [id, firm] of [['law-1', '甲律师事务所'], ['law-2', '乙律师事务所']] as const) {
    await command(id, 'apply-as-lawyer', { applicantId: id, name: STAFF.find((candidate) => candidate.id === id)!.name, firm: { id: `firm-${id}`, name: firm }, ties: [] });
  }
  on('2026-11-10');
  await command('admin', 'record-selection-by-agreement', { representatives: ['rep-1'], lawyers: [] });

  on('2026-11-14');
  await command('admin', 'draw-lots', { seedHex: DRAW_SEED });
  await command('admin', 'appoint-hearing-host', { hostId: 'host-1', name: '证券业协会调解中心 王调解员' });
  await command('sponsor-zx', 'propose-plan-version', { document: await plan('demo-plan.v1.json') });
  await command('sponsor-zx', 'propose-plan-version', { document: await plan('unfair-plan.json') });
  await command('sponsor-zx', 'propose-plan-version', { document: await plan('demo-plan.v2.json') });
  await command('host-1', 'schedule-hearing', {
    date: at('2026-11-20'), venue: '中证中小投资者服务中心 第一会议室（同步网络直播）',
    agenda: [{ id: 'a1', title: '赔付方案草案及计算方法' }, { id: 'a2', title: '系统风险扣除' }],
    evidence: [{ id: 'e0', title: '行政处罚决定书〔2026〕88号', sha256: 'a3c1b0e2f4d6a8c0e2f4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8' }],
  });

  on('2026-11-20');
  const view = await admin.get(`/api/v1/cases/${caseId}`);
  const investorSide = (view.representatives as { pool: string; id: string; name?: string }[]).filter((seat) => seat.pool === 'representatives');
  for (const id of ['sponsor-zx', 'controller-li']) {
    await command('host-1', 'seat-hearing-participant', { side: 'liable-parties', participantId: id, name: STAFF.find((candidate) => candidate.id === id)!.name, capacity: '出资人' });
  }
  for (const seat of investorSide) {
    await command('host-1', 'seat-hearing-participant', { side: 'investors', participantId: seat.id, name: STAFF.find((candidate) => candidate.id === seat.id)?.name ?? seat.id, capacity: '投资者代表' });
  }
  await command('host-1', 'open-hearing', {});
  for (const version of [1, 2, 3]) {
    const planVersion = (view.plans as { hash: string }[])[version - 1]!;
    await command('host-1', 'add-evidence', { id: `plan-v${version}`, title: `赔付方案 第${version}版`, sha256: planVersion.hash });
  }
  await command('host-1', 'record-statement', { speakerId: 'sponsor-zx', text: '出资人说明：方案依照法释〔2022〕2号计算投资差额损失、佣金和印花税，采用移动加权平均法，以上证综指和行业指数对比扣除系统风险。' });
  await command('host-1', 'record-statement', { speakerId: investorSide[0]!.id, text: '投资者代表认为第2版方案第6条免除出资人责任，属于不公平格式条款，应当删除。' });
  await command('host-1', 'record-objection', { by: investorSide[0]!.id, concerning: { kind: 'agenda-item', id: 'a2' }, text: '请说明行业指数的选取依据，并公开逐日指数数据。' });
  await command('host-1', 'record-statement', { speakerId: 'controller-li', text: '实际控制人同意按第1版方案出资，并承诺在追偿程序中按过错程度承担责任。' });
  for (const signer of ['host-1', 'sponsor-zx', 'controller-li', ...investorSide.map((seat) => seat.id)]) {
    await command(signer, 'sign-hearing-record', { signerId: signer });
  }
  await command('host-1', 'close-hearing-record', {});
  const hearing = (await admin.get(`/api/v1/cases/${caseId}`)).hearing;
  await command('host-1', 'adopt-plan', { version: 1, hearingRecordHash: hearing.recordHash });

  on('2026-11-23');
  const started = await admin.post(`/api/v1/cases/${caseId}/computation-runs`, { dataset: 'demo-case' });
  await walk.settled(started.runId);
  const run = await admin.get(`/api/v1/computation-runs/${started.runId}`);
  if (run.status !== 'finished') throw new DemoScriptError(`the demo computation did not finish: ${run.error}`);
  await admin.post(`/api/v1/cases/${caseId}/computation-runs/${started.runId}/offers`);

  // The window: most investors answer through their brokers (the exchange's file), some at the
  // counter, a few dispute on the portal.
  on('2027-01-08');
  const registry = await api.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/registry-units.csv`, headers: { authorization: `Bearer ${tokens['admin']}` } });
  const credits = registry.body.trim().split('\n').slice(1).map((line) => line.split(','));
  const disputing = credits.slice(0, 3);
  const declared = credits.slice(3);
  const declarations = ['offer_id,investor,account,units,declaration,declared_on,broker'];
  declared.forEach((row, index) => {
    // About two in three accept, one in twelve refuses, the rest have not answered.
    const kind = index % 12 === 11 ? 'refuse' : index % 3 === 2 ? null : 'accept';
    if (kind) declarations.push(`${row[0]},${row[1]},${row[2]},${row[3]},${kind},${at('2027-01-08')},${index % 2 === 0 ? '中兴证券北京金融街营业部' : '某证券上海浦东营业部'}`);
  });
  await admin.post(`/api/v1/cases/${caseId}/exchange-declarations`, { file: `declarations-${at('2027-01-08').replaceAll('-', '')}.csv`, csv: declarations.join('\n') });
  for (const [index, row] of disputing.entries()) {
    const investor = row[1]!;
    tokens[investor] = (await createActor(walk.database.db, { id: investor, role: 'investor', name: investor })).token;
    await request(api, tokens[investor]!, 'POST', `/api/v1/offers/${row[0]}/dispute`, { reason: ['2021年12月3日的一笔买入未计入，请核对交割单。', '对系统风险扣除比例有疑问。', '账户合并后持股数量有误。'][index]! });
  }

  on('2027-01-15');
  // One dispute reviewed and upheld: the offer stands and is open again for the late-claim period.
  await admin.post(`/api/v1/offers/${disputing[1]![0]}/resolve-dispute`, { resolution: 'upheld', note: '经核对登记结算数据，计算无误；系统风险扣除依据方案第2条，逐日指数已在听证中公开。' });

  on(SCRIPT_TODAY);
  // After the window, the second administrator prepares the first batch; it waits for the first's approval.
  await as('admin-2').post(`/api/v1/cases/${caseId}/payment-batches`);
  await admin.post(`/api/v1/cases/${caseId}/ledger/interest`, { amountFen: '1834520', reference: `ICBC-INT-${at(SCRIPT_TODAY)}` });
  return caseId;
}

/** Investors to sign in as: one whose reopened offer can be accepted today, one already accepted. */
async function demoInvestors(caseId: string, database: Database): Promise<DemoSignIn[]> {
  const signIn = new InvestorSignIn(database.db);
  const pick = async (status: string, note: { zh: string; en: string }): Promise<DemoSignIn | null> => {
    const offer = await database.db.selectFrom('offers').select(['investor']).where('case_id', '=', caseId).where('status', '=', status as never).orderBy('closes_on', 'desc').orderBy('investor').limit(1).executeTakeFirst();
    if (!offer) return null;
    const [account] = await signIn.accountsOf(offer.investor);
    return { id: offer.investor, role: 'investor', name: offer.investor, account: account!, note };
  };
  const chosen = [
    await pick('offered', { zh: '投资者：异议复核后要约重新开放，可以接受、拒绝或再提异议', en: 'investor: the offer reopened after review; accept, refuse or dispute it' }),
    await pick('accepted', { zh: '投资者：已接受，等待支付', en: 'investor: accepted, waiting for payment' }),
  ];
  return chosen.filter((entry): entry is DemoSignIn => entry !== null);
}

/** Today's date in China, the day the demo is loaded for. */
export function demoToday(now: Date = new Date()): string {
  return chinaDate(now);
}

export const DEMO_SIGN_INS_FILE = 'demo-sign-ins.txt';

/** The sign-ins as the server prints them: who, as what, and how. */
export function describeSignIns(demo: DemoCase): string {
  const lines = [`Demo case ${demo.caseId} — sign in at /sign-in (staff: id and access token) or /portal/sign-in (investors: id, account, then the one-time code printed in this log):`];
  for (const person of demo.signIns) {
    const how = person.token ? `token ${person.token}` : `account ${person.account}`;
    lines.push(`  ${person.id.padEnd(14)} ${how}   ${person.note.en} / ${person.note.zh}`);
  }
  return lines.join('\n');
}
