import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashCredential, newJoinCode, verifyCredential } from '../../local-ws/secrets';

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
});
