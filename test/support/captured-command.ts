/** What a command printed, and its exit code. */
export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

type CommandOutput = { stdout: (text: string) => void; stderr: (text: string) => void };

/**
 * Runs a CLI command in-process with its output captured. Usage errors, which `runCommand` writes
 * to process.stderr itself, are captured too.
 */
export async function runCaptured(run: (output: CommandOutput) => Promise<number>): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const original = process.stderr.write;
  process.stderr.write = ((chunk: unknown) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await run({ stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
    return { code, stdout, stderr };
  } finally {
    process.stderr.write = original;
  }
}
