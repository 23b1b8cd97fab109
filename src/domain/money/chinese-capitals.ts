import type { Fen } from './fen.ts';

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const PLACES = ['', '拾', '佰', '仟'] as const;
const WAN = 10_000n;
const YI = 100_000_000n;

/**
 * An amount in Chinese capital numerals (大写金额), as a bank form, an agreement or a court filing
 * writes it beside the figures so that neither can be altered alone: 1234567n → 壹万贰仟叁佰肆拾伍元陆角柒分.
 *
 * The rules are those of the People's Bank's 《正确填写票据和结算凭证的基本规定》:
 * - a zero, or a run of zeros, between two written digits is one 零 (6007.14 → 陆仟零柒元壹角肆分);
 *   the zeros that end a 万 or 亿 group are not read, the group's name stands for them
 *   (107000 → 壹拾万柒仟元整, 100700 → 壹拾万零柒佰元整, 100000005 → 壹亿零伍元整);
 * - a leading ten is 壹拾, never a bare 拾, which could be altered into another amount;
 * - 整 follows an amount that ends at 元; an amount with 角 or 分 has none;
 * - a zero 角 before a written 分 is 零 (16409.02 → 壹万陆仟肆佰零玖元零贰分);
 * - where the rules leave 零 optional (a 元 digit of 0 before a written 角, 1680.32), none is written:
 *   壹仟陆佰捌拾元叁角贰分;
 * - less than one yuan has no 元 (0.56 → 伍角陆分), and nothing at all is 零元整.
 * Above 亿 the groups go on as they are read: 壹万亿, and 亿亿 for 10^16 yuan.
 *
 * A negative amount is refused: an offer or a payment is never below zero, and a refund is
 * written as its own document, not as a negative capital amount.
 */
export function fenInChineseCapitals(fen: Fen): string {
  if (typeof fen !== 'bigint') throw new TypeError(`an amount in fen must be a bigint, not ${typeof fen}`);
  if (fen < 0n) throw new RangeError(`an amount in capitals cannot be negative: ${fen} fen`);
  const yuan = fen / 100n;
  const jiao = Number((fen / 10n) % 10n);
  const cents = Number(fen % 10n);
  if (yuan === 0n && jiao === 0 && cents === 0) return '零元整';

  let text = yuan === 0n ? '' : `${integerCapitals(yuan)}元`;
  if (jiao === 0 && cents === 0) return `${text}整`;
  if (jiao !== 0) text += `${DIGITS[jiao]}角`;
  else if (yuan !== 0n) text += '零';
  if (cents !== 0) text += `${DIGITS[cents]}分`;
  return text;
}

/** A whole number ≥ 1 in capitals, grouped by 亿 and 万 as it is read. */
function integerCapitals(value: bigint): string {
  if (value >= YI) return grouped(value / YI, '亿', value % YI, YI / 10n);
  if (value >= WAN) return grouped(value / WAN, '万', value % WAN, WAN / 10n);
  return belowWan(Number(value));
}

/**
 * `high` group-name `low`: a `low` that does not fill its group's highest place starts with 零,
 * since zeros stand between the two parts (壹亿零伍); a `low` of zero is not written at all.
 */
function grouped(high: bigint, name: string, low: bigint, lowestFull: bigint): string {
  if (low === 0n) return `${integerCapitals(high)}${name}`;
  return `${integerCapitals(high)}${name}${low < lowestFull ? '零' : ''}${integerCapitals(low)}`;
}

/** 1 … 9999: inner zeros are one 零, trailing zeros are not written. */
function belowWan(value: number): string {
  let text = '';
  let zeroPending = false;
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(value / 10 ** place) % 10;
    if (digit === 0) {
      if (text !== '') zeroPending = true;
      continue;
    }
    if (zeroPending) text += '零';
    zeroPending = false;
    text += `${DIGITS[digit]}${PLACES[place]}`;
  }
  return text;
}
