import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticCase, type SyntheticCaseSummary } from './synthetic-case.ts';
import { runDemoData } from '../cli/demo-data.ts';
import { isWeekend } from '../domain/market/calendar-date.ts';

const N = 200;
let root: string;
let dirA: string;
let summaryA: SyntheticCaseSummary;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'redress-demo-'));
  dirA = join(root, 'a');
  summaryA = await writeSyntheticCase({ investors: N, seed: 42, outDir: dirA });
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

// ---- helpers

async function csv(dir: string, name: string): Promise<{ header: string; rows: string[][] }> {
  const text = await readFile(join(dir, name), 'utf8');
  assert.ok(text.endsWith('\n'), `${name} ends with a newline`);
  const lines = text.slice(0, -1).split('\n');
  return { header: lines[0]!, rows: lines.slice(1).map((l) => l.split(',')) };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const POSITIVE_INT = /^[1-9][0-9]*$/;
const PRICE_2 = /^(0|[1-9][0-9]*)\.[0-9]{2}$/;

function isRealDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}


/** "12.34" → 1234 */
function fen(s: string): number {
  const [a, b] = s.split('.');
  return Number(a) * 100 + Number(b);
}

/** seconds after midnight of a timed trade, -1 for a date-only one */
function secondOf(time: string): number {
  const m = DATETIME.exec(time);
  return m ? Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) : -1;
}

function inTradingHours(sec: number): boolean {
  return (sec >= 9.5 * 3600 && sec <= 11.5 * 3600) || (sec >= 13 * 3600 && sec <= 15 * 3600);
}

// ---- tests

test('the same seed gives byte-identical files', async () => {
  const dirB = join(root, 'same');
  await writeSyntheticCase({ investors: N, seed: 42, outDir: dirB });
  const names = (await readdir(dirA)).sort();
  assert.deepEqual(names, (await readdir(dirB)).sort());
  assert.deepEqual(names, ['README.md', 'actions.csv', 'holdings.csv', 'index.csv', 'market.csv', 'plan.json', 'trades.csv']);
  for (const name of names) {
    assert.ok((await readFile(join(dirA, name))).equals(await readFile(join(dirB, name))), `${name} differs`);
  }
});

test('a different seed gives different trades', async () => {
  const dirC = join(root, 'other');
  await writeSyntheticCase({ investors: N, seed: 43, outDir: dirC });
  const a = await readFile(join(dirA, 'trades.csv'), 'utf8');
  const c = await readFile(join(dirC, 'trades.csv'), 'utf8');
  assert.notEqual(a, c);
  assert.notEqual(await readFile(join(dirA, 'market.csv'), 'utf8'), await readFile(join(dirC, 'market.csv'), 'utf8'));
});

test('the summary lists the files with their row counts', async () => {
  const byName = new Map(summaryA.files.map((f) => [f.name, f]));
  for (const name of ['trades.csv', 'holdings.csv', 'market.csv', 'index.csv', 'actions.csv']) {
    const { rows } = await csv(dirA, name);
    assert.equal(byName.get(name)?.rows, rows.length, name);
  }
  assert.ok(byName.has('plan.json') && byName.has('README.md'));
  assert.equal(summaryA.rows.trades, byName.get('trades.csv')?.rows);
});

test('plan.json is valid, uses only spec keys, and has decimals as strings', async () => {
  const plan = JSON.parse(await readFile(join(dirA, 'plan.json'), 'utf8')) as Record<string, unknown>;
  const allowed = new Set([
    'security', 'ruleSet', 'direction', 'implementationDate', 'disclosureDate', 'baseDate', 'basePrice',
    'basePriceDecimals', 'averagePrice', 'postDisclosureSales', 'riskDeduction', 'fees', 'interest', 'exclusions',
  ]);
  for (const key of Object.keys(plan)) assert.ok(allowed.has(key), `unknown plan key ${key}`);
  const walk = (v: unknown, path: string): void => {
    assert.notEqual(typeof v, 'number', `${path} is a JSON number`);
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(plan, 'plan');
  assert.deepEqual(Object.keys(plan.security as object).sort(), ['code', 'exchange', 'name']);
  assert.equal(plan.ruleSet, 'SPC2022');
  assert.equal(plan.direction, 'inflated');
  assert.equal(plan.averagePrice, 'moving-weighted-average');
  assert.equal(plan.postDisclosureSales, 'fifo');
  assert.deepEqual(plan.riskDeduction, { method: 'index-comparison', indices: ['000001.SH', '801150.SI'] });
  assert.deepEqual(plan.fees, { commissionRate: '0.0003', stampDutyRate: '0.001' });
  assert.ok(isRealDate(plan.implementationDate as string));
  assert.ok(isRealDate(plan.disclosureDate as string));
  const exclusions = plan.exclusions as string[];
  assert.equal(exclusions.length, 2);
  const { rows } = await csv(dirA, 'trades.csv');
  const traders = new Set(rows.map((r) => r[0]));
  for (const id of exclusions) assert.ok(traders.has(id), `excluded ${id} trades`);
});

test('market.csv: one row per trading day, no weekends, 2-decimal closes, integer volume and float', async () => {
  const { header, rows } = await csv(dirA, 'market.csv');
  assert.equal(header, 'date,close,volume,float');
  assert.ok(rows.length >= 350 && rows.length <= 500, `~1.5–2 years (${rows.length} days)`);
  let prev = '';
  for (const r of rows) {
    assert.equal(r.length, 4);
    const [date, close, volume, float] = r as [string, string, string, string];
    assert.ok(isRealDate(date), date);
    assert.ok(!isWeekend(date), `${date} is a weekend`);
    assert.ok(date > prev, `${date} after ${prev}`);
    prev = date;
    assert.match(close, PRICE_2);
    assert.match(volume, POSITIVE_INT);
    assert.match(float, POSITIVE_INT);
  }
  // ±10% daily limit (main board) from the previous close, or from the ex-rights price on the bonus date
  for (let k = 1; k < rows.length; k++) {
    const [date, close] = rows[k] as [string, string];
    let ref = fen(rows[k - 1]![1]!);
    if (date === summaryA.dates.bonusDate) ref = Math.floor((ref * 10 + 6) / 13);
    const c = fen(close);
    assert.ok(c >= Math.floor((ref * 9 + 5) / 10) && c <= Math.floor((ref * 11 + 5) / 10), `${date} outside the limits`);
  }
  const floats = new Set(rows.map((r) => r[3]));
  assert.ok(floats.size >= 2 && floats.size <= 3, 'float steps at the lock-up expiry and the bonus');
});

test('index.csv: both indices on every exchange day, the stock’s suspension days included', async () => {
  const { header, rows } = await csv(dirA, 'index.csv');
  assert.equal(header, 'date,index,close');
  const byIndex = new Map<string, string[]>();
  for (const r of rows) {
    assert.equal(r.length, 3);
    const [date, index, close] = r as [string, string, string];
    assert.ok(isRealDate(date) && !isWeekend(date), date);
    assert.match(close, /^[1-9][0-9]*\.[0-9]{2,4}$/);
    assert.ok(Number(close) > 1000 && Number(close) < 10000);
    const list = byIndex.get(index) ?? [];
    list.push(date);
    byIndex.set(index, list);
  }
  assert.deepEqual([...byIndex.keys()], ['000001.SH', '801150.SI']);
  const [a, b] = [...byIndex.values()] as [string[], string[]];
  assert.deepEqual(a, b);
  for (let k = 1; k < a.length; k++) assert.ok(a[k]! > a[k - 1]!);
  const market = (await csv(dirA, 'market.csv')).rows.map((r) => r[0]!);
  const indexDays = new Set(a);
  for (const d of market) assert.ok(indexDays.has(d), `index close on ${d}`);
  const suspended = a.filter((d) => !market.includes(d));
  assert.equal(suspended.length, 3, 'one 3-day suspension of the stock');
  assert.deepEqual(suspended, summaryA.dates.suspension);
  assert.ok(suspended.every((d) => d < summaryA.dates.disclosureDate && d > summaryA.dates.implementationDate));
});

test('key dates: trading implementation date, weekend disclosure, ≥ 40 trading days after it', async () => {
  const plan = JSON.parse(await readFile(join(dirA, 'plan.json'), 'utf8')) as Record<string, string>;
  const market = (await csv(dirA, 'market.csv')).rows.map((r) => r[0]!);
  const impl = plan.implementationDate!;
  const disc = plan.disclosureDate!;
  assert.ok(market.includes(impl), 'implementation date is a trading day');
  assert.ok(isWeekend(disc), 'disclosure date is a Saturday or Sunday');
  assert.ok(disc > market[0]! && disc < market.at(-1)!);
  const implIdx = market.indexOf(impl);
  assert.ok(implIdx > 120 && implIdx < 220, '~8 months of data before the implementation date');
  const after = market.filter((d) => d >= disc);
  assert.ok(after.length >= 40, `${after.length} trading days after disclosure`);
  assert.equal(after[0], summaryA.dates.day1);
  const window = market.filter((d) => d >= impl && d < disc).length;
  assert.ok(window > 90 && window < 150, `~6 months window (${window} trading days)`);
});

test('the running volume from day 1 reaches the float between trading days 12 and 25', async () => {
  const rows = (await csv(dirA, 'market.csv')).rows;
  const disc = summaryA.dates.disclosureDate;
  const post = rows.filter((r) => r[0]! >= disc);
  const float1 = Number(post[0]![3]);
  let sum = 0;
  let n = 0;
  for (let k = 0; k < 30 && n === 0; k++) {
    sum += Number(post[k]![2]);
    if (sum >= float1) n = k + 1;
  }
  assert.ok(n >= 12 && n <= 25, `reached on day ${n}`);
  assert.equal(n, summaryA.floatReachedOnDay);
  assert.equal(post[n - 1]![0], summaryA.dates.baseDate);
  // the story: limit-down right after disclosure, the indices fall much less
  const pre = fen(rows[rows.indexOf(post[0]!) - 1]![1]!);
  assert.equal(fen(post[0]![1]!), Math.floor((pre * 9 + 5) / 10), 'day 1 closes limit-down');
});

test('actions.csv: one bonus action on a trading day inside the window', async () => {
  const { header, rows } = await csv(dirA, 'actions.csv');
  assert.equal(header, 'date,ratio');
  assert.equal(rows.length, 1);
  const [date, ratio] = rows[0] as [string, string];
  assert.equal(ratio, '0.3');
  const market = (await csv(dirA, 'market.csv')).rows.map((r) => r[0]!);
  assert.ok(market.includes(date));
  assert.ok(date > summaryA.dates.implementationDate && date < summaryA.dates.disclosureDate);
});

test('trades.csv: valid rows on trading days, in time order, prices within ±2% of the close', async () => {
  const { header, rows } = await csv(dirA, 'trades.csv');
  assert.equal(header, 'investor,account,time,side,quantity,price');
  const market = new Map((await csv(dirA, 'market.csv')).rows.map((r) => [r[0]!, fen(r[1]!)]));
  const idWidth = Math.max(7, String(N).length);
  const invId = new RegExp(`^INV[0-9]{${idWidth}}$`);
  let prevKey = '';
  let dateOnly = 0;
  let oddLots = 0;
  for (const r of rows) {
    assert.equal(r.length, 6, r.join(','));
    const [investor, account, time, side, quantity, price] = r as [string, string, string, string, string, string];
    assert.ok(invId.test(investor) || /^产品-[0-9]{4}$/.test(investor), investor);
    assert.match(account, /^0[18][0-9]{8}$/);
    const date = time.slice(0, 10);
    assert.ok(isRealDate(date), time);
    assert.ok(time.length === 10 || DATETIME.test(time), time);
    const sec = secondOf(time);
    if (sec < 0) dateOnly++;
    else assert.ok(inTradingHours(sec), `${time} outside trading hours`);
    assert.ok(side === 'B' || side === 'S', side);
    assert.match(quantity, POSITIVE_INT);
    if (Number(quantity) % 100 !== 0) {
      oddLots++;
      assert.equal(side, 'S', 'only sales can be odd lots');
      assert.ok(date >= summaryA.dates.bonusDate, 'odd lots only after the bonus action');
    }
    assert.match(price, PRICE_2);
    const close = market.get(date);
    assert.ok(close !== undefined, `trade on ${date}, not a trading day of the stock`);
    assert.ok(Math.abs(fen(price) - close) * 100 <= 2 * close, `${price} vs close ${close} on ${date}`);
    // sorted by date, date-only first, then time, then account
    const key = `${date}|${String(sec + 1).padStart(5, '0')}|${account}`;
    assert.ok(key > prevKey, `order: ${key} after ${prevKey}`);
    prevKey = key;
  }
  assert.ok(dateOnly > 0, 'some date-only times');
  assert.ok(oddLots > 0, 'some odd-lot sales after the bonus');
  const perInvestor = rows.length / new Set(rows.map((r) => r[0])).size;
  assert.ok(perInvestor > 6 && perInvestor < 15, `about 10 trades per investor (${perInvestor})`);
});

test('trades cover before, in the window, day 1 after the weekend disclosure and later', async () => {
  const { rows } = await csv(dirA, 'trades.csv');
  const { implementationDate: impl, disclosureDate: disc, day1 } = summaryA.dates;
  const buys = rows.filter((r) => r[3] === 'B').map((r) => r[2]!.slice(0, 10));
  assert.ok(buys.some((d) => d < impl), 'buys before the implementation date');
  assert.ok(buys.some((d) => d >= impl && d < disc), 'buys in the window');
  // the disclosure date is a Saturday: no trade can be on it; "on the disclosure date" is day 1
  assert.ok(!rows.some((r) => r[2]!.startsWith(disc)));
  assert.ok(buys.some((d) => d === day1), 'buys on day 1');
  assert.ok(buys.some((d) => d > day1), 'buys after day 1');
  const sales = rows.filter((r) => r[3] === 'S').map((r) => r[2]!.slice(0, 10));
  assert.ok(sales.some((d) => d >= impl && d < disc), 'sales before disclosure');
  assert.ok(sales.some((d) => d >= day1 && d <= summaryA.dates.baseDate), 'sales up to the base date');
  assert.ok(sales.some((d) => d > summaryA.dates.baseDate), 'sales after the base date');
});

test('investors: ids, products, merged accounts, holdings share', async () => {
  const trades = (await csv(dirA, 'trades.csv')).rows;
  const { header, rows: holdings } = await csv(dirA, 'holdings.csv');
  assert.equal(header, 'investor,account,quantity');
  for (const r of holdings) {
    assert.equal(r.length, 3);
    assert.match(r[2]!, POSITIVE_INT);
  }
  const accounts = new Map<string, Set<string>>();
  for (const r of [...trades, ...holdings]) {
    const set = accounts.get(r[0]!) ?? new Set<string>();
    set.add(r[1]!);
    accounts.set(r[0]!, set);
  }
  const owner = new Map<string, string>();
  for (const [inv, set] of accounts) {
    for (const a of set) {
      assert.ok(!owner.has(a) || owner.get(a) === inv, `account ${a} of two investors`);
      owner.set(a, inv);
    }
  }
  assert.ok([...accounts.values()].some((s) => s.size === 2), 'some investors with two accounts');
  assert.ok([...accounts.keys()].some((id) => id.startsWith('产品-')), 'some investment products');
  const holders = new Set(holdings.map((r) => r[0]));
  const share = holders.size / N;
  assert.ok(share > 0.03 && share < 0.16, `~8% with holdings (${share})`);
  assert.equal(holders.size, summaryA.holdingsInvestors);
});

test('no investor ever sells more than it holds (holdings, prior trades, bonus applied)', async () => {
  const trades = (await csv(dirA, 'trades.csv')).rows;
  const holdings = (await csv(dirA, 'holdings.csv')).rows;
  const [bonusDate, ratio] = (await csv(dirA, 'actions.csv')).rows[0] as [string, string];
  // ratio "0.3" → shares × (den + num) / den, tracked in units of 1/den share to stay integer
  const decimals = ratio.split('.')[1]!.length;
  const den = 10 ** decimals;
  const num = Number(ratio.replace('.', ''));
  const impl = summaryA.dates.implementationDate;
  const start = new Map<string, number>();
  for (const [inv, , q] of holdings as [string, string, string][]) start.set(inv, (start.get(inv) ?? 0) + Number(q));
  const byInvestor = new Map<string, { date: string; sec: number; side: string; q: number }[]>();
  for (const [inv, , time, side, q] of trades as [string, string, string, string, string, string][]) {
    const list = byInvestor.get(inv) ?? [];
    list.push({ date: time.slice(0, 10), sec: secondOf(time), side, q: Number(q) });
    byInvestor.set(inv, list);
  }
  let checkedSales = 0;
  for (const [inv, list] of byInvestor) {
    // engine order: by time, a date-only time before the timed ones of its date, ties in file order
    const sorted = list
      .map((t, k) => ({ ...t, k }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.sec - b.sec || a.k - b.k));
    if (start.has(inv)) assert.ok(sorted.every((t) => t.date >= impl), `${inv}: holdings and pre-window trades`);
    let held = (start.get(inv) ?? 0) * den; // in 1/den shares
    let bonusDone = false;
    for (const t of sorted) {
      if (!bonusDone && t.date >= bonusDate) {
        held = (held * (den + num)) / den;
        bonusDone = true;
      }
      if (t.side === 'B') held += t.q * den;
      else {
        held -= t.q * den;
        checkedSales++;
        assert.ok(held >= 0, `${inv} sells more than it holds on ${t.date}`);
      }
    }
  }
  assert.ok(checkedSales > 100);
});

test('README.md names the case and the exact compute command', async () => {
  const text = await readFile(join(dirA, 'README.md'), 'utf8');
  assert.ok(
    text.includes(
      'redress compute --plan plan.json --trades trades.csv --holdings holdings.csv --market market.csv ' +
        '--index index.csv --actions actions.csv --out out',
    ),
  );
  assert.ok(text.includes(summaryA.dates.disclosureDate) && text.includes(summaryA.dates.baseDate));
  assert.ok(text.includes(String(summaryA.rows.trades)));
});

test('malformed: true adds a few invalid rows; the default is clean', async () => {
  const dirM = join(root, 'malformed');
  const s = await writeSyntheticCase({ investors: N, seed: 42, outDir: dirM, malformed: true });
  assert.equal(s.malformedRows, 6);
  const clean = (await readFile(join(dirA, 'trades.csv'), 'utf8')).split('\n');
  const dirty = (await readFile(join(dirM, 'trades.csv'), 'utf8')).split('\n');
  assert.equal(clean.length, dirty.length);
  const changed = dirty.filter((l, k) => l !== clean[k]);
  assert.equal(changed.length, 6);
  const valid = (l: string): boolean => {
    const f = l.split(',');
    return (
      f.length === 6 && isRealDate(f[2]!.slice(0, 10)) && (f[3] === 'B' || f[3] === 'S') &&
      POSITIVE_INT.test(f[4]!) && PRICE_2.test(f[5]!)
    );
  };
  for (const l of changed) assert.ok(!valid(l), `still valid: ${l}`);
  assert.equal(summaryA.malformedRows, 0);
});

test('row count grows about linearly with the number of investors', async () => {
  const s = await writeSyntheticCase({ investors: 10 * N, seed: 42, outDir: join(root, 'big') });
  const ratio = s.rows.trades / summaryA.rows.trades;
  // heavy-tailed trade counts make 200 investors a noisy sample: a factor of 2 either way is "linear"
  assert.ok(ratio > 5 && ratio < 20, `10× investors → ${ratio}× trades`);
  assert.equal(s.rows.market, summaryA.rows.market);
  assert.equal(s.dates.baseDate, summaryA.dates.baseDate, 'market data do not depend on the investor count');
});

test('runDemoData: bad flags exit 2 with one line on stderr', async () => {
  const writes: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    assert.equal(await runDemoData([]), 2);
    assert.equal(await runDemoData(['--out', join(root, 'x'), '--investors', 'ten']), 2);
    assert.equal(await runDemoData(['--out', join(root, 'x'), '--seed', '1.5']), 2);
    assert.equal(await runDemoData(['--out', join(root, 'x'), '--nope']), 2);
  } finally {
    process.stderr.write = original;
  }
  assert.equal(writes.length, 4);
  for (const w of writes) assert.equal(w.trimEnd().split('\n').length, 1, w);
  assert.match(writes[0]!, /--out/);
  assert.match(writes[1]!, /--investors/);
});

test('the bundled demo case is exactly what the generator writes for 2,000 investors and seed 2026', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'redress-demo-case-'));
  try {
    await writeSyntheticCase({ investors: 2000, seed: 2026, outDir: dir });
    const bundled = new URL('../../examples/demo-case/', import.meta.url);
    for (const name of ['plan.json', 'market.csv', 'index.csv', 'trades.csv', 'holdings.csv', 'actions.csv']) {
      assert.equal(await readFile(join(dir, name), 'utf8'), await readFile(new URL(name, bundled), 'utf8'), name);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
