import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientMethods, IncomingEnvelope, isClientMethod, Signal } from '../../protocol';
import { handlers } from '../../local-ws/handlers';

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
      { protocol: 1, role: 'student', name: 'a\u0007b', code: '123456' },
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
