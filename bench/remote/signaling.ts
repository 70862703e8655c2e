/**
 * Remote participants' signaling through the cloud, against LAN devices in the same room, same
 * run, at once: the cloud and the room host run as their command lines start them (own
 * processes, linked); LAN students talk to the host, remote students to the cloud's /remote
 * with a remote link. Every student pings at `hz` and the LAN students chat (fan-out to all).
 * - added latency: remote ping round trip minus LAN ping round trip (p50, p99);
 * - remote join: WebSocket to the cloud until the relay's join answer (p50 of the remotes);
 * - connections: TCP connections the room host holds to the cloud, with the remotes in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminApi } from '../../test/helpers/cloud';
import { until } from '../../test/helpers/media';
import { spawnCloud } from '../../test/helpers/spawnCloud';
import { spawnHost } from '../../test/helpers/spawnHost';
import { TestClient } from '../../test/helpers/TestClient';
import { pct } from '../measure';

export interface SignalingOptions {
  lan: number;
  remote: number;
  seconds: number;
  hz: number;
}

const ADMIN = 'bench-admin-token-0123456789';

/** Runs the signaling part; the RESULT line's keys and values. */
export async function signalingPart(opts: SignalingOptions): Promise<Record<string, string>> {
  const { lan: LAN, remote: REMOTE, seconds: SECONDS, hz: HZ } = opts;
  const dirs = [mkdtempSync(path.join(os.tmpdir(), 'lectern-bench-cloud-'))];
  dirs.push(mkdtempSync(path.join(os.tmpdir(), 'lectern-bench-host-')));
  const cloud = await spawnCloud(['--data-dir', dirs[0]!], ADMIN);
  const base = `http://127.0.0.1:${cloud.port}`;
  const api = adminApi(base, ADMIN);
  const clients: TestClient[] = [];
  try {
    const room = (await api<{ id: string; token: string }>('POST', '/api/rooms', { name: 'Bench' }))
      .body;
    const host = await spawnHost([
      '--data-dir',
      dirs[1]!,
      '--cloud',
      `ws://127.0.0.1:${cloud.port}/link`,
      '--cloud-room',
      room.id,
      '--cloud-token',
      room.token,
    ]);
    try {
      await until(
        'room linked',
        async () => (await api<{ online: boolean }>('GET', `/api/rooms/${room.id}`)).body.online,
        (online) => online,
        15_000,
        100,
      );
      const link = (
        await api<{ token: string }>('POST', `/api/rooms/${room.id}/remote-links`, {
          minutes: 60,
        })
      ).body.token;

      const lan: TestClient[] = [];
      for (let i = 0; i < LAN; i++) {
        // Each from its own address, as devices on a LAN are (the host caps sockets per address).
        const c = await TestClient.connect(host.url, { localAddress: `127.0.0.${10 + i}` });
        await c.join({ role: 'student', name: `LAN ${i}`, code: host.code });
        lan.push(c);
      }
      const remote: TestClient[] = [];
      const joinMs: number[] = [];
      const remoteUrl = `ws://127.0.0.1:${cloud.port}/remote?link=${encodeURIComponent(link)}`;
      for (let i = 0; i < REMOTE; i++) {
        const t0 = performance.now();
        const c = await TestClient.connect(remoteUrl, { localAddress: `127.0.1.${10 + i}` });
        await c.join({ role: 'student', name: `Remote ${i}` });
        joinMs.push(performance.now() - t0);
        remote.push(c);
      }
      clients.push(...lan, ...remote);

      const rtt = { lan: [] as number[], remote: [] as number[] };
      const stopAt = performance.now() + SECONDS * 1000;
      const run = async (c: TestClient, into: number[], chat: boolean) => {
        // Spread the devices' ticks over the period, as real devices are.
        await new Promise((r) => setTimeout(r, Math.random() * (1000 / HZ)));
        let n = 0;
        while (performance.now() < stopAt) {
          const t0 = performance.now();
          await c.request('ping', { t: t0 });
          into.push(performance.now() - t0);
          if (chat && ++n % (HZ * 5) === 0) void c.request('chat', { text: `tick ${n}` });
          await new Promise((r) =>
            setTimeout(r, Math.max(0, 1000 / HZ - (performance.now() - t0))),
          );
        }
      };
      await Promise.all([
        ...lan.map((c) => run(c, rtt.lan, true)),
        ...remote.map((c) => run(c, rtt.remote, false)),
      ]);

      const health = await fetch(`${base}/healthz`).then(
        (r) => r.json() as Promise<{ links: number; tcpOpen: number }>,
      );
      // Open now: the room host's link(s), the remote students' sockets and this request.
      const hostConnections = health.tcpOpen - REMOTE - 1;
      const f = (x: number) => x.toFixed(2);
      const added50 = pct(rtt.remote, 50) - pct(rtt.lan, 50);
      const added99 = pct(rtt.remote, 99) - pct(rtt.lan, 99);
      console.log(
        `devices: ${LAN} LAN + ${REMOTE} remote, ${HZ} pings/s each for ${SECONDS} s ` +
          `(${rtt.lan.length + rtt.remote.length} round trips), LAN chat every 5 s`,
      );
      console.log(
        `ping round trip LAN:    p50 ${f(pct(rtt.lan, 50))} ms  p99 ${f(pct(rtt.lan, 99))} ms`,
      );
      console.log(
        `ping round trip remote: p50 ${f(pct(rtt.remote, 50))} ms  p99 ${f(pct(rtt.remote, 99))} ms`,
      );
      console.log(`remote join (socket to join answer): p50 ${f(pct(joinMs, 50))} ms`);
      console.log(`cloud: ${health.links} room link(s), ${hostConnections} TCP from the room host`);
      return {
        remote_join_ack_ms: f(pct(joinMs, 50)),
        upstream_signal_added_p50_ms: f(added50),
        upstream_signal_added_p99_ms: f(added99),
        upstream_connections_per_room: String(hostConnections),
      };
    } finally {
      for (const c of clients) c.ws.terminate();
      await host.kill('SIGTERM');
    }
  } finally {
    await cloud.kill('SIGTERM');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}
