import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ROLES } from '../../domain/access/roles.ts';
import { diffPlans } from '../../domain/plan/plan-diff.ts';
import { hearingRecordHash } from '../../domain/procedure/hearing-record.ts';
import type { CaseState } from '../../domain/procedure/case-state.ts';
import type { Api } from '../../server/api/app.ts';
import { EXAMPLES_DIR, loadDemoCase, type DemoCase } from '../../server/demo-platform.ts';
import { buildServer } from '../../server/serve.ts';
import { CaseStore } from '../../store/case-store.ts';
import { openDatabase, type Database } from '../../store/database.ts';

/**
 * The public pages on the demo case, read as the public: the case list, the case's published
 * record (representatives and the verified draw, the hearing and its hash, the plan versions and
 * their review), the plan and diff pages, the live progress — and no investor's id or securities
 * account anywhere on them.
 */
const TODAY = '2026-11-25';

describe('the public pages', () => {
  let database: Database;
  let api: Api;
  let demo: DemoCase;
  let state: CaseState;

  before(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    demo = (await loadDemoCase(database, { today: TODAY }))!;
    ({ api } = await buildServer({
      database, importRoot: EXAMPLES_DIR, workRoot: mkdtempSync(join(tmpdir(), 'redress-public-')), workers: 1,
      clock: { now: () => new Date(`${TODAY}T10:00:00+08:00`) },
      notificationSender: { send: async () => {} },
    }));
    state = (await new CaseStore(database.db).load(demo.caseId))!.state;
  });
  after(async () => {
    await api.close();
    await database.close();
  });

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const response = await api.inject({ method: 'GET', url, headers });
    return { status: response.statusCode, html: response.body, headers: response.headers };
  };
  const page = async (url: string) => {
    const response = await get(url);
    assert.equal(response.status, 200, `${url} answers 200`);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    return response.html;
  };
  const caseUrl = () => `/cases/${demo.caseId}`;
  /** The text of the element carrying `attribute`, e.g. data-count="accepted". */
  const textAt = (html: string, attribute: string) => new RegExp(`${attribute}[^>]*>([^<]*)<`).exec(html)?.[1] ?? null;

  it('lists the demo case for the public, with its decision, clock and progress', async () => {
    const html = await page('/cases');
    assert.match(html, new RegExp(`<a href="/cases/${demo.caseId}">示例科技（003999） 〔2026〕88号</a>`));
    assert.match(html, /〔2026〕88号（中国证券监督管理委员会，/);
    assert.ok(html.includes(`${state.limitDate}（剩余 8 天）`), 'the limit date and the days left');
    assert.match(html, /已接受 642 \/ 965 名投资者（66\.5%）/);
    assert.match(html, /<div class="bar" aria-hidden="true"><span style="width:66\.5%"><\/span><\/div>/);
    assert.match(html, /已支付 0 \/ 642 名已接受的投资者（0\.0%）/);
  });

  it('admits every role, the public included, on every public page', () => {
    const pages = api.webRouteTable.filter((route) => route.url.startsWith('/cases'));
    assert.deepEqual(pages.map((route) => route.url).sort(), [
      '/cases', '/cases/:caseId', '/cases/:caseId/plans/:version', '/cases/:caseId/plans/:version/diff', '/cases/:caseId/progress', '/cases/:caseId/progress/fragment',
    ]);
    for (const route of pages) assert.deepEqual([...route.roles].sort(), [...ROLES].sort(), route.url);
  });

  it('shows the representatives and lawyers and how each was chosen', async () => {
    const html = await page(caseUrl());
    const row = (name: string) => new RegExp(`<td>${name}</td><td>[^<]+</td><td><span data-chosen-by="(\\w+)">`).exec(html)?.[1];
    assert.equal(row('投资者代表 周某'), 'agreement');
    assert.equal(row('投资者代表 吴某'), 'lot');
    assert.equal(row('赵律师'), 'lot');
    assert.equal((html.match(/data-chosen-by=/g) ?? []).length, state.seats.representatives.length + state.seats.lawyers.length);
  });

  it('recomputes each draw live and shows it verified, with the commitment, the seed and the command line', async () => {
    const html = await page(caseUrl());
    const draws = state.draw!.draws;
    assert.equal(draws.length, 2);
    assert.equal((html.match(/data-verified="true"/g) ?? []).length, draws.length);
    assert.equal((html.match(/data-verified="false"/g) ?? []).length, 0);
    assert.match(html, /<span data-verified="true">验证通过<\/span>/);
    assert.ok(html.includes(`<code>${state.announcement!.drawCommitment}</code>`));
    assert.ok(html.includes(`<code>${state.draw!.seedHex}</code>`));
    assert.match(html, /HMAC-SHA256/);
    assert.ok(html.includes(`curl -s http://localhost:80/api/v1/cases/${demo.caseId}/draws -o draws.json\nnpx redress verify-draw --draw draws.json --lang zh`));
    const english = await page(`${caseUrl()}?lang=en`);
    assert.match(english, /<span data-verified="true">verified<\/span>/);
  });

  it('shows the hearing with its record, whose SHA-256 is the one in the case state', async () => {
    const html = await page(caseUrl());
    const closed = state.hearing!.closed!;
    assert.equal(textAt(html, 'data-record-hash="sha256"'), closed.recordHash);
    assert.equal(hearingRecordHash(closed.record), closed.recordHash, 'the hash is the record\'s own');
    assert.ok(html.includes(closed.record.notice.venue));
    for (const evidence of closed.record.evidence) assert.ok(html.includes(`<code>${evidence.sha256}</code>`), evidence.id);
    for (const signature of closed.record.signatures) assert.ok(html.includes(`<code>${signature.contentHash}</code>`));
    assert.match(html, /<td>投资者代表 周某<\/td><td>2026-09-20<\/td><td>投资者代表认为第2版方案第6条/);
    assert.match(html, /<td>投资者代表 周某<\/td><td>议程：系统风险扣除<\/td>/);
    assert.match(html, /<h3>投资者一方<\/h3><ul><li>投资者代表 周某（投资者代表）<\/li><li>投资者代表 吴某（投资者代表）<\/li><\/ul>/);
  });

  it('lists the three plan versions, with the review\'s flags on version 2 and version 1 adopted', async () => {
    const html = await page(caseUrl());
    assert.deepEqual([...html.matchAll(/data-plan-version="(\d+)"/g)].map((match) => Number(match[1])), [1, 2, 3]);
    const flagged = state.planVersions[1]!.flags.map((flag) => flag.id);
    assert.deepEqual(flagged, ['c4:waives-right-to-sue', 'c7:no-dispute', 'c8:investor-bears-costs']);
    assert.deepEqual([...html.matchAll(/<li data-flag="([^"]+)">/g)].map((match) => match[1]), flagged);
    assert.match(html, /<span class="tag tag-bad">3 项提示<\/span>/);
    assert.equal((html.match(/<span class="tag tag-good">未发现问题<\/span>/g) ?? []).length, 2);
    assert.equal((html.match(/<span class="tag tag-good">已通过<\/span>/g) ?? []).length, 1);
    for (const plan of state.planVersions) assert.ok(html.includes(`<code>${plan.hash}</code>`));
  });

  it('shows progress counts equal to the offers in the database, on the case page, the progress page and its fragment', async () => {
    const counted = await database.db.selectFrom('offers').select(['status']).select((eb) => eb.fn.countAll<string>().as('count'))
      .where('case_id', '=', demo.caseId).groupBy('status').execute();
    const count = (status: string) => String(Number(counted.find((row) => row.status === status)?.count ?? 0));
    assert.equal(count('accepted'), '642');
    const offered = String(counted.filter((row) => row.status !== 'superseded').reduce((sum, row) => sum + Number(row.count), 0));
    for (const url of [caseUrl(), `${caseUrl()}/progress`, `${caseUrl()}/progress/fragment`]) {
      const html = await page(url);
      assert.equal(textAt(html, 'data-count="offered"'), offered, url);
      assert.equal(textAt(html, 'data-count="accepted"'), count('accepted'), url);
      assert.equal(textAt(html, 'data-count="refused"'), count('refused'), url);
      assert.equal(textAt(html, 'data-count="disputed"'), count('disputed'), url);
      assert.equal(textAt(html, 'data-count="open"'), count('offered'), url);
      assert.match(html, /<svg class="chart" viewBox="0 0 640 150" role="img"/, url);
    }
    const fragment = await page(`${caseUrl()}/progress/fragment`);
    assert.ok(fragment.startsWith('<div id="live-progress"'), 'the fragment is the block alone');
    assert.ok(!fragment.includes('<html'));
    const casePage = await page(caseUrl());
    assert.ok(casePage.includes(`hx-get="/cases/${demo.caseId}/progress/fragment?lang=zh" hx-trigger="every 30s" hx-swap="outerHTML"`));
  });

  it('renders a plan version readably, its flagged clauses marked and excluded investors masked', async () => {
    const first = await page(`${caseUrl()}/plans/1`);
    assert.match(first, /<h1>示例科技（003999）虚假陈述先行赔付方案/);
    assert.match(first, /<dt>买入均价计算方法<\/dt><dd>移动加权平均法<\/dd>/);
    assert.match(first, /<dt>佣金费率<\/dt><dd>0\.03%<\/dd>/);
    assert.match(first, /2 名（编号已遮蔽：IN\*{6}54、IN\*{6}19）/);
    assert.match(first, /经听证通过/);
    const second = await page(`${caseUrl()}/plans/2`);
    assert.deepEqual([...second.matchAll(/data-clause="(\w+)" data-flagged="true"/g)].map((match) => match[1]), ['c4', 'c7', 'c8']);
    assert.match(second, /格式条款审查提示 3 项/);
    assert.match(second, /所涉语句：「接受赔付的效果：投资者接受赔付的，即与出资人达成和解，并视为放弃/);
    const english = await page(`${caseUrl()}/plans/2?lang=en`);
    assert.match(english, /The standard-terms review raised 3 flags/);
    assert.equal((await get(`${caseUrl()}/plans/4`)).status, 404);
  });

  it('renders the readable diff between two versions, one line per change', async () => {
    const loaded = (await new CaseStore(database.db).load(demo.caseId))!;
    const documentOf = (version: number) => loaded.state.planVersions.find((plan) => plan.version === version)!.document;
    const html = await page(`${caseUrl()}/plans/2/diff?against=1`);
    const changes = diffPlans(documentOf(1), documentOf(2));
    assert.equal([...html.matchAll(/<li data-path="([^"]+)"/g)].length, changes.length);
    assert.match(html, /协议条款 c8（agreement\.clauses\[c8\]）：由「/);
    assert.match(html, /<ins class="diff-added">费用：基金的管理、托管和审计费用从投资者的赔付款中扣除。<\/ins>/);
    const defaultAgainst = await page(`${caseUrl()}/plans/3/diff`);
    assert.match(defaultAgainst, /第 3 版与第 2 版的差异/);
    assert.match(defaultAgainst, /<option value="2" selected>/);
    const english = await page(`${caseUrl()}/plans/3/diff?against=1&lang=en`);
    assert.match(english, /commission rate \(lossParameters\.fees\.commissionRate\): changed from &quot;0\.0003&quot; to &quot;0\.0005&quot;/);
    assert.equal((await get(`${caseUrl()}/plans/1/diff`)).status, 404);
  });

  it('answers an unknown case with a page that says so', async () => {
    const response = await get('/cases/case-000000000000');
    assert.equal(response.status, 404);
    assert.match(response.html, /未找到案件/);
  });

  it('shows no investor id and no securities account anywhere on the public pages', async () => {
    const urls = ['/cases', '/cases?lang=en', caseUrl(), `${caseUrl()}?lang=en`, `${caseUrl()}/progress`, `${caseUrl()}/progress/fragment`];
    for (const plan of state.planVersions) {
      urls.push(`${caseUrl()}/plans/${plan.version}`, `${caseUrl()}/plans/${plan.version}?lang=en`);
      for (const other of state.planVersions) if (other.version !== plan.version) urls.push(`${caseUrl()}/plans/${plan.version}/diff?against=${other.version}`);
    }
    const investors = new Set((await database.db.selectFrom('offers').select('investor').where('case_id', '=', demo.caseId).execute()).map((row) => row.investor));
    for (const row of await database.db.selectFrom('investor_results').select('investor').execute()) investors.add(row.investor);
    const accounts = new Set((await sql<{ account: string }>`
      select distinct step -> 'trade' ->> 'account' as account
      from investor_results, jsonb_array_elements(sheet -> 'history') as step
      where step -> 'trade' ->> 'account' is not null`.execute(database.db)).rows.map((row) => row.account));
    assert.ok(investors.size >= 2000, `investor ids to look for: ${investors.size}`);
    assert.ok(accounts.size >= 900, `accounts to look for: ${accounts.size}`);
    assert.ok(urls.length >= 16);
    for (const url of urls) {
      const html = await page(url);
      assert.equal(/INV\d{7}/.exec(html)?.[0], undefined, `${url} shows no full investor id`);
      for (const id of investors) assert.ok(!html.includes(id), `${url} shows ${id}`);
      for (const digits of html.match(/\d{8,}/g) ?? []) {
        for (const account of accounts) assert.ok(!digits.includes(account), `${url} shows the account ${account}`);
      }
    }
  });
});
