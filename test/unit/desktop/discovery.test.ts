import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DiscoveredRoom } from '../../../protocol/desktop';
import { PROTOCOL_VERSION } from '../../../protocol';
import { RoomDiscovery, roomFromService, roomServiceConfig } from '../../../main/discovery';

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

// Real multicast needs the test runner's own network namespace (loopback with multicast on).
describe('mDNS on the wire', { skip: !process.env.LECTERN_NETNS && 'needs the test netns' }, () => {
  it('a client finds an advertised room, and sees it go when the host stops', async () => {
    const opts = { interface: '127.0.0.1', bind: '0.0.0.0', loopback: true, ttl: 1 };
    const host = new RoomDiscovery(opts);
    const client = new RoomDiscovery(opts);
    try {
      const seen: DiscoveredRoom[][] = [];
      const changed = (pred: (rooms: DiscoveredRoom[]) => boolean) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(JSON.stringify(seen))), 8000);
          const check = () => {
            if (seen.length > 0 && pred(seen[seen.length - 1]!)) {
              clearTimeout(timer);
              resolve();
            } else setTimeout(check, 20);
          };
          check();
        });
      client.browse((rooms) => seen.push(rooms));
      const stop = host.advertise({ id: 'abcdef123', name: 'Room 101 — 物理', port: 47801 });
      await changed((rooms) => rooms.length === 1);
      assert.deepEqual(seen[seen.length - 1], [
        {
          id: 'Room 101 — 物理 · abcdef',
          name: 'Room 101 — 物理',
          address: '127.0.0.1:47801',
          protocolVersion: PROTOCOL_VERSION,
        },
      ]);
      stop();
      await changed((rooms) => rooms.length === 0);
    } finally {
      await host.close();
      await client.close();
      await client.close(); // safe twice
    }
  });
});
