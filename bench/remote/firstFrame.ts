/**
 * Join to first decoded frame of the teacher's share for a participant outside the room (the
 * cloud's /join/ page with a remote link, media through the cloud's SFU over the room's pipe)
 * beside a LAN student (the host's page, media through the host's SFU), in the same run, in
 * real Chromium with real mediasoup workers on both sides. Each sample is a new browser
 * context (empty cache), timed in the page from navigation start, the robot's form filling
 * left out. Students join in turn, LAN and remote alternating. The first remote join also
 * opens the room's pipe; later ones find the share on the cloud already.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../test/helpers/browser';
import { linkRoom, startCloud } from '../../test/helpers/cloud';
import { joinAs, startHost } from '../../test/helpers/host';
import { streamStats, until } from '../../test/helpers/media';
import { PHASES, type Phases } from '../joinPhases';
import { pct } from '../measure';

export interface FirstFrames {
  lan: number[];
  remote: number[];
  /** The first remote join: it opened the room's pipe to the cloud. */
  pipeOpening: number;
}

/** Navigation to first frame, without the robot's typing. */
const toFrame = (p: Phases) => p.form + (p.frame - p.click);

async function sample(browser: Browser, url: string, name: string): Promise<Phases> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    await context.addInitScript(PHASES);
    const page = await context.newPage();
    await page.goto(url);
    const student = page.getByLabel('Student', { exact: true });
    if ((await student.count()) > 0) await student.check();
    await page.getByLabel('Your name').fill(name);
    await page.locator('form button[type=submit]').click();
    await until(
      `${name} decodes`,
      () => page.evaluate('window.__join.frame !== null'),
      Boolean,
      30_000,
      20,
    ).catch(async (err: Error) => {
      const state = await page.evaluate('JSON.stringify(window.__join)');
      const viewer = await page.locator('.viewer').count();
      const videos = await page.locator('video').count();
      const stats = JSON.stringify(await streamStats(page));
      throw new Error(
        `${err.message} (phases ${String(state)}, viewer ${viewer}, videos ${videos}, ${stats})`,
      );
    });
    return (await page.evaluate('window.__join')) as Phases;
  } finally {
    await context.close();
  }
}

export async function firstFrames(samples: number): Promise<FirstFrames> {
  const cloud = await startCloud({
    webDir: path.resolve('out/web'),
    sfu: { listenIp: '127.0.0.1' },
  });
  const host = await startHost({ publicHost: '127.0.0.1', sfu: { listenIp: '127.0.0.1' } });
  const room = await cloud.addRoom('Bench');
  const feed = linkRoom(host.relay, host.room, {
    url: cloud.linkUrl,
    roomId: room.id,
    token: room.token,
  });
  const browser = await launchChromium();
  try {
    await host.relay.startSfu();
    await until('cloud SFU known to the host', async () => feed.media?.available, Boolean, 15_000);
    const teacherContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const teacher: Page = await teacherContext.newPage();
    await teacher.goto(`${host.base}/?code=${host.room.code}&capture=1920x1080`);
    await joinAs(teacher, 'Teacher', 'Ms. Park');
    await teacher.getByRole('button', { name: 'Share screen' }).click();
    const made = await cloud.api<{ token: string }>(
      'POST',
      `/api/rooms/${room.id}/remote-links`,
      {},
    );
    const remoteUrl = `${cloud.base}/join/?stats&link=${made.body.token}`;
    const lanUrl = `${host.base}/?code=${host.room.code}`;
    // A LAN student already watching: the host's SFU is carrying the share.
    await sample(browser, lanUrl, 'Warm-up');
    const first = await sample(browser, remoteUrl, 'Remote 0');
    console.log(`  remote 0 (opens the pipe): ${toFrame(first).toFixed(0)} ms`);
    const out: FirstFrames = { lan: [], remote: [], pipeOpening: toFrame(first) };
    // Someone outside keeps watching, so the pipe stays open between samples.
    const keeper = await browser.newContext({ viewport: { width: 640, height: 360 } });
    const keep = await keeper.newPage();
    await keep.goto(remoteUrl);
    await keep.getByLabel('Your name').fill('Keeper');
    await keep.locator('form button[type=submit]').click();
    await keep.locator('.viewer video').waitFor({ timeout: 30_000 });
    for (let i = 1; i <= samples; i++) {
      const lan = await sample(browser, lanUrl, `LAN ${i}`);
      const remote = await sample(browser, remoteUrl, `Remote ${i}`);
      out.lan.push(toFrame(lan));
      out.remote.push(toFrame(remote));
      const parts = (p: Phases) =>
        `load ${p.form.toFixed(0)} + join ${(p.room - p.click).toFixed(0)} + media ${(p.frame - p.room).toFixed(0)}`;
      console.log(`  LAN ${i}: ${parts(lan)} ms   remote ${i}: ${parts(remote)} ms`);
    }
    console.log(
      `join to first frame, p50 of ${samples}: LAN ${pct(out.lan, 50).toFixed(0)} ms, ` +
        `remote ${pct(out.remote, 50).toFixed(0)} ms (the first remote, opening the pipe: ` +
        `${out.pipeOpening.toFixed(0)} ms)`,
    );
    return out;
  } finally {
    await browser.close();
    feed.close();
    await host.relay.close();
    await cloud.stop();
  }
}
