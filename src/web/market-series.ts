import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { CalculationSheet } from '../domain/loss/calculation-sheet.ts';
import { addDays } from '../domain/market/calendar-date.ts';
import type { IndexCloses, MarketDay } from '../domain/market/market-data.ts';
import { readIndexFile, readMarketFile } from '../io/shared-data-files.ts';

/** Daily closes for a chart, as decimal strings. */
export interface ChartSeries {
  stock: { date: string; close: string }[];
  index: { code: string; closes: { date: string; close: string }[] } | null;
}

const cache = new Map<string, { mtimeMs: number; market: MarketDay[]; index: IndexCloses | null }>();

/** A dataset's shared files, read once per change of market.csv (the files are the same for every investor). */
async function datasetSeries(folder: string) {
  const marketPath = join(folder, 'market.csv');
  const { mtimeMs } = await stat(marketPath);
  const cached = cache.get(folder);
  if (cached && cached.mtimeMs === mtimeMs) return cached;
  const market = await readMarketFile(marketPath, 'utf-8');
  const index = await readIndexFile(join(folder, 'index.csv'), 'utf-8').catch(() => null);
  const entry = { mtimeMs, market, index };
  cache.set(folder, entry);
  return entry;
}

/**
 * The stock's closes and the first reference index's from a month before the implementation date
 * to a month after the base date: the stretch an investor's trades and the key dates fall in.
 */
export async function chartSeriesFor(importRoot: string, dataset: string, sheet: CalculationSheet): Promise<ChartSeries | null> {
  const root = resolve(importRoot);
  const folder = resolve(root, dataset);
  if (relative(root, folder).startsWith('..')) return null;
  const series = await datasetSeries(folder).catch(() => null);
  if (series === null) return null;
  const tradeDates = sheet.history.flatMap((event) => ('trade' in event ? [event.trade.time.slice(0, 10)] : []));
  const from = [addDays(sheet.keyDates.implementationDate, -31), ...tradeDates].sort()[0]!;
  const to = [addDays(sheet.keyDates.baseDate, 31), ...tradeDates].sort().at(-1)!;
  const stock = series.market.filter((day) => day.date >= from && day.date <= to).map((day) => ({ date: day.date, close: day.close.toFixed(3) }));
  const code = sheet.methods.indices[0];
  const closes = code === undefined ? undefined : series.index?.get(code);
  const index = code === undefined || closes === undefined ? null : {
    code,
    closes: [...closes].filter(([date]) => date >= from && date <= to).sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, close]) => ({ date, close: close.toFixed(4) })),
  };
  return { stock, index };
}
