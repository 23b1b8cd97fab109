import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fundPosition } from '../../domain/fund/fund-position.ts';
import type { Api } from '../../server/api/app.ts';
import { EXAMPLES_DIR, loadDemoCase, type DemoSignIn } from '../../server/demo-platform.ts';
import { buildServer } from '../../server/serve.ts';
import { openDatabase, type Database } from '../../store/database.ts';
import { ledgerState } from '../../store/ledger-store.ts';
import { yuan } from '../views/ui.tsx';

let database: Database;
let api: Api;
let caseId: string;
let signIns: DemoSignIn[];
let workRoot: string;
const sessions = new Map<string, string>();

before(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  const demo = await loadDemoCase(database, { today: '2026-11-25' });
  assert.ok(demo);
  caseId = demo.caseId;
  signIns = demo.signIns;
  workRoot = mkdtempSync(join(tmpdir(), 'fund-pages-'));
  ({ api } = await buildServer({ database, importRoot: EXAMPLES_DIR, workRoot, clock: { now: () => new Date('2026-11-25T10:00:00+08:00') }, workers: 1, signInRateLimit: 1000 }));
}, { timeout: 180_000 });

after(async () => {
  await api?.close();
  await database?.close();
  if (workRoot) rmSync(workRoot, { recursive: true, force: true });
});

/** A browser session of a demo staff member: the session cookie the sign-in form sets. */
async function sessionOf(actorId: string): Promise<string> {
  const known = sessions.get(actorId);
  if (known) return known;
  const person = signIns.find((entry) => entry.id === actorId)!;
  const response = await api.inject({
    method: 'POST', url: '/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ actorId, token: person.token! }).toString(),
  });
  assert.equal(response.statusCode, 303);
  const cookie = [response.headers['set-cookie']].flat().map(String).find((value) => value.startsWith('redress_session='))!;
  const session = cookie.split(';')[0]!;
  sessions.set(actorId, session);
  return session;
}

async function page(actorId: string | null, url: string) {
  const headers = actorId === null ? {} : { cookie: await sessionOf(actorId) };
  return api.inject({ method: 'GET', url, headers });
}

async function html(actorId: string, url: string): Promise<string> {
  const response = await page(actorId, url);
  assert.equal(response.statusCode, 200, `${url}: ${response.statusCode}`);
  return response.body;
}

function csrfOf(body: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
  assert.ok(token, 'the page carries the form token');
  return token;
}

async function post(actorId: string, url: string, form: Record<string, string>) {
  return api.inject({
    method: 'POST', url, headers: { cookie: await sessionOf(actorId), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

/** Posts a form with the token of the page it is on, and follows the redirect back. */
async function submit(actorId: string, from: string, url: string, form: Record<string, string>): Promise<{ location: string; body: string }> {
  const token = csrfOf(await html(actorId, from));
  const response = await post(actorId, url, { ...form, _csrf: token });
  assert.equal(response.statusCode, 303, `${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
  const location = String(response.headers['location']);
  return { location, body: await html(actorId, location) };
}

/** Forms that change something; the sign-out form of the frame does not count. */
function actionForms(body: string): string[] {
  return [...body.matchAll(/<form[^>]*method="post"[^>]*>/g)].map((match) => match[0]).filter((form) => !form.includes('action="/sign-out"'));
}

function flashes(body: string): string[] {
  return [...body.matchAll(/<div class="flash flash-(good|bad|info)"[^>]*>([^<]*)<\/div>/g)].map((match) => `${match[1]}: ${match[2]}`);
}

/** The markup of the element with this id. */
function elementOf(body: string, id: string): string {
  const start = body.indexOf(`id="${id}"`);
  assert.ok(start >= 0, `the page has #${id}`);
  const open = body.lastIndexOf('<', start);
  const tag = /^<([a-z0-9]+)/.exec(body.slice(open))![1]!;
  let depth = 0;
  const pattern = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
  pattern.lastIndex = open;
  for (let match = pattern.exec(body); match !== null; match = pattern.exec(body)) {
    depth += match[1] === '/' ? -1 : 1;
    if (depth === 0) return body.slice(open, match.index);
  }
  throw new Error(`#${id} is not closed`);
}

/** The text inside the element with this id, tags removed. */
function textOf(body: string, id: string): string {
  return elementOf(body, id).replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').trim();
}

const db = () => database.db;

describe('console pages for the money of a case', () => {
  it('sends the public to sign in, and refuses a funder the offers', async () => {
    const anonymous = await page(null, `/console/cases/${caseId}/offers`);
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers['location'], `/sign-in?next=${encodeURIComponent(`/console/cases/${caseId}/offers`)}`);
    assert.equal((await page(null, `/console/payment-batches/x`)).statusCode, 303);

    const funder = await page('sponsor-zx', `/console/cases/${caseId}/offers`);
    assert.equal(funder.statusCode, 403);
    assert.match(funder.body, /funder/);
    assert.equal((await page('sponsor-zx', `/console/cases/${caseId}/payments`)).statusCode, 403);
    // Funders read the ledger and recourse, without any form.
    for (const section of ['ledger', 'recourse']) {
      const body = await html('sponsor-zx', `/console/cases/${caseId}/${section}`);
      assert.deepEqual(actionForms(body), [], section);
    }
  });

  it('lists the offers 50 at a time in investor order, with counts by status equal to the database', async () => {
    const url = `/console/cases/${caseId}/offers`;
    const body = await html('admin', url);
    const investors = [...textOf(body, 'offers-list').matchAll(/INV\d{7}/g)].map((match) => match[0]);
    const firstPage = await db().selectFrom('offers').select(['id', 'investor']).where('case_id', '=', caseId).orderBy('investor').orderBy('id').limit(50).execute();
    assert.equal(firstPage.length, 50);
    assert.deepEqual(investors, firstPage.map((row) => row.investor));

    const last = firstPage.at(-1)!;
    const next = /<a href="([^"]+)" rel="next"/.exec(body)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(next);
    assert.equal(new URL(next, 'http://x').searchParams.get('after'), last.investor);
    assert.match(body, /rel="next"[^>]*hx-get="[^"]+"[^>]*hx-select="#offers-list"[^>]*hx-push-url="true"/);
    const secondPage = await html('admin', next);
    const secondInvestors = [...textOf(secondPage, 'offers-list').matchAll(/INV\d{7}/g)].map((match) => match[0]);
    assert.equal(secondInvestors.length, 50);
    assert.ok(secondInvestors.every((investor) => investor > last.investor), 'the next page continues after the last investor');

    const counts = await db().selectFrom('offers').select(['status']).select((eb) => eb.fn.countAll<string>().as('count')).where('case_id', '=', caseId).groupBy('status').execute();
    assert.equal(String(counts.find((entry) => entry.status === 'accepted')?.count), '642');
    for (const { status, count } of counts) assert.equal(textOf(body, `offers-${status}`).split(/\s/)[0]!.replace(/\D/g, ''), String(count), status);

    const refused = await html('admin', `${url}?status=refused`);
    const tags = [...elementOf(refused, 'offers-list').matchAll(/tag tag-\w+">([^<]+)</g)].map((match) => match[1]);
    assert.equal(tags.length, 50);
    assert.ok(tags.every((tag) => tag === '已拒绝'));

    const prefixed = await html('admin', `${url}?q=INV000001`);
    const matching = [...textOf(prefixed, 'offers-list').matchAll(/INV\d{7}/g)].map((match) => match[0]);
    assert.ok(matching.length > 0 && matching.every((investor) => investor.startsWith('INV000001')));
  });

  it('shows a run with its total as recorded, its results paged, and each investor\'s calculation sheet', async () => {
    const run = await db().selectFrom('computation_runs').select(['id', 'total_fen', 'input_sha256', 'payable']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const runs = await html('auditor', `/console/cases/${caseId}/runs`);
    assert.match(runs, new RegExp(run.id));
    assert.match(runs, new RegExp(run.input_sha256!));
    assert.deepEqual(actionForms(runs), []);

    const body = await html('admin', `/console/cases/${caseId}/runs/${run.id}`);
    assert.equal(textOf(body, 'run-total'), `赔付总额${yuan(run.total_fen!)}`);
    assert.equal(textOf(body, 'run-payable'), `可赔付${run.payable}`);
    const payable = await html('admin', `/console/cases/${caseId}/runs/${run.id}?status=payable&q=INV00000`);
    const rows = [...elementOf(payable, 'results-list').matchAll(/tag tag-\w+">([^<]+)</g)].map((match) => match[1]);
    assert.ok(rows.length > 0 && rows.every((status) => status === '可赔付'));

    const first = await db().selectFrom('investor_results').select(['investor', 'total_fen', 'sheet']).where('run_id', '=', run.id).where('status', '=', 'payable').orderBy('investor').limit(1).executeTakeFirstOrThrow();
    assert.match(body, new RegExp(`href="/console/cases/${caseId}/runs/${run.id}/results/${first.investor}"`));
    const sheet = await html('auditor', `/console/cases/${caseId}/runs/${run.id}/results/${first.investor}`);
    assert.equal(textOf(sheet, 'sheet-total'), yuan(first.total_fen));
    const trades = (first.sheet as { history: { kind: string; trade?: { line: number } }[] }).history.filter((event) => event.kind === 'trade');
    assert.ok(trades.length > 0);
    for (const event of trades) assert.match(elementOf(sheet, 'history'), new RegExp(`<td class="num">${event.trade!.line}</td>`));

    const progress = await api.inject({ method: 'GET', url: `/console/cases/${caseId}/runs/${run.id}/progress`, headers: { cookie: await sessionOf('admin'), 'hx-request': 'true' } });
    assert.equal(progress.statusCode, 200);
    assert.equal(progress.headers['hx-refresh'], 'true', 'a finished run stops the polling by reloading the page');
    assert.doesNotMatch(progress.body, /hx-trigger/);
  });

  it('refuses a form posted without the session\'s token', async () => {
    const batch = await db().selectFrom('payment_batches').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const response = await post('admin', `/console/payment-batches/${batch.id}/approve`, {});
    assert.equal(response.statusCode, 403);
    const forged = await post('admin', `/console/payment-batches/${batch.id}/approve`, { _csrf: 'not-the-token' });
    assert.equal(forged.statusCode, 403);
    assert.equal((await db().selectFrom('payment_batches').select('status').where('id', '=', batch.id).executeTakeFirstOrThrow()).status, 'prepared');
  });

  it('keeps the two-person rule: the preparer cannot approve, another administrator can, and only once', async () => {
    const batch = await db().selectFrom('payment_batches').select(['id', 'prepared_by']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(batch.prepared_by, 'admin-2');
    const url = `/console/payment-batches/${batch.id}`;
    const before = await html('admin-2', url);
    assert.match(before, /批准此批次/);
    assert.match(textOf(before, 'batch-prepared-by'), /admin-2/);
    assert.match(before, /须由另一名管理人批准/);
    assert.match(await html('admin-2', `${url}?lang=en`), /Approve this batch/);

    const own = await submit('admin-2', url, `${url}/approve`, {});
    assert.match(own.location, /refused=same-person/);
    assert.deepEqual(flashes(own.body), ['bad: 付款批次须由另一名管理人批准，制单人不能自行批准']);
    assert.equal((await db().selectFrom('payment_batches').select('status').where('id', '=', batch.id).executeTakeFirstOrThrow()).status, 'prepared');
    const english = await html('admin-2', `${own.location}&lang=en`);
    assert.deepEqual(flashes(english), ['bad: a payment batch must be approved by another administrator than the one who prepared it']);

    const approved = await submit('admin', url, `${url}/approve`, {});
    assert.match(approved.location, /done=approved/);
    const row = await db().selectFrom('payment_batches').select(['status', 'approved_by']).where('id', '=', batch.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'approved', approved_by: 'admin' });
    assert.equal(textOf(approved.body, 'batch-status'), '已批准');
    assert.match(textOf(approved.body, 'batch-approved-by'), /\(admin\)|（admin）/);
    assert.doesNotMatch(approved.body, /批准此批次/);

    const token = csrfOf(approved.body);
    const again = await post('admin', `${url}/approve`, { _csrf: token });
    assert.equal(again.statusCode, 303);
    assert.match(String(again.headers['location']), /refused=wrong-status/);
    const refusedPage = await html('admin', String(again.headers['location']));
    assert.equal(flashes(refusedPage).length, 1);
    assert.match(flashes(refusedPage)[0]!, /^bad: 批次状态为 approved/);
  });

  it('sends an approved batch as the instruction file and imports the bank\'s results row by row', async () => {
    const batch = await db().selectFrom('payment_batches').select(['id', 'items']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const url = `/console/payment-batches/${batch.id}`;
    const token = csrfOf(await html('admin', url));
    const sent = await post('admin', `${url}/send`, { _csrf: token });
    assert.equal(sent.statusCode, 200);
    assert.match(String(sent.headers['content-type']), /text\/csv/);
    assert.match(String(sent.headers['content-disposition']), /attachment/);
    const lines = sent.body.trim().split('\n');
    assert.equal(lines.length, batch.items + 1);
    const [, offerId, , , , , amount] = lines[1]!.split(',');
    const results = ['offer_id,amount,outcome,reason', `${offerId},${amount},paid,`, 'offer-unknown,1.00,paid,'].join('\n');
    const report = await post('admin', `${url}/results`, { _csrf: token, csv: results });
    assert.equal(report.statusCode, 200);
    assert.match(textOf(report.body, 'import-report'), /已记录 1 笔，退回 1 行/);
    assert.match(textOf(report.body, 'import-report'), /3offer offer-unknown is not in this batch/);
    assert.equal((await db().selectFrom('payment_items').select('status').where('offer_id', '=', offerId!).executeTakeFirstOrThrow()).status, 'paid');
    assert.equal(textOf(report.body, 'items-paid'), '已支付1');
  });

  it('shows the fund\'s position as the ledger derives it, and records interest once per bank reference', async () => {
    const url = `/console/cases/${caseId}/ledger`;
    const before = fundPosition(await ledgerState(db(), caseId));
    const body = await html('admin', url);
    assert.equal(textOf(body, 'position-custody'), `托管账户余额${yuan(before.custodyFen)}`);
    assert.equal(textOf(body, 'position-paid'), `已支付${yuan(before.paidFen)}`);
    assert.equal(actionForms(body).length, 2);

    const first = await submit('admin', url, `${url}/interest`, { amount: '100.5', reference: 'ICBC-INT-TEST-1', memo: '' });
    assert.deepEqual(flashes(first.body), ['good: 利息已入账：¥100.50（ICBC-INT-TEST-1）']);
    const again = await submit('admin', url, `${url}/interest`, { amount: '100.50', reference: 'ICBC-INT-TEST-1', memo: '' });
    assert.match(again.location, /done=repeated/);
    const after = fundPosition(await ledgerState(db(), caseId));
    assert.equal(after.custodyFen - before.custodyFen, 10050n);
    assert.equal(textOf(again.body, 'position-custody'), `托管账户余额${yuan(after.custodyFen)}`);

    const bad = await submit('admin', url, `${url}/management-fee`, { amount: '1.234', reference: 'FEE-X', memo: '' });
    assert.match(bad.location, /refused=bad-amount/);
    assert.equal(flashes(bad.body).length, 1);
  });

  it('records an answer given at the counter and resolves a dispute', async () => {
    // The demo's upheld dispute reopened this offer until after today; the others' window has closed.
    const open = await db().selectFrom('offers').select(['id', 'investor']).where('case_id', '=', caseId).where('status', '=', 'offered').where('closes_on', '>=', '2026-11-25').executeTakeFirstOrThrow();
    const offerPage = `/console/offers/${open.id}`;
    const detail = await html('admin', offerPage);
    assert.match(detail, /statement\.pdf\?lang=zh/);
    const accepted = await submit('admin', offerPage, `${offerPage}/counter`, { kind: 'accept', reason: '', agreementSha256: /name="agreementSha256" value="([0-9a-f]{64})"/.exec(detail)![1]! });
    assert.match(accepted.location, /done=accept/);
    assert.equal((await db().selectFrom('offers').select('status').where('id', '=', open.id).executeTakeFirstOrThrow()).status, 'accepted');
    const answer = await db().selectFrom('offer_answers').select(['channel', 'actor_id']).where('offer_id', '=', open.id).where('kind', '=', 'accept').executeTakeFirstOrThrow();
    assert.deepEqual(answer, { channel: 'counter', actor_id: 'admin' });
    assert.match(textOf(accepted.body, 'answers'), /柜台/);

    const closed = await db().selectFrom('offers').select('id').where('case_id', '=', caseId).where('status', '=', 'offered').where('closes_on', '<', '2026-11-25').executeTakeFirstOrThrow();
    const late = await submit('admin', `/console/offers/${closed.id}`, `/console/offers/${closed.id}/counter`, { kind: 'refuse', reason: '', agreementSha256: 'a'.repeat(64) });
    assert.match(late.location, /refused=/);
    assert.equal(flashes(late.body)[0]?.startsWith('bad: '), true);

    const queue = `/console/cases/${caseId}/disputes`;
    const disputed = await db().selectFrom('offers as o').innerJoin('offer_answers as a', 'a.offer_id', 'o.id').select(['o.id', 'a.reason']).where('o.case_id', '=', caseId).where('o.status', '=', 'disputed').where('a.kind', '=', 'dispute').orderBy('o.investor').execute();
    assert.equal(disputed.length, 2);
    const before = await html('admin', queue);
    assert.equal(textOf(before, 'disputes-total'), '待复核的异议：2 件');
    for (const row of disputed) assert.match(before, new RegExp(row.reason!));
    const upheld = await submit('admin', queue, `/console/offers/${disputed[0]!.id}/resolve-dispute`, { resolution: 'upheld', note: '核对交割单后计算无误。' });
    assert.match(upheld.location, /done=upheld/);
    assert.equal(textOf(upheld.body, 'disputes-total'), '待复核的异议：1 件');
    assert.equal((await db().selectFrom('dispute_reviews').select('resolution').where('offer_id', '=', disputed[0]!.id).executeTakeFirstOrThrow()).resolution, 'upheld');
    const noRun = await submit('admin', queue, `/console/offers/${disputed[1]!.id}/resolve-dispute`, { resolution: 'corrected', note: '更正', runId: 'run-none' });
    assert.match(noRun.location, /refused=not-the-adopted-plan/);
  });

  it('serves the offer statement PDF to a signed-in administrator', async () => {
    const offer = await db().selectFrom('offers').select('id').where('case_id', '=', caseId).where('status', '=', 'accepted').orderBy('investor').executeTakeFirstOrThrow();
    const response = await page('auditor', `/console/offers/${offer.id}/statement.pdf?lang=en`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/pdf');
    assert.equal(response.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
  });

  it('shows the reconciliation\'s checks, each holding, with the offers\' counts and shares', async () => {
    const body = await html('auditor', `/console/cases/${caseId}/reconciliation`);
    const checks = [...body.matchAll(/<tr id="check-([a-z-]+)"( class="breach")?>/g)];
    assert.equal(checks.length, 7);
    assert.ok(checks.every((match) => match[2] === undefined), 'every check holds');
    const accepted = await db().selectFrom('offers').select((eb) => eb.fn.countAll<string>().as('count')).where('case_id', '=', caseId).where('status', '=', 'accepted').executeTakeFirstOrThrow();
    assert.match(textOf(body, 'figure-accepted'), new RegExp(`^已接受${accepted.count}¥`));
  });

  it('lets the auditor read every section and act in none', async () => {
    const batch = await db().selectFrom('payment_batches').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const run = await db().selectFrom('computation_runs').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    const offer = await db().selectFrom('offers').select('id').where('case_id', '=', caseId).where('status', '=', 'disputed').executeTakeFirstOrThrow();
    const urls = [
      `/console/cases/${caseId}/runs`, `/console/cases/${caseId}/runs/${run.id}`, `/console/cases/${caseId}/offers`, `/console/offers/${offer.id}`,
      `/console/cases/${caseId}/disputes`, `/console/cases/${caseId}/payments`, `/console/payment-batches/${batch.id}`, `/console/cases/${caseId}/ledger`,
      `/console/cases/${caseId}/reconciliation`, `/console/cases/${caseId}/recourse`,
    ];
    for (const url of urls) {
      const body = await html('auditor', url);
      assert.deepEqual(actionForms(body), [], url);
      assert.match(body, /审计员/);
    }
    const administrator = await html('admin', `/console/cases/${caseId}/disputes`);
    assert.equal(actionForms(administrator).length, 2);
    const refused = await post('auditor', `/console/cases/${caseId}/payments`, { _csrf: 'x' });
    assert.equal(refused.statusCode, 403);
  });

  it('shows recourse: the register of claims assigned by the paid offers, and records shares by fault', async () => {
    const url = `/console/cases/${caseId}/recourse`;
    const paid = await db().selectFrom('payment_items as p').innerJoin('offers as o', 'o.id', 'p.offer_id').select((eb) => eb.fn.sum<string>('p.amount_fen').as('total')).where('o.case_id', '=', caseId).where('p.status', '=', 'paid').executeTakeFirstOrThrow();
    const body = await html('admin', url);
    assert.equal(textOf(body, 'register-total'), `受让债权金额${yuan(BigInt(paid.total!))}`);
    const recorded = await submit('admin', url, `${url}/allocation`, {
      'fault.issuer': 'percent', 'percent.issuer': '70', 'fault.sponsor': 'no-fault', 'percent.sponsor': '', 'fault.controller': 'percent', 'percent.controller': '30', basis: '（2027）京74民初1号判决',
    });
    assert.match(recorded.location, /done=allocated/);
    assert.match(textOf(recorded.body, 'claims'), /示例科技股份有限公司（issuer）/);
    const allocation = await db().selectFrom('recourse_allocations').select(['version', 'basis']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    assert.deepEqual(allocation, { version: 1, basis: '（2027）京74民初1号判决' });
    const short = await submit('admin', url, `${url}/allocation`, { 'fault.issuer': 'percent', 'percent.issuer': '', 'fault.sponsor': 'no-fault', 'fault.controller': 'no-fault', basis: 'x' });
    assert.match(short.location, /refused=percent-required/);
  });
});
