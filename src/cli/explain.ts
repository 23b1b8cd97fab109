import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadLossCase } from '../batch/case-inputs.ts';
import { buildCalculationSheet } from '../domain/loss/calculation-sheet.ts';
import { computeInvestorLoss } from '../domain/loss/investor-loss.ts';
import type { InvestorRecords, RejectedRow, Trade } from '../domain/loss/investor-records.ts';
import type { SheetStep } from '../domain/loss/walk-steps.ts';
import { Rational } from '../domain/money/rational.ts';
import { renderCalculationSheet } from '../io/calculation-sheet-text.ts';
import { InvestorRecordsBuilder, readInvestorFile, type InvestorRowSink } from '../io/investor-files.ts';
import { runCommand, UsageError } from './command.ts';
import { CASE_INPUT_FLAGS, caseInputPaths } from './options.ts';

export const explainHelp = `redress explain — print the calculation sheet of one investor

Usage:
  redress explain --plan plan.json --trades trades.csv [--holdings F] [--market F]
                  [--index F] [--actions F] [--ratios F] [--encoding utf-8|gb18030]
                  --investor ID [--lang zh|en] [--format text|json]

The same inputs as 'redress compute' (see 'redress compute --help'), and:
  --investor ID  the investor whose sheet to print (Art. 30: all its accounts merged)
  --lang L       zh (default, 中文) or en
  --format F     text (default): a sheet to read and check with a calculator;
                 json: the same sheet as data, with exact values as fractions

The sheet shows the key dates (实施日, 揭露日, 基准日, 基准价) and how the base date was found,
every trade with its period and the pools it moved, the two legs of the investment difference
loss, the market-risk deduction, the fees and interest, and the total, which is the sum of the
printed components. An investor named in no input row, or a file or plan that cannot be used,
stops with one line on stderr and exit code 2.`;

export interface ExplainOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processOutput: ExplainOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

export async function runExplain(args: string[], output: ExplainOutput = processOutput): Promise<number> {
  return runCommand(explainHelp, async () => {
    const { values } = parseArgs({
      args,
      options: { ...CASE_INPUT_FLAGS, investor: { type: 'string' }, lang: { type: 'string' }, format: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    const paths = caseInputPaths(values);
    if (values.investor === undefined || values.investor === '') throw new UsageError('--investor is required');
    const lang = values.lang ?? 'zh';
    if (lang !== 'zh' && lang !== 'en') throw new UsageError(`--lang ${lang} is not supported: use zh or en`);
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format ${format} is not supported: use text or json`);
    const investor = values.investor;
    const { encoding } = paths;
    const lossCase = await loadLossCase(paths);
    const sink = new OneInvestorSink(investor);
    const read = [paths.trades];
    await readInvestorFile('trades', paths.trades, encoding, sink);
    if (paths.holdings) {
      read.push(paths.holdings);
      await readInvestorFile('holdings', paths.holdings, encoding, sink);
    }
    if (paths.ratios && lossCase.plan.riskDeduction.method === 'per-investor') {
      read.push(paths.ratios);
      await readInvestorFile('ratios', paths.ratios, encoding, sink);
    }
    if (!sink.seen) {
      output.stderr(`redress: investor ${investor} has no row in ${read.map((path) => basename(path)).join(', ')}\n`);
      return 2;
    }

    const steps: SheetStep[] = [];
    const result = computeInvestorLoss(sink.records(), lossCase, steps);
    const sheet = buildCalculationSheet(result, steps, lossCase);
    output.stdout(format === 'json' ? `${JSON.stringify(sheet, null, 2)}\n` : renderCalculationSheet(sheet, lang));
    return 0;
  });
}

/**
 * Keeps the rows of one investor as the per-investor files stream past; every other investor's
 * row is dropped at once, so memory stays that of one investor whatever the size of the case.
 */
export class OneInvestorSink implements InvestorRowSink {
  private readonly builder: InvestorRecordsBuilder;
  /** Whether any input row (valid or not) named the investor. */
  seen = false;

  constructor(investor: string) {
    this.builder = new InvestorRecordsBuilder(investor);
  }

  private mine(investor: string): boolean {
    if (investor !== this.builder.investor) return false;
    this.seen = true;
    return true;
  }

  trade(investor: string, trade: Trade): void {
    if (this.mine(investor)) this.builder.trade(investor, trade);
  }

  holdings(investor: string, quantity: Rational): void {
    if (this.mine(investor)) this.builder.holdings(investor, quantity);
  }

  ratio(investor: string, ratio: Rational): void {
    if (this.mine(investor)) this.builder.ratio(investor, ratio);
  }

  bad(row: RejectedRow): void {
    if (this.mine(row.investor)) this.builder.bad(row);
  }

  /** The investor's records, as the batch gives them. */
  records(): InvestorRecords {
    return this.builder.records();
  }
}
