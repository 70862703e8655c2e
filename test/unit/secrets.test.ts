import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newJoinCode } from '../../local-ws/joinCode';
import { ALPHANUMERIC, randomId, randomToken } from '../../protocol/ids';
import {
  hashCredential,
  hashToken,
  sameSecret,
  tokenMatches,
  verifyCredential,
} from '../../server-kit/secrets';

describe('secrets', () => {
  it('hashes credentials with a salt and verifies them off the event loop', async () => {
    const a = hashCredential('s3cret-teacher');
    const b = hashCredential('s3cret-teacher');
    assert.notEqual(a, b, 'salted');
    assert.match(a, /^scrypt\$16384\$8\$1\$/);
    assert.ok(!a.includes('s3cret'));
    assert.equal(await verifyCredential('s3cret-teacher', a), true);
    assert.equal(await verifyCredential('s3cret-teacherX', a), false);
    assert.equal(await verifyCredential('s3cret-teacher', b), true);
    assert.equal(await verifyCredential('x', 'plain-text-password'), false);
    assert.equal(await verifyCredential('x', 'scrypt$1$1$1$$'), false);
    assert.equal(await verifyCredential('x', 'scrypt$0$8$1$AAAA$AAAA'), false);
  });

  it('join codes are six digits and avoid codes in use', () => {
    const avoid = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = newJoinCode(avoid);
      assert.match(code, /^\d{6}$/);
      assert.ok(!avoid.has(code));
      avoid.add(code);
    }
  });

  it('random ids have the asked length and alphabet, and every character of it turns up', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const id = randomId(31, ALPHANUMERIC);
      assert.equal(id.length, 31);
      assert.match(id, /^[A-Za-z0-9]+$/);
      for (const ch of id) seen.add(ch);
    }
    assert.equal(seen.size, 62, 'all 62 letters and digits within 6,200 draws');
    assert.equal(randomToken(24).length, 32, 'as long as base64url of 24 bytes');
    assert.match(randomToken(), /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(randomToken(), randomToken());
    assert.throws(() => randomId(4, 'a'), RangeError);
  });

  it('machine tokens are stored as SHA-256 and compared in constant time', () => {
    const token = randomToken(32);
    const stored = hashToken(token);
    assert.match(stored, /^[0-9a-f]{64}$/);
    assert.equal(tokenMatches(token, stored), true);
    assert.equal(tokenMatches(token + 'x', stored), false);
    assert.equal(sameSecret('abc', 'abc'), true);
    assert.equal(sameSecret('abc', 'abd'), false);
    assert.equal(sameSecret('abc', 'abcd'), false);
  });
});
