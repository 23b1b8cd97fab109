import type { AgreementClause, PlanDocument } from './plan-document.ts';

/**
 * The review of the settlement agreement as a standard-form contract (格式条款), procedure.md
 * step 6. The funders draft the agreement and every investor can only take it or leave it, so
 * the Civil Code's rules on standard terms apply: a term that unreasonably exempts the drafting
 * party from its liability or lightens it, adds to the other party's burdens, or restricts or
 * excludes the other party's main rights is void (《民法典》第四百九十六条、第四百九十七条).
 * Such a term is flagged here; the plan may not be adopted while a flag stands, unless the flag
 * is overruled with a recorded reason.
 *
 * The review reads the wording, sentence by sentence, against a fixed rule set. It is a screen
 * for the hearing, not a court's judgment: it finds the known shapes of unfair terms in Chinese
 * and in English, and leaves the normal content of an advance-compensation agreement alone (the
 * assignment of claims to the funders for the amount paid, the refusing investor's right to sue,
 * the dispute channel, the payment, the handling of personal data).
 */

export type StandardTermsCategory =
  /** 免除或者减轻提供格式条款一方的责任 */
  | 'exempts-funders'
  /** 加重对方责任 */
  | 'adds-burden'
  /** 限制或者排除对方主要权利 */
  | 'excludes-rights';

export interface StandardTermsRule {
  id: string;
  category: StandardTermsCategory;
  /**
   * What the rule looks for, per language. A pattern may name the words that carry its meaning
   * as the group `trigger` (otherwise the whole match is the trigger): when those words are
   * negated just before them ("出资人不因本协议免除其责任", "does not waive"), the match does
   * not count.
   */
  patterns: { zh: readonly RegExp[]; en: readonly RegExp[] };
  /**
   * Words that make a match lawful when they stand in the same sentence, before the trigger or in
   * its phrase: a waiver limited to the amount already paid is the settlement itself, a refund of
   * a payment made twice is not a claw-back.
   */
  lawfulWhen?: readonly RegExp[];
  explanation: { zh: string; en: string };
}

export interface ReviewFlag {
  /** `${clauseId}:${ruleId}`: at most one flag per clause and rule, the handle an overruling names. */
  id: string;
  clauseId: string;
  ruleId: string;
  /** The first sentence of the clause that the rule matched, as written. */
  excerpt: string;
  explanation: { zh: string; en: string };
}

/** The funders and the other parties liable for the false statement, as agreements name them. */
const LIABLE_ZH = '(?:出资人|保荐机构|保荐人|主承销商|承销商|控股股东|实际控制人|发行人|赔付方|责任方|责任主体|中介机构|会计师事务所|律师事务所|甲方)';
const LIABLE_EN = String.raw`(?:funders?|sponsors?|underwriters?|controlling shareholders?|actual controllers?|issuer|liable part(?:y|ies)|compensating part(?:y|ies))`;
/**
 * Those who draft and fund the agreement. The issuer is not among them for the choice of forum:
 * the court of the issuer's domicile is where the law sends securities false-statement cases.
 */
const FUNDER_ZH = '(?:出资人|保荐机构|保荐人|主承销商|承销商|控股股东|实际控制人|赔付方|甲方)';
const FUNDER_EN = String.raw`(?:funders?|sponsors?|underwriters?|controlling shareholders?|actual controllers?|compensating part(?:y|ies))`;
/** "投资者" as the one who acts, not as the object of 对/向/为 ("管理人对投资者个人信息保密"). */
const INVESTOR_ZH = '(?<![对就向为将与和及])投资者';
const INVESTOR_EN = String.raw`\binvestors?\b`;
/** A qualifier that limits a waiver or release to what the settlement covers. */
const LIMITED_TO_PAID_ZH = /已获(?:得)?(?:赔付|支付|赔偿)|已(?:赔付|支付|受偿|获偿)(?:的)?(?:金额|部分|款项|损失)|(?:赔付|支付|受偿)(?:的)?金额(?:的)?范围内|重复(?:求偿|索赔|主张|起诉|受偿|赔偿)|同一损失/;
const LIMITED_TO_PAID_EN = /\b(?:to the extent of|up to|limited to) the amount (?:paid|received)|\bamount (?:already )?(?:paid|received)\b|\bsame loss\b|\btwice\b|\bdouble recovery\b|\balready (?:paid|compensated)\b/i;

const zh = (source: string): RegExp => new RegExp(source);
const en = (source: string): RegExp => new RegExp(source, 'i');

/**
 * The rule set, in the order flags are listed for a clause. Each rule's explanation is what the
 * hearing reads next to the flagged sentence.
 */
export const STANDARD_TERMS_RULES: readonly StandardTermsRule[] = [
  {
    id: 'funders-not-liable',
    category: 'exempts-funders',
    patterns: {
      zh: [
        zh(`${LIABLE_ZH}[^。；;]{0,40}?(?<trigger>不再?(?:承担|负有?)|免于承担|无需承担|无须承担|概不承担|不负)[^，,。；;]{0,12}?(?:责任|义务)`),
        zh(`${LIABLE_ZH}[^。；;]{0,30}?(?<trigger>免除|豁免|免责)`),
        zh(`(?<trigger>免除|减轻|豁免)[^，,。；;]{0,6}?${LIABLE_ZH}[^，,。；;]{0,20}?(?:责任|义务)`),
        zh(`${LIABLE_ZH}[^。；;]{0,30}?(?<trigger>概不负责|不负任何责任|与[^，,。；;]{0,4}无关)`),
        zh(`${LIABLE_ZH}[^。；;]{0,20}?(?:责任|义务)[^，,。；;]{0,4}?(?<trigger>以[^，,。；;]{1,16}为限)`),
      ],
      en: [
        en(String.raw`\b${LIABLE_EN}\b[^.;]{0,60}?\b(?<trigger>(?:bears?|has|have|assumes?|accepts?|owes?|incurs?) no)\b[^.;]{0,20}?\b(?:liabilit|responsibilit|obligation)`),
        en(String.raw`\b${LIABLE_EN}\b[^.;]{0,60}?\b(?<trigger>(?:is|are|shall|will|may)(?: not| no longer)(?: be)?(?: held)? (?:liable|responsible|accountable))\b`),
        en(String.raw`\b${LIABLE_EN}\b[^.;]{0,60}?\b(?<trigger>(?:is|are|be|becomes?|shall be|will be) (?:fully |hereby )?(?:released|discharged|exempt(?:ed)?|relieved|absolved|freed))\b[^.;]{0,30}?\b(?:liabilit|responsibilit|obligation|claim)`),
        en(String.raw`\b(?<trigger>release[sd]?|discharge[sd]?|exempts?|absolves?)\b[^.;]{0,20}?\b${LIABLE_EN}\b[^.;]{0,40}?\bfrom\b[^.;]{0,30}?(?:liabilit|responsibilit|obligation|claim)`),
        en(String.raw`\b${LIABLE_EN}(?:'s|s'|’s)?\b[^.;]{0,20}?\b(?:liability|obligation)\b[^.;]{0,10}?\b(?<trigger>(?:is|are|shall be) (?:capped|limited) (?:at|to))\b`),
      ],
    },
    lawfulWhen: [LIMITED_TO_PAID_ZH, LIMITED_TO_PAID_EN],
    explanation: {
      zh: '免除或者减轻出资人的责任：出资人依法应当承担的责任不能以格式条款排除或者限制，此类条款无效（《民法典》第四百九十七条）。',
      en: "Exempts the funders from their liability or limits it: a standard term that unreasonably excludes or reduces the drafting party's liability is void (Civil Code Art. 497).",
    },
  },
  {
    id: 'calculation-errors-excluded',
    category: 'exempts-funders',
    patterns: {
      zh: [
        zh(`(?:计算|核算|数据|金额)[^，,。；;]{0,10}?(?:错误|差错|误差|失误|有误|偏差|遗漏)[^。；;]{0,30}?(?<trigger>不承担|概不负责|不负责|不予(?:更正|调整|补偿|赔偿|纠正|补足)|由投资者(?:自行)?承担|不作调整|不再调整)`),
      ],
      en: [
        en(String.raw`\b(?<trigger>not (?:be )?(?:held )?(?:liable|responsible|accountable)|no (?:liability|responsibility)(?: is accepted| whatsoever)?) for (?:any )?(?:errors?|mistakes?|inaccurac(?:y|ies)|miscalculations?|omissions?)\b[^.;]{0,40}?(?:calculat|comput|data|amount)`),
        en(String.raw`\b(?:errors?|mistakes?|inaccurac(?:y|ies)|miscalculations?)\b[^.;]{0,40}?\b(?:calculations?|computations?|data|amounts?)\b[^.;]{0,40}?\b(?<trigger>(?:will|shall) not be (?:corrected|adjusted|compensated|remedied)|(?:is|are|shall be) (?:borne by|at the risk of) the investors?)`),
      ],
    },
    explanation: {
      zh: '排除计算错误的责任：赔付金额算错时投资者有权获得更正，把计算错误的后果转由投资者承担，属于免除出资人责任、排除投资者主要权利的格式条款（《民法典》第四百九十七条）。',
      en: 'Excludes liability for errors in the calculation: an investor is entitled to have a wrong amount corrected; shifting the consequences of a calculation error onto the investor exempts the funders and excludes a main right of the investor (Civil Code Art. 497).',
    },
  },
  {
    id: 'waives-right-to-sue',
    category: 'excludes-rights',
    patterns: {
      zh: [
        zh('(?<trigger>放弃|丧失|舍弃|抛弃)[^，,。；;]{0,30}?(?:起诉|诉讼|诉权|追诉|仲裁|索赔|求偿|追偿|赔偿请求|请求权|主张(?:权利|赔偿)|追究|一切权利|全部权利|任何权利)'),
        zh('(?<trigger>不得|不能|不可|无权|不再)[^，,。；;]{0,20}?(?:起诉|提起(?:诉讼|仲裁)|申请仲裁|诉讼|索赔|求偿|主张(?:权利|赔偿)?|追究)'),
        zh('(?<trigger>不再享有)[^，,。；;]{0,20}?权利'),
      ],
      en: [
        en(String.raw`\b(?<trigger>waives?|waiving|relinquish(?:es)?|gives? up|forfeits?|renounces?|loses?|surrenders?)\b[^.;]{0,40}?(?:\brights? to (?:sue|bring|commence|take legal|litigat|claim|seek|recover|arbitrat)|\b(?:all|any|every) (?:of (?:its|his|her|their) )?(?:rights|claims)\b|\bclaims?\b|\blawsuits?\b|\bsuits?\b|\blegal actions?\b|\blitigation\b|\blegal proceedings\b|\bcauses? of action\b|\bremed(?:y|ies)\b)`),
        en(String.raw`\b(?<trigger>(?:may|shall|can|will|must) not|cannot|is not entitled to|are not entitled to|(?:has|have) no right to)\s+(?:\w+\s+){0,2}?(?:sue|bring (?:a |any )?(?:suit|lawsuit|action|claim|proceedings)|litigate|commence (?:a |any )?(?:suit|lawsuit|action|proceedings)|take legal action|make (?:a |any )?(?:further )?claims?)\b`),
        en(String.raw`\b(?<trigger>releases?|discharges?)\b[^.;]{0,40}?\b(?:all|any|every)\b[^.;]{0,30}?\b(?:claims?|parties|persons)\b`),
      ],
    },
    lawfulWhen: [LIMITED_TO_PAID_ZH, LIMITED_TO_PAID_EN],
    explanation: {
      zh: '排除投资者的诉权：接受赔付是与出资人和解并在已获赔付范围内转让请求权，不能要求投资者放弃对任何主体起诉或者主张其余损失的权利；诉权是投资者的主要权利，排除诉权的格式条款无效（《民法典》第四百九十七条）。',
      en: "Excludes the investor's right to sue: accepting is a settlement with the funders and an assignment of the claims up to the amount paid; it cannot take away the right to sue any party or to claim the rest of the loss. The right to sue is a main right, and a standard term excluding it is void (Civil Code Art. 497).",
    },
  },
  {
    id: 'no-dispute',
    category: 'excludes-rights',
    patterns: {
      zh: [
        zh('(?<trigger>不得|无权|不能|不可|不再|不允许)[^，,。；;]{0,12}?(?:提出|提起|申请|进行|发表)?[^，,。；;]{0,4}?(?:异议|申诉|投诉|复核|复议|上诉|质疑|信访|举报)'),
        zh('(?<trigger>不(?:接受|受理|予受理)(?:任何)?)[^，,。；;]{0,6}?(?:异议|申诉|投诉|复核|复议)'),
        zh('(?:计算结果|赔付金额|核定金额|计算金额)[^，,。；;]{0,10}?(?<trigger>为最终(?:结果|金额)?|是最终的|不可更改|不得更改|不容争议|不容置疑)'),
      ],
      en: [
        en(String.raw`\b(?<trigger>(?:may|shall|can|will|must) not|cannot|is not entitled to|are not entitled to|(?:has|have) no right to)\s+(?:\w+\s+){0,2}?(?:dispute|challenge|appeal|contest|object|complain|question|seek (?:a )?review|ask for (?:a )?review)\b`),
        en(String.raw`\bno (?:disputes?|objections?|appeals?|complaints?|challenges?|reviews?)\b[^.;]{0,20}?\b(?<trigger>(?:will|shall|may|can) be (?:accepted|entertained|considered|heard|raised|made|filed))\b`),
        en(String.raw`\b(?<trigger>waives?|gives? up|relinquish(?:es)?)\b[^.;]{0,30}?\brights? to (?:dispute|appeal|object|complain|challenge|contest|(?:a )?review)`),
        en(String.raw`\b(?:amounts?|calculations?|results?|computations?)\b[^.;]{0,30}?\b(?<trigger>(?:is|are|shall be|will be) (?:final(?: and (?:binding|conclusive))?|not open to (?:dispute|challenge|review)|beyond dispute))`),
      ],
    },
    explanation: {
      zh: '排除投资者提出异议的权利：投资者对交易数据、适格认定和赔付金额有权通过争议处理渠道申请复核，并可以投诉、起诉；禁止异议属于排除投资者主要权利的格式条款（《民法典》第四百九十七条）。',
      en: 'Excludes the right to dispute: an investor may ask for a review of the data, the eligibility and the amount through the dispute channel, and may complain or go to court; forbidding disputes excludes a main right of the investor (Civil Code Art. 497).',
    },
  },
  {
    id: 'investor-bears-costs',
    category: 'adds-burden',
    patterns: {
      zh: [
        zh(`${INVESTOR_ZH}[^。；;]{0,20}?(?<trigger>承担|支付|负担|缴纳|交纳)[^，,。；;]{0,20}?(?:费用|成本|手续费|管理费|服务费|托管费|开支|律师费)`),
        zh(`(?:费用|成本|手续费|管理费|服务费|托管费|开支|律师费)[^。；;]{0,30}?(?<trigger>由投资者(?:自行)?(?:承担|负担|支付|缴纳))`),
        zh('(?<trigger>从|自|在)(?:投资者(?:的)?)?(?:赔付款|赔付金额|赔偿款|赔付资金|应得赔付)(?:项)?中(?:予以)?(?:扣除|抵扣|扣减|扣收)'),
      ],
      en: [
        en(String.raw`${INVESTOR_EN}[^.;]{0,40}?\b(?<trigger>(?:bears?|pays?|shoulders?|covers?|reimburses?)(?!\s+(?:no|nothing|none)\b)|(?:is|are) charged|(?:is|are) liable for)\b[^.;]{0,40}?\b(?:costs?|fees?|expenses?|charges)\b`),
        en(String.raw`\b(?:costs?|fees?|expenses?|charges)\b[^.;]{0,60}?\b(?<trigger>borne by|paid by|charged to|payable by|deducted from|set off against|recovered from)\s+(?:the |each |an |every |all )?investors?\b`),
      ],
    },
    explanation: {
      zh: '加重投资者的负担：基金的管理、托管、审计和赔付实施费用应由出资人承担，向投资者收费或者从赔付款中扣除费用，属于加重投资者责任的格式条款（《民法典》第四百九十七条）。',
      en: "Adds to the investor's burden: the costs of managing, holding, auditing and paying out the fund are the funders'; charging investors or deducting costs from their compensation adds to their burden (Civil Code Art. 497).",
    },
  },
  {
    id: 'confidentiality',
    category: 'adds-burden',
    patterns: {
      zh: [
        zh(`${INVESTOR_ZH}[^。；;]{0,30}?(?<trigger>保密|不得[^，,。；;]{0,12}?(?:公开|披露|透露|泄露|发表|评论|宣传|散布|传播|接受[^，,。；;]{0,4}?采访))`),
        zh('(?:赔付|协议|和解)[^，,。；;]{0,10}?(?:内容|金额|条款|结果)[^，,。；;]{0,4}?(?<trigger>(?:应当?|须|必须)?(?:予以|严格)?保密)'),
      ],
      en: [
        en(String.raw`${INVESTOR_EN}[^.;]{0,40}?\b(?<trigger>(?:shall|must|will|agrees? to|undertakes? to|required to|obliged to)\s+(?:keep|hold|treat|maintain))\b[^.;]{0,50}?\bconfidential`),
        en(String.raw`${INVESTOR_EN}[^.;]{0,40}?\b(?<trigger>(?:shall|must|may|will) not|agrees? not to|undertakes? not to)\s+(?:\w+\s+){0,2}?(?:disclose|publici[sz]e|publish|discuss|comment|speak|talk|post|reveal)\b`),
        en(String.raw`\b(?:terms|amount|existence|contents?) of (?:this|the) (?:settlement|agreement|compensation)\b[^.;]{0,30}?\b(?<trigger>(?:is|are|shall be|must be|will be) (?:kept )?confidential)`),
      ],
    },
    lawfulWhen: [/个人信息|个人数据|隐私/, /\bpersonal (?:data|information)\b|\bprivacy\b/i],
    explanation: {
      zh: '加重投资者的负担：先行赔付是公开程序，方案、听证记录和进展都要公布；要求投资者对赔付保密或者不得公开发表意见，加重投资者责任并限制其投诉、起诉和监督的权利（《民法典》第四百九十七条）。',
      en: 'Adds to the investor\'s burden: advance compensation is a public procedure whose plan, hearing record and progress are published; binding investors to secrecy or silence burdens them and restricts their rights to complain, sue and hold the process to account (Civil Code Art. 497).',
    },
  },
  {
    id: 'unilateral-change',
    category: 'exempts-funders',
    patterns: {
      zh: [
        zh('(?<trigger>单方(?:面)?|擅自)[^，,。；;]{0,4}?(?:变更|调整|修改|撤销|撤回|终止|解除|减少|降低)'),
        zh(`${FUNDER_ZH}[^。；;]{0,20}?(?<trigger>有权|可以|保留)[^，,。；;]{0,16}?(?:变更|调整|修改|撤销|撤回|终止|解除|减少|降低|收回)[^，,。；;]{0,10}?(?:方案|协议|条款|金额|赔付|要约|标准)`),
      ],
      en: [
        en(String.raw`\b(?<trigger>change|amend|modify|alter|vary|withdraw|revoke|reduce|cancel|terminate|rescind)\b[^.;]{0,60}?\b(?:unilaterally|at (?:its|their) (?:sole |own |absolute )?discretion|at any time)\b`),
        en(String.raw`\b(?<trigger>unilaterally)\s+(?:change|amend|modify|alter|vary|withdraw|revoke|reduce|cancel|terminate|rescind)\b`),
        en(String.raw`\b${FUNDER_EN}\b[^.;]{0,40}?\b(?<trigger>may|can|is entitled to|are entitled to|reserves? the right to|(?:has|have) the right to)\s+(?!not\b|never\b)(?:\w+\s+){0,2}?(?:change|amend|modify|alter|vary|withdraw|revoke|reduce|cancel|terminate|rescind)\b[^.;]{0,40}?\b(?:terms?|amounts?|offers?|agreements?|plans?|compensation|payments?)\b`),
      ],
    },
    explanation: {
      zh: '出资人可以单方变更或者撤回：方案经听证确定、投资者接受后，出资人不得单方变更条款、降低金额或者撤回要约，否则等于免除其已经承诺的赔付责任（《民法典》第四百九十七条）。',
      en: 'Lets the funders change or withdraw the terms on their own: once the hearing fixed the plan and an investor accepted it, the funders may not change the terms, lower the amount or withdraw the offer alone; such a power exempts them from the liability they undertook (Civil Code Art. 497).',
    },
  },
  {
    id: 'funders-final-say',
    category: 'excludes-rights',
    patterns: {
      zh: [
        zh('(?<trigger>最终解释权|终局解释权)'),
        zh(`${LIABLE_ZH}[^。；;]{0,10}?(?<trigger>(?:享有|拥有|保留)?(?:单方|独家|最终|唯一)?解释权)`),
        zh(`(?<trigger>以|按)${LIABLE_ZH}[^，,。；;]{0,6}?(?:的)?(?:解释|认定|决定|意见|计算结果?)为准`),
        zh(`${LIABLE_ZH}[^。；;]{0,10}?(?:的)?(?:决定|认定|解释|决策)[^，,。；;]{0,6}?(?<trigger>为最终|是最终|具有最终效力|为终局)`),
      ],
      en: [
        en(String.raw`\b(?<trigger>(?:final|sole|exclusive) (?:right|power|authority) (?:of|to) interpret(?:ation)?|right of final interpretation)`),
        en(String.raw`\b(?:decisions?|determinations?|interpretations?|judge?ments?) of the ${LIABLE_EN}\b[^.;]{0,40}?\b(?<trigger>(?:is|are|shall be|will be) (?:final|conclusive|binding))`),
        en(String.raw`\b${LIABLE_EN}(?:'s|s'|’s)? (?:decisions?|determinations?|interpretations?)\b[^.;]{0,30}?\b(?<trigger>(?:is|are|shall be|will be) (?:final|conclusive|binding))`),
        en(String.raw`\b${LIABLE_EN}\b[^.;]{0,30}?\b(?<trigger>(?:sole|absolute|exclusive|final) (?:discretion|right|authority|say))\b[^.;]{0,40}?\b(?:interpret|decide|determine|question|dispute)`),
        en(String.raw`\b(?<trigger>as (?:interpreted|determined|decided) by) the ${LIABLE_EN}\b`),
      ],
    },
    explanation: {
      zh: '出资人一方说了算：格式条款有两种以上解释的，应当作出不利于提供格式条款一方的解释（《民法典》第四百九十八条）；由出资人享有最终解释权或者作出终局决定，排除了投资者的主要权利。',
      en: "Gives the funders the last word: where a standard term can be read two ways it is read against the party that drafted it (Civil Code Art. 498); a final right of interpretation or a final decision for the funders excludes the investor's main rights.",
    },
  },
  {
    id: 'deemed-acceptance',
    category: 'excludes-rights',
    patterns: {
      zh: [
        zh('(?:未|没有|不作|逾期|届满|期满|沉默|不回复|不予回复|不表示|无回应)[^。；;]{0,40}?(?<trigger>视为|即视为|均视为|一律视为|即为|推定为?)(?:其|投资者)?(?:已经?|已)?(?:接受|同意|认可|签署|签订|和解|放弃异议)'),
        zh('(?:未|没有|不作|逾期|届满|期满|沉默|不回复|不予回复|不表示|无回应)[^。；;]{0,40}?(?<trigger>按|作)(?:已经?)?(?:接受|同意)(?:处理|对待)'),
      ],
      en: [
        en(String.raw`\b(?:fails? to|failure to|does not|do not|did not|doesn['’]t|don['’]t|no|without|silence|silent|inaction)\b[^.;]{0,80}?\b(?<trigger>(?:is|are|will be|shall be|be) (?:deemed|treated as having|considered|taken)|deemed)\s+(?:to )?(?:have )?(?:accepted|accept|agreed|agree|consented|consent|signed|sign|approved|approve)\b`),
        en(String.raw`\b(?<trigger>silence|no (?:response|reply|answer)|failure to (?:respond|reply|object|decline))\b[^.;]{0,30}?\b(?:constitutes?|means|amounts? to|is treated as|shall be treated as|counts as|is taken as)\s+(?:an? )?(?:acceptance|consent|agreement)`),
      ],
    },
    explanation: {
      zh: '以沉默视为接受：接受赔付即与出资人和解并转让请求权，必须由投资者明示作出；逾期未申报只能视为不接受，投资者保留起诉的权利。以不作为推定接受排除了投资者的选择权（《民法典》第一百四十条、第四百九十七条）。',
      en: "Treats silence as acceptance: accepting settles with the funders and assigns the investor's claims, so it must be the investor's express act; an investor who does not declare in time has declined and keeps the right to sue. Deeming acceptance from silence takes away the investor's choice (Civil Code Arts. 140, 497).",
    },
  },
  {
    id: 'unfair-forum',
    category: 'adds-burden',
    patterns: {
      zh: [
        zh(`(?<trigger>仅|只|只能|唯一|专属|排他(?:性)?|一律|均应|必须|应当|应)[^。；;]{0,20}?${FUNDER_ZH}[^。；;]{0,10}?(?:住所地|所在地|注册地|总部)[^。；;]{0,10}?(?:人民)?(?:法院|仲裁)`),
        zh(`${FUNDER_ZH}[^。；;]{0,6}?(?<trigger>指定|选定|选择|确定)的?[^。；;]{0,10}?(?:仲裁|法院)`),
        zh('(?<trigger>仅|只|只能|唯一|专属|必须|应当|应)[^。；;]{0,20}?(?:境外|香港|国外)[^。；;]{0,10}?(?:法院|仲裁)'),
      ],
      en: [
        en(String.raw`\b(?<trigger>exclusive(?:ly)?|only|solely|must|shall)\b[^.;]{0,60}?\b(?:courts?|tribunals?|arbitration)\b[^.;]{0,40}?\b(?:where|in which|of) the ${FUNDER_EN}(?:'s|s'|’s)?\b[^.;]{0,20}?(?:domicile|domiciled|registered|seat|located|headquarter|home|principal place)`),
        en(String.raw`\b(?:arbitrat(?:ion|ors?)|tribunals?|courts?|forums?|institutions?)\b[^.;]{0,40}?\b(?<trigger>chosen|designated|selected|appointed|nominated|named) (?:solely |only )?by the ${FUNDER_EN}\b`),
        en(String.raw`\b${FUNDER_EN}\b[^.;]{0,20}?\b(?<trigger>(?:shall |may |will )?(?:choose|chooses|designate|designates|select|selects|appoint|appoints|nominate|nominates))\b[^.;]{0,30}?\b(?:arbitrat|tribunal|court|forum)`),
      ],
    },
    explanation: {
      zh: '为投资者选择不合理的争议解决地：投资者分散在全国，证券虚假陈述纠纷依法由发行人住所地有管辖权的法院管辖；只允许在出资人住所地诉讼或者由出资人指定仲裁机构，加重投资者负担并限制其诉权（《民法典》第四百九十七条）。',
      en: "Sends disputes to a forum unreasonable for investors: investors live all over the country and false-statement cases belong by law to the competent court of the issuer's domicile; a forum limited to the funder's home court or an arbitration the funder chooses burdens investors and restricts their right to sue (Civil Code Art. 497).",
    },
  },
  {
    id: 'clawback',
    category: 'adds-burden',
    patterns: {
      zh: [
        zh(`${INVESTOR_ZH}[^。；;]{0,30}?(?<trigger>退还|返还|退回|归还|交还)[^，,。；;]{0,20}?(?:赔付|赔偿|款项|款|金额|资金)`),
        zh(`(?:赔付款|赔偿款|款项|赔付金额|赔付资金)[^。；;]{0,20}?${INVESTOR_ZH}[^，,。；;]{0,10}?(?<trigger>退还|返还|退回|归还|交还)`),
        zh('(?:向|从)投资者[^。；;]{0,10}?(?<trigger>追回|收回|追索)'),
      ],
      en: [
        en(String.raw`${INVESTOR_EN}[^.;]{0,60}?\b(?<trigger>repay|repays|return|returns|refund|refunds|give back|gives back|pay back|pays back)\b[^.;]{0,40}?\b(?:compensation|payments?|amounts?|money|sums?)\b`),
        en(String.raw`\b(?<trigger>claw(?:s|ed)? back|recover(?:s|ed)?|reclaim(?:s|ed)?|recoup(?:s|ed)?)\b[^.;]{0,40}?\bfrom (?:the |each |an |any )?investors?\b`),
      ],
    },
    lawfulWhen: [
      /重复(?:支付|赔付|划付|领取|划款)|多付|多支付|多划|错误(?:支付|划付|划入|划款)|误付|误划|超额(?:支付|划付)|不当得利|虚假|骗取|欺诈|冒领/,
      /\bpaid twice\b|\bduplicate\b|\boverpaid\b|\boverpayment\b|\bpaid in error\b|\bby mistake\b|\bfraud|\bfalse (?:documents?|information|statements? by the investor)\b|\bimpersonat/i,
    ],
    explanation: {
      zh: '要求投资者退还赔付款：赔付一经支付即不因处罚决定被撤销或者行政复议、诉讼而追回（重复支付、错误支付或者骗取的款项除外）；追回条款加重投资者责任（《民法典》第四百九十七条）。',
      en: 'Makes the investor give the compensation back: a payment made is not clawed back when the penalty decision is later revoked or challenged (a payment made twice, in error or obtained by fraud aside); such a term adds to the investor\'s burden (Civil Code Art. 497).',
    },
  },
  {
    id: 'indemnifies-funders',
    category: 'adds-burden',
    patterns: {
      zh: [
        zh(`${INVESTOR_ZH}[^。；;]{0,30}?(?:应当?|须|必须|承诺|同意|负责|保证)[^，,。；;]{0,6}?(?<trigger>赔偿|补偿|弥补)[^，,。；;]{0,6}?${LIABLE_ZH}`),
        zh(`${INVESTOR_ZH}[^。；;]{0,30}?(?<trigger>(?:使|保证|确保))${LIABLE_ZH}[^，,。；;]{0,6}?免受`),
      ],
      en: [
        en(String.raw`${INVESTOR_EN}[^.;]{0,40}?\b(?<trigger>indemnif(?:y|ies)|holds? harmless|compensates?|reimburses?)\b[^.;]{0,10}?\b(?:the )?${LIABLE_EN}\b`),
      ],
    },
    explanation: {
      zh: '要求投资者赔偿出资人：先行赔付中出资人是赔付的一方，让投资者为出资人的损失或者追偿费用负责，加重投资者责任（《民法典》第四百九十七条）。',
      en: 'Makes the investor indemnify the funders: in advance compensation the funders are the ones who pay; making investors answer for the funders\' losses or recourse costs adds to their burden (Civil Code Art. 497).',
    },
  },
];

/** The flags of every clause of the plan's agreement, in clause order and, within a clause, rule order. */
export function reviewStandardTerms(document: PlanDocument): ReviewFlag[] {
  return document.agreement.clauses.flatMap(reviewClause);
}

/** The flags of one clause, in rule order: one per rule the clause breaks, with its first matching sentence. */
export function reviewClause(clause: AgreementClause): ReviewFlag[] {
  const sentences = sentencesOf(clause.text);
  const flags: ReviewFlag[] = [];
  for (const rule of COMPILED_RULES) {
    const excerpt = sentences.find((sentence) => ruleMatches(rule, sentence));
    if (excerpt !== undefined) {
      flags.push({ id: `${clause.id}:${rule.rule.id}`, clauseId: clause.id, ruleId: rule.rule.id, excerpt, explanation: rule.rule.explanation });
    }
  }
  return flags;
}

type Language = 'zh' | 'en';

interface CompiledRule {
  rule: StandardTermsRule;
  patterns: { language: Language; regex: RegExp }[];
}

const COMPILED_RULES: readonly CompiledRule[] = STANDARD_TERMS_RULES.map((rule) => ({
  rule,
  patterns: (['zh', 'en'] as const).flatMap((language) =>
    rule.patterns[language].map((pattern) => ({ language, regex: new RegExp(pattern.source, withFlags(pattern.flags, 'dg')) })),
  ),
}));

function withFlags(flags: string, extra: string): string {
  return [...new Set([...flags, ...extra])].join('');
}

/**
 * A sentence ends at 。！？；, at ; ! ?, at a line break, and at a full stop followed by a space
 * or the end (so that 0.0003 and 2027.01 are not cut). Each sentence keeps its closing mark.
 */
function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[。！？；;!?\n])|(?<=\.)(?=\s|$)/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

function ruleMatches(compiled: CompiledRule, sentence: string): boolean {
  for (const { language, regex } of compiled.patterns) {
    regex.lastIndex = 0;
    for (let match = regex.exec(sentence); match !== null; match = regex.exec(sentence)) {
      const [start, end] = match.indices?.groups?.['trigger'] ?? match.indices![0]!;
      if (!isNegated(sentence, start, language) && !isLawful(compiled.rule, sentence, end)) return true;
      // A later start may still match without the negation or the qualifier.
      regex.lastIndex = match.index + 1;
    }
  }
  return false;
}

/** Phrases within a sentence are cut at commas and colons: a negation or a qualifier reaches no further. */
const PHRASE_BREAK = /[，,：:]/;

function phraseStart(sentence: string, at: number): number {
  for (let i = at - 1; i >= 0; i--) if (PHRASE_BREAK.test(sentence[i]!)) return i + 1;
  return 0;
}

function phraseEnd(sentence: string, at: number): number {
  for (let i = at; i < sentence.length; i++) if (PHRASE_BREAK.test(sentence[i]!)) return i;
  return sentence.length;
}

/**
 * A Chinese trigger is negated by a negating verb a few characters before it in its phrase
 * ("不因本协议而免除", "无需支付"), or by 不/未/非/没 right before it ("不丧失"). A bare 不 further
 * away belongs to something else ("投资者不接受赔付即视为放弃" still waives).
 */
const ZH_NEGATION = /(?:不影响|不视为|不意味着|不代表|不构成|不因此?|并不|并非|并未|并没有|不会|不得|不应当?|无需|无须|不需要?|不必|不要求|不能|不可以?|免于)[^，,；;：:]{0,12}$|[不未非没]$/;
/**
 * An English trigger is negated by "not" (or never, cannot, n't) followed only by auxiliaries and
 * the like ("does not waive", "shall not be deemed", "is not required to keep"), or by a phrase
 * that negates the whole sentence ("Nothing in this agreement ...", "No investor ...").
 */
const EN_NEGATION_NEAR =
  /(?:\bnot|\bnever|\bno longer|\bcannot|n['’]t)(?:\s+(?:be|been|being|have|has|had|to|in|any|way|thereby|hereby|thus|required|obliged|obligated|deemed|construed|considered|treated|taken|as|mean|means|imply|implies|necessarily|otherwise|also|itself|themselves|ever|at|all|held|so)){0,4}\s*$/i;
const EN_NEGATION_PHRASE = /\bnothing in\b|\bin no (?:case|event)\b|\bno (?:investor|person|party|one|term|clause)\b|\bneither\b/i;

function isNegated(sentence: string, triggerStart: number, language: Language): boolean {
  const before = sentence.slice(phraseStart(sentence, triggerStart), triggerStart);
  if (language === 'zh') return ZH_NEGATION.test(before);
  return EN_NEGATION_NEAR.test(before) || EN_NEGATION_PHRASE.test(before);
}

function isLawful(rule: StandardTermsRule, sentence: string, triggerEnd: number): boolean {
  if (rule.lawfulWhen === undefined) return false;
  const reach = sentence.slice(0, phraseEnd(sentence, triggerEnd));
  return rule.lawfulWhen.some((pattern) => pattern.test(reach));
}
