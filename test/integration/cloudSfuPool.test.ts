/**
 * A class that outgrows one worker of the cloud's SFU: its receivers spill onto another worker,
 * where the room gets a router of its own and each producer they consume is piped there once
 * (`pipeToRouter`). Real mediasoup workers, a real RTP stream from the host over the room's
 * SRTP pipe, real UDP receivers counting what reaches them.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { test } from 'node:test';
import type { types } from 'mediasoup';
import { PAYLOAD_TYPE, SSRC, startRtpSender } from '../../bench/sfu/rtp';
import { CloudSfu } from '../../cloud/sfu/CloudSfu';
import type { CloudRoomSfu } from '../../cloud/sfu/CloudRoomSfu';
import { openCloudPipe, pipeProducer } from '../../local-ws/sfu/cloudPipe';
import { RoomSfu } from '../../local-ws/sfu/RoomSfu';
import { startWorker } from '../../server-kit/sfuConfig';
import type { CloudSfuFrame } from '../../protocol';
import { until } from '../helpers/media';

const LOCAL = { listenIp: '127.0.0.1' };

/** A UDP port that counts the packets reaching it. */
async function sink(): Promise<{ port: number; packets: () => number; close(): void }> {
  const socket = dgram.createSocket('udp4');
  let n = 0;
  socket.on('message', () => n++);
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  return { port: socket.address().port, packets: () => n, close: () => socket.close() };
}

test('receivers past a worker’s share go to another worker, fed by pipeToRouter', async () => {
  // The room host: its worker, its room's SFU, the teacher's share as plain RTP.
  const hostWorker = await startWorker(LOCAL);
  const host = new RoomSfu(
    async () => hostWorker,
    LOCAL,
    () => undefined,
  );
  const hostRouter = await host.router();
  const input = await hostRouter.createPlainTransport({ ...LOCAL, rtcpMux: true, comedia: true });
  host.adoptTransport('teacher', input, 'send');
  const share = await host.produce('teacher', input.id, 'share-1', 'video', {
    codecs: [{ mimeType: 'video/VP8', payloadType: PAYLOAD_TYPE, clockRate: 90000 }],
    encodings: [{ ssrc: SSRC }],
  });
  const sender = startRtpSender(input.tuple.localPort);
  sender.setActive(true);

  // The cloud: two workers, a class spills over after two consumers on one.
  const told: CloudSfuFrame[] = [];
  const cloud = new CloudSfu({ ...LOCAL, workers: 2, spillAt: 2 }, (_room, f) => {
    told.push(f);
    return true;
  });
  const sinks: Awaited<ReturnType<typeof sink>>[] = [];
  try {
    await cloud.handle('room-1', { t: 'q', i: 1, m: 'capabilities', p: {} });
    const room: CloudRoomSfu = cloud.roomOf('room-1')!;
    const client = { call: room.call.bind(room) } as Parameters<typeof openCloudPipe>[2];
    const pipe = await openCloudPipe(hostRouter, '127.0.0.1', client);
    // What the host's leg does when its copy for the pipe goes: the cloud's producer goes too.
    await pipeProducer(pipe, share.id, client, () => {
      void room.call('pipe.closeProducer', { producerId: share.id });
    });
    assert.equal(cloud.pool.started, 1, 'a small class: one worker');

    const routers: types.Router[] = [];
    for (let i = 0; i < 4; i++) {
      const member = `remote-${i}`;
      const router = await room.receiveRouter();
      routers.push(router);
      const s = await sink();
      sinks.push(s);
      const t = await router.createPlainTransport({ ...LOCAL, rtcpMux: true, comedia: false });
      await t.connect({ ip: '127.0.0.1', port: s.port });
      room.adoptTransport(member, t, router);
      const c = await room.call('consume', {
        member,
        transportId: t.id,
        producerId: share.id,
        rtpCapabilities: { ...router.rtpCapabilities },
      });
      await room.call('resume', { member, consumerId: c.consumerId });
    }
    assert.equal(cloud.pool.started, 2, 'the class spilled onto a second worker');
    assert.deepEqual(cloud.pool.loads(), [2, 2]);
    assert.equal(room.workers, 2);
    assert.equal(routers[0], routers[1], 'the first two on the home router');
    assert.notEqual(routers[2], routers[0], 'the next on a router of the second worker');
    assert.equal(routers[2], routers[3], 'which they share (the producer piped there once)');
    const stats = cloud.stats();
    assert.deepEqual([stats.consumers, stats.workers], [4, 2]);

    // Every receiver gets the stream, on either worker.
    await until(
      'packets at every receiver',
      async () => sinks.map((s) => s.packets()),
      (ns) => ns.every((n) => n > 200),
      15_000,
      100,
    );
    console.log(`packets per receiver: ${sinks.map((s) => s.packets()).join(', ')}`);

    // The share ends: the piped copy goes too, and every receiver is told.
    host.closeShare('share-1');
    await until(
      'every consumer closed',
      async () => told.filter((f) => f.t === 'n' && f.m === 'consumerClosed').length,
      (n) => n === 4,
      5000,
      20,
    );
    assert.equal(room.consumerCount(), 0);
    assert.deepEqual(cloud.pool.loads(), [0, 0]);
  } finally {
    sender.stop();
    for (const s of sinks) s.close();
    await cloud.close();
    hostWorker.close();
  }
});
