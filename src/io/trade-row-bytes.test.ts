import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Rational } from '../domain/money/rational.ts';
import { InvestorRowChecker, tradeFromText } from './investor-files.ts';
import { daysFromCivil, epochDay } from '../domain/market/calendar-date.ts';
import { columnKinds, epochDayOfKey, parsePlainTradeRow, parseTradeFields, plainTradeRowParser, timeOfKey, type ParsedTradeFields, type PlainTradeRow } from './trade-row-bytes.ts';

const HEADER = ['investor', 'account', 'time', 'side', 'quantity', 'price'];
const COLUMNS = { time: 2, side: 3, quantity: 4, price: 5 };
const checker = new InvestorRowChecker('trades', HEADER, 'trades.csv');
const PLAIN_KINDS = columnKinds(6, { investor: 0, account: 1, ...COLUMNS });
/** The parser of the spec's column order, which the scan takes for such a header. */
const parseCanonicalRow = plainTradeRowParser(PLAIN_KINDS);

/** Parses a row of the six trade columns the way the scan phase does: fields located by commas. */
function parseRow(fields: string[]): ParsedTradeFields | null {
  const bytes = Buffer.from(fields.join(','), 'latin1');
  const fieldStart = new Int32Array(fields.length);
  const fieldEnd = new Int32Array(fields.length);
  let at = 0;
  fields.forEach((field, k) => {
    fieldStart[k] = at;
    fieldEnd[k] = at + field.length;
    at += field.length + 1;
  });
  const into: ParsedTradeFields = { timeKey: 0, isBuy: false, quantity: 0, priceMilli: 0 };
  return parseTradeFields(bytes, fieldStart, fieldEnd, COLUMNS, into) ? into : null;
}

function row(time: string, side: string, quantity: string, price: string): string[] {
  return ['INV1', 'A1', time, side, quantity, price];
}

test('a plain valid row parses to the values the checker path gives', () => {
  const parsed = parseRow(row('2021-03-01T09:30:05', 'S', '0100', '007.5'));
  assert.deepEqual(parsed, { timeKey: 20210301_00000 + 1 + 9 * 3600 + 30 * 60 + 5, isBuy: false, quantity: 100, priceMilli: 7500 });
  assert.equal(timeOfKey(parsed!.timeKey), '2021-03-01T09:30:05');
  assert.equal(timeOfKey(parseRow(row('2020-02-29', 'B', '1', '0'))!.timeKey), '2020-02-29');
});

test('rows the checker refuses, or takes only in a form too long to be exact here, are left to the checker', () => {
  const refused: [string, string, string, string][] = [
    ['2021-02-29', 'B', '100', '1.00'], // not a leap year
    ['2021-13-01', 'B', '100', '1.00'],
    ['2021-04-31', 'B', '100', '1.00'],
    ['2021-03-01T24:00:00', 'B', '100', '1.00'],
    ['2021-03-01T09:60:00', 'B', '100', '1.00'],
    ['2021-03-01 09:30:00', 'B', '100', '1.00'],
    ['2021-3-01', 'B', '100', '1.00'],
    ['2021-03-01', 'b', '100', '1.00'],
    ['2021-03-01', 'BS', '100', '1.00'],
    ['2021-03-01', 'B', '0', '1.00'],
    ['2021-03-01', 'B', '000', '1.00'],
    ['2021-03-01', 'B', '-5', '1.00'],
    ['2021-03-01', 'B', '1e3', '1.00'],
    ['2021-03-01', 'B', '100', '1.2345'],
    ['2021-03-01', 'B', '100', '.5'],
    ['2021-03-01', 'B', '100', '5.'],
    ['2021-03-01', 'B', '100', '1..0'],
    ['2021-03-01', 'B', '100', ''],
    ['2021-03-01', 'B', '100', '+1'],
  ];
  for (const fields of refused) {
    assert.equal(parseRow(row(...fields)), null, fields.join(','));
    assert.notEqual(checker.check(row(...fields).join(','), row(...fields), 2).problem, null, fields.join(','));
  }
  // Valid, but for the checker's path: 16-digit quantities, 13 whole digits of price, years before 1000.
  const validForTheChecker: [string, string, string, string][] = [['2021-03-01', 'B', '1234567890123456', '1.00'], ['2021-03-01', 'B', '100', '1234567890123.5'], ['0999-03-01', 'B', '100', '1.00']];
  for (const fields of validForTheChecker) {
    assert.equal(parseRow(row(...fields)), null, fields.join(','));
    assert.equal(checker.check(row(...fields).join(','), row(...fields), 2).problem, null, fields.join(','));
  }
});

test('days from the civil date agree with the calendar module over four centuries', () => {
  for (let day = epochDay('1900-01-01'); day <= epochDay('2300-12-31'); day += 1) {
    const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    assert.equal(daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))), day);
  }
});

const digits = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((chars) => chars.join(''));
const timeText = fc.oneof(
  fc.tuple(fc.integer({ min: 990, max: 2400 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.tuple(fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }))
    .map(([y, m, d, h, mi, s]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}`),
  fc.string({ maxLength: 20 }).map((text) => text.replace(/[",\n\r]/g, '')),
);
const sideText = fc.oneof(fc.constantFrom('B', 'S'), fc.constantFrom('', 'b', 's', 'BB', 'X'));
const quantityText = fc.oneof(digits(1, 17), fc.constantFrom('0', '-1', '1.0', ' 1', ''));
const priceText = fc.oneof(
  fc.tuple(digits(1, 14), fc.option(digits(0, 5))).map(([whole, fraction]) => (fraction === null ? whole : `${whole}.${fraction}`)),
  fc.constantFrom('.5', '5.', '-1.00', '1,00', '', '1e2'),
);

test('on generated rows the byte parser takes only rows the checker takes, with the same values, and every plain valid row', () => {
  fc.assert(
    fc.property(timeText, sideText, quantityText, priceText, (time, side, quantity, price) => {
      const fields = row(time, side, quantity, price);
      const parsed = parseRow(fields);
      // The one-pass parser reads the same row, in a longer buffer, to the same values or not at all.
      const line = Buffer.from(`${fields.join(',')}\nINV2`, 'latin1');
      const plain: PlainTradeRow = { timeKey: 0, isBuy: false, quantity: 0, priceMilli: 0, keyStart: 0, keyEnd: 0, accountStart: 0, accountEnd: 0 };
      const newline = parsePlainTradeRow(line, 0, line.length, PLAIN_KINDS, plain);
      // The parser of the spec's column order reads it to the same end and values.
      const canonical: PlainTradeRow = { timeKey: 0, isBuy: false, quantity: 0, priceMilli: 0, keyStart: 0, keyEnd: 0, accountStart: 0, accountEnd: 0 };
      assert.equal(parseCanonicalRow(line, 0, line.length, PLAIN_KINDS, canonical), newline, fields.join(','));
      if (newline >= 0) assert.deepEqual(canonical, plain);
      const plainRow = /^[\x20-\x7f]*$/.test(fields.join(',')) && !fields.join(',').includes('"');
      if (plainRow) {
        assert.equal(newline >= 0, parsed !== null, fields.join(','));
        if (parsed !== null) {
          assert.equal(newline, line.length - 5);
          assert.deepEqual({ timeKey: plain.timeKey, isBuy: plain.isBuy, quantity: plain.quantity, priceMilli: plain.priceMilli }, parsed);
          assert.deepEqual([plain.keyStart, plain.keyEnd, plain.accountStart, plain.accountEnd], [0, 4, 5, 7]);
        }
      } else {
        assert.equal(newline, -1, fields.join(','));
      }
      const { problem } = checker.check(fields.join(','), fields, 7);
      if (parsed === null) {
        // Refused by the byte parser: then it is bad, or in a form the parser leaves to the checker.
        const plain = problem === null && quantity.length <= 15 && price.split('.')[0]!.length <= 12 && Number(time.slice(0, 4)) >= 1000;
        assert.equal(plain, false, `a plain valid row was left to the checker: ${fields.join(',')}`);
        return;
      }
      assert.equal(problem, null, `the byte parser took a row the checker refuses: ${fields.join(',')}`);
      const trade = tradeFromText(7, 'A1', time, side, quantity, price);
      assert.equal(parsed.timeKey, trade.timeKey);
      assert.equal(epochDayOfKey(parsed.timeKey), epochDay(trade.date));
      assert.equal(timeOfKey(parsed.timeKey), time);
      assert.equal(parsed.isBuy, trade.side === 'B');
      assert.equal(parsed.quantity, Number(trade.quantity.num));
      assert.ok(trade.quantity.isInteger());
      assert.ok(Rational.of(parsed.priceMilli, 1000).equals(trade.price), `${price} read as ${parsed.priceMilli} thousandths`);
    }),
    { numRuns: 20_000 },
  );
});

test('the spec column order has its own parser; any other order, or an extra column, the general one', () => {
  assert.notEqual(parseCanonicalRow, parsePlainTradeRow);
  assert.equal(plainTradeRowParser(columnKinds(6, { investor: 1, account: 0, ...COLUMNS })), parsePlainTradeRow);
  assert.equal(plainTradeRowParser(columnKinds(7, { investor: 0, account: 1, ...COLUMNS })), parsePlainTradeRow);
});
