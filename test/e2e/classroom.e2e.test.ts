import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RelayServer, Room } from '../../local-ws';
import { launchChromium, screenshot } from '../helpers/browser';
import { joinAs, startHost } from '../helpers/host';
import { inbound, until } from '../helpers/media';

describe('a lesson in real Chromium: teacher, room screen, two students', () => {
  let relay: RelayServer;
  let room: Room;
  let base: string;
  let port: number;
  let browser: Browser;
  const pages: Record<string, Page> = {};

  before(async () => {
    ({ relay, room, base, port } = await startHost());
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await relay?.close();
  });

  /** A page; the room screen is a 1080p display (senders fit what they send to its slots). */
  async function page(query: string, width = 1280, height = 720): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    await context.grantPermissions(['camera', 'microphone']);
    const p = await context.newPage();
    await p.goto(`${base}/?${query}`);
    return p;
  }

  interface Link {
    device: string;
    session: string;
    state: string;
  }

  /** A page's P2P links (the media engine's own, exposed by `?debug`). */
  async function links(p: Page): Promise<Link[]> {
    return JSON.parse(
      String(
        await p.evaluate(
          `JSON.stringify([...window.lectern.app.engine.links].map(([device, l]) =>
            ({ device, session: l.session, state: l.pc.connectionState })))`,
        ),
      ),
    ) as Link[];
  }

  it('teacher shares 1080p to the screen; a student goes on stage; chat, reactions, lock, stop', async () => {
    const screen = await page(`screen=${room.screenKey}&stats&debug`, 1920, 1080);
    await screen.getByLabel('join code').waitFor();
    await screenshot(screen, 'screen-idle');

    const teacher = await page(`code=${room.code}&capture=1920x1080&debug`);
    await screenshot(teacher, 'join');
    await joinAs(teacher, 'Teacher', 'Ms. Park');
    const ana = await page(`code=${room.code}&capture=1280x720&debug`);
    await joinAs(ana, 'Student', 'Ana');
    const bo = await page(`code=${room.code}`);
    await joinAs(bo, 'Student', 'Bo');

    // Before any share, the teacher's link to the screen is connected (ICE and DTLS done); a
    // student off stage, who may send nothing, has none.
    const ready = await until(
      "teacher's link to the screen connected before sharing",
      () => links(teacher),
      (l) => l.length === 1 && l[0]!.state === 'connected',
    );
    assert.deepEqual(await links(ana), [], 'no link from a student off stage');
    /** The last description the screen has from the teacher (an offer made at Share would change it). */
    const screenHas = () =>
      screen.evaluate(`[...window.lectern.app.engine.links.values()][0].pc.remoteDescription.sdp`);
    const offeredAtJoin = await screenHas();

    // Teacher's HD desktop reaches the screen at full resolution, on that link.
    const started = Date.now();
    await teacher.getByRole('button', { name: 'Share screen' }).click();
    const first = await until(
      'screen decodes 1920×1080',
      () => inbound(screen),
      (s) => s.some((x) => x.width === 1920 && x.height === 1080 && x.frames > 0),
    );
    console.log(
      `teacher share decoded on the screen at 1920×1080 after ${Date.now() - started} ms: ${JSON.stringify(first)}`,
    );
    // (Without an SFU in this room, the teacher also reaches the two students P2P.)
    assert.deepEqual(
      (await links(teacher)).filter((l) => l.device === ready[0]!.device),
      ready,
      'the share went to the screen on the link made ready',
    );
    // Its picture went on the transceiver negotiated at join: no offer before the first frame.
    assert.equal(await screenHas(), offeredAtJoin, 'no offer for the share');
    await until(
      'students see it too',
      () =>
        ana
          .locator('.viewer video')
          .evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth),
      (w) => w > 0,
    );
    await screenshot(screen, 'screen-single');
    await screenshot(teacher, 'teacher-sharing');

    // A student off stage has nothing to send: no share, microphone or camera controls (the
    // relay refuses them anyway: NOT_ON_STAGE, test/integration/voices.test.ts).
    for (const name of ['Share to the room screen', '🎤 Microphone on', '📷 Camera on']) {
      assert.equal(await ana.getByRole('button', { name }).count(), 0, name);
    }
    await screenshot(ana, 'student-not-on-stage');

    // Hand → invite → accept → share: the screen goes 2-up with both.
    await ana.getByRole('button', { name: 'Raise hand' }).click();
    const anaRow = teacher.locator('li[data-peer="Ana"]');
    await anaRow.getByText('✋').waitFor();
    assert.equal(
      await teacher.locator('.roster li').first().getAttribute('data-peer'),
      'Ana',
      'hands first',
    );
    await screenshot(teacher, 'teacher-hand-raised');
    await anaRow.getByRole('button', { name: 'Invite on stage' }).click();
    await ana.getByRole('dialog').getByRole('button', { name: 'Accept' }).click();
    await ana.getByText('On stage').first().waitFor();
    // On stage she may send to the screen: her link to it is made ready too (her other link
    // is the teacher's share coming to her).
    const toScreen = (l: Link[]) => l.filter((x) => x.device === ready[0]!.device);
    await until(
      "Ana's link to the screen connected before she shares",
      () => links(ana),
      (l) => toScreen(l)[0]?.state === 'connected',
    );
    await ana.getByRole('button', { name: 'Share to the room screen' }).click();
    await screen.locator('[data-layout="2up"]').waitFor({ timeout: 15_000 });
    await until(
      'screen decodes both',
      () => inbound(screen),
      (s) => s.filter((x) => x.frames > 0 && x.width > 0).length >= 2,
    );
    assert.equal(await screen.locator('.tile').count(), 2);
    await screenshot(screen, 'screen-2up');
    await screenshot(ana, 'student-on-stage');

    // The teacher takes Ana off stage: her share ends on the screen.
    await anaRow.getByRole('button', { name: 'Take off stage' }).click();
    await screen.locator('[data-layout="single"]').waitFor();
    assert.equal(await screen.locator('.tile').count(), 1);
    await until(
      "Ana's link to the screen closed off stage",
      () => links(ana),
      (l) => !toScreen(l).length,
    );

    // Chat and reactions reach every page.
    await bo.getByPlaceholder('Message').fill('Can you zoom in?');
    await bo.getByRole('button', { name: 'Send' }).click();
    for (const p of [teacher, ana, bo]) await p.getByText('Can you zoom in?').waitFor();
    await bo.getByRole('button', { name: '👏' }).click();
    for (const p of [screen, teacher, ana]) await p.locator('.feed li[data-emoji="👏"]').waitFor();
    await screenshot(bo, 'student-viewing');

    // Lock prevents a new join.
    await teacher.getByRole('button', { name: 'Lock room' }).click();
    await teacher.getByText('Locked').waitFor();
    const late = await page(`code=${room.code}`);
    await late.getByLabel('Your name').fill('Late');
    await late.getByRole('button', { name: 'Join' }).click();
    assert.equal(await late.getByRole('alert').getAttribute('data-code'), 'ROOM_LOCKED');

    // Stop share: the stage clears. The next share gets a fresh connection, made ready now.
    await teacher.getByRole('button', { name: 'Stop sharing' }).click();
    await screen.locator('[data-layout="idle"]').waitFor();
    await until(
      'a new link to the screen, connected',
      () => links(teacher),
      (l) => toScreen(l).some((x) => x.state === 'connected' && x.session !== ready[0]!.session),
    );
    Object.assign(pages, { screen, teacher, ana, bo });
  });

  it('relay restart mid-share: the screen keeps decoding and every page rejoins', async () => {
    const { screen, teacher, ana, bo } = pages as Record<string, Page>;
    assert.ok(screen && teacher && ana && bo, 'runs after the lesson above');
    await teacher.getByRole('button', { name: 'Share screen' }).click();
    // Frames the screen's <video> has decoded, straight from the element.
    const shown = () =>
      screen
        .locator('.tile video')
        .first()
        .evaluate(
          (v) =>
            (
              v as unknown as { getVideoPlaybackQuality(): { totalVideoFrames: number } }
            ).getVideoPlaybackQuality().totalVideoFrames,
        );
    await until('the new share plays on the screen', shown, (n) => n > 30);

    // The host goes away (as after a crash or an update) and comes back with the same room.
    const keys = { id: room.id, code: room.code, screenKey: room.screenKey };
    await relay.close();
    const banner = (p: Page) =>
      p.getByRole('status').filter({ hasText: 'Connection to the room lost' });
    await banner(teacher).waitFor();
    await screenshot(teacher, 'teacher-reconnecting');
    const down = await shown();
    await new Promise((r) => setTimeout(r, 3000));
    const stillDown = await shown();
    console.log(`relay down 3 s: the screen decoded ${stillDown - down} frames meanwhile`);
    assert.ok(
      stillDown >= down + 10,
      `frames decoded while the relay was down: ${down} → ${stillDown}`,
    );

    ({ relay, room } = await startHost({ port, restore: keys }));
    for (const p of [teacher, ana, bo]) {
      await banner(p).waitFor({ state: 'detached', timeout: 20_000 });
    }
    await until(
      'all four back in the room',
      async () => relay.stats().members,
      (n) => n === 4,
    );
    await screen.locator('[data-layout="single"]').waitFor({ timeout: 15_000 });
    const after = await shown();
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok((await shown()) >= after + 10, 'still decoding after the rejoin');
    assert.equal(await screen.locator('.tile').count(), 1, 'one stream, not a second copy');
    await screenshot(screen, 'screen-after-relay-restart');
  });
});
