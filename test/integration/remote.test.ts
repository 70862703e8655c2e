/**
 * Participants outside the room, on real sockets: a remote student joins the room's relay
 * through the cloud with a remote link, over the room's one upstream link; the relay's rules
 * hold for it; the join code never reaches it; revoked, expired and unknown links are refused;
 * a dropped link is resumed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, RemoteClose, type RemoteLinkInfo } from '../../protocol';
import { ADMIN_TOKEN, linkedRoom, linkOnline, linkRoom, type LinkedRoom } from '../helpers/cloud';
import { FaultProxy } from '../helpers/FaultProxy';
import { until } from '../helpers/media';
import { rejectsWith, startRelay } from '../helpers/relay';
import { TestClient } from '../helpers/TestClient';

interface Made {
  link: RemoteLinkInfo;
  token: string;
  path: string;
}

async function remoteLink(linked: LinkedRoom, body: object = {}): Promise<Made> {
  const res = await linked.cloud.api<Made>('POST', `/api/rooms/${linked.id}/remote-links`, body);
  assert.equal(res.status, 201);
  return res.body;
}

/** A remote browser's socket: the cloud's /remote endpoint, every frame it gets kept. */
async function remoteClient(base: string, token: string): Promise<TestClient & { raw: string[] }> {
  const ws = `${base.replace('http', 'ws')}/remote?link=${encodeURIComponent(token)}`;
  const client = (await TestClient.connect(ws)) as TestClient & { raw: string[] };
  client.raw = [];
  client.ws.on('message', (d) => client.raw.push(d.toString()));
  return client;
}

const online = (linked: LinkedRoom) => linkOnline(linked.feed);

test('a remote student joins through the cloud, over the room’s one link, and never sees the code', async () => {
  const linked = await linkedRoom({ name: 'Room 101' });
  const { cloud, relay } = linked;
  try {
    await online(linked);
    const teacher = await relay.teacher();
    const made = await remoteLink(linked, { label: 'Rita at home' });
    assert.match(made.path, /^\/join\/\?link=/);
    assert.equal(made.link.role, 'student');
    const rita = await remoteClient(cloud.base, made.token);
    // No code: the link stands for it.
    const ack = await rita.join({ role: 'student', name: 'Rita' });
    assert.equal(ack.snapshot.code, undefined);
    assert.equal(ack.snapshot.joinUrl, undefined);
    const joined = await teacher.waitFor('peerJoined', (p) => p.peer.name === 'Rita');
    assert.equal(joined.peer.remote, true);

    // The relay is the authority for it as for any device: hand, stage, chat, refusals.
    await rita.request('hand.set', { raised: true });
    await teacher.waitFor('peerUpdated', (p) => p.peer.id === rita.peerId && p.peer.hand);
    await teacher.request('stage.invite', { peerId: rita.peerId, media: ['mic', 'camera'] });
    await rita.waitFor(
      'peerUpdated',
      (p) => p.peer.id === rita.peerId && p.peer.stage === 'invited',
    );
    await rita.request('stage.respond', { accept: true });
    await teacher.waitFor('peerUpdated', (p) => p.peer.id === rita.peerId && p.peer.stage === 'on');
    await teacher.request('chat', { text: 'welcome, Rita' });
    await rita.waitFor('chatPosted', (p) => p.message.text === 'welcome, Rita');
    await rita.request('chat', { text: 'hello from home' });
    await teacher.waitFor('chatPosted', (p) => p.message.text === 'hello from home');
    await rejectsWith(rita.request('stage.remove', { peerId: teacher.peerId }), 'NOT_TEACHER');
    await rejectsWith(rita.request('device.remember', {}), ErrorCode.NOT_IN_ROOM);

    // The code rotates: teachers in the room hear it; the remote participant does not.
    relay.relay.registry.rotateCode(relay.room, 'operator');
    await teacher.waitFor('codeChanged');
    await rita.request('ping', {});
    const code = relay.room.code;
    assert.ok(!rita.raw.some((f) => f.includes(code)), 'a frame to the remote carried the code');
    assert.equal(rita.received('codeChanged').length, 0);

    // One upstream connection for the room, whatever goes over it.
    assert.equal(cloud.cloud.stats().links, 1);
    const listed = await cloud.api<{ links: RemoteLinkInfo[]; connected: number }>(
      'GET',
      `/api/rooms/${linked.id}/remote-links`,
    );
    assert.equal(listed.body.connected, 1);
    const metrics = await fetch(`${cloud.base}/metrics`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }).then((r) => r.text());
    assert.match(metrics, /^lectern_cloud_remote_participants 1$/m);
    assert.equal(listed.body.links[0]!.label, 'Rita at home');
    assert.ok(!JSON.stringify(listed.body).includes(made.token.split('.')[2]!));
  } finally {
    await linked.stop();
  }
});

test('unknown, revoked and expired links get nothing; an offline room says so', async () => {
  const linked = await linkedRoom();
  const { cloud, relay } = linked;
  try {
    await online(linked);
    const teacher = await relay.teacher();
    const made = await remoteLink(linked);
    const [room, link, secret] = made.token.split('.');

    // A guessed secret, a made-up link id, garbage: LINK_INVALID, and no peer appears.
    for (const guess of [
      `${room}.${link}.${'A'.repeat(secret!.length)}`,
      `${room}.x1.${secret}`,
      'x',
    ]) {
      const c = await remoteClient(cloud.base, guess);
      await rejectsWith(c.join({ role: 'student', name: 'Guess' }), ErrorCode.LINK_INVALID);
      assert.equal((await c.closed).code, 1000);
    }
    // A student's link is not a teacher's.
    const sam = await remoteClient(cloud.base, made.token);
    await rejectsWith(sam.join({ role: 'teacher', name: 'Sam' }), ErrorCode.FORBIDDEN);

    // Revoked: whoever came by it leaves the class at once (not after the resume grace).
    const ann = await remoteClient(cloud.base, made.token);
    await ann.join({ role: 'student', name: 'Ann' });
    const revoked = await cloud.api('DELETE', `/api/rooms/${linked.id}/remote-links`, {
      link: made.link.id,
    });
    assert.equal(revoked.status, 200);
    assert.equal((await ann.closed).code, RemoteClose.REMOTE_REVOKED);
    await teacher.waitFor('peerLeft', (p) => p.peerId === ann.peerId);
    const again = await remoteClient(cloud.base, made.token);
    await rejectsWith(again.join({ role: 'student', name: 'Ann' }), ErrorCode.LINK_INVALID);

    // Expired: the link's time is up while Bo is in class.
    const later = await remoteLink(linked, { minutes: 5 });
    const bo = await remoteClient(cloud.base, later.token);
    await bo.join({ role: 'student', name: 'Bo' });
    const record = (await cloud.cloud.store.room(linked.id))!;
    await cloud.cloud.store.updateRoom(linked.id, {
      remoteLinks: record.remoteLinks!.map((l) => ({ ...l, expiresAt: Date.now() - 1 })),
    });
    await cloud.cloud.store.remoteLinksChanged(linked.id);
    assert.equal((await bo.closed).code, RemoteClose.REMOTE_REVOKED);
    await teacher.waitFor('peerLeft', (p) => p.peerId === bo.peerId);

    // The host is not linked: the class has not started.
    const fresh = await remoteLink(linked);
    linked.feed.close();
    await until(
      'link gone',
      async () => cloud.cloud.stats().links,
      (n) => n === 0,
      5000,
      20,
    );
    const early = await remoteClient(cloud.base, fresh.token);
    await rejectsWith(early.join({ role: 'student', name: 'Early' }), ErrorCode.ROOM_OFFLINE);
  } finally {
    await linked.stop();
  }
});

test('a remote teacher’s link teaches without the credential, and still never sees the code', async () => {
  const linked = await linkedRoom();
  try {
    await online(linked);
    const ann = await linked.relay.student('Ann');
    const made = await remoteLink(linked, { role: 'teacher' });
    const kim = await remoteClient(linked.cloud.base, made.token);
    const ack = await kim.join({ role: 'teacher', name: 'Ms. Kim' });
    assert.equal(ack.role, 'teacher');
    assert.equal(ack.snapshot.code, undefined);
    await kim.request('stage.invite', { peerId: ann.peerId, media: ['mic'] });
    await ann.waitFor('peerUpdated', (p) => p.peer.id === ann.peerId && p.peer.stage === 'invited');
    // A forged bridge header on the LAN port is refused before any WebSocket exists.
    await assert.rejects(
      TestClient.connect(linked.relay.url, { headers: { 'lectern-bridge': 'guess' } }),
      /HTTP 403/,
    );
  } finally {
    await linked.stop();
  }
});

test('when the room’s link drops, remote participants resume as the same member', async () => {
  const cloudSide = await linkedRoom();
  // A second relay whose link goes through a proxy the test can cut.
  const relay = await startRelay();
  const { id, token } = await cloudSide.cloud.addRoom('Room 202');
  const proxy = new FaultProxy(cloudSide.cloud.cloud.port);
  const port = await proxy.listen();
  const feed = linkRoom(relay.relay, relay.room, {
    url: `ws://127.0.0.1:${port}/link`,
    roomId: id,
    token,
  });
  try {
    await until(
      'link online',
      async () => feed.link.status.state,
      (s) => s === 'online',
      5000,
      20,
    );
    const teacher = await relay.teacher();
    const res = await cloudSide.cloud.api<Made>('POST', `/api/rooms/${id}/remote-links`, {});
    const lee = await remoteClient(cloudSide.cloud.base, res.body.token);
    await lee.join({ role: 'student', name: 'Lee' });
    await lee.request('hand.set', { raised: true });
    proxy.cut();
    assert.equal((await lee.closed).code, RemoteClose.ROOM_UNREACHABLE);
    await teacher.waitFor('peerUpdated', (p) => p.peer.id === lee.peerId && !p.peer.online);
    await until(
      'link back',
      async () => feed.link.status.state,
      (s) => s === 'online',
      5000,
      20,
    );
    const back = await remoteClient(cloudSide.cloud.base, res.body.token);
    const ack = await back.join({ role: 'student', name: 'Lee', resumeToken: lee.resumeToken });
    assert.equal(ack.resumed, true);
    assert.equal(ack.peerId, lee.peerId);
    assert.ok(ack.snapshot.peers.find((p) => p.id === lee.peerId)?.hand);
    // A remote member's token does not work on the LAN port (nor a LAN one through the cloud).
    const lan = await relay.connect();
    await rejectsWith(
      lan.join({ role: 'student', name: 'Lee', resumeToken: ack.resumeToken }),
      ErrorCode.BAD_RESUME_TOKEN,
    );
  } finally {
    feed.close();
    await proxy.close();
    await relay.stop();
    await cloudSide.stop();
  }
});
