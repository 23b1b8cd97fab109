import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fenInChineseCapitals } from './chinese-capitals.ts';

describe('fenInChineseCapitals', () => {
  it('writes yuan, jiao and fen', () => {
    assert.equal(fenInChineseCapitals(1_234_567n), '壹万贰仟叁佰肆拾伍元陆角柒分');
    assert.equal(fenInChineseCapitals(414_278n), '肆仟壹佰肆拾贰元柒角捌分');
    assert.equal(fenInChineseCapitals(999_999_999n), '玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分');
  });

  it('ends an amount without jiao and fen with 整, and only such an amount', () => {
    assert.equal(fenInChineseCapitals(100n), '壹元整');
    assert.equal(fenInChineseCapitals(1_000_000n), '壹万元整');
    assert.equal(fenInChineseCapitals(150n), '壹元伍角');
    assert.equal(fenInChineseCapitals(105n), '壹元零伍分');
  });

  it('writes nothing as 零元整 and less than a yuan without 元', () => {
    assert.equal(fenInChineseCapitals(0n), '零元整');
    assert.equal(fenInChineseCapitals(1n), '壹分');
    assert.equal(fenInChineseCapitals(50n), '伍角');
    assert.equal(fenInChineseCapitals(56n), '伍角陆分');
    assert.equal(fenInChineseCapitals(5n), '伍分');
  });

  it('writes one 零 for a zero or a run of zeros between written digits', () => {
    assert.equal(fenInChineseCapitals(1_000_500n), '壹万零伍元整');
    assert.equal(fenInChineseCapitals(140_950n), '壹仟肆佰零玖元伍角');
    assert.equal(fenInChineseCapitals(600_714n), '陆仟零柒元壹角肆分');
    assert.equal(fenInChineseCapitals(101_000n), '壹仟零壹拾元整');
    assert.equal(fenInChineseCapitals(100_100n), '壹仟零壹元整');
  });

  it('writes 零 between 元 and 分 when the jiao is zero (the rules require it)', () => {
    assert.equal(fenInChineseCapitals(1_640_902n), '壹万陆仟肆佰零玖元零贰分');
    assert.equal(fenInChineseCapitals(1_000_001n), '壹万元零壹分');
  });

  it('writes no optional 零 where the rules leave it to the writer', () => {
    // A 元 digit of 0 before a written 角: 壹仟陆佰捌拾元叁角贰分 (or 元零叁角, also allowed).
    assert.equal(fenInChineseCapitals(168_032n), '壹仟陆佰捌拾元叁角贰分');
    // A 万 digit of 0 before a written 仟: the group name 万 stands for it.
    assert.equal(fenInChineseCapitals(10_700_053n), '壹拾万柒仟元伍角叁分');
  });

  it('writes 零 where a group starts with zeros, and leaves out the zeros that end a group', () => {
    assert.equal(fenInChineseCapitals(10_070_000n), '壹拾万零柒佰元整');
    assert.equal(fenInChineseCapitals(100_700_000n), '壹佰万柒仟元整');
    assert.equal(fenInChineseCapitals(10_000_000_500n), '壹亿零伍元整');
    assert.equal(fenInChineseCapitals(10_000_500_000n), '壹亿零伍仟元整');
    assert.equal(fenInChineseCapitals(10_005_000_000n), '壹亿零伍万元整');
    assert.equal(fenInChineseCapitals(10_100_000_000n), '壹亿零壹佰万元整');
    assert.equal(fenInChineseCapitals(11_000_000_000n), '壹亿壹仟万元整');
    assert.equal(fenInChineseCapitals(20_304_050_607n), '贰亿零叁佰零肆万零伍佰零陆元零柒分');
  });

  it('always writes a leading ten as 壹拾', () => {
    assert.equal(fenInChineseCapitals(1_000n), '壹拾元整');
    assert.equal(fenInChineseCapitals(1_500n), '壹拾伍元整');
    assert.equal(fenInChineseCapitals(10_000_000n), '壹拾万元整');
    assert.equal(fenInChineseCapitals(1_000_000_000_000n), '壹佰亿元整');
    assert.equal(fenInChineseCapitals(110_000n), '壹仟壹佰元整');
  });

  it('goes on above 亿 as the amount is read: 万亿, then 亿亿', () => {
    assert.equal(fenInChineseCapitals(100_000_000_000_000n), '壹万亿元整');
    assert.equal(fenInChineseCapitals(123_450_000_000_000n), '壹万贰仟叁佰肆拾伍亿元整');
    assert.equal(fenInChineseCapitals(100_000_000_000_100n), '壹万亿零壹元整');
    assert.equal(fenInChineseCapitals(200_000_100_000_000n), '贰万亿零壹佰万元整');
    assert.equal(fenInChineseCapitals(10n ** 18n), '壹亿亿元整');
    // The largest amount a plan can state (18 digits of fen).
    assert.equal(fenInChineseCapitals(10n ** 18n - 1n), '玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分');
  });

  it('refuses a negative amount and a number that is not a bigint', () => {
    assert.throws(() => fenInChineseCapitals(-1n), RangeError);
    assert.throws(() => fenInChineseCapitals(-100n), /cannot be negative/);
    assert.throws(() => fenInChineseCapitals(100 as unknown as bigint), TypeError);
  });

  it('reads back to the amount it was given, and keeps the writing rules, for any amount', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 18n }), sparseAmount()), (fen) => {
        const capitals = fenInChineseCapitals(fen);
        assert.equal(readCapitals(capitals), fen, capitals);
        assert.doesNotMatch(capitals, /零零/, capitals);
        if (fen !== 0n) assert.doesNotMatch(capitals, /零[元万亿角分]|零整$|零$/, capitals);
        assert.doesNotMatch(capitals, /^[拾佰仟万亿]/, capitals);
        assert.equal(capitals.endsWith('整'), fen % 100n === 0n, capitals);
        assert.equal(capitals.includes('元'), fen === 0n || fen >= 100n, capitals);
      }),
      { numRuns: 3000 },
    );
  });
});

/** Amounts with many zero digits, where the 零 rules matter. */
function sparseAmount(): fc.Arbitrary<bigint> {
  return fc.array(fc.constantFrom(0, 0, 0, 0, 1, 5, 9), { minLength: 1, maxLength: 18 }).map((digits) => BigInt(digits.join('')));
}

const DIGIT_VALUE = new Map([...'零壹贰叁肆伍陆柒捌玖'].map((digit, value) => [digit, BigInt(value)]));
const PLACE_VALUE = new Map([['拾', 10n], ['佰', 100n], ['仟', 1000n]]);

/** An independent reading of capitals back to fen: split at the last 亿, then the last 万. */
function readCapitals(text: string): bigint {
  if (text === '零元整') return 0n;
  const body = text.replace(/整$/, '');
  const yuanAt = body.indexOf('元');
  const integer = yuanAt < 0 ? 0n : readInteger(body.slice(0, yuanAt));
  const rest = yuanAt < 0 ? body : body.slice(yuanAt + 1);
  const jiao = /(.)角/.exec(rest);
  const fen = /(.)分/.exec(rest);
  return integer * 100n + (jiao ? DIGIT_VALUE.get(jiao[1]!)! * 10n : 0n) + (fen ? DIGIT_VALUE.get(fen[1]!)! : 0n);
}

function readInteger(text: string): bigint {
  const yi = text.lastIndexOf('亿');
  if (yi >= 0) return readInteger(text.slice(0, yi)) * 100_000_000n + readInteger(text.slice(yi + 1));
  const wan = text.lastIndexOf('万');
  if (wan >= 0) return readInteger(text.slice(0, wan)) * 10_000n + readInteger(text.slice(wan + 1));
  let value = 0n;
  let digit = 0n;
  for (const char of text) {
    const place = PLACE_VALUE.get(char);
    if (place !== undefined) {
      value += digit * place;
      digit = 0n;
    } else {
      const found = DIGIT_VALUE.get(char);
      if (found === undefined) throw new Error(`not a capital numeral: ${char} in ${text}`);
      digit = found;
    }
  }
  return value + digit;
}
