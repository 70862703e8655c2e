import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RoomView } from '../../protocol';
import type { RoomFeed } from '../../local-ws/upstream/RoomFeed';
import { launchChromium, screenshot } from '../helpers/browser';
import { ADMIN_TOKEN, linkRoom, startCloud, type TestCloud } from '../helpers/cloud';
import { joinAs, startHost, type TestHost } from '../helpers/host';
import { until } from '../helpers/media';
import { checkAccessibility } from '../helpers/ui';

/**
 * The school's side, in real Chromium: the console shows the room live, an operator's message
 * appears on the room screen, and the metrics real pages measure reach the console's charts.
 */
describe('the cloud console with a live room', () => {
  let cloud: TestCloud;
  let host: TestHost;
  let feed: RoomFeed;
  let browser: Browser;
  let roomId: string;

  before(async () => {
    cloud = await startCloud({ consoleDir: path.resolve('out/console') });
    host = await startHost();
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

  async function open(url: string, width = 1280, height = 800): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    const p = await context.newPage();
    await p.goto(url);
    return p;
  }

  it(
    'rooms grid, operator message on the screen, metrics charts',
    { timeout: 90_000 },
    async () => {
      const screen = await open(`${host.base}/?screen=${host.room.screenKey}`, 1920, 1080);
      await screen.getByLabel('join code').waitFor();
      const teacher = await open(`${host.base}/?code=${host.room.code}&capture=1920x1080`);
      await joinAs(teacher, 'Teacher', 'Ms. Park');
      await teacher.locator('.cloud-online').waitFor();
      await teacher.getByRole('button', { name: 'Share screen' }).click();

      const axeLog: string[] = [];
      const console = await open(cloud.base, 1400, 900);
      await console.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await console.getByRole('button', { name: 'Sign in' }).click();
      const card = console.locator('[data-room="Room 101"]');
      await card.getByText('Sharing: Ms. Park').waitFor({ timeout: 15_000 });
      await card.getByText('2 devices').waitFor();
      await screenshot(console, 'console-rooms');
      await checkAccessibility(console, 'console rooms', axeLog);

      await card.click();
      await console.getByRole('table', { name: 'roster' }).getByText('Ms. Park').waitFor();
      await console.getByLabel('Message for the room screen').fill('Assembly in the hall at 11:00');
      await console.getByRole('button', { name: 'Show' }).click();
      const banner = screen.locator('.operator-message');
      await banner.getByText('Assembly in the hall at 11:00').waitFor({ timeout: 10_000 });
      await console.getByText('— done').waitFor();
      await screenshot(screen, 'screen-operator-message');

      // Real getStats figures, reported every 10 s by both pages through the relay and the link.
      const view = await until(
        'metrics from the teacher (out) and the screen (in)',
        async () => cloud.cloud.rooms.get(roomId)!.view(),
        (v: RoomView) =>
          v.series.some((s) => s.direction === 'out' && s.points.some((p) => p.fps > 0)) &&
          v.series.some((s) => s.direction === 'in' && s.points.some((p) => p.fps > 0)),
        40_000,
        500,
      );
      const out = view.series.find((s) => s.direction === 'out')!;
      const inbound = view.series.find((s) => s.direction === 'in')!;
      assert.equal(out.name, 'Ms. Park');
      assert.equal(out.path, 'p2p');
      assert.match(out.codec, /^(H264|VP8|VP9|AV1)$/);
      assert.equal(inbound.resolution, '1920×1080');
      assert.ok(inbound.points.at(-1)!.bitrateKbps > 100, 'receiving at a real bitrate');
      await console.locator('[data-device="Ms. Park"]').waitFor({ timeout: 10_000 });
      await screenshot(console, 'console-room');
      await checkAccessibility(console, 'console room', axeLog);

      // The operator's language: every view again in Chinese and Korean, chosen in the header.
      const words = {
        'zh-CN': {
          roster: '名单',
          online: '1 间中 1 间在线',
          signIn: '登录',
          shared: 'Ms. Park 开始共享',
        },
        ko: {
          roster: '명단',
          online: '1개 중 1개 온라인',
          signIn: '로그인',
          shared: 'Ms. Park 님이 공유 시작',
        },
      } as const;
      for (const lang of ['zh-CN', 'ko'] as const) {
        await console.locator('header .lang select').selectOption(lang);
        await console.getByRole('table', { name: words[lang].roster }).waitFor();
        assert.equal(await console.getAttribute('html', 'lang'), lang);
        await console.getByText(words[lang].shared).waitFor(); // the cloud's events too
        await checkAccessibility(console, `console room ${lang}`, axeLog);
        if (lang === 'ko') await screenshot(console, 'console-room-ko');
        await console.locator('.toolbar a[href="#/"]').click();
        await console.getByText(words[lang].online).waitFor();
        await checkAccessibility(console, `console rooms ${lang}`, axeLog);
        await card.click();
      }
      // Remembered in this browser, and each language's sign-in page passes too.
      await console.reload();
      assert.equal(await console.getAttribute('html', 'lang'), 'ko');
      for (const lang of ['en', 'zh-CN', 'ko'] as const) {
        const signIn = await open(`${cloud.base}/?lang=${lang}`, 390, 844);
        const submit = lang === 'en' ? 'Sign in' : words[lang].signIn;
        await signIn.getByRole('button', { name: submit, exact: true }).waitFor();
        await checkAccessibility(signIn, `console sign-in ${lang}`, axeLog);
        await signIn.context().close();
      }
      globalThis.console.log(`axe: ${axeLog.join('; ')}`);
    },
  );
});
