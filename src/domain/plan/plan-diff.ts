import { z } from 'zod';
import { compareCodePoints } from '../code-point-order.ts';
import { canonicalJson, type CanonicalValue } from '../content-hash.ts';
import { formatFen } from '../money/fen.ts';
import { planDocumentSchema, type AgreementClause, type PlanDocument } from './plan-document.ts';

/**
 * What changed between two versions of a plan (方案版本对比), shown at the hearing and published
 * with every version (procedure.md step 6).
 *
 * `path` names the field the way the JSON is written (`lossParameters.fees.commissionRate`); an
 * agreement clause is named by its id (`agreement.clauses[c3]`), because clauses are matched by
 * id, not by position: inserting a clause must not show every later clause as changed. Values
 * are rendered as text: a string as itself, a number as its digits, anything else (an object, an
 * array, null) as canonical JSON. An array that is not the clause list (exclusions, indices,
 * interest rates) is compared as a whole.
 */
export interface PlanChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

const CLAUSES_PATH = 'agreement.clauses';

/**
 * The changes from `before` to `after`, in the order the schema lists the fields (so the order
 * does not depend on how either document's keys happen to be ordered), and the agreement's
 * clauses in reading order. A change in the order of clauses present in both versions is
 * reported once, as a change of `agreement.clauses` from one list of ids to the other.
 */
export function diffPlans(before: PlanDocument, after: PlanDocument): PlanChange[] {
  const changes: PlanChange[] = [];
  diffValue('', planDocumentSchema, before, after, changes);
  return changes;
}

function diffValue(path: string, schema: z.core.$ZodType | undefined, before: unknown, after: unknown, changes: PlanChange[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    changes.push({ path, kind: 'added', after: render(after) });
    return;
  }
  if (after === undefined) {
    changes.push({ path, kind: 'removed', before: render(before) });
    return;
  }
  if (path === CLAUSES_PATH && Array.isArray(before) && Array.isArray(after)) {
    diffClauses(before as AgreementClause[], after as AgreementClause[], changes);
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    for (const key of keysInOrder(schema, before, after)) {
      diffValue(path === '' ? key : `${path}.${key}`, childSchema(schema, key), before[key], after[key], changes);
    }
    return;
  }
  // Canonical JSON compares values of any shape exactly (the string "2" is not the number 2).
  if (canonicalJson(before as CanonicalValue) !== canonicalJson(after as CanonicalValue)) {
    changes.push({ path, kind: 'changed', before: render(before), after: render(after) });
  }
}

/**
 * Clauses are matched by id. A clause removed from `before` is listed where it stood, just
 * before the first clause that followed it in `before` and is still there, so that the lines
 * read in the order of the agreement.
 */
function diffClauses(before: readonly AgreementClause[], after: readonly AgreementClause[], changes: PlanChange[]): void {
  const beforeById = new Map(before.map((clause, index) => [clause.id, { clause, index }]));
  const afterIds = new Set(after.map((clause) => clause.id));
  const keptInBeforeOrder = before.filter((clause) => afterIds.has(clause.id)).map((clause) => clause.id);
  const keptInAfterOrder = after.filter((clause) => beforeById.has(clause.id)).map((clause) => clause.id);
  if (keptInBeforeOrder.join('\u0000') !== keptInAfterOrder.join('\u0000')) {
    changes.push({
      path: CLAUSES_PATH,
      kind: 'changed',
      before: canonicalJson(before.map((clause) => clause.id)),
      after: canonicalJson(after.map((clause) => clause.id)),
    });
  }
  let nextRemoved = 0;
  const listRemovedBefore = (limit: number): void => {
    for (; nextRemoved < limit; nextRemoved++) {
      const clause = before[nextRemoved]!;
      if (!afterIds.has(clause.id)) changes.push({ path: clausePath(clause.id), kind: 'removed', before: clause.text });
    }
  };
  for (const clause of after) {
    const previous = beforeById.get(clause.id);
    if (previous === undefined) {
      changes.push({ path: clausePath(clause.id), kind: 'added', after: clause.text });
      continue;
    }
    listRemovedBefore(previous.index);
    if (previous.clause.text !== clause.text) {
      changes.push({ path: clausePath(clause.id), kind: 'changed', before: previous.clause.text, after: clause.text });
    }
  }
  listRemovedBefore(before.length);
}

function clausePath(id: string): string {
  return `${CLAUSES_PATH}[${id}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  return canonicalJson(value as CanonicalValue);
}

/** The schema with its default, optional and nullable wrappers taken off. */
function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.core.$ZodType;
  }
  return current;
}

/** The object shapes a value at this schema may have: one for an object, one per option of a union. */
function shapesOf(schema: z.core.$ZodType | undefined): Record<string, z.core.$ZodType>[] {
  const bare = unwrap(schema);
  if (bare instanceof z.ZodObject) return [bare.shape as Record<string, z.core.$ZodType>];
  if (bare instanceof z.ZodUnion) return (bare.options as readonly z.core.$ZodType[]).flatMap(shapesOf);
  return [];
}

function keysInOrder(schema: z.core.$ZodType | undefined, before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const shape of shapesOf(schema)) for (const key of Object.keys(shape)) if (!keys.includes(key)) keys.push(key);
  // A key the schema does not know cannot be in a parsed document; should one be there all the
  // same, it is still shown, after the known ones and in a fixed order.
  const unknown = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => !keys.includes(key));
  return [...keys, ...unknown.sort(compareCodePoints)];
}

function childSchema(schema: z.core.$ZodType | undefined, key: string): z.core.$ZodType | undefined {
  for (const shape of shapesOf(schema)) if (key in shape) return shape[key];
  return undefined;
}

interface Label {
  zh: string;
  en: string;
}

/** Labels for the fields a person at the hearing looks for; any other field is shown by its path. */
const LABELS: Readonly<Record<string, Label>> = {
  title: { zh: '方案名称', en: 'plan title' },
  'lossParameters.security': { zh: '证券', en: 'security' },
  'lossParameters.security.code': { zh: '证券代码', en: 'security code' },
  'lossParameters.security.name': { zh: '证券简称', en: 'security name' },
  'lossParameters.security.exchange': { zh: '交易所', en: 'exchange' },
  'lossParameters.ruleSet': { zh: '适用的司法解释', en: 'rule set' },
  'lossParameters.direction': { zh: '虚假陈述类型（诱多/诱空）', en: 'direction of the misstatement' },
  'lossParameters.implementationDate': { zh: '实施日', en: 'implementation date' },
  'lossParameters.disclosureDate': { zh: '揭露日', en: 'disclosure date' },
  'lossParameters.baseDate': { zh: '基准日', en: 'base date' },
  'lossParameters.basePrice': { zh: '基准价', en: 'base price' },
  'lossParameters.basePriceDecimals': { zh: '基准价保留小数位数', en: 'decimals of the base price' },
  'lossParameters.averagePrice': { zh: '买入均价计算方法', en: 'average-price method' },
  'lossParameters.postDisclosureSales': { zh: '揭露日后卖出的配对方法', en: 'matching of sales after the disclosure' },
  'lossParameters.riskDeduction': { zh: '系统风险扣除', en: 'market-risk deduction' },
  'lossParameters.riskDeduction.method': { zh: '系统风险扣除方法', en: 'market-risk deduction method' },
  'lossParameters.riskDeduction.ratio': { zh: '系统风险扣除比例', en: 'market-risk deduction ratio' },
  'lossParameters.riskDeduction.indices': { zh: '参照指数', en: 'reference indices' },
  'lossParameters.fees': { zh: '交易费用', en: 'trading fees' },
  'lossParameters.fees.commissionRate': { zh: '佣金费率', en: 'commission rate' },
  'lossParameters.fees.stampDutyRate': { zh: '印花税率', en: 'stamp duty rate' },
  'lossParameters.interest': { zh: '利息', en: 'interest' },
  'lossParameters.interest.annualRates': { zh: '利率', en: 'annual interest rates' },
  'lossParameters.exclusions': { zh: '排除的投资者', en: 'excluded investors' },
  'fund.sizeFen': { zh: '基金规模', en: 'fund size' },
  'fund.topUpRule': { zh: '补足规则', en: 'top-up rule' },
  'fund.shortfall': { zh: '资金不足时的分配', en: 'allocation when the fund is short' },
  'timetable.reviewEndsOn': { zh: '复核截止日', en: 'end of the review' },
  'timetable.acceptanceOpensOn': { zh: '接受期起始日', en: 'acceptance opens on' },
  'timetable.acceptanceClosesOn': { zh: '接受期截止日', en: 'acceptance closes on' },
  'timetable.paymentOn': { zh: '支付日', en: 'payment date' },
  'timetable.endsOn': { zh: '赔付结束日', en: 'end date' },
  'latePolicy.lateClaimDays': { zh: '逾期申报期限（日）', en: 'late-claim period (days)' },
  'latePolicy.text': { zh: '逾期申报安排', en: 'late-claim policy' },
  disputeChannel: { zh: '争议处理渠道', en: 'dispute channel' },
  'agreement.title': { zh: '协议名称', en: 'agreement title' },
  'agreement.language': { zh: '协议语言', en: 'language of the agreement' },
  [CLAUSES_PATH]: { zh: '协议条款顺序', en: 'order of the agreement clauses' },
};

function labelOf(path: string): Label | undefined {
  const clause = /^agreement\.clauses\[(.+)\]$/.exec(path);
  if (clause) return { zh: `协议条款 ${clause[1]}`, en: `agreement clause ${clause[1]}` };
  return LABELS[path];
}

/**
 * The changes as lines a person reads, one change per line, in the given language:
 *
 *     佣金费率（lossParameters.fees.commissionRate）：由「0.0003」改为「0.0005」
 *     commission rate (lossParameters.fees.commissionRate): changed from "0.0003" to "0.0005"
 *
 * A main field is named by its label with the path after it, so the reader can find it in the
 * document; another field by its path alone. Amounts in fen are shown in yuan. A long text that
 * changed is shown by the part that changed, with ten characters of context and … where text
 * was cut (the full texts are in the PlanChange). A line break inside a value is shown as ↵, so
 * each change stays on one line. With no change the text says so, rather than being empty.
 */
export function formatPlanDiff(changes: readonly PlanChange[], lang: 'zh' | 'en'): string {
  if (changes.length === 0) return lang === 'zh' ? '两个版本的内容相同。' : 'The two versions are the same.';
  return changes.map((change) => formatChange(change, lang)).join('\n');
}

function formatChange(change: PlanChange, lang: 'zh' | 'en'): string {
  const label = labelOf(change.path);
  let beforeText = shown(change.path, change.before, lang);
  let afterText = shown(change.path, change.after, lang);
  if (change.kind === 'changed') [beforeText, afterText] = changedPart(beforeText, afterText);
  const before = quote(beforeText, lang);
  const after = quote(afterText, lang);
  if (lang === 'zh') {
    const field = label ? `${label.zh}（${change.path}）` : change.path;
    if (change.kind === 'added') return `${field}：新增${after}`;
    if (change.kind === 'removed') return `${field}：删除${before}`;
    return `${field}：由${before}改为${after}`;
  }
  const field = label ? `${label.en} (${change.path})` : change.path;
  if (change.kind === 'added') return `${field}: added ${after}`;
  if (change.kind === 'removed') return `${field}: removed ${before}`;
  return `${field}: changed from ${before} to ${after}`;
}

function shown(path: string, value: string | undefined, lang: 'zh' | 'en'): string {
  const text = value ?? '';
  if (path.endsWith('Fen') && /^\d+$/.test(text)) {
    const yuan = groupThousands(formatFen(BigInt(text)));
    return lang === 'zh' ? `${yuan} 元` : `CNY ${yuan}`;
  }
  return text.replace(/\r\n|\r|\n/g, '↵');
}

/** A changed value longer than this, in characters, is shown by the part that changed. */
const LONG_VALUE = 60;
/** Characters of unchanged text kept on each side of the changed part. */
const CONTEXT = 10;

/**
 * For a long text (a clause, the top-up rule), the part that differs with a little of the text
 * around it, so that the reader sees what changed instead of two near-identical paragraphs; the
 * cut text is marked with …. Characters are code points, so no character is split.
 */
function changedPart(before: string, after: string): [string, string] {
  const a = [...before];
  const b = [...after];
  if (a.length <= LONG_VALUE && b.length <= LONG_VALUE) return [before, after];
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const from = Math.max(0, prefix - CONTEXT);
  const cutAtEnd = Math.max(0, suffix - CONTEXT);
  const excerpt = (chars: string[]): string => {
    const to = chars.length - cutAtEnd;
    return `${from > 0 ? '…' : ''}${chars.slice(from, to).join('')}${cutAtEnd > 0 ? '…' : ''}`;
  };
  return [excerpt(a), excerpt(b)];
}

function groupThousands(decimal: string): string {
  const [whole, fraction] = decimal.split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

function quote(text: string, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? `「${text}」` : `"${text}"`;
}
