#!/usr/bin/env node
// The `redress` command. Node 22 runs the TypeScript sources directly (type stripping); the
// project pins it as a dev dependency, so `npx redress` and npm scripts use it.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(`redress needs Node 22 or later (this is ${process.version}); run it as 'npx redress' after 'npm ci', which uses the project's Node 22\n`);
  process.exit(2);
}
// Node caches each module's compiled code on disk, and src/typescript-cache.js the modules'
// type-stripped text, so that a second run, and each worker thread of a computation, starts in a
// fraction of the time. Both caches are the checkout's own (node_modules/.cache), not in the shared
// temporary directory, where another user of the machine could plant code for this one to run.
const { enableCompileCache } = await import('node:module');
const { fileURLToPath } = await import('node:url');
const cache = enableCompileCache?.(process.env.NODE_COMPILE_CACHE || fileURLToPath(new URL('../node_modules/.cache/node-compile-cache', import.meta.url)));
if (cache?.directory && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = cache.directory;
await import('../src/typescript-cache.js');
// Page templates are .tsx; the hook compiles them when they load (only `serve` loads any).
const [command] = process.argv.slice(2);
if (command === 'serve') await import('../src/web/register-jsx.ts');
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
