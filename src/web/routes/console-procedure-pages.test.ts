import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { caseProgress } from '../../domain/procedure/case-progress.ts';
import { drawCommitment, verifyDraw } from '../../domain/procedure/lot-draw.ts';
import type { Api } from '../../server/api/app.ts';
import { EXAMPLES_DIR, loadDemoCase } from '../../server/demo-platform.ts';
import { buildServer } from '../../server/serve.ts';
import { CaseStore } from '../../store/case-store.ts';
import { openDatabase, type Database } from '../../store/database.ts';
import { yuan } from '../views/ui.tsx';
import { PHASE_NAMES } from '../views/words.ts';

const TODAY = '2026-11-25';

describe('console pages of the procedure', () => {
  let database: Database;
  let api: Api;
  let caseId: string;
  let store: CaseStore;
  const tokens = new Map<string, string>();
  const cookies = new Map<string, string>();

  before(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    const demo = await loadDemoCase(database, { today: TODAY });
    assert.ok(demo);
    caseId = demo.caseId;
    for (const person of demo.signIns) if (person.token) tokens.set(person.id, person.token);
    ({ api } = await buildServer({
      database, importRoot: EXAMPLES_DIR, workRoot: mkdtempSync(join(tmpdir(), 'redress-console-procedure-')),
      clock: { now: () => new Date(`${TODAY}T10:00:00+08:00`) }, workers: 1, notificationSender: { send: async () => {} }, signInRateLimit: 1000,
    }));
    store = new CaseStore(database.db);
  });

  after(async () => {
    await api?.close();
    await database?.close();
  });

  /** Signs a staff member in through the sign-in form and keeps the session cookie. */
  async function session(actorId: string): Promise<string> {
    const known = cookies.get(actorId);
    if (known) return known;
    const response = await api.inject({
      method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ actorId, token: tokens.get(actorId)! }).toString(),
    });
    assert.equal(response.statusCode, 303, `sign-in of ${actorId}`);
    const setCookie = [response.headers['set-cookie']].flat().find((line) => line?.startsWith('redress_session='));
    assert.ok(setCookie, 'a session cookie is set');
    const cookie = setCookie.split(';')[0]!;
    cookies.set(actorId, cookie);
    return cookie;
  }

  async function get(actorId: string | null, url: string) {
    return api.inject({ method: 'GET', url, headers: actorId === null ? {} : { cookie: await session(actorId) } });
  }

  async function post(actorId: string, url: string, fields: Record<string, string>) {
    return api.inject({
      method: 'POST', url, headers: { cookie: await session(actorId), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
  }

  function csrfOf(html: string): string {
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(token, 'the page carries the CSRF token');
    return token;
  }

  /** Every label must find its own input: no id twice on a page, and every label's target exists. */
  function assertLabelled(html: string, where: string) {
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]!);
    assert.deepEqual(ids.filter((id, index) => ids.indexOf(id) !== index), [], `ids used twice on ${where}`);
    for (const [, target] of html.matchAll(/<label for="([^"]+)"/g)) assert.ok(ids.includes(target!), `label for ${target} on ${where}`);
  }

  const pageUrl = (path = '') => `/console/cases/${caseId}${path}`;

  it('lists the case on the console home with its days left', async () => {
    const response = await get('admin', '/console');
    assert.equal(response.statusCode, 200);
    const { state } = (await store.load(caseId))!;
    const progress = caseProgress(state, TODAY);
    assert.match(response.body, new RegExp(`href="${pageUrl()}"`));
    assert.match(response.body, /示例科技（003999）/);
    assert.ok(response.body.includes(`>${progress.daysLeft}`), `days left ${progress.daysLeft} shown`);
    assert.ok(response.body.includes('/api/openapi.json'), 'links to the API description for new cases');
  });

  it('shows the dashboard: limit date, days left, phase and the timeline', async () => {
    const response = await get('admin', pageUrl());
    assert.equal(response.statusCode, 200);
    const { state } = (await store.load(caseId))!;
    const progress = caseProgress(state, TODAY);
    assert.equal(progress.daysLeft, (Date.parse(progress.limitDate) - Date.parse(TODAY)) / 86_400_000, 'calendar days from today to the limit');
    assert.ok(progress.daysLeft > 0 && progress.daysLeft < 14, 'the demo is loaded days before its limit');
    assert.match(response.body, new RegExp(`id="limit-date">${progress.limitDate}<`));
    assert.match(response.body, new RegExp(`id="days-left">${progress.daysLeft}<`));
    assert.match(response.body, new RegExp(`id="phase">${PHASE_NAMES[progress.phase].zh}<`));
    const timeline = /<ol class="timeline">([\s\S]*?)<\/ol>/.exec(response.body)?.[1] ?? '';
    assert.equal((timeline.match(/<li/g) ?? []).length, 10, 'ten steps from the decision to the close');
    assert.equal((timeline.match(/<li class="current/g) ?? []).length, 1, 'exactly one current step');
    assert.ok(timeline.includes(state.penalty!.decisionDate), 'the decision date is on the timeline');
    assert.ok(timeline.includes(state.adoptedPlan!.adoptedOn), 'the adoption date is on the timeline');
    // The demo's batch awaits approval: payment is the step in progress.
    assert.match(timeline, /<li class="current"[^>]*><strong>支付<\/strong>/);
    assert.ok(response.body.includes('批准 1 个支付批次'), 'the administrator is told to approve the waiting batch');
  });

  it('shows funders with pledges and shortfalls, and both deposits', async () => {
    const response = await get('admin', pageUrl('/funding'));
    assert.equal(response.statusCode, 200);
    const { state } = (await store.load(caseId))!;
    assert.equal(state.funders.length, 2);
    for (const funder of state.funders) {
      assert.ok(response.body.includes(funder.name), funder.name);
      assert.ok(response.body.includes(yuan(funder.pledgedFen)), `pledge of ${funder.funderId}`);
    }
    assert.ok(response.body.includes('¥500,000,000.00') && response.body.includes('¥100,000,000.00'));
    for (const reference of ['ICBC-20261103-0001', 'CCB-20261105-0007']) assert.ok(response.body.includes(reference), reference);
    assert.match(response.body, new RegExp(`id="deposited-total"><span class="money">${yuan(state.depositedFen).replace(/[$^.()|[\]\\*+?{}]/g, '\\$&')}<`));
    assert.match(response.body, /<form method="post" action="\/console\/cases\/[^"]+\/commands\/confirm-deposit"/, 'the administrator has the deposit form');
  });

  it('shows the announcement with the refused application and the draw verified live', async () => {
    const response = await get('admin', pageUrl('/announcement'));
    assert.equal(response.statusCode, 200);
    const { state } = (await store.load(caseId))!;
    assert.ok(state.draw);
    assert.ok(response.body.includes(state.draw.seedHex), 'the revealed seed');
    assert.ok(response.body.includes(state.announcement!.drawCommitment), 'the commitment');
    assert.ok(response.body.includes('与承诺值一致'), 'the seed hashes to the commitment');
    assert.equal(state.draw.draws.filter((draw) => verifyDraw(draw).ok).length, 2);
    assert.equal((response.body.match(/复核一致/g) ?? []).length, 2, 'both pools verified');
    assert.match(response.body, /投资者 冯某[\s\S]*?被拒绝：存在利益冲突/, 'the conflicted applicant is shown as refused');
    for (const applicant of state.applicants) assert.ok(response.body.includes(applicant.name), applicant.name);
  });

  it('shows the hearing with seats, evidence hashes and the record hash from the state', async () => {
    const response = await get('admin', pageUrl('/hearing'));
    assert.equal(response.statusCode, 200);
    const { state } = (await store.load(caseId))!;
    const closed = state.hearing!.closed!;
    assert.match(response.body, new RegExp(`id="record-hash"><code>${closed.recordHash}</code>`));
    assert.ok(response.body.includes('双方均衡'), 'the sides are balanced');
    for (const item of state.hearing!.addedEvidence) assert.ok(response.body.includes(item.sha256), item.id);
    assert.equal((response.body.match(/与笔录一致/g) ?? []).length, closed.record.signatures.length, 'every signature cites the record');
  });

  it('shows the plan versions with the review flag of version 2', async () => {
    const response = await get('admin', pageUrl('/plans'));
    assert.equal(response.statusCode, 200);
    const { state } = (await store.load(caseId))!;
    const flagged = state.planVersions.find((plan) => plan.version === 2)!;
    assert.ok(flagged.flags.length > 0, 'the demo flags version 2');
    for (const flag of flagged.flags) {
      assert.ok(response.body.includes(flag.ruleId), flag.ruleId);
      assert.ok(response.body.includes(flag.explanation.zh), flag.id);
    }
    assert.match(response.body, /第 1 版<\/a>[\s\S]*?已通过/);
    assert.ok(response.body.includes(state.adoptedPlan!.hearingRecordHash));
  });

  it('shows one plan version with its document and the changes from the version before', async () => {
    const response = await get('admin', pageUrl('/plans/2'));
    assert.equal(response.statusCode, 200);
    const { state } = (await store.load(caseId))!;
    const plan = state.planVersions[1]!;
    assert.ok(response.body.includes(plan.document.title));
    for (const clause of plan.document.agreement.clauses) assert.ok(response.body.includes(`id="clause-${clause.id}"`));
    assert.match(response.body, /从第 1 版到第 2 版/);
    assert.ok(response.body.includes('class="diff-added"'), 'changes are shown');
    assert.equal((await get('admin', pageUrl('/plans/9'))).statusCode, 404);
  });

  it('confirms a deposit through the form, and refuses the same bank reference again', async () => {
    const before = (await store.load(caseId))!.state;
    const page = await get('admin', pageUrl('/funding'));
    const fields = { _csrf: csrfOf(page.body), funderId: 'controller-li', amountYuan: '1,234.5', bankReference: 'CCB-20261125-WEB1', valueDate: TODAY };

    const accepted = await post('admin', pageUrl('/commands/confirm-deposit'), fields);
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, `${pageUrl('/funding')}?done=confirm-deposit`);
    const after = (await store.load(caseId))!.state;
    assert.equal(after.deposits.length, before.deposits.length + 1);
    assert.equal(after.depositedFen - before.depositedFen, 123450n);
    const shown = await get('admin', String(accepted.headers.location));
    assert.ok(shown.body.includes('CCB-20261125-WEB1'));
    assert.ok(shown.body.includes('¥1,234.50'));
    assert.match(shown.body, /class="flash flash-good"[^>]*>已确认到账/);

    const again = await post('admin', pageUrl('/commands/confirm-deposit'), fields);
    assert.equal(again.statusCode, 303);
    assert.match(String(again.headers.location), /\/funding\?refused=duplicate&note=[^&]+&sig=[\w-]{43}$/);
    const refused = await get('admin', String(again.headers.location));
    assert.match(refused.body, /class="flash flash-bad" role="alert">[\s\S]*?银行流水号 CCB-20261125-WEB1 已于 2026-11-25 确认过/);
    const english = await get('admin', `${String(again.headers.location)}&lang=en`);
    assert.match(english.body, /bank reference CCB-20261125-WEB1 was already confirmed on 2026-11-25/);
    const unchanged = (await store.load(caseId))!.state;
    assert.equal(unchanged.deposits.length, after.deposits.length, 'nothing changed');
    assert.equal(unchanged.depositedFen, after.depositedFen);
  });

  it('refuses an amount that is not yuan with a reason, and shows no reason it did not seal', async () => {
    const page = await get('admin', pageUrl('/funding'));
    const response = await post('admin', pageUrl('/commands/confirm-deposit'), { _csrf: csrfOf(page.body), funderId: 'controller-li', amountYuan: '12.345', bankReference: 'CCB-X', valueDate: TODAY });
    assert.equal(response.statusCode, 303);
    const shown = await get('admin', String(response.headers.location));
    assert.match(shown.body, /金额须是以元为单位、最多两位小数的金额/);

    const forged = Buffer.from(JSON.stringify({ zh: '请拨打 400 电话', en: 'call us' })).toString('base64url');
    const tampered = await get('admin', `${pageUrl('/funding')}?refused=duplicate&note=${forged}&sig=${'0'.repeat(43)}`);
    assert.equal(tampered.statusCode, 200);
    assert.ok(!tampered.body.includes('请拨打'), 'an unsealed reason is not shown');
    assert.match(tampered.body, /class="flash flash-bad" role="alert">未办理：重复办理</);
  });

  it('refuses a form posted without the session token, and changes nothing', async () => {
    const before = (await store.load(caseId))!.state;
    const response = await post('admin', pageUrl('/commands/confirm-deposit'), { funderId: 'controller-li', amountYuan: '10.00', bankReference: 'CCB-NO-TOKEN', valueDate: TODAY });
    assert.equal(response.statusCode, 403);
    assert.equal((await store.load(caseId))!.state.deposits.length, before.deposits.length);
  });

  it('refuses a command to a role it does not admit', async () => {
    const page = await get('admin', pageUrl('/plans'));
    const { state } = (await store.load(caseId))!;
    const response = await post('admin', pageUrl('/commands/adopt-plan'), { _csrf: csrfOf(page.body), version: '1', hearingRecordHash: state.hearing!.closed!.recordHash });
    assert.equal(response.statusCode, 403);
  });

  it('labels every field of every page once', async () => {
    for (const path of ['', '/funding', '/announcement', '/hearing', '/plans', '/plans/2']) assertLabelled((await get('admin', pageUrl(path))).body, path || 'the dashboard');
  });

  it('shows the auditor every section and no form', async () => {
    for (const path of ['', '/funding', '/announcement', '/hearing', '/plans', '/plans/2']) {
      const response = await get('auditor', pageUrl(path));
      assert.equal(response.statusCode, 200, path);
      assert.doesNotMatch(response.body, /<form method="post" action="\/console\//, `no form on ${path || 'the dashboard'}`);
    }
  });

  it('shows the hearing host the closed record without forms', async () => {
    const response = await get('host-1', pageUrl('/hearing'));
    assert.equal(response.statusCode, 200);
    assert.ok(response.body.includes('笔录已封存，内容和签名不再变动'));
    assert.doesNotMatch(response.body, /<form method="post" action="\/console\//);
  });

  it('refuses a representative the funding section', async () => {
    const response = await get('rep-1', pageUrl('/funding'));
    assert.equal(response.statusCode, 403);
    assert.equal((await get('rep-1', pageUrl('/announcement'))).statusCode, 200);
  });

  it('sends the public to sign in', async () => {
    for (const path of ['/console', pageUrl(), pageUrl('/funding'), pageUrl('/plans/1')]) {
      const response = await get(null, path);
      assert.equal(response.statusCode, 303, path);
      assert.equal(response.headers.location, `/sign-in?next=${encodeURIComponent(path)}`);
    }
  });

  describe('a new case taken through its first steps on the console', () => {
    let newCase: string;
    const seed = '5eed'.repeat(16);

    /** Fills a form the way a browser does: the page first (for its token), then the post, then the page it returns to. */
    async function submit(actorId: string, pagePath: string, type: string, fields: Record<string, string>) {
      const page = await get(actorId, `/console/cases/${newCase}${pagePath}`);
      assert.equal(page.statusCode, 200, pagePath);
      const response = await post(actorId, `/console/cases/${newCase}/commands/${type}`, { _csrf: csrfOf(page.body), ...fields });
      assert.equal(response.statusCode, 303, type);
      const location = String(response.headers.location);
      const body = (await get(actorId, location)).body;
      assertLabelled(body, location);
      return { location, body };
    }

    before(async () => {
      const created = await api.inject({
        method: 'POST', url: '/api/v1/cases', headers: { authorization: `Bearer ${tokens.get('admin')}` },
        payload: {
          decisionNumber: '〔2026〕101号', decisionDate: '2026-11-20', authority: '中国证券监督管理委员会', issuer: '测试材料股份有限公司',
          security: { code: '003998', name: '测试材料' }, liableParties: [{ id: 'issuer-t', name: '测试材料股份有限公司', kind: 'issuer' }, { id: 'sponsor', name: '中兴证券股份有限公司', kind: 'sponsor' }],
          facts: '测试材料股份有限公司在年度报告中虚增收入。',
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      newCase = created.json().caseId;
    });

    it('registers a funder and opens the announcement', async () => {
      const funder = await submit('admin', '/funding', 'add-funder', { funderId: 'sponsor-zx', name: '中兴证券股份有限公司', liableParty: 'sponsor', pledgeYuan: '2,000,000' });
      assert.equal(funder.location, `/console/cases/${newCase}/funding?done=add-funder`);
      assert.match(funder.body, /已登记出资人/);
      assert.ok(funder.body.includes('¥2,000,000.00'));
      assert.equal((await store.load(newCase))!.state.funders[0]!.pledgedFen, 200_000_000n);

      const opened = await submit('admin', '/announcement', 'open-announcement', { endsOn: '2026-11-30', representatives: '2', lawyers: '0', drawCommitment: drawCommitment(seed) });
      assert.match(opened.body, /公告期已开始/);
      assert.ok(opened.body.includes(drawCommitment(seed)));
      const dashboard = await get('admin', `/console/cases/${newCase}`);
      assert.match(dashboard.body, /id="phase">公告期</);
      assert.ok(dashboard.body.includes('记录申请人协商确定的人选'), 'the administrator is told what comes next');
    });

    it('takes applications, shows a conflicted one as refused, and records the selection by agreement', async () => {
      const applied = await submit('rep-2', '/announcement', 'apply-as-representative', { name: '投资者代表 吴某', ties: '' });
      assert.match(applied.body, /申请已受理/);
      assert.deepEqual((await store.load(newCase))!.state.applicants.map((applicant) => applicant.applicantId), ['rep-2']);

      const conflicted = await submit('rep-4', '/announcement', 'apply-as-representative', { name: '投资者 冯某', ties: 'sponsor employee' });
      assert.match(conflicted.location, /refused=conflict-of-interest/);
      assert.match(conflicted.body, /存在利益冲突：申请人申报与责任主体 中兴证券股份有限公司存在关系（employee）/);
      const listed = await get('admin', `/console/cases/${newCase}/announcement`);
      assert.match(listed.body, /投资者 冯某[\s\S]*?被拒绝：存在利益冲突/);

      const chosen = await submit('admin', '/announcement', 'record-selection-by-agreement', { representatives: 'rep-2' });
      assert.match(chosen.body, /已记录协商确定的人选/);
      assert.match(chosen.body, /协商当选（2026-11-25）/);
      assert.deepEqual((await store.load(newCase))!.state.seats.representatives.map((seat) => seat.applicantId), ['rep-2']);
    });

    it('proposes a plan version from a pasted document, and refuses a document that is not JSON', async () => {
      const document = (await store.load(caseId))!.state.planVersions[0]!.document;
      const bad = await submit('admin', '/plans', 'propose-plan-version', { document: '{ "title": ' });
      assert.match(bad.body, /方案文件不是有效的 JSON/);
      const proposed = await submit('admin', '/plans', 'propose-plan-version', { document: JSON.stringify(document) });
      assert.match(proposed.body, /方案新版本已提出并公布/);
      const plan = (await store.load(newCase))!.state.planVersions[0]!;
      assert.ok(proposed.body.includes(plan.hash));
    });

    it('lets the appointed host schedule the hearing with its agenda and evidence', async () => {
      const appointed = await submit('admin', '/hearing', 'appoint-hearing-host', { hostId: 'host-1', name: '证券业协会调解中心 王调解员' });
      assert.match(appointed.body, /已指定听证主持人/);
      const planHash = (await store.load(newCase))!.state.planVersions[0]!.hash;
      const scheduled = await submit('host-1', '/hearing', 'schedule-hearing', {
        date: '2026-12-05', venue: '第二会议室', agenda: 'a1 | 赔付方案\na2 | 系统风险扣除', evidence: `plan-v1 | 方案第1版 | ${planHash}`,
      });
      assert.match(scheduled.body, /已安排听证并发出通知/);
      assert.match(scheduled.body, /<li>系统风险扣除 <span class="muted">a2<\/span><\/li>/);
      assert.ok(scheduled.body.includes(planHash));
      const early = await submit('host-1', '/hearing', 'open-hearing', {});
      assert.match(early.location, /refused=date-order/);
      assert.match(early.body, /听证定于 2026-12-05 举行，不是今天/);
    });
  });

  it('answers an unknown case with a 404 page', async () => {
    const response = await get('admin', '/console/cases/case-nothing');
    assert.equal(response.statusCode, 404);
    assert.match(response.body, /未找到案件/);
  });
});
