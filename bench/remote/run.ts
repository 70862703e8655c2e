/**
 * npm run bench:remote [-- --lan 25 --remote 5 --seconds 10 --hz 10 --samples 5 --only frame]
 * Participants outside the room, each figure beside its LAN baseline from the same run:
 * 1. signaling carried over the room's one upstream link, against LAN devices (signaling.ts);
 * 2. join to the first decoded frame of the teacher's share through the cloud's SFU, against a
 *    LAN student through the host's SFU (firstFrame.ts);
 * 3. the cloud SFU's worker CPU per remote consumer, against bare mediasoup (../sfu/cpu.ts);
 * 4. its fan-out per worker, and a class split over two workers against one (fanout.ts).
 * `--only signal` (or frame, cpu, fanout) runs one part.
 */
import { parseArgs } from 'node:util';
import { pct } from '../measure';
import { bareFanout, cloudFanout, fanoutCpu } from '../sfu/cpu';
import { fanoutPart } from './fanout';
import { firstFrames } from './firstFrame';
import { signalingPart } from './signaling';

const { values } = parseArgs({
  options: {
    lan: { type: 'string', default: '25' },
    remote: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '10' },
    hz: { type: 'string', default: '10' },
    samples: { type: 'string', default: '5' },
    counts: { type: 'string', default: '0,5,10,20' },
    'fanout-counts': { type: 'string', default: '0,20,40,60' },
    repeat: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});

async function framePart(): Promise<Record<string, string>> {
  const f = await firstFrames(Number(values.samples));
  const lan = pct(f.lan, 50);
  const remote = pct(f.remote, 50);
  return {
    remote_join_first_frame_ms: remote.toFixed(0),
    lan_join_first_frame_ms: lan.toFixed(0),
    remote_vs_lan_first_frame_ratio: (remote / lan).toFixed(2),
  };
}

async function cpuPart(): Promise<Record<string, string>> {
  const sink = 9; // discard: nothing listens; the kernel drops what the consumers send
  const { perConsumer } = await fanoutCpu([await bareFanout(sink), await cloudFanout(sink)], {
    counts: values.counts.split(',').map(Number),
    repeat: Number(values.repeat),
    ms: 3000,
  });
  return {
    cloud_sfu_cpu_pct_per_consumer: perConsumer.cloud!.toFixed(3),
    cloud_sfu_overhead_ratio: (perConsumer.cloud! / perConsumer.bare!).toFixed(2),
  };
}

const PARTS: Record<string, () => Promise<Record<string, string>>> = {
  signal: () =>
    signalingPart({
      lan: Number(values.lan),
      remote: Number(values.remote),
      seconds: Number(values.seconds),
      hz: Number(values.hz),
    }),
  frame: framePart,
  cpu: cpuPart,
  fanout: () =>
    fanoutPart({
      counts: values['fanout-counts'].split(',').map(Number),
      repeat: Number(values.repeat),
      ms: 3000,
    }),
};

const results: Record<string, string> = {};
for (const [name, part] of Object.entries(PARTS)) {
  if (values.only && values.only !== name) continue;
  console.log(`== ${name}`);
  Object.assign(results, await part());
}
// The issue's four figures first, then the baselines and the rest.
const first = [
  'remote_join_first_frame_ms',
  'upstream_signal_added_p99_ms',
  'cloud_sfu_overhead_ratio',
  'upstream_connections_per_room',
];
const keys = [
  ...first.filter((k) => k in results),
  ...Object.keys(results).filter((k) => !first.includes(k)),
];
console.log(`RESULT ${keys.map((k) => `${k}=${results[k]}`).join(' ')}`);
