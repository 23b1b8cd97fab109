import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { OfferStatus } from '../domain/offer/offer-decision.ts';
import {
  exchangeDeclarationsCsv,
  matchDeclarations,
  parseExchangeDeclarations,
  type DeclarationMatch,
  type DeclarationRow,
  type OfferForDeclarations,
} from './exchange-declarations-file.ts';

const id = (n: number) => `offer-${n.toString(16).padStart(20, '0')}`;
const HEADER = 'offer_id,investor,account,units,declaration,declared_on,broker';
const codes = (errors: { line: number; code: string }[]) => errors.map((error) => [error.line, error.code]);

test('a worked file: BOM, CRLF, quoted fields, units with 0, 1 or 2 decimals, broker optional', () => {
  const text =
    `\uFEFF${HEADER}\r\n` +
    `${id(1)},INV0000013,0147773795,1234.56,accept,2027-01-05,国泰君安证券\r\n` +
    `${id(2)},"产品,一号",B880000001,100,refuse,2027-01-06,\r\n` +
    `${id(3)},INV0000036,0169348816,0.5,accept,2027-01-22,"华泰 ""证券"""\r\n`;
  assert.deepEqual(parseExchangeDeclarations(text, 'declarations.csv'), {
    file: 'declarations.csv',
    rows: [
      { line: 2, offerId: id(1), investor: 'INV0000013', account: '0147773795', unitsFen: 123456n, declaration: 'accept', declaredOn: '2027-01-05', broker: '国泰君安证券' },
      { line: 3, offerId: id(2), investor: '产品,一号', account: 'B880000001', unitsFen: 10000n, declaration: 'refuse', declaredOn: '2027-01-06' },
      { line: 4, offerId: id(3), investor: 'INV0000036', account: '0169348816', unitsFen: 50n, declaration: 'accept', declaredOn: '2027-01-22', broker: '华泰 "证券"' },
    ],
    errors: [],
  });
});

test('columns are found by name; extra columns are ignored and the broker column may be absent', () => {
  const text = `declared_on,extra,declaration,units,account,investor,offer_id\n2027-01-05,x,accept,7.00,0147773795,INV1,${id(1)}\n`;
  assert.deepEqual(parseExchangeDeclarations(text, 'f').rows, [
    { line: 2, offerId: id(1), investor: 'INV1', account: '0147773795', unitsFen: 700n, declaration: 'accept', declaredOn: '2027-01-05' },
  ]);
});

test('every bad row is reported with its line and reason, and the rest are read', () => {
  const good = (n: number) => `${id(n)},INV${n},A${n},10.00,accept,2027-01-05,`;
  const lines = [
    HEADER,
    good(1), // 2
    '', // 3
    `${id(2)},"INV2,A2,10.00,accept,2027-01-05,`, // 4
    `${id(3)},INV3,A3,10.00,accept,2027-01-05`, // 5
    `${id(4)},INV4,A4,10.00,accept,2027-01-05,,extra`, // 6
    `offer-12345,INV5,A5,10.00,accept,2027-01-05,`, // 7
    `${id(6)},,A6,10.00,accept,2027-01-05,`, // 8
    `${id(7)},INV7,,10.00,accept,2027-01-05,`, // 9
    `${id(8)},INV8,A8,10.001,accept,2027-01-05,`, // 10
    `${id(9)},INV9,A9,0.00,accept,2027-01-05,`, // 11
    `${id(10)},INV10,A10,-5,accept,2027-01-05,`, // 12
    `${id(11)},INV11,A11,1e3,accept,2027-01-05,`, // 13
    `${id(12)},INV12,A12,10.00,ACCEPT,2027-01-05,`, // 14
    `${id(13)},INV13,A13,10.00,接受,2027-01-05,`, // 15
    `${id(14)},INV14,A14,10.00,refuse,2027-02-30,`, // 16
    `${id(15)},INV15,A15,10.00,refuse,20270105,`, // 17
    good(16), // 18
  ];
  const parsed = parseExchangeDeclarations(`${lines.join('\n')}\n`, 'declarations.csv');
  assert.deepEqual(parsed.rows.map((row) => row.line), [2, 18]);
  assert.deepEqual(codes(parsed.errors), [
    [3, 'empty-line'],
    [4, 'unterminated-quote'],
    [5, 'field-count'],
    [6, 'field-count'],
    [7, 'bad-offer-id'],
    [8, 'no-investor'],
    [9, 'no-account'],
    [10, 'bad-units'],
    [11, 'bad-units'],
    [12, 'bad-units'],
    [13, 'bad-units'],
    [14, 'bad-declaration'],
    [15, 'bad-declaration'],
    [16, 'bad-date'],
    [17, 'bad-date'],
  ]);
  const reason = (line: number) => parsed.errors.find((error) => error.line === line)!.reason;
  assert.deepEqual(reason(5), { zh: '该行有 6 个字段，表头有 7 个', en: '6 fields where the header has 7' });
  assert.equal(reason(7).en, "offer_id 'offer-12345' is not offer- followed by 20 hex digits");
  assert.equal(reason(10).en, "units '10.001' is not a positive number with at most two decimals");
  assert.equal(reason(14).en, "declaration 'ACCEPT' is not accept or refuse");
  assert.equal(reason(16).en, "declared_on '2027-02-30' is not a real date (YYYY-MM-DD)");
  assert.equal(reason(16).zh, "申报日期 '2027-02-30' 不是有效日期 (YYYY-MM-DD)");
});

test('a file without its header, or with a column missing or doubled, is one error on line 1', () => {
  const row = `${id(1)},INV1,A1,10.00,accept,2027-01-05`;
  const only = (text: string) => {
    const parsed = parseExchangeDeclarations(text, 'f');
    assert.deepEqual(parsed.rows, []);
    assert.equal(parsed.errors.length, 1);
    return parsed.errors[0]!;
  };
  assert.equal(only('').code, 'no-header');
  assert.equal(only('\n').code, 'no-header');
  assert.equal(only('\uFEFF').code, 'no-header');
  assert.equal(only(`"offer_id,investor\n${row}\n`).code, 'no-header');
  const missing = only(`offer_id,investor,units,declaration,declared_on\n${row}\n`);
  assert.deepEqual(missing, {
    line: 1,
    code: 'missing-columns',
    reason: {
      zh: '表头缺少 account 列；须列出 offer_id,investor,account,units,declaration,declared_on',
      en: 'the header lacks account; it must name offer_id,investor,account,units,declaration,declared_on',
    },
  });
  // A file that starts with a data row has every column missing, in one error.
  assert.equal(only(`${row}\n${row}\n`).reason.en, `the header lacks offer_id, investor, account, units, declaration, declared_on; it must name offer_id,investor,account,units,declaration,declared_on`);
  assert.equal(only(`offer_id,investor,account,units,declaration,declared_on,account\n${row},A1\n`).code, 'duplicate-column');
  assert.equal(only(`offer_id,investor,account,units,declaration,declared_on,broker,broker\n${row},a,b\n`).code, 'duplicate-column');
});

test('a header alone is a file with no declarations; only the final newline may be left off', () => {
  assert.deepEqual(parseExchangeDeclarations(`${HEADER}\n`, 'f'), { file: 'f', rows: [], errors: [] });
  assert.deepEqual(parseExchangeDeclarations(HEADER, 'f'), { file: 'f', rows: [], errors: [] });
  const unterminated = parseExchangeDeclarations(`${HEADER}\n${id(1)},INV1,A1,1,accept,2027-01-05,`, 'f');
  assert.deepEqual(unterminated.rows.map((row) => row.line), [2]);
  // Two newlines at the end leave an empty line, which is reported.
  assert.deepEqual(codes(parseExchangeDeclarations(`${HEADER}\n${id(1)},INV1,A1,1,accept,2027-01-05,\n\r\n`, 'f').errors), [[3, 'empty-line']]);
});

/** Bytes of `张三` and `国泰君安证券` in GB18030 (the same as in GBK). */
const ZHANG_SAN = [0xd5, 0xc5, 0xc8, 0xfd];
const GUOTAI_JUNAN = [0xb9, 0xfa, 0xcc, 0xa9, 0xbe, 0xfd, 0xb0, 0xb2, 0xd6, 0xa4, 0xc8, 0xaf];
const ascii = (text: string) => [...Buffer.from(text, 'latin1')];

test('GB18030 bytes are read when asked, with its BOM and CRLF', () => {
  const bytes = Buffer.from([
    0x84, 0x31, 0x95, 0x33, // the GB18030 byte order mark
    ...ascii(`${HEADER}\r\n${id(1)},`), ...ZHANG_SAN, ...ascii(',0147773795,88.80,accept,2027-01-05,'), ...GUOTAI_JUNAN, ...ascii('\r\n'),
    ...ascii(`${id(2)},INV2,0200000001,1,refuse,2027-01-06,\r\n`),
  ]);
  assert.deepEqual(parseExchangeDeclarations(bytes, 'declarations.csv', { encoding: 'gb18030' }).rows, [
    { line: 2, offerId: id(1), investor: '张三', account: '0147773795', unitsFen: 8880n, declaration: 'accept', declaredOn: '2027-01-05', broker: '国泰君安证券' },
    { line: 3, offerId: id(2), investor: 'INV2', account: '0200000001', unitsFen: 100n, declaration: 'refuse', declaredOn: '2027-01-06' },
  ]);
  // Read as UTF-8 the Chinese line is not decodable: it is an error, the ASCII line is still read.
  const asUtf8 = parseExchangeDeclarations(Buffer.from([...ascii(`${HEADER}\n${id(1)},`), ...ZHANG_SAN, ...ascii(`,A1,1,accept,2027-01-05,\n${id(2)},INV2,A2,1,accept,2027-01-05,\n`)]), 'f');
  assert.deepEqual(codes(asUtf8.errors), [[2, 'undecodable']]);
  assert.equal(asUtf8.errors[0]!.reason.en, "the line is not valid utf-8; give the file's encoding");
  assert.deepEqual(asUtf8.rows.map((row) => row.line), [3]);
});

test('UTF-8 bytes with a BOM read like the text; a header that cannot be decoded is one error', () => {
  const text = `${HEADER}\r\n${id(1)},张三,A1,1,accept,2027-01-05,华泰证券\r\n`;
  const fromBytes = parseExchangeDeclarations(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 'f');
  assert.deepEqual(fromBytes, parseExchangeDeclarations(text, 'f'));
  assert.equal(fromBytes.rows[0]!.investor, '张三');
  const badHeader = parseExchangeDeclarations(Buffer.from([...ascii('offer_id,'), 0xff, ...ascii(`\n${id(1)},A,A1,1,accept,2027-01-05,\n`)]), 'f');
  assert.deepEqual(codes(badHeader.errors), [[1, 'undecodable']]);
  assert.deepEqual(badHeader.rows, []);
  assert.deepEqual(parseExchangeDeclarations(Buffer.alloc(0), 'f').errors.map((error) => error.code), ['no-header']);
});

// ——— Matching ———

const offer = (investor: string, amountFen: bigint, accounts: string[], status: OfferStatus = 'offered'): OfferForDeclarations => ({ investor, amountFen, accounts, status });
const row = (line: number, offerId: string, investor: string, account: string, unitsFen: bigint, declaration: 'accept' | 'refuse'): DeclarationRow => ({
  line, offerId, investor, account, unitsFen, declaration, declaredOn: '2027-01-05',
});
const lines = (match: DeclarationMatch) => ({
  accepted: match.accepted.map((r) => r.line),
  refused: match.refused.map((r) => r.line),
  repeats: match.repeats.map((r) => r.line),
  errors: codes(match.errors),
});

test('matching: first answers, repeats, and every mismatch with its line', () => {
  const offers = new Map([
    [id(1), offer('INV1', 123456n, ['0100000002', '0100000001'])],
    [id(2), offer('INV2', 500n, ['0200000001'])],
    [id(3), offer('INV3', 700n, ['0300000001'], 'accepted')],
    [id(4), offer('INV4', 800n, ['0400000001'], 'refused')],
    [id(5), offer('INV5', 900n, ['0500000001'], 'disputed')],
    [id(6), offer('INV6', 900n, ['0600000001'], 'superseded')],
    [id(7), offer('INV7', 100n, ['0700000001'])],
  ]);
  const match = matchDeclarations(
    [
      row(2, id(1), 'INV1', '0100000001', 123456n, 'accept'),
      row(3, id(2), 'INV2', '0200000001', 500n, 'refuse'),
      row(4, id(3), 'INV3', '0300000001', 700n, 'accept'),
      row(5, id(4), 'INV4', '0400000001', 800n, 'refuse'),
      row(6, id(99), 'INV1', '0100000001', 123456n, 'accept'),
      row(7, id(1), 'INV2', '0100000001', 123456n, 'accept'),
      row(8, id(1), 'INV1', '0200000001', 123456n, 'accept'),
      row(9, id(1), 'INV1', '0100000002', 123456n, 'accept'),
      row(10, id(1), 'INV1', '0100000001', 123400n, 'accept'),
      row(11, id(1), 'INV1', '0100000001', 123456n, 'accept'),
      row(12, id(1), 'INV1', '0100000001', 123456n, 'refuse'),
      row(13, id(3), 'INV3', '0300000001', 700n, 'refuse'),
      row(14, id(4), 'INV4', '0400000001', 800n, 'accept'),
      row(15, id(5), 'INV5', '0500000001', 900n, 'accept'),
      row(16, id(6), 'INV6', '0600000001', 900n, 'refuse'),
      row(17, id(7), 'INV7', '0700000001', 10000n, 'accept'),
    ],
    offers,
  );
  assert.deepEqual(lines(match), {
    accepted: [2],
    refused: [3],
    repeats: [4, 5, 11],
    errors: [
      [6, 'unknown-offer'],
      [7, 'investor-mismatch'],
      [8, 'account-not-investors'],
      [9, 'account-not-credited'],
      [10, 'units-mismatch'],
      [12, 'contradicts-earlier-line'],
      [13, 'contradicts-earlier-line'],
      [14, 'contradicts-earlier-line'],
      [15, 'under-review'],
      [16, 'superseded'],
      [17, 'units-mismatch'],
    ],
  });
  const reason = (line: number) => match.errors.find((error) => error.line === line)!.reason;
  assert.deepEqual(reason(9), {
    zh: `要约 ${id(1)} 的份额登记在证券账户 0100000001 上，不在 0100000002 上`,
    en: `the units of offer ${id(1)} are on securities account 0100000001, not on 0100000002`,
  });
  assert.deepEqual(reason(10), { zh: '申报份额 1234.00 与要约份额 1234.56 不符', en: '1234.00 units declared where the offer is 1234.56 units' });
  assert.equal(reason(12).en, 'contradicts the declaration for the same offer on line 2');
  assert.equal(reason(13).en, 'contradicts the declaration for the same offer on line 4');
  assert.equal(reason(17).en, '100.00 units declared where the offer is 1.00 units');
});

test('a declaration against an answer recorded before the file is refused as already answered', () => {
  const offers = new Map([[id(1), offer('INV1', 100n, ['A1'], 'accepted')], [id(2), offer('INV2', 100n, ['A2'], 'refused')]]);
  const match = matchDeclarations([row(2, id(1), 'INV1', 'A1', 100n, 'refuse'), row(3, id(2), 'INV2', 'A2', 100n, 'accept'), row(4, id(1), 'INV1', 'A1', 100n, 'accept')], offers);
  assert.deepEqual(lines(match), { accepted: [], refused: [], repeats: [4], errors: [[2, 'already-answered'], [3, 'already-answered']] });
  assert.deepEqual(match.errors[0]!.reason, { zh: `要约 ${id(1)} 已接受，不能改为拒绝`, en: `offer ${id(1)} is accepted already and cannot be refused` });
  assert.deepEqual(match.errors[1]!.reason, { zh: `要约 ${id(2)} 已拒绝，不能改为接受`, en: `offer ${id(2)} is refused already and cannot be accepted` });
});

/** Records the matched answers as the store would: the offers' statuses change, nothing else. */
function recorded(offers: Map<string, OfferForDeclarations>, match: DeclarationMatch): Map<string, OfferForDeclarations> {
  const next = new Map(offers);
  for (const r of match.accepted) next.set(r.offerId, { ...next.get(r.offerId)!, status: 'accepted' });
  for (const r of match.refused) next.set(r.offerId, { ...next.get(r.offerId)!, status: 'refused' });
  return next;
}

test('importing the same file twice changes nothing the second time and reports the same errors', () => {
  const offers = new Map([
    [id(1), offer('INV1', 100n, ['A1'])],
    [id(2), offer('INV2', 200n, ['A2'])],
    [id(3), offer('INV3', 300n, ['A3'])],
  ]);
  const text =
    `${HEADER}\n` +
    `${id(1)},INV1,A1,1.00,accept,2027-01-05,\n` +
    `${id(2)},INV2,A2,2.00,refuse,2027-01-05,\n` +
    `${id(1)},INV1,A1,1.00,accept,2027-01-06,\n` +
    `${id(3)},INV3,A3,3.00,accept,2027-01-05,\n` +
    `${id(3)},INV3,A3,3.00,refuse,2027-01-06,\n` +
    `${id(9)},INV9,A9,9.00,accept,2027-01-05,\n` +
    `not a row\n`;
  const parsed = parseExchangeDeclarations(text, 'f');
  assert.deepEqual(codes(parsed.errors), [[8, 'field-count']]);
  const first = matchDeclarations(parsed.rows, offers);
  assert.deepEqual(lines(first), { accepted: [2, 5], refused: [3], repeats: [4], errors: [[6, 'contradicts-earlier-line'], [7, 'unknown-offer']] });
  const second = matchDeclarations(parseExchangeDeclarations(text, 'f').rows, recorded(offers, first));
  assert.deepEqual(lines(second), { accepted: [], refused: [], repeats: [2, 3, 4, 5], errors: [[6, 'contradicts-earlier-line'], [7, 'unknown-offer']] });
  assert.deepEqual(second.errors, first.errors);
});

// ——— Properties ———

/** Any text a field may hold: commas, quotes and CJK included, no line breaks or control characters. */
const fieldText = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ',', '"', ' ', '证', '券', '\u{20000}'), minLength: 1, maxLength: 8 });
const declarationRow = fc.record(
  {
    offerId: fc.nat({ max: 50 }).map(id),
    investor: fieldText,
    account: fieldText,
    unitsFen: fc.bigInt({ min: 1n, max: 10n ** 17n - 1n }),
    declaration: fc.constantFrom('accept' as const, 'refuse' as const),
    declaredOn: fc.integer({ min: 18_000, max: 30_000 }).map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10)),
    broker: fieldText,
  },
  { requiredKeys: ['offerId', 'investor', 'account', 'unitsFen', 'declaration', 'declaredOn'] },
);

test('property: a well-formed file round-trips, as text or bytes, with LF or CRLF', () => {
  fc.assert(
    fc.property(fc.array(declarationRow, { maxLength: 20 }), fc.boolean(), fc.boolean(), (rows, crlf, bom) => {
      let text = exchangeDeclarationsCsv(rows);
      if (crlf) text = text.replaceAll('\n', '\r\n');
      if (bom) text = `\uFEFF${text}`;
      const expected = rows.map((r, index) => ({ line: index + 2, ...r }));
      const fromText = parseExchangeDeclarations(text, 'f');
      assert.deepEqual(fromText.errors, []);
      assert.deepEqual(fromText.rows, expected);
      assert.deepEqual(parseExchangeDeclarations(Buffer.from(text, 'utf8'), 'f').rows, expected);
    }),
  );
});

/** Lines that may or may not be well-formed rows. */
const anyLine = fc.oneof(
  declarationRow.map((r) => exchangeDeclarationsCsv([r]).split('\n')[1]!),
  fc.string({ unit: fc.constantFrom('a', ',', '"', '1', '.', '-', 'e', ' ', '\r', '\uFEFF', '证'), maxLength: 30 }),
  fc.tuple(fc.nat({ max: 9 }), fc.constantFrom('accept', 'refuse', 'x'), fc.constantFrom('1', '0', '1.234', '12.5'), fc.constantFrom('2027-01-05', '2027-13-01', '')).map(
    ([n, declaration, units, date]) => `${id(n)},INV${n},A${n},${units},${declaration},${date},`,
  ),
);

test('property: every line after the header is exactly one row or one error, in line order', () => {
  fc.assert(
    fc.property(fc.array(anyLine, { maxLength: 30 }), fc.boolean(), (body, finalNewline) => {
      const text = [HEADER, ...body].join('\n') + (finalNewline ? '\n' : '');
      const parsed = parseExchangeDeclarations(text, 'f');
      const seen = [...parsed.rows.map((r) => r.line), ...parsed.errors.map((e) => e.line)].sort((a, b) => a - b);
      // Without a final newline, an empty last line is no line at all.
      const count = !finalNewline && body.at(-1) === '' ? body.length - 1 : body.length;
      assert.deepEqual(seen, Array.from({ length: count }, (_, index) => index + 2));
      for (const list of [parsed.rows, parsed.errors]) assert.deepEqual(list.map((x) => x.line), [...list.map((x) => x.line)].sort((a, b) => a - b));
    }),
  );
});

const offersArbitrary = fc.array(
  fc.record({
    n: fc.nat({ max: 12 }),
    amountFen: fc.constantFrom(100n, 200n),
    accounts: fc.subarray(['A1', 'A2', 'B1']),
    status: fc.constantFrom<OfferStatus>('offered', 'offered', 'accepted', 'refused', 'disputed', 'superseded'),
  }),
  { maxLength: 10 },
).map((list) => new Map(list.map((o) => [id(o.n), offer(`INV${o.n % 6}`, o.amountFen, o.accounts, o.status)])));
const matchRows = fc.array(
  fc.record({ n: fc.nat({ max: 12 }), i: fc.nat({ max: 6 }), account: fc.constantFrom('A1', 'A2', 'B1'), unitsFen: fc.constantFrom(100n, 200n), declaration: fc.constantFrom('accept' as const, 'refuse' as const) }),
  { maxLength: 25 },
).map((list) => list.map((r, index) => row(index + 2, id(r.n), `INV${r.i}`, r.account, r.unitsFen, r.declaration)));

test('property: every row lands in exactly one outcome, and a second import answers nothing new', () => {
  fc.assert(
    fc.property(offersArbitrary, matchRows, (offers, rows) => {
      const first = matchDeclarations(rows, offers);
      const outcome = [...first.accepted, ...first.refused, ...first.repeats].map((r) => r.line).concat(first.errors.map((e) => e.line));
      assert.deepEqual(outcome.sort((a, b) => a - b), rows.map((r) => r.line));
      // At most one first answer per offer, and only for an offer that was open.
      const answered = [...first.accepted, ...first.refused].map((r) => r.offerId);
      assert.equal(new Set(answered).size, answered.length);
      for (const offerId of answered) assert.equal(offers.get(offerId)!.status, 'offered');
      const second = matchDeclarations(rows, recorded(offers, first));
      assert.deepEqual(second.accepted, []);
      assert.deepEqual(second.refused, []);
      assert.deepEqual(second.errors, first.errors);
      assert.deepEqual(second.repeats.map((r) => r.line), [...first.accepted, ...first.refused, ...first.repeats].map((r) => r.line).sort((a, b) => a - b));
    }),
  );
});
