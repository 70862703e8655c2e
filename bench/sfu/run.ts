/**
 * npm run bench:sfu [-- --seconds 4 --repeat 3 --late 5 --counts 0,1,5,10,20,40]
 * 1. Worker CPU for one ~4 Mbps 1080p screen-share stream fanned out to N = 1, 5, 10, 20, 40
 *    SRTP consumers: the project's RoomSfu path beside bare mediasoup in the same run, each fed
 *    in turn (the other idles) so a worker and the packet generator each have a core.
 * 2. Late joiner's time to first decoded frame in Chromium (through the whole app).
 * 3. Recovery after a worker SIGKILL (`--crashes` times): each phase's time from the kill.
 * `--only recovery` (or cpu, late) runs one part.
 */
import { parseArgs } from 'node:util';
import { bareFanout, fanoutCpu, median, projectFanout, type Fanout } from './cpu';
import { lateJoinMs } from './lateJoin';
import { sfuRecovery } from './recovery';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    late: { type: 'string', default: '5' },
    counts: { type: 'string', default: '0,1,5,10,20,40' },
    repeat: { type: 'string', default: '3' },
    crashes: { type: 'string', default: '5' },
    only: { type: 'string' },
  },
});
const MS = Number(values.seconds) * 1000;
const COUNTS = values.counts.split(',').map(Number);
const REPEAT = Number(values.repeat);
const SINK_PORT = 9; // discard: nothing listens; the kernel drops what the consumers send

/** Worker CPU per consumer, project path beside bare mediasoup; keys for the RESULT line. */
async function cpuPart(): Promise<string> {
  const paths: Fanout[] = [await bareFanout(SINK_PORT), await projectFanout(SINK_PORT)];
  const { perConsumer, at } = await fanoutCpu(paths, { counts: COUNTS, repeat: REPEAT, ms: MS });
  const at40 = at.project!.find(([n]) => n === 40)?.[1] ?? NaN;
  return (
    `sfu_cpu_pct_40=${at40.toFixed(1)} sfu_cpu_pct_per_consumer=${perConsumer.project!.toFixed(3)} ` +
    `sfu_overhead_ratio=${(perConsumer.project! / perConsumer.bare!).toFixed(2)}`
  );
}

async function latePart(): Promise<string> {
  const late = await lateJoinMs(Number(values.late));
  console.log(`late joiner first frame (ms): ${late.map((x) => x.toFixed(0)).join(', ')}`);
  return `late_join_ms=${median(late).toFixed(0)}`;
}

/** p-th percentile (nearest rank). */
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

async function recoveryPart(): Promise<string> {
  const runs = await sfuRecovery(Number(values.crashes));
  console.log('after a worker SIGKILL, ms from the kill (slowest student):');
  console.log('crash  worker  producer  consumers  decoding  first width  full width');
  for (const [i, r] of runs.entries()) {
    console.log(
      `${String(i + 1).padStart(5)}  ${String(r.worker).padStart(6)}  ${String(r.producer).padStart(8)}  ` +
        `${String(r.consumers).padStart(9)}  ${String(r.decoding).padStart(8)}  ` +
        `${String(r.firstWidth).padStart(11)}  ${String(r.fullWidth).padStart(10)}`,
    );
  }
  const p95 = (xs: number[]) => percentile(xs, 95);
  return (
    `sfu_recovery_p95_ms=${p95(runs.map((r) => r.decoding))} ` +
    `sfu_full_res_p95_ms=${p95(runs.map((r) => r.fullWidth))}`
  );
}

const PARTS: Record<string, () => Promise<string>> = {
  cpu: cpuPart,
  late: latePart,
  recovery: recoveryPart,
};

async function main(): Promise<void> {
  const keys: string[] = [];
  for (const [name, part] of Object.entries(PARTS)) {
    if (values.only === undefined || values.only === name) keys.push(await part());
  }
  console.log(`RESULT ${keys.join(' ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
