/**
 * npm run bench:upstream [-- --reps 3 --ms 4000]
 * The upstream link against a bare ws 1→1 forwarder, same machine, same run, interleaved:
 * devices (load generator, own process) → room host (own process) → cloud (own process).
 * - throughput: the highest offered load of metrics reports (paced, ascending steps) carried in
 *   full through the whole path, sequencing, acks and de-duplication on;
 * - added latency: at 5,000 chat messages/s, cloud arrival minus LAN arrival of each message;
 * - connections: 200 devices in the room, TCP connections the cloud accepted for them.
 */
import { execFileSync, fork, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { reps: { type: 'string', default: '3' }, ms: { type: 'string', default: '4000' } },
});
const REPS = Number(values.reps);
const MS = Number(values.ms);
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

interface Proc {
  child: ChildProcess;
  call<T = Record<string, unknown>>(op: string, args?: Record<string, unknown>): Promise<T>;
  stop(): void;
}

/** A benchmark process (tsx), optionally pinned to a CPU, answering calls over IPC. */
async function start(script: string, args: string[], cpu?: number): Promise<Proc> {
  const child = fork(here(script), args, { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  let next = 1;
  const waiting = new Map<number, (m: { result?: unknown; error?: string }) => void>();
  const ready = new Promise<void>((resolve) => waiting.set(0, () => resolve()));
  child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  await ready;
  if (pinned && cpu !== undefined) execFileSync('taskset', ['-pc', String(cpu), String(child.pid)]);
  return {
    child,
    call: <T>(op: string, a: Record<string, unknown> = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        waiting.set(id, (m) => (m.error ? reject(new Error(m.error)) : resolve(m.result as T)));
        child.send({ id, op, args: a });
      }),
    stop: () => child.kill('SIGKILL'),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** One setup (bare or link): sink, host, generator. */
async function setup(mode: 'bare' | 'link') {
  const sink = await start('./sink.ts', [mode], 1);
  const s = await sink.call<{ port: number; roomId: string; token: string }>('info');
  const host = await start('./host.ts', [mode, String(s.port), s.roomId, s.token], 0);
  const h = await host.call<{ port: number; code: string }>('info');
  const gen = await start('./gen.ts', [], 1);
  return {
    sink,
    host,
    gen,
    url: `ws://127.0.0.1:${h.port}/ws`,
    code: h.code,
    sinkPort: s.port,
    stop() {
      for (const p of [gen, host, sink]) p.stop();
    },
  };
}

/**
 * Offered loads, ascending, until one is not carried in full (< 99.5 % arrived, or metrics shed);
 * the figure is the highest arrival rate among the loads carried in full.
 */
const RATES = [
  10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 65_000, 70_000, 75_000, 80_000, 90_000, 100_000,
  120_000,
];

async function throughput(mode: 'bare' | 'link'): Promise<number> {
  const env = await setup(mode);
  let best = 0;
  try {
    for (const rate of RATES) {
      await env.sink.call('reset');
      const shedBefore =
        mode === 'link' ? (await env.host.call<{ dropped: number }>('stats')).dropped : 0;
      const { sent } = await env.gen.call<{ sent: number }>('offer', {
        mode,
        url: env.url,
        code: env.code,
        senders: 4,
        rate,
        ms: MS,
      });
      await new Promise((r) => setTimeout(r, 1000));
      const { count } = await env.sink.call<{ count: number }>('take');
      const shed =
        mode === 'link'
          ? (await env.host.call<{ dropped: number }>('stats')).dropped - shedBefore
          : 0;
      const carried = count >= sent * 0.995 && shed === 0;
      console.log(
        `  ${mode.padEnd(4)} offered ${rate} msg/s: sent=${sent} arrived=${count} shed=${shed} ${carried ? 'carried' : 'NOT carried'}`,
      );
      if (!carried) break;
      // What actually arrived per second (the generator may fall short of the offer).
      best = Math.max(best, Math.round(count / (MS / 1000)));
    }
    return best;
  } finally {
    env.stop();
  }
}

async function latency(): Promise<{ p50: number; p99: number; lanP99: number }> {
  const env = await setup('link');
  try {
    await env.sink.call('reset');
    const { lan, sent } = await env.gen.call<{ lan: [string, number][]; sent: number }>('paced', {
      url: env.url,
      code: env.code,
      rate: 5000,
      ms: MS,
    });
    await new Promise((r) => setTimeout(r, 500));
    const { arrivals } = await env.sink.call<{ arrivals: [string, number][] }>('take');
    const cloudAt = new Map(arrivals);
    const added: number[] = [];
    const lanDelay: number[] = [];
    for (const [text, at] of lan) {
      const sentAt = Number(text.slice(1, text.indexOf('#')));
      lanDelay.push(at - sentAt);
      const c = cloudAt.get(text);
      if (c !== undefined) added.push(c - at);
    }
    const r = { p50: pct(added, 0.5), p99: pct(added, 0.99), lanP99: pct(lanDelay, 0.99) };
    console.log(
      `  link 5000 msg/s: sent=${sent} lan=${lan.length} cloud=${arrivals.length}; LAN p99 ${r.lanP99.toFixed(2)} ms; added by the link p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms`,
    );
    return r;
  } finally {
    env.stop();
  }
}

async function connections(): Promise<number> {
  const env = await setup('link');
  try {
    const before = await env.sink.call<{ tcpAccepted: number }>('take');
    await env.gen.call('devices', { url: env.url, code: env.code, n: 200 });
    await new Promise((r) => setTimeout(r, 500));
    const after = await env.sink.call<{ tcpAccepted: number; links: number }>('take');
    const ss = execFileSync(
      'ss',
      ['-Htn', 'state', 'established', 'dst', `127.0.0.1:${env.sinkPort}`],
      { encoding: 'utf8' },
    );
    const established = ss.split('\n').filter((l) => l.trim() !== '').length;
    const accepted = after.tcpAccepted - before.tcpAccepted;
    console.log(
      `  200 devices joined: cloud accepted ${accepted} more TCP connections (link made before: ${before.tcpAccepted}); established to the cloud now: ${established}; links ${after.links}`,
    );
    return established;
  } finally {
    env.stop();
  }
}

console.log(
  `bench:upstream — ${REPS} reps of ${MS} ms, ${pinned ? 'host on cpu 0, sink+generator on cpu 1' : 'unpinned'}`,
);
const bare: number[] = [];
const link: number[] = [];
for (let i = 0; i < REPS; i++) {
  for (const mode of i % 2 === 0 ? (['bare', 'link'] as const) : (['link', 'bare'] as const)) {
    (mode === 'bare' ? bare : link).push(await throughput(mode));
  }
}
const lat: { p50: number; p99: number; lanP99: number }[] = [];
for (let i = 0; i < REPS; i++) lat.push(await latency());
const conns = await connections();
const linkRate = median(link);
console.log(
  `sustained throughput (highest rate carried in full): bare forwarder ${median(bare)} msg/s, link ${linkRate} msg/s (ratio ${(linkRate / median(bare)).toFixed(2)})`,
);
console.log(
  `added latency at 5,000 msg/s: p50 ${median(lat.map((l) => l.p50)).toFixed(2)} ms, p99 ${median(lat.map((l) => l.p99)).toFixed(2)} ms (LAN delivery p99 ${median(lat.map((l) => l.lanP99)).toFixed(2)} ms)`,
);
console.log(
  `RESULT upstream_msgs_per_s=${Math.round(linkRate)} upstream_throughput_ratio=${(linkRate / median(bare)).toFixed(2)} upstream_added_p99_ms=${median(lat.map((l) => l.p99)).toFixed(2)} connections_for_200_devices=${conns}`,
);
process.exit(0);
