import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientMethods, IncomingEnvelope, isClientMethod, Signal } from '../../protocol';
import { handlers } from '../../local-ws/handlers';
import { claimsRole, cleanName, cleanText, nameSkeleton } from '../../protocol/text';

describe('protocol schemas', () => {
  it('accepts a well-formed join and trims the name', () => {
    const p = clientMethods.join.params.parse({
      protocol: 1,
      role: 'student',
      name: '  Ana  ',
      code: '012345',
    });
    assert.equal(p.name, 'Ana');
  });

  it('rejects bad join params', () => {
    const bad = [
      { protocol: 1, role: 'admin', name: 'x', code: '012345' },
      { protocol: 1, role: 'student', name: 'x', code: '12345' },
      { protocol: 1, role: 'student', name: 'x', code: '1234567' },
      { protocol: 1, role: 'student', name: 'x'.repeat(41), code: '123456' },
      { role: 'student', name: 'x', code: '123456' },
    ];
    for (const b of bad) {
      assert.equal(clientMethods.join.params.safeParse(b).success, false, JSON.stringify(b));
    }
  });

  it('signals: descriptions, candidates, end-of-candidates and restart; nothing else', () => {
    assert.ok(
      Signal.safeParse({ kind: 'description', description: { type: 'offer', sdp: 'v=0' } }).success,
    );
    assert.ok(Signal.safeParse({ kind: 'candidate', candidate: null }).success);
    assert.ok(Signal.safeParse({ kind: 'restart' }).success);
    assert.equal(
      Signal.safeParse({ kind: 'description', description: { type: 'bogus' } }).success,
      false,
    );
    assert.equal(
      Signal.safeParse({
        kind: 'description',
        description: { type: 'offer', sdp: 'x'.repeat(200_001) },
      }).success,
      false,
    );
    assert.equal(Signal.safeParse({ kind: 'teleport' }).success, false);
  });

  it('strips fields the client may not set, such as from', () => {
    const p = clientMethods.signal.params.parse({
      to: 'p1',
      from: 'forged',
      signal: { kind: 'restart' },
    });
    assert.equal('from' in p, false);
  });

  it('knows its methods without prototype surprises', () => {
    for (const method of Object.keys(clientMethods)) assert.equal(isClientMethod(method), true);
    for (const method of ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'JOIN', '']) {
      assert.equal(isClientMethod(method), false, method);
    }
    assert.equal(
      IncomingEnvelope.safeParse({ type: 'request', id: -1, method: 'join' }).success,
      false,
    );
  });

  it('every client method has exactly one relay handler; only join and ping need no room', () => {
    assert.deepEqual(Object.keys(handlers).sort(), Object.keys(clientMethods).sort());
    for (const [method, handler] of Object.entries(handlers)) {
      assert.ok(['connection', 'member', 'teacher'].includes(handler.guard), method);
    }
    // Only join and ping may be called before joining.
    assert.deepEqual(
      Object.entries(handlers)
        .filter(([, h]) => h.guard === 'connection')
        .map(([m]) => m)
        .sort(),
      ['join', 'ping'],
    );
  });
});

describe('names and text people read', () => {
  it('normalises names and refuses the characters that hide, reorder or fake text', () => {
    assert.deepEqual(cleanName('  Li   Wei '), { ok: true, text: 'Li Wei' });
    assert.deepEqual(cleanName('Cafe\u0301'), { ok: true, text: 'Café' }, 'NFC');
    for (const bad of [
      'Ana\u202Egnp.exe',
      'A\u200Bna',
      'Ana\u2066x',
      'x\u061Cy',
      'Bo\u2028Li',
      '\u0085Bo',
      'a\u0007b',
      'Zo\u0301\u0302\u0303\u0304\u0305',
      'x\uE000',
      '...',
    ]) {
      assert.equal(cleanName(bad).ok, false, JSON.stringify(bad));
    }
    assert.equal(cleanText('line one\nline two').ok, false, 'one line cannot pose as two');
    assert.equal(cleanText('emoji 👨‍👩‍👧 are fine in chat').ok, true);
  });

  it('a student may not pass for the teacher or a role, as a reader would see it', () => {
    const teachers = ['Ms. Park'];
    for (const name of [
      'Ms. Park',
      'MS PARK',
      'Мs. Pаrk',
      'ｍｓ ｐａｒｋ',
      'Teacher Tom',
      '老师',
      '선생님',
      'Admin',
    ]) {
      assert.equal(claimsRole(name, teachers), true, name);
    }
    for (const name of ['Park Ji-woo', 'Ana', '李雷', '김민수']) {
      assert.equal(claimsRole(name, teachers), false, name);
    }
    assert.equal(nameSkeleton('Мs. Pаrk'), nameSkeleton('ms park'));
  });
});
