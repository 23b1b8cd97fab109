import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { computeCase } from '../src/batch/compute-case.ts';
import type { Role } from '../src/domain/access/roles.ts';
import { drawCommitment, verifyDraw } from '../src/domain/procedure/lot-draw.ts';
import { createActor } from '../src/server/api/actor-store.ts';
import type { Api } from '../src/server/api/app.ts';
import { buildServer, ensureAdministrator } from '../src/server/serve.ts';
import type { Database } from '../src/store/database.ts';
import { forEachDatabase } from '../src/store/test-database.ts';
import type { LocalComputationRunner } from '../src/jobs/computation-runs.ts';
import { offerId } from '../src/store/offer-store.ts';

/**
 * A case walked through the API from the penalty decision to a finished computation run on the
 * demo data, as the people who run it would: the administrator, a hearing host, two funders,
 * representatives and lawyers applying, a lot draw, a hearing with a signed record, a plan adopted
 * on that record, the registry's files computed against it. On PGlite, and on PostgreSQL when
 * TEST_DATABASE_URL is set. Along the way, every kind of bad request is refused and changes nothing.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const SEED = '5eed0f0a11ce5eed0f0a11ce5eed0f0a11ce5eed0f0a11ce5eed0f0a11ce5eed';
const plan = (name: string) => JSON.parse(readFileSync(join(root, 'examples/plans', name), 'utf8')) as Record<string, unknown>;

forEachDatabase((databaseName, open) => {
  describe(`a case from penalty decision to computation, through the API, on ${databaseName}`, () => {
    let database: Database;
    let api: Api;
    let computations: LocalComputationRunner;
    let today = '2026-11-02';
    const clock = { now: () => new Date(`${today}T10:00:00+08:00`) };
    const tokens: Record<string, string> = {};
    let caseId = '';

    const call = async (actor: string | null, method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await api.inject({
        method, url, ...(body === undefined ? {} : { payload: body as object }),
        headers: { ...(actor === null ? {} : { authorization: `Bearer ${tokens[actor]}` }), ...headers },
      });
      return { status: response.statusCode, body: (String(response.headers['content-type']).includes('json') ? response.json() : response.body) as any, headers: response.headers };
    };
    const command = (actor: string, type: string, body: unknown, headers?: Record<string, string>) => call(actor, 'POST', `/api/v1/cases/${caseId}/commands/${type}`, body, headers);
    const version = async () => (await call('admin', 'GET', `/api/v1/cases/${caseId}`)).body.state.version as number;
    const auditEntries = async () => (await call('auditor', 'GET', '/api/v1/audit/verify')).body.entries as number;

    before(async () => {
      database = await open();
      ({ api, computations } = await buildServer({ database, importRoot: join(root, 'examples'), workRoot: mkdtempSync(join(tmpdir(), 'redress-runs-')), clock, workers: 1 }));
      tokens['admin'] = (await ensureAdministrator(database))!.token;
      const actors: [string, Role, string][] = [
        ['host-1', 'hearing-host', '证券业协会调解中心 王调解员'], ['sponsor-zx', 'funder', '中兴证券股份有限公司'], ['controller-li', 'funder', '李某某（实际控制人）'],
        ['rep-1', 'representative', '投资者甲'], ['rep-2', 'representative', '投资者乙'], ['rep-3', 'representative', '投资者丙'], ['rep-4', 'representative', '投资者丁'],
        ['law-1', 'lawyer', '律师赵'], ['law-2', 'lawyer', '律师钱'], ['auditor', 'auditor', '审计员'], ['inv-1', 'investor', '投资者戊'],
        ['admin-2', 'administrator', '基金管理人复核员'],
      ];
      for (const [id, role, name] of actors) tokens[id] = (await createActor(database.db, { id, role, name })).token;
    });
    after(async () => {
      await api.close();
      await database.close();
    });

    it('records the penalty decision; the case opens the next day by itself', async () => {
      const decision = {
        decisionNumber: '〔2026〕88号', decisionDate: '2026-11-02', authority: '中国证券监督管理委员会',
        issuer: '示例科技股份有限公司', security: { code: '003999', name: '示例科技' },
        liableParties: [
          { id: 'issuer', name: '示例科技股份有限公司', kind: 'issuer' },
          { id: 'sponsor', name: '中兴证券股份有限公司', kind: 'sponsor' },
          { id: 'controller', name: '李某某', kind: 'actual-controller' },
        ],
        facts: '2021年至2022年年度报告虚增营业收入。',
      };
      const created = await call('admin', 'POST', '/api/v1/cases', decision);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      caseId = created.body.caseId;
      const again = await call('admin', 'POST', '/api/v1/cases', decision);
      assert.equal(again.status, 409);
      const view = await call(null, 'GET', `/api/v1/cases/${caseId}`);
      assert.equal(view.status, 200);
      assert.equal(view.body.progress.openedOn, '2026-11-03');
      assert.equal(view.body.progress.limitDate, '2027-02-03');
      assert.equal(view.body.state, undefined, 'the public does not see the full state');
      // Nothing can happen before the case opens.
      const early = await command('admin', 'add-funder', { funderId: 'sponsor-zx', name: '中兴证券', liableParty: 'sponsor', pledgeFen: '50000000000' });
      assert.equal(early.status, 409);
      assert.equal(early.body.error.code, 'out-of-sequence');
      today = '2026-11-03';
      assert.equal((await call(null, 'GET', `/api/v1/cases/${caseId}`)).body.progress.daysLeft, 92);
    });

    it('records the issuer\'s challenge and refuses, and logs, a pause on that ground', async () => {
      const challenge = await command('admin', 'record-issuer-challenge', { kind: 'reconsideration', filedOn: '2026-11-03', body: '中国证监会行政复议委员会' });
      assert.equal(challenge.status, 200, JSON.stringify(challenge.body));
      const pause = await command('sponsor-zx', 'request-pause', { ground: '发行人已申请行政复议', onGroundOf: 'issuer-challenge' });
      assert.equal(pause.status, 409);
      assert.equal(pause.body.error.code, 'pause-refused');
      assert.equal(pause.body.logged, true);
      const view = await call(null, 'GET', `/api/v1/cases/${caseId}`);
      assert.equal(view.body.progress.limitDate, '2027-02-03', 'nothing extends the limit');
      assert.equal(view.body.pauseRequestsRefused.length, 1);
    });

    it('takes two funders and their deposits; a bank reference counts once', async () => {
      assert.equal((await command('admin', 'add-funder', { funderId: 'sponsor-zx', name: '中兴证券股份有限公司', liableParty: 'sponsor', pledgeFen: '50000000000' })).status, 200);
      assert.equal((await command('admin', 'add-funder', { funderId: 'controller-li', name: '李某某', liableParty: 'controller', pledgeFen: '10000000000' })).status, 200);
      const deposit = { funderId: 'sponsor-zx', amountFen: '50000000000', bankReference: 'ICBC-20261103-0001', valueDate: '2026-11-03' };
      assert.equal((await command('admin', 'confirm-deposit', deposit)).status, 200);
      const before = await version();
      const twice = await command('admin', 'confirm-deposit', deposit);
      assert.equal(twice.status, 409);
      assert.equal(twice.body.error.code, 'duplicate');
      assert.equal(await version(), before, 'a refused command changes nothing');
      const funding = (await call(null, 'GET', `/api/v1/cases/${caseId}`)).body.funding;
      assert.equal(funding.pledgedFen, '60000000000');
      assert.equal(funding.depositedFen, '50000000000');
    });

    it('runs the announcement: applications with conflict checks, selection by agreement, then a verifiable lot draw', async () => {
      const badDates = await command('admin', 'open-announcement', { endsOn: '2026-11-01', seats: { representatives: 2, lawyers: 1 }, drawCommitment: drawCommitment(SEED) });
      assert.ok(badDates.status === 409 || badDates.status === 422, JSON.stringify(badDates.body));
      const opened = await command('admin', 'open-announcement', { endsOn: '2026-11-13', seats: { representatives: 2, lawyers: 1 }, drawCommitment: drawCommitment(SEED) });
      assert.equal(opened.status, 200, JSON.stringify(opened.body));
      for (const id of ['rep-1', 'rep-2', 'rep-3']) {
        const applied = await command(id, 'apply-as-representative', { applicantId: id, name: `投资者${id}`, ties: [] });
        assert.equal(applied.status, 200, JSON.stringify(applied.body));
      }
      const conflicted = await command('rep-4', 'apply-as-representative', { applicantId: 'rep-4', name: '投资者丁', ties: [{ partyId: 'sponsor', relation: 'employee' }] });
      assert.equal(conflicted.status, 409);
      assert.equal(conflicted.body.error.code, 'conflict-of-interest');
      for (const id of ['law-1', 'law-2']) {
        assert.equal((await command(id, 'apply-as-lawyer', { applicantId: id, name: `律师${id}`, firm: { id: `firm-${id}`, name: '某律师事务所' }, ties: [] })).status, 200);
      }
      assert.equal((await command('admin', 'record-selection-by-agreement', { representatives: ['rep-1'], lawyers: [] })).status, 200);
      const tooEarly = await command('admin', 'draw-lots', { seedHex: SEED });
      assert.equal(tooEarly.status, 409, 'no draw while the period runs');
      today = '2026-11-14';
      const wrongSeed = await command('admin', 'draw-lots', { seedHex: 'ff'.repeat(32) });
      assert.equal(wrongSeed.body.error.code, 'draw-commitment-mismatch');
      assert.equal((await command('admin', 'draw-lots', { seedHex: SEED })).status, 200);
      const { draws } = (await call(null, 'GET', `/api/v1/cases/${caseId}/draws`)).body;
      assert.equal(draws.length, 2);
      for (const draw of draws) assert.deepEqual(verifyDraw(draw), { ok: true });
      const file = join(mkdtempSync(join(tmpdir(), 'redress-draw-')), 'draws.json');
      writeFileSync(file, JSON.stringify({ draws }));
      const verified = spawnSync(process.execPath, [join(root, 'bin/redress.js'), 'verify-draw', '--draw', file], { encoding: 'utf8' });
      assert.equal(verified.status, 0, verified.stderr);
      assert.match(verified.stdout, /draw verified: representatives/);
      const seats = (await call(null, 'GET', `/api/v1/cases/${caseId}`)).body.representatives;
      assert.equal(seats.filter((seat: { pool: string }) => seat.pool === 'representatives').length, 2);
      assert.equal(seats.filter((seat: { pool: string }) => seat.pool === 'lawyers').length, 1);
    });

    let recordHash = '';
    it('holds the hearing: a neutral host, equal seats, statements, signatures, a published record', async () => {
      const conflicted = await command('admin', 'appoint-hearing-host', { hostId: 'sponsor-zx', name: '中兴证券' });
      assert.equal(conflicted.body.error.code, 'host-conflict');
      assert.equal((await command('admin', 'appoint-hearing-host', { hostId: 'host-1', name: '王调解员' })).status, 200);
      const scheduled = await command('host-1', 'schedule-hearing', {
        date: '2026-11-20', venue: '中证中小投资者服务中心 第一会议室',
        agenda: [{ id: 'a1', title: '赔付方案草案及计算方法' }],
        evidence: [{ id: 'e1', title: '赔付方案草案 v1', sha256: 'a'.repeat(64) }],
      });
      assert.equal(scheduled.status, 200, JSON.stringify(scheduled.body));
      const proposed = await command('sponsor-zx', 'propose-plan-version', { document: plan('demo-plan.v1.json') });
      assert.equal(proposed.status, 200, JSON.stringify(proposed.body));
      const unfair = await command('sponsor-zx', 'propose-plan-version', { document: plan('unfair-plan.json') });
      assert.equal(unfair.status, 200, JSON.stringify(unfair.body));
      const second = await command('sponsor-zx', 'propose-plan-version', { document: plan('demo-plan.v2.json') });
      assert.equal(second.status, 200);
      const diff = await call(null, 'GET', `/api/v1/cases/${caseId}/plans/3/diff?against=1`);
      assert.equal(diff.status, 200);
      assert.ok(diff.body.changes.length >= 2);
      const invalid = await command('sponsor-zx', 'propose-plan-version', { document: { title: 'x' } });
      assert.equal(invalid.status, 422);
      assert.equal(invalid.body.error.code, 'invalid-plan');
      // Money as a binary float is refused like any invalid plan, not choked on.
      const float = await command('sponsor-zx', 'propose-plan-version', { document: { ...plan('demo-plan.v1.json'), fund: { sizeFen: 800000000.5, topUpRule: 'x' } } });
      assert.equal(float.status, 422, JSON.stringify(float.body));

      today = '2026-11-20';
      const { representatives } = (await call(null, 'GET', `/api/v1/cases/${caseId}`)).body;
      const investorSide = representatives.filter((seat: { pool: string }) => seat.pool === 'representatives').map((seat: { id: string }) => seat.id) as string[];
      for (const id of ['sponsor-zx', 'controller-li']) {
        assert.equal((await command('host-1', 'seat-hearing-participant', { side: 'liable-parties', participantId: id, name: id, capacity: '出资人' })).status, 200);
      }
      assert.equal((await command('host-1', 'seat-hearing-participant', { side: 'investors', participantId: investorSide[0]!, name: investorSide[0]!, capacity: '投资者代表' })).status, 200);
      const unbalanced = await command('host-1', 'open-hearing', {});
      assert.equal(unbalanced.body.error.code, 'seats-unbalanced');
      assert.equal((await command('host-1', 'seat-hearing-participant', { side: 'investors', participantId: investorSide[1]!, name: investorSide[1]!, capacity: '投资者代表' })).status, 200);
      assert.equal((await command('host-1', 'open-hearing', {})).status, 200);
      // The plan may rest only on what is in the record (案卷排他): the versions discussed are evidence.
      const { plans } = (await call(null, 'GET', `/api/v1/cases/${caseId}`)).body;
      for (const version of [1, 2]) {
        const evidence = { id: `plan-v${version}`, title: `赔付方案 第${version}版`, sha256: plans[version - 1].hash };
        assert.equal((await command('host-1', 'add-evidence', evidence)).status, 200);
      }
      assert.equal((await command('host-1', 'record-statement', { speakerId: 'sponsor-zx', text: '出资人说明方案的计算方法。' })).status, 200);
      assert.equal((await command('host-1', 'record-objection', { by: investorSide[0]!, concerning: { kind: 'agenda-item', id: 'a1' }, text: '系统风险扣除比例应予说明。' })).status, 200);
      const notClosed = await command('host-1', 'adopt-plan', { version: 1, hearingRecordHash: 'b'.repeat(64) });
      assert.equal(notClosed.body.error.code, 'record-not-closed');
      for (const signer of ['host-1', 'sponsor-zx', 'controller-li', ...investorSide]) {
        const signed = await command(signer, 'sign-hearing-record', { signerId: signer });
        assert.equal(signed.status, 200, `${signer}: ${JSON.stringify(signed.body)}`);
      }
      assert.equal((await command('host-1', 'close-hearing-record', {})).status, 200);
      const hearing = (await call(null, 'GET', `/api/v1/cases/${caseId}`)).body.hearing;
      recordHash = hearing.recordHash;
      assert.match(recordHash, /^[0-9a-f]{64}$/);
      assert.equal(hearing.record.signatures.length, 5);
    });

    it('adopts the plan on the closed record, never a flagged one, and computes the demo data against it', async () => {
      const flagged = await command('host-1', 'adopt-plan', { version: 2, hearingRecordHash: recordHash });
      assert.equal(flagged.body.error.code, 'review-flags-open');
      const adopted = await command('host-1', 'adopt-plan', { version: 1, hearingRecordHash: recordHash }, { 'idempotency-key': 'adopt-1' });
      assert.equal(adopted.status, 200, JSON.stringify(adopted.body));
      const replayed = await command('host-1', 'adopt-plan', { version: 1, hearingRecordHash: recordHash }, { 'idempotency-key': 'adopt-1' });
      assert.equal(replayed.status, 200);
      assert.equal(replayed.headers['idempotent-replayed'], 'true');
      assert.deepEqual(replayed.body, adopted.body);
      const reused = await command('host-1', 'adopt-plan', { version: 3, hearingRecordHash: recordHash }, { 'idempotency-key': 'adopt-1' });
      assert.equal(reused.status, 409);
      assert.equal(reused.body.error.code, 'idempotency-key-reused');
      const view = (await call(null, 'GET', `/api/v1/cases/${caseId}`)).body;
      assert.equal(view.adoptedPlan.version, 1);
      assert.equal(view.adoptedPlan.hearingRecordHash, recordHash);

      const started = await call('admin', 'POST', `/api/v1/cases/${caseId}/computation-runs`, { dataset: 'demo-case' });
      assert.equal(started.status, 202, JSON.stringify(started.body));
      await computations.settled(started.body.runId);
      const run = (await call('auditor', 'GET', `/api/v1/computation-runs/${started.body.runId}`)).body;
      assert.equal(run.status, 'finished', run.error);
      // The same engine on the same files, outside the store, gives the same counts and total.
      const out = mkdtempSync(join(tmpdir(), 'redress-lifecycle-'));
      writeFileSync(join(out, 'plan.json'), JSON.stringify(plan('demo-plan.v1.json')['lossParameters']));
      const demo = (name: string) => join(root, 'examples/demo-case', name);
      const direct = await computeCase({ plan: join(out, 'plan.json'), trades: demo('trades.csv'), holdings: demo('holdings.csv'), market: demo('market.csv'), index: demo('index.csv'), actions: demo('actions.csv'), encoding: 'utf-8', out: join(out, 'direct'), workers: 1 });
      assert.equal(run.counts.investors, direct.counts.investors);
      assert.equal(run.counts.payable, direct.counts.payable);
      assert.equal(BigInt(run.totalFen), BigInt(direct.totals.total.replace('.', '')));
      const rows = readFileSync(join(out, 'direct', 'compensation.csv'), 'utf8').trim().split('\n');
      const payable = rows.find((row) => row.split(',')[1] === 'payable')!.split(',');
      const result = (await call('auditor', 'GET', `/api/v1/computation-runs/${started.body.runId}/results/${payable[0]}`)).body;
      assert.equal(result.total_fen, payable.at(-1)!.replace('.', '').replace(/^0+(?=\d)/, ''));
      assert.equal(result.sheet.investor ?? result.sheet.investorId ?? payable[0], payable[0]);
      const page = (await call('admin', 'GET', `/api/v1/computation-runs/${started.body.runId}/results?status=payable&limit=5`)).body;
      assert.equal(page.results.length, 5);
      assert.ok(page.results.every((row: { status: string }) => row.status === 'payable'));
      const recorded = (await call(null, 'GET', `/api/v1/cases/${caseId}`)).body.computationRuns;
      assert.equal(recorded.length, 1);
      assert.equal(recorded[0].inputHash, run.inputSha256);
    });

    it('makes an offer to every payable investor, which each answers for itself within the window', async () => {
      const runs = (await call('auditor', 'GET', `/api/v1/cases/${caseId}/computation-runs`)).body.runs;
      const run = runs.at(-1);
      const issued = await call('admin', 'POST', `/api/v1/cases/${caseId}/computation-runs/${run.runId}/offers`);
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      assert.equal(issued.body.offers, run.counts.payable);
      assert.equal(issued.body.totalFen, run.totalFen);
      const again = await call('admin', 'POST', `/api/v1/cases/${caseId}/computation-runs/${run.runId}/offers`);
      assert.deepEqual([again.status, again.body.offers, again.body.alreadyIssued], [200, run.counts.payable, true]);

      const page = (await call('admin', 'GET', `/api/v1/cases/${caseId}/offers?limit=3`)).body.offers;
      const [first, second, third] = page as { investor: string; offerId: string; amountFen: string; agreementSha256: string }[];
      for (const offer of [first!, second!]) tokens[offer.investor] = (await createActor(database.db, { id: offer.investor, role: 'investor', name: offer.investor })).token;
      assert.equal(first!.offerId, offerId(run.runId, first!.investor), 'the store and the SQL derive one id');

      const mine = (await call(first!.investor, 'GET', '/api/v1/me/offers')).body.offers;
      assert.deepEqual(mine.map((offer: { offerId: string }) => offer.offerId), [first!.offerId]);
      const detail = (await call(first!.investor, 'GET', `/api/v1/offers/${first!.offerId}`)).body;
      assert.equal(detail.agreement.language, 'zh');
      assert.ok(detail.calculationSheet, 'the offer shows how its amount was computed');
      assert.match(detail.refusing.zh, /诉讼/);
      assert.equal((await call(second!.investor, 'GET', `/api/v1/offers/${first!.offerId}`)).status, 404, 'another investor cannot see it');

      const early = await call(first!.investor, 'POST', `/api/v1/offers/${first!.offerId}/accept`, { agreementSha256: first!.agreementSha256 });
      assert.equal(early.body.error.code, 'window-not-open');
      today = '2027-01-05';
      const wrongText = await call(first!.investor, 'POST', `/api/v1/offers/${first!.offerId}/accept`, { agreementSha256: 'c'.repeat(64) });
      assert.equal(wrongText.body.error.code, 'agreement-mismatch');
      const notMine = await call(second!.investor, 'POST', `/api/v1/offers/${first!.offerId}/accept`, { agreementSha256: first!.agreementSha256 });
      assert.equal(notMine.status, 403);
      const accepted = await call(first!.investor, 'POST', `/api/v1/offers/${first!.offerId}/accept`, { agreementSha256: first!.agreementSha256 });
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.deepEqual([accepted.body.offer.status, accepted.body.repeated], ['accepted', false]);
      const repeated = await call(first!.investor, 'POST', `/api/v1/offers/${first!.offerId}/accept`, { agreementSha256: first!.agreementSha256 });
      assert.deepEqual([repeated.status, repeated.body.repeated], [200, true]);
      const changed = await call(first!.investor, 'POST', `/api/v1/offers/${first!.offerId}/refuse`, {});
      assert.equal(changed.body.error.code, 'already-answered');
      const answers = (await call('admin', 'GET', `/api/v1/offers/${first!.offerId}`)).body.answers;
      assert.equal(answers.length, 1);
      assert.equal(answers[0].agreement_sha256, first!.agreementSha256);
      assert.deepEqual(answers[0].assignment.assignees.map((assignee: { funderId: string }) => assignee.funderId), ['sponsor-zx', 'controller-li']);

      // The statement of the offer, for the investor's records or a court: a PDF whose text is Chinese.
      const pdf = await api.inject({ method: 'GET', url: `/api/v1/offers/${first!.offerId}/statement.pdf`, headers: { authorization: `Bearer ${tokens[first!.investor]}` } });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      const { extractText, getDocumentProxy } = await import('unpdf');
      const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf.rawPayload)), { mergePages: true });
      assert.match(text, /先行赔付要约及计算说明/);
      assert.ok(text.includes(first!.investor));
      assert.equal((await api.inject({ method: 'GET', url: `/api/v1/offers/${first!.offerId}/statement.pdf`, headers: { authorization: `Bearer ${tokens[second!.investor]}` } })).statusCode, 404);

      const disputed = await call(second!.investor, 'POST', `/api/v1/offers/${second!.offerId}/dispute`, { reason: '2021-11-05 的买入未计入' });
      assert.equal(disputed.body.offer.status, 'disputed');
      // At a counter, an administrator records the answer of an investor who does not use the portal.
      const counter = await call('admin', 'POST', `/api/v1/offers/${third!.offerId}/refuse`, { channel: 'counter' });
      assert.equal(counter.body.offer.status, 'refused', JSON.stringify(counter.body));
      // Through the market: the registry credits units to each open offer's account, the exchange
      // sends back what investors declared through their brokers.
      const registry = await api.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/registry-units.csv`, headers: { authorization: `Bearer ${tokens['admin']}` } });
      assert.equal(registry.statusCode, 200, registry.body);
      const [header, ...credits] = registry.body.trim().split('\n');
      assert.equal(header, 'offer_id,investor,account,units,security_code,plan_sha256,opens_on,closes_on');
      assert.equal(credits.length + Number(registry.headers['x-offers-without-account']), (await call('admin', 'GET', `/api/v1/cases/${caseId}/offers?status=offered&limit=1000`)).body.offers.length);
      const [acceptRow, refuseRow] = credits.map((line) => line.split(','));
      const declarations = [
        'offer_id,investor,account,units,declaration,declared_on,broker',
        `${acceptRow![0]},${acceptRow![1]},${acceptRow![2]},${acceptRow![3]},accept,2027-01-05,某证券营业部`,
        `${refuseRow![0]},${refuseRow![1]},${refuseRow![2]},1.00,refuse,2027-01-05,某证券营业部`,
        `${refuseRow![0]},${refuseRow![1]},${refuseRow![2]},${refuseRow![3]},refuse,2027-01-05,某证券营业部`,
      ].join('\n');
      const imported = (await call('admin', 'POST', `/api/v1/cases/${caseId}/exchange-declarations`, { file: 'declarations-20270105.csv', csv: declarations })).body;
      assert.deepEqual([imported.accepted, imported.refused, imported.repeats], [1, 1, 0], JSON.stringify(imported));
      assert.deepEqual(imported.errors.map((error: { line: number; code: string }) => [error.line, error.code]), [[3, 'units-mismatch']]);
      const twice = (await call('admin', 'POST', `/api/v1/cases/${caseId}/exchange-declarations`, { file: 'declarations-20270105.csv', csv: declarations })).body;
      assert.deepEqual([twice.accepted, twice.refused, twice.repeats], [0, 0, 2], 'importing the file again records nothing twice');
      const viaExchange = (await call('admin', 'GET', `/api/v1/offers/${acceptRow![0]}`)).body;
      assert.deepEqual([viaExchange.status, viaExchange.answers[0].channel], ['accepted', 'exchange-file']);

      const more = (await call('admin', 'GET', `/api/v1/cases/${caseId}/offers?status=offered&limit=2`)).body.offers as { offerId: string; agreementSha256: string }[];
      for (const offer of more) {
        const accepted = await call('admin', 'POST', `/api/v1/offers/${offer.offerId}/accept`, { agreementSha256: offer.agreementSha256, channel: 'counter' });
        assert.equal(accepted.body.offer.status, 'accepted');
      }
    });

    it('reviews a dispute: a correction by recomputation replaces the offer, an upheld offer is open again', async () => {
      const [disputed] = (await call('admin', 'GET', `/api/v1/cases/${caseId}/offers?status=disputed`)).body.offers as { offerId: string; investor: string; amountFen: string }[];
      assert.ok(disputed, 'the dispute waits in the review queue');
      const noRun = await call('admin', 'POST', `/api/v1/offers/${disputed!.offerId}/resolve-dispute`, { resolution: 'corrected', note: '补入漏计的买入', runId: 'run-none' });
      assert.equal(noRun.status, 409);
      const rerun = await call('admin', 'POST', `/api/v1/cases/${caseId}/computation-runs`, { dataset: 'demo-case' });
      await computations.settled(rerun.body.runId);
      const corrected = await call('admin', 'POST', `/api/v1/offers/${disputed!.offerId}/resolve-dispute`, { resolution: 'corrected', note: '核对登记数据后重新计算', runId: rerun.body.runId });
      assert.equal(corrected.status, 200, JSON.stringify(corrected.body));
      assert.equal(corrected.body.offer.status, 'superseded');
      const replacement = corrected.body.replacement;
      assert.equal(replacement.status, 'offered');
      assert.equal(replacement.amountFen, disputed!.amountFen, 'the same data recomputed give the same amount');
      assert.equal(replacement.offerId, offerId(rerun.body.runId, disputed!.investor));
      const mine = (await call(disputed!.investor, 'GET', '/api/v1/me/offers')).body.offers.map((offer: { status: string }) => offer.status);
      assert.deepEqual(mine.sort(), ['offered', 'superseded']);
      const stale = await call(disputed!.investor, 'POST', `/api/v1/offers/${disputed!.offerId}/accept`, { agreementSha256: replacement.agreementSha256 });
      assert.equal(stale.body.error.code, 'superseded');
      assert.equal((await call(disputed!.investor, 'POST', `/api/v1/offers/${replacement.offerId}/dispute`, { reason: '金额仍有疑问' })).status, 200);
      const upheld = await call('admin', 'POST', `/api/v1/offers/${replacement.offerId}/resolve-dispute`, { resolution: 'upheld', note: '复核无误' });
      assert.equal(upheld.body.offer.status, 'offered');
      assert.equal((await call('admin', 'POST', `/api/v1/offers/${replacement.offerId}/resolve-dispute`, { resolution: 'upheld', note: '再次' })).body.error.code, 'not-disputed');
    });

    it('pays the accepted offers in batches two administrators handle, each offer exactly once', async () => {
      const accepted = (await call('admin', 'GET', `/api/v1/cases/${caseId}/offers?status=accepted`)).body.offers as { offerId: string; amountFen: string }[];
      assert.equal(accepted.length, 4);
      const early = await call('admin', 'POST', `/api/v1/cases/${caseId}/payment-batches`);
      assert.equal(early.body.error.code, 'window-open');
      today = '2027-01-25';
      const prepared = await call('admin', 'POST', `/api/v1/cases/${caseId}/payment-batches`);
      assert.equal(prepared.status, 201, JSON.stringify(prepared.body));
      const batchId = prepared.body.batchId as string;
      assert.equal(prepared.body.counts.items, 4);
      assert.equal(BigInt(prepared.body.totalFen), accepted.reduce((total, offer) => total + BigInt(offer.amountFen), 0n));
      const self = await call('admin', 'POST', `/api/v1/payment-batches/${batchId}/approve`);
      assert.deepEqual([self.status, self.body.error.code], [403, 'same-person']);
      assert.equal((await call('admin', 'POST', `/api/v1/payment-batches/${batchId}/send`)).body.error.code, 'wrong-status', 'nothing goes out unapproved');
      assert.equal((await call('admin-2', 'POST', `/api/v1/payment-batches/${batchId}/approve`)).status, 200);
      assert.equal((await call('admin', 'POST', `/api/v1/cases/${caseId}/payment-batches`)).body.error.code, 'nothing-to-pay', 'offers in a batch are not batched again');
      const sent = await api.inject({ method: 'POST', url: `/api/v1/payment-batches/${batchId}/send`, headers: { authorization: `Bearer ${tokens['admin']}` } });
      assert.equal(sent.statusCode, 200, sent.body);
      const instructions = sent.body.trim().split('\n');
      assert.equal(instructions[0], 'batch_id,offer_id,investor,route_kind,route_reference,attempt,amount');
      assert.equal(instructions.length, 5);

      const yuan = (fen: string) => `${BigInt(fen) / 100n}.${String(BigInt(fen) % 100n).padStart(2, '0')}`;
      const [a, b, c, d] = accepted;
      const results = [
        'offer_id,amount,outcome,reason',
        `${a!.offerId},${yuan(a!.amountFen)},paid,`,
        `${b!.offerId},${yuan(b!.amountFen)},paid,`,
        `${c!.offerId},${yuan(c!.amountFen)},failed,账户已销户`,
        `${d!.offerId},${yuan((BigInt(d!.amountFen) + 1n).toString())},paid,`,
        'offer-unknown,1.00,paid,',
        `${d!.offerId},${yuan(d!.amountFen)},paid,`,
      ].join('\n');
      const imported = (await call('admin', 'POST', `/api/v1/payment-batches/${batchId}/results`, { csv: results })).body;
      assert.equal(imported.applied, 4);
      assert.deepEqual(imported.rejected.map((row: { line: number }) => row.line), [5, 6]);
      assert.equal(imported.batch.status, 'settled');
      const again = (await call('admin', 'POST', `/api/v1/payment-batches/${batchId}/results`, { csv: results })).body;
      assert.equal(again.applied, 0, 'importing the same file twice pays nothing twice');

      const noRoute = await call('admin', 'POST', `/api/v1/cases/${caseId}/payment-batches`);
      assert.equal(noRoute.body.error.code, 'nothing-to-pay', 'a failed payment waits for a new route');
      assert.equal((await call('admin', 'POST', `/api/v1/offers/${a!.offerId}/payment-route`, { kind: 'bank-account', reference: '6222000011112222', reason: 'x' })).body.error.code, 'payment-live');
      assert.equal((await call('admin', 'POST', `/api/v1/offers/${c!.offerId}/payment-route`, { kind: 'bank-account', reference: '6222000011112222', reason: '投资者提供的银行账户' })).status, 200);
      const retry = (await call('admin-2', 'POST', `/api/v1/cases/${caseId}/payment-batches`)).body;
      assert.deepEqual(retry.items.map((item: { offerId: string; attempt: number }) => [item.offerId, item.attempt]), [[c!.offerId, 2]]);
      assert.equal((await call('admin', 'POST', `/api/v1/payment-batches/${retry.batchId}/approve`)).status, 200);
      assert.equal((await call('admin', 'POST', `/api/v1/payment-batches/${retry.batchId}/send`)).status, 200);
      const paid = (await call('admin-2', 'POST', `/api/v1/payment-batches/${retry.batchId}/results`, { csv: `offer_id,amount,outcome,reason\n${c!.offerId},${yuan(c!.amountFen)},paid,\n` })).body;
      assert.equal(paid.applied, 1);
      assert.equal((await call('admin', 'POST', `/api/v1/cases/${caseId}/payment-batches`)).body.error.code, 'nothing-to-pay');
      // Interest the custodian credited, and the trustee's fee, which may not take interest.
      const interest = await call('admin', 'POST', `/api/v1/cases/${caseId}/ledger/interest`, { amountFen: '12345', reference: 'ICBC-INT-2027-01' });
      assert.equal(interest.status, 201, JSON.stringify(interest.body));
      assert.equal(interest.body.position.interestEarnedFen, '12345');
      const fee = await call('admin', 'POST', `/api/v1/cases/${caseId}/ledger/management-fee`, { amountFen: '100000', reference: 'FEE-2027-01' });
      assert.equal(fee.status, 201, JSON.stringify(fee.body));
      assert.equal((await call('admin', 'POST', `/api/v1/cases/${caseId}/ledger/management-fee`, { amountFen: '100000', reference: 'FEE-2027-01' })).status, 201, 'the same reference again is the same transaction');
      assert.equal((await call('auditor', 'GET', `/api/v1/cases/${caseId}/ledger`)).body.position.managementFeeFen, '100000');
      // The fund's ledger moved with each fact: deposits in, acceptances payable, payments out.
      const ledger = (await call('auditor', 'GET', `/api/v1/cases/${caseId}/ledger`)).body;
      const acceptedFen = accepted.reduce((total, offer) => total + BigInt(offer.amountFen), 0n);
      assert.equal(ledger.position.contributedFen, '50000000000');
      assert.equal(ledger.position.acceptedFen, acceptedFen.toString());
      assert.equal(ledger.position.paidFen, acceptedFen.toString());
      assert.equal(ledger.position.payableFen, '0');
      assert.equal(ledger.position.custodyFen, (50000000000n + 12345n - 100000n - acceptedFen).toString());
      assert.equal(ledger.trialBalance.totalDebitFen, ledger.trialBalance.totalCreditFen);
      assert.equal(ledger.transactions, 1 + 4 + 4 + 2, 'one deposit, four acceptances, four payments (the failed try moved nothing), interest and a fee');
      const report = (await call('auditor', 'GET', `/api/v1/cases/${caseId}/reconciliation`)).body;
      assert.equal(report.balanced, true, JSON.stringify(report.checks.filter((entry: { holds: boolean }) => !entry.holds)));
      assert.equal(report.paid.count, 4);
      assert.equal(report.failed.count, 0, 'the failed payment was paid on retry');
      assert.equal(report.accepted.amountFen, acceptedFen.toString());
      const progress = (await call(null, 'GET', `/api/v1/cases/${caseId}/progress`)).body;
      assert.equal(progress.paid.countPercent, report.paid.countPercent);
      assert.doesNotMatch(JSON.stringify(progress), /INV\d/, 'no investor id in public progress');
      const pack = (await call('auditor', 'GET', `/api/v1/cases/${caseId}/auditor-pack`)).body;
      assert.equal(pack.auditLog.ok, true);
      assert.equal(pack.reconciliation.balanced, true);
      assert.equal(pack.ledger.transactions.length, ledger.transactions);
      assert.equal(pack.paymentBatches.length, 2);
      const litigation = await api.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/litigation-export.csv`, headers: { authorization: `Bearer ${tokens['admin']}` } });
      const standings = litigation.body.trim().split('\n').slice(1).map((line) => line.split(',')[1]);
      assert.equal(standings.filter((standing) => standing === 'refused').length, 2, 'the refusal at the counter and the one from the exchange');
      assert.ok(standings.includes('not-covered') && standings.includes('not-settled'));
      assert.equal(litigation.body.trim().split('\n').length - 1, report.computed.investors - report.accepted.count, 'everyone not settled by acceptance is listed');
      // Recourse: the sponsor paid for all; the issuer bears 70%, the controller 30%, the sponsor did its duty.
      const badShares = await call('admin', 'POST', `/api/v1/cases/${caseId}/recourse/allocation`, { parties: [{ id: 'issuer', kind: 'issuer', fault: { percent: '70' } }, { id: 'controller', kind: 'actual-controller', fault: { percent: '20' } }], basis: 'x' });
      assert.equal(badShares.body.error.code, 'percentages-not-100');
      const allocation = await call('admin', 'POST', `/api/v1/cases/${caseId}/recourse/allocation`, {
        parties: [{ id: 'issuer', kind: 'issuer', fault: { percent: '70' } }, { id: 'controller', kind: 'actual-controller', fault: { percent: '30' } }, { id: 'sponsor', kind: 'sponsor', fault: 'no-fault' }],
        basis: '(2027)京01民初1号判决',
      });
      assert.equal(allocation.status, 201, JSON.stringify(allocation.body));
      const recourse = (await call('sponsor-zx', 'GET', `/api/v1/cases/${caseId}/recourse`)).body;
      assert.equal(recourse.register.totalFen, acceptedFen.toString(), 'the claims assigned are the compensation paid');
      const issuerOwes = recourse.outstanding.find((row: { party: string }) => row.party === 'issuer');
      const controllerOwes = recourse.outstanding.find((row: { party: string }) => row.party === 'controller');
      assert.equal(BigInt(issuerOwes.outstandingFen) + BigInt(controllerOwes.outstandingFen), acceptedFen, 'a sponsor without fault recovers everything it paid');
      assert.ok(recourse.limitationDates.every((row: { date: string }) => row.date === '2025-04-30'), 'three years from the disclosure date, 2022-04-30');
      const recovery = await call('admin', 'POST', `/api/v1/cases/${caseId}/recourse/recoveries`, { creditor: 'sponsor', debtor: 'controller', amountFen: '100000', receivedOn: '2027-01-26', reference: 'ICBC-REC-1' });
      assert.equal(recovery.status, 201, JSON.stringify(recovery.body));
      const after = (await call('auditor', 'GET', `/api/v1/cases/${caseId}/recourse`)).body;
      assert.equal(BigInt(after.outstanding.find((row: { party: string }) => row.party === 'controller').outstandingFen), BigInt(controllerOwes.outstandingFen) - 100000n);
      assert.equal((await call('auditor', 'GET', `/api/v1/cases/${caseId}/ledger`)).body.position.recoveredFen, '100000');
      // A refuser who sued: the amount the court fixed is paid through the same rails.
      const refuser = litigation.body.trim().split('\n').slice(1).map((line) => line.split(',')).find((fields) => fields[1] === 'refused')![0]!;
      const awards = `investor,amount,judgment,judgment_date\n${refuser},8888.88,(2027)京74民初88号,2027-01-24\nINV-X,1.5,(2027)京74民初88号,2027-01-24\n`;
      const awarded = (await call('admin', 'POST', `/api/v1/cases/${caseId}/court-awards`, { csv: awards })).body;
      assert.deepEqual([awarded.recorded, awarded.repeats, awarded.errors.map((error: { line: number }) => error.line)], [1, 0, [3]]);
      assert.equal((await call('admin', 'POST', `/api/v1/cases/${caseId}/court-awards`, { csv: awards })).body.repeats, 1, 'recording it again changes nothing');
      const awardBatch = (await call('admin', 'POST', `/api/v1/cases/${caseId}/payment-batches`)).body;
      assert.deepEqual(awardBatch.items.map((item: { investor: string; amountFen: string }) => [item.investor, item.amountFen]), [[refuser, '888888']]);
      assert.equal((await call('admin-2', 'POST', `/api/v1/payment-batches/${awardBatch.batchId}/approve`)).status, 200);
      assert.equal((await call('admin', 'POST', `/api/v1/payment-batches/${awardBatch.batchId}/send`)).status, 200);
      const awardPaid = (await call('admin', 'POST', `/api/v1/payment-batches/${awardBatch.batchId}/results`, { csv: `offer_id,amount,outcome,reason\n${awardBatch.items[0].offerId},8888.88,paid,\n` })).body;
      assert.equal(awardPaid.applied, 1);
      const withAward = (await call('auditor', 'GET', `/api/v1/cases/${caseId}/reconciliation`)).body;
      assert.equal(withAward.balanced, true, JSON.stringify(withAward.checks.filter((entry: { holds: boolean }) => !entry.holds)));
      assert.deepEqual(withAward.awards, { count: 1, amountFen: '888888' });

      // Close: after the late-claim period, what is left goes back to the funder that paid in.
      const tooSoon = await call('admin', 'POST', `/api/v1/cases/${caseId}/residual-return`);
      assert.equal(tooSoon.body.error.code, 'late-claims-open');
      const saved = today;
      today = '2027-03-24';
      const custody = BigInt((await call('auditor', 'GET', `/api/v1/cases/${caseId}/ledger`)).body.position.custodyFen);
      const residual = await call('admin', 'POST', `/api/v1/cases/${caseId}/residual-return`);
      assert.equal(residual.status, 200, JSON.stringify(residual.body));
      assert.deepEqual([residual.body.kind, residual.body.residualFen, residual.body.shares], ['funders', custody.toString(), [{ funderId: 'sponsor-zx', amountFen: custody.toString() }]]);
      assert.equal((await call('auditor', 'GET', `/api/v1/cases/${caseId}/ledger`)).body.position.custodyFen, '0');
      assert.equal((await call('admin', 'POST', `/api/v1/cases/${caseId}/residual-return`)).body.error.code, 'nothing-left');
      today = saved;
      // The database refuses a second live payment of a paid offer even if the rules were bypassed.
      await assert.rejects(
        database.db.insertInto('payment_items').values({ batch_id: retry.batchId, offer_id: a!.offerId, investor: 'x', amount_fen: 1n, route_kind: 'bank-account', route_reference: 'x', attempt: 9, status: 'pending' }).execute(),
        /payment_items_one_live_per_offer|duplicate key/,
      );
    });

    it('refuses bad requests clearly and changes nothing', async () => {
      const unknown = await call('admin', 'POST', '/api/v1/cases/case-000000000000/commands/record-issuer-challenge', { kind: 'litigation', filedOn: '2026-11-20', body: '北京市第一中级人民法院' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'not-found');
      assert.ok(unknown.body.error.message.zh && unknown.body.error.message.en);
      const before = await version();
      const entries = await auditEntries();
      const malformed = await command('admin', 'add-funder', { funderId: 'x', name: 'x', liableParty: 'other', pledgeFen: 12.5 });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.code, 'invalid-request');
      const wrongRole = await command('inv-1', 'add-funder', { funderId: 'x', name: 'x', liableParty: 'other', pledgeFen: '1' });
      assert.equal(wrongRole.status, 403);
      const anonymous = await command('rep-1', 'adopt-plan', { version: 1, hearingRecordHash: recordHash });
      assert.equal(anonymous.status, 403);
      const again = await command('host-1', 'adopt-plan', { version: 1, hearingRecordHash: recordHash });
      assert.equal(again.status, 409);
      assert.equal(await version(), before);
      // Only the refusal the procedure decided is audited; requests stopped at the door are not commands.
      assert.equal(await auditEntries(), entries + 1);
    });

    it('every route refuses every role it does not admit, before doing anything', async () => {
      const entries = await auditEntries();
      const roles: Record<Role, string | null> = {
        administrator: 'admin', 'hearing-host': 'host-1', funder: 'sponsor-zx', representative: 'rep-1', lawyer: 'law-1', investor: 'inv-1', auditor: 'auditor', public: null,
      };
      let checked = 0;
      for (const route of api.routeTable) {
        for (const [role, actor] of Object.entries(roles) as [Role, string | null][]) {
          if (route.roles.includes(role)) continue;
          const url = route.url.replace(':caseId', caseId).replace(':version', '1').replace(':runId', 'run-x').replace(':investor', 'INV0000001').replace(':offerId', 'offer-x');
          const response = await call(actor, route.method as 'GET' | 'POST', url, route.method === 'POST' ? {} : undefined);
          assert.equal(response.status, role === 'public' ? 401 : 403, `${role} on ${route.method} ${route.url}`);
          checked++;
        }
      }
      assert.ok(checked > 100, `${checked} refusals checked`);
      assert.equal(await auditEntries(), entries);
      const verified = (await call('auditor', 'GET', '/api/v1/audit/verify')).body;
      assert.equal(verified.ok, true);
    });

    it('opens a case early under an administrative-settlement commitment, on the date it names', async () => {
      const commitment = {
        commitmentNumber: '承诺〔2026〕3号', committedOn: '2026-11-18', authority: '中国证券监督管理委员会', opensOn: '2026-11-21',
        issuer: '另一科技股份有限公司', security: { code: '688999', name: '另一科技' },
        liableParties: [{ id: 'issuer', name: '另一科技股份有限公司', kind: 'issuer' }], facts: '当事人承诺赔偿投资者损失。',
      };
      const opened = await call('admin', 'POST', '/api/v1/cases/under-commitment', commitment);
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      assert.notEqual(opened.body.caseId, caseId);
      const view = (await call(null, 'GET', `/api/v1/cases/${opened.body.caseId}`)).body;
      assert.equal(view.progress.openedOn, '2026-11-21');
      assert.equal(view.trigger.kind, 'commitment');
      assert.equal((await call(null, 'GET', '/api/v1/cases')).body.cases.length, 2);
    });

    it('describes itself: OpenAPI lists every route with its request schema, and /health answers', async () => {
      const openapi = (await call(null, 'GET', '/api/openapi.json')).body;
      assert.match(openapi.openapi, /^3\./);
      const documented = Object.entries(openapi.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
      for (const route of api.routeTable.filter((entry) => entry.url !== '/api/openapi.json')) {
        assert.ok(documented.includes(`${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`), `${route.method} ${route.url} is documented`);
      }
      const adopt = openapi.paths['/api/v1/cases/{caseId}/commands/adopt-plan'].post;
      assert.deepEqual(adopt.requestBody.content['application/json'].schema.required.sort(), ['hearingRecordHash', 'version']);
      const health = await call(null, 'GET', '/health');
      assert.equal(health.status, 200);
      assert.equal(health.body.status, 'ok');
      assert.equal(health.body.database, databaseName);
    });
  });
});
