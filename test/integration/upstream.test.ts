/**
 * The upstream link and the cloud control server on real sockets: what a room reports, operator
 * commands, credentials, resync after a cloud restart, a host restart with its outbox on disk,
 * and one TCP connection for a room of 200 devices.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CloseCode, type CloudStatus, type Msg, type RoomEvent } from '../../protocol';
import { linkedRoom, linkOnline, linkRoom, startCloud } from '../helpers/cloud';
import { FaultProxy } from '../helpers/FaultProxy';
import { LanDevice } from '../helpers/LanDevice';
import { until } from '../helpers/media';
import { LOAD_LIMITS, startRelay } from '../helpers/relay';
import { spawnHost } from '../helpers/spawnHost';

const events = (msgs: Msg[]) => msgs.filter((m) => m.k === 'event').map((m) => m.b as RoomEvent);

test('a room reports roster, shares, layout and metrics; chat only when allowed', async () => {
  const linked = await linkedRoom({ name: 'Room 101' });
  const { cloud, relay, id, feed } = linked;
  const seen: Msg[] = [];
  cloud.cloud.onApplied((_r, m) => seen.push(m));
  try {
    const teacher = await relay.teacher();
    await linkOnline(feed);
    const ann = await relay.student('Ann');
    await ann.request('chat', { text: 'private to the room' });
    const share = await teacher.request('share.start', {
      kind: 'screen',
      label: 'Desktop',
      preset: 'sharp',
    });
    await ann.request('metrics.report', {
      streams: [
        {
          id: 'r1',
          direction: 'in',
          path: 'sfu',
          codec: 'VP8',
          width: 1920,
          height: 1080,
          fps: 30,
          bitrateKbps: 4200,
          packetsLost: 3,
          lossRate: 0.002,
          jitterMs: 4,
          rttMs: 2,
        },
      ],
      iceFailures: 0,
      iceInterruptions: 1,
    });
    const view = await until(
      'room view with the share and metrics',
      async () =>
        (
          await cloud.api<{
            shares: { by: string }[];
            series: unknown[];
            peers: unknown[];
            health: string;
            iceInterruptions: number;
          }>('GET', `/api/rooms/${id}`)
        ).body,
      (v) => v.shares.length === 1 && v.series.length === 1,
      5000,
      50,
    );
    assert.equal(view.shares[0]!.by, 'Ms. Teacher');
    assert.equal(view.peers.length, 2);
    assert.equal(view.health, 'ok');
    assert.equal(view.iceInterruptions, 1);
    const methods = events(seen).map((e) => e.method);
    assert.ok(
      methods.includes('peerJoined') &&
        methods.includes('shareStarted') &&
        methods.includes('layoutChanged'),
    );
    assert.ok(
      !methods.includes('chatPosted'),
      'chat stays in the room unless the policy allows it',
    );
    assert.ok(!JSON.stringify(seen).includes(relay.room.code), 'the join code never goes upstream');
    assert.ok(share.shareId);
    const metrics = seen.find((m) => m.k === 'metrics')!;
    assert.equal(metrics.d, ann.peerId, 'metrics are multiplexed by device');
    const grid = await cloud.api<
      { online: boolean; devices: number; sharing: string[]; classRunning: boolean }[]
    >('GET', '/api/rooms');
    assert.deepEqual(
      {
        online: grid.body[0]!.online,
        devices: grid.body[0]!.devices,
        sharing: grid.body[0]!.sharing,
        classRunning: grid.body[0]!.classRunning,
      },
      { online: true, devices: 2, sharing: ['Ms. Teacher'], classRunning: true },
    );
  } finally {
    await linked.stop();
  }
});

test('operator commands reach the room; refusals come back with their code', async () => {
  const linked = await linkedRoom();
  const { cloud, relay, id, feed } = linked;
  try {
    const teacher = await relay.teacher();
    const screen = await relay.screen();
    const student = await relay.student('Bo');
    await linkOnline(feed);
    const post = (body: unknown) =>
      cloud.api<{ id?: string; error?: { code: string } }>(
        'POST',
        `/api/rooms/${id}/commands`,
        body,
      );

    assert.equal(
      (await post({ type: 'message', text: 'Fire drill at 10:40', seconds: 60 })).status,
      202,
    );
    assert.deepEqual(await screen.waitFor('screenMessage'), {
      text: 'Fire drill at 10:40',
      seconds: 60,
    });
    assert.equal((await teacher.waitFor('screenMessage')).text, 'Fire drill at 10:40');

    const before = relay.room.code;
    await post({ type: 'rotateCode' });
    const changed = await screen.waitFor('codeChanged');
    assert.equal(changed.reason, 'operator');
    assert.notEqual(changed.code, before);

    await post({ type: 'reload' });
    await screen.waitFor('reloadRequested');

    const bad = await post({ type: 'layout', layout: { mode: '2up', slots: ['nope', null] } });
    assert.equal(bad.status, 202);
    const failed = await until(
      'the refused layout reported',
      async () =>
        (
          await cloud.api<{ commands: { id: string; state: string; error?: string }[] }>(
            'GET',
            `/api/rooms/${id}`,
          )
        ).body.commands,
      (c) => c.some((x) => x.id === bad.body.id && x.state === 'failed'),
      5000,
      50,
    );
    assert.equal(failed.find((x) => x.id === bad.body.id)!.error, 'SHARE_NOT_FOUND');

    await post({ type: 'endClass' });
    assert.equal((await student.closed).code, CloseCode.CLASS_ENDED);

    assert.equal((await post({ type: 'explode' })).body.error!.code, 'INVALID_PARAMS');
    assert.equal((await post({ type: 'message', text: '' })).status, 400);
    const never = await cloud.addRoom('Never linked');
    assert.equal(
      (
        await cloud.api<{ error: { code: string } }>('POST', `/api/rooms/${never.id}/commands`, {
          type: 'reload',
        })
      ).body.error.code,
      'ROOM_OFFLINE',
    );
    assert.equal((await cloud.api('GET', '/api/rooms/nope')).status, 404);
    const anon = await fetch(`${cloud.base}/api/rooms`);
    assert.equal(anon.status, 401);
    assert.equal(((await anon.json()) as { error: { code: string } }).error.code, 'UNAUTHORIZED');
  } finally {
    await linked.stop();
  }
});

test('a wrong or revoked room credential is refused and the teacher sees it', async () => {
  const cloud = await startCloud();
  const relay = await startRelay();
  const { id, token } = await cloud.addRoom();
  const wrong = linkRoom(relay.relay, relay.room, {
    url: cloud.linkUrl,
    roomId: id,
    token: 'lct_wrong',
  });
  try {
    await until(
      'rejected',
      async () => wrong.link.status.state,
      (s) => s === 'rejected',
      5000,
      20,
    );
    assert.equal(cloud.cloud.stats().links, 0);
  } finally {
    wrong.close();
  }
  const feed = linkRoom(relay.relay, relay.room, { url: cloud.linkUrl, roomId: id, token });
  try {
    const teacher = await relay.teacher();
    await linkOnline(feed);
    assert.equal((await cloud.api('DELETE', `/api/rooms/${id}/token`)).status, 200);
    const status = await teacher.waitFor('cloudStatus', (s: CloudStatus) => s.state === 'rejected');
    assert.equal(status.state, 'rejected');
    assert.equal(cloud.cloud.stats().links, 0);
    // A new credential from the console works again.
    const fresh = await cloud.api<{ token: string }>('POST', `/api/rooms/${id}/token`);
    assert.notEqual(fresh.body.token, token);
  } finally {
    feed.close();
    await relay.stop();
    await cloud.stop();
  }
});

test('a cloud restarted with empty memory gets each room back by exactly one snapshot', async () => {
  const first = await startCloud();
  const port = first.cloud.port;
  const rooms = await Promise.all([first.addRoom('A'), first.addRoom('B')]);
  const store = first.cloud.store;
  const relays = await Promise.all([startRelay(), startRelay()]);
  const feeds = relays.map((r, i) =>
    linkRoom(r.relay, r.room, { url: first.linkUrl, roomId: rooms[i]!.id, token: rooms[i]!.token }),
  );
  try {
    for (const r of relays) await r.student('Early');
    await until(
      'both online',
      async () => feeds.map((f) => f.link.status.state),
      (s) => s.every((x) => x === 'online'),
      5000,
      20,
    );
    await first.stop();
    // Same port, same credentials (kept by the store), nothing else remembered.
    const second = await startCloud({ port, store });
    const seen: { room: string; msg: Msg }[] = [];
    second.cloud.onApplied((room, msg) => seen.push({ room, msg }));
    try {
      for (const r of relays) await r.student('Late');
      await until(
        'both rooms resynced',
        async () => [...second.cloud.rooms.values()].map((r) => r.view().peers.length),
        (n) => n.length === 2 && n.every((x) => x === 2),
        10_000,
        50,
      );
      await new Promise((r) => setTimeout(r, 300));
      for (const { id } of rooms) {
        const snapshots = seen.filter((s) => s.room === id && s.msg.k === 'snapshot');
        assert.equal(snapshots.length, 1, `room ${id}: one snapshot`);
        assert.equal(second.cloud.rooms.get(id)!.resyncs, 1);
      }
    } finally {
      for (const f of feeds) f.close();
      await second.stop();
    }
  } finally {
    for (const r of relays) await r.stop();
  }
});

test(
  'a host killed while offline loses nothing from its persisted outbox',
  { timeout: 60_000 },
  async () => {
    const cloud = await startCloud();
    const proxy = new FaultProxy(cloud.cloud.port);
    const proxyPort = await proxy.listen();
    const { id, token } = await cloud.addRoom();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-host-'));
    const args = [
      '--data-dir',
      dir,
      '--cloud',
      `ws://127.0.0.1:${proxyPort}/link`,
      '--cloud-room',
      id,
      '--cloud-token',
      token,
    ];
    const seen: Msg[] = [];
    cloud.cloud.onApplied((_r, m) => seen.push(m));
    const joinedNames = () =>
      events(seen).flatMap((e) => (e.method === 'peerJoined' ? [e.params.peer.name] : []));
    let host = await spawnHost(args);
    try {
      const online = await until(
        'linked',
        async () => cloud.cloud.rooms.get(id)?.online,
        (o) => o === true,
        10_000,
        50,
      );
      assert.ok(online);
      for (const name of ['A1', 'A2', 'A3']) {
        await LanDevice.join(host.url, { role: 'student', name, code: host.code });
      }
      await until(
        'acked ones arrived',
        async () => joinedNames().length,
        (n) => n === 3,
        5000,
        20,
      );

      proxy.block(true);
      await until(
        'cloud sees the link gone',
        async () => cloud.cloud.rooms.get(id)!.online,
        (o) => !o,
        5000,
        20,
      );
      const offline = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8'];
      // Each join is answered only after its event is in the outbox on disk.
      for (const name of offline) {
        await LanDevice.join(host.url, { role: 'student', name, code: host.code });
      }
      await host.kill('SIGKILL');

      host = await spawnHost(args);
      proxy.block(false);
      await until(
        'the offline events arrived',
        async () => joinedNames().length,
        (n) => n >= 11,
        15_000,
        50,
      );
      await new Promise((r) => setTimeout(r, 500));
      const names = joinedNames();
      assert.deepEqual(names.sort(), ['A1', 'A2', 'A3', ...offline].sort(), 'each exactly once');
      // …then the restarted host's own state: nobody is in the room any more.
      await until(
        'resynced to the new state',
        async () => cloud.cloud.rooms.get(id)!.view().peers.length,
        (n) => n === 0,
        5000,
        50,
      );
    } finally {
      await host.kill('SIGTERM');
      await proxy.close();
      await cloud.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'a room of 200 devices costs the cloud exactly one TCP connection',
  { timeout: 60_000 },
  async () => {
    const cloud = await startCloud();
    const relay = await startRelay({ ...LOAD_LIMITS, messagesPerSecond: 1000 });
    const { id, token } = await cloud.addRoom('Auditorium');
    const before = cloud.cloud.stats().tcpAccepted;
    const feed = linkRoom(relay.relay, relay.room, {
      url: cloud.linkUrl,
      roomId: id,
      token,
      chat: true,
    });
    const devices: LanDevice[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        devices.push(
          await LanDevice.join(relay.url, {
            role: 'student',
            name: `S${i}`,
            code: relay.room.code,
          }),
        );
      }
      await Promise.all(devices.map((d, i) => d.request('chat', { text: `hi from ${i}` })));
      await until(
        'all 200 on the cloud',
        async () => cloud.cloud.rooms.get(id)?.view().devices,
        (n) => n === 200,
        10_000,
        50,
      );
      const stats = cloud.cloud.stats();
      // Independently of the server's own count: established sockets to the cloud's port.
      const ss = execFileSync(
        'ss',
        ['-Htn', 'state', 'established', 'dst', `127.0.0.1:${cloud.cloud.port}`],
        { encoding: 'utf8' },
      );
      const sockets = ss.split('\n').filter((l) => l.trim() !== '').length;
      console.log(
        `200 devices: cloud tcp accepted=${stats.tcpAccepted - before} open links=${stats.links}; ss established to cloud=${sockets}`,
      );
      assert.equal(stats.tcpAccepted - before, 1);
      assert.equal(stats.links, 1);
      assert.equal(sockets, 1);
    } finally {
      for (const d of devices) d.close();
      feed.close();
      await relay.stop();
      await cloud.stop();
    }
  },
);
