/**
 * Worker CPU for one ~4 Mbps stream fanned out to N SRTP consumers: the project's RoomSfu path
 * (its router codecs, producer and consumer options, lookups and limits) beside bare mediasoup
 * with default options, each on its own worker, fed the same packets in the same run.
 */
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { RoomSfu } from '../../local-ws/sfu/RoomSfu';
import { PAYLOAD_TYPE, SSRC } from './rtp';

const SRTP = 'AES_CM_128_HMAC_SHA1_80' as const;
const KEY = Buffer.alloc(30, 7).toString('base64');

const rtpParameters: types.RtpParameters = {
  codecs: [{ mimeType: 'video/VP8', payloadType: PAYLOAD_TYPE, clockRate: 90000 }],
  encodings: [{ ssrc: SSRC }],
};

/** A consumer's plain SRTP transport, sending to a port where nothing listens. */
async function srtpOut(router: types.Router, sinkPort: number): Promise<types.PlainTransport> {
  const t = await router.createPlainTransport({
    listenIp: '127.0.0.1',
    rtcpMux: true,
    comedia: false,
    enableSrtp: true,
    srtpCryptoSuite: SRTP,
  });
  await t.connect({
    ip: '127.0.0.1',
    port: sinkPort,
    srtpParameters: { cryptoSuite: SRTP, keyBase64: KEY },
  });
  return t;
}

export interface Fanout {
  name: string;
  worker: types.Worker;
  inputPort: number;
  setConsumers(n: number): Promise<void>;
  close(): void;
}

/** Bare mediasoup: default router codecs and transport options. */
export async function bareFanout(sinkPort: number): Promise<Fanout> {
  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  const router = await worker.createRouter({
    mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }],
  });
  const input = await router.createPlainTransport({
    listenIp: '127.0.0.1',
    rtcpMux: true,
    comedia: true,
  });
  const producer = await input.produce({ kind: 'video', rtpParameters });
  const consumers: types.PlainTransport[] = [];
  return {
    name: 'bare',
    worker,
    inputPort: input.tuple.localPort,
    async setConsumers(n) {
      while (consumers.length > n) consumers.pop()!.close();
      while (consumers.length < n) {
        const t = await srtpOut(router, sinkPort);
        await t.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
        consumers.push(t);
      }
    },
    close: () => worker.close(),
  };
}

/** The project's path: RoomSfu's router, produce and consume (one member per receiver). */
export async function projectFanout(sinkPort: number): Promise<Fanout> {
  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  const sfu = new RoomSfu(
    async () => worker,
    { listenIp: '127.0.0.1' },
    () => undefined,
  );
  const router = await sfu.router();
  const input = await router.createPlainTransport({
    listenIp: '127.0.0.1',
    rtcpMux: true,
    comedia: true,
  });
  sfu.adoptTransport('teacher', input, 'send');
  const producer = await sfu.produce('teacher', input.id, 'share-1', 'video', rtpParameters);
  let count = 0;
  return {
    name: 'project',
    worker,
    inputPort: input.tuple.localPort,
    async setConsumers(n) {
      while (count > n) sfu.removeMember(`student-${--count}`);
      while (count < n) {
        const member = `student-${count++}`;
        const t = await srtpOut(router, sinkPort);
        sfu.adoptTransport(member, t, 'recv');
        const consumer = await sfu.consume(member, t.id, producer.id, router.rtpCapabilities);
        await sfu.resume(member, consumer.id);
      }
    },
    close: () => worker.close(),
  };
}

/** CPU of a worker over `ms`, as % of one core (user + system). */
export async function cpuPercent(worker: types.Worker, ms: number): Promise<number> {
  const a = await worker.getResourceUsage();
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, ms));
  const b = await worker.getResourceUsage();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  return ((b.ru_utime + b.ru_stime - a.ru_utime - a.ru_stime) / wall) * 100;
}
