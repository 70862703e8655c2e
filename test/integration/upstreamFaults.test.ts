/**
 * The upstream link under fault injection: a TCP proxy between the room host and the cloud cuts
 * the connection, stalls it and tears it mid-message every 5–15 s (random), for 2 minutes
 * (LECTERN_FAULT_MS to change), while 40 devices post 100 chat messages/s in total through the
 * relay and the console sends a command every second. Every message must arrive exactly once
 * and in order per device, in both directions.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CloudStatus } from '../../protocol';
import type { RoomFeed } from '../../local-ws/upstream/RoomFeed';
import { linkRoom, startCloud, type TestCloud } from '../helpers/cloud';
import { FaultProxy, type Fault } from '../helpers/FaultProxy';
import { LanDevice } from '../helpers/LanDevice';
import { until } from '../helpers/media';
import { LOAD_LIMITS, startRelay, TEACHER_SECRET, type TestRelay } from '../helpers/relay';

const DURATION_MS = Number(process.env['LECTERN_FAULT_MS'] ?? 120_000);
const DEVICES = 40;
const RATE = 100; // messages per second, all devices together
const SEED = Number(process.env['LECTERN_FAULT_SEED'] ?? Date.now() % 1_000_000);

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let cloud: TestCloud;
let relay: TestRelay;
let proxy: FaultProxy;
let feed: RoomFeed;

before(async () => {
  cloud = await startCloud({ heartbeatMs: 1000 });
  relay = await startRelay(LOAD_LIMITS);
  proxy = new FaultProxy(cloud.cloud.port);
  const proxyPort = await proxy.listen();
  const { id, token } = await cloud.addRoom('Fault room');
  feed = linkRoom(relay.relay, relay.room, {
    url: `ws://127.0.0.1:${proxyPort}/link`,
    roomId: id,
    token,
    chat: true,
    heartbeatMs: 1000,
    backoff: { minMs: 100, maxMs: 2000 },
  });
});

after(async () => {
  feed.close();
  await proxy.close();
  await relay.stop();
  await cloud.stop();
});

test(
  `exactly once, in order, both ways, through cuts, stalls and torn frames (seed ${SEED})`,
  {
    timeout: DURATION_MS + 120_000,
  },
  async () => {
    const random = prng(SEED);
    const roomId =
      [...cloud.cloud.rooms.keys()][0] ??
      (await until(
        'room linked',
        async () => [...cloud.cloud.rooms.keys()][0],
        (x) => x !== undefined,
        10_000,
        20,
      ))!;
    const teacher = await LanDevice.join(
      relay.url,
      { role: 'teacher', name: 'Teacher', code: relay.room.code, credential: TEACHER_SECRET },
      ['screenMessage', 'cloudStatus'],
    );
    const devices: LanDevice[] = [];
    for (let i = 0; i < DEVICES; i++) {
      devices.push(
        await LanDevice.join(relay.url, { role: 'student', name: `S${i}`, code: relay.room.code }),
      );
    }
    const peerIndex = new Map<string, number>();
    for (const p of relay.room.members.values()) {
      const m = /^S(\d+)$/.exec(p.name);
      if (m) peerIndex.set(p.id, Number(m[1]));
    }

    // What the cloud applies, per device: the chat counters in arrival order.
    const received = Array.from({ length: DEVICES }, () => [] as number[]);
    cloud.cloud.onApplied((_room, msg) => {
      if (msg.k !== 'event') return;
      const e = msg.b as { method: string; params: { message?: { text: string } } };
      if (e.method !== 'chatPosted') return;
      const m = /^d(\d+)#(\d+)$/.exec(e.params.message!.text);
      if (m) received[Number(m[1])]!.push(Number(m[2]));
    });

    const sent = Array.from({ length: DEVICES }, () => 0);
    let refused = 0;
    let commandsSent = 0;
    const faults: Fault[] = [];
    const stopAt = Date.now() + DURATION_MS;

    // 100 msg/s: every 10 ms the next device (round robin) posts its next numbered message.
    let turn = 0;
    const chatter = setInterval(() => {
      const i = turn++ % DEVICES;
      const n = sent[i]!;
      sent[i] = n + 1;
      void devices[i]!.request('chat', { text: `d${i}#${n}` }).then((ok) => {
        if (!ok) refused++;
      });
    }, 1000 / RATE);
    // The console: one command a second, numbered.
    const commander = setInterval(() => {
      const n = commandsSent++;
      void cloud.api('POST', `/api/rooms/${roomId}/commands`, {
        type: 'message',
        text: `cmd-${n}`,
        seconds: 5,
      });
    }, 1000);
    // Faults at random 5–15 s intervals.
    let faultTimer: NodeJS.Timeout;
    const nextFault = () => {
      faultTimer = setTimeout(
        () => {
          const r = random();
          const fault: Fault = r < 1 / 3 ? 'cut' : r < 2 / 3 ? 'stall' : 'midcut';
          faults.push(fault);
          if (fault === 'cut') proxy.cut();
          else if (fault === 'stall') proxy.stall(1000 + random() * 3000);
          else proxy.cutMidMessage();
          if (Date.now() < stopAt) nextFault();
        },
        5000 + random() * 10_000,
      );
    };
    nextFault();

    await new Promise((r) => setTimeout(r, DURATION_MS));
    clearInterval(chatter);
    clearInterval(commander);
    clearTimeout(faultTimer!);

    const totalSent = () => sent.reduce((a, b) => a + b, 0);
    const totalReceived = () => received.reduce((a, r) => a + r.length, 0);
    await until(
      'cloud has every message',
      async () => totalReceived(),
      (n) => n >= totalSent() - refused,
      30_000,
      100,
    );
    const commandsSeen = () =>
      teacher.kept
        .filter((n) => n.method === 'screenMessage')
        .map((n) => (n.params as { text: string }).text);
    await until(
      'teacher has every command',
      async () => commandsSeen().length,
      (n) => n >= commandsSent,
      30_000,
      100,
    );
    await new Promise((r) => setTimeout(r, 500)); // anything doubled would show up by now

    // Upstream: per device 0, 1, 2, … with nothing missing or doubled.
    let lost = 0;
    let duplicated = 0;
    let outOfOrder = 0;
    for (let i = 0; i < DEVICES; i++) {
      const r = received[i]!;
      const distinct = new Set(r);
      duplicated += r.length - distinct.size;
      lost += sent[i]! - distinct.size;
      for (let k = 1; k < r.length; k++) if (r[k]! <= r[k - 1]!) outOfOrder++;
    }
    // Downstream: cmd-0, cmd-1, … exactly once each.
    const cmds = commandsSeen();
    const cmdNumbers = cmds.map((t) => Number(t.slice(4)));
    const cmdDistinct = new Set(cmdNumbers);
    const cmdOutOfOrder = cmdNumbers.filter((n, k) => k > 0 && n <= cmdNumbers[k - 1]!).length;

    // Reconnects as the teacher saw them: from the link going down to online again.
    const statuses = teacher.kept
      .filter((n) => n.method === 'cloudStatus')
      .map((n) => n.params as CloudStatus);
    const reconnects: number[] = [];
    let downSince: number | null = null;
    for (const s of statuses) {
      if (s.state !== 'online') downSince ??= s.since;
      else if (downSince !== null) {
        reconnects.push(s.since - downSince);
        downSince = null;
      }
    }
    reconnects.sort((a, b) => a - b);
    const p95 =
      reconnects[Math.min(reconnects.length - 1, Math.floor(reconnects.length * 0.95))] ?? 0;
    const stats = feed.link.stats();
    const room = cloud.cloud.rooms.get(roomId)!;
    console.log(
      `fault: seed=${SEED} ${DURATION_MS / 1000}s faults=${JSON.stringify(proxy.counts)} ` +
        `upstream sent=${totalSent()} refused=${refused} received=${totalReceived()} lost=${lost} duplicated=${duplicated} out_of_order=${outOfOrder} ` +
        `resent_and_filtered=${room.recv.duplicates} | commands sent=${commandsSent} received=${cmds.length} lost=${commandsSent - cmdDistinct.size} duplicated=${cmds.length - cmdDistinct.size} out_of_order=${cmdOutOfOrder} ` +
        `| reconnects=${reconnects.length} p50=${reconnects[Math.floor(reconnects.length / 2)] ?? 0}ms p95=${p95}ms max=${reconnects.at(-1) ?? 0}ms link=${JSON.stringify(stats)}`,
    );

    assert.equal(refused, 0, 'the relay accepted every chat');
    assert.equal(lost, 0, 'upstream lost');
    assert.equal(duplicated, 0, 'upstream duplicated');
    assert.equal(outOfOrder, 0, 'upstream order per device');
    assert.equal(commandsSent - cmdDistinct.size, 0, 'commands lost');
    assert.equal(cmds.length - cmdDistinct.size, 0, 'commands duplicated');
    assert.equal(cmdOutOfOrder, 0, 'command order');
    assert.ok(
      faults.length >= Math.floor(DURATION_MS / 15_000),
      `faults injected: ${faults.length}`,
    );
    assert.ok(reconnects.length >= 1, 'the link went down and came back');
    assert.ok(p95 < 3000, `reconnect p95 ${p95} ms`);
    assert.equal(stats.dropped, 0, 'nothing shed');
    for (const d of devices) d.close();
    teacher.close();
  },
);
