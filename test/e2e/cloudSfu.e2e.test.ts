import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RoomFeed } from '../../local-ws/upstream/RoomFeed';
import { launchChromium, screenshot } from '../helpers/browser';
import { ADMIN_TOKEN, linkRoom, startCloud, type TestCloud, cloudSfuReady } from '../helpers/cloud';
import { joinAs, startHost, type TestHost } from '../helpers/host';
import { inbound, until } from '../helpers/media';

/**
 * A participant outside the room receives the teacher's share through the cloud's SFU, in real
 * Chromium with real mediasoup workers on both sides: the host pipes the share up once over
 * SRTP, the remote student's transport and consumer live on the cloud, none on the host.
 */
describe('remote student receives through the cloud SFU', () => {
  let cloud: TestCloud;
  let host: TestHost;
  let feed: RoomFeed;
  let browser: Browser;
  let roomId: string;

  before(async () => {
    cloud = await startCloud({ webDir: path.resolve('out/web'), sfu: { listenIp: '127.0.0.1' } });
    host = await startHost({ publicHost: '127.0.0.1', sfu: { listenIp: '127.0.0.1' } });
    const room = await cloud.addRoom('Room 101');
    roomId = room.id;
    feed = linkRoom(host.relay, host.room, { url: cloud.linkUrl, roomId, token: room.token });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    feed?.close();
    await host?.relay.close();
    await cloud?.stop();
  });

  async function open(url: string, width = 1280, height = 720): Promise<Page> {
    const p = await (await browser.newContext({ viewport: { width, height } })).newPage();
    await p.goto(url);
    return p;
  }

  it(
    'teacher shares in the room; the remote student decodes it via the cloud',
    { timeout: 120_000 },
    async () => {
      await cloudSfuReady(feed);
      const teacher = await open(`${host.base}/?stats&code=${host.room.code}&capture=1280x720`);
      await joinAs(teacher, 'Teacher', 'Ms. Park');
      const made = await cloud.api<{ token: string }>(
        'POST',
        `/api/rooms/${roomId}/remote-links`,
        {},
      );
      const rita = await open(`${cloud.base}/join/?stats&link=${made.body.token}`);
      await rita.getByLabel('Your name').fill('Rita');
      await rita.getByRole('button', { name: 'Join' }).click();
      await rita.getByRole('heading', { name: 'Room 101' }).waitFor();

      await teacher.getByRole('button', { name: 'Share screen' }).click();
      const seen = await until(
        'Rita decodes the share via an SFU',
        async () => (await inbound(rita)).filter((s) => s.path === 'sfu' && s.frames > 0),
        (s) => s.length > 0,
        40_000,
      );
      console.log(`remote student via the cloud SFU: ${JSON.stringify(seen)}`);
      const rSfu = cloud.cloud.sfu!.roomOf(roomId)!;
      const rita0 = [...host.room.members.values()].find((m) => m.name === 'Rita')!;
      assert.ok(rita0.remote);
      // Her consumer is on the cloud; the host carries the share once, over the pipe.
      assert.ok(rSfu.consumerCount() >= 1, 'a consumer on the cloud');
      assert.ok(rSfu.producerCount >= 1, 'the share piped to the cloud');
      assert.equal(feed.media!.pipedCount, rSfu.producerCount);
      assert.equal(
        host.relay.sfu!.forRoom(host.room).consumerCount(),
        0,
        'no consumer on the host for Rita',
      );
      assert.equal(cloud.cloud.stats().links, 1);
      // Operators see the same on /metrics.
      const scrape = await fetch(`${cloud.base}/metrics`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const text = await scrape.text();
      const gauge = (name: string) =>
        Number(
          text
            .split('\n')
            .find((l) => l.startsWith(`${name} `))
            ?.slice(name.length + 1),
        );
      assert.equal(gauge('lectern_cloud_sfu_consumers'), rSfu.consumerCount());
      assert.equal(gauge('lectern_cloud_sfu_producers'), rSfu.producerCount);
      assert.equal(gauge('lectern_cloud_sfu_rooms'), 1);
      await screenshot(rita, 'remote-student-cloud-sfu');

      // A second remote student joins while the share is on: the share is on the cloud already.
      const rex = await open(`${cloud.base}/join/?stats&link=${made.body.token}`);
      await rex.getByLabel('Your name').fill('Rex');
      await rex.getByRole('button', { name: 'Join' }).click();
      await until(
        'Rex decodes the share via an SFU',
        async () => (await inbound(rex)).filter((s) => s.path === 'sfu' && s.frames > 0),
        (s) => s.length > 0,
        40_000,
      );
      assert.equal(feed.media!.pipedCount, rSfu.producerCount, 'still piped once');

      // The share ends: the pipe's producer goes and Rita's consumer with it.
      await teacher.getByRole('button', { name: 'Stop sharing' }).click();
      await until(
        'pipe closed',
        async () => rSfu.producerCount,
        (n) => n === 0,
        10_000,
        50,
      );
      await until(
        'cloud consumer gone',
        async () => rSfu.consumerCount(),
        (n) => n === 0,
        10_000,
        50,
      );
    },
  );
});
