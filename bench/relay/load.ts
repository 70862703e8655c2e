/**
 * The load generator, in its own process: `load.ts <scenario> <mode> <port> <code>`, prints one
 * JSON line of results. Scenarios: latency, throughput, broadcast, attack, join, idle.
 */
import { nowUs, openClient, percentile, type BenchClient, type Mode } from './clients';

const [scenario, mode, portText, code = ''] = process.argv.slice(2) as [
  string,
  Mode,
  string,
  string?,
];
const port = Number(portText);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function latency(): Promise<object> {
  // The sender is a teacher: the relay forwards signaling only along media links
  // (teacher → student is one; student → student is not).
  const a = await openClient(mode, port, code, 'A', 0, 'teacher');
  const b = await openClient(mode, port, code, 'B');
  const samples: number[] = [];
  let recording = false;
  b.onStamp = (stamp) => {
    if (recording) samples.push(nowUs() - Number(stamp));
  };
  const rate = 1000;
  const run = async (seconds: number) => {
    const start = performance.now();
    for (let i = 0; i < rate * seconds; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      a.sendTo(b.peerId, String(nowUs()));
    }
  };
  await run(1); // warm-up
  recording = true;
  await run(10);
  await sleep(200);
  samples.sort((x, y) => x - y);
  return {
    count: samples.length,
    p50_ms: percentile(samples, 50) / 1000,
    p99_ms: percentile(samples, 99) / 1000,
  };
}

async function throughput(): Promise<object> {
  // The sender is a teacher: the relay forwards signaling only along media links
  // (teacher → student is one; student → student is not).
  const a = await openClient(mode, port, code, 'A', 0, 'teacher');
  const b = await openClient(mode, port, code, 'B');
  const window = 200;
  let sent = 0;
  let received = 0;
  let wake: (() => void) | null = null;
  // The load generator must not be the bottleneck: one pre-encoded frame, receipts counted.
  const frame = a.frameTo(b.peerId, '0');
  b.onFrame = () => {
    received++;
    if (sent - received < window / 2) wake?.();
  };
  const measure = async (ms: number) => {
    const end = performance.now() + ms;
    const from = received;
    while (performance.now() < end) {
      while (sent - received < window) {
        a.ws.send(frame);
        sent++;
      }
      await new Promise<void>((r) => {
        wake = r;
      });
    }
    return ((received - from) * 1000) / ms;
  };
  await measure(1000); // warm-up
  return { msgs_per_s: await measure(5000) };
}

/**
 * The broadcast load, while one more member floods chat at its limit (the longest messages,
 * resent as soon as the relay's wait is over) and another stops reading.
 */
async function attack(): Promise<object> {
  const flooder = await openClient(mode, port, code, 'flooder');
  const paused = await openClient(mode, port, code, 'paused');
  (paused.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  let flooding = true;
  let accepted = 0;
  let refused = 0;
  const text = '語'.repeat(1990);
  const flood = (async () => {
    for (let id = 1; flooding; id++) {
      const answer = await flooder.call('chat', { text }, id);
      if (answer.ok) accepted++;
      else {
        refused++;
        await sleep(Math.max(1, answer.retryAfterMs ?? 10));
      }
    }
  })();
  const result = await broadcast();
  flooding = false;
  await flood;
  return { ...result, flood_accepted: accepted, flood_refused: refused };
}

async function broadcast(): Promise<object> {
  const n = 60;
  const clients: BenchClient[] = [];
  for (let i = 0; i < n; i++) clients.push(await openClient(mode, port, code, `c${i}`));
  const samples: number[] = [];
  let recording = false;
  let delivered = 0;
  for (const c of clients) {
    c.onStamp = (stamp, from) => {
      // Only the load's own stamped messages (the attack's flood is not measured).
      if (from === c.peerId || !recording || !/^\d+$/.test(stamp)) return;
      delivered++;
      samples.push(nowUs() - Number(stamp));
    };
  }
  const run = async (seconds: number) => {
    const start = performance.now();
    const ticks = seconds * 10;
    for (let t = 0; t < ticks; t++) {
      // Each client sends 10/s, spread evenly over the 100 ms tick.
      for (let i = 0; i < n; i++) {
        const due = start + t * 100 + (i * 100) / n;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        clients[i]!.broadcast(String(nowUs()));
      }
    }
  };
  await run(2); // warm-up
  recording = true;
  process.stdout.write(JSON.stringify({ phase: 'measuring' }) + '\n');
  await run(20);
  await sleep(300);
  recording = false;
  samples.sort((x, y) => x - y);
  return {
    delivered,
    expected: n * 200 * (n - 1),
    p50_ms: percentile(samples, 50) / 1000,
    p99_ms: percentile(samples, 99) / 1000,
  };
}

/** 200 devices joining at once (a class arriving): from the first dial to the last join answered. */
async function join(): Promise<object> {
  const t0 = performance.now();
  const clients = await Promise.all(
    Array.from({ length: 200 }, (_, i) => openClient(mode, port, code, `join${i}`, i % 4)),
  );
  const ms = performance.now() - t0;
  for (const c of clients) c.ws.terminate();
  return { join_ms: ms };
}

async function idle(): Promise<object> {
  const clients: BenchClient[] = [];
  const open = async (n: number) => {
    // Classrooms of 50, as a relay hosting many rooms would hold them.
    for (let i = clients.length, end = clients.length + n; i < end; i++) {
      clients.push(await openClient(mode, port, code, `idle${i}`, Math.floor(i / 50)));
    }
    process.stdout.write(
      JSON.stringify({ phase: 'connected', connections: clients.length }) + '\n',
    );
  };
  await open(500);
  await new Promise((r) => process.stdin.once('data', r));
  await open(500);
  await sleep(60_000); // the orchestrator measures and kills us
  return {};
}

const scenarios: Record<string, () => Promise<object>> = {
  latency,
  throughput,
  broadcast,
  attack,
  join,
  idle,
};
const result = await scenarios[scenario]!();
process.stdout.write(JSON.stringify({ phase: 'done', ...result }) + '\n');
process.exit(0);
