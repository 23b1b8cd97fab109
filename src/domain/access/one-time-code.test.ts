import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeDigest, judgeCode, mayIssueCode, type SignInChallenge } from './one-time-code.ts';

const issued = new Date('2027-01-05T02:00:00Z');
const challenge = (overrides: Partial<SignInChallenge> = {}): SignInChallenge => ({
  id: 'ch-1', codeSha256: codeDigest('ch-1', '482913'), expiresAt: new Date(issued.getTime() + 600_000), attempts: 0, usedAt: null, ...overrides,
});

describe('one-time sign-in codes', () => {
  it('signs in with the right code within ten minutes, and not with another', () => {
    assert.equal(judgeCode(challenge(), '482913', new Date(issued.getTime() + 599_999)), 'ok');
    assert.equal(judgeCode(challenge(), ' 482913 ', issued), 'ok', 'spaces typed around it do not matter');
    assert.equal(judgeCode(challenge(), '482914', issued), 'wrong');
    assert.equal(judgeCode(challenge(), '', issued), 'wrong');
  });

  it('refuses an expired, a used or an exhausted code even when it is right', () => {
    assert.equal(judgeCode(challenge(), '482913', new Date(issued.getTime() + 600_000)), 'expired');
    assert.equal(judgeCode(challenge({ usedAt: issued }), '482913', issued), 'used');
    assert.equal(judgeCode(challenge({ attempts: 5 }), '482913', issued), 'locked');
    assert.equal(judgeCode(challenge({ attempts: 4 }), '482913', issued), 'ok');
  });

  it('hashes a code with its challenge, so one code gives different digests', () => {
    assert.notEqual(codeDigest('ch-1', '000000'), codeDigest('ch-2', '000000'));
    assert.match(codeDigest('ch-1', '000000'), /^[0-9a-f]{64}$/);
  });

  it('sends at most three codes in fifteen minutes', () => {
    const minutesAgo = (minutes: number) => new Date(issued.getTime() - minutes * 60_000);
    assert.equal(mayIssueCode([minutesAgo(1), minutesAgo(5)], issued), true);
    assert.equal(mayIssueCode([minutesAgo(1), minutesAgo(5), minutesAgo(14)], issued), false);
    assert.equal(mayIssueCode([minutesAgo(1), minutesAgo(5), minutesAgo(15)], issued), true, 'a code fifteen minutes old no longer counts');
  });
});
