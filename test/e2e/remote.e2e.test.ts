import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RoomFeed } from '../../local-ws/upstream/RoomFeed';
import { launchChromium, screenshot } from '../helpers/browser';
import { ADMIN_TOKEN, linkRoom, startCloud, type TestCloud } from '../helpers/cloud';
import { joinAs, startHost, type TestHost } from '../helpers/host';
import { until } from '../helpers/media';
import { checkAccessibility, horizontalOverflow } from '../helpers/ui';

/**
 * A participant outside the room, in real Chromium: the operator makes a remote link in the
 * console, a student at home opens it on a phone (the cloud's own page), joins without a code
 * and raises a hand that the teacher in the room sees; the room still costs the cloud one link;
 * revoking the link ends the student's class at once.
 */
describe('remote join through the cloud', () => {
  let cloud: TestCloud;
  let host: TestHost;
  let feed: RoomFeed;
  let browser: Browser;
  let roomId: string;

  before(async () => {
    cloud = await startCloud({
      consoleDir: path.resolve('out/console'),
      webDir: path.resolve('out/web'),
    });
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

  async function open(url: string, width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    const p = await context.newPage();
    await p.goto(url);
    return p;
  }

  it(
    'link from the console, join from home, hand seen in the room, revoke',
    { timeout: 90_000 },
    async () => {
      const axeLog: string[] = [];
      const teacher = await open(`${host.base}/?code=${host.room.code}`, 1280, 800);
      await joinAs(teacher, 'Teacher', 'Ms. Park');
      await teacher.locator('.cloud-online').waitFor();

      const console = await open(`${cloud.base}/#/rooms/${roomId}`, 1400, 900);
      await console.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await console.getByRole('button', { name: 'Sign in' }).click();
      const panel = console.getByRole('region', { name: 'Remote participants' });
      await panel.getByText('No remote links.').waitFor();
      await panel.getByLabel('For whom (optional)').fill('Rita at home');
      await panel.getByRole('button', { name: 'Make a remote link' }).click();
      const link = await panel.locator('.class-link a').getAttribute('href');
      assert.ok(link?.startsWith(`${cloud.base}/join/?link=`), String(link));
      await panel.getByRole('img', { name: 'QR code of the remote link' }).locator('svg').waitFor();
      await panel.locator('[data-remote-link]').getByText('Rita at home').waitFor();
      await checkAccessibility(console, 'console remote links', axeLog);
      await panel.scrollIntoViewIfNeeded();
      await screenshot(console, 'console-remote-links');

      // At home, on a phone: the cloud's page, no code asked, the room's code nowhere on it.
      const rita = await open(link!, 390, 844);
      await rita.getByText('joining from outside the room').waitFor();
      assert.equal(await rita.getByLabel('Join code').count(), 0);
      assert.equal(await rita.getByLabel('Room screen').count(), 0);
      await checkAccessibility(rita, 'remote join page', axeLog);
      await screenshot(rita, 'remote-join-phone');
      await rita.getByLabel('Your name').fill('Rita');
      await rita.getByRole('button', { name: 'Join' }).click();
      await rita.getByRole('heading', { name: 'Room 101' }).waitFor();
      await rita.getByRole('button', { name: 'Raise hand' }).click();
      const html = await rita.content();
      assert.ok(!html.includes(host.room.code), 'the join code reached the remote page');
      assert.equal(await horizontalOverflow(rita), 0);
      await checkAccessibility(rita, 'remote student', axeLog);
      await screenshot(rita, 'remote-student-phone');

      // In the room: the teacher sees Rita, remote, with her hand up.
      const row = teacher.locator('.person').filter({ hasText: 'Rita' });
      await row.getByText('remote').waitFor({ timeout: 10_000 });
      await row.getByRole('img', { name: 'Hand raised' }).waitFor();
      await screenshot(teacher, 'teacher-sees-remote');
      // The console's roster says how each one joined; the room is one link to the cloud.
      await console
        .getByRole('table', { name: 'Roster' })
        .getByRole('row', { name: /Rita/ })
        .getByText('remote (cloud)')
        .waitFor({ timeout: 10_000 });
      assert.equal(cloud.cloud.stats().links, 1);

      // Revoked in the console: Rita's class ends now, and the teacher's roster loses her.
      await panel.getByRole('button', { name: 'Revoke', exact: true }).click();
      await rita.getByText('Your link to this class was revoked or has expired.').waitFor();
      await until(
        'Rita gone from the room',
        async () => [...host.room.members.values()].map((m) => m.name),
        (names) => !names.includes('Rita'),
        5000,
        50,
      );
      await screenshot(rita, 'remote-revoked-phone');
      globalThis.console.log(`axe: ${axeLog.join('; ')}`);
    },
  );
});
