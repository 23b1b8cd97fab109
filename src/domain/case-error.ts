/**
 * An error that stops a whole case: the shared data (plan, market, index, bonus actions) cannot
 * support a computation, so nothing is computed (loss-methodology.md §7). It names where the
 * problem is and how to fix it; the CLI prints it on one line and exits with code 2.
 */
export class CaseError extends Error {
  readonly file: string | null;
  readonly line: number | null;
  readonly fix: string;

  constructor(options: { file?: string | null; line?: number | null; problem: string; fix: string }) {
    super(options.problem);
    this.name = 'CaseError';
    this.file = options.file ?? null;
    this.line = options.line ?? null;
    this.fix = options.fix;
  }

  /** `market.csv line 12: close '1e3' is not a decimal number; fix: …` */
  oneLine(): string {
    const where = this.file === null ? '' : this.line === null ? `${this.file}: ` : `${this.file} line ${this.line}: `;
    return `${where}${this.message}; fix: ${this.fix}`;
  }
}
