/**
 * A command's module is loaded only when it runs: `serve` brings the web, the database and PDF
 * fonts, and a batch `compute` should not pay for loading them (over a second at start).
 */
interface Command {
  summary: string;
  load: () => Promise<{ help: string; run: (args: string[]) => Promise<number> }>;
}

const commands: Record<string, Command> = {
  compute: { summary: "compute every investor's compensation for a case", load: async () => { const m = await import('./compute.ts'); return { help: m.computeHelp, run: m.runCompute }; } },
  'compute-coordinator': { summary: 'compute a case on worker processes through a PostgreSQL queue', load: async () => { const m = await import('./compute-coordinator.ts'); return { help: m.computeCoordinatorHelp, run: m.runComputeCoordinator }; } },
  'compute-worker': { summary: 'run the tasks of compute-coordinator runs (any machine)', load: async () => { const m = await import('./compute-worker.ts'); return { help: m.computeWorkerHelp, run: m.runComputeWorker }; } },
  explain: { summary: 'print the calculation sheet of one investor (Chinese or English)', load: async () => { const m = await import('./explain.ts'); return { help: m.explainHelp, run: (args) => m.runExplain(args) }; } },
  'demo-data': { summary: 'write a realistic synthetic case', load: async () => { const m = await import('./demo-data.ts'); return { help: m.demoDataHelp, run: m.runDemoData }; } },
  demo: { summary: 'compute the bundled demo case (what npm start runs)', load: async () => { const m = await import('./demo.ts'); return { help: m.demoHelp, run: m.runDemo }; } },
  serve: { summary: "run the platform's HTTP API on the embedded database or PostgreSQL", load: async () => { const m = await import('./serve.ts'); return { help: m.serveHelp, run: m.runServe }; } },
  migrate: { summary: 'apply the database migrations', load: async () => { const m = await import('./migrate.ts'); return { help: m.migrateHelp, run: (args) => m.runMigrate(args) }; } },
  audit: { summary: 'verify the hash chain of the audit log', load: async () => { const m = await import('./audit.ts'); return { help: m.auditHelp, run: (args) => m.runAudit(args) }; } },
  'verify-draw': { summary: 'recompute a published lot draw from its public inputs', load: async () => { const m = await import('./verify-draw.ts'); return { help: m.verifyDrawHelp, run: m.runVerifyDraw }; } },
};

const overview = `redress — advance compensation (先行赔付) for investors harmed by false statements

Usage: redress <command> [flags]

Commands:
${Object.entries(commands).map(([name, command]) => `  ${name.padEnd(19)} ${command.summary}`).join('\n')}

Run 'redress <command> --help' for the flags of a command.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${overview}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`redress: unknown command '${name}'\n\n${overview}\n`);
    return 2;
  }
  const { help, run } = await command.load();
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  return run(args);
}
