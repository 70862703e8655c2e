/**
 * Worker CPU for one ~4 Mbps stream fanned out to N SRTP consumers: the project's RoomSfu path
 * (its router codecs, producer and consumer options, lookups and limits) and the cloud's path
 * (CloudRoomSfu fed over the room's SRTP pipe) beside bare mediasoup with default options, each
 * on its own worker, fed the same packets in the same run.
 */
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { CloudRoomSfu } from '../../cloud/sfu/CloudRoomSfu';
import { WorkerPool } from '../../cloud/sfu/WorkerPool';
import { openCloudPipe, pipeProducer } from '../../local-ws/sfu/cloudPipe';
import { RoomSfu } from '../../local-ws/sfu/RoomSfu';
import { PAYLOAD_TYPE, SSRC, startRtpSender } from './rtp';

const SRTP = 'AES_CM_128_HMAC_SHA1_80' as const;
const KEY = Buffer.alloc(30, 7).toString('base64');

const rtpParameters: types.RtpParameters = {
  codecs: [{ mimeType: 'video/VP8', payloadType: PAYLOAD_TYPE, clockRate: 90000 }],
  encodings: [{ ssrc: SSRC }],
};

/** A consumer's plain SRTP transport, sending to a port where nothing listens. */
export async function srtpOut(
  router: types.Router,
  sinkPort: number,
): Promise<types.PlainTransport> {
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

/** RoomSfu on its own worker, fed plain RTP on `input` as the teacher's share. */
export async function roomWithShare(): Promise<{
  worker: types.Worker;
  sfu: RoomSfu;
  router: types.Router;
  inputPort: number;
  producerId: string;
}> {
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
  return { worker, sfu, router, inputPort: input.tuple.localPort, producerId: producer.id };
}

/** The project's path: RoomSfu's router, produce and consume (one member per receiver). */
export async function projectFanout(sinkPort: number): Promise<Fanout> {
  const { worker, sfu, router, inputPort, producerId } = await roomWithShare();
  let count = 0;
  return {
    name: 'project',
    worker,
    inputPort,
    async setConsumers(n) {
      while (count > n) sfu.removeMember(`student-${--count}`);
      while (count < n) {
        const member = `student-${count++}`;
        const t = await srtpOut(router, sinkPort);
        sfu.adoptTransport(member, t, 'recv');
        const consumer = await sfu.consume(member, t.id, producerId, router.rtpCapabilities);
        await sfu.resume(member, consumer.id);
      }
    },
    close: () => worker.close(),
  };
}

/**
 * The cloud's path for remote participants: a room host's RoomSfu pipes the share over its SRTP
 * pipe (local-ws/sfu/cloudPipe.ts) to a CloudRoomSfu on another worker, whose members consume
 * it. Only the cloud's worker is measured (`worker`); the host's forwards one stream.
 */
export async function cloudFanout(sinkPort: number): Promise<Fanout> {
  const host = await roomWithShare();
  const pool = new WorkerPool({ listenIp: '127.0.0.1' }, { workers: 1 }, () => undefined);
  const worker = await pool.first();
  const cloud = new CloudRoomSfu(pool, { listenIp: '127.0.0.1' }, () => undefined);
  const pipe = await openCloudPipe(host.router, '127.0.0.1', cloud);
  await pipeProducer(pipe, host.producerId, cloud, () => undefined);
  const router = await cloud.router();
  let count = 0;
  return {
    name: 'cloud',
    worker,
    inputPort: host.inputPort,
    async setConsumers(n) {
      while (count > n) await cloud.call('member.remove', { member: `remote-${--count}` });
      while (count < n) {
        const member = `remote-${count++}`;
        const t = await srtpOut(router, sinkPort);
        cloud.adoptTransport(member, t);
        const c = await cloud.call('consume', {
          member,
          transportId: t.id,
          producerId: host.producerId,
          rtpCapabilities: { ...router.rtpCapabilities },
        });
        await cloud.call('resume', { member, consumerId: c.consumerId });
      }
    },
    close: () => {
      cloud.close();
      void pool.close();
      host.worker.close();
    },
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

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const num = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const den = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return num / den;
}

export const median = (xs: number[]) =>
  xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Each path's worker CPU (% of a core) at each consumer count, and per consumer (the slope).
 * One path at a time gets the stream (the others idle), order rotating: on two cores a worker
 * and the packet generator each have one. Median of `repeat` samples of `ms` each.
 */
export async function fanoutCpu(
  paths: Fanout[],
  opts: { counts: number[]; repeat: number; ms: number },
): Promise<{ perConsumer: Record<string, number>; at: Record<string, [number, number][]> }> {
  const senders = new Map(paths.map((p) => [p.name, startRtpSender(p.inputPort)]));
  const at: Record<string, [number, number][]> = Object.fromEntries(paths.map((p) => [p.name, []]));
  try {
    let round = 0;
    for (const n of opts.counts) {
      await Promise.all(paths.map((p) => p.setConsumers(n)));
      const samples: Record<string, number[]> = Object.fromEntries(paths.map((p) => [p.name, []]));
      for (let rep = 0; rep < opts.repeat; rep++) {
        const order = paths.map((_, i) => paths[(i + round) % paths.length]!);
        round++;
        for (const p of order) {
          const sender = senders.get(p.name)!;
          sender.setActive(true);
          // Long enough for a keyframe (every 2 s) to reach the new consumers.
          await new Promise((r) => setTimeout(r, 2500));
          samples[p.name]!.push(await cpuPercent(p.worker, opts.ms));
          sender.setActive(false);
        }
      }
      const line = paths.map((p) => {
        const cpu = median(samples[p.name]!);
        at[p.name]!.push([n, cpu]);
        return `${p.name} ${cpu.toFixed(1).padStart(5)}%`;
      });
      console.log(
        `N=${String(n).padStart(2)}  ${line.join('   ')} of a core   (samples ${JSON.stringify(samples)})`,
      );
    }
  } finally {
    for (const s of senders.values()) s.stop();
    for (const p of paths) p.close();
  }
  const perConsumer = Object.fromEntries(paths.map((p) => [p.name, slope(at[p.name]!)]));
  console.log(
    `per consumer: ${paths.map((p) => `${p.name} ${perConsumer[p.name]!.toFixed(3)}%`).join(', ')} of a core`,
  );
  return { perConsumer, at };
}
