import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { contentHash, sha256Hex } from '../content-hash.ts';
import {
  auditEntryHash,
  GENESIS_HASH,
  isAuditTimestamp,
  sealAuditEntry,
  verifyAuditChain,
  type AuditEntry,
  type UnsealedAuditEntry,
} from './audit-chain.ts';

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 1; i <= length; i++) {
    entries.push(
      sealAuditEntry({
        seq: BigInt(i),
        caseId: i % 3 === 0 ? null : 'case-2024-001',
        actorId: `admin-${i % 2}`,
        role: 'administrator',
        at: `2024-03-01T09:30:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z`,
        command: i % 2 === 0 ? 'record-deposit' : 'open-case',
        reason: i % 4 === 0 ? null : `step ${i}`,
        payloadHash: contentHash({ step: i }),
        outcome: i % 5 === 0 ? 'refused' : 'accepted',
        prevHash: entries.at(-1)?.hash ?? GENESIS_HASH,
      }),
    );
  }
  return entries;
}

describe('auditEntryHash', () => {
  const entry: UnsealedAuditEntry = {
    seq: 1n,
    caseId: 'case-1',
    actorId: 'admin-1',
    role: 'administrator',
    at: '2024-03-01T09:30:00.000Z',
    command: 'open-case',
    reason: null,
    payloadHash: sha256Hex('{}'),
    outcome: 'accepted',
    prevHash: GENESIS_HASH,
  };

  test('is SHA-256 of the canonical JSON of every field but hash, seq written as a string', () => {
    const canonical =
      '{"actorId":"admin-1","at":"2024-03-01T09:30:00.000Z","caseId":"case-1","command":"open-case","outcome":"accepted",' +
      '"payloadHash":"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",' +
      '"prevHash":"0000000000000000000000000000000000000000000000000000000000000000","reason":null,"role":"administrator","seq":"1"}';
    assert.equal(auditEntryHash(entry), sha256Hex(canonical));
  });

  test('ignores anything outside the entry fields, its own hash included', () => {
    const sealed = sealAuditEntry(entry);
    assert.equal(auditEntryHash(sealed), sealed.hash);
    assert.equal(auditEntryHash({ ...entry, extra: 'column' } as UnsealedAuditEntry), sealed.hash);
  });

  test('a null reason and an empty reason are different entries', () => {
    assert.notEqual(auditEntryHash(entry), auditEntryHash({ ...entry, reason: '' }));
  });

  test('the genesis hash is 64 zeros', () => {
    assert.equal(GENESIS_HASH, '0000000000000000000000000000000000000000000000000000000000000000');
  });
});

describe('isAuditTimestamp', () => {
  test('takes only UTC instants with milliseconds that name a real date and time', () => {
    assert.equal(isAuditTimestamp('2024-02-29T23:59:59.999Z'), true);
    assert.equal(isAuditTimestamp('0001-01-01T00:00:00.000Z'), true);
    assert.equal(isAuditTimestamp('2023-02-29T00:00:00.000Z'), false); // not a leap year
    assert.equal(isAuditTimestamp('2024-03-01T24:00:00.000Z'), false);
    assert.equal(isAuditTimestamp('2024-03-01T09:60:00.000Z'), false);
    assert.equal(isAuditTimestamp('2024-03-01T09:30:00Z'), false); // no milliseconds
    assert.equal(isAuditTimestamp('2024-03-01T09:30:00.000+08:00'), false);
    assert.equal(isAuditTimestamp('2024-03-01 09:30:00.000Z'), false);
    assert.equal(isAuditTimestamp('2024-03-01T09:30:00.0000Z'), false);
  });
});

describe('verifyAuditChain', () => {
  test('an intact chain and an empty one verify, counting their entries', () => {
    assert.deepEqual(verifyAuditChain(chain(7)), { ok: true, entries: 7 });
    assert.deepEqual(verifyAuditChain([]), { ok: true, entries: 0 });
  });

  test('a chain checked page by page continues from the last entry of the previous page', () => {
    const entries = chain(6);
    const last = entries[2]!;
    assert.deepEqual(verifyAuditChain(entries.slice(3), last), { ok: true, entries: 3 });
    // The second page alone does not start the log.
    assert.deepEqual(verifyAuditChain(entries.slice(3)), {
      ok: false,
      brokenAt: 4n,
      problem: 'the log starts at entry 4: entries 1 to 3 are missing',
    });
  });

  test('an edited field is caught at the edited entry', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, reason: 'a different reason' };
    const verdict = verifyAuditChain(entries);
    assert.equal(verdict.ok, false);
    assert.equal(verdict.ok ? null : verdict.brokenAt, 3n);
    assert.match(verdict.ok ? '' : verdict.problem, /^entry 3 was altered: its contents hash to [0-9a-f]{64}, but it records [0-9a-f]{64}$/);
  });

  test('an edit that reseals the entry is caught at the next one, whose link no longer holds', () => {
    const entries = chain(5);
    entries[1] = sealAuditEntry({ ...withoutHash(entries[1]!), outcome: 'refused' });
    assert.deepEqual(verifyAuditChain(entries), {
      ok: false,
      brokenAt: 3n,
      problem: `entry 3 does not link to its predecessor: it records previous hash ${entries[2]!.prevHash}, not the hash of entry 2 (${entries[1].hash})`,
    });
  });

  test('a deleted entry leaves a gap at the entry after it', () => {
    const entries = chain(5);
    assert.deepEqual(verifyAuditChain([...entries.slice(0, 2), ...entries.slice(3)]), {
      ok: false,
      brokenAt: 4n,
      problem: 'entry 4 follows entry 2: entry 3 is missing',
    });
    assert.deepEqual(verifyAuditChain([entries[0]!, entries[4]!]), {
      ok: false,
      brokenAt: 5n,
      problem: 'entry 5 follows entry 1: entries 2 to 4 are missing',
    });
    assert.deepEqual(verifyAuditChain(entries.slice(1)), { ok: false, brokenAt: 2n, problem: 'the log starts at entry 2: entry 1 is missing' });
  });

  test('a deleted entry whose successors were renumbered and resealed is caught by the link', () => {
    const entries = chain(4);
    const renumbered = sealAuditEntry({ ...withoutHash(entries[2]!), seq: 2n });
    assert.deepEqual(verifyAuditChain([entries[0]!, renumbered]), {
      ok: false,
      brokenAt: 2n,
      problem: `entry 2 does not link to its predecessor: it records previous hash ${entries[1]!.hash}, not the hash of entry 1 (${entries[0]!.hash})`,
    });
  });

  test('a reordered or repeated entry is caught where the order breaks', () => {
    const entries = chain(4);
    assert.deepEqual(verifyAuditChain([entries[0]!, entries[2]!, entries[1]!, entries[3]!]), {
      ok: false,
      brokenAt: 3n,
      problem: 'entry 3 follows entry 1: entry 2 is missing',
    });
    assert.deepEqual(verifyAuditChain([entries[0]!, entries[1]!, entries[1]!]), {
      ok: false,
      brokenAt: 2n,
      problem: 'entry 2 comes after entry 2: entries are out of order or repeated',
    });
  });

  test('a first entry that does not start from the genesis hash is refused', () => {
    const first = sealAuditEntry({ ...withoutHash(chain(1)[0]!), prevHash: 'f'.repeat(64) });
    assert.deepEqual(verifyAuditChain([first]), {
      ok: false,
      brokenAt: 1n,
      problem: `entry 1 does not link to its predecessor: it records previous hash ${'f'.repeat(64)}, not the genesis hash`,
    });
  });

  test('a cut-off tail is still a valid, shorter chain: only a published head hash can show it', () => {
    assert.deepEqual(verifyAuditChain(chain(5).slice(0, 3)), { ok: true, entries: 3 });
  });

  test('property: changing any one field of any entry is caught at that entry', () => {
    const fields = ['seq', 'caseId', 'actorId', 'role', 'at', 'command', 'reason', 'payloadHash', 'outcome', 'prevHash', 'hash'] as const;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(), fc.constantFrom(...fields), (length, pick, field) => {
        const entries = chain(length);
        const index = pick % length;
        const original = entries[index]!;
        const changed: AuditEntry = { ...original };
        switch (field) {
          case 'seq':
            changed.seq = original.seq + 100n;
            break;
          case 'outcome':
            changed.outcome = original.outcome === 'accepted' ? 'refused' : 'accepted';
            break;
          case 'caseId':
          case 'reason':
            changed[field] = original[field] === null ? '' : null;
            break;
          default:
            changed[field] = `${original[field]}x`;
        }
        entries[index] = changed;
        const verdict = verifyAuditChain(entries);
        return !verdict.ok && verdict.brokenAt === changed.seq;
      }),
    );
  });

  test('property: removing any entry but the last is caught at the entry after it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.nat(), (length, pick) => {
        const entries = chain(length);
        const index = pick % (length - 1);
        entries.splice(index, 1);
        const verdict = verifyAuditChain(entries);
        return !verdict.ok && verdict.brokenAt === BigInt(index + 2);
      }),
    );
  });
});

function withoutHash(entry: AuditEntry): UnsealedAuditEntry {
  const { hash: _hash, ...rest } = entry;
  return rest;
}
