import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Api } from '../../server/api/app.ts';
import { EXAMPLES_DIR, loadDemoCase, type DemoCase } from '../../server/demo-platform.ts';
import { buildServer } from '../../server/serve.ts';
import { openDatabase, type Database } from '../../store/database.ts';
import type { Notification } from '../../store/notification-outbox.ts';
import { yuan } from '../views/ui.tsx';

/**
 * The investors' portal on the demo case: signing in with a one-time code that reaches the
 * investor only through the notification outbox, reading one's own offer and nobody else's,
 * answering it, and taking the statement away as a PDF.
 */
const TODAY = '2026-11-25';

describe('the investor portal', () => {
  let database: Database;
  let api: Api;
  let demo: DemoCase;
  const sent: Notification[] = [];

  before(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    demo = (await loadDemoCase(database, { today: TODAY }))!;
    ({ api } = await buildServer({
      database, importRoot: EXAMPLES_DIR, workRoot: mkdtempSync(join(tmpdir(), 'redress-portal-')), workers: 1,
      clock: { now: () => new Date(`${TODAY}T10:00:00+08:00`) },
      notificationSender: { send: async (notification) => { sent.push(notification); } },
      signInRateLimit: 8,
    }));
  });
  after(async () => {
    await api.close();
    await database.close();
  });

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const post = (url: string, fields: Record<string, string>, cookie?: string) =>
    api.inject({ method: 'POST', url, payload: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) } });
  const sessionCookie = (response: { headers: Record<string, unknown> }) => {
    const header = [response.headers['set-cookie']].flat().find((value) => String(value).startsWith('redress_session='));
    return header === undefined ? null : String(header).split(';')[0]!;
  };
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;
  const investor = () => demo.signIns.find((person) => person.role === 'investor' && /reopened/.test(person.note.en))!;
  const codeFor = (investorId: string) => {
    const message = sent.filter((notification) => notification.recipient === investorId).at(-1);
    return /(\d{6})/.exec(message?.body ?? '')?.[1] ?? null;
  };
  const waitForCode = async (investorId: string, count: number) => {
    for (let i = 0; i < 100 && sent.filter((notification) => notification.recipient === investorId).length < count; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    return codeFor(investorId);
  };

  let cookie = '';
  it('answers a request for a code the same way whether or not the investor exists, and sends a code only to one who does', async () => {
    const { id, account } = investor();
    const real = await post('/portal/sign-in/code', { investor: id, account: account! });
    const unknown = await post('/portal/sign-in/code', { investor: 'INV9999999', account: '0100000000' });
    const wrongAccount = await post('/portal/sign-in/code', { investor: id, account: '0100000000' });
    assert.equal(real.statusCode, 200);
    const withoutEcho = (html: string, ...values: string[]) => values.reduce((text, value) => text.replaceAll(value, '…'), html);
    assert.equal(withoutEcho(unknown.body, 'INV9999999', '0100000000'), withoutEcho(real.body, id, account!), 'the page reads the same');
    assert.equal(wrongAccount.statusCode, 200);
    const code = await waitForCode(id, 1);
    assert.match(code ?? '', /^\d{6}$/);
    assert.equal(sent.filter((notification) => notification.recipient === 'INV9999999').length, 0);
    assert.equal(sent.filter((notification) => notification.recipient === id).length, 1, 'no code for the wrong account');
    const stored = await database.db.selectFrom('sign_in_challenges').select(['code_sha256']).where('investor', '=', id).execute();
    assert.equal(stored.length, 1);
    assert.ok(!stored[0]!.code_sha256.includes(code!), 'only a hash of the code is kept');
  });

  it('refuses a wrong code with the same words as an unknown investor, then signs in with the right one', async () => {
    const { id, account } = investor();
    const code = codeFor(id)!;
    const wrong = await post('/portal/sign-in/verify', { investor: id, account: account!, code: code === '000000' ? '111111' : '000000' });
    const nobody = await post('/portal/sign-in/verify', { investor: 'INV9999999', account: '0100000000', code: '123456' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(nobody.statusCode, 401);
    assert.match(wrong.body, /验证码不正确或已过期/);
    assert.match(nobody.body, /验证码不正确或已过期/);
    assert.equal(sessionCookie(wrong), null);
    const right = await post('/portal/sign-in/verify', { investor: id, account: account!, code });
    assert.equal(right.statusCode, 303);
    assert.equal(right.headers.location, '/portal');
    cookie = sessionCookie(right)!;
    assert.match(cookie, /^redress_session=/);
    assert.match(String([right.headers['set-cookie']].flat().join(';')), /HttpOnly/i);
    const again = await post('/portal/sign-in/verify', { investor: id, account: account!, code });
    assert.equal(again.statusCode, 401, 'a code signs in once');
  });

  it('shows the investor their own offer: amount, chart, calculation, agreement and what refusing means', async () => {
    const { id } = investor();
    const offer = (await database.db.selectFrom('offers').selectAll().where('investor', '=', id).where('status', '=', 'offered').executeTakeFirstOrThrow());
    const home = await api.inject({ url: '/portal', headers: { cookie } });
    assert.equal(home.statusCode, 200);
    assert.ok(home.body.includes(yuan(offer.amount_fen)), `the amount ${yuan(offer.amount_fen)} is on the home page`);
    const page = await api.inject({ url: `/portal/offers/${offer.id}`, headers: { cookie } });
    assert.equal(page.statusCode, 200);
    const result = await database.db.selectFrom('investor_results').select(['total_fen', 'sheet']).where('run_id', '=', offer.run_id!).where('investor', '=', id).executeTakeFirstOrThrow();
    assert.equal(result.total_fen, offer.amount_fen);
    assert.ok(page.body.includes(yuan(offer.amount_fen)));
    const sheet = result.sheet as unknown as { compensation: { total: string }; keyDates: { baseDate: string; disclosureDate: string }; history: { kind: string; trade?: { price: string } }[] };
    assert.ok(page.body.includes(`<strong>${sheet.compensation.total}</strong>`), 'the sheet\'s total');
    for (const event of sheet.history.filter((entry) => entry.kind === 'trade')) assert.ok(page.body.includes(event.trade!.price), `trade at ${event.trade!.price} listed`);
    assert.match(page.body, /<svg[^>]*class="chart/);
    assert.ok(page.body.includes(sheet.keyDates.baseDate));
    assert.match(page.body, /拒绝本要约不影响您依法提起诉讼的权利/);
    assert.match(page.body, /示例科技虚假陈述先行赔付和解协议/);
    assert.ok(page.body.includes(offer.agreement_sha256));
    const english = await api.inject({ url: `/portal/offers/${offer.id}?lang=en`, headers: { cookie } });
    assert.match(english.body, /Refusing this offer keeps your right to sue/);
    assert.match(english.body, /<html lang="en"/);
  });

  it('never shows another investor\'s offer, and keeps staff and the public out', async () => {
    const other = await database.db.selectFrom('offers').select('id').where('investor', '!=', investor().id).limit(1).executeTakeFirstOrThrow();
    assert.equal((await api.inject({ url: `/portal/offers/${other.id}`, headers: { cookie } })).statusCode, 404);
    assert.equal((await api.inject({ url: `/portal/offers/${other.id}/statement.pdf`, headers: { cookie } })).statusCode, 404);
    const publicVisit = await api.inject({ url: '/portal' });
    assert.equal(publicVisit.statusCode, 303);
    assert.match(String(publicVisit.headers.location), /^\/portal\/sign-in\?next=%2Fportal/);
    const admin = demo.signIns.find((person) => person.id === 'admin')!;
    const staff = sessionCookie(await post('/sign-in', { actorId: 'admin', token: admin.token! }))!;
    assert.equal((await api.inject({ url: '/portal', headers: { cookie: staff } })).statusCode, 403);
  });

  it('accepts only with the form\'s token and the agreement read, once', async () => {
    const { id } = investor();
    const offer = await database.db.selectFrom('offers').selectAll().where('investor', '=', id).where('status', '=', 'offered').executeTakeFirstOrThrow();
    const page = await api.inject({ url: `/portal/offers/${offer.id}`, headers: { cookie } });
    const csrf = csrfOf(page.body)!;
    const forged = await post(`/portal/offers/${offer.id}/accept`, { agreementSha256: offer.agreement_sha256, read: 'yes' }, cookie);
    assert.equal(forged.statusCode, 403, 'a form without the session\'s token is refused');
    const unread = await post(`/portal/offers/${offer.id}/accept`, { agreementSha256: offer.agreement_sha256, _csrf: csrf }, cookie);
    assert.equal(unread.statusCode, 303);
    const told = await api.inject({ url: String(unread.headers.location), headers: { cookie } });
    assert.match(told.body, /<div class="flash flash-bad" role="alert">请先阅读并勾选同意和解协议<\/div>/, 'the page says why nothing happened');
    assert.equal((await database.db.selectFrom('offers').select('status').where('id', '=', offer.id).executeTakeFirstOrThrow()).status, 'offered');
    const accepted = await post(`/portal/offers/${offer.id}/accept`, { agreementSha256: offer.agreement_sha256, read: 'yes', _csrf: csrf }, cookie);
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, `/portal/offers/${offer.id}?done=accept`);
    assert.equal((await database.db.selectFrom('offers').select('status').where('id', '=', offer.id).executeTakeFirstOrThrow()).status, 'accepted');
    const answers = await database.db.selectFrom('offer_answers').selectAll().where('offer_id', '=', offer.id).execute();
    assert.deepEqual(answers.map((answer) => answer.kind), ['dispute', 'accept'], 'the dispute reviewed before, then the acceptance');
    assert.deepEqual([answers[1]!.channel, answers[1]!.answered_on, answers[1]!.agreement_sha256], ['portal', TODAY, offer.agreement_sha256]);
    const after = await api.inject({ url: `/portal/offers/${offer.id}?done=accept`, headers: { cookie } });
    assert.match(after.body, /您已接受赔付/);
    assert.match(after.body, /等待列入下一支付批次/);
    assert.doesNotMatch(after.body, /action="[^"]*\/accept"/, 'no answer form once answered');
    const refuse = await post(`/portal/offers/${offer.id}/refuse`, { _csrf: csrf }, cookie);
    assert.equal(refuse.statusCode, 303);
    const refused = await api.inject({ url: String(refuse.headers.location), headers: { cookie } });
    assert.match(refused.body, /<div class="flash flash-bad" role="alert">该要约已接受，不能改为已拒绝<\/div>/, 'an answer is not changed');
    const english = await api.inject({ url: `${String(refuse.headers.location)}&lang=en`, headers: { cookie } });
    assert.match(english.body, /this offer is accepted already and cannot become refused/);
    assert.equal((await database.db.selectFrom('offers').select('status').where('id', '=', offer.id).executeTakeFirstOrThrow()).status, 'accepted');
  });

  it('shows no words a link brings in the address, only an outcome signed with the session\'s token', async () => {
    const { id } = investor();
    const offer = await database.db.selectFrom('offers').select('id').where('investor', '=', id).where('status', '=', 'accepted').executeTakeFirstOrThrow();
    const page = `/portal/offers/${offer.id}`;
    const crafted = await api.inject({ url: `${page}?refused=${encodeURIComponent('任意文字')}`, headers: { cookie } });
    assert.equal(crafted.statusCode, 200);
    assert.ok(!crafted.body.includes('任意文字'), 'the text of the link is not on the page');
    assert.doesNotMatch(crafted.body, /class="flash/, 'and no message at all');
    const note = Buffer.from(JSON.stringify({ zh: '请拨打 400 电话领取赔付', en: 'call us to be paid' })).toString('base64url');
    const forged = await api.inject({ url: `${page}?refused=window-closed&note=${note}&sig=${'A'.repeat(43)}`, headers: { cookie } });
    assert.equal(forged.statusCode, 200);
    assert.ok(!forged.body.includes('请拨打'), 'a note without the session\'s signature is not shown');
    assert.match(forged.body, /<div class="flash flash-bad" role="alert">未办理（window-closed）<\/div>/, 'only the code is');
  });

  it('hands out the statement and the agreement entered into as PDFs with Chinese text', async () => {
    const { id } = investor();
    const offer = await database.db.selectFrom('offers').select(['id']).where('investor', '=', id).where('status', '=', 'accepted').executeTakeFirstOrThrow();
    const pdf = await api.inject({ url: `/portal/offers/${offer.id}/statement.pdf`, headers: { cookie } });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const { extractText, getDocumentProxy } = await import('unpdf');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf.rawPayload)), { mergePages: true });
    assert.match(text, /先行赔付要约及计算说明/);
    assert.ok(text.includes(id));
    const agreement = await api.inject({ url: `/portal/offers/${offer.id}/agreement.pdf`, headers: { cookie } });
    assert.equal(agreement.statusCode, 200);
    const agreementText = (await extractText(await getDocumentProxy(new Uint8Array(agreement.rawPayload)), { mergePages: true })).text;
    assert.match(agreementText, /示例科技虚假陈述先行赔付和解协议/);
    assert.match(agreementText, /中兴证券股份有限公司、李某某/, 'the funders are the parties');
    assert.ok(agreementText.includes(`投资者已于 ${TODAY} 通过本平台申报接受`), 'the acceptance it records');
    assert.ok(agreementText.replace(/\s+/g, '').includes(offer.id));
    assert.equal((await api.inject({ url: `/portal/offers/${(await database.db.selectFrom('offers').select('id').where('investor', '!=', id).limit(1).executeTakeFirstOrThrow()).id}/agreement.pdf`, headers: { cookie } })).statusCode, 404);
  });

  it('limits sign-in attempts from one address', async () => {
    let limited = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await post('/portal/sign-in/verify', { investor: 'INV0000001', account: '0100000000', code: '000000' });
      if (response.statusCode === 429) limited++;
    }
    assert.ok(limited > 0, 'too many tries in a minute are refused');
  });
});
