import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parsePlanDocument, type PlanDocument } from './plan-document.ts';
import { reviewClause, reviewStandardTerms, STANDARD_TERMS_RULES } from './standard-terms-review.ts';

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
}

const v1 = parsePlanDocument(readJson('../../../examples/plans/demo-plan.v1.json')).document;

function rulesOf(text: string): string[] {
  return reviewClause({ id: 'x', text }).map((flag) => flag.ruleId);
}

/** Terms that must be flagged, each with the rules it breaks, in rule order. */
const UNFAIR: readonly { text: string; rules: readonly string[]; language: 'zh' | 'en' }[] = [
  { language: 'zh', text: '出资人按本方案支付赔付款后，对投资者不再承担任何责任。', rules: ['funders-not-liable'] },
  { language: 'zh', text: '出资人支付赔付款后，不再承担任何责任。', rules: ['funders-not-liable'] },
  { language: 'zh', text: '出资人的赔付责任以基金规模为限。', rules: ['funders-not-liable'] },
  { language: 'zh', text: '因交易数据或计算错误导致赔付金额偏差的，出资人及管理人不承担责任。', rules: ['funders-not-liable', 'calculation-errors-excluded'] },
  { language: 'zh', text: '赔付金额计算有误的，管理人不予更正。', rules: ['calculation-errors-excluded'] },
  { language: 'zh', text: '投资者接受赔付后，视为放弃向发行人及其他任何责任主体提起诉讼的权利。', rules: ['waives-right-to-sue'] },
  { language: 'zh', text: '投资者放弃起诉的权利。', rules: ['waives-right-to-sue'] },
  { language: 'zh', text: '投资者不接受赔付即视为放弃诉权。', rules: ['waives-right-to-sue'] },
  { language: 'zh', text: '投资者接受赔付后不得再向任何主体起诉。', rules: ['waives-right-to-sue'] },
  // The amount paid is named, but only in the next phrase: the waiver itself is not limited.
  { language: 'zh', text: '投资者放弃一切诉讼权利，已获赔付金额对应的债权转让给出资人。', rules: ['waives-right-to-sue'] },
  { language: 'zh', text: '投资者对赔付金额不得提出异议或投诉。', rules: ['no-dispute'] },
  { language: 'zh', text: '管理人核定的赔付金额为最终结果。', rules: ['no-dispute'] },
  { language: 'zh', text: '本基金的管理费用和托管费用从投资者的赔付款中扣除。', rules: ['investor-bears-costs'] },
  { language: 'zh', text: '投资者申请赔付应当缴纳手续费每笔50元。', rules: ['investor-bears-costs'] },
  { language: 'zh', text: '投资者应对赔付金额及本协议内容严格保密，不得接受媒体采访。', rules: ['confidentiality'] },
  { language: 'zh', text: '投资者不得在任何媒体或网络平台公开评论本次赔付。', rules: ['confidentiality'] },
  { language: 'zh', text: '出资人有权在投资者接受后单方调整赔付金额。', rules: ['unilateral-change'] },
  { language: 'zh', text: '出资人保留修改本方案的权利。', rules: ['unilateral-change'] },
  { language: 'zh', text: '本协议的最终解释权归出资人所有。', rules: ['funders-final-say'] },
  { language: 'zh', text: '对本协议的理解有分歧的，以保荐机构的解释为准。', rules: ['funders-final-say'] },
  { language: 'zh', text: '投资者在接受期内未申报的，视为接受本协议。', rules: ['deemed-acceptance'] },
  { language: 'zh', text: '投资者收到通知后十日内未提出异议即视为同意赔付金额。', rules: ['deemed-acceptance'] },
  { language: 'zh', text: '因本协议产生的争议，只能向保荐机构住所地人民法院提起诉讼。', rules: ['unfair-forum'] },
  { language: 'zh', text: '因本协议产生的争议，提交出资人指定的仲裁机构仲裁。', rules: ['unfair-forum'] },
  { language: 'zh', text: '如处罚决定被撤销，投资者应当退还已获得的赔付款。', rules: ['clawback'] },
  { language: 'zh', text: '投资者应赔偿出资人因追偿产生的全部损失。', rules: ['indemnifies-funders'] },
  { language: 'en', text: 'The funders shall bear no further liability to the investor once the compensation is paid.', rules: ['funders-not-liable'] },
  { language: 'en', text: 'The funders are not liable for any error in the calculation of the compensation.', rules: ['funders-not-liable', 'calculation-errors-excluded'] },
  { language: 'en', text: 'Errors in the calculation of the amount will not be corrected after payment.', rules: ['calculation-errors-excluded'] },
  { language: 'en', text: 'By accepting, the investor waives any right to bring a lawsuit against the issuer or any other party.', rules: ['waives-right-to-sue'] },
  { language: 'en', text: 'The investor releases the funders from all claims.', rules: ['funders-not-liable', 'waives-right-to-sue'] },
  { language: 'en', text: 'The investor may not appeal or complain about the amount computed.', rules: ['no-dispute'] },
  { language: 'en', text: 'Costs of administering the fund shall be borne by the investors in proportion to their compensation.', rules: ['investor-bears-costs'] },
  { language: 'en', text: 'Investors must pay a processing fee of 50 yuan for each application.', rules: ['investor-bears-costs'] },
  { language: 'en', text: 'The investor shall keep the terms of this settlement confidential and shall not comment on them in public.', rules: ['confidentiality'] },
  { language: 'en', text: 'The investor agrees not to disclose the amount.', rules: ['confidentiality'] },
  { language: 'en', text: 'The sponsor may amend or withdraw the offer at any time, even after acceptance.', rules: ['unilateral-change'] },
  { language: 'en', text: 'The sponsor reserves the right to reduce the compensation.', rules: ['unilateral-change'] },
  { language: 'en', text: 'The decision of the funders on any question of interpretation is final.', rules: ['funders-final-say'] },
  { language: 'en', text: 'Any investor who does not respond before the deadline is deemed to have accepted the offer.', rules: ['deemed-acceptance'] },
  { language: 'en', text: 'Silence by the investor constitutes acceptance.', rules: ['deemed-acceptance'] },
  { language: 'en', text: 'All disputes shall be settled exclusively by arbitration before a tribunal chosen by the sponsor.', rules: ['unfair-forum'] },
  { language: 'en', text: 'Disputes shall be brought only before the court where the sponsor is domiciled.', rules: ['unfair-forum'] },
  { language: 'en', text: 'If the penalty decision is later revoked, the investor shall repay the compensation received.', rules: ['clawback'] },
  { language: 'en', text: "The investor shall indemnify the funders against any loss arising from the investor's claims.", rules: ['indemnifies-funders'] },
];

/** The normal content of an advance-compensation agreement, and negated or limited forms of unfair terms. */
const FAIR: readonly string[] = [
  // Settlement and assignment of claims to the funders for the amount paid (债权转让).
  '投资者接受赔付的，即与出资人就本次虚假陈述造成的损失达成和解；投资者在已获赔付金额范围内对发行人及其他责任主体享有的赔偿请求权，依法转让给出资人，由出资人依法追偿。',
  "On acceptance, the investor's claims against the issuer and the other liable parties, up to the amount paid, are assigned to the funders, who may pursue recourse.",
  '投资者就已获赔付的部分，不得再向其他责任主体重复求偿。',
  '出资人在已支付金额范围内不再承担赔偿责任。',
  'The funders may recover the amount paid from the issuer and the other liable parties.',
  '出资人有权向发行人追偿。',
  // Refusal keeps the right to sue.
  '投资者不接受赔付的，不影响其依法向人民法院提起诉讼的权利。',
  '不影响投资者起诉的权利。',
  "Declining the offer does not affect the investor's right to sue the issuer and other liable parties.",
  "This does not affect the investor's right to sue.",
  'An investor who does not accept the offer keeps every right to sue and does not waive any claim.',
  '投资者接受赔付并不意味着放弃对未获赔付部分的请求权。',
  '投资者不会因拒绝接受而丧失诉权。',
  '投资者在接受期内未申报的，视为不接受赔付，保留依法起诉的权利。',
  '逾期未申报的，不视为接受。',
  'An investor who does not declare by the deadline is deemed to have declined the offer and keeps the right to sue.',
  // The dispute channel.
  '投资者对其交易数据或赔付金额有异议的，可以在复核期内通过管理人设立的争议处理渠道申请复核；经复核确有错误的，管理人应当重新计算并告知投资者。',
  'An investor who disagrees with the amount may ask for a review through the dispute channel within the review period; an amount found wrong is recomputed.',
  'Investors who are excluded may dispute their exclusion through the dispute channel.',
  '因本协议发生的争议，投资者可以向中证中小投资者服务中心申请调解，也可以依法向有管辖权的人民法院起诉。',
  '投资者可以依法向发行人住所地有管辖权的人民法院提起诉讼。',
  // The payment date and costs.
  '赔付款于2027年1月29日划入投资者的资金账户，投资者无需支付任何费用。',
  "Payment is made on 29 January 2027 to the investor's cash account; the investor pays no fee.",
  'The investor is not obliged to pay any fee.',
  '基金管理、托管和赔付实施所需费用由出资人承担，不得从投资者的赔付款中扣除。',
  'The funders bear the costs of the fund; investors bear no cost.',
  "Fees of the custodian are paid by the funders and never deducted from an investor's compensation.",
  '赔付金额包括投资者买入时支付的佣金和印花税。',
  // Personal data handled by the administrator.
  '管理人仅为赔付目的处理投资者的个人信息，采取必要措施予以保护，不得向第三方提供，法律法规另有规定的除外。',
  "The administrator keeps investors' personal data confidential and uses it only for this compensation.",
  '管理人对投资者身份信息予以保密。',
  'No investor is required to keep the settlement confidential.',
  '投资者无需对赔付结果保密。',
  // Acceptance by an express act, the plan as fixed, the funders' liability kept.
  "An investor who declares acceptance through the exchange's trading system is deemed to have signed this agreement.",
  '出资人不因本协议而免除其依法应承担的责任。',
  'Nothing in this agreement releases the issuer or any other liable party from its liability to investors who decline.',
  'The funders remain liable to investors who decline the offer.',
  '出资人承诺按照本方案足额支付赔付款，并对基金不足部分承担补足责任。',
  '方案经听证确定后，出资人不得单方变更赔付金额。',
  'After the hearing, the funders may not change the plan unilaterally.',
  '本协议条款有两种以上解释的，应当作出不利于出资人的解释。',
  // A refund of what was paid twice or obtained by fraud is not a claw-back.
  '重复支付的赔付款，投资者应当退还。',
  '投资者以虚假材料骗取赔付的，应当退还已获得的赔付款。',
  'An investor who was paid twice must return the duplicate payment.',
];

describe('terms that must be flagged', () => {
  for (const sample of UNFAIR) {
    test(`${sample.rules.join(' + ')}: ${sample.text}`, () => {
      assert.deepEqual(rulesOf(sample.text), sample.rules);
    });
  }
});

describe('terms that must not be flagged', () => {
  for (const text of FAIR) {
    test(text, () => {
      assert.deepEqual(reviewClause({ id: 'x', text }), []);
    });
  }
});

test('every rule is exercised in Chinese and in English by the unfair samples', () => {
  for (const rule of STANDARD_TERMS_RULES) {
    for (const language of ['zh', 'en'] as const) {
      assert.ok(
        UNFAIR.some((sample) => sample.language === language && sample.rules.includes(rule.id)),
        `no ${language} sample for ${rule.id}`,
      );
    }
  }
});

test('the rule set is complete and documented', () => {
  const ids = STANDARD_TERMS_RULES.map((rule) => rule.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(ids, [
    'funders-not-liable',
    'calculation-errors-excluded',
    'waives-right-to-sue',
    'no-dispute',
    'investor-bears-costs',
    'confidentiality',
    'unilateral-change',
    'funders-final-say',
    'deemed-acceptance',
    'unfair-forum',
    'clawback',
    'indemnifies-funders',
  ]);
  assert.deepEqual([...new Set(STANDARD_TERMS_RULES.map((rule) => rule.category))].sort(), ['adds-burden', 'excludes-rights', 'exempts-funders']);
  for (const rule of STANDARD_TERMS_RULES) {
    assert.ok(rule.patterns.zh.length > 0 && rule.patterns.en.length > 0, rule.id);
    assert.match(rule.explanation.zh, /[\u4e00-\u9fff]/, rule.id);
    assert.match(rule.explanation.en, /^[A-Z][\x20-\x7e’]+\.$/, rule.id);
  }
});

test('a negation before the words that matter clears the term, one elsewhere does not', () => {
  assert.deepEqual(rulesOf('投资者放弃起诉的权利。'), ['waives-right-to-sue']);
  assert.deepEqual(rulesOf('投资者不放弃起诉的权利。'), []);
  assert.deepEqual(rulesOf('投资者接受赔付不视为放弃起诉的权利。'), []);
  assert.deepEqual(rulesOf('The investor waives the right to sue.'), ['waives-right-to-sue']);
  assert.deepEqual(rulesOf('The investor does not waive the right to sue.'), []);
  assert.deepEqual(rulesOf('An investor who does not reply is deemed to have accepted.'), ['deemed-acceptance']);
  assert.deepEqual(rulesOf('An investor who does not reply is not deemed to have accepted.'), []);
  assert.deepEqual(rulesOf('An investor who does not reply shall not be deemed to have accepted.'), []);
});

test('a qualifier limiting a waiver to the amount paid makes it lawful only before the waiver or in its phrase', () => {
  assert.deepEqual(rulesOf('投资者不再向出资人主张赔偿。'), ['waives-right-to-sue']);
  assert.deepEqual(rulesOf('在已获赔付金额范围内，投资者不再向出资人主张赔偿。'), []);
  assert.deepEqual(rulesOf('The investor waives all claims against the funders to the extent of the amount paid.'), []);
  assert.deepEqual(rulesOf('The investor waives all claims against any party.'), ['waives-right-to-sue']);
});

test('the excerpt is the sentence that matched, and one flag per clause and rule', () => {
  const text = '投资者可以在接受期内申报。投资者对赔付金额不得提出异议。对复核结果也不得申诉。The investor may not appeal; the amount is 12.50 yuan.';
  const flags = reviewClause({ id: 'c7', text });
  assert.equal(flags.length, 1);
  assert.deepEqual(flags[0], {
    id: 'c7:no-dispute',
    clauseId: 'c7',
    ruleId: 'no-dispute',
    excerpt: '投资者对赔付金额不得提出异议。',
    explanation: STANDARD_TERMS_RULES.find((rule) => rule.id === 'no-dispute')!.explanation,
  });
  const english = reviewClause({ id: 'e1', text: 'Payment is made on 29 January 2027. The investor may not appeal; the amount of 12.50 yuan is paid once.' });
  assert.deepEqual(
    english.map((flag) => flag.excerpt),
    ['The investor may not appeal;'],
  );
});

test('a document is reviewed clause by clause, in clause order and then rule order', () => {
  const document: PlanDocument = {
    ...v1,
    agreement: {
      ...v1.agreement,
      clauses: [
        { id: 'z9', text: '投资者接受赔付后，视为放弃向任何主体起诉的权利，且不得对赔付金额提出异议。' },
        { id: 'a1', text: '赔付款于2027年1月29日支付。' },
        { id: 'm5', text: '本协议的最终解释权归出资人所有。' },
      ],
    },
  };
  assert.deepEqual(
    reviewStandardTerms(document).map((flag) => [flag.id, flag.excerpt]),
    [
      ['z9:waives-right-to-sue', '投资者接受赔付后，视为放弃向任何主体起诉的权利，且不得对赔付金额提出异议。'],
      ['z9:no-dispute', '投资者接受赔付后，视为放弃向任何主体起诉的权利，且不得对赔付金额提出异议。'],
      ['m5:funders-final-say', '本协议的最终解释权归出资人所有。'],
    ],
  );
});

describe('the example plans', () => {
  const v2 = parsePlanDocument(readJson('../../../examples/plans/demo-plan.v2.json')).document;
  const unfair = parsePlanDocument(readJson('../../../examples/plans/unfair-plan.json')).document;

  test('v1 carries the demo case loss parameters exactly and a timetable inside the case', () => {
    const raw = readJson('../../../examples/plans/demo-plan.v1.json') as { lossParameters: unknown };
    assert.deepEqual(raw.lossParameters, readJson('../../../examples/demo-case/plan.json'));
    // Penalty decision 2026-11-02: the case opens 2026-11-03 and must close by 2027-02-03.
    assert.ok(v1.timetable.reviewEndsOn > '2026-11-03');
    assert.ok(v1.timetable.endsOn <= '2027-02-03');
    assert.equal(v1.agreement.language, 'zh');
    assert.equal(v1.agreement.clauses.length, 10);
  });

  test('v1 and v2 pass the review', () => {
    assert.deepEqual(reviewStandardTerms(v1), []);
    assert.deepEqual(reviewStandardTerms(v2), []);
  });

  test('the unfair plan is flagged on exactly its three unfair clauses', () => {
    assert.deepEqual(
      reviewStandardTerms(unfair).map((flag) => ({ id: flag.id, excerpt: flag.excerpt })),
      [
        { id: 'c4:waives-right-to-sue', excerpt: '接受赔付的效果：投资者接受赔付的，即与出资人达成和解，并视为放弃向发行人及其他任何责任主体提起诉讼的权利。' },
        { id: 'c7:no-dispute', excerpt: '异议：赔付金额由管理人核定，投资者对赔付金额不得提出异议。' },
        { id: 'c8:investor-bears-costs', excerpt: '费用：基金的管理、托管和审计费用从投资者的赔付款中扣除。' },
      ],
    );
  });
});
