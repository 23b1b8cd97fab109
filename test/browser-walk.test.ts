import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Api } from '../src/server/api/app.ts';
import { EXAMPLES_DIR, loadDemoCase, type DemoCase } from '../src/server/demo-platform.ts';
import { buildServer } from '../src/server/serve.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import type { Notification } from '../src/store/notification-outbox.ts';
import { yuan } from '../src/web/views/ui.tsx';

/**
 * The demo walked in a real browser (Debian's Chromium driven by playwright-core), as its people
 * would: the public reads the case, an investor signs in with the code the outbox delivered, reads
 * the calculation, accepts and downloads the statement; the administrator who prepared a payment
 * batch cannot approve it, a second one can, once. Screenshots of the pages go to test-results/.
 */
const TODAY = '2026-11-25';
const root = fileURLToPath(new URL('..', import.meta.url));
const screenshots = join(root, 'test-results');

describe('the demo in a browser', () => {
  let database: Database;
  let api: Api;
  let demo: DemoCase;
  let browser: Browser;
  let base = '';
  const sent: Notification[] = [];

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await openDatabase({ dataDir: 'memory://' });
    demo = (await loadDemoCase(database, { today: TODAY }))!;
    ({ api } = await buildServer({
      database, importRoot: EXAMPLES_DIR, workRoot: mkdtempSync(join(tmpdir(), 'redress-browser-')), workers: 1,
      clock: { now: () => new Date(`${TODAY}T10:00:00+08:00`) },
      notificationSender: { send: async (notification) => { sent.push(notification); } },
    }));
    base = await api.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      // As root in CI, and on a machine with no outside network: no sandbox, no background traffic.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    assert.deepEqual(browserErrors, [], 'no script error or refused resource on any page');
    await browser?.close();
    await api?.close();
    await database?.close();
  });

  /** Script errors and refused resources (a content security policy that blocks the site's own htmx, say) fail the walk. */
  const browserErrors: string[] = [];
  const newPage = async (viewport = { width: 1280, height: 900 }) => {
    const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN' });
    context.on('page', (opened) => watch(opened));
    const page = await context.newPage();
    return page;
  };
  const watch = (page: Page) => {
    page.on('console', (message) => { if (message.type() === 'error') browserErrors.push(`${page.url()}: ${message.text()}`); });
    page.on('pageerror', (error) => browserErrors.push(`${page.url()}: ${error.message}`));
  };
  /**
   * What every page owes its readers, checked where it is shot: one h1, a language switch, every
   * form control with a label, every chart with a title, and nothing wider than a phone's screen.
   */
  const shoot = async (page: Page, name: string) => {
    const audit = await page.evaluate(() => ({
      h1: document.querySelectorAll('h1').length,
      languageSwitch: document.querySelectorAll('a.lang').length,
      unlabelled: Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
        .filter((element) => ((element as HTMLInputElement).labels?.length ?? 0) === 0 && !element.getAttribute('aria-label')).map((element) => element.outerHTML),
      untitledCharts: Array.from(document.querySelectorAll('svg')).filter((svg) => !svg.querySelector('title') && svg.getAttribute('aria-hidden') !== 'true' && !svg.getAttribute('aria-label')).length,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    }));
    assert.equal(audit.h1, 1, `${name}: one h1`);
    assert.equal(audit.languageSwitch, 1, `${name}: a language switch`);
    assert.deepEqual(audit.unlabelled, [], `${name}: labelled controls`);
    assert.equal(audit.untitledCharts, 0, `${name}: charts have titles`);
    assert.ok(audit.overflow <= 1, `${name}: the page is ${audit.overflow}px wider than the screen`);
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  };
  const signInAsStaff = async (page: Page, id: string) => {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('账号').fill(id);
    await page.getByLabel('访问令牌').fill(demo.signIns.find((person) => person.id === id)!.token!);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/console/);
  };

  it('shows the public the case, its representatives, hearing and progress, with no investor id in full', async () => {
    const page = await newPage();
    await page.goto(`${base}/cases`);
    await page.getByRole('link', { name: /示例科技/ }).first().click();
    await page.waitForURL(new RegExp(`/cases/${demo.caseId}`));
    const html = await page.content();
    assert.match(html, /验证通过|verified/i, 'the lot draw is verified on the page');
    assert.doesNotMatch(html, /INV\d{7}/, 'no investor id in full');
    await shoot(page, 'public-case');
    await page.goto(`${base}/cases/${demo.caseId}?lang=en`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.context().close();
    const phone = await newPage({ width: 390, height: 844 });
    await phone.goto(`${base}/cases/${demo.caseId}/progress`);
    await shoot(phone, 'public-progress-phone');
    await phone.goto(`${base}/cases/${demo.caseId}/plans/2`);
    await shoot(phone, 'public-plan-v2-phone');
    await phone.context().close();
  });

  it('lets an investor sign in with a one-time code, read the calculation, accept and download the statement', async () => {
    const investor = demo.signIns.find((person) => person.role === 'investor' && /reopened/.test(person.note.en))!;
    const offer = await database.db.selectFrom('offers').selectAll().where('investor', '=', investor.id).where('status', '=', 'offered').executeTakeFirstOrThrow();
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(`${base}/portal/sign-in`);
    await page.getByLabel('投资者编号').fill(investor.id);
    await page.getByLabel('证券账户').fill(investor.account!);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByLabel(/验证码/).waitFor();
    for (let i = 0; i < 100 && !sent.some((notification) => notification.recipient === investor.id); i++) await page.waitForTimeout(20);
    const code = /(\d{6})/.exec(sent.find((notification) => notification.recipient === investor.id)!.body)![1]!;
    await page.getByLabel(/验证码/).fill(code);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/portal`);
    await page.getByRole('link', { name: '查看要约和计算说明' }).first().click();
    await page.waitForURL(/\/portal\/offers\//);
    assert.equal((await page.locator('#amount').innerText()).trim(), yuan(offer.amount_fen));
    assert.ok(await page.locator('svg.chart').first().isVisible(), 'the price chart is drawn');
    assert.ok(await page.getByRole('heading', { name: '二、交易记录' }).isVisible(), 'the sheet lists the trades');
    await shoot(page, 'investor-offer-phone');
    await page.getByLabel('我已阅读并同意下方的和解协议').check();
    await page.getByRole('button', { name: '接受赔付' }).click();
    await page.waitForURL(/done=accept/);
    assert.match(await page.locator('.flash').first().innerText(), /您已接受赔付/);
    const status = await database.db.selectFrom('offers').select('status').where('id', '=', offer.id).executeTakeFirstOrThrow();
    assert.equal(status.status, 'accepted');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /要约、计算说明及和解协议/ }).click()]);
    const file = await download.path();
    assert.equal(readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
    await shoot(page, 'investor-accepted');
    await page.context().close();
  });

  it('keeps to two administrators for a payment batch: the one who prepared it cannot approve it, another can, once', async () => {
    const batch = await database.db.selectFrom('payment_batches').selectAll().where('case_id', '=', demo.caseId).where('status', '=', 'prepared').executeTakeFirstOrThrow();
    assert.equal(batch.prepared_by, 'admin-2');
    const preparer = await newPage();
    await signInAsStaff(preparer, 'admin-2');
    await preparer.goto(`${base}/console/payment-batches/${batch.id}`);
    await preparer.getByRole('button', { name: '批准此批次' }).click();
    await preparer.waitForLoadState();
    assert.match(await preparer.locator('.flash').first().innerText(), /另一名管理人/);
    assert.equal((await database.db.selectFrom('payment_batches').select('status').where('id', '=', batch.id).executeTakeFirstOrThrow()).status, 'prepared');
    await shoot(preparer, 'batch-refused-same-person');

    const approver = await newPage();
    await signInAsStaff(approver, 'admin');
    await shoot(approver, 'console-home');
    for (const section of ['', '/hearing', '/plans', '/offers', '/ledger', '/reconciliation']) {
      await approver.goto(`${base}/console/cases/${demo.caseId}${section}`);
      await shoot(approver, `console${section.replace('/', '-') || '-dashboard'}`);
    }
    // The same administrator has the batch open in two tabs and approves in both.
    const secondTab = await approver.context().newPage();
    await approver.goto(`${base}/console/payment-batches/${batch.id}`);
    await secondTab.goto(`${base}/console/payment-batches/${batch.id}`);
    await approver.getByRole('button', { name: '批准此批次' }).click();
    await approver.waitForLoadState();
    const approved = await database.db.selectFrom('payment_batches').select(['status', 'approved_by']).where('id', '=', batch.id).executeTakeFirstOrThrow();
    assert.deepEqual(approved, { status: 'approved', approved_by: 'admin' });
    await shoot(approver, 'batch-approved');
    await secondTab.getByRole('button', { name: '批准此批次' }).click();
    await secondTab.waitForLoadState();
    assert.ok(await secondTab.locator('.flash-bad').count() > 0, 'the second approval is refused on the page');
    assert.deepEqual(await database.db.selectFrom('payment_batches').select(['status', 'approved_by']).where('id', '=', batch.id).executeTakeFirstOrThrow(), { status: 'approved', approved_by: 'admin' });
    await shoot(secondTab, 'batch-second-approval-refused');
    await preparer.context().close();
    await approver.context().close();
  });
});
