import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ClassRecorder } from '../../local-ws/record/ClassRecorder';
import { ffmpegPath } from '../../local-ws/record/ffmpeg';
import type { RecordLibrary } from '../../local-ws/record/RecordLibrary';
import { serveRecords } from '../../local-ws/record/recordRoutes';
import { screenshot } from '../helpers/browser';
import { ADMIN_TOKEN, startCloud } from '../helpers/cloud';
import { hostWithBrowser, joinAs } from '../helpers/host';
import { checkAccessibility, horizontalOverflow } from '../helpers/ui';
import {
  readStamp,
  STAMP_BITS,
  STAMP_BLOCK,
  stampSource,
  videoFileInfo,
  videoState,
} from '../helpers/recorded';

const WIDTH = 1280;
const stamp = {
  selector: '.review-tile video',
  bits: STAMP_BITS,
  block: STAMP_BLOCK,
  width: WIDTH,
};

/**
 * A recorded class reviewed in Chromium: the teacher's Class records, the player (the share on
 * the class clock, seek by the chat, frame ids read off the playing video), a shared link a
 * student opens on a phone, its revocation, and deleting the record. Real worker, ffmpeg, pages.
 */
describe('reviewing a class record', () => {
  let library: RecordLibrary | null = null;
  const env = hostWithBrowser({
    sfu: { listenIp: '127.0.0.1' },
    routes: (req, res) => (library ? serveRecords(library, req, res) : false),
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-review-'));

  async function open(url: string, width = 1280, height = 720): Promise<Page> {
    const context = await env.browser.newContext({ viewport: { width, height } });
    await context.addInitScript('window.__name = (f) => f');
    const p = await context.newPage();
    await p.goto(url);
    return p;
  }
  const clockMs = async (p: Page) =>
    Number(await p.locator('.review-time').getAttribute('data-ms'));

  it('plays a record with the chat beside it, seeks by the chat, shares it by link and deletes it', async () => {
    const cloud = await startCloud({
      consoleDir: path.resolve('out/console'),
      records: { dir: mkdtempSync(path.join(os.tmpdir(), 'lectern-review-cloud-')) },
    });
    after(() => cloud.stop());
    const cloudRoom = await cloud.addRoom('Room 101');
    const rec = new ClassRecorder(env.room, env.relay.sfu, {
      dir,
      ffmpeg: ffmpegPath(),
      minFreeBytes: 0,
      upload: {
        endpoint: `${cloud.base}/uploads`,
        roomId: cloudRoom.id,
        token: cloudRoom.token,
      },
    });
    library = rec.library;
    const teacher = await open(`${env.base}/?debug&code=${env.room.code}`);
    await joinAs(teacher, 'Teacher', 'Ms. Park');
    const student = await open(`${env.base}/?code=${env.room.code}`);
    await joinAs(student, 'Student', 'Mina');
    await teacher.getByRole('button', { name: '● Record' }).click();
    await teacher.locator('.rec-badge').waitFor();
    await teacher.evaluate(stampSource, {
      width: WIDTH,
      height: 720,
      bits: STAMP_BITS,
      block: STAMP_BLOCK,
    });
    await new Promise((r) => setTimeout(r, 4000));
    await student.getByPlaceholder('Message').fill('What is on slide 3?');
    await student.getByRole('button', { name: 'Send' }).click();
    await new Promise((r) => setTimeout(r, 3000));
    await teacher.getByPlaceholder('Message').fill('The chord chart');
    await teacher.getByRole('button', { name: 'Send' }).click();
    await new Promise((r) => setTimeout(r, 2000));
    // A line on the board, with the mouse: the record keeps the page.
    await teacher.getByRole('button', { name: 'Whiteboard' }).click();
    const canvas = teacher.locator('.board-panel .board-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await teacher.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await teacher.mouse.down();
    for (let i = 1; i <= 10; i++) {
      await teacher.mouse.move(box.x + box.width * (0.3 + 0.04 * i), box.y + box.height * 0.5);
    }
    await teacher.mouse.up();
    await new Promise((r) => setTimeout(r, 500));
    await teacher.getByRole('button', { name: '■ Stop recording' }).click();
    await teacher.locator('[data-toast="toast.recordingSaved"]').waitFor({ timeout: 15_000 });
    await student.context().close();

    // The teacher's list.
    await teacher.getByRole('button', { name: 'Class records' }).click();
    const row = teacher.locator('li[data-record]');
    await row.waitFor();
    assert.equal(await row.count(), 1);
    assert.match(await row.innerText(), /Room 101[\s\S]*Shared by Ms\. Park/);
    await screenshot(teacher, 'records-list-laptop');
    const axe: string[] = [];
    await checkAccessibility(teacher, 'class records', axe);
    const id = (await row.getAttribute('data-record'))!;
    const review = (await rec.library.review(id))!;
    const video = review.streams.find((s) => s.kind === 'video')!;
    assert.ok(video, 'the share was recorded');

    // The player: the share appears where it began; the chat is beside it.
    await row.getByRole('button', { name: 'Play' }).click();
    await teacher.getByRole('heading', { name: 'Room 101' }).waitFor();
    const side = teacher.getByRole('complementary', { name: 'Chat and events' });
    await side.getByText('What is on slide 3?').waitFor();
    await side.getByText('The chord chart').waitFor();
    const page = side.getByRole('img', { name: /^Page 1, at / });
    await page.waitFor();
    const width = await until(() =>
      page.evaluate((img: { complete: boolean; naturalWidth: number }) =>
        img.complete && img.naturalWidth > 0 ? img.naturalWidth : null,
      ),
    );
    assert.equal(width, 1920, 'the board page loads');
    await videoWhere(teacher, (v) => v.readyState >= 2);
    // Seek by the student's message: the clock goes there, the video to its own time there.
    const asked = side.locator('li', { hasText: 'What is on slide 3?' });
    await asked.getByRole('button').click();
    const askedAt = review.events.find((e) => e.text === 'What is on slide 3?')!.t;
    assert.equal(await clockMs(teacher), askedAt);
    await teacher.locator('.review-tile').first().waitFor({ state: 'visible' });
    const want = (askedAt - video.from) / 1000;
    const t0 = (
      await videoWhere(teacher, (v) => !v.seeking && Math.abs(v.currentTime - want) < 0.06)
    ).currentTime;
    const id0 = await until(() => teacher.evaluate(readStamp, stamp));
    await screenshot(teacher, 'review-teacher-laptop');
    await checkAccessibility(teacher, 'review player', axe);

    // Play for a while: the clock and the video move together, frame ids with them.
    await teacher.getByRole('button', { name: 'Play' }).click();
    await new Promise((r) => setTimeout(r, 2500));
    await teacher.getByRole('button', { name: 'Pause' }).click();
    const played = (await clockMs(teacher)) - askedAt;
    const t1 = (await videoWhere(teacher, (v) => !v.seeking)).currentTime;
    const id1 = await until(() => teacher.evaluate(readStamp, stamp));
    const frames = (id1 - id0 + (1 << STAMP_BITS)) % (1 << STAMP_BITS);
    console.log(
      `review: clock +${played} ms, video ${t0.toFixed(2)} → ${t1.toFixed(2)} s, ` +
        `frame ids ${id0} → ${id1} (${frames} at the source's 30 fps)`,
    );
    assert.ok(played >= 1500 && played <= 4000, `the clock ran: ${played} ms`);
    assert.ok(Math.abs((t1 - t0) * 1000 - played) <= 400, 'the video kept to the class clock');
    // Ids count the source's frames (30 a second, whatever the sender managed to encode).
    assert.ok(Math.abs(frames - (t1 - t0) * 30) <= 15, `${frames} frames in ${t1 - t0} s`);
    await teacher.getByRole('button', { name: 'Back' }).click();

    // Shared with the students: a link a phone opens without joining.
    await teacher.getByRole('button', { name: 'Class records' }).click();
    await row.getByRole('button', { name: 'Share with students' }).click();
    const link = await row.getByLabel('Link for students').inputValue();
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/\?record=[A-Za-z0-9_-]{22}$/);
    const phone = await open(link, 390, 844);
    await phone.getByRole('heading', { name: 'Room 101' }).waitFor();
    await phone.getByText('The chord chart').waitFor();
    await videoWhere(phone, (v) => v.readyState >= 1);
    await phone.locator('li', { hasText: 'The chord chart' }).getByRole('button').click();
    await phone.locator('.review-tile').first().waitFor({ state: 'visible' });
    await videoWhere(phone, (v) => !v.seeking && v.readyState >= 2);
    assert.notEqual(await until(() => phone.evaluate(readStamp, stamp)), null);
    await screenshot(phone, 'review-student-phone');
    await checkAccessibility(phone, 'review on a phone', axe);
    assert.equal(await horizontalOverflow(phone), 0, 'no sideways scrolling on a phone');

    // Revoked: the same link says so.
    await row.getByRole('button', { name: 'Stop sharing' }).click();
    await row.getByRole('button', { name: 'Share with students' }).waitFor();
    await phone.reload();
    await phone.getByRole('alert').getByText('cannot be opened').waitFor();

    // Exported as one video: progress, then an MP4 to download that the browser can play.
    await row.getByRole('button', { name: 'Export as one video' }).click();
    await row.getByRole('progressbar', { name: 'Exporting the video' }).waitFor();
    await screenshot(teacher, 'records-exporting-laptop');
    const download = row.getByRole('link', { name: 'Download video (MP4)' });
    await download.waitFor({ timeout: 120_000 });
    const mp4 = await download.getAttribute('href');
    const plays = await teacher.evaluate(videoFileInfo, mp4!.replace('?download', ''));
    assert.deepEqual([plays.width, plays.height], [1280, 720]);
    assert.ok(plays.duration > 1, `the class's length: ${plays.duration} s`);
    await checkAccessibility(teacher, 'records with an export', axe);

    // Uploaded to the cloud (the video too): the console lists it with the MP4 to download.
    await row.getByRole('button', { name: 'Upload to the cloud' }).click();
    await row.getByRole('status').getByText('In the cloud').waitFor({ timeout: 60_000 });
    await screenshot(teacher, 'records-uploaded-laptop');
    await checkAccessibility(teacher, 'records uploaded', axe);
    for (const [width, height, name] of [
      [1400, 900, 'console-records'],
      [390, 844, 'console-records-phone'],
    ] as const) {
      const operator = await open(`${cloud.base}/#/rooms/${cloudRoom.id}`, width, height);
      await operator.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await operator.getByRole('button', { name: 'Sign in' }).click();
      const panel = operator.getByRole('region', { name: 'Class records' });
      const entry = panel.locator(`li[data-record="${id}"]`);
      await entry.getByText('Shared by Ms. Park').waitFor();
      const link = entry.getByRole('link', { name: 'Download video (MP4)' });
      const res = await fetch(new URL((await link.getAttribute('href'))!, cloud.base));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'video/mp4');
      assert.equal(
        (await res.arrayBuffer()).byteLength,
        statSync(path.join(dir, id, 'class.mp4')).size,
      );
      await panel.scrollIntoViewIfNeeded();
      await screenshot(operator, name);
      await checkAccessibility(operator, name, axe);
      assert.equal(await horizontalOverflow(operator), 0, `${name}: no sideways scrolling`);
      await operator.context().close();
    }

    console.log(`axe: ${axe.join('; ')}`);

    // Deleted: gone from the list and from the disk.
    await row.getByRole('button', { name: 'Delete' }).click();
    await teacher
      .getByRole('dialog', { name: 'Delete this record?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await teacher.getByText('No class has been recorded').waitFor();
    assert.ok(!existsSync(path.join(dir, id)));
    assert.deepEqual(
      readdirSync(dir).filter((n) => n !== 'links.json'),
      [],
    );
  });
});

type VideoState = NonNullable<ReturnType<typeof videoState>>;

/** The review's video once `ok` holds for it. */
function videoWhere(p: Page, ok: (v: VideoState) => boolean): Promise<VideoState> {
  return until(async () => {
    const v = await p.evaluate(videoState, stamp.selector);
    return v && ok(v) ? v : null;
  });
}

async function until<T>(read: () => Promise<T | null>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
