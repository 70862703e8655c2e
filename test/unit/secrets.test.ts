import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hashCredential,
  newJoinCode,
  verifyCredential,
  verifyCredentialAsync,
} from '../../local-ws/secrets';

describe('secrets', () => {
  it('hashes credentials with a salt and verifies them, sync and async', async () => {
    const a = hashCredential('s3cret-teacher');
    const b = hashCredential('s3cret-teacher');
    assert.notEqual(a, b, 'salted');
    assert.match(a, /^scrypt\$16384\$8\$1\$/);
    assert.ok(!a.includes('s3cret'));
    assert.equal(verifyCredential('s3cret-teacher', a), true);
    assert.equal(verifyCredential('s3cret-teacherX', a), false);
    assert.equal(await verifyCredentialAsync('s3cret-teacher', b), true);
    assert.equal(await verifyCredentialAsync('nope', b), false);
    assert.equal(await verifyCredentialAsync('x', 'plain-text-password'), false);
    assert.equal(verifyCredential('x', 'scrypt$1$1$1$$'), false);
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
});
