import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { parseLossPlan, PlanError, type LossPlan } from '../domain/plan/loss-plan.ts';
import { FileError } from './csv-scan.ts';

/**
 * Reads plan.json. A syntax error or a schema violation becomes a FileError naming the line of
 * the offending value (found with jsonc-parser's syntax tree) and the fix.
 */
export async function readPlanFile(path: string): Promise<{ plan: LossPlan; text: string }> {
  const file = basename(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new FileError(file, null, `cannot read ${path}`, 'check the --plan path');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || tree === undefined) {
    const first = errors[0];
    const line = first ? lineAt(text, first.offset) : 1;
    throw new FileError(file, line, `invalid JSON (${first ? printParseErrorCode(first.error) : 'empty file'})`, 'write the plan as strict JSON');
  }
  const repeated = firstRepeatedKey(tree);
  if (repeated !== null) {
    throw new FileError(file, lineAt(text, repeated.offset), `the key "${repeated.key}" appears twice in the same object`, 'keep one of them: a repeated key would silently override the first');
  }
  try {
    return { plan: parseLossPlan(JSON.parse(text)), text };
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    let node = findNodeAtLocation(tree, [...error.path]);
    // A missing key has no node: point at its parent object instead.
    for (let depth = error.path.length - 1; node === undefined && depth >= 0; depth--) {
      node = findNodeAtLocation(tree, error.path.slice(0, depth));
    }
    // For a key, jsonc-parser's property node starts at the key: the line a reader looks at.
    const located = node?.parent?.type === 'property' ? node.parent : node;
    const name = error.path.length > 0 ? error.path.join('.') : 'the plan';
    throw new FileError(file, located ? lineAt(text, located.offset) : 1, `${name} ${error.message}`, fixFor(error));
  }
}

/** The second occurrence of a key within one object, anywhere in the document. */
function firstRepeatedKey(node: JsonNode): { key: string; offset: number } | null {
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0]?.value as string;
      if (seen.has(key)) return { key, offset: property.offset };
      seen.add(key);
    }
  }
  for (const child of node.children ?? []) {
    const found = firstRepeatedKey(child);
    if (found !== null) return found;
  }
  return null;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function fixFor(error: PlanError): string {
  if (error.message.startsWith('unknown key')) return 'see docs/methodology.md for the plan fields';
  if (error.message === 'is required') return `add "${error.path.at(-1)}" to the plan`;
  return `correct "${error.path.join('.')}" (see docs/methodology.md, "The plan")`;
}
