/**
 * The cloud's SFU as room hosts drive it over their links, on real sockets and a real mediasoup
 * worker: bad calls get stable codes and cost only their room; a room cannot touch another
 * room's media, nor a member another member's; limits hold; without an SFU or without a link,
 * calls are refused at once with a clear code.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ErrorCode } from '../../protocol';
import { SFU_LIMITS } from '../../server-kit/sfuConfig';
import {
  linkedRoom,
  linkOnline,
  linkRoom,
  startCloud,
  type LinkedRoom,
  cloudSfuReady,
} from '../helpers/cloud';
import { until } from '../helpers/media';
import { rejectsWith, startRelay } from '../helpers/relay';

const SFU = { sfu: { listenIp: '127.0.0.1' } };

/** Refused with this code, and for this reason (mediasoup's own errors share the code). */
/** mediasoup workers that are this process's children (from /proc: no procps needed). */
function childWorkers(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === process.pid && stat.includes('(mediasoup-worke') ? [Number(d)] : [];
      } catch {
        return [];
      }
    });
}

/** A valid Opus producer's parameters (mediasoup accepts them before any RTP arrives). */
const OPUS = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 11111111 }],
};

async function refused(call: Promise<unknown>, code: string, why: RegExp): Promise<void> {
  await assert.rejects(call, (err: Error & { code?: string }) => {
    assert.equal(err.code, code);
    assert.match(err.message, why);
    return true;
  });
}

test('the cloud SFU keeps each room and each member to its own media', async () => {
  const a: LinkedRoom = await linkedRoom({ name: 'Room A' }, SFU);
  const relayB = await startRelay();
  const roomB = await a.cloud.addRoom('Room B');
  const feedB = linkRoom(relayB.relay, relayB.room, {
    url: a.cloud.linkUrl,
    roomId: roomB.id,
    token: roomB.token,
  });
  try {
    await linkOnline(a.feed);
    await linkOnline(feedB);
    const sfuA = a.feed.link.sfu;
    const sfuB = feedB.link.sfu;

    // Calls the table does not know, or with the wrong shape, are refused before any work.
    await rejectsWith(sfuA.call('worker.dump' as never, {} as never), ErrorCode.UNKNOWN_METHOD);
    await rejectsWith(sfuA.call('transport.create', {} as never), ErrorCode.INVALID_PARAMS);
    await rejectsWith(
      sfuA.call('transport.create', { member: 'x'.repeat(65) }),
      ErrorCode.INVALID_PARAMS,
    );
    await rejectsWith(
      sfuA.call('consume', { member: 'm1', transportId: 't', producerId: 7 } as never),
      ErrorCode.INVALID_PARAMS,
    );

    const t1 = await sfuA.call('transport.create', { member: 'm1' });
    const dtls = { role: 'client', fingerprints: [] };
    // Another member of the same room, and another room, cannot use m1's transport.
    await refused(
      sfuA.call('transport.connect', { member: 'm2', transportId: t1.id, dtlsParameters: dtls }),
      ErrorCode.SFU_REJECTED,
      /no such transport/,
    );
    await refused(
      sfuB.call('transport.connect', { member: 'm1', transportId: t1.id, dtlsParameters: dtls }),
      ErrorCode.SFU_REJECTED,
      /no such transport/,
    );
    await refused(
      sfuB.call('transport.restartIce', { member: 'm1', transportId: t1.id }),
      ErrorCode.SFU_REJECTED,
      /no such transport/,
    );
    // Only the room's piped producers can be consumed.
    const { rtpCapabilities } = await sfuA.call('capabilities', {});
    await refused(
      sfuA.call('consume', {
        member: 'm1',
        transportId: t1.id,
        producerId: 'invented-producer',
        rtpCapabilities,
      }),
      ErrorCode.SFU_REJECTED,
      /no such producer/,
    );
    // mediasoup's own refusals (here: nonsense DTLS parameters) come back as SFU_REJECTED.
    await rejectsWith(
      sfuA.call('transport.connect', {
        member: 'm1',
        transportId: t1.id,
        dtlsParameters: { role: 'sideways' },
      }),
      ErrorCode.SFU_REJECTED,
    );

    // Media goes one way per transport, and a member closes only its own producers.
    const send = await sfuA.call('transport.create', { member: 'm2', direction: 'send' });
    await refused(
      sfuA.call('produce', {
        member: 'm2',
        transportId: t1.id,
        kind: 'audio',
        rtpParameters: OPUS,
      }),
      ErrorCode.SFU_REJECTED,
      /no such transport/,
    );
    await refused(
      sfuA.call('produce', {
        member: 'm1',
        transportId: t1.id,
        kind: 'audio',
        rtpParameters: OPUS,
      }),
      ErrorCode.SFU_REJECTED,
      /not a send transport/,
    );
    await rejectsWith(
      sfuA.call('produce', {
        member: 'm2',
        transportId: send.id,
        kind: 'audio',
        rtpParameters: { codecs: 'nonsense' },
      }),
      ErrorCode.SFU_REJECTED,
    );
    const { producerId } = await sfuA.call('produce', {
      member: 'm2',
      transportId: send.id,
      kind: 'audio',
      rtpParameters: OPUS,
    });
    await refused(
      sfuA.call('consume', { member: 'm2', transportId: send.id, producerId, rtpCapabilities }),
      ErrorCode.SFU_REJECTED,
      /not a receive transport/,
    );
    await refused(
      sfuA.call('closeProducer', { member: 'm1', producerId }),
      ErrorCode.SFU_REJECTED,
      /no such producer/,
    );
    // Another room's host cannot bring this room's producer down its pipe.
    await refused(
      sfuB.call('pipe.consume', { producerId, rtpCapabilities }),
      ErrorCode.SFU_REJECTED,
      /no such producer/,
    );
    await sfuA.call('closeProducer', { member: 'm2', producerId });

    // A member's transports are capped as on the host's SFU.
    for (let i = 1; i < SFU_LIMITS.transports; i++) {
      await sfuA.call('transport.create', { member: 'm1' });
    }
    await rejectsWith(sfuA.call('transport.create', { member: 'm1' }), ErrorCode.FORBIDDEN);
    // Another member is not affected by m1's cap.
    await sfuA.call('transport.create', { member: 'm2' });

    // A member who left has nothing any more.
    await sfuA.call('member.remove', { member: 'm1' });
    await refused(
      sfuA.call('transport.restartIce', { member: 'm1', transportId: t1.id }),
      ErrorCode.SFU_REJECTED,
      /no such transport/,
    );

    // After all that, both links stand (bad calls never cost the link) and room B still works.
    assert.equal(a.feed.link.status.state, 'online');
    assert.equal(feedB.link.status.state, 'online');
    const tB = await sfuB.call('transport.create', { member: 'm1' });
    assert.notEqual(tB.id, t1.id);
    const stats = a.cloud.cloud.stats();
    assert.equal(stats.sfu?.rooms, 2);
    assert.equal(stats.sfu?.producers, 0);
    assert.equal(sfuA.inFlight + sfuB.inFlight, 0);
  } finally {
    feedB.close();
    await relayB.stop();
    await a.stop();
  }
});

test('a host’s SFU calls are refused at once where the cloud has no SFU or the link is down', async () => {
  const plain = await linkedRoom({ name: 'Room 101' });
  try {
    await linkOnline(plain.feed);
    await rejectsWith(plain.feed.link.sfu.call('capabilities', {}), ErrorCode.SFU_UNAVAILABLE);
    assert.equal(plain.feed.link.status.state, 'online');
  } finally {
    await plain.stop();
  }

  const cloud = await startCloud(SFU);
  const relay = await startRelay();
  const { id, token } = await cloud.addRoom('Room 102');
  await cloud.stop();
  // The cloud is gone: the host does not wait for an answer that cannot come.
  const feed = linkRoom(relay.relay, relay.room, { url: cloud.linkUrl, roomId: id, token });
  try {
    const started = Date.now();
    await rejectsWith(feed.link.sfu.call('capabilities', {}), ErrorCode.CLOUD_UNAVAILABLE);
    assert.ok(Date.now() - started < 1000, 'refused at once, not after the call timeout');
  } finally {
    feed.close();
    await relay.stop();
  }
});

test('a remote member on stage publishes on the cloud; the room gets it once, from the host', async () => {
  const earlier = childWorkers(); // earlier tests' workers may not have exited yet
  const cloud = await startCloud(SFU);
  const relay = await startRelay({}, { sfu: { listenIp: '127.0.0.1' } });
  const { id, token } = await cloud.addRoom('Room 103');
  const feed = linkRoom(relay.relay, relay.room, { url: cloud.linkUrl, roomId: id, token });
  try {
    await linkOnline(feed);
    await cloudSfuReady(feed);
    // The cloud's worker: this process's new one that is not the host's.
    const hostWorker = (await relay.relay.sfu!.worker()).pid;
    const [cloudWorker, ...others] = childWorkers().filter(
      (pid) => pid !== hostWorker && !earlier.includes(pid),
    );
    assert.ok(cloudWorker !== undefined && others.length === 0);
    const leg = feed.media!;
    const hostSfu = relay.relay.sfu!.forRoom(relay.room);
    const cloudRoom = cloud.cloud.sfu!.roomOf(id)!;
    const t = await leg.createTransport('rita', 'send');
    const made = await leg.produce('rita', t.id, 'share-1', 'audio', OPUS);
    // The same producer, under the same id, is the room's on the host (came down the pipe).
    const copy = hostSfu.producer(made.id);
    assert.ok(copy, 'the copy is on the host');
    assert.equal(copy.appData.memberId, 'rita');
    assert.equal(copy.appData.fromCloud, true);
    assert.equal(cloudRoom.producerCount, 1);
    // Nothing went up: a remote producer is not piped back to the cloud for remote viewers.
    assert.equal(leg.pipedCount, 0);
    // It comes down once, however often the host (or anyone on its link) asks.
    await refused(
      cloud.cloud.sfu!.roomOf(id)!.call('pipe.consume', {
        producerId: made.id,
        rtpCapabilities: { ...hostSfu.producer(made.id)!.rtpParameters },
      }),
      ErrorCode.SFU_REJECTED,
      /already on the pipe/,
    );
    // Only its owner closes it, on the host as anywhere.
    assert.throws(() => hostSfu.closeProducer('rex', made.id), /no such producer/);

    // The relay's rules act on the host (a share ends, the teacher mutes): the cloud follows.
    hostSfu.closeShare('share-1', 'audio');
    await until(
      'closed on the cloud',
      async () => cloudRoom.producerCount,
      (n) => n === 0,
      5000,
      20,
    );

    // The member leaves: what it published goes on both sides.
    const again = await leg.produce('rita', t.id, 'share-2', 'audio', OPUS);
    assert.ok(hostSfu.producer(again.id));
    // (what the host's Sfu does on the room's memberLeft for a remote member)
    hostSfu.removeMember('rita');
    leg.removeMember('rita');
    await until(
      'gone on the cloud',
      async () => cloudRoom.producerCount,
      (n) => n === 0,
      5000,
      20,
    );
    assert.equal(hostSfu.producer(again.id), undefined);

    // The cloud's worker dies: the copy of what she publishes goes from the host too (and her
    // share stops naming it, so she can publish again on the new worker).
    const t2 = await leg.createTransport('rita', 'send');
    const third = await leg.produce('rita', t2.id, 'share-3', 'audio', OPUS);
    process.kill(cloudWorker, 'SIGKILL');
    await until(
      'the copy gone',
      async () => hostSfu.producer(third.id),
      (p) => !p,
      10_000,
      20,
    );
    assert.equal(cloud.cloud.stats().sfu?.restarts, 1);
  } finally {
    feed.close();
    await relay.stop();
    await cloud.stop();
  }
});
