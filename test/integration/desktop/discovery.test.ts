import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROTOCOL_VERSION } from '../../../protocol';
import type { DiscoveredRoom } from '../../../protocol/desktop';
import { RoomDiscovery } from '../../../main/discovery';

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
