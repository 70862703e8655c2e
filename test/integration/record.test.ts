import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ClassRecorder, type ClassRecorderOptions } from '../../local-ws/record/ClassRecorder';
import { ffmpegPath } from '../../local-ws/record/ffmpeg';
import type { Manifest } from '../../local-ws/record/Recording';
import { recordedFrames } from '../helpers/recorded';
import { rejectsWith, startRelay, type TestRelay } from '../helpers/relay';

/** Who may record, what everyone is told, and when the recorder refuses: real relay and SFU. */
describe('recording a class: rules and messages', () => {
  let t: TestRelay | null = null;
  afterEach(() => t?.stop());

  function recorder(r: TestRelay, extra: Partial<ClassRecorderOptions> = {}) {
    const opts: ClassRecorderOptions = {
      dir: mkdtempSync(path.join(os.tmpdir(), 'lectern-rec-')),
      ffmpeg: ffmpegPath(),
      minFreeBytes: 0,
      ...extra,
    };
    new ClassRecorder(r.room, r.relay.sfu, opts);
    return opts;
  }
  const manifest = (dir: string): Manifest => {
    const [folder] = readdirSync(dir);
    return JSON.parse(readFileSync(path.join(dir, folder!, 'manifest.json'), 'utf8')) as Manifest;
  };

  it('only a teacher records; everyone sees it start and stop; only teachers get the record', async () => {
    t = await startRelay({}, { sfu: { listenIp: '127.0.0.1' } });
    const opts = recorder(t);
    const teacher = await t.teacher('Ms. Park');
    const ana = await t.student('Ana');
    await rejectsWith(ana.request('record.start', {}), 'NOT_TEACHER');
    await rejectsWith(ana.request('record.stop', {}), 'NOT_TEACHER');
    assert.equal(t.room.recording.state, null);

    const seen = ana.waitFor('roomUpdated', (p) => p.room.recording !== undefined);
    await teacher.request('record.start', {});
    await teacher.request('record.start', {}); // twice: one recording
    const { room } = await seen;
    assert.equal(room.recording?.by, 'Ms. Park');
    assert.equal(readdirSync(opts.dir).length, 1);
    assert.ok((await ana.request('snapshot', {})).room.recording, 'a late look sees REC too');

    const off = ana.waitFor('roomUpdated', (p) => p.room.recording === undefined);
    const told = teacher.waitFor('recordingStopped');
    await teacher.request('record.stop', {});
    await off;
    const stopped = await told;
    assert.equal(stopped.reason, 'stopped');
    assert.equal(stopped.record, readdirSync(opts.dir)[0]);
    await teacher.request('record.stop', {}); // nothing to stop: no error, no second message
    await teacher.request('ping', {});
    assert.equal(ana.received('recordingStopped').length, 0, 'students are not sent the record');
    const m = manifest(opts.dir);
    assert.equal(m.endReason, 'stopped');
    assert.equal(m.startedBy, 'Ms. Park');
    assert.ok(m.endedAt !== null && m.endedAt >= m.startedAt);
  });

  it('refuses without an SFU, without ffmpeg, or with too little disk, and says which', async () => {
    t = await startRelay();
    const teacher = await t.teacher();
    await rejectsWith(teacher.request('record.start', {}), 'RECORDING_UNAVAILABLE');
    recorder(t);
    await rejectsWith(teacher.request('record.start', {}), 'RECORDING_UNAVAILABLE');
    await t.stop();

    t = await startRelay({}, { sfu: { listenIp: '127.0.0.1' } });
    recorder(t, { ffmpeg: null });
    const teacher2 = await t.teacher();
    await rejectsWith(teacher2.request('record.start', {}), 'RECORDING_UNAVAILABLE');
    await t.stop();

    t = await startRelay({}, { sfu: { listenIp: '127.0.0.1' } });
    const opts = recorder(t, { minFreeBytes: Number.MAX_SAFE_INTEGER });
    const teacher3 = await t.teacher();
    await rejectsWith(teacher3.request('record.start', {}), 'DISK_LOW');
    assert.equal(t.room.recording.state, null);
    assert.deepEqual(readdirSync(opts.dir), [], 'no empty record left behind');
  });

  it('stops with a message when the disk runs low while recording, and when the class ends', async () => {
    t = await startRelay({}, { sfu: { listenIp: '127.0.0.1' } });
    const opts = recorder(t, { diskCheckMs: 100 });
    const teacher = await t.teacher();
    await teacher.request('record.start', {});
    const told = teacher.waitFor('recordingStopped');
    opts.minFreeBytes = Number.MAX_SAFE_INTEGER; // the disk "fills"
    assert.equal((await told).reason, 'diskLow');
    assert.equal(t.room.recording.state, null);
    assert.equal(manifest(opts.dir).endReason, 'diskLow');
    await rejectsWith(teacher.request('record.start', {}), 'DISK_LOW');

    opts.minFreeBytes = 0;
    await teacher.request('record.start', {});
    await teacher.request('class.end', {});
    const ends = () =>
      readdirSync(opts.dir).map((f) => {
        const file = path.join(opts.dir, f, 'manifest.json');
        // A record just begun may not have written its manifest yet.
        if (!existsSync(file)) return null;
        return (JSON.parse(readFileSync(file, 'utf8')) as Manifest).endReason;
      });
    await until(() => ends().every((e) => e !== null));
    assert.equal(t.room.recording.state, null);
    assert.deepEqual(ends().sort(), ['classEnded', 'diskLow']);
  });
  it('a record its host never finished (ffmpeg killed mid-file) is made playable at the next start', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-rec-'));
    const folder = path.join(dir, '2026-12-02-10-00-00-abc');
    mkdirSync(folder);
    const file = path.join(folder, '01-video.webm');
    // A live WebM writer killed without a word, as when the host's machine loses power.
    const writer = spawn(ffmpegPath()!, [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-progress', 'pipe:1'],
      ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=30', '-c:v', 'libvpx'],
      ...['-deadline', 'realtime', '-flush_packets', '1', '-cluster_time_limit', '1000'],
      ...['-f', 'webm', file],
    ]);
    // Killed once it has written 2.5 s of the source (by its own progress report, not the wall
    // clock: on a busy machine ffmpeg may take a second to start).
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('ffmpeg wrote too little')), 30_000);
      writer.stdout.on('data', (d: Buffer) => {
        const written = /out_time_us=(\d+)/.exec(d.toString());
        if (written && Number(written[1]) >= 2_500_000) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    writer.kill('SIGKILL');
    await new Promise((r) => writer.once('exit', r));
    assert.equal((await recordedFrames(file)).duration, null, 'killed: no duration in the file');
    const startedAt = Date.now() - 3000;
    const unfinished: Manifest = {
      version: 1,
      room: 'Room 101',
      classId: 'c1',
      startedAt,
      startedBy: 'Ms. Park',
      endedAt: null,
      endReason: null,
      onStage: [],
      streams: [
        {
          file: '01-video.webm',
          kind: 'video',
          codec: 'video/VP8',
          startedAt,
          endedAt: null,
          peer: 'Ms. Park',
          role: 'teacher',
          share: { id: 's1', kind: 'screen', label: 'Screen 1' },
        },
      ],
    };
    writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(unfinished));

    t = await startRelay({}, { sfu: { listenIp: '127.0.0.1' } });
    const rec = new ClassRecorder(t.room, t.relay.sfu, {
      dir,
      ffmpeg: ffmpegPath(),
      minFreeBytes: 0,
    });
    assert.deepEqual(await rec.repaired, ['2026-12-02-10-00-00-abc']);
    const m = manifest(dir);
    assert.equal(m.endReason, 'failed');
    assert.ok(m.endedAt !== null && m.endedAt >= startedAt, 'ends at its last write');
    assert.ok(m.streams[0]!.endedAt !== null);
    const after = await recordedFrames(file);
    assert.ok(
      after.duration !== null && after.duration >= 1.5,
      `plays to the kill: ${after.duration} s`,
    );
    assert.ok(after.ids.length >= 45, `${after.ids.length} frames kept`);
    assert.deepEqual(
      await new ClassRecorder(t.room, t.relay.sfu, { dir, ffmpeg: ffmpegPath(), minFreeBytes: 0 })
        .repaired,
      [],
      'once',
    );
  });
});

async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
