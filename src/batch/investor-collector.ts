import type { InvestorRecords, RejectedRow, Trade } from '../domain/loss/investor-records.ts';
import { sortTrades } from '../domain/loss/investor-records.ts';
import { Rational } from '../domain/money/rational.ts';
import type { InvestorRowSink } from '../io/investor-files.ts';

interface Collected {
  trades: Trade[];
  holdings: Rational | null;
  ratio: Rational | null;
  badRows: RejectedRow[];
}

/**
 * Gathers the rows of the per-investor files into one record per investor (Art. 30: all of an
 * investor's accounts merged), and keeps every rejected row for rejects.csv.
 */
export class InvestorCollector implements InvestorRowSink {
  readonly rejects: RejectedRow[] = [];
  private readonly byInvestor = new Map<string, Collected>();

  private entry(investor: string): Collected {
    let entry = this.byInvestor.get(investor);
    if (entry === undefined) {
      entry = { trades: [], holdings: null, ratio: null, badRows: [] };
      this.byInvestor.set(investor, entry);
    }
    return entry;
  }

  trade(investor: string, trade: Trade): void {
    this.entry(investor).trades.push(trade);
  }

  holdings(investor: string, quantity: Rational): void {
    const entry = this.entry(investor);
    entry.holdings = (entry.holdings ?? Rational.ZERO).add(quantity);
  }

  ratio(investor: string, ratio: Rational): void {
    this.entry(investor).ratio = ratio;
  }

  bad(row: RejectedRow): void {
    this.rejects.push(row);
    if (row.investor.length > 0) this.entry(row.investor).badRows.push(row);
  }

  get size(): number {
    return this.byInvestor.size;
  }

  /** Every investor's records, trades in time order and bad rows in file-then-line order. */
  *records(): Iterable<InvestorRecords> {
    for (const [investor, entry] of this.byInvestor) {
      entry.badRows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
      yield { investor, trades: sortTrades(entry.trades), holdings: entry.holdings, ratio: entry.ratio, badRows: entry.badRows };
    }
  }
}
