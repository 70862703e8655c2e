/**
 * "Export as one video" on a real relay, recorder and ffmpeg: a record of two shares (one with
 * frame ids, one that joins halfway) and a voice becomes one MP4 that plays in order, puts each
 * picture where the layout says, carries the voice at its time, and is served by the record's
 * link; teachers see its progress, students cannot start one.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { RecordExport, Review } from '../../protocol';
import { ClassRecorder } from '../../local-ws/record/ClassRecorder';
import { ffmpegPath } from '../../local-ws/record/ffmpeg';
import type { RecordLibrary } from '../../local-ws/record/RecordLibrary';
import { serveRecords } from '../../local-ws/record/recordRoutes';
import { recordedFrames, STAMP_BITS, testManifest } from '../helpers/recorded';
import { rejectsWith, startRelay, type TestRelay } from '../helpers/relay';

const FFMPEG = ffmpegPath()!;
/** The stamp at a third of bench size: 640×360 sources, read back at 1920×1080. */
const BLOCK = 16;

function ffmpeg(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(FFMPEG, ['-hide_banner', '-nostdin', ...args]);
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('exit', (code) => (code === 0 ? resolve(err) : reject(new Error(err.slice(-800)))));
  });
}

/** A 640×360 VP8 clip whose frames carry their number as 16 blocks (like the bench's). */
async function stampedClip(file: string, seconds: number): Promise<void> {
  const boxes = [`drawbox=x=0:y=0:w=${STAMP_BITS * BLOCK}:h=${BLOCK}:color=black:t=fill`];
  for (let i = 0; i < STAMP_BITS; i++) {
    boxes.push(
      `drawbox=x=${i * BLOCK}:y=0:w=${BLOCK}:h=${BLOCK}:color=white:t=fill:` +
        `enable='gt(bitand(n\\,${2 ** i})\\,0)'`,
    );
  }
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=30:duration=${seconds}`],
    ...['-vf', boxes.join(','), '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8'],
    ...['-b:v', '1M', '-g', '30', '-y', file],
  ]);
}

/** The RGB colour of one pixel of the MP4's frame at `at` seconds. */
async function pixel(file: string, at: number, x: number, y: number): Promise<number[]> {
  const child = spawn(FFMPEG, [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', String(at), '-i', file],
    ...[
      '-frames:v',
      '1',
      '-vf',
      `format=rgb24,crop=1:1:${x}:${y}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ],
  ]);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  await new Promise((r) => child.once('close', r));
  const rgb = [...Buffer.concat(chunks)];
  assert.equal(rgb.length, 3, `a pixel of ${file} at ${at} s`);
  return rgb;
}

/** Mean loudness (dB) of the MP4's sound from `at` for `seconds`. */
async function loudness(file: string, at: number, seconds: number): Promise<number> {
  const err = await ffmpeg([
    ...['-ss', String(at), '-t', String(seconds), '-i', file, '-vn'],
    ...['-af', 'volumedetect', '-f', 'null', '-'],
  ]);
  return Number(/mean_volume: (-?[\d.]+|-inf) dB/.exec(err)?.[1] ?? -Infinity);
}

describe('export as one video', () => {
  let t: TestRelay | null = null;
  afterEach(() => t?.stop());

  it(
    'shows the board beside the share while it is open, its ink as it was drawn',
    {
      timeout: 120_000,
    },
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-export-board-'));
      const id = '2026-12-03-11-00-00-Bd1_';
      const folder = path.join(dir, id);
      mkdirSync(folder);
      await stampedClip(path.join(folder, '01-video.webm'), 6);
      const at = Date.now() - 60_000;
      writeFileSync(
        path.join(folder, 'manifest.json'),
        JSON.stringify(
          testManifest(at, 6000, [
            {
              file: '01-video.webm',
              kind: 'video',
              codec: 'video/VP8',
              startedAt: at,
              endedAt: at + 6000,
              peer: 'Ms. Park',
              role: 'teacher',
              share: { id: 's1', kind: 'screen', label: 'Desktop' },
            },
          ]),
        ),
      );
      // The board opens at 2 s; a thick red line across its middle at 3 s; it closes at 5 s.
      const line = {
        target: { page: 0 },
        id: 'l1',
        by: 'p1',
        tool: 'line',
        color: '#e03131',
        width: 30,
        from: 0,
        points: [
          [0.1, 0.5, 0.5],
          [0.9, 0.5, 0.5],
        ],
        done: true,
      };
      const events = [
        {
          t: 2000,
          method: 'boardChanged',
          params: { info: { background: 'blank', pages: 1, page: 0, everyone: false } },
        },
        { t: 3000, method: 'boardDrawn', params: line },
        { t: 5000, method: 'boardChanged', params: { info: null } },
      ];
      writeFileSync(
        path.join(folder, 'events.jsonl'),
        events.map((e) => JSON.stringify(e)).join('\n') + '\n',
      );
      t = await startRelay();
      const library = new ClassRecorder(t.room, null, { dir, ffmpeg: FFMPEG, minFreeBytes: 0 })
        .library;
      const teacher = await t.teacher('Ms. Park');
      const done = teacher.waitFor(
        'recordExport',
        (p) => p.export.state === 'done' || p.export.state === 'failed',
        100_000,
      );
      await teacher.request('records.export', { id });
      assert.equal(
        (await done).export.state,
        'done',
        (await library.review(id)) ? '' : 'no review',
      );
      const file = path.join(folder, 'class.mp4');
      // The board takes the right half (two pictures: 640×360 each, centred); the line at its
      // middle is at (960, 360) of the frame.
      const red = (c: number[]) => c[0]! > 150 && c[1]! < 110 && c[2]! < 110;
      const paper = (c: number[]) => c.every((v) => v > 200);
      // Alone, the share fills the frame: its frame ids read at full size.
      const early = (await recordedFrames(file, 1)).ids[0]!;
      assert.ok(Math.abs(early - 30) <= 3, `at 1 s, frame ${early} of the share`);
      assert.ok(
        paper(await pixel(file, 2.5, 960, 360)),
        `at 2.5 s: the blank board: ${await pixel(file, 2.5, 960, 360)}`,
      );
      assert.ok(
        red(await pixel(file, 4, 960, 360)),
        `at 4 s: the line: ${await pixel(file, 4, 960, 360)}`,
      );
      // Closed: the share alone again.
      const late = (await recordedFrames(file, 5.5)).ids[0]!;
      assert.ok(Math.abs(late - 165) <= 3, `at 5.5 s, frame ${late} of the share`);
    },
  );

  it(
    'renders shares and voice on the class clock into one MP4 that the link serves',
    { timeout: 180_000 },
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-export-'));
      const id = '2026-12-03-11-00-00-Ex1_';
      const folder = path.join(dir, id);
      mkdirSync(folder);
      await stampedClip(path.join(folder, '01-video.webm'), 6);
      await ffmpeg([
        ...['-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=30:duration=3'],
        ...['-c:v', 'libvpx', '-deadline', 'realtime', '-y', path.join(folder, '02-video.webm')],
      ]);
      await ffmpeg([
        ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2:sample_rate=48000'],
        ...['-c:a', 'libopus', '-y', path.join(folder, '03-audio.webm')],
      ]);
      const at = Date.now() - 60_000;
      const stream = (
        file: string,
        kind: 'audio' | 'video',
        peer: string,
        from: number,
        to: number,
      ) => ({
        file,
        kind,
        codec: kind === 'video' ? 'video/VP8' : 'audio/opus',
        startedAt: at + from,
        endedAt: at + to,
        peer,
        role: peer === 'Ana' ? 'student' : 'teacher',
        share: { id: file, kind: 'screen' as const, label: peer },
      });
      const manifest = testManifest(
        at,
        6000,
        [
          stream('01-video.webm', 'video', 'Ms. Park', 0, 6000),
          stream('02-video.webm', 'video', 'Ana', 3000, 6000),
          stream('03-audio.webm', 'audio', 'Ms. Park', 1000, 3000),
        ],
        ['Ana'],
      );
      writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));

      let library: RecordLibrary | null = null;
      t = await startRelay(
        {},
        {
          sfu: { listenIp: '127.0.0.1' },
          routes: (req, res) => (library ? serveRecords(library, req, res) : false),
        },
      );
      library = new ClassRecorder(t.room, t.relay.sfu, { dir, ffmpeg: FFMPEG, minFreeBytes: 0 })
        .library;
      const teacher = await t.teacher('Ms. Park');
      const ana = await t.student('Ana');
      await rejectsWith(ana.request('records.export', { id }), 'NOT_TEACHER');
      await rejectsWith(
        teacher.request('records.export', { id: '2026-12-03-11-00-00-none' }),
        'RECORD_NOT_FOUND',
      );

      const seen: RecordExport[] = [];
      const done = teacher.waitFor(
        'recordExport',
        (p) => {
          seen.push(p.export);
          return p.export.state === 'done' || p.export.state === 'failed';
        },
        150_000,
      );
      const began = Date.now();
      const { export: first } = await teacher.request('records.export', { id });
      assert.equal(first.state, 'queued');
      const again = await teacher.request('records.export', { id });
      assert.equal(again.export.state === 'queued' || again.export.state === 'running', true);
      const end = await done;
      const tookMs = Date.now() - began;
      assert.equal(end.export.state, 'done', end.export.error);
      assert.equal(ana.received('recordExport').length, 0, 'only teachers are told');
      const progress = seen.map((e) => e.progress);
      assert.deepEqual(
        progress,
        [...progress].sort((a, b) => a - b),
        'progress only goes up',
      );
      assert.ok(seen.some((e) => e.state === 'running'));
      const [listed] = (await teacher.request('records.list', {})).records;
      assert.deepEqual(listed?.export, { state: 'done', progress: 1, file: 'class.mp4' });

      // The MP4: 720p H.264 with AAC, as long as the class.
      const file = path.join(folder, 'class.mp4');
      const info = await ffmpeg(['-i', file, '-f', 'null', '-']);
      assert.match(info, /Video: h264.*1280x720/);
      assert.match(info, /Audio: aac/);
      const frames = await recordedFrames(file);
      assert.ok(Math.abs((frames.duration ?? 0) - 6) < 0.25, `lasts the class: ${frames.duration}`);
      // Alone on screen for 3 s, the teacher's share fills the frame: its frame ids, in order.
      const early = (await recordedFrames(file, 1)).ids.slice(0, 30);
      assert.ok(Math.abs(early[0]! - 30) <= 2, `at 1 s, frame ${early[0]} of the share`);
      for (let i = 1; i < early.length; i++) assert.equal(early[i], early[i - 1]! + 1);
      // Once Ana shares too, they are side by side: the frame differs from full screen there.
      const late = (await recordedFrames(file, 4.5)).ids[0]!;
      assert.ok(Math.abs(late - 135) > 3, 'no longer full screen at 4.5 s');
      // The voice plays at its time on the class clock and not after.
      assert.ok((await loudness(file, 1.3, 1.4)) > -35, 'the voice at 1–3 s');
      assert.ok((await loudness(file, 3.6, 2)) < -60, 'silence after it');

      // The record's links serve it; the review offers it.
      const base = t.url.replace(/^ws/, 'http').replace(/\/ws$/, '');
      const token = new URL(
        (await teacher.request('records.share', { id })).link,
        'http://x',
      ).searchParams.get('record')!;
      const review = (await (await fetch(`${base}/records/${token}/review.json`)).json()) as Review;
      assert.equal(review.video, 'class.mp4');
      const mp4 = await fetch(`${base}/records/${token}/class.mp4?download`);
      assert.equal(mp4.status, 200);
      assert.equal(mp4.headers.get('content-type'), 'video/mp4');
      assert.match(mp4.headers.get('content-disposition') ?? '', /class\.mp4"$/);
      assert.ok((await mp4.arrayBuffer()).byteLength > 50_000);
      // Asked again: done already, nothing re-rendered.
      assert.equal((await teacher.request('records.export', { id })).export.state, 'done');
      console.log(
        `export of a 6 s record: ${tookMs} ms (${(tookMs / 6000).toFixed(2)}× its length)`,
      );
    },
  );
});
