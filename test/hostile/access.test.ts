import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { connectFrom } from '../helpers/hostile';
import { rejectsWith, sleep } from '../helpers/relay';
import { spawnRelay, type RelayChild } from '../helpers/spawnRelay';
import { TestClient } from '../helpers/TestClient';

const TEACHER = 'teacher';

/** The upgrade's HTTP status for these headers. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => undefined);
  });
}

/** Who may reach the relay at all, and what a removed student or a stranger gets. */
describe('hostile classmates: access', () => {
  let relay: RelayChild;
  let code: string;
  before(async () => {
    relay = await spawnRelay({}, { teacher: TEACHER });
    ({ code } = relay.rooms[0]!);
  });
  after(() => relay.stop());

  it('only the relay’s own pages (and the app) may open the WebSocket; no DNS rebinding', async () => {
    const host = `127.0.0.1:${relay.port}`;
    assert.equal(await upgradeStatus(relay.url, { origin: `http://${host}` }), 101);
    assert.equal(await upgradeStatus(relay.url, { origin: 'app://lectern' }), 101);
    assert.equal(await upgradeStatus(relay.url, {}), 101, 'non-browser clients send no Origin');
    assert.equal(await upgradeStatus(relay.url, { origin: 'https://evil.example' }), 403);
    assert.equal(
      await upgradeStatus(relay.url, { origin: `http://127.0.0.1:1${relay.port}` }),
      403,
    );
    // A page on a name that resolves here (DNS rebinding) sends its own name as the Host.
    assert.equal(
      await upgradeStatus(relay.url, {
        host: `evil.example:${relay.port}`,
        origin: `http://evil.example:${relay.port}`,
      }),
      403,
    );
  });

  it('idle sockets from a few addresses cannot keep a new device out', async () => {
    const idle: TestClient[] = [];
    for (let a = 0; a < 8; a++) {
      for (let i = 0; i < 16; i++) {
        try {
          idle.push(await connectFrom(relay.url, 120 + a));
        } catch {
          // refused: this address already has all the sockets it may keep waiting
        }
      }
    }
    const newcomer = await connectFrom(relay.url, 30);
    await newcomer.join({ role: 'student', name: 'New', code });
    console.log(
      `idle pre-join sockets held: ${idle.filter((c) => c.ws.readyState === WebSocket.OPEN).length}`,
    );
    for (const c of [...idle, newcomer]) c.ws.terminate();
  });

  it('a removed student stays out for the class, until the teacher lets them back in', async () => {
    const teacher = await connectFrom(relay.url, 31);
    await teacher.join({ role: 'teacher', name: 'T', code, credential: TEACHER });
    const ana = await connectFrom(relay.url, 32);
    await ana.join({ role: 'student', name: 'Ana', code, device: 'ana-device-0001' });
    await teacher.request('peer.remove', { peerId: ana.peerId });
    const bans = await teacher.waitFor('bansChanged');
    assert.deepEqual(
      bans.bans.map((b) => b.name),
      ['Ana'],
    );
    // Back with a new page (new device id) from the same address, or the same device elsewhere.
    const again = await connectFrom(relay.url, 32);
    await rejectsWith(
      again.join({ role: 'student', name: 'Ana', code, device: 'fresh-device-01' }),
      'BANNED',
    );
    const elsewhere = await connectFrom(relay.url, 33);
    await rejectsWith(
      elsewhere.join({ role: 'student', name: 'Ana', code, device: 'ana-device-0001' }),
      'BANNED',
    );
    await teacher.request('peer.unban', { banId: bans.bans[0]!.id });
    const back = await connectFrom(relay.url, 34);
    await back.join({ role: 'student', name: 'Ana', code, device: 'fresh-device-02' });
    for (const c of [teacher, ana, again, elsewhere, back]) c.ws.terminate();
  });

  it('/healthz says the host is up, and the counters only to a room screen', async () => {
    const base = `http://127.0.0.1:${relay.port}/healthz`;
    assert.deepEqual(await (await fetch(base)).json(), { ok: true });
    const authorized = await fetch(base, {
      headers: { authorization: `Bearer ${relay.rooms[0]!.screenKey}` },
    });
    const stats = (await authorized.json()) as { connections: number };
    assert.equal(typeof stats.connections, 'number');
    await sleep(10);
  });
});
