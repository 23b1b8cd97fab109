import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import { runScanTask, type ScanTask } from './scan-task.ts';

/**
 * The one-pass parser of plain trades rows is a shortcut, not a second set of rules: a scan with
 * it must spill exactly the bytes that the general scan spills without it, for any rows.
 */

const COLUMNS = ['investor', 'account', 'time', 'side', 'quantity', 'price'];

const digits = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((chars) => chars.join(''));
const text = (alphabet: string[], max: number) => fc.array(fc.constantFrom(...alphabet), { maxLength: max }).map((chars) => chars.join(''));
const two = (n: number) => String(n).padStart(2, '0');

/** Field values that are mostly plain, with the near misses a row may hold. */
const fieldOf: Record<string, fc.Arbitrary<string>> = {
  investor: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 60 }).map((n) => `INV${String(n).padStart(7, '0')}`) },
    { weight: 1, arbitrary: text(['I', 'N', 'V', '0', '9', ' ', '~', '\u007f', '"', '产', '\t', 'é'], 12) },
    // The longest investor a trade record holds, and one byte more.
    { weight: 1, arbitrary: fc.constantFrom(`INV${'0'.repeat(252)}`, `INV${'0'.repeat(253)}`) },
  ),
  account: fc.oneof(
    { weight: 6, arbitrary: digits(0, 12) },
    { weight: 1, arbitrary: text(['0', 'A', ' ', '"', '\r', '品', '\u0001'], 6) },
    { weight: 1, arbitrary: fc.constantFrom('7'.repeat(255), '7'.repeat(256)) },
  ),
  time: fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 2019, max: 2024 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
      .map(([y, m, d, h, mi, s]) => `${y}-${two(m)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}`) },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 990, max: 2400 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${two(m)}-${two(d)}`) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 2020, max: 2021 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.constantFrom('T', ' ', 't'), fc.constantFrom(':', '.'))
      .map(([y, h, mi, t, colon]) => `${y}-02-29${t}${two(h)}${colon}${two(mi)}:00`) },
    { weight: 1, arbitrary: text(['2', '0', '-', 'T', ':', '1'], 21) },
  ),
  side: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('B', 'S') }, { weight: 1, arbitrary: fc.constantFrom('', 'b', 'BS', ' B', 'X') }),
  quantity: fc.oneof({ weight: 6, arbitrary: digits(1, 6) }, { weight: 1, arbitrary: fc.oneof(digits(0, 17), fc.constantFrom('0', '000', '-1', '1.0', ' 1', '4294967296', '4294967295')) }),
  price: fc.oneof(
    { weight: 6, arbitrary: fc.tuple(digits(1, 3), digits(0, 3)).map(([whole, fraction]) => (fraction === '' ? whole : `${whole}.${fraction}`)) },
    { weight: 1, arbitrary: fc.oneof(fc.tuple(digits(0, 14), fc.option(digits(0, 5))).map(([whole, fraction]) => (fraction === null ? whole : `${whole}.${fraction}`)), fc.constantFrom('.5', '5.', '1..0', '4294967.296', '4294967.295', '1e2')) },
  ),
  note: text(['a', ' ', '"', '\t', '品'], 4),
};

/**
 * A header: the spec's column order (whose rows have a parser of their own), or the six columns
 * in some order, sometimes with an extra one.
 */
const header = fc.oneof(
  fc.constant(COLUMNS),
  fc.tuple(fc.shuffledSubarray(COLUMNS, { minLength: 6, maxLength: 6 }), fc.boolean(), fc.nat()).map(([columns, extra, at]) =>
    extra ? [...columns.slice(0, at % 7), 'note', ...columns.slice(at % 7)] : columns,
  ),
);

/** A row of that header, with a chance of a field too many or too few, a quote, a CRLF or an empty line. */
function rowOf(columns: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.tuple(...columns.map((column) => fieldOf[column]!)), fc.constantFrom('plain', 'plain', 'plain', 'plain', 'crlf', 'extra', 'short', 'quoted', 'empty', 'cr'))
    .map(([fields, form]) => {
      switch (form) {
        case 'crlf': return `${fields.join(',')}\r\n`;
        case 'extra': return `${fields.join(',')},x\n`;
        case 'short': return `${fields.slice(1).join(',')}\n`;
        case 'quoted': return `"${fields[0]}",${fields.slice(1).join(',')}\n`;
        case 'empty': return '\n';
        case 'cr': return `${fields.join(',')}\r\r\n`;
        default: return `${fields.join(',')}\n`;
      }
    });
}

const caseOf = header.chain((columns) => fc.tuple(fc.constant(columns), fc.array(rowOf(columns), { minLength: 1, maxLength: 60 }), fc.constantFrom('\n', '', '\r')));

async function spillOf(path: string, columns: string[], size: number, plainRows: boolean): Promise<{ lines: number; partitions: Buffer[] }> {
  const task: ScanTask = {
    task: 0, kind: 'trades', path, file: 'trades.csv', range: { start: 0, end: size }, startsWithHeader: true, header: columns, encoding: 'utf-8',
    boundaries: ['INV0000020', 'INV0000040'], workDir: '', spillToMemory: true, spillBufferBytes: 200, plainRows,
  };
  const result = await runScanTask(task);
  return { lines: result.lines, partitions: result.chunks!.map((chunks) => Buffer.concat(chunks)) };
}

test('the one-pass parser of plain rows spills the same bytes as the general scan, for any rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-scan-'));
  try {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(caseOf, async ([columns, rows, end]) => {
        const content = `${columns.join(',')}\n${rows.join('').replace(/\n$/, end)}`;
        const path = join(dir, `trades-${file++}.csv`);
        writeFileSync(path, content);
        const size = Buffer.byteLength(content);
        assert.deepEqual(await spillOf(path, columns, size, true), await spillOf(path, columns, size, false), content);
        rmSync(path);
      }),
      { numRuns: 2000 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('plain rows become trade records whatever the order of the columns, with a CRLF or an extra column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-scan-'));
  try {
    const columns = ['price', 'side', 'investor', 'note', 'time', 'quantity', 'account'];
    const content = `${columns.join(',')}\n12.5,B,INV0000001,,2021-03-01T09:30:00,100,A1\r\n0.001,S,INV0000030,n,2021-03-02,4294967295,\n`;
    const path = join(dir, 'trades.csv');
    writeFileSync(path, content);
    const { lines, partitions } = await spillOf(path, columns, Buffer.byteLength(content), true);
    assert.equal(lines, 3);
    // Two trade records (kind 4 buy, 1 sell), in partitions 0 and 1.
    assert.equal(partitions[0]![0], 4);
    assert.equal(partitions[0]!.readUInt32LE(1), 2);
    assert.equal(partitions[0]!.subarray(6, 16).toString('latin1'), 'INV0000001');
    assert.equal(partitions[1]![0], 1);
    const numbers = partitions[1]!.length - 16;
    assert.equal(partitions[1]!.readDoubleLE(numbers), 20210302_00000);
    assert.equal(partitions[1]!.readUInt32LE(numbers + 8), 4294967295);
    assert.equal(partitions[1]!.readUInt32LE(numbers + 12), 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a trade whose investor, account or numbers exceed what a trade record holds goes to the checker as a row', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-scan-'));
  try {
    const longest = `INV${'0'.repeat(252)}`;
    const content = `${COLUMNS.join(',')}\n${longest},A1,2021-03-01,B,100,1.5\n${longest}0,A1,2021-03-01,B,100,1.5\nINV1,${'7'.repeat(256)},2021-03-01,B,100,1.5\nINV2,A1,2021-03-01,B,4294967296,1.5\nINV3,A1,2021-03-01,B,4294967295,4294967.295\n`;
    const path = join(dir, 'trades.csv');
    writeFileSync(path, content);
    for (const plainRows of [true, false]) {
      const { partitions } = await spillOf(path, COLUMNS, Buffer.byteLength(content), plainRows);
      // 255 bytes of investor: a trade record (kind 4); 256 bytes: a row (kind 2); both below INV0000020.
      const low = partitions[0]!;
      assert.equal(low[0], 4);
      assert.equal(low[5], 255);
      const second = 7 + 255 + 2 + 16;
      assert.equal(low[second], 2);
      assert.equal(low.readUInt32LE(second + 5), 256);
      assert.equal(second + 9 + 256 + 4 + low.readUInt32LE(second + 9 + 256), low.length);
      // A 256-byte account: a row too.
      const high = partitions[2]!;
      assert.equal(high[0], 2);
      assert.equal(high.subarray(9, 13).toString('latin1'), 'INV1');
      // 2^32 shares: a row; 2^32 − 1 shares at 2^32 − 1 thousandths: a trade record.
      const fourth = 9 + 4 + 4 + high.readUInt32LE(13);
      assert.equal(high[fourth], 2);
      assert.equal(high.subarray(fourth + 9, fourth + 13).toString('latin1'), 'INV2');
      const fifth = fourth + 9 + 4 + 4 + high.readUInt32LE(fourth + 13);
      assert.deepEqual([high[fifth], high.length], [4, fifth + 7 + 4 + 2 + 16]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the spill kept in memory is shared memory: another thread reads the same records, nothing copied or transferred', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-scan-'));
  try {
    const rows = Array.from({ length: 300 }, (_, i) => `INV${String(i % 60).padStart(7, '0')},A${i},2021-03-01,${i % 2 === 0 ? 'B' : 'S'},${100 + i},12.5\n`);
    const content = `${COLUMNS.join(',')}\n${rows.join('')}`;
    const path = join(dir, 'trades.csv');
    writeFileSync(path, content);
    const task: ScanTask = {
      task: 0, kind: 'trades', path, file: 'trades.csv', range: { start: 0, end: Buffer.byteLength(content) }, startsWithHeader: true, header: COLUMNS,
      encoding: 'utf-8', boundaries: ['INV0000020', 'INV0000040'], workDir: '', spillToMemory: true, spillBufferBytes: 200,
    };
    const { chunks } = await runScanTask(task);
    const all = chunks!.flat();
    // Several chunks per partition (buffers of 200 bytes), each a view of a SharedArrayBuffer.
    assert.ok(all.length > 3 * 3);
    assert.ok(all.every((chunk) => chunk.buffer instanceof SharedArrayBuffer));
    // Posted to another thread, a chunk arrives as a view of the very same memory.
    const { port1, port2 } = new MessageChannel();
    const arrived = new Promise<Uint8Array[]>((resolve) => port2.once('message', resolve));
    port1.postMessage(all);
    const received = await arrived;
    port1.close();
    port2.close();
    assert.deepEqual(received.map((chunk) => Buffer.from(chunk)), all.map((chunk) => Buffer.from(chunk)));
    received[0]![0] = 0xff;
    assert.equal(all[0]![0], 0xff);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
