/**
 * The cloud SFU's fan-out per worker, and what spreading a class over workers costs: one ~4 Mbps
 * 1080p stream from a room host (over the room's SRTP pipe) to N plain SRTP receivers, first all
 * on one worker, then the same N split over two workers (the second fed by `pipeToRouter`), the
 * two set-ups fed in turn. From the one-worker slope: how many receivers a worker carries at
 * 80 % of a core; from the split: the pipe's overhead (both workers' CPU ÷ one worker's).
 */
import type { types } from 'mediasoup';
import { CloudSfu } from '../../cloud/sfu/CloudSfu';
import type { CloudRoomSfu } from '../../cloud/sfu/CloudRoomSfu';
import { openCloudPipe, pipeProducer } from '../../local-ws/sfu/cloudPipe';
import { cpuPercent, median, roomWithShare, srtpOut } from '../sfu/cpu';
import { startRtpSender } from '../sfu/rtp';

const SINK = 9; // discard: nothing listens; the kernel drops what the receivers send

interface Setup {
  cloud: CloudSfu;
  room: CloudRoomSfu;
  close(): Promise<void>;
}

/** A cloud SFU whose room receives the host's share, with `n` receivers placed by its pool. */
async function setup(
  host: Awaited<ReturnType<typeof roomWithShare>>,
  n: number,
  pool: { workers: number; spillAt: number },
): Promise<Setup> {
  const cloud = new CloudSfu({ listenIp: '127.0.0.1', ...pool }, () => true);
  await cloud.handle('room', { t: 'q', i: 1, m: 'capabilities', p: {} });
  const room = cloud.roomOf('room')!;
  const client = { call: room.call.bind(room) } as Parameters<typeof openCloudPipe>[2];
  const pipe = await openCloudPipe(host.router, '127.0.0.1', client);
  await pipeProducer(pipe, host.producerId, client, () => undefined);
  for (let i = 0; i < n; i++) {
    const member = `remote-${i}`;
    const router = await room.receiveRouter();
    const t = await srtpOut(router, SINK);
    room.adoptTransport(member, t, router);
    const c = await room.call('consume', {
      member,
      transportId: t.id,
      producerId: host.producerId,
      rtpCapabilities: { ...router.rtpCapabilities },
    });
    await room.call('resume', { member, consumerId: c.consumerId });
  }
  return {
    cloud,
    room,
    async close() {
      pipe.transport.close();
      await cloud.close();
    },
  };
}

async function cpuOf(workers: types.Worker[], ms: number): Promise<number> {
  const each = await Promise.all(workers.map((w) => cpuPercent(w, ms)));
  return each.reduce((a, b) => a + b, 0);
}

export async function fanoutPart(opts: {
  counts: number[];
  repeat: number;
  ms: number;
}): Promise<Record<string, string>> {
  const host = await roomWithShare();
  const sender = startRtpSender(host.inputPort);
  const one: [number, number][] = [];
  let last = { one: 0, two: 0, n: 0 };
  try {
    for (const n of opts.counts) {
      const single = await setup(host, n, { workers: 1, spillAt: 100_000 });
      const split = await setup(host, n, { workers: 2, spillAt: Math.max(1, Math.ceil(n / 2)) });
      const samples = { one: [] as number[], two: [] as number[] };
      // Every worker each pool started (the home one carries the pipe even with no receivers).
      const started = { one: single.cloud.pool.running(), two: split.cloud.pool.running() };
      sender.setActive(true);
      // Long enough for a keyframe (every 2 s) to reach the new consumers.
      await new Promise((r) => setTimeout(r, 2500));
      for (let rep = 0; rep < opts.repeat; rep++) {
        // Both set-ups get the stream at once (it is the same producer); measured in turn.
        const order = rep % 2 === 0 ? (['one', 'two'] as const) : (['two', 'one'] as const);
        for (const k of order) samples[k].push(await cpuOf(started[k], opts.ms));
      }
      sender.setActive(false);
      const cpu = { one: median(samples.one), two: median(samples.two) };
      one.push([n, cpu.one]);
      last = { ...cpu, n };
      console.log(
        `N=${String(n).padStart(3)}  one worker ${cpu.one.toFixed(1).padStart(5)}%   ` +
          `two workers (${split.cloud.pool.loads().join('+')}, piped) ${cpu.two.toFixed(1).padStart(5)}% in all` +
          `   (samples ${JSON.stringify(samples)})`,
      );
      await single.close();
      await split.close();
    }
  } finally {
    sender.stop();
    host.worker.close();
  }
  const n = one.length;
  const mx = one.reduce((s, p) => s + p[0], 0) / n;
  const my = one.reduce((s, p) => s + p[1], 0) / n;
  const perConsumer =
    one.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) /
    one.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  const perWorker = Math.floor(80 / perConsumer);
  const overhead = last.two / last.one;
  console.log(
    `fan-out: ${perConsumer.toFixed(3)}% of a core per receiver → ${perWorker} receivers per worker at 80% of a core; ` +
      `split over two workers at N=${last.n}: ${overhead.toFixed(2)}× the CPU of one`,
  );
  return {
    cloud_sfu_receivers_per_worker: String(perWorker),
    cloud_sfu_pct_per_receiver: perConsumer.toFixed(3),
    cloud_sfu_split_overhead_ratio: overhead.toFixed(2),
  };
}
