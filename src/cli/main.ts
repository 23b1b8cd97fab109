import { computeHelp, runCompute } from './compute.ts';
import { demoDataHelp, runDemoData } from './demo-data.ts';
import { demoHelp, runDemo } from './demo.ts';
import { explainHelp, runExplain } from './explain.ts';
import { auditHelp, runAudit } from './audit.ts';
import { migrateHelp, runMigrate } from './migrate.ts';
import { runServe, serveHelp } from './serve.ts';
import { runVerifyDraw, verifyDrawHelp } from './verify-draw.ts';

interface Command {
  summary: string;
  help: string;
  run: (args: string[]) => Promise<number>;
}

const commands: Record<string, Command> = {
  compute: { summary: "compute every investor's compensation for a case", help: computeHelp, run: runCompute },
  explain: { summary: 'print the calculation sheet of one investor (Chinese or English)', help: explainHelp, run: (args) => runExplain(args) },
  'demo-data': { summary: 'write a realistic synthetic case', help: demoDataHelp, run: runDemoData },
  demo: { summary: 'compute the bundled demo case (what npm start runs)', help: demoHelp, run: runDemo },
  serve: { summary: "run the platform's HTTP API on the embedded database or PostgreSQL", help: serveHelp, run: runServe },
  migrate: { summary: 'apply the database migrations', help: migrateHelp, run: runMigrate },
  audit: { summary: 'verify the hash chain of the audit log', help: auditHelp, run: runAudit },
  'verify-draw': { summary: 'recompute a published lot draw from its public inputs', help: verifyDrawHelp, run: runVerifyDraw },
};

const overview = `redress — advance compensation (先行赔付) for investors harmed by false statements

Usage: redress <command> [flags]

Commands:
${Object.entries(commands).map(([name, command]) => `  ${name.padEnd(12)} ${command.summary}`).join('\n')}

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
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  return command.run(args);
}
