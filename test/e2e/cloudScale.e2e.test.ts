/**
 * A class spread over two cloud processes behind a load balancer: the room's link is held by
 * one (A), a remote student's browser reached the other (B). B serves her media: her receive
 * transport and consumer are on B's SFU, which pulls the teacher's share from A over a pipe
 * between the two processes. Real processes as `cloud/cli.ts` starts them, a real Redis, real
 * Chromium and workers.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RoomFeed } from '../../local-ws/upstream/RoomFeed';
import { launchChromium, screenshot } from '../helpers/browser';
import { adminApi, ADMIN_TOKEN, cloudSfuReady, linkOnline, linkRoom } from '../helpers/cloud';
import { joinAs, startHost, type TestHost } from '../helpers/host';
import { inbound, until } from '../helpers/media';
import { startRedis, type TestRedis } from '../helpers/redis';
import { spawnCloud, type CloudChild } from '../helpers/spawnCloud';

/** A gauge's value in a process's /metrics. */
async function gauge(port: number, name: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const line = (await res.text()).split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.slice(name.length + 1));
}

describe('a class over two cloud processes', () => {
  let redis: TestRedis;
  let a: CloudChild;
  let b: CloudChild;
  let host: TestHost;
  let feed: RoomFeed;
  let browser: Browser;
  let roomId: string;

  before(async () => {
    redis = await startRedis();
    const common = [
      '--redis',
      redis.url,
      '--heartbeat-ms',
      '1000',
      '--web-dir',
      path.resolve('out/web'),
    ];
    a = await spawnCloud(
      [...common, '--sfu-ip', '127.0.0.1', '--sfu-ports', '41000-41499'],
      ADMIN_TOKEN,
    );
    b = await spawnCloud(
      [...common, '--sfu-ip', '127.0.0.1', '--sfu-ports', '41500-41999'],
      ADMIN_TOKEN,
    );
    host = await startHost({ publicHost: '127.0.0.1', sfu: { listenIp: '127.0.0.1' } });
    const room = (
      await adminApi(`http://127.0.0.1:${a.port}`)<{ id: string; token: string }>(
        'POST',
        '/api/rooms',
        { name: 'Room 101' },
      )
    ).body;
    roomId = room.id;
    feed = linkRoom(host.relay, host.room, {
      url: `ws://127.0.0.1:${a.port}/link`,
      roomId,
      token: room.token,
    });
    await linkOnline(feed);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    feed?.close();
    await host?.relay.close();
    await a?.kill('SIGTERM');
    await b?.kill('SIGTERM');
    await redis?.stop();
  });

  async function open(url: string): Promise<Page> {
    const p = await (
      await browser.newContext({ viewport: { width: 1280, height: 720 } })
    ).newPage();
    await p.goto(url);
    return p;
  }

  it(
    'a remote student on the other process receives the share from that process’s SFU',
    { timeout: 120_000 },
    async () => {
      await cloudSfuReady(feed);
      const teacher = await open(`${host.base}/?stats&code=${host.room.code}&capture=1280x720`);
      await joinAs(teacher, 'Teacher', 'Ms. Park');
      await teacher.getByRole('button', { name: 'Share screen' }).click();
      const made = await adminApi(`http://127.0.0.1:${b.port}`)<{ token: string }>(
        'POST',
        `/api/rooms/${roomId}/remote-links`,
        {},
      );
      // The load balancer sent her to B; the room's link is on A.
      const rita = await open(`http://127.0.0.1:${b.port}/join/?stats&link=${made.body.token}`);
      await rita.getByLabel('Your name').fill('Rita');
      await rita.getByRole('button', { name: 'Join' }).click();
      await rita.getByRole('heading', { name: 'Room 101' }).waitFor();
      const seen = await until(
        'Rita decodes the share through the SFU',
        async () => (await inbound(rita)).filter((s) => s.path === 'sfu' && s.frames > 0),
        (s) => s.length > 0,
        60_000,
      );
      console.log(`remote student on the other process: ${JSON.stringify(seen[0])}`);
      const consumers = {
        a: await gauge(a.port, 'lectern_cloud_sfu_consumers'),
        b: await gauge(b.port, 'lectern_cloud_sfu_consumers'),
      };
      const producers = {
        a: await gauge(a.port, 'lectern_cloud_sfu_producers'),
        b: await gauge(b.port, 'lectern_cloud_sfu_producers'),
      };
      console.log(`consumers ${JSON.stringify(consumers)}, producers ${JSON.stringify(producers)}`);
      assert.equal(consumers.a, 0, 'nothing of hers on the link’s process');
      assert.ok(consumers.b >= 1, 'her consumer on the process her browser reached');
      assert.ok(producers.a >= 1, 'the share came up the room’s pipe to A');
      assert.equal(producers.b, producers.a, 'and over to B, once each');
      await screenshot(rita, 'cloud-two-processes-remote-student');

      // The share ends: her consumer on B goes with it.
      await teacher.getByRole('button', { name: 'Stop sharing' }).click();
      await until(
        'B’s consumers gone',
        () => gauge(b.port, 'lectern_cloud_sfu_consumers'),
        (n) => n === 0,
        15_000,
        200,
      );
      await until(
        'B’s pulled producers gone',
        () => gauge(b.port, 'lectern_cloud_sfu_producers'),
        (n) => n === 0,
        15_000,
        200,
      );
    },
  );
});
