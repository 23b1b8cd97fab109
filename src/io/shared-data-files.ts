import { basename } from 'node:path';
import type { BonusAction, IndexCloses, MarketDay } from '../domain/market/market-data.ts';
import { Rational } from '../domain/money/rational.ts';
import { columnPositions, FileError, scanCsvFile, type CsvEncoding } from './csv-scan.ts';
import { checkDate, checkDecimal, checkNonNegativeInteger, checkPositiveInteger } from './field-syntax.ts';

/**
 * Readers of the data every investor shares: market.csv, index.csv, actions.csv
 * (loss-methodology.md §2.2). An invalid or repeated row is an error for the whole case, since
 * nothing may be computed on data that is wrong for everyone.
 */

type Check = (fields: string[]) => string | null;

async function readSharedRows<const Name extends string>(
  path: string,
  encoding: CsvEncoding,
  columns: readonly Name[],
  checks: (at: Record<Name, number>) => Check[],
  accept: (values: Record<Name, string>, line: number) => string | null,
): Promise<void> {
  const file = basename(path);
  let positions: Record<Name, number> | null = null;
  let rowChecks: Check[] = [];
  let headerWidth = 0;
  await scanCsvFile(path, file, encoding, {
    header(fields) {
      positions = columnPositions(fields, columns, file);
      rowChecks = checks(positions);
      headerWidth = fields.length;
    },
    record(fields, line) {
      const fail = (problem: string): never => {
        throw new FileError(file, line, problem, `correct or remove the row: ${file} is shared by every investor, so nothing is computed on it while it is wrong`);
      };
      if (fields === null) fail('unterminated quote');
      if (fields!.length !== headerWidth) fail(`${fields!.length} fields where the header has ${headerWidth}`);
      for (const check of rowChecks) {
        const problem = check(fields!);
        if (problem !== null) fail(problem);
      }
      const values = {} as Record<Name, string>;
      for (const name of columns) values[name] = fields![positions![name]]!;
      const problem = accept(values, line);
      if (problem !== null) fail(problem);
    },
  });
}

export async function readMarketFile(path: string, encoding: CsvEncoding): Promise<MarketDay[]> {
  const days: MarketDay[] = [];
  const seen = new Map<string, number>();
  await readSharedRows(
    path,
    encoding,
    ['date', 'close', 'volume', 'float'],
    (at) => [
      (f) => checkDate('date', f[at.date]!),
      (f) => checkDecimal('close', f[at.close]!, 3),
      (f) => checkNonNegativeInteger('volume', f[at.volume]!),
      (f) => checkPositiveInteger('float', f[at.float]!),
    ],
    (row, line) => {
      const earlier = seen.get(row.date);
      if (earlier !== undefined) return `date ${row.date} repeats line ${earlier}`;
      seen.set(row.date, line);
      days.push({ date: row.date, close: Rational.parse(row.close), volume: BigInt(row.volume), float: BigInt(row.float) });
      return null;
    },
  );
  return days.sort((a, b) => (a.date < b.date ? -1 : 1));
}

export async function readIndexFile(path: string, encoding: CsvEncoding): Promise<IndexCloses> {
  const closes = new Map<string, Map<string, Rational>>();
  const seen = new Map<string, number>();
  await readSharedRows(
    path,
    encoding,
    ['date', 'index', 'close'],
    (at) => [
      (f) => checkDate('date', f[at.date]!),
      (f) => (f[at.index]!.length === 0 ? 'index is empty' : null),
      (f) => checkDecimal('close', f[at.close]!, 4),
    ],
    (row, line) => {
      const key = `${row.index}\u0000${row.date}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) return `index ${row.index} on ${row.date} repeats line ${earlier}`;
      seen.set(key, line);
      let series = closes.get(row.index);
      if (series === undefined) closes.set(row.index, (series = new Map()));
      series.set(row.date, Rational.parse(row.close));
      return null;
    },
  );
  return closes;
}

export async function readActionsFile(path: string, encoding: CsvEncoding): Promise<BonusAction[]> {
  const actions: BonusAction[] = [];
  const seen = new Map<string, number>();
  await readSharedRows(
    path,
    encoding,
    ['date', 'ratio'],
    (at) => [
      (f) => checkDate('date', f[at.date]!),
      (f) => checkDecimal('ratio', f[at.ratio]!, Number.POSITIVE_INFINITY),
      (f) => (/^[0.]+$/.test(f[at.ratio]!) ? `ratio '${f[at.ratio]}' must be positive` : null),
    ],
    (row, line) => {
      const earlier = seen.get(row.date);
      if (earlier !== undefined) return `a second action on ${row.date} (first on line ${earlier}); combine them into one ratio`;
      seen.set(row.date, line);
      actions.push({ date: row.date, ratio: Rational.parse(row.ratio) });
      return null;
    },
  );
  return actions.sort((a, b) => (a.date < b.date ? -1 : 1));
}
