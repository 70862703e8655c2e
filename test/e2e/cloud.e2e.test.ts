import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RoomView, ScheduleView } from '../../protocol';
import type { RoomFeed } from '../../local-ws/upstream/RoomFeed';
import { launchChromium, screenshot } from '../helpers/browser';
import { ADMIN_TOKEN, linkRoom, startCloud, type TestCloud } from '../helpers/cloud';
import { joinAs, startHost, type TestHost } from '../helpers/host';
import { until } from '../helpers/media';
import { checkAccessibility, horizontalOverflow } from '../helpers/ui';

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
    host = await startHost({ publicHost: '127.0.0.1' });
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
  it(
    'timetable: a class scheduled in the console, its code, link and QR; overlap refused; calendar',
    { timeout: 90_000 },
    async () => {
      const axeLog: string[] = [];
      const page = await open(`${cloud.base}/#/rooms/${roomId}`, 1400, 900);
      await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Timetable' }).waitFor();
      await page.getByText('No classes scheduled').waitFor();

      // A weekly violin lesson a week from today at 15:00 (the browser's own time zone).
      const day = new Date(Date.now() + 7 * 24 * 3600_000);
      const date = [day.getFullYear(), day.getMonth() + 1, day.getDate()]
        .map((n) => String(n).padStart(2, '0'))
        .join('-');
      const form = page.getByRole('form', { name: 'Schedule a class' });
      const schedule = async (title: string, start: string, end: string) => {
        await form.getByLabel('Title').fill(title);
        await form.getByLabel('Teacher').fill('Ms. Park');
        await form.getByLabel('Date').fill(date);
        await form.getByLabel('Starts').fill(start);
        await form.getByLabel('Ends').fill(end);
        await form.getByRole('button', { name: 'Add to timetable' }).click();
      };
      await form.getByLabel('Record it').check();
      await schedule('Violin', '15:00', '15:45');
      const item = page.locator('.classes li').filter({ hasText: 'Violin' });
      await item.waitFor();
      const { body } = await cloud.api<ScheduleView>('GET', `/api/rooms/${roomId}/schedule`);
      const [lesson] = body.upcoming;
      assert.equal(lesson?.title, 'Violin');
      const startsAt = await page.evaluate((d) => new Date(`${d}T15:00`).getTime(), date);
      assert.equal(lesson.start, startsAt, 'the time the operator typed, in their time zone');
      assert.equal(lesson.end - lesson.start, 45 * 60_000);
      assert.ok(lesson.weekly && lesson.record);
      await item.getByText(`${lesson.code.slice(0, 3)} ${lesson.code.slice(3)}`).waitFor();

      // Its link and QR code: the host page with the code; the link opens the join page.
      await item.getByRole('button', { name: 'Link and QR code' }).click();
      const qr = item.getByRole('img', { name: 'QR code to join Violin' });
      await qr.locator('svg').waitFor();
      assert.ok(lesson.link?.includes(`?code=${lesson.code}`), String(lesson.link));
      await item.getByRole('link', { name: lesson.link! }).waitFor();
      // The link opens the room's page with the code filled in (the class is not on yet: the
      // host opens it with this code at 15:00).
      const student = await open(lesson.link!, 390, 844);
      assert.equal(new URL(student.url()).searchParams.get('code'), lesson.code);
      await student.getByRole('button', { name: 'Join', exact: true }).waitFor();
      await student.context().close();
      const box = await qr.boundingBox();
      assert.ok(box && box.width >= 150, 'a QR code big enough to scan from the screen');
      await screenshot(page, 'console-timetable');
      await checkAccessibility(page, 'console timetable', axeLog);

      // Overlapping the lesson: refused, said plainly, the timetable unchanged.
      await schedule('Choir', '15:30', '16:00');
      await page.getByRole('alert').getByText('overlaps a class').waitFor();
      const again = await cloud.api<ScheduleView>('GET', `/api/rooms/${roomId}/schedule`);
      assert.equal(again.body.classes.length, 1);

      // The calendar feed the page shows is a real iCalendar with the lesson in it.
      const feedUrl = await page.getByLabel('Calendar feed address').inputValue();
      const feed = await fetch(feedUrl);
      assert.equal(feed.status, 200);
      const ics = await feed.text();
      assert.match(ics, /BEGIN:VCALENDAR/);
      assert.match(ics, /SUMMARY:Violin/);
      assert.ok(ics.includes(`Join code: ${lesson.code}`));

      // On a phone: nothing wider than the screen, still accessible.
      const phone = await open(`${cloud.base}/#/rooms/${roomId}`, 390, 844);
      await phone.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await phone.getByRole('button', { name: 'Sign in' }).click();
      const row = phone.locator('.classes li').filter({ hasText: 'Violin' });
      await row.getByRole('button', { name: 'Link and QR code' }).click();
      await row.getByRole('img', { name: 'QR code to join Violin' }).locator('svg').waitFor();
      await row.scrollIntoViewIfNeeded();
      assert.equal(await horizontalOverflow(phone), 0, 'no sideways scrolling on a phone');
      await screenshot(phone, 'console-timetable-phone');
      await checkAccessibility(phone, 'console timetable phone', axeLog);

      // Removed: gone from the console and from the feed.
      page.once('dialog', (d) => void d.accept());
      await item.getByRole('button', { name: 'Remove' }).click();
      await page.getByText('No classes scheduled').waitFor();
      assert.doesNotMatch(await (await fetch(feedUrl)).text(), /SUMMARY:Violin/);
      globalThis.console.log(`axe: ${axeLog.join('; ')}`);
    },
  );
});
