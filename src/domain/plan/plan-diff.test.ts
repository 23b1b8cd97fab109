import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { diffPlans, formatPlanDiff, type PlanChange } from './plan-diff.ts';
import { parsePlanDocument, type AgreementClause, type PlanDocument } from './plan-document.ts';
import { planContentHash } from './plan-version.ts';

function readPlan(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../examples/plans/${name}`, import.meta.url), 'utf8'));
}

const v1 = parsePlanDocument(readPlan('demo-plan.v1.json')).document;
const v2 = parsePlanDocument(readPlan('demo-plan.v2.json')).document;

function withClauses(document: PlanDocument, clauses: AgreementClause[]): PlanDocument {
  return { ...document, agreement: { ...document.agreement, clauses } };
}

const clause = (id: string, text: string): AgreementClause => ({ id, text });

test('the two published versions of the demo plan differ in the commission rate and clause c2', () => {
  const changes = diffPlans(v1, v2);
  assert.deepEqual(
    changes.map(({ path, kind }) => ({ path, kind })),
    [
      { path: 'lossParameters.fees.commissionRate', kind: 'changed' },
      { path: 'agreement.clauses[c2]', kind: 'changed' },
    ],
  );
  assert.equal(changes[0]!.before, '0.0003');
  assert.equal(changes[0]!.after, '0.0005');
  assert.equal(changes[1]!.before, v1.agreement.clauses[1]!.text);
  assert.equal(changes[1]!.after, v2.agreement.clauses[1]!.text);
  assert.deepEqual(formatPlanDiff(changes, 'zh').split('\n'), [
    '佣金费率（lossParameters.fees.commissionRate）：由「0.0003」改为「0.0005」',
    '协议条款 c2（agreement.clauses[c2]）：由「…应的佣金（费率0.03%）和印花税（税率0.…」改为「…应的佣金（费率0.05%，依听证中投资者代表提交的证券公司收费证据确定）和印花税（税率0.…」',
  ]);
  assert.deepEqual(formatPlanDiff(changes, 'en').split('\n'), [
    'commission rate (lossParameters.fees.commissionRate): changed from "0.0003" to "0.0005"',
    'agreement clause c2 (agreement.clauses[c2]): changed from "…应的佣金（费率0.03%）和印花税（税率0.…" to "…应的佣金（费率0.05%，依听证中投资者代表提交的证券公司收费证据确定）和印花税（税率0.…"',
  ]);
});

test('identical versions have no change, and the text says so', () => {
  assert.deepEqual(diffPlans(v1, v1), []);
  assert.deepEqual(diffPlans(v1, parsePlanDocument(readPlan('demo-plan.v1.json')).document), []);
  assert.equal(formatPlanDiff([], 'zh'), '两个版本的内容相同。');
  assert.equal(formatPlanDiff([], 'en'), 'The two versions are the same.');
});

test('changes come in the order of the schema, whatever the order of the keys', () => {
  const after: PlanDocument = {
    // Keys deliberately out of the schema's order.
    agreement: { ...v1.agreement, title: '和解协议' },
    timetable: { ...v1.timetable, endsOn: '2027-02-03', paymentOn: '2027-01-28' },
    fund: { shortfall: v1.fund.shortfall, topUpRule: v1.fund.topUpRule, sizeFen: '950000000' },
    lossParameters: { ...v1.lossParameters, exclusions: ['INV0000954'], baseDate: '2022-05-25' },
    title: '示例科技先行赔付方案',
    disputeChannel: v1.disputeChannel,
    latePolicy: { text: v1.latePolicy.text, lateClaimDays: 90 },
  };
  const changes = diffPlans(v1, after);
  assert.deepEqual(changes, [
    { path: 'title', kind: 'changed', before: '示例科技（003999）虚假陈述先行赔付方案', after: '示例科技先行赔付方案' },
    { path: 'lossParameters.baseDate', kind: 'added', after: '2022-05-25' },
    { path: 'lossParameters.exclusions', kind: 'changed', before: '["INV0000954","INV0001519"]', after: '["INV0000954"]' },
    { path: 'fund.sizeFen', kind: 'changed', before: '800000000', after: '950000000' },
    { path: 'timetable.paymentOn', kind: 'changed', before: '2027-01-29', after: '2027-01-28' },
    { path: 'timetable.endsOn', kind: 'changed', before: '2027-02-02', after: '2027-02-03' },
    { path: 'latePolicy.lateClaimDays', kind: 'changed', before: '60', after: '90' },
    { path: 'agreement.title', kind: 'changed', before: '示例科技虚假陈述先行赔付和解协议', after: '和解协议' },
  ]);
  assert.deepEqual(formatPlanDiff(changes, 'zh').split('\n'), [
    '方案名称（title）：由「示例科技（003999）虚假陈述先行赔付方案」改为「示例科技先行赔付方案」',
    '基准日（lossParameters.baseDate）：新增「2022-05-25」',
    '排除的投资者（lossParameters.exclusions）：由「["INV0000954","INV0001519"]」改为「["INV0000954"]」',
    '基金规模（fund.sizeFen）：由「8,000,000.00 元」改为「9,500,000.00 元」',
    '支付日（timetable.paymentOn）：由「2027-01-29」改为「2027-01-28」',
    '赔付结束日（timetable.endsOn）：由「2027-02-02」改为「2027-02-03」',
    '逾期申报期限（日）（latePolicy.lateClaimDays）：由「60」改为「90」',
    '协议名称（agreement.title）：由「示例科技虚假陈述先行赔付和解协议」改为「和解协议」',
  ]);
  assert.deepEqual(formatPlanDiff(changes, 'en').split('\n'), [
    'plan title (title): changed from "示例科技（003999）虚假陈述先行赔付方案" to "示例科技先行赔付方案"',
    'base date (lossParameters.baseDate): added "2022-05-25"',
    'excluded investors (lossParameters.exclusions): changed from "["INV0000954","INV0001519"]" to "["INV0000954"]"',
    'fund size (fund.sizeFen): changed from "CNY 8,000,000.00" to "CNY 9,500,000.00"',
    'payment date (timetable.paymentOn): changed from "2027-01-29" to "2027-01-28"',
    'end date (timetable.endsOn): changed from "2027-02-02" to "2027-02-03"',
    'late-claim period (days) (latePolicy.lateClaimDays): changed from "60" to "90"',
    'agreement title (agreement.title): changed from "示例科技虚假陈述先行赔付和解协议" to "和解协议"',
  ]);
});

test('a change of the risk-deduction method shows the method and the fields that come or go with it', () => {
  const withRisk = (riskDeduction: PlanDocument['lossParameters']['riskDeduction']): PlanDocument => ({
    ...v1,
    lossParameters: { ...v1.lossParameters, riskDeduction },
  });
  const fixed = withRisk({ method: 'fixed', ratio: '0.25' });
  assert.deepEqual(diffPlans(v1, fixed), [
    { path: 'lossParameters.riskDeduction.method', kind: 'changed', before: 'index-comparison', after: 'fixed' },
    { path: 'lossParameters.riskDeduction.ratio', kind: 'added', after: '0.25' },
    { path: 'lossParameters.riskDeduction.indices', kind: 'removed', before: '["000001.SH","801150.SI"]' },
  ]);
  assert.deepEqual(diffPlans(fixed, withRisk({ method: 'none' })), [
    { path: 'lossParameters.riskDeduction.method', kind: 'changed', before: 'fixed', after: 'none' },
    { path: 'lossParameters.riskDeduction.ratio', kind: 'removed', before: '0.25' },
  ]);
  assert.equal(
    formatPlanDiff(diffPlans(fixed, withRisk({ method: 'none' })), 'zh'),
    '系统风险扣除方法（lossParameters.riskDeduction.method）：由「fixed」改为「none」\n系统风险扣除比例（lossParameters.riskDeduction.ratio）：删除「0.25」',
  );
});

test('interest going from none to a rate table is one change rendered as JSON', () => {
  const after: PlanDocument = {
    ...v1,
    lossParameters: { ...v1.lossParameters, interest: { annualRates: [{ from: '2021-01-01', rate: '0.0035' }] } },
  };
  const changes = diffPlans(v1, after);
  assert.deepEqual(changes, [
    { path: 'lossParameters.interest', kind: 'changed', before: 'null', after: '{"annualRates":[{"from":"2021-01-01","rate":"0.0035"}]}' },
  ]);
  assert.deepEqual(diffPlans(after, v1), [
    { path: 'lossParameters.interest', kind: 'changed', before: '{"annualRates":[{"from":"2021-01-01","rate":"0.0035"}]}', after: 'null' },
  ]);
  assert.equal(
    formatPlanDiff(changes, 'en'),
    'interest (lossParameters.interest): changed from "null" to "{"annualRates":[{"from":"2021-01-01","rate":"0.0035"}]}"',
  );
});

test('clauses are matched by id: an inserted clause is one addition, not a shift of every later clause', () => {
  const before = withClauses(v1, [clause('a', '甲'), clause('b', '乙'), clause('c', '丙')]);
  const after = withClauses(v1, [clause('a', '甲'), clause('new', '新条款'), clause('b', '乙'), clause('c', '丙')]);
  assert.deepEqual(diffPlans(before, after), [{ path: 'agreement.clauses[new]', kind: 'added', after: '新条款' }]);
  assert.deepEqual(diffPlans(after, before), [{ path: 'agreement.clauses[new]', kind: 'removed', before: '新条款' }]);
  assert.equal(formatPlanDiff(diffPlans(before, after), 'zh'), '协议条款 new（agreement.clauses[new]）：新增「新条款」');
  assert.equal(formatPlanDiff(diffPlans(after, before), 'en'), 'agreement clause new (agreement.clauses[new]): removed "新条款"');
});

test('removed, changed and added clauses are listed in the order of the agreement', () => {
  const before = withClauses(v1, [clause('c1', '一'), clause('c2', '二'), clause('c3', '三'), clause('c4', '四'), clause('c5', '五')]);
  const after = withClauses(v1, [clause('c1', '一'), clause('c3', '三（修改）'), clause('c9', '九'), clause('c4', '四')]);
  assert.deepEqual(diffPlans(before, after), [
    { path: 'agreement.clauses[c2]', kind: 'removed', before: '二' },
    { path: 'agreement.clauses[c3]', kind: 'changed', before: '三', after: '三（修改）' },
    { path: 'agreement.clauses[c9]', kind: 'added', after: '九' },
    { path: 'agreement.clauses[c5]', kind: 'removed', before: '五' },
  ]);
});

test('a new order of the same clauses is reported once, with both orders', () => {
  const before = withClauses(v1, [clause('c1', '一'), clause('c2', '二'), clause('c3', '三')]);
  const after = withClauses(v1, [clause('c1', '一'), clause('c3', '三'), clause('c2', '二（改）'), clause('c4', '四')]);
  const changes = diffPlans(before, after);
  assert.deepEqual(changes, [
    { path: 'agreement.clauses', kind: 'changed', before: '["c1","c2","c3"]', after: '["c1","c3","c2","c4"]' },
    { path: 'agreement.clauses[c2]', kind: 'changed', before: '二', after: '二（改）' },
    { path: 'agreement.clauses[c4]', kind: 'added', after: '四' },
  ]);
  assert.equal(formatPlanDiff(changes, 'en').split('\n')[0], 'order of the agreement clauses (agreement.clauses): changed from "["c1","c2","c3"]" to "["c1","c3","c2","c4"]"');
  // Adding and removing clauses alone is not a new order.
  const shorter = withClauses(v1, [clause('c1', '一'), clause('c3', '三')]);
  assert.deepEqual(diffPlans(before, shorter), [{ path: 'agreement.clauses[c2]', kind: 'removed', before: '二' }]);
});

test('a long text is shown by its changed part; a short one whole; line breaks stay on the line', () => {
  const long = 'x'.repeat(30) + '前文相同，这里改动了，后文相同' + 'y'.repeat(30);
  const changes: PlanChange[] = [
    { path: 'disputeChannel', kind: 'changed', before: long, after: long.replace('这里改动了', '改了这里') },
    { path: 'latePolicy.text', kind: 'changed', before: '短文本', after: '短文本，已改' },
    { path: 'agreement.clauses[c1]', kind: 'added', after: '第一行\n第二行' },
    { path: 'fund.custodian', kind: 'added', after: '某银行' },
  ];
  assert.deepEqual(formatPlanDiff(changes, 'zh').split('\n'), [
    '争议处理渠道（disputeChannel）：由「…xxxxx前文相同，这里改动了，后文相同yyyyy…」改为「…xxxxx前文相同，改了这里，后文相同yyyyy…」',
    '逾期申报安排（latePolicy.text）：由「短文本」改为「短文本，已改」',
    '协议条款 c1（agreement.clauses[c1]）：新增「第一行↵第二行」',
    'fund.custodian：新增「某银行」',
  ]);
  assert.equal(formatPlanDiff(changes.slice(3), 'en'), 'fund.custodian: added "某银行"');
});

test('the diff is empty exactly when the hashes are equal', () => {
  const v1Raw = readPlan('demo-plan.v1.json') as Record<string, unknown>;
  const loss = v1Raw['lossParameters'] as Record<string, unknown>;
  const mutation = fc.record({
    title: fc.constantFrom(undefined, String(v1Raw['title']), '另一个方案'),
    commissionRate: fc.constantFrom(undefined, '0.0003', '0.0005', '0.00025'),
    exclusions: fc.subarray(['INV0000954', 'INV0001519']),
    keptClauses: fc.subarray(v1.agreement.clauses.map((item) => item.id), { minLength: 1 }),
    editedClause: fc.option(fc.nat({ max: 9 }), { nil: undefined }),
    paymentOn: fc.constantFrom('2027-01-29', '2027-01-28'),
  });
  fc.assert(
    fc.property(mutation, (m) => {
      const raw = {
        ...v1Raw,
        ...(m.title === undefined ? {} : { title: m.title }),
        lossParameters: {
          ...loss,
          exclusions: m.exclusions,
          ...(m.commissionRate === undefined ? {} : { fees: { ...(loss['fees'] as object), commissionRate: m.commissionRate } }),
        },
        timetable: { ...v1.timetable, paymentOn: m.paymentOn },
        agreement: {
          ...v1.agreement,
          clauses: v1.agreement.clauses
            .filter((item) => m.keptClauses.includes(item.id))
            .map((item, i) => (i === m.editedClause ? { ...item, text: `${item.text}（修订）` } : item)),
        },
      };
      const changed = parsePlanDocument(raw).document;
      const changes = diffPlans(v1, changed);
      assert.equal(changes.length === 0, planContentHash(changed) === planContentHash(v1));
      // Every change names a distinct path.
      assert.equal(new Set(changes.map((change) => change.path)).size, changes.length);
    }),
    { numRuns: 300 },
  );
});
