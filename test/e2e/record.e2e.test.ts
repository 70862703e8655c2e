import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ClassRecorder } from '../../local-ws/record/ClassRecorder';
import { ffmpegPath } from '../../local-ws/record/ffmpeg';
import type { Manifest } from '../../local-ws/record/Recording';
import { screenshot } from '../helpers/browser';
import { hostWithBrowser, joinAs } from '../helpers/host';
import { streamStats, until } from '../helpers/media';
import {
  droppedFrames,
  recordedFrames,
  STAMP_BITS,
  STAMP_BLOCK,
  stampSource,
} from '../helpers/recorded';

const RECORD_SECONDS = 20;

/**
 * Recording a class on the room host: a real worker, real Chromium, the recorder's real ffmpeg.
 * The teacher shares a 1080p canvas whose frames carry their ids; the file is read back frame
 * by frame.
 */
describe('recording a class at source quality', () => {
  const env = hostWithBrowser({ sfu: { listenIp: '127.0.0.1' } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-records-'));

  async function open(query: string, width = 1280, height = 720): Promise<Page> {
    const context = await env.browser.newContext({ viewport: { width, height } });
    // tsx names the page functions' inner closures with a helper the page does not have.
    await context.addInitScript('window.__name = (f) => f');
    const p = await context.newPage();
    await p.goto(`${env.base}/?debug&${query}`);
    return p;
  }

  it('records a 1080p share without re-encoding, seekable, from its first frame; everyone sees REC', async () => {
    assert.ok(ffmpegPath(), 'the recorder ffmpeg is installed (@ffmpeg-installer)');
    new ClassRecorder(env.room, env.relay.sfu, { dir, ffmpeg: ffmpegPath(), minFreeBytes: 0 });
    const screen = await open(`screen=${env.room.screenKey}`, 1920, 1080);
    await screen.getByLabel('join code').waitFor();
    const teacher = await open(`stats&code=${env.room.code}`);
    await joinAs(teacher, 'Teacher', 'Ms. Park');
    const student = await open(`code=${env.room.code}`, 390, 844);
    await joinAs(student, 'Student', 'Mina');
    // Record first, then share: a share that starts while recording is taken too.
    const started = Date.now();
    await teacher.getByRole('button', { name: '● Record' }).click();
    for (const [who, p] of [
      ['teacher', teacher],
      ['student', student],
      ['screen', screen],
    ] as const) {
      await p.locator('.rec-badge').waitFor({ timeout: 10_000 });
      assert.match((await p.locator('.rec-badge').getAttribute('title')) ?? '', /Ms\. Park/, who);
    }
    await screenshot(student, 'record-student-phone-rec');
    await screenshot(screen, 'record-screen-rec');
    // Two cores cannot encode 1080p30 for the screen and the SFU at once: the teacher's
    // machine does only the recorded share from here on.
    await screen.context().close();
    await student.context().close();
    await teacher.evaluate(stampSource, {
      width: 1920,
      height: 1080,
      bits: STAMP_BITS,
      block: STAMP_BLOCK,
    });
    const manifestFile = () => {
      const name = env.room.recording.state && readdirOne(dir);
      return name ? path.join(dir, name, 'manifest.json') : null;
    };
    const firstWritten = await until(
      'the video file has its first frame',
      async () => {
        const file = manifestFile();
        if (!file) return null;
        const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
        return m.streams.find((s) => s.kind === 'video' && s.startedAt !== null) ?? null;
      },
      (s) => s !== null,
      15_000,
      100,
    );
    console.log(`record start → first written frame: ${firstWritten!.startedAt! - started} ms`);

    await new Promise((r) => setTimeout(r, RECORD_SECONDS * 1000));
    const sent = (await streamStats(teacher)).filter((s) => s.direction === 'out');
    await teacher.getByRole('button', { name: '■ Stop recording' }).click();
    await teacher.locator('.rec-badge').waitFor({ state: 'detached', timeout: 15_000 });
    // The teacher is told once the files are complete.
    await teacher.locator('[data-toast="toast.recordingSaved"]').waitFor({ timeout: 15_000 });

    const folder = path.join(dir, readdirOne(dir)!);
    const manifest = JSON.parse(
      readFileSync(path.join(folder, 'manifest.json'), 'utf8'),
    ) as Manifest;
    assert.equal(manifest.endReason, 'stopped');
    assert.equal(manifest.startedBy, 'Ms. Park');
    const video = manifest.streams.find((s) => s.kind === 'video');
    assert.ok(video, `a video stream in ${JSON.stringify(manifest.streams)}`);
    assert.equal(video.peer, 'Ms. Park');
    assert.equal(video.codec, 'video/VP8');
    const file = path.join(folder, video.file);
    const all = await recordedFrames(file);
    const { dropped, repeats } = droppedFrames(all.ids);
    const span = all.ids.length + dropped;
    const fps = (all.ids.length / span) * 30;
    console.log(
      `recorded ${video.file}: ${all.sizes.join(' → ')}, ${all.ids.length} frames, ` +
        `duration ${all.duration} s, ${dropped} dropped, ${repeats} repeated → ${fps.toFixed(1)} fps ` +
        `of the source's 30; teacher sent ${JSON.stringify(sent)}`,
    );
    // The file starts at the source's full size. On these two cores Chromium cannot encode
    // 1080p30 in three simulcast layers: it drops frames and, after a few seconds, its top
    // layer, and the recorder follows the best layer the SFU still receives. A faster sender
    // keeps 1920×1080 at 30 fps (bench:record feeds one from ffmpeg).
    assert.match(all.sizes[0] ?? '', /^1920x1080@/, 'recorded at the source size first');
    assert.ok(
      all.duration !== null && all.duration >= RECORD_SECONDS - 2,
      'the file knows its length',
    );
    // What the sender manages varies with the machine's load (7–15 fps seen); the recorder's
    // own fidelity is measured by bench:record with a sender that is not CPU-bound.
    assert.ok(all.ids.length >= RECORD_SECONDS * 4, `≥ 4 fps even here: ${all.ids.length} frames`);
    assert.ok(repeats <= 2, `no frame written twice: ${repeats}`);
    // It seeks: from 10 s in, the first frame is about 300 frames after the first one.
    const later = await recordedFrames(file, 10);
    const skipped = (later.ids[0]! - all.ids[0]! + (1 << STAMP_BITS)) % (1 << STAMP_BITS);
    console.log(`seek to 10 s: first frame id ${later.ids[0]} (${skipped} after the first)`);
    assert.ok(Math.abs(skipped - 300) <= 45, `seek to 10 s landed ${skipped} frames in`);
    const events = readFileSync(path.join(folder, 'events.jsonl'), 'utf8');
    assert.match(events, /"method":"roomUpdated"/);
  });
});

function readdirOne(dir: string): string | null {
  return readdirSync(dir).sort().at(-1) ?? null;
}
