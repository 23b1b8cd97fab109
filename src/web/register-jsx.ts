import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

/**
 * Lets Node load the `.tsx` page templates. Node strips types from `.ts` files by itself but does
 * not compile JSX, so this in-thread load hook hands `.tsx` sources to esbuild (JSX to Preact's
 * automatic runtime, types stripped, a source map inlined for readable stacks) and leaves every
 * other module to Node. Imported first by bin/redress.js and by the test command.
 */
registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.tsx')) return nextLoad(url, context);
    const path = fileURLToPath(url);
    const { code } = transformSync(readFileSync(path, 'utf8'), {
      loader: 'tsx', jsx: 'automatic', jsxImportSource: 'preact', format: 'esm', target: 'node22', sourcemap: 'inline', sourcefile: path,
    });
    return { format: 'module', source: code, shortCircuit: true };
  },
});
