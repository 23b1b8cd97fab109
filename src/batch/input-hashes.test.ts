import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hashInputs, hashInputsBeside } from './input-hashes.ts';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

test('the inputs are hashed on a thread of their own exactly as sha256sum and the documented combined digest give them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-hashes-'));
  try {
    // A trades file larger than the hashing buffer (4 MiB), so that it is read in several chunks.
    const row = 'INV0000001,A1,2021-03-01,B,100,12.50\n';
    const trades = Buffer.from(`investor,account,time,side,quantity,price\n${row.repeat(150_000)}`);
    const plan = '{"ruleSet":"SPC2022"}\n';
    writeFileSync(join(dir, 'trades.csv'), trades);
    writeFileSync(join(dir, 'plan.json'), plan);
    const paths = { plan: join(dir, 'plan.json'), trades: join(dir, 'trades.csv'), encoding: 'utf-8' as const };

    const beside = await hashInputsBeside(paths);
    assert.deepEqual(beside.files, {
      plan: { file: 'plan.json', sha256: sha256(plan) },
      trades: { file: 'trades.csv', sha256: sha256(trades) },
    });
    assert.equal(beside.sha256, sha256(`plan\tplan.json\t${sha256(plan)}\ntrades\ttrades.csv\t${sha256(trades)}\nencoding\tutf-8\n`));
    assert.deepEqual(hashInputs(paths), beside);
    assert.notEqual(hashInputs({ ...paths, encoding: 'gb18030' }).sha256, beside.sha256);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an input that cannot be read rejects the hashing, naming the error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-hashes-'));
  try {
    await assert.rejects(hashInputsBeside({ plan: join(dir, 'missing.json'), trades: join(dir, 'missing.csv'), encoding: 'utf-8' }), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
