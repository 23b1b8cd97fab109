import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { verifyDraw, type PublishedDraw } from '../domain/procedure/lot-draw.ts';
import { runCommand, UsageError } from './command.ts';

export const verifyDrawHelp = `redress verify-draw — recompute a published lot draw from its public inputs

Usage:
  redress verify-draw --draw FILE [--lang zh|en]

FILE is the draw as a case publishes it (GET /api/v1/cases/<case>/draws gives one per pool):
  { "commitment": "<SHA-256 hex published when the announcement opened>",
    "seedHex": "<the seed revealed at the draw>", "pool": "representatives" | "lawyers",
    "applicants": ["<id>", …], "seats": N, "chosen": ["<id>", …] }
or a list of such records, or an object with a "draws" list.

The seed must hash to the commitment, and drawing again from the seed and the applicant list
(sorted by code point; HMAC-SHA256 keyed by the seed, see docs/procedure.md) must give the
published chosen list, in order. Prints 'draw verified' per pool and exits 0, or names the
first problem and exits 1.`;

export async function runVerifyDraw(args: string[]): Promise<number> {
  return runCommand(verifyDrawHelp, async () => {
    const { values } = parseArgs({ args, options: { draw: { type: 'string' }, lang: { type: 'string' } }, strict: true, allowPositionals: false });
    if (!values.draw) throw new UsageError('--draw is required');
    const lang = values.lang ?? 'en';
    if (lang !== 'zh' && lang !== 'en') throw new UsageError(`--lang ${lang} is not supported: use zh or en`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(values.draw, 'utf8'));
    } catch (error) {
      throw new UsageError(`cannot read ${values.draw} as JSON: ${(error as Error).message}`);
    }
    const draws = (Array.isArray(parsed) ? parsed : Array.isArray((parsed as { draws?: unknown })?.draws) ? (parsed as { draws: unknown[] }).draws : [parsed]) as PublishedDraw[];
    if (draws.length === 0) throw new UsageError(`${values.draw} holds no draw`);
    for (const draw of draws) {
      const verdict = verifyDraw(draw);
      if (!verdict.ok) {
        process.stdout.write(`${lang === 'zh' ? '抽签核验失败' : 'draw NOT verified'}: ${verdict.problem[lang]}\n`);
        return 1;
      }
      process.stdout.write(lang === 'zh' ? `抽签核验通过：${draw.pool === 'lawyers' ? '律师' : '投资者代表'} [${draw.chosen.join(', ')}]\n` : `draw verified: ${draw.pool} [${draw.chosen.join(', ')}]\n`);
    }
    return 0;
  });
}
