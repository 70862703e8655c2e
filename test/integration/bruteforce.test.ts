import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { connectFrom } from '../helpers/hostile';
import { rejectsWith, startRelay, TEACHER_SECRET, type TestRelay } from '../helpers/relay';

describe('join-code guessing', () => {
  let t: TestRelay;
  afterEach(() => t.stop());

  const guess = async (from: number, code: string) => {
    const c = await connectFrom(t.url, from);
    try {
      await c.join({ role: 'student', name: 'G', code });
      return 'OK';
    } catch (err) {
      return (err as { code: string }).code;
    } finally {
      c.ws.terminate();
    }
  };
  const wrong = (code: string) => (code === '000000' ? '000001' : '000000');

  it('each address gets a few wrong codes, then waits; others are not affected', async () => {
    t = await startRelay({ wrongCodeLimit: 1000 });
    const bad = wrong(t.room.code);
    const first = [];
    for (let i = 0; i < 7; i++) first.push(await guess(11, bad));
    assert.deepEqual(first, [
      'BAD_CODE',
      'BAD_CODE',
      'BAD_CODE',
      'BAD_CODE',
      'BAD_CODE',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    assert.equal(await guess(11, t.room.code), 'RATE_LIMITED', 'not even the right code from it');
    assert.equal(await guess(12, t.room.code), 'OK', 'another address with the code joins');
  });

  it('enough wrong codes everywhere rotate every code; the one replaced still opens the room for a grace', async () => {
    t = await startRelay({ wrongCodeLimit: 10, previousCodeGraceMs: 400 });
    const screen = await t.screen();
    const old = t.room.code;
    for (let a = 0; a < 10; a++) assert.equal(await guess(20 + a, wrong(old)), 'BAD_CODE');
    const changed = await screen.waitFor('codeChanged');
    assert.equal(changed.reason, 'bruteForce');
    assert.notEqual(changed.code, old);
    assert.equal(await guess(40, old), 'OK', 'a student who read the old code a moment ago');
    await new Promise((r) => setTimeout(r, 450));
    assert.equal(await guess(41, old), 'BAD_CODE', 'after the grace the old code is gone');
    assert.equal(await guess(42, changed.code), 'OK');
    // A teacher with the credential gets in with any code the screen showed this class.
    const teacher = await connectFrom(t.url, 43);
    await teacher.join({ role: 'teacher', name: 'T', code: old, credential: TEACHER_SECRET });
    teacher.ws.terminate();
  });

  it('rotations for guessing happen at most once per cooldown; a class end kills old codes at once', async () => {
    t = await startRelay({ wrongCodeLimit: 2, codeRotationCooldownMs: 60_000 });
    const screen = await t.screen();
    for (let a = 0; a < 8; a++) await guess(50 + a, wrong(t.room.code));
    await screen.waitFor('codeChanged');
    await screen.request('ping', {});
    assert.equal(screen.received('codeChanged').length, 0, 'one rotation in the cooldown');
    const teacher = await t.teacher();
    const before = t.room.code;
    await teacher.request('class.end', {});
    assert.equal((await screen.waitFor('codeChanged')).reason, 'newClass');
    await rejectsWith(
      (await connectFrom(t.url, 70)).join({ role: 'student', name: 'x', code: before }),
      'BAD_CODE',
    );
  });
});
