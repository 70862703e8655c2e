/**
 * npm run bench:relay [-- --reps 3]
 * Lectern's relay against a bare ws forwarder, same machine, same run; the relay over TLS (wss)
 * beside both for latency, throughput and 200 devices joining at once. Each server runs in its own
 * process on core 0, the load generator on core 1 (taskset), baseline and relay interleaved (order
 * alternating per repetition), medians of the repetitions.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { cpuTicks, TICKS_PER_S } from '../measure';
import type { Mode } from './clients';
type Scenario = 'latency' | 'throughput' | 'broadcast' | 'attack' | 'join' | 'idle';
type Row = Record<string, number>;

const { values } = parseArgs({ options: { reps: { type: 'string', default: '3' } } });
const REPS = Number(values.reps);
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

function launch(cpu: number, script: string, args: string[], v8Flags: string[] = []): ChildProcess {
  const node = [process.execPath, '--expose-gc', ...v8Flags, '--import', 'tsx', script, ...args];
  const [cmd, ...rest] = pinned ? ['taskset', '-c', String(cpu), ...node] : node;
  return spawn(cmd!, rest, { stdio: ['pipe', 'pipe', 'inherit'] });
}

function lines(child: ChildProcess): AsyncIterator<string> {
  return createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
}

async function nextJson(it: AsyncIterator<string>): Promise<Record<string, unknown>> {
  const { value, done } = await it.next();
  if (done) throw new Error('process ended early');
  return JSON.parse(value) as Record<string, unknown>;
}

/**
 * Resident anonymous memory (heap, buffers, stacks): what connections cost. Not VmRSS, whose
 * file-backed part (the node binary's pages) the kernel reclaims when it likes: on these
 * machines proactive reclaim (DAMON) made RSS fall by 24 MB between 500 and 1,000 connections.
 */
function rssKb(pid: number): number {
  const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runOne(scenario: Scenario, mode: Mode): Promise<Row> {
  // V8 doubles its young generation when a burst of joins allocates fast, and whether a run
  // crosses that threshold between 500 and 1,000 connections is luck (it added 16 MB to one
  // slope). A fixed nursery, the same for both servers, keeps the idle slope to what the
  // connections hold.
  const nursery =
    scenario === 'idle' ? ['--min-semi-space-size=16', '--max-semi-space-size=16'] : [];
  const server = launch(0, here('./server.ts'), [mode], nursery);
  const out = lines(server);
  const { port, code } = (await nextJson(out)) as { port: number; code?: string };
  const pid = server.pid!;
  await sleep(500);
  const collect = async () => {
    server.kill('SIGUSR2');
    const mem = await nextJson(out);
    if (process.env['BENCH_MEM']) console.log('   memory', JSON.stringify(mem));
    await sleep(300);
    return rssKb(pid);
  };
  const before = scenario === 'idle' ? await collect() : 0;
  const load = launch(1, here('./load.ts'), [scenario, mode, String(port), code ?? '']);
  const it = lines(load);
  let row: Row = {};
  try {
    for (;;) {
      const msg = await nextJson(it);
      if (msg['phase'] === 'measuring' && scenario !== 'attack') {
        const t0 = performance.now();
        const c0 = cpuTicks(pid);
        const done = await nextJson(it);
        const seconds = (performance.now() - t0) / 1000;
        row = { ...(done as Row), cpu_pct: ((cpuTicks(pid) - c0) / TICKS_PER_S / seconds) * 100 };
        break;
      }
      if (msg['phase'] === 'connected') {
        // RSS after a full GC at 500 and at 1,000 connections. Per idle connection is the
        // slope between the two (one-time costs such as compiling the join path fall out);
        // the total over 1,000 is reported beside it.
        await sleep(1000);
        const at500 = await collect();
        load.stdin!.write('more\n');
        const next = await nextJson(it);
        await sleep(1000);
        const at1000 = await collect();
        row = {
          kb_per_conn:
            (at1000 - at500) / (Number(next['connections']) - Number(msg['connections'])),
          kb_per_conn_total: (at1000 - before) / Number(next['connections']),
        };
        break;
      }
      if (msg['phase'] === 'done') {
        row = msg as Row;
        break;
      }
    }
  } finally {
    load.kill('SIGKILL');
    server.kill('SIGKILL');
  }
  delete row['phase'];
  return row;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number | undefined) =>
  x === undefined ? 'n/a' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(x < 1 ? 3 : 2);

async function main(): Promise<void> {
  const scenarios: Scenario[] = (process.env['BENCH_ONLY']?.split(',') as
    Scenario[] | undefined) ?? ['latency', 'throughput', 'broadcast', 'attack', 'join', 'idle'];
  const empty = (): Record<Scenario, Row[]> => ({
    latency: [],
    throughput: [],
    broadcast: [],
    attack: [],
    join: [],
    idle: [],
  });
  const results: Record<Mode, Record<Scenario, Row[]>> = {
    bare: empty(),
    bareTls: empty(),
    relay: empty(),
    tls: empty(),
  };
  // Which servers each scenario runs against. The attack row compares the relay with itself
  // (its quiet broadcast); the join row the relay over ws with the relay over TLS.
  const modesOf: Record<Scenario, Mode[]> = {
    latency: ['bare', 'relay', 'tls', 'bareTls'],
    throughput: ['bare', 'relay', 'tls'],
    broadcast: ['bare', 'relay'],
    attack: ['relay'],
    join: ['relay', 'tls'],
    idle: ['bare', 'relay'],
  };
  console.log(
    `relay benchmark: ${REPS} repetitions, ${pinned ? 'server on cpu 0, load on cpu 1' : 'taskset unavailable: unpinned'}`,
  );
  for (let rep = 0; rep < REPS; rep++) {
    for (const scenario of scenarios) {
      // Order alternating per repetition: no server always runs on a warmer machine.
      const modes = modesOf[scenario];
      const order = rep % 2 === 0 ? modes : [...modes].reverse();
      for (const mode of order) {
        const row = await runOne(scenario, mode);
        results[mode][scenario].push(row);
        console.log(
          `  rep ${rep + 1} ${scenario.padEnd(10)} ${mode.padEnd(5)} ${Object.entries(row)
            .map(([k, v]) => `${k}=${fmt(v)}`)
            .join(' ')}`,
        );
      }
    }
  }
  const m = (mode: Mode, s: Scenario, key: string) => median(results[mode][s].map((r) => r[key]!));
  const table: [string, string, number, number][] = [
    [
      'latency p50 (ms)',
      'latency',
      m('bare', 'latency', 'p50_ms'),
      m('relay', 'latency', 'p50_ms'),
    ],
    [
      'latency p99 (ms)',
      'latency',
      m('bare', 'latency', 'p99_ms'),
      m('relay', 'latency', 'p99_ms'),
    ],
    [
      '1→1 throughput (msg/s)',
      'throughput',
      m('bare', 'throughput', 'msgs_per_s'),
      m('relay', 'throughput', 'msgs_per_s'),
    ],
    [
      'broadcast p50 (ms)',
      'broadcast',
      m('bare', 'broadcast', 'p50_ms'),
      m('relay', 'broadcast', 'p50_ms'),
    ],
    [
      'broadcast p99 (ms)',
      'broadcast',
      m('bare', 'broadcast', 'p99_ms'),
      m('relay', 'broadcast', 'p99_ms'),
    ],
    [
      'broadcast server CPU (%)',
      'broadcast',
      m('bare', 'broadcast', 'cpu_pct'),
      m('relay', 'broadcast', 'cpu_pct'),
    ],
    [
      'RSS per idle connection (KB)',
      'idle',
      m('bare', 'idle', 'kb_per_conn'),
      m('relay', 'idle', 'kb_per_conn'),
    ],
    [
      'RSS per idle conn, total (KB)',
      'idle',
      m('bare', 'idle', 'kb_per_conn_total'),
      m('relay', 'idle', 'kb_per_conn_total'),
    ],
  ];
  console.log('\nmedians            bare ws      relay    ratio');
  for (const [name, , bare, relay] of table) {
    console.log(
      `  ${name.padEnd(30)} ${fmt(bare).padStart(9)} ${fmt(relay).padStart(9)} ${(relay / bare).toFixed(2).padStart(7)}`,
    );
  }
  const ratio = (i: number) => (table[i]![3] / table[i]![2]).toFixed(2);
  // Under attack: the relay's broadcast while a member floods chat at its limit and another
  // has stopped reading, against the same relay's quiet broadcast of this run.
  const quiet = m('relay', 'broadcast', 'p99_ms');
  const attacked = m('relay', 'attack', 'p99_ms');
  const attackRatio = (attacked / quiet).toFixed(2);
  console.log(
    `  ${'under attack: broadcast p99 (ms)'.padEnd(30)} ${fmt(quiet).padStart(9)} ${fmt(attacked).padStart(9)} ${attackRatio.padStart(7)}` +
      `   (quiet vs attacked; the flooder got ${fmt(m('relay', 'attack', 'flood_accepted'))} chats through, ${fmt(m('relay', 'attack', 'flood_refused'))} refused)`,
  );
  // TLS: the relay over wss against bare ws (goals: p50 within 1.3×, throughput ≥ 0.75×).
  const tlsP50 = m('tls', 'latency', 'p50_ms') / m('bare', 'latency', 'p50_ms');
  const tlsThroughput =
    m('tls', 'throughput', 'msgs_per_s') / m('bare', 'throughput', 'msgs_per_s');
  // What TLS alone costs: the bare forwarder over wss against itself over ws, and the relay over
  // wss against that bare wss forwarder.
  const tlsFloor = m('bareTls', 'latency', 'p50_ms') / m('bare', 'latency', 'p50_ms');
  const tlsOverBare = m('tls', 'latency', 'p50_ms') / m('bareTls', 'latency', 'p50_ms');
  const joinWs = m('relay', 'join', 'join_ms');
  const joinTls = m('tls', 'join', 'join_ms');
  console.log(
    `  ${'wss: latency p50 (ms)'.padEnd(30)} ${fmt(m('bare', 'latency', 'p50_ms')).padStart(9)} ${fmt(m('tls', 'latency', 'p50_ms')).padStart(9)} ${tlsP50.toFixed(2).padStart(7)}   (bare ws vs relay over TLS)`,
  );
  console.log(
    `  ${'wss: bare forwarder p50 (ms)'.padEnd(30)} ${fmt(m('bare', 'latency', 'p50_ms')).padStart(9)} ${fmt(m('bareTls', 'latency', 'p50_ms')).padStart(9)} ${tlsFloor.toFixed(2).padStart(7)}   (bare ws vs bare wss: TLS alone)`,
  );
  console.log(
    `  ${'wss: relay over bare wss'.padEnd(30)} ${fmt(m('bareTls', 'latency', 'p50_ms')).padStart(9)} ${fmt(m('tls', 'latency', 'p50_ms')).padStart(9)} ${tlsOverBare.toFixed(2).padStart(7)}   (bare wss vs relay over TLS)`,
  );
  console.log(
    `  ${'wss: throughput (msg/s)'.padEnd(30)} ${fmt(m('bare', 'throughput', 'msgs_per_s')).padStart(9)} ${fmt(m('tls', 'throughput', 'msgs_per_s')).padStart(9)} ${tlsThroughput.toFixed(2).padStart(7)}`,
  );
  console.log(
    `  ${'200 devices join at once (ms)'.padEnd(30)} ${fmt(joinWs).padStart(9)} ${fmt(joinTls).padStart(9)} ${(joinTls / joinWs).toFixed(2).padStart(7)}   (relay over ws vs over TLS)`,
  );
  console.log(
    `RESULT relay_p50_ratio=${ratio(0)} broadcast_p99_ratio=${ratio(4)} throughput_ratio=${ratio(2)} ` +
      `relay_p99_ms=${fmt(table[1]![3])} broadcast_p99_ms=${fmt(table[4]![3])} ` +
      `idle_kb_per_conn=${fmt(table[6]![3])} idle_kb_per_conn_total=${fmt(table[7]![3])} msgs_per_s=${fmt(table[2]![3])} ` +
      `attack_broadcast_p99_ratio=${attackRatio} tls_p50_ratio=${tlsP50.toFixed(2)} ` +
      `tls_throughput_ratio=${tlsThroughput.toFixed(2)} tls_join_200_ms=${fmt(joinTls)} ` +
      `tls_floor_p50_ratio=${tlsFloor.toFixed(2)} tls_over_bare_tls_p50_ratio=${tlsOverBare.toFixed(2)}`,
  );
}

await main();
