import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { auditEntryHash } from '../domain/audit/audit-chain.ts';
import { appendAuditEntry, readAuditLog } from '../store/audit-log.ts';
import { openDatabase } from '../store/database.ts';
import { runCaptured, type CommandRun } from '../../test/support/captured-command.ts';
import { runAudit } from './audit.ts';

function audit(args: string[], environment: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  return runCaptured((output) => runAudit(args, output, environment));
}

describe('redress audit verify', () => {
  let root: string;
  let dataDir: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'redress-audit-cli-'));
    dataDir = join(root, 'data');
    const database = await openDatabase({ dataDir });
    try {
      for (const command of ['open-case', 'record-deposit', 'publish-plan']) {
        await appendAuditEntry(database.db, {
          caseId: 'case-1', actorId: 'admin-1', role: 'administrator', at: '2024-03-01T09:30:00.000Z', command, reason: null, payload: { command }, outcome: 'accepted',
        });
      }
    } finally {
      await database.close();
    }
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('an intact log prints its number of entries, exit code 0', async () => {
    assert.deepEqual(await audit(['verify', '--data', dataDir]), { code: 0, stdout: 'audit log intact: 3 entries\n', stderr: '' });
  });

  test('an entry edited behind the trigger’s back is named, exit code 1', async () => {
    const database = await openDatabase({ dataDir });
    let expected: string;
    try {
      const original = (await readAuditLog(database.db))[1]!;
      await database.db.transaction().execute(async (trx) => {
        await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
        await sql`update audit_log set command = 'withdraw-deposit' where seq = 2`.execute(trx);
        await sql`alter table audit_log enable trigger audit_log_append_only`.execute(trx);
      });
      const recomputed = auditEntryHash({ ...original, command: 'withdraw-deposit' });
      expected = `audit log broken at entry 2: entry 2 was altered: its contents hash to ${recomputed}, but it records ${original.hash}\n`;
    } finally {
      await database.close();
    }
    assert.deepEqual(await audit(['verify', '--data', dataDir]), { code: 1, stdout: expected, stderr: '' });
  });

  test('a data directory that does not exist is not created, exit code 2', async () => {
    const missing = join(root, 'missing');
    const result = await audit(['verify', '--data', missing]);
    assert.deepEqual(result, { code: 2, stdout: '', stderr: `redress: data directory ${missing} does not exist; name it with --data or set DATABASE_URL\n` });
  });

  test('DATABASE_URL wins over --data', async () => {
    const result = await audit(['verify', '--data', dataDir], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^redress: cannot open the database: .*ECONNREFUSED/);
  });

  test('a subcommand other than verify, or none, is a usage error', async () => {
    const none = await audit([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^redress: name what to do with the audit log: verify\n\nredress audit — check the audit log/);
    const other = await audit(['repair']);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /^redress: unknown audit subcommand 'repair': use verify/);
    const flag = await audit(['verify', '--force']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--force/);
  });
});
