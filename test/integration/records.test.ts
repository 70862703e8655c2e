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
import type { Review } from '../../protocol';
import { ClassRecorder } from '../../local-ws/record/ClassRecorder';
import { ffmpegPath } from '../../local-ws/record/ffmpeg';
import { RecordLibrary } from '../../local-ws/record/RecordLibrary';
import type { Manifest } from '../../local-ws/record/Recording';
import { serveRecords } from '../../local-ws/record/recordRoutes';
import { rejectsWith, startRelay, type TestRelay } from '../helpers/relay';

/**
 * The class records a host keeps, as teachers manage them over the relay and as a record's link
 * serves them over HTTP: a real relay, SFU, recorder and ffmpeg-written files.
 */
describe('class records: list, share, revoke, delete, serve', () => {
  let t: TestRelay | null = null;
  afterEach(() => t?.stop());

  /** A relay whose HTTP serves `library` (set once the recorder exists). */
  async function relayWithRecords(dir: string) {
    let library: RecordLibrary | null = null;
    t = await startRelay(
      {},
      {
        sfu: { listenIp: '127.0.0.1' },
        routes: (req, res) => (library ? serveRecords(library, req, res) : false),
      },
    );
    const rec = new ClassRecorder(t.room, t.relay.sfu, {
      dir,
      ffmpeg: ffmpegPath(),
      minFreeBytes: 0,
    });
    library = rec.library;
    const http = t.url.replace(/^ws/, 'http').replace(/\/ws$/, '');
    const get = (link: string, init?: RequestInit) => fetch(`${http}${link}`, init);
    return { t, rec, get };
  }
  const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('record')!;

  it('teachers list, share, revoke and delete; the review holds the chat, not what only teachers saw', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-records-'));
    const { t, get } = await relayWithRecords(dir);
    const teacher = await t.teacher('Ms. Park');
    const ana = await t.student('Ana');
    for (const call of [
      ana.request('records.list', {}),
      ana.request('records.share', { id: '2026-12-03-10-00-00-abcd' }),
      ana.request('records.unshare', { id: '2026-12-03-10-00-00-abcd' }),
      ana.request('records.delete', { id: '2026-12-03-10-00-00-abcd' }),
    ]) {
      await rejectsWith(call, 'NOT_TEACHER');
    }
    assert.deepEqual((await teacher.request('records.list', {})).records, []);

    await teacher.request('record.start', {});
    const [running] = (await teacher.request('records.list', {})).records;
    assert.ok(running?.recording, 'the record being written is listed as such');
    await rejectsWith(teacher.request('records.delete', { id: running.id }), 'RECORD_BUSY');
    await ana.request('chat', { text: 'Is page 12 homework?' });
    const ben = await t.student('Ben');
    await teacher.request('chat', { text: 'Yes, for Friday' });
    await ben.request('hand.set', { raised: true });
    await teacher.request('record.stop', {});

    const [r] = (await teacher.request('records.list', {})).records;
    assert.ok(r);
    assert.equal(r.title, 'Room 101');
    assert.equal(r.startedBy, 'Ms. Park');
    assert.equal(r.recording, false);
    assert.ok(r.endedAt !== null && r.durationMs >= 0 && r.durationMs <= 10_000);
    assert.equal(r.shared, null, 'not shared until the teacher says so');

    // The teacher's own link plays it; what it says is the class as people saw it.
    const viewRes = await get(`/records/${tokenOf(r.view)}/review.json`);
    assert.equal(viewRes.status, 200);
    assert.equal(viewRes.headers.get('cache-control'), 'no-store');
    const text = await viewRes.text();
    const review = JSON.parse(text) as Review;
    assert.deepEqual(
      review.events.filter((e) => e.kind === 'chat').map((e) => [e.name, e.text]),
      [
        ['Ana', 'Is page 12 homework?'],
        ['Ms. Park', 'Yes, for Friday'],
      ],
    );
    assert.ok(
      review.events.some((e) => e.kind === 'joined' && e.name === 'Ben'),
      'Ben came',
    );
    assert.ok(!review.events.some((e) => e.kind === 'joined' && e.name === 'Ana'), 'Ana was there');
    assert.ok(!text.includes(t.room.code), 'the join code is not in a shareable review');
    assert.ok(!text.includes(t.room.screenKey), 'nor the screen key');

    const { link } = await teacher.request('records.share', { id: r.id });
    assert.match(link, /^\/\?record=[A-Za-z0-9_-]{22}$/);
    assert.equal((await teacher.request('records.share', { id: r.id })).link, link, 'one link');
    assert.notEqual(tokenOf(link), tokenOf(r.view), 'students do not get the teacher link');
    assert.equal((await get(`/records/${tokenOf(link)}/review.json`)).status, 200);
    assert.equal(
      (await teacher.request('records.list', {})).records[0]?.shared,
      link,
      'the list shows the link',
    );
    // Shared links outlive the host: another library on the same folder knows it.
    assert.equal(await new RecordLibrary(dir).byToken(tokenOf(link)), r.id);

    await teacher.request('records.unshare', { id: r.id });
    assert.equal((await get(`/records/${tokenOf(link)}/review.json`)).status, 404, 'revoked');
    assert.equal((await get(`/records/${tokenOf(r.view)}/review.json`)).status, 200);
    assert.equal(await new RecordLibrary(dir).byToken(tokenOf(link)), null, 'revoked for good');

    await rejectsWith(teacher.request('records.delete', { id: '../../etc' }), 'INVALID_PARAMS');
    await rejectsWith(
      teacher.request('records.delete', { id: '2026-12-03-10-00-00-none' }),
      'RECORD_NOT_FOUND',
    );
    await teacher.request('records.delete', { id: r.id });
    assert.deepEqual((await teacher.request('records.list', {})).records, []);
    assert.ok(!existsSync(path.join(dir, r.id)), 'its files are gone');
    assert.equal((await get(`/records/${tokenOf(r.view)}/review.json`)).status, 404);
    await rejectsWith(teacher.request('records.share', { id: r.id }), 'RECORD_NOT_FOUND');
  });

  it('keeps the board in the record: as it stands when recording stops, and at the class end', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-records-'));
    const { t, get } = await relayWithRecords(dir);
    const teacher = await t.teacher('Ms. Park');
    const draw = (id: string, page = 0) =>
      teacher.request('board.draw', {
        target: { page },
        id,
        tool: 'pen',
        color: '#1d4ed8',
        width: 4,
        points: [
          [0.1, 0.5, 0.5],
          [0.5, 0.5, 0.5],
          [0.9, 0.6, 0.5],
        ],
        done: true,
      });
    const boardsOf = async (id: string) => {
      const link = (await teacher.request('records.share', { id })).link;
      const base = `/records/${tokenOf(link)}`;
      const review = (await (await get(`${base}/review.json`)).json()) as Review;
      return { base, boards: review.boards ?? [] };
    };

    // Recording stops while the board is open: its page as it stood.
    await teacher.request('board.open', { background: 'grid' });
    await teacher.request('record.start', {});
    await draw('s1');
    const first = teacher.waitFor('recordingStopped');
    await teacher.request('record.stop', {});
    const { record: one } = await first;
    const kept = await boardsOf(one);
    assert.equal(kept.boards.length, 1);
    assert.equal(kept.boards[0]!.page, 1);
    const png = await get(`${kept.base}/${kept.boards[0]!.file}`);
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    assert.ok(bytes.subarray(1, 4).equals(Buffer.from('PNG')), 'a real PNG');
    // Only the record's own pages: a made-up board file name is a 404 like any other.
    assert.equal((await get(`${kept.base}/board-9-9.png`)).status, 404);

    // The class ends with two pages drawn: both kept, at the end of the record.
    await teacher.request('record.start', {});
    await teacher.request('board.addPage', {});
    await draw('s2', 1);
    const second = teacher.waitFor('recordingStopped');
    await teacher.request('class.end', {});
    const { record: two } = await second;
    const atEnd = await boardsOf(two);
    assert.deepEqual(
      atEnd.boards.map((b) => b.page),
      [1, 2],
    );
  });

  it('a link serves its stream files with byte ranges (seeking), and nothing else', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-records-'));
    const id = '2026-12-03-09-00-00-Ab3_';
    const folder = path.join(dir, id);
    mkdirSync(folder);
    await writeWebm(path.join(folder, '01-video.webm'));
    const started = Date.now() - 3000;
    const manifest: Manifest = {
      version: 1,
      room: 'Room 101',
      classId: 'c1',
      startedAt: started,
      startedBy: 'Ms. Park',
      endedAt: started + 2500,
      endReason: 'stopped',
      onStage: [],
      streams: [
        {
          file: '01-video.webm',
          kind: 'video',
          codec: 'video/VP8',
          startedAt: started + 400,
          endedAt: started + 2500,
          peer: 'Ms. Park',
          role: 'teacher',
          share: { id: 's1', kind: 'screen', label: 'Screen 1' },
        },
      ],
    };
    writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(path.join(folder, '02-video.webm'), 'not in the manifest');
    const { t, get } = await relayWithRecords(dir);
    const teacher = await t.teacher();
    const [r] = (await teacher.request('records.list', {})).records;
    assert.equal(r?.id, id);
    assert.deepEqual(r.sharers, ['Ms. Park']);
    const bytesOnDisk = readFileSync(path.join(folder, '01-video.webm'));
    assert.equal(r.bytes, bytesOnDisk.length);
    const base = `/records/${tokenOf((await teacher.request('records.share', { id })).link)}`;

    const review = (await (await get(`${base}/review.json`)).json()) as Review;
    assert.deepEqual(
      review.streams.map((s) => [s.file, s.from, s.to]),
      [['01-video.webm', 400, 2500]],
      'each stream placed on the class clock',
    );
    const whole = await get(`${base}/01-video.webm`);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-type'), 'video/webm');
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    assert.ok(Buffer.from(await whole.arrayBuffer()).equals(bytesOnDisk), 'the file as written');

    const part = await get(`${base}/01-video.webm`, { headers: { range: 'bytes=100-199' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-199/${bytesOnDisk.length}`);
    assert.ok(Buffer.from(await part.arrayBuffer()).equals(bytesOnDisk.subarray(100, 200)));
    const tail = await get(`${base}/01-video.webm`, { headers: { range: 'bytes=-50' } });
    assert.ok(Buffer.from(await tail.arrayBuffer()).equals(bytesOnDisk.subarray(-50)));
    const past = await get(`${base}/01-video.webm`, {
      headers: { range: `bytes=${bytesOnDisk.length + 10}-` },
    });
    assert.equal(past.status, 416);
    const saved = await get(`${base}/01-video.webm?download`);
    assert.match(saved.headers.get('content-disposition') ?? '', /^attachment; filename="/);
    await saved.arrayBuffer();

    for (const wrong of [
      `${base}/02-video.webm`, // on disk, but not one of the record's streams
      `${base}/manifest.json`,
      `${base}/events.jsonl`,
      `${base}/..%2F..%2Flinks.json`,
      `${base}/../${id}/01-video.webm`,
      `/records/${'A'.repeat(22)}/review.json`,
      '/records/short/review.json',
      '/records/',
    ]) {
      const res = await get(wrong);
      assert.equal(res.status, 404, wrong);
      await res.arrayBuffer();
    }
    const post = await get(`${base}/review.json`, { method: 'POST' });
    assert.equal(post.status, 404);
    assert.equal(readdirSync(folder).length, 3, 'nothing written by reading');
  });
});

/** A real 2.5 s VP8 WebM, as the recorder's ffmpeg writes them. */
function writeWebm(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath()!, [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error'],
      ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=30:duration=2.5'],
      ...['-c:v', 'libvpx', '-deadline', 'realtime', '-f', 'webm', file],
    ]);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg ${code}`))));
  });
}
