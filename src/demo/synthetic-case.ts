/**
 * Deterministic synthetic case for `redress demo-data` (the bundled demo and the benchmark input).
 *
 * Everything is derived from one seeded pure-rand generator (xoroshiro128+): the same `seed` and `investors`
 * give byte-identical files on every machine. No Math.random, no clock. Floating point is used only to *pick*
 * random integers (multiplication / division of exact integers, floor); every price, index level, volume and
 * share count is an integer (fen, 1/100 or 1/1000 index point, shares) computed with integer arithmetic and
 * explicit half-up rounding, and only formatted as a decimal when written.
 *
 * The case (see the README written with it):
 * - a fictional SZSE main-board security (±10% daily limit; 688/300 codes have ±20% since 2020-08-24);
 * - the real SSE/SZSE calendar 2021-03-01 … 2022-12-30 (weekends and exchange holidays skipped) and one
 *   3-day suspension of the stock before the disclosure date (indices trade on those days);
 * - implementation date 2021-11-01, disclosure date 2022-04-30 (a Saturday before the Labour-Day closure, so
 *   day 1 is 2022-05-05), a 10送3 bonus (ratio 0.3) on 2022-01-10, a lock-up expiry raising the float;
 * - the price drifts up in the window, falls limit-down for 3–5 days after disclosure, slides, then flattens;
 *   volume is scaled so that the running volume from day 1 reaches day 1's float on day 13–22;
 * - investors: buy-and-hold through disclosure, sold before disclosure, bought only after it, active traders,
 *   two insiders excluded by the plan, a few investment products, some merged accounts, ~8% with holdings.
 *
 * Scaling: investors are simulated day by day as discrete events. Each investor is in exactly one bucket of a
 * per-day intrusive linked list (its next trading day); processing a day pops that bucket, lets each investor
 * trade (updating its small typed-array state) and reschedules it. Memory is O(investors) typed arrays plus the
 * trades of one day; rows are written as bytes into ~1 MB chunks (no row strings). Each day's trades are fully
 * sorted by (time, account) before writing, date-only times first: a time-sorted registry export. One investor's trades
 * of a day get distinct seconds and at most one date-only trade, so that the file order of its trades is the
 * order in which they were generated (and position-checked).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { join, resolve } from 'node:path';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { weekdaysBetween } from '../domain/market/calendar-date.ts';

// ---------------------------------------------------------------------------------------------------------
// Public API

export interface SyntheticCaseOptions {
  investors: number;
  seed: number;
  outDir: string;
  /** Add a few deliberately invalid trades rows (bad side, exponent price, impossible date, …). Default false. */
  malformed?: boolean;
  /**
   * Called after each simulated trading day with the number of investors whose trading is finished, and the
   * trading days simulated so far out of all (investors mostly finish late: days are the steadier measure).
   */
  onProgress?: (investorsDone: number, tradingDaysDone: number, tradingDays: number) => void;
}

export interface SyntheticCaseFile {
  /** base name inside outDir */
  name: string;
  path: string;
  /** data rows, header excluded (0 for plan.json and README.md) */
  rows: number;
  bytes: number;
}

export interface SyntheticCaseSummary {
  outDir: string;
  investors: number;
  seed: number;
  malformed: boolean;
  files: SyntheticCaseFile[];
  rows: { trades: number; holdings: number; market: number; index: number; actions: number };
  security: { code: string; name: string; exchange: string };
  dates: {
    dataStart: string;
    dataEnd: string;
    implementationDate: string;
    disclosureDate: string;
    /** first trading day on or after the disclosure date */
    day1: string;
    bonusDate: string;
    lockupExpiryDate: string;
    suspension: string[];
    /** SPC2022 base date implied by market.csv (day max(n, 10), n = day the running volume reaches the float) */
    baseDate: string;
  };
  /** trading day number n (day 1 = first trading day on/after disclosure) on which the running volume reaches the float */
  floatReachedOnDay: number;
  /** trading days in market.csv on or after the disclosure date */
  tradingDaysAfterDisclosure: number;
  accounts: number;
  mergedAccountInvestors: number;
  products: number;
  holdingsInvestors: number;
  exclusions: string[];
  malformedRows: number;
  computeCommand: string;
}

export const COMPUTE_COMMAND =
  'redress compute --plan plan.json --trades trades.csv --holdings holdings.csv --market market.csv ' +
  '--index index.csv --actions actions.csv --out out';

export const MAX_INVESTORS = 10_000_000;

// ---------------------------------------------------------------------------------------------------------
// Fixed shape of the case (dates are those of the real SSE/SZSE calendar; the seed moves everything else)

const SECURITY = { code: '003999', name: '示例科技', exchange: 'SZSE' } as const;
const DATA_START = '2021-03-01';
const DATA_END = '2022-12-30';
const IMPLEMENTATION_DATE = '2021-11-01';
const DISCLOSURE_DATE = '2022-04-30'; // Saturday; 2022-05-02..04 closed (Labour Day) → day 1 is 2022-05-05
const BONUS_DATE = '2022-01-10';
const BONUS_RATIO = '0.3'; // 10送3
const BONUS_NUM = 13; // shares after the action = shares × 13 / 10
const BONUS_DEN = 10;
const LOCKUP_DATE = '2021-09-13';
const SUSPENSION = ['2022-03-15', '2022-03-16', '2022-03-17'];
const INDEX_COMPOSITE = '000001.SH';
const INDEX_INDUSTRY = '801150.SI';
/** weekday exchange closures 2021-03 … 2022-12 */
const HOLIDAYS = new Set([
  '2021-04-05', '2021-05-03', '2021-05-04', '2021-05-05', '2021-06-14', '2021-09-20', '2021-09-21',
  '2021-10-01', '2021-10-04', '2021-10-05', '2021-10-06', '2021-10-07',
  '2022-01-03', '2022-01-31', '2022-02-01', '2022-02-02', '2022-02-03', '2022-02-04', '2022-04-04',
  '2022-04-05', '2022-05-02', '2022-05-03', '2022-05-04', '2022-06-03', '2022-09-12',
  '2022-10-03', '2022-10-04', '2022-10-05', '2022-10-06', '2022-10-07',
]);

const CHUNK_CHARS = 1 << 20;
const CHUNK_BYTES = 1 << 20;

// ---------------------------------------------------------------------------------------------------------
// Random numbers and integer arithmetic

type PureRandGenerator = ReturnType<typeof xoroshiro128plus>;

class Rng {
  private readonly gen: PureRandGenerator;

  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
    for (let k = 0; k < 64; k++) this.gen.next(); // let small seeds diverge
  }

  /** uniform integer in [0, n); the float product only picks the integer (exact for n ≤ 2^21) */
  int(n: number): number {
    return Math.floor(((this.gen.next() >>> 0) * n) / 4294967296);
  }

  /** uniform integer in [lo, hi] (lo when hi < lo) */
  between(lo: number, hi: number): number {
    return hi <= lo ? lo : lo + this.int(hi - lo + 1);
  }

  /** true with probability perMille / 1000 */
  chance(perMille: number): boolean {
    return this.int(1000) < perMille;
  }

  /** sum of three uniform integers in [-a, a]: a bell-shaped integer with s.d. ≈ a */
  bell(a: number): number {
    const w = 2 * a + 1;
    return this.int(w) + this.int(w) + this.int(w) - 3 * a;
  }

  /** heavy-tailed integer ≥ xm with P(X ≥ t) ≈ xm / t (Pareto α = 1), capped */
  pareto1(xm: number, cap: number): number {
    const u = 1 + this.int(1 << 20);
    return Math.min(cap, Math.floor((xm * (1 << 20)) / u));
  }

  /** heavy-tailed integer ≥ xm with P(X ≥ t) ≈ (xm / t)^2 (Pareto α = 2, via the max of two uniforms), capped */
  pareto2(xm: number, cap: number): number {
    const u = 1 + Math.max(this.int(1 << 20), this.int(1 << 20));
    return Math.min(cap, Math.floor((xm * (1 << 20)) / u));
  }
}

/** a / b rounded half up, for integers a ≥ 0, b > 0 (exact below 2^53) */
function divRound(a: number, b: number): number {
  const r = a % b;
  const q = (a - r) / b;
  return 2 * r >= b ? q + 1 : q;
}

/** a / b rounded half away from zero, for integers a, b > 0 */
function divRoundSigned(a: number, b: number): number {
  return a < 0 ? -divRound(-a, b) : divRound(a, b);
}

/** floor(a / b) for integers a ≥ 0, b > 0 */
function idiv(a: number, b: number): number {
  return (a - (a % b)) / b;
}

/** price in integer fen → "12.34" */
function fen(p: number): string {
  const r = p % 100;
  return `${(p - r) / 100}.${r < 10 ? '0' : ''}${r}`;
}

/** integer in units of 10^-decimals → fixed decimals */
function fixed(v: number, decimals: number): string {
  const unit = 10 ** decimals;
  const r = v % unit;
  return `${(v - r) / unit}.${String(r).padStart(decimals, '0')}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// ---------------------------------------------------------------------------------------------------------
// Calendar

/** exchange trading days in [from, to] */
function exchangeDays(from: string, to: string): string[] {
  return weekdaysBetween(from, to).filter((date) => !HOLIDAYS.has(date));
}

/** trading-hour seconds: 0..7200 = 09:30:00..11:30:00, 7201..14401 = 13:00:00..15:00:00 */
const SESSION_SECONDS = 14402;
const TIME_SUFFIX: string[] = (() => {
  const out: string[] = [];
  for (let s = 0; s < SESSION_SECONDS; s++) {
    const t = s <= 7200 ? 9 * 3600 + 30 * 60 + s : 13 * 3600 + (s - 7201);
    out.push(`T${pad(Math.floor(t / 3600), 2)}:${pad(Math.floor(t / 60) % 60, 2)}:${pad(t % 60, 2)}`);
  }
  return out;
})();

/** TIME_SUFFIX as bytes, 9 per second */
const TIME_BYTES: Uint8Array = Buffer.from(TIME_SUFFIX.join(''), 'latin1');

// ---------------------------------------------------------------------------------------------------------
// Market and indices

interface Market {
  /** exchange trading days (index.csv dates) */
  xDates: string[];
  /** stock trading days (market.csv dates) */
  dates: string[];
  close: Int32Array; // fen
  lo: Int32Array; // limit-down price of the day
  hi: Int32Array; // limit-up price of the day
  band: Int32Array; // floor(2% of close), intraday range of trade prices
  sealed: Uint8Array; // forced limit-down day after disclosure: sells rarely fill, all trades at the limit
  volume: Float64Array;
  float: Float64Array;
  composite: Float64Array; // per exchange day, 1/100 point
  industry: Float64Array; // per exchange day, 1/1000 point
  implD: number;
  day1D: number;
  bonusD: number;
  floatReachedOnDay: number;
}

function indexOfDate(dates: string[], iso: string, what: string): number {
  const k = dates.indexOf(iso);
  if (k < 0) throw new Error(`synthetic case: ${what} ${iso} is not a trading day`);
  return k;
}

/**
 * The story the demo must tell, checked exactly (integers, BigInt) on the drawn paths:
 * - the stock rises ≥ 20% in the window (bonus adjusted);
 * - its first 15 trading days from day 1 average ≤ 70% of the last close before the disclosure;
 * - both indices fall over those days, and the composite stays within 2500…4500 points;
 * - for a buyer spread evenly over the window, the index-comparison ratio k = r_m / r_s (§5, base period taken
 *   as 15 days) is within 8%…22%: a visible but minor market-risk deduction.
 */
function acceptablePaths(
  close: Int32Array, composite: Float64Array, industry: Float64Array, xOfD: Int32Array,
  implD: number, day1D: number, bonusD: number,
): boolean {
  const pre = close[day1D - 1]!;
  if (pre * BONUS_NUM * 100 < close[implD]! * BONUS_DEN * 120) return false;
  let sb = 0;
  for (let j = 0; j < 15; j++) sb += close[day1D + j]!;
  if ((15 * pre - sb) * 100 < 30 * 15 * pre) return false;
  for (const v of composite) if (v < 250_000 || v > 450_000) return false;
  // window average of the stock in post-bonus units ×13 (a close before the bonus date counts ×10)
  let sp = 0;
  for (let d = implD; d < day1D; d++) sp += close[d]! * (d < bonusD ? BONUS_DEN : BONUS_NUM);
  const nw = BigInt(day1D - implD);
  // r_s = A / (15 SP), A = 15 SP − 13 SB nw
  const SP = BigInt(sp);
  const A = 15n * SP - BigInt(BONUS_NUM) * BigInt(sb) * nw;
  if (A <= 0n) return false;
  // r_m,j = C_j / (15 SI_j), C_j = 15 SI_j − IB_j nw
  const C: bigint[] = [];
  const SI: bigint[] = [];
  for (const idx of [composite, industry]) {
    let si = 0;
    for (let d = implD; d < day1D; d++) si += idx[xOfD[d]!]!;
    let ib = 0;
    for (let j = 0; j < 15; j++) ib += idx[xOfD[day1D + j]!]!;
    if (ib >= 15 * idx[xOfD[day1D - 1]!]!) return false; // no fall after the disclosure
    SI.push(BigInt(si));
    C.push(15n * BigInt(si) - BigInt(ib) * nw);
  }
  // k = mean_j r_m,j / r_s = (C0 SI1 + C1 SI0) SP / (2 SI0 SI1 A) ∈ [8%, 22%]
  const num = (C[0]! * SI[1]! + C[1]! * SI[0]!) * SP * 100n;
  const den = 2n * SI[0]! * SI[1]! * A;
  return num >= 8n * den && num <= 22n * den;
}

function generateMarket(rng: Rng): Market {
  const xDates = exchangeDays(DATA_START, DATA_END);
  const suspended = new Set(SUSPENSION);
  const dates = xDates.filter((d) => !suspended.has(d));
  const nX = xDates.length;
  const nD = dates.length;
  const implD = indexOfDate(dates, IMPLEMENTATION_DATE, 'implementation date');
  const bonusD = indexOfDate(dates, BONUS_DATE, 'bonus date');
  const day1D = dates.findIndex((d) => d >= DISCLOSURE_DATE);
  const lockupD = indexOfDate(dates, LOCKUP_DATE, 'lock-up expiry date');
  const day1X = xDates.indexOf(dates[day1D]!);
  const implX = xDates.indexOf(IMPLEMENTATION_DATE);

  const m = new Int32Array(nX); // market factor, basis points per exchange day
  const composite = new Float64Array(nX);
  const industry = new Float64Array(nX);
  const close = new Int32Array(nD);
  const lo = new Int32Array(nD);
  const hi = new Int32Array(nD);
  const band = new Int32Array(nD);
  const sealed = new Uint8Array(nD);
  const volume = new Float64Array(nD);
  const float = new Float64Array(nD);
  const ret = new Int32Array(nD);
  const xOfD = new Int32Array(nD); // exchange-day index of each stock trading day
  let limitDownDays = 0;
  // Draw paths until they tell the story of a misstatement case (a few draws at most; deterministic, since the
  // retries consume the same seeded stream): see `acceptablePaths`.
  for (let attempt = 0; ; attempt++) {
    if (attempt === 1000) throw new Error('synthetic case: no acceptable price path');
    let c = 300_000 + rng.int(50_000); // 3000.00 … 3500.00 in 1/100
    let ind = 4_200_000 + rng.int(900_000); // 4200.000 … 5100.000 in 1/1000
    for (let x = 0; x < nX; x++) {
      let drift = 0;
      let sector = 0;
      if (x >= implX && x < day1X) {
        drift = 2;
        sector = 4;
      } else if (x >= day1X && x < day1X + 15) {
        drift = -24; // the market weakens too (see acceptablePaths)
        sector = -12;
      }
      const mx = drift + rng.bell(80);
      m[x] = mx;
      if (x > 0) {
        c = divRound(c * (10_000 + mx), 10_000);
        ind = divRound(ind * (10_000 + divRoundSigned(mx * 12, 10) + sector + rng.bell(60)), 10_000);
      }
      composite[x] = c;
      industry[x] = ind;
    }

    // the stock: close in fen with ±10% limits, ex-rights on the bonus date
    sealed.fill(0);
    limitDownDays = rng.between(3, 5);
    let floatShares = (18_000 + rng.int(24_000)) * 10_000;
    const lockupShares = idiv(floatShares * rng.between(15, 35), 100 * 10_000) * 10_000;
    let prev = 1_200 + rng.int(1_300); // 12.00 … 24.99 yuan
    let prevX = -1;
    for (let d = 0; d < nD; d++) {
      const x = xDates.indexOf(dates[d]!, prevX + 1);
      xOfD[d] = x;
      let mAcc = 0; // market moves since the last close (suspension days included)
      for (let k = prevX + 1; k <= x; k++) mAcc += m[k]!;
      const resumed = x - prevX > 1 && d > 0;
      prevX = x;
      if (d === lockupD) floatShares += lockupShares;
      if (d === bonusD) floatShares = (floatShares * BONUS_NUM) / BONUS_DEN; // multiple of 10 000: exact
      let ref = prev;
      if (d === bonusD) ref = divRound(prev * BONUS_DEN, BONUS_NUM); // 除权参考价
      const up = divRound(ref * 11, 10);
      const down = divRound(ref * 9, 10);
      let p: number;
      const j = d - day1D; // 0 on day 1
      if (d === 0) {
        p = prev;
      } else if (j >= 0 && j < limitDownDays) {
        p = down;
        sealed[d] = 1;
      } else {
        let drift = 2;
        let idio = 200;
        if (d >= implD && d < day1D) {
          drift = 30;
          idio = 170;
        } else if (j >= limitDownDays && j < limitDownDays + 10) {
          drift = -90;
          idio = 330;
        }
        if (resumed) idio = 500;
        const r = divRoundSigned(mAcc * 13, 10) + drift + rng.bell(idio);
        p = Math.min(up, Math.max(down, divRound(ref * (10_000 + r), 10_000)));
      }
      if (p < 100) p = 100;
      close[d] = p;
      lo[d] = d === 0 ? divRound(p * 9, 10) : down;
      hi[d] = d === 0 ? divRound(p * 11, 10) : up;
      band[d] = idiv(p * 2, 100);
      ret[d] = d === 0 ? 0 : divRoundSigned((p - ref) * 10_000, ref);
      float[d] = floatShares;
      prev = p;
    }
    if (acceptablePaths(close, composite, industry, xOfD, implD, day1D, bonusD)) break;
  }

  // volume: turnover in basis points of the float; days 1..T after disclosure are scaled so that the running
  // volume first reaches day 1's float on day T
  for (let d = 0; d < nD; d++) {
    let bp = d >= implD && d < day1D ? 110 + rng.int(170) : 60 + rng.int(110);
    if (d > day1D) bp = 90 + rng.int(150);
    bp += idiv(Math.abs(ret[d]!), 4);
    if (d > 0 && xDates.indexOf(dates[d]!) - xDates.indexOf(dates[d - 1]!) > 2) bp += 250; // resumption
    volume[d] = idiv(float[d]! * bp, 10_000) + rng.int(10_000);
  }
  const T = rng.between(13, 22);
  if (day1D + T + 40 > nD) throw new Error('synthetic case: too few trading days after disclosure');
  const w: number[] = [];
  let decay = 620 + rng.int(160);
  for (let j = 0; j < T; j++) {
    if (j < limitDownDays) w.push(25 + rng.int(45));
    else if (j === limitDownDays) w.push(900 + rng.int(500));
    else {
      w.push(170 + decay + rng.int(90));
      decay = idiv(decay * 82, 100);
    }
  }
  const wT = w[T - 1]!;
  const wAll = w.reduce((a, b) => a + b, 0);
  const f1 = float[day1D]!;
  const extra = idiv(f1 * wT * rng.between(150, 850), 1000 * (wAll - wT));
  const target = f1 + extra;
  let running = 0;
  for (let j = 0; j < T; j++) {
    const v = j === T - 1 ? target - running : idiv(w[j]! * target, wAll);
    volume[day1D + j] = v;
    running += v;
  }
  // check the invariant the demo promises (and tests): reached on day T, not before
  running = 0;
  let reached = 0;
  for (let j = 0; j < 30 && reached === 0; j++) {
    running += volume[day1D + j]!;
    if (running >= f1) reached = j + 1;
  }
  if (reached !== T) throw new Error(`synthetic case: float reached on day ${reached}, expected ${T}`);

  return {
    xDates, dates, close, lo, hi, band, sealed, volume, float, composite, industry,
    implD, day1D, bonusD, floatReachedOnDay: T,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Output

/** A file written through a stream in chunks; a stream error is kept and surfaced by `flush()` or `close()`. */
abstract class ChunkedFile {
  readonly path: string;
  rows = 0;
  protected readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(path: string) {
    this.path = path;
    this.stream = createWriteStream(path);
    this.stream.on('error', (err) => (this.failure ??= err));
  }

  /** The buffered chunk, leaving an empty buffer; null when nothing is buffered. */
  protected abstract takeChunk(): string | Buffer | null;

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const chunk = this.takeChunk();
    if (chunk === null) return;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<number> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
    return this.stream.bytesWritten;
  }
}

/** Buffered text writer for the small files: text is appended to a string and written in ~1 MB chunks. */
class ChunkWriter extends ChunkedFile {
  private buf = '';

  /** append text; returns true when the buffer is full and `flush()` should be awaited */
  add(text: string): boolean {
    this.buf += text;
    return this.buf.length >= CHUNK_CHARS;
  }

  row(text: string): boolean {
    this.rows++;
    this.buf += text;
    return this.buf.length >= CHUNK_CHARS;
  }

  protected takeChunk(): string | null {
    if (this.buf.length === 0) return null;
    const chunk = this.buf;
    this.buf = '';
    return chunk;
  }
}

/**
 * Byte-level CSV writer for the big files: digits and fixed strings go straight into a ~1 MB Buffer, which is
 * handed to the stream when full (a fresh one is taken, the stream keeps the old one until written). No row
 * string is made, so 10M rows cost neither string ropes nor per-row garbage.
 */
class ByteWriter extends ChunkedFile {
  private buf: Buffer = Buffer.allocUnsafe(CHUNK_BYTES + 4096);
  private pos = 0;

  /** true when the chunk is full and `flush()` should be awaited (checked once per row; a row is < 4 KB) */
  get full(): boolean {
    return this.pos >= CHUNK_BYTES;
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** text whose chars are all < 256 (ASCII, or UTF-8 bytes from `utf8Bytes`) */
  text(s: string): void {
    const b = this.buf;
    let p = this.pos;
    for (let k = 0; k < s.length; k++) b[p++] = s.charCodeAt(k);
    this.pos = p;
  }

  /** `len` bytes of `src` from `start` */
  copy(src: Uint8Array, start: number, len: number): void {
    const b = this.buf;
    let p = this.pos;
    for (let k = 0; k < len; k++) b[p++] = src[start + k]!;
    this.pos = p;
  }

  /** a non-negative integer in decimal, zero-padded to `width` digits */
  uint(v: number, width = 1): void {
    if (v > 0x7fff_ffff) {
      this.text(String(v).padStart(width, '0')); // not on the hot path: every written integer is < 2^31
      return;
    }
    let digits = 1;
    for (let t = v; t >= 10; t = (t / 10) | 0) digits++;
    if (digits < width) digits = width;
    const b = this.buf;
    let p = this.pos + digits;
    this.pos = p;
    let x = v | 0;
    for (let k = 0; k < digits; k++) {
      const q = (x / 10) | 0;
      b[--p] = 48 + x - q * 10;
      x = q;
    }
  }

  /** a price in integer fen as yuan with 2 decimals */
  fen(p: number): void {
    const q = (p / 100) | 0;
    const r = p - q * 100;
    this.uint(q);
    this.byte(46);
    this.uint(r, 2);
  }

  protected takeChunk(): Buffer | null {
    if (this.pos === 0) return null;
    const chunk = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES + 4096);
    this.pos = 0;
    return chunk;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Investors

const P_HOLDER = 0; // buy and hold through disclosure, then various post-disclosure behaviours
const P_EARLY_EXIT = 1; // bought, sold everything before disclosure
const P_LATE = 2; // bought only on or after the disclosure date
const P_TRADER = 3; // active trader, heavy-tailed number of trading days
const P_INSIDER = 4; // liable insider (excluded by the plan): big holdings, sells in the window

// stages of the per-investor state machine
const ST_BUY = 0;
const ST_SELL_ALL = 1;
const ST_SELL_PART = 2;
const ST_AVG_DOWN = 3;
const ST_SELL = 4; // early exit: sell in `left` steps before disclosure
const ST_TRADE = 5;
const ST_INSIDER_SELL = 6;

// flags
const F_TWO_ACCOUNTS = 1;
const F_DATE_ONLY = 2;
const F_PRODUCT = 4;
const F_HOLDINGS = 8;
const F_BONUS_DONE = 16;

const MALFORMED_VARIANTS = 6;

export async function writeSyntheticCase(options: SyntheticCaseOptions): Promise<SyntheticCaseSummary> {
  const N = options.investors;
  const seed = options.seed;
  if (!Number.isSafeInteger(N) || N < 1 || N > MAX_INVESTORS) {
    throw new RangeError(`investors must be a whole number from 1 to ${MAX_INVESTORS}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new RangeError('seed must be a whole number from 0 to 4294967295');
  }
  const malformed = options.malformed === true;
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const rng = new Rng(seed);
  const mk = generateMarket(rng);
  const { dates, close, lo, hi, band, sealed } = mk;
  const nD = dates.length;
  const E = nD - 1;
  const I = mk.implD;
  const X = mk.day1D;
  const B = mk.bonusD;
  const files: SyntheticCaseFile[] = [];

  // ---- plan.json, actions.csv, market.csv, index.csv
  const idWidth = Math.max(7, String(N).length);
  const prof = new Uint8Array(N);
  const flags = new Uint8Array(N);
  const productNo = new Int32Array(N);

  // investment products (a few, at least 3 when N ≥ 50) and the two insiders
  const productCount = N >= 50 ? Math.max(3, divRound(N * 4, 1000)) : 0;
  for (let k = 0; k < productCount; ) {
    const i = rng.int(N);
    if (flags[i]! & F_PRODUCT) continue;
    flags[i] = flags[i]! | F_PRODUCT;
    k++;
  }
  let pNo = 0;
  for (let i = 0; i < N; i++) if (flags[i]! & F_PRODUCT) productNo[i] = ++pNo;
  const productWidth = Math.max(4, String(productCount).length);
  const idOf = (i: number): string =>
    productNo[i]! > 0 ? `产品-${pad(productNo[i]!, productWidth)}` : `INV${pad(i + 1, idWidth)}`;

  const insiders: number[] = [];
  const insiderCount = Math.min(2, N);
  while (insiders.length < insiderCount) {
    const i = rng.int(N);
    if (flags[i]! & F_PRODUCT || insiders.includes(i)) continue;
    insiders.push(i);
  }
  insiders.sort((a, b) => a - b);
  const exclusions = insiders.map(idOf);

  const plan = {
    security: { ...SECURITY },
    ruleSet: 'SPC2022',
    direction: 'inflated',
    implementationDate: IMPLEMENTATION_DATE,
    disclosureDate: DISCLOSURE_DATE,
    averagePrice: 'moving-weighted-average',
    postDisclosureSales: 'fifo',
    riskDeduction: { method: 'index-comparison', indices: [INDEX_COMPOSITE, INDEX_INDUSTRY] },
    fees: { commissionRate: '0.0003', stampDutyRate: '0.001' },
    exclusions,
  };
  files.push(await writeSmall(outDir, 'plan.json', `${JSON.stringify(plan, null, 2)}\n`, 0));
  files.push(await writeSmall(outDir, 'actions.csv', `date,ratio\n${BONUS_DATE},${BONUS_RATIO}\n`, 1));
  {
    const w = new ChunkWriter(join(outDir, 'market.csv'));
    w.add('date,close,volume,float\n');
    for (let d = 0; d < nD; d++) w.row(`${dates[d]},${fen(close[d]!)},${mk.volume[d]},${mk.float[d]}\n`);
    files.push({ name: 'market.csv', path: w.path, rows: w.rows, bytes: await w.close() });
  }
  {
    const w = new ChunkWriter(join(outDir, 'index.csv'));
    w.add('date,index,close\n');
    for (let x = 0; x < mk.xDates.length; x++) w.row(`${mk.xDates[x]},${INDEX_COMPOSITE},${fixed(mk.composite[x]!, 2)}\n`);
    for (let x = 0; x < mk.xDates.length; x++) w.row(`${mk.xDates[x]},${INDEX_INDUSTRY},${fixed(mk.industry[x]!, 3)}\n`);
    files.push({ name: 'index.csv', path: w.path, rows: w.rows, bytes: await w.close() });
  }

  // ---- investor set-up
  const stage = new Uint8Array(N);
  const left = new Int32Array(N); // remaining steps of the current stage
  const gapMean = new Int32Array(N); // traders: mean gap between trading days
  const size = new Int32Array(N); // typical order in lots of 100
  const h0 = new Float64Array(N); // shares held, account 0 (current units)
  const h1 = new Float64Array(N); // shares held, account 1
  const acctNum = new Int32Array(2 * N); // 8-digit account numbers, bijective scramble of (i, account)
  const head = new Int32Array(nD).fill(-1);
  const next = new Int32Array(N);
  let done = 0;

  let mult = rng.between(10_000_001, 99_999_999);
  while (mult % 2 === 0 || mult % 5 === 0) mult++;
  const offset = rng.int(100_000_000);
  for (let s = 0; s < 2 * N; s++) acctNum[s] = (s * mult + offset) % 100_000_000;
  const acctStr = (i: number, a: number): string =>
    (flags[i]! & F_PRODUCT ? '08' : '01') + pad(acctNum[a === 0 ? i : N + i]!, 8);
  // "investor,account," written digit by digit (no per-investor strings are kept)
  const productPrefix = Buffer.from('产品-', 'utf8');
  const writePrefix = (w: ByteWriter, i: number, a: number): void => {
    const pn = productNo[i]!;
    if (pn > 0) {
      w.copy(productPrefix, 0, productPrefix.length);
      w.uint(pn, productWidth);
      w.text(',08');
    } else {
      w.text('INV');
      w.uint(i + 1, idWidth);
      w.text(',01');
    }
    w.uint(acctNum[a === 0 ? i : N + i]!, 8);
    w.byte(44);
  };

  let today = -1; // the day being simulated; -1 during set-up
  const schedule = (i: number, d: number): void => {
    if (d <= today) throw new Error('synthetic case: an investor was scheduled into the past');
    if (d > E) {
      done++;
      return;
    }
    next[i] = head[d]!;
    head[d] = i;
  };
  /** a day in (d, last] about `(last - d) / (steps + 1)` ahead on average; > E when there is no room */
  const nextDay = (d: number, steps: number, last: number): number => {
    if (d >= last) return E + 1;
    const room = last - d;
    const g = Math.max(1, Math.floor((2 * room) / (steps + 1)));
    return Math.min(last, d + 1 + rng.int(g));
  };

  let holdingsInvestors = 0;
  let mergedAccountInvestors = 0;
  const holdings = new ByteWriter(join(outDir, 'holdings.csv'));
  holdings.text('investor,account,quantity\n');
  const insiderSet = new Set(insiders);
  for (let i = 0; i < N; i++) {
    let f = flags[i]!;
    const isProduct = (f & F_PRODUCT) !== 0;
    if (rng.chance(isProduct ? 300 : 40)) f |= F_TWO_ACCOUNTS;
    else if (!isProduct && rng.chance(100)) f |= F_DATE_ONLY;
    let s = rng.chance(600) ? rng.between(1, 8) : rng.pareto2(4, 3000);
    if (isProduct) s *= 10;
    size[i] = s;
    let p: number;
    if (insiderSet.has(i)) p = P_INSIDER;
    else {
      const r = rng.int(100);
      p = r < 34 ? P_HOLDER : r < 48 ? P_EARLY_EXIT : r < 62 ? P_LATE : P_TRADER;
    }
    prof[i] = p;
    const hasHoldings = p === P_INSIDER || (p !== P_LATE && rng.chance(93));
    if (hasHoldings) {
      f |= F_HOLDINGS;
      holdingsInvestors++;
      const lots = p === P_INSIDER ? rng.between(20_000, 50_000) : Math.max(1, s * rng.between(1, 4));
      if (f & F_TWO_ACCOUNTS) {
        const a = rng.int(lots + 1);
        h0[i] = a * 100;
        h1[i] = (lots - a) * 100;
      } else h0[i] = lots * 100;
      if (h0[i]! > 0 || !(f & F_TWO_ACCOUNTS)) {
        writePrefix(holdings, i, 0);
        holdings.uint(h0[i]!);
        holdings.byte(10);
        holdings.rows++;
      }
      if (h1[i]! > 0) {
        writePrefix(holdings, i, 1);
        holdings.uint(h1[i]!);
        holdings.byte(10);
        holdings.rows++;
      }
    }
    if (holdings.full) await holdings.flush();
    if (f & F_TWO_ACCOUNTS) mergedAccountInvestors++;
    flags[i] = f;

    // first scheduled day and stage; holdings investors never trade before the implementation date
    const firstPre = hasHoldings ? I : 0;
    switch (p) {
      case P_HOLDER: {
        stage[i] = ST_BUY;
        if (hasHoldings) {
          left[i] = rng.int(3);
          if (left[i]! > 0) schedule(i, rng.between(I, X - 3));
          else enterPost(i, X - 1);
        } else {
          const r = rng.int(100);
          left[i] = r < 45 ? 1 : r < 62 ? 2 : rng.between(3, 5);
          schedule(i, rng.chance(200) ? rng.between(Math.max(0, I - 110), I - 1) : rng.between(I, X - 3));
        }
        break;
      }
      case P_EARLY_EXIT: {
        stage[i] = ST_BUY;
        left[i] = hasHoldings ? rng.int(2) : rng.between(1, 3);
        if (left[i]! > 0) schedule(i, rng.between(Math.max(firstPre, I - 70), X - 40));
        else {
          stage[i] = ST_SELL;
          left[i] = rng.between(1, 2);
          schedule(i, rng.between(I, X - 20));
        }
        break;
      }
      case P_LATE: {
        stage[i] = ST_BUY;
        left[i] = rng.between(1, 3);
        schedule(i, rng.chance(250) ? X : X + rng.int(Math.min(90, E - X)));
        break;
      }
      case P_TRADER: {
        stage[i] = ST_TRADE;
        const start = rng.between(firstPre, nD - 30);
        const k = rng.chance(850) ? rng.pareto2(6, 400) : rng.pareto1(8, 350);
        const span = rng.between(Math.min(80, nD - start), nD - start);
        left[i] = Math.min(k, span);
        gapMean[i] = Math.max(1, Math.floor(span / left[i]!));
        schedule(i, start);
        break;
      }
      default: {
        stage[i] = ST_INSIDER_SELL;
        left[i] = rng.between(3, 6);
        schedule(i, rng.between(I + 5, I + 40));
      }
    }
  }
  files.push({ name: 'holdings.csv', path: holdings.path, rows: holdings.rows, bytes: await holdings.close() });

  // ---- per-day trade buffers
  let cap = 1 << 14;
  let n = 0;
  let eInv = new Int32Array(cap);
  let eAcc = new Uint8Array(cap);
  let eSide = new Uint8Array(cap);
  let eQty = new Float64Array(cap);
  let ePrice = new Int32Array(cap);
  let eSec = new Int32Array(cap);
  let eKey = new Float64Array(cap);
  let order = new Uint32Array(cap);
  const grow = (): void => {
    cap *= 2;
    eInv = grown(eInv, cap);
    eAcc = grown(eAcc, cap);
    eSide = grown(eSide, cap);
    eQty = grown(eQty, cap);
    ePrice = grown(ePrice, cap);
    eSec = grown(eSec, cap);
    eKey = grown(eKey, cap);
    order = new Uint32Array(cap);
  };

  const priceOn = (d: number): number => {
    if (sealed[d]) return close[d]!;
    const b = band[d]!;
    const p = close[d]! + rng.int(2 * b + 1) - b;
    return Math.max(1, Math.min(hi[d]!, Math.max(lo[d]!, p)));
  };
  const emit = (i: number, a: number, side: number, qty: number, d: number): void => {
    if (n === cap) grow();
    eInv[n] = i;
    eAcc[n] = a;
    eSide[n] = side;
    eQty[n] = qty;
    ePrice[n] = priceOn(d);
    n++;
  };
  const total = (i: number): number => h0[i]! + h1[i]!;
  const buy = (i: number, d: number, lots: number): void => {
    const a = flags[i]! & F_TWO_ACCOUNTS ? rng.int(2) : 0;
    const q = lots * 100;
    if (a === 0) h0[i] = h0[i]! + q;
    else h1[i] = h1[i]! + q;
    emit(i, a, 0, q, d);
  };
  const buyLots = (i: number): number => Math.max(1, divRound(size[i]! * rng.between(50, 150), 100));
  const sellAll = (i: number, d: number): void => {
    if (h0[i]! > 0) {
      emit(i, 0, 1, h0[i]!, d);
      h0[i] = 0;
    }
    if (h1[i]! > 0) {
      emit(i, 1, 1, h1[i]!, d);
      h1[i] = 0;
    }
  };
  /** sell part of one account: whole lots, sometimes with the odd lot (after the bonus); all when ≤ 1 lot */
  const sellPart = (i: number, d: number, maxPercent: number): void => {
    const a = h0[i]! > 0 && h1[i]! > 0 ? rng.int(2) : h0[i]! > 0 ? 0 : 1;
    const held = a === 0 ? h0[i]! : h1[i]!;
    if (held <= 0) return;
    const lotsHeld = idiv(held, 100);
    let q: number;
    if (lotsHeld < 2) q = held;
    else {
      const maxLots = Math.max(1, Math.min(lotsHeld - 1, idiv(lotsHeld * maxPercent, 100)));
      q = 100 * rng.between(1, maxLots);
      const odd = held % 100;
      if (odd > 0 && rng.chance(500)) q += odd;
    }
    if (a === 0) h0[i] = held - q;
    else h1[i] = held - q;
    emit(i, a, 1, q, d);
  };
  /** a wish to sell on a sealed limit-down day is mostly not filled: retry the next day */
  const sellBlocked = (d: number): boolean => sealed[d] === 1 && rng.chance(750);

  function enterPost(i: number, d: number): void {
    // decided at the last window buy (or set-up): what a holder does after the disclosure
    const r = rng.int(100);
    if (r < 38) {
      stage[i] = ST_SELL_ALL;
      schedule(i, X + rng.int(26));
    } else if (r < 52) {
      stage[i] = ST_SELL_PART;
      schedule(i, X + rng.int(30));
    } else if (r < 66) {
      stage[i] = ST_AVG_DOWN;
      schedule(i, X + rng.int(30));
    } else if (r < 80) {
      stage[i] = ST_SELL_ALL;
      schedule(i, rng.between(Math.max(d + 1, X + 30), E));
    } else done++; // holds to the end of the data
  }

  const act = (i: number, d: number): void => {
    let f = flags[i]!;
    if (!(f & F_BONUS_DONE) && d >= B) {
      // 10送3 before the first trade of the bonus date; share counts are whole lots here, so exact
      if (h0[i]! % BONUS_DEN !== 0 || h1[i]! % BONUS_DEN !== 0) throw new Error('synthetic case: odd lot before bonus');
      h0[i] = (h0[i]! * BONUS_NUM) / BONUS_DEN;
      h1[i] = (h1[i]! * BONUS_NUM) / BONUS_DEN;
      f |= F_BONUS_DONE;
      flags[i] = f;
    }
    switch (stage[i]) {
      case ST_BUY: {
        buy(i, d, buyLots(i));
        const rest = left[i]! - 1;
        left[i] = rest;
        const p = prof[i];
        if (p === P_HOLDER) {
          const nd = rest > 0 ? nextDay(d, rest, X - 1) : E + 1;
          if (nd <= X - 1) schedule(i, nd);
          else enterPost(i, d);
        } else if (p === P_EARLY_EXIT) {
          const nd = rest > 0 ? nextDay(d, rest, X - 25) : E + 1;
          if (nd <= X - 25) schedule(i, nd);
          else {
            stage[i] = ST_SELL;
            left[i] = rng.between(1, 2);
            schedule(i, rng.between(d + 1, X - 1));
          }
        } else {
          // LATE: more buys after disclosure, then maybe sell everything
          if (rest > 0 && d + 1 <= E) schedule(i, Math.min(E, d + 1 + rng.int(20)));
          else if (d < E && rng.chance(400)) {
            stage[i] = ST_SELL_ALL;
            schedule(i, rng.between(d + 1, E));
          } else done++;
        }
        return;
      }
      case ST_SELL_ALL: {
        if (sellBlocked(d)) return schedule(i, d + 1);
        sellAll(i, d);
        done++;
        return;
      }
      case ST_SELL_PART: {
        if (sellBlocked(d)) return schedule(i, d + 1);
        sellPart(i, d, 70);
        if (total(i) > 0 && d < E && rng.chance(500)) {
          stage[i] = ST_SELL_ALL;
          schedule(i, rng.between(d + 1, E));
        } else done++;
        return;
      }
      case ST_AVG_DOWN: {
        buy(i, d, buyLots(i)); // a late buy (P2 pool)
        if (d < E && rng.chance(400)) {
          stage[i] = ST_SELL_ALL;
          schedule(i, rng.between(d + 1, E));
        } else done++;
        return;
      }
      case ST_SELL: {
        // early exit: sell in `left` steps, all of it with the last one, before the disclosure date
        const rest = left[i]! - 1;
        if (rest <= 0 || d >= X - 1) {
          sellAll(i, d);
          if (rng.chance(150)) {
            stage[i] = ST_BUY; // came back after the disclosure, as a LATE buyer
            prof[i] = P_LATE;
            left[i] = 1;
            schedule(i, rng.between(X, E));
          } else done++;
        } else {
          sellPart(i, d, 60);
          left[i] = rest;
          schedule(i, rng.between(d + 1, X - 1));
        }
        return;
      }
      case ST_TRADE: {
        const k = f & F_DATE_ONLY ? 1 : rng.chance(700) ? 1 : rng.chance(660) ? 2 : 3;
        for (let t = 0; t < k; t++) {
          const held = total(i);
          if (held > 0 && rng.chance(450)) {
            if (sellBlocked(d)) continue;
            if (rng.chance(400)) sellAll(i, d);
            else sellPart(i, d, 80);
          } else buy(i, d, buyLots(i));
        }
        const rest = left[i]! - 1;
        left[i] = rest;
        if (rest > 0) schedule(i, d + 1 + rng.int(2 * gapMean[i]! - 1));
        else done++;
        return;
      }
      case ST_INSIDER_SELL: {
        // insider: sells blocks in the window
        sellPart(i, d, 25);
        const rest = left[i]! - 1;
        left[i] = rest;
        if (rest > 0) schedule(i, nextDay(d, rest, X - 5));
        else done++;
      }
    }
  };

  // ---- simulate day by day and write trades.csv
  const trades = new ByteWriter(join(outDir, 'trades.csv'));
  trades.text('investor,account,time,side,quantity,price\n');
  const slotStart = new Int32Array(SESSION_SECONDS + 2);
  const byKey = (a: number, b: number): number => eKey[a]! - eKey[b]!;
  let malformedRows = 0;
  const malformedEvery = Math.max(7, Math.min(997, N)); // ~10 rows per investor: all variants appear
  for (let d = 0; d < nD; d++) {
    n = 0;
    today = d;
    let cur = head[d]!;
    head[d] = -1;
    while (cur !== -1) {
      const i = cur;
      cur = next[i]!;
      const s0 = n;
      act(i, d);
      const k = n - s0;
      if (k === 0) continue;
      if (flags[i]! & F_DATE_ONLY) {
        if (k !== 1) throw new Error('synthetic case: two date-only trades of one investor on one day');
        eSec[s0] = -1;
      } else {
        // k distinct seconds, ascending (insertion into the day's slots s0..s0+k), in generation order
        for (let t = 0; t < k; ) {
          const s = rng.int(SESSION_SECONDS);
          let y = s0 + t - 1;
          while (y >= s0 && eSec[y]! > s) y--;
          if (y >= s0 && eSec[y] === s) continue; // taken: draw again
          for (let z = s0 + t; z > y + 1; z--) eSec[z] = eSec[z - 1]!;
          eSec[y + 1] = s;
          t++;
        }
      }
      const base = F_PRODUCT & flags[i]! ? 800_000_000 : 100_000_000;
      for (let t = s0; t < n; t++) eKey[t] = (eSec[t]! + 1) * 1e10 + base + acctNum[eAcc[t] === 0 ? i : N + i]!;
    }
    // (time, account) keys are unique within a day: sort the day's trades by them. A busy day is counting-
    // sorted by second (date-only first) and then by account within a second; a quiet day is sorted directly.
    for (let t = 0; t < n; t++) order[t] = t;
    if (n < 512) order.subarray(0, n).sort(byKey);
    else {
      slotStart.fill(0);
      for (let t = 0; t < n; t++) {
        const k = eSec[t]! + 2;
        slotStart[k] = slotStart[k]! + 1;
      }
      for (let k = 2; k < slotStart.length; k++) slotStart[k] = slotStart[k]! + slotStart[k - 1]!;
      for (let t = 0; t < n; t++) {
        const k = eSec[t]! + 1;
        order[slotStart[k]!] = t;
        slotStart[k] = slotStart[k]! + 1;
      }
      // slotStart[k] is now the end of slot k (= start of slot k + 1)
      for (let k = 0, a = 0; k < SESSION_SECONDS + 1; k++) {
        const b = slotStart[k]!;
        if (b - a > 24) order.subarray(a, b).sort(byKey);
        else {
          for (let x = a + 1; x < b; x++) {
            const t = order[x]!;
            const key = eKey[t]!;
            let y = x - 1;
            while (y >= a && eKey[order[y]!]! > key) {
              order[y + 1] = order[y]!;
              y--;
            }
            order[y + 1] = t;
          }
        }
        a = b;
      }
    }
    const dateBytes = Buffer.from(dates[d]!, 'latin1');
    for (let r = 0; r < n; r++) {
      const t = order[r]!;
      const i = eInv[t]!;
      const sec = eSec[t]!;
      if (malformed && (trades.rows + 1) % malformedEvery === 0 && malformedRows < MALFORMED_VARIANTS) {
        const time = dates[d]! + (sec < 0 ? '' : TIME_SUFFIX[sec]!);
        const line = `${idOf(i)},${acctStr(i, eAcc[t]!)},${time},${eSide[t] ? 'S' : 'B'},${eQty[t]},${fen(ePrice[t]!)}`;
        trades.text(utf8Bytes(corrupt(line, malformedRows++)));
      } else {
        writePrefix(trades, i, eAcc[t]!);
        trades.copy(dateBytes, 0, 10);
        if (sec >= 0) trades.copy(TIME_BYTES, sec * 9, 9);
        trades.byte(44);
        trades.byte(eSide[t] ? 83 : 66);
        trades.byte(44);
        trades.uint(eQty[t]!);
        trades.byte(44);
        trades.fen(ePrice[t]!);
        trades.byte(10);
      }
      trades.rows++;
      if (trades.full) await trades.flush();
    }
    options.onProgress?.(done, d + 1, nD);
  }
  if (done !== N) throw new Error(`synthetic case: ${N - done} investors left unfinished`);
  files.push({ name: 'trades.csv', path: trades.path, rows: trades.rows, bytes: await trades.close() });

  const rows = {
    trades: trades.rows,
    holdings: holdings.rows,
    market: nD,
    index: 2 * mk.xDates.length,
    actions: 1,
  };
  const summary: SyntheticCaseSummary = {
    outDir,
    investors: N,
    seed,
    malformed,
    files,
    rows,
    security: { ...SECURITY },
    dates: {
      dataStart: dates[0]!,
      dataEnd: dates[E]!,
      implementationDate: IMPLEMENTATION_DATE,
      disclosureDate: DISCLOSURE_DATE,
      day1: dates[X]!,
      bonusDate: BONUS_DATE,
      lockupExpiryDate: LOCKUP_DATE,
      suspension: [...SUSPENSION],
      baseDate: dates[X + Math.max(10, mk.floatReachedOnDay) - 1]!,
    },
    floatReachedOnDay: mk.floatReachedOnDay,
    tradingDaysAfterDisclosure: nD - X,
    accounts: N + mergedAccountInvestors,
    mergedAccountInvestors,
    products: productCount,
    holdingsInvestors,
    exclusions,
    malformedRows,
    computeCommand: COMPUTE_COMMAND,
  };
  files.push(await writeSmall(outDir, 'README.md', readme(summary), 0));
  return summary;
}

/** a deliberately invalid variant of a valid trades row `investor,account,time,side,quantity,price` */
function corrupt(line: string, variant: number): string {
  const f = line.split(',');
  switch (variant) {
    case 0:
      f[3] = f[3]!.toLowerCase(); // side 'b' / 's'
      break;
    case 1:
      f[5] = '1e3'; // exponent
      break;
    case 2:
      f[2] = '2022-02-30'; // no such date
      break;
    case 3:
      f[4] = `-${f[4]}`; // signed quantity
      break;
    case 4:
      f[4] = `${f[4]}.5`; // fractional quantity
      break;
    default:
      f.push('X'); // one field too many
  }
  return `${f.join(',')}\n`;
}

/** text as a "byte string": its UTF-8 bytes, one char each (to be written as latin1) */
function utf8Bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

async function writeSmall(dir: string, name: string, text: string, rows: number): Promise<SyntheticCaseFile> {
  const w = new ChunkWriter(join(dir, name));
  w.add(text);
  w.rows = rows;
  return { name, path: w.path, rows, bytes: await w.close() };
}

function readme(s: SyntheticCaseSummary): string {
  const d = s.dates;
  const lines = [
    `# Synthetic case: ${s.security.name} (${s.security.code}.${s.security.exchange === 'SZSE' ? 'SZ' : 'SH'})`,
    '',
    `Generated by \`redress demo-data --investors ${s.investors} --seed ${s.seed}${s.malformed ? ' --malformed' : ''}\`.`,
    'Every name, account, price and trade is synthetic; the same seed and investor count give the same bytes.',
    '',
    '## The case',
    '',
    `- Security: ${s.security.name}, ${s.security.code} (${s.security.exchange} main board, ±10% daily limit), fictional.`,
    `- Market data: ${s.rows.market} trading days from ${d.dataStart} to ${d.dataEnd} (exchange calendar with holidays);`,
    `  the stock is suspended on ${d.suspension.join(', ')} (no market.csv rows; the indices trade).`,
    `- Implementation date (实施日): ${d.implementationDate}. Disclosure date (揭露日): ${d.disclosureDate}, a Saturday;`,
    `  day 1 is ${d.day1}, the first trading day after the Labour-Day closure.`,
    `- Bonus shares 10送3 (ratio 0.3) on ${d.bonusDate}, inside the window; the float also steps up at a lock-up`,
    `  expiry on ${d.lockupExpiryDate}.`,
    '- The price drifts up during the misstatement window, falls limit-down for several days after the disclosure,',
    '  slides further and then flattens. The indices 000001.SH and 801150.SI move with the market and fall much less.',
    `- The running volume from day 1 reaches day 1's float on trading day ${s.floatReachedOnDay}, so the SPC2022 base`,
    `  date is ${d.baseDate} (neither the 10-day floor nor the 30-day cap); ${s.tradingDaysAfterDisclosure} trading days`,
    '  of market data follow the disclosure date.',
    `- Plan: SPC2022, inflated (诱多), moving-weighted-average, FIFO post-disclosure sales, index-comparison risk`,
    `  deduction, commission 0.0003 and stamp duty 0.001; excluded insiders: ${s.exclusions.join(', ') || '(none)'}.`,
    '',
    '## Investors',
    '',
    `- ${s.investors} investors (${s.products} investment products named 产品-…), ${s.accounts} accounts:`,
    `  ${s.mergedAccountInvestors} investors trade through two accounts, merged by investor id (Art. 30).`,
    `- ${s.holdingsInvestors} investors have a holdings.csv row (shares held at the start of the implementation date);`,
    '  others may have bought before the implementation date.',
    '- Profiles: buy-and-hold through the disclosure, sold before the disclosure, bought only after it, active traders',
    `  (heavy-tailed number of trades) and ${s.exclusions.length === 1 ? 'an insider' : `${s.exclusions.length} insiders`} selling in the window.`,
    `- trades.csv: ${s.rows.trades} rows in time order (date-only times first within a day, then by time and account),`,
    '  times within trading hours; nobody sells more shares than it holds.',
    ...(s.malformed
      ? [`- ${s.malformedRows} rows of trades.csv are deliberately invalid (they show up in rejects.csv).`]
      : []),
    '',
    '## Files',
    '',
    '| file | rows |',
    '|---|---|',
    ...s.files.filter((f) => f.name.endsWith('.csv')).map((f) => `| ${f.name} | ${f.rows} |`),
    '| plan.json | |',
    '',
    '## Compute it',
    '',
    'From this directory:',
    '',
    '```sh',
    s.computeCommand,
    '```',
    '',
  ];
  return lines.join('\n');
}

/** A typed array of `capacity` elements that starts with the contents of `array`. */
function grown<T extends Int32Array | Uint8Array | Float64Array>(array: T, capacity: number): T {
  const larger = new (array.constructor as new (length: number) => T)(capacity);
  larger.set(array);
  return larger;
}
