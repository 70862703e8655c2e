import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_WAITING, MAX_WAITING_PER_ADDRESS } from '../../local-ws/RoomLobby';
import { assertUnharmed, startCanary } from '../helpers/hostile';
import { rejectsWith, sleep, startRelay, type TestRelay } from '../helpers/relay';
import { TestClient } from '../helpers/TestClient';

describe('join approval: the lobby', () => {
  let t: TestRelay;
  before(async () => {
    t = await startRelay();
  });
  after(() => t.stop());

  it('a waiting device gets nothing of the room until a teacher lets it in; a refused one is told', async () => {
    const teacher = await t.teacher();
    const ana = await t.student('Ana');
    await teacher.request('room.approval', { on: true });
    await teacher.waitFor('roomUpdated', (p) => p.room.approval === true);

    const bo = await t.connect();
    const boJoin = bo.join({ role: 'student', name: 'Bo', code: t.room.code });
    const waiting = await teacher.waitFor('lobbyChanged', (p) => p.waiting.length === 1);
    assert.equal(waiting.waiting[0]!.name, 'Bo');
    assert.equal(typeof waiting.waiting[0]!.device, 'string');
    // Meanwhile the class goes on: Bo hears none of it.
    await ana.request('chat', { text: 'hello class' });
    await ana.request('hand.set', { raised: true });
    await sleep(300);
    assert.deepEqual(bo.methods(), ['lobbyWaiting']);
    // A student cannot let anyone in.
    await rejectsWith(ana.request('lobby.admit', { id: waiting.waiting[0]!.id }), 'NOT_TEACHER');

    await teacher.request('lobby.admit', { id: waiting.waiting[0]!.id });
    const ack = await boJoin;
    assert.ok(ack.snapshot.peers.some((p) => p.name === 'Ana'));
    assert.equal(ack.snapshot.lobby, undefined, 'students do not see the lobby');
    await teacher.waitFor('peerJoined', (p) => p.peer.name === 'Bo');

    const eve = await t.connect();
    const eveJoin = eve.join({ role: 'student', name: 'Eve', code: t.room.code });
    const knocked = await teacher.waitFor('lobbyChanged', (p) => p.waiting.length === 1);
    await teacher.request('lobby.refuse', { id: knocked.waiting[0]!.id });
    await rejectsWith(eveJoin, 'LOBBY_REFUSED');
    assert.ok(!t.room.members.size || ![...t.room.members.values()].some((m) => m.name === 'Eve'));

    // A wrong code does not even knock.
    await rejectsWith(
      (await t.connect()).join({ role: 'student', name: 'Mallory', code: '000000' }),
      'BAD_CODE',
    );
    await teacher.request('room.approval', { on: false });
  });

  it('1,000 knocks from 50 devices (a socket each knock) stay bounded and leave others’ ping unaffected', async () => {
    const teacher = await t.teacher('Mr. Lobby');
    const canary = await startCanary(t.url, t.room.code);
    await teacher.request('room.approval', { on: true });
    const outcomes: Record<string, number> = {};
    const count = (code: string) => (outcomes[code] = (outcomes[code] ?? 0) + 1);
    const sockets: TestClient[] = [];
    // 50 devices (addresses) knock 20 times each, a new socket per knock without waiting for
    // the answer: the lobby, the per-address caps and the knock budget must hold them.
    const knocks: Promise<unknown>[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const localAddress = `127.0.${2 + Math.floor(i / 25)}.${1 + (i % 25)}`;
        for (let k = 0; k < 20; k++) {
          const s = await TestClient.connect(t.url, { localAddress }).catch(() => null);
          if (!s) {
            count('UPGRADE_REFUSED');
            continue;
          }
          sockets.push(s);
          knocks.push(
            s
              .join({ role: 'student', name: `K${i}-${k}`, code: t.room.code })
              .then(() => count('ADMITTED'))
              .catch((err: { code?: string }) => count(err.code ?? 'ERROR')),
          );
          await sleep(10);
        }
      }),
    );
    await sleep(2000);
    const largest = Math.max(0, ...teacher.received('lobbyChanged').map((p) => p.waiting.length));
    // The teacher refuses whoever still waits: every knock is then answered.
    for (const w of t.room.lobby.list()) await teacher.request('lobby.refuse', { id: w.id });
    await Promise.all(knocks);
    console.log(
      `1,000 knocks from 50 devices: ${JSON.stringify(outcomes)}; lobby at most ${largest}`,
    );
    assert.ok(largest > 0 && largest <= MAX_WAITING, `the lobby held ${largest}`);
    assert.ok((outcomes['LOBBY_FULL'] ?? 0) > 0, 'the caps refused some');
    assert.ok(
      (outcomes['LOBBY_REFUSED'] ?? 0) <= Math.min(MAX_WAITING, 50 * MAX_WAITING_PER_ADDRESS),
    );
    assert.equal(outcomes['ADMITTED'] ?? 0, 0, 'nobody got in without a teacher');
    assert.equal(t.room.lobby.list().length, 0);
    assertUnharmed(await canary.stop(), 'lobby knocks');
    await teacher.request('room.approval', { on: false });
    for (const s of sockets) s.ws.terminate();
  });
});
