import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROLES, type Role } from '../src/domain/access/roles.ts';
import { createActor } from '../src/server/api/actor-store.ts';
import type { Api } from '../src/server/api/app.ts';
import { EXAMPLES_DIR, loadDemoCase, type DemoCase } from '../src/server/demo-platform.ts';
import { buildServer } from '../src/server/serve.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import { openSession } from '../src/store/web-sessions.ts';

/**
 * Every page of the web, for every role: a role a page does not admit is refused before anything
 * runs (the public sent to sign in, anyone else 403), and a role it admits gets the page, on the
 * demo case's real ids — so no page of any face fails on real data.
 */
const TODAY = '2026-11-25';

describe('who may open which page', () => {
  let database: Database;
  let api: Api;
  let demo: DemoCase;
  const cookies: Partial<Record<Role, string>> = {};
  const params: Record<string, string> = {};

  before(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    demo = (await loadDemoCase(database, { today: TODAY }))!;
    ({ api } = await buildServer({ database, importRoot: EXAMPLES_DIR, workRoot: mkdtempSync(join(tmpdir(), 'redress-access-')), workers: 1, clock: { now: () => new Date(`${TODAY}T10:00:00+08:00`) }, notificationSender: { send: async () => {} } }));
    const offer = await database.db.selectFrom('offers').select(['id', 'investor', 'run_id']).where('case_id', '=', demo.caseId).where('status', '=', 'accepted').orderBy('investor').limit(1).executeTakeFirstOrThrow();
    const batch = await database.db.selectFrom('payment_batches').select('id').where('case_id', '=', demo.caseId).executeTakeFirstOrThrow();
    Object.assign(params, { caseId: demo.caseId, offerId: offer.id, investor: offer.investor, runId: offer.run_id!, batchId: batch.id, version: '2', name: 'site.css' });
    await createActor(database.db, { id: offer.investor, role: 'investor', name: offer.investor });
    const actorFor: Record<Role, string> = {
      administrator: 'admin', 'hearing-host': 'host-1', funder: 'sponsor-zx', representative: 'rep-1', lawyer: 'law-1', auditor: 'auditor', investor: offer.investor, public: '',
    };
    for (const role of ROLES) {
      if (role === 'public') continue;
      cookies[role] = `redress_session=${(await openSession(database.db, actorFor[role], new Date(`${TODAY}T10:00:00+08:00`))).cookie}`;
    }
  });
  after(async () => {
    await api.close();
    await database.close();
  });

  const urlOf = (pattern: string) => pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? `unknown-${name}`));

  it('sends secure headers with pages and API answers alike', async () => {
    for (const url of ['/', `/cases/${params['caseId']}`, '/api/v1/cases', '/health']) {
      const response = await api.inject({ url });
      const policy = String(response.headers['content-security-policy']);
      assert.match(policy, /default-src 'self'/, url);
      assert.match(policy, /script-src 'self'(;|$)/, `${url}: no inline or foreign script`);
      assert.match(policy, /frame-ancestors 'none'/, url);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(response.headers['referrer-policy'], 'no-referrer', url);
      assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN', url);
    }
  });

  it('logs each request by its route, with no investor id, account or address from it', async () => {
    const lines: string[] = [];
    const { api: logged } = await buildServer({
      database, importRoot: EXAMPLES_DIR, workRoot: mkdtempSync(join(tmpdir(), 'redress-logs-')), workers: 1, clock: { now: () => new Date(`${TODAY}T10:00:00+08:00`) },
      notificationSender: { send: async () => {} }, logger: true, logStream: { write: (line) => void lines.push(line) },
    });
    const investor = params['investor']!;
    const account = (await database.db.selectFrom('investor_results').select('sheet').where('investor', '=', investor).executeTakeFirstOrThrow()).sheet as unknown as { history: { trade?: { account: string } }[] };
    const accountNumber = account.history.find((event) => event.trade)!.trade!.account;
    const admin = { cookie: cookies.administrator! };
    await logged.inject({ url: `/console/cases/${params['caseId']}/runs/${params['runId']}/results/${investor}`, headers: admin });
    await logged.inject({ url: `/console/cases/${params['caseId']}/offers?q=${investor}`, headers: admin });
    await logged.inject({ method: 'POST', url: '/portal/sign-in/code', payload: new URLSearchParams({ investor, account: accountNumber }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await logged.inject({ url: `/api/v1/computation-runs/${params['runId']}/results/${investor}`, remoteAddress: '203.0.113.7' });
    await logged.close();
    const log = lines.join('');
    assert.match(log, /"route":"\/console\/cases\/:caseId\/runs\/:runId\/results\/:investor"/, 'the route is logged');
    assert.ok(!log.includes(investor), 'no investor id in the log');
    assert.ok(!log.includes(accountNumber), 'no account in the log');
    assert.ok(!log.includes('203.0.113.7'), 'no client address in the log');
  });

  it('refuses every role a page does not admit', async () => {
    let checked = 0;
    assert.ok(api.webRouteTable.length >= 30, `the web has its pages (${api.webRouteTable.length})`);
    for (const route of api.webRouteTable) {
      for (const role of ROLES) {
        if (route.roles.includes(role)) continue;
        const response = await api.inject({ method: route.method as 'GET' | 'POST', url: urlOf(route.url), headers: role === 'public' ? {} : { cookie: cookies[role]! }, ...(route.method === 'POST' ? { payload: '', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(role === 'public' ? {} : { cookie: cookies[role]! }) } } : {}) });
        const expected = role === 'public' ? (route.method === 'GET' ? 303 : 401) : 403;
        assert.equal(response.statusCode, expected, `${role} on ${route.method} ${route.url}: ${response.body.slice(0, 200)}`);
        if (role === 'public' && route.method === 'GET') assert.match(String(response.headers.location), /^\/(portal\/)?sign-in\?next=/);
        checked++;
      }
    }
    assert.ok(checked > 100, `${checked} refusals checked`);
  });

  it('opens every page for every role it admits, on the demo case', async () => {
    let opened = 0;
    for (const route of api.webRouteTable.filter((entry) => entry.method === 'GET')) {
      const names = [...route.url.matchAll(/:(\w+)/g)].map((match) => match[1]!);
      if (names.some((name) => params[name] === undefined)) continue;
      for (const role of route.roles) {
        const response = await api.inject({ method: 'GET', url: urlOf(route.url), headers: role === 'public' ? {} : { cookie: cookies[role]! } });
        assert.equal(response.statusCode, 200, `${role} on GET ${route.url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
        if (response.statusCode === 200 && response.body.startsWith('<!doctype html>')) assert.match(response.body, /<html lang="zh-CN"/);
        opened++;
      }
    }
    assert.ok(opened > 40, `${opened} pages opened`);
  });
});
