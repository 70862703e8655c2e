/**
 * Scale-out: two cloud processes sharing a real Redis. A command posted to process A reaches a
 * room whose link process B holds; when B dies (SIGKILL, no goodbye), its rooms show offline
 * within the presence expiry. A timetable set through A reaches the host through B.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { RoomSummary } from '../../protocol';
import { ClassScheduler } from '../../local-ws/schedule/ClassScheduler';
import { RemoteClose } from '../../protocol';
import { adminApi, ADMIN_TOKEN, linkOnline, linkRoom } from '../helpers/cloud';
import { until } from '../helpers/media';
import { startRedis } from '../helpers/redis';
import { startRelay } from '../helpers/relay';
import { TestClient } from '../helpers/TestClient';
import { spawnCloud } from '../helpers/spawnCloud';

const TTL_MS = 2000;

test(
  'a command posted to one process reaches a room linked to another; a dead process’s rooms go offline',
  { timeout: 60_000 },
  async () => {
    const redis = await startRedis();
    const args = [
      '--redis',
      redis.url,
      '--presence-ttl-ms',
      String(TTL_MS),
      '--heartbeat-ms',
      '1000',
    ];
    const a = await spawnCloud(args, ADMIN_TOKEN);
    const b = await spawnCloud(args, ADMIN_TOKEN);
    const relay = await startRelay();
    const apiA = adminApi(`http://127.0.0.1:${a.port}`);
    const apiB = adminApi(`http://127.0.0.1:${b.port}`);
    try {
      assert.notEqual(a.processId, b.processId);
      // Created through A, kept in Redis: B accepts the room's link.
      const room = (
        await apiA<{ id: string; token: string }>('POST', '/api/rooms', { name: 'Lab 3' })
      ).body;
      const scheduler = new ClassScheduler(relay.room, relay.relay.registry, {
        file: path.join(mkdtempSync(path.join(os.tmpdir(), 'lectern-sched-')), 'schedule.json'),
      });
      await scheduler.start();
      const feed = linkRoom(
        relay.relay,
        relay.room,
        { url: `ws://127.0.0.1:${b.port}/link`, roomId: room.id, token: room.token },
        (t) => scheduler.set(t),
      );
      try {
        const teacher = await relay.teacher();
        await until(
          'A sees the room online',
          async () => (await apiA<RoomSummary[]>('GET', '/api/rooms')).body[0]?.online,
          (o) => o === true,
          10_000,
          100,
        );
        // The roster B published (views are shared every 500 ms).
        await until(
          'A shows the teacher B reported',
          async () => (await apiA<RoomSummary[]>('GET', '/api/rooms')).body[0]?.devices,
          (n) => n === 1,
          5000,
          100,
        );

        const posted = await apiA<{ id: string }>('POST', `/api/rooms/${room.id}/commands`, {
          type: 'message',
          text: 'via A',
        });
        assert.equal(posted.status, 202);
        assert.equal((await teacher.waitFor('screenMessage', undefined, 5000)).text, 'via A');
        const detail = await until(
          'the result, seen from A',
          async () =>
            (
              await apiA<{ commands: { id: string; state: string }[] }>(
                'GET',
                `/api/rooms/${room.id}`,
              )
            ).body.commands,
          (c) => c.some((x) => x.id === posted.body.id && x.state === 'done'),
          5000,
          100,
        );
        assert.ok(detail);
        // A timetable set through A reaches the host linked to B at once.
        const start = Date.now() + 3600_000;
        const next = teacher.waitFor('roomUpdated', (p) => p.room.next?.title === 'Violin', 5000);
        const scheduled = await apiA<{ delivered: boolean }>(
          'PUT',
          `/api/rooms/${room.id}/schedule`,
          {
            classes: [{ id: 'v', title: 'Violin', start, end: start + 3600_000 }],
          },
        );
        assert.equal(scheduled.body.delivered, true);
        assert.equal((await next).room.next?.start, start);
        await scheduler.stop();
        assert.equal((await apiB<RoomSummary[]>('GET', '/api/rooms')).body[0]!.online, true);

        const killedAt = Date.now();
        await b.kill('SIGKILL');
        await until(
          'A shows the room offline',
          async () => (await apiA<RoomSummary[]>('GET', '/api/rooms')).body[0]!.online,
          (o) => o === false,
          TTL_MS + 3000,
          50,
        );
        const after = Date.now() - killedAt;
        console.log(
          `redis: command A→B delivered; B killed → room offline on A after ${after} ms (presence expiry ${TTL_MS} ms)`,
        );
        assert.ok(after <= TTL_MS + 1000, `offline after ${after} ms`);
        const refused = await apiA<{ error: { code: string } }>(
          'POST',
          `/api/rooms/${room.id}/commands`,
          { type: 'reload' },
        );
        assert.equal(refused.body.error.code, 'ROOM_OFFLINE');
      } finally {
        feed.close();
      }
    } finally {
      await relay.stop();
      await a.kill('SIGTERM');
      await b.kill('SIGTERM');
      await redis.stop();
    }
  },
);

test(
  'a remote participant whose socket reaches another process than the room’s link joins all the same',
  { timeout: 60_000 },
  async () => {
    const redis = await startRedis();
    const args = [
      '--redis',
      redis.url,
      '--presence-ttl-ms',
      String(TTL_MS),
      '--heartbeat-ms',
      '1000',
    ];
    const a = await spawnCloud(args, ADMIN_TOKEN);
    const b = await spawnCloud(args, ADMIN_TOKEN);
    const relay = await startRelay();
    const apiA = adminApi(`http://127.0.0.1:${a.port}`);
    try {
      const room = (
        await apiA<{ id: string; token: string }>('POST', '/api/rooms', { name: 'Lab 4' })
      ).body;
      // The room's link is on B; the load balancer sends the browsers to A.
      const feed = linkRoom(relay.relay, relay.room, {
        url: `ws://127.0.0.1:${b.port}/link`,
        roomId: room.id,
        token: room.token,
      });
      try {
        await linkOnline(feed);
        const teacher = await relay.teacher();
        const made = await apiA<{ token: string }>(
          'POST',
          `/api/rooms/${room.id}/remote-links`,
          {},
        );
        const remoteOn = (port: number) =>
          TestClient.connect(
            `ws://127.0.0.1:${port}/remote?link=${encodeURIComponent(made.body.token)}`,
          );
        const rita = await remoteOn(a.port);
        const ack = await rita.join({ role: 'student', name: 'Rita' });
        assert.equal(ack.snapshot.code, undefined, 'no join code, on either process');
        const joined = await teacher.waitFor('peerJoined', (p) => p.peer.name === 'Rita');
        assert.equal(joined.peer.remote, true);
        // Both ways, in order, through A and B.
        await rita.request('hand.set', { raised: true });
        await teacher.waitFor('peerUpdated', (p) => p.peer.id === rita.peerId && p.peer.hand);
        for (let i = 0; i < 5; i++) await teacher.request('chat', { text: `line ${i}` });
        await rita.waitFor('chatPosted', (p) => p.message.text === 'line 4');
        // The lines before the last are still in her inbox, in the order the teacher sent them.
        const lines = rita
          .received('chatPosted')
          .map((p) => p.message.text)
          .filter((t) => t.startsWith('line '));
        assert.deepEqual(lines, ['line 0', 'line 1', 'line 2', 'line 3']);
        assert.equal(relay.room.members.size, 2, 'the teacher and Rita');

        // Revoked on B's API: her socket on A closes, and the room sees her leave.
        const bApi = adminApi(`http://127.0.0.1:${b.port}`);
        await bApi('DELETE', `/api/rooms/${room.id}/remote-links`, {});
        assert.equal((await rita.closed).code, RemoteClose.REMOTE_REVOKED);
        await teacher.waitFor('peerLeft', (p) => p.peerId === rita.peerId);

        // Another link; then the room's link drops: her socket on A is told the room is gone.
        const again = await apiA<{ token: string }>(
          'POST',
          `/api/rooms/${room.id}/remote-links`,
          {},
        );
        const rex = await TestClient.connect(
          `ws://127.0.0.1:${a.port}/remote?link=${encodeURIComponent(again.body.token)}`,
        );
        await rex.join({ role: 'student', name: 'Rex' });
        feed.close();
        assert.equal((await rex.closed).code, RemoteClose.ROOM_UNREACHABLE);
      } finally {
        feed.close();
      }
    } finally {
      await relay.stop();
      await a.kill('SIGTERM');
      await b.kill('SIGTERM');
      await redis.stop();
    }
  },
);
