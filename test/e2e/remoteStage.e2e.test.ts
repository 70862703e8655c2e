import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RoomFeed } from '../../local-ws/upstream/RoomFeed';
import { fakeMic, loudestFrom, sound, toneWav } from '../helpers/audio';
import { launchChromium, screenshot } from '../helpers/browser';
import { linkRoom, startCloud, type TestCloud, cloudSfuReady } from '../helpers/cloud';
import { joinAs, startHost, type TestHost } from '../helpers/host';
import { streamStats, until } from '../helpers/media';

const RITA_HZ = 660;
/** Rita's tone this far above the teacher's (silent here) is what the room hears. */
const CLEAR_DB = 20;

const cameraWidths = (p: Page) =>
  p.$$eval('.tile[data-kind="camera"] video', (vs) =>
    vs.map((v) => (v as unknown as { videoWidth: number }).videoWidth),
  );

/**
 * A participant outside the room goes on stage: her camera and voice go up to the cloud's SFU
 * (she cannot reach anything behind the school's NAT), come down the room's one pipe once, and
 * the room screen and the teacher receive them from the host's SFU. Real Chromium, real
 * mediasoup workers on both sides, her microphone a 660 Hz tone judged with WebAudio.
 */
describe('remote student on stage through the cloud SFU', () => {
  let cloud: TestCloud;
  let host: TestHost;
  let feed: RoomFeed;
  let inRoom: Browser;
  let home: Browser;
  let roomId: string;

  before(async () => {
    cloud = await startCloud({ webDir: path.resolve('out/web'), sfu: { listenIp: '127.0.0.1' } });
    host = await startHost({ publicHost: '127.0.0.1', sfu: { listenIp: '127.0.0.1' } });
    const room = await cloud.addRoom('Room 101');
    roomId = room.id;
    feed = linkRoom(host.relay, host.room, { url: cloud.linkUrl, roomId, token: room.token });
    inRoom = await launchChromium();
    home = await launchChromium(fakeMic(toneWav(`tone-${RITA_HZ}`, RITA_HZ)));
  });
  after(async () => {
    await inRoom?.close();
    await home?.close();
    feed?.close();
    await host?.relay.close();
    await cloud?.stop();
  });

  async function open(b: Browser, url: string, width = 1280, height = 720): Promise<Page> {
    const context = await b.newContext({ viewport: { width, height } });
    await context.grantPermissions(['camera', 'microphone']);
    // tsx names functions with a __name helper; page functions are serialized without it.
    await context.addInitScript('window.__name = (f) => f');
    const p = await context.newPage();
    await p.goto(url);
    return p;
  }

  it(
    'her camera and voice reach the room screen and the teacher',
    { timeout: 150_000 },
    async () => {
      await cloudSfuReady(feed);
      const screen = await open(
        inRoom,
        `${host.base}/?stats&debug&screen=${host.room.screenKey}`,
        1920,
        1080,
      );
      await screen.locator('[data-layout="idle"]').waitFor();
      const teacher = await open(inRoom, `${host.base}/?debug&code=${host.room.code}`);
      await joinAs(teacher, 'Teacher', 'Ms. Park');
      // A classmate in the room: a class, not a 1:1 lesson (which would go P2P through TURN).
      const bo = await open(inRoom, `${host.base}/?code=${host.room.code}`, 390, 844);
      await joinAs(bo, 'Student', 'Bo');
      const link = await cloud.api<{ token: string }>(
        'POST',
        `/api/rooms/${roomId}/remote-links`,
        {},
      );
      const rita = await open(home, `${cloud.base}/join/?stats&debug&link=${link.body.token}`);
      await rita.getByLabel('Your name').fill('Rita');
      await rita.getByRole('button', { name: 'Join' }).click();
      await rita.getByRole('heading', { name: 'Room 101' }).waitFor();
      const ritaId = await rita.evaluate(sound.myPeerId);

      await teacher
        .locator('li[data-peer="Rita"]')
        .getByRole('button', { name: 'Invite on stage' })
        .click();
      await rita.getByRole('dialog').getByRole('button', { name: 'Accept' }).click();
      await rita.getByRole('button', { name: '🎤 Microphone on' }).click();
      await rita.getByRole('button', { name: '📷 Camera on' }).click();

      for (const [who, p] of [
        ['the room screen shows Rita', screen],
        ['the teacher sees Rita', teacher],
      ] as const) {
        await until(
          who,
          () => cameraWidths(p),
          (ws) => ws.some((w) => w > 0),
          40_000,
        );
      }
      const heard = await until(
        'the room screen plays Rita',
        () => loudestFrom(screen, ritaId, [440, RITA_HZ]),
        (h) => h !== null && h.loudest === RITA_HZ && h.db[RITA_HZ]! - h.db[440]! > CLEAR_DB,
        30_000,
        500,
      );
      console.log(`the room screen hears Rita: ${JSON.stringify(heard)}`);

      // Through the SFU, not P2P: Rita has no peer connection to anyone in the room.
      const inScreen = (await streamStats(screen)).filter((s) => s.direction === 'in');
      assert.ok(inScreen.some((s) => s.kind === 'video' && s.path === 'sfu' && s.frames > 0));
      const ritaOut = (await streamStats(rita)).filter((s) => s.direction === 'out');
      assert.deepEqual(
        ritaOut.filter((s) => s.path !== 'sfu'),
        [],
        'nothing from Rita goes P2P into the school',
      );
      // Her producers are on the cloud, and each came down to the host once, as hers.
      const cloudRoom = cloud.cloud.sfu!.roomOf(roomId)!;
      const hostSfu = host.relay.sfu!.forRoom(host.room);
      const member = [...host.room.members.values()].find((m) => m.name === 'Rita')!;
      const shares = host.room.shares.list().filter((s) => s.peerId === member.id);
      const ids = shares.flatMap((s) => [s.producerId, s.audioProducerId]).filter(Boolean);
      assert.equal(ids.length, 2, 'her camera and her voice');
      for (const id of ids) {
        const copy = hostSfu.producer(id!);
        assert.equal(copy?.appData.fromCloud, true, 'brought down from the cloud');
        assert.equal(copy?.appData.memberId, member.id);
      }
      assert.equal(
        cloudRoom.producerCount,
        2,
        'nothing of the room went up: no one outside needs it',
      );
      assert.equal(cloud.cloud.stats().links, 1, 'still one connection for the room');
      await screenshot(screen, 'room-screen-remote-on-stage');

      // Off stage: the relay closes her producers on the host, and the cloud follows.
      await teacher
        .locator('li[data-peer="Rita"]')
        .getByRole('button', { name: 'Take off stage' })
        .click();
      await until(
        'her producers gone from the cloud',
        async () => cloudRoom.producerCount,
        (n) => n === 0,
        10_000,
        50,
      );
      for (const id of ids) assert.equal(hostSfu.producer(id!), undefined);
    },
  );
});
