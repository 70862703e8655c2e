import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clientMethods,
  IncomingEnvelope,
  isClientMethod,
  serverNotifications,
  Signal,
} from '../../protocol';

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
    for (const b of bad)
      assert.equal(clientMethods.join.params.safeParse(b).success, false, JSON.stringify(b));
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
    assert.equal(isClientMethod('join'), true);
    assert.equal(isClientMethod('__proto__'), false);
    assert.equal(isClientMethod('toString'), false);
    assert.equal(
      IncomingEnvelope.safeParse({ type: 'request', id: -1, method: 'join' }).success,
      false,
    );
    assert.ok(Object.keys(serverNotifications).includes('peerJoined'));
  });
});
