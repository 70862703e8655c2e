import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROTOCOL_VERSION } from '../../../protocol';
import { roomFromService, roomServiceConfig } from '../../../main/discovery';

describe('mDNS records', () => {
  it('advertises name, version and id — never the join code', () => {
    const c = roomServiceConfig({ id: 'r-8f3a2c1d', name: 'Room 101', port: 47800 });
    assert.equal(c.type, 'lectern');
    assert.equal(c.protocol, 'tcp');
    assert.equal(c.port, 47800);
    assert.equal(c.name, 'Room 101 · r-8f3a');
    assert.deepEqual(c.txt, { v: String(PROTOCOL_VERSION), room: 'Room 101', id: 'r-8f3a2c1d' });
    assert.ok(!JSON.stringify(c).match(/\b\d{6}\b/), 'no six-digit code anywhere');
  });

  it('carries the room key pin; a browsed advert with a malformed pin has none', () => {
    const pin = 'iTXgeZwT2xITguklMtF4VikH9z0G0XA7JIvWWicce2E=';
    const c = roomServiceConfig({ id: 'r-1', name: 'Room', port: 47800, pin });
    assert.equal((c.txt as Record<string, string>)['pin'], pin);
    const found = { name: 'Room · r-1', port: 47800, addresses: ['10.0.0.5'] };
    const txt = { v: '1', room: 'Room' };
    assert.equal(roomFromService({ ...found, txt: { ...txt, pin } })?.pin, pin);
    for (const bad of ['', 'abc', `${pin}x`, pin.replace('=', '"')]) {
      assert.equal(roomFromService({ ...found, txt: { ...txt, pin: bad } })?.pin, undefined, bad);
    }
  });

  it('keeps instance names within 63 bytes without splitting a character', () => {
    const c = roomServiceConfig({ id: 'abcdef', name: '物理实验室'.repeat(10), port: 1 });
    assert.ok(Buffer.byteLength(c.name) <= 63);
    assert.ok(!c.name.includes('\uFFFD'));
    assert.match(c.name, / · abcdef$/);
  });

  it('turns browsed services into rooms, rejecting invalid ones', () => {
    const base = { name: 'Room · x', port: 47800, txt: { v: '1', room: 'Room' } };
    assert.deepEqual(roomFromService({ ...base, addresses: ['fe80::1', '10.0.0.5'] }), {
      id: 'Room · x',
      name: 'Room',
      address: '10.0.0.5:47800',
      protocolVersion: 1,
    });
    assert.equal(roomFromService({ ...base, addresses: ['fd00::5'] })?.address, '[fd00::5]:47800');
    assert.equal(roomFromService({ ...base, addresses: ['169.254.1.1', 'fe80::1'] }), null);
    assert.equal(roomFromService({ ...base, addresses: ['10.0.0.5'], txt: {} }), null);
    assert.equal(roomFromService({ ...base, addresses: ['10.0.0.5'], port: 0 }), null);
    assert.equal(
      roomFromService({ ...base, addresses: ['10.0.0.5'], txt: { v: 'x', room: 'R' } }),
      null,
    );
  });
});
