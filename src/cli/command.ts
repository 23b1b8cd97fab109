import { CaseError } from '../domain/case-error.ts';
import { FileError } from '../io/csv-scan.ts';

/** A wrong or missing flag: the command prints the problem and its usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Runs a command body and turns the errors a user can fix into one line on stderr and exit
 * code 2: a bad flag, a file or plan that cannot be used, a case-level error. Anything else is
 * a bug and propagates with its stack.
 */
export async function runCommand(help: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`redress: ${error.message}\n\n${help}\n`);
      return 2;
    }
    if (error instanceof FileError || error instanceof CaseError) {
      process.stderr.write(`redress: ${error.oneLine()}\n`);
      return 2;
    }
    throw error;
  }
}
