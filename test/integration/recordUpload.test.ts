/**
 * Class records uploaded to the cloud over tus, on a real relay, cloud server and ffmpeg
 * clips: a teacher uploads a record; a connection cut half-way through a file goes on from
 * where it stopped (the bytes on the wire prove it); a host stopped mid-upload finishes the
 * upload when it starts again; the copy in the cloud is byte-for-byte the host's; the console
 * lists it with signed download links that seek and expire; and a room's credential reaches
 * only its own uploads, within its quota, with names that stay inside the record.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClassRecorder } from '../../local-ws/record/ClassRecorder';
import { ffmpegPath } from '../../local-ws/record/ffmpeg';
import type { CloudRecord, RecordUpload } from '../../protocol';
import { startCloud, type TestCloud } from '../helpers/cloud';
import { FaultProxy } from '../helpers/FaultProxy';
import { testManifest } from '../helpers/recorded';
import { rejectsWith, startRelay, type TestRelay } from '../helpers/relay';

const FFMPEG = ffmpegPath()!;
const MB = 1024 ** 2;

function ffmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(FFMPEG, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args]);
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(err.slice(-800)))));
  });
}

/** A record folder as the recorder leaves it: a 720p share (~7 MB of noise), a voice, events. */
async function makeRecord(dir: string, id: string): Promise<string[]> {
  const folder = path.join(dir, id);
  mkdirSync(folder, { recursive: true });
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=4'],
    ...['-vf', 'noise=alls=40:allf=t', '-c:v', 'libvpx', '-deadline', 'realtime'],
    ...['-cpu-used', '8', '-b:v', '16M', '-minrate', '16M', '-maxrate', '16M'],
    ...['-y', path.join(folder, '01-video.webm')],
  ]);
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2:sample_rate=48000'],
    ...['-c:a', 'libopus', '-y', path.join(folder, '02-audio.webm')],
  ]);
  const at = Date.now() - 60_000;
  const stream = (file: string, kind: 'audio' | 'video') => ({
    file,
    kind,
    codec: kind === 'video' ? 'video/VP8' : 'audio/opus',
    startedAt: at,
    endedAt: at + 4000,
    peer: 'Ms. Park',
    role: 'teacher',
    share: { id: file, kind: 'screen' as const, label: 'Desktop' },
  });
  const manifest = testManifest(at, 4000, [
    stream('01-video.webm', 'video'),
    stream('02-audio.webm', 'audio'),
  ]);
  writeFileSync(path.join(folder, 'events.jsonl'), '{"t":10,"method":"chat","params":{}}\n');
  writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
  return ['01-video.webm', '02-audio.webm', 'events.jsonl', 'manifest.json'];
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const sizeOf = (folder: string, names: string[]) =>
  names.reduce((sum, n) => sum + statSync(path.join(folder, n)).size, 0);

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A raw tus request from a (possibly hostile) host. */
function tus(
  base: string,
  method: string,
  pathname: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<Response> {
  return fetch(`${base}${pathname}`, {
    method,
    headers: { 'tus-resumable': '1.0.0', ...headers },
    ...(body && { body }),
  });
}
const meta = (record: string, name: string) =>
  `record ${Buffer.from(record).toString('base64')},name ${Buffer.from(name).toString('base64')}`;

describe('class records uploaded to the cloud', () => {
  let cloud: TestCloud;
  let proxy: FaultProxy;
  let endpoint: string;
  let roomA: { id: string; token: string };
  let roomB: { id: string; token: string };
  const cloudDir = mkdtempSync(path.join(os.tmpdir(), 'lectern-cloud-records-'));
  const hostDir = mkdtempSync(path.join(os.tmpdir(), 'lectern-host-records-'));
  const relays: TestRelay[] = [];
  const ID1 = '2026-12-03-15-00-00-Up1_';
  const ID2 = '2026-12-03-16-00-00-Up2_';
  let files: string[] = [];

  before(async () => {
    cloud = await startCloud({ records: { dir: cloudDir, quotaBytes: 40 * MB } });
    roomA = await cloud.addRoom('Room 101');
    roomB = await cloud.addRoom('Room 102');
    proxy = new FaultProxy(cloud.cloud.port);
    endpoint = `http://127.0.0.1:${await proxy.listen()}/uploads`;
    files = await makeRecord(hostDir, ID1);
    await makeRecord(hostDir, ID2);
  });
  after(async () => {
    for (const r of relays) await r.stop();
    await proxy.close();
    await cloud.stop();
  });

  /**
   * A host run: a relay, and the recorder's library of `hostDir` linked to the cloud (a class
   * on: a teacher is there; uploads keep to `classRate`, by default one that does not slow
   * these tests).
   */
  async function host(classRate = 256 * MB, teacher = true) {
    const t = await startRelay();
    relays.push(t);
    const recorder = new ClassRecorder(t.room, null, {
      dir: hostDir,
      ffmpeg: FFMPEG,
      minFreeBytes: 0,
      upload: {
        endpoint,
        roomId: roomA.id,
        token: roomA.token,
        retryDelays: [100, 200, 400, 800, 1600],
        classBytesPerSecond: classRate,
      },
    });
    return { t, recorder, teacher: teacher ? await t.teacher('Ms. Park') : null! };
  }
  const cloudFolder = (id: string) => path.join(cloudDir, 'rooms', roomA.id, id);

  it(
    'uploads a record; a cut half-way through a file goes on from where it stopped',
    {
      timeout: 90_000,
    },
    async () => {
      const { t, teacher } = await host();
      const ana = await t.student('Ana');
      await rejectsWith(ana.request('records.upload', { id: ID1 }), 'NOT_TEACHER');
      await rejectsWith(
        teacher.request('records.upload', { id: '2026-12-03-15-00-00-none' }),
        'RECORD_NOT_FOUND',
      );
      const listed = await teacher.request('records.list', {});
      assert.equal(listed.cloud, true);
      assert.equal(listed.records.find((r) => r.id === ID1)?.upload, null);

      const total = sizeOf(path.join(hostDir, ID1), files);
      const seen: RecordUpload[] = [];
      const done = teacher.waitFor(
        'recordUpload',
        (p) => {
          if (p.id !== ID1) return false;
          seen.push(p.upload);
          return p.upload.state === 'done' || p.upload.state === 'failed';
        },
        60_000,
      );
      const up0 = proxy.counts.bytesUp;
      proxy.whenUp(3 * MB, 'cut');
      const { upload } = await teacher.request('records.upload', { id: ID1 });
      assert.equal(upload.state, 'queued');
      const end = await done;
      assert.equal(end.upload.state, 'done', end.upload.error);
      assert.equal(proxy.counts.cut, 1, 'the connection was cut once');
      const sent = proxy.counts.bytesUp - up0;
      console.log(
        `upload of ${(total / MB).toFixed(1)} MB with one cut at 3 MB: ${(sent / MB).toFixed(2)} MB ` +
          `on the wire (${(sent / total).toFixed(3)}× the record)`,
      );
      // Restarting the file from zero would cost the 3 MB again (≥ 1.39×).
      assert.ok(sent < total * 1.1, `resumed, not restarted: ${sent} bytes for ${total}`);
      assert.ok(seen.some((u) => u.state === 'uploading'));
      assert.equal(ana.received('recordUpload').length, 0, 'only teachers are told');
      for (const name of files) {
        assert.equal(
          sha(path.join(cloudFolder(ID1), name)),
          sha(path.join(hostDir, ID1, name)),
          name,
        );
      }
      const again = await teacher.request('records.list', {});
      assert.deepEqual(again.records.find((r) => r.id === ID1)?.upload, {
        state: 'done',
        progress: 1,
      });
      // Asked again with nothing new: nothing is sent.
      const before2 = proxy.counts.bytesUp;
      const repeat = teacher.waitFor(
        'recordUpload',
        (p) => p.id === ID1 && p.upload.state === 'done',
      );
      await teacher.request('records.upload', { id: ID1 });
      await repeat;
      assert.equal(proxy.counts.bytesUp - before2, 0);
    },
  );

  it(
    'a host stopped mid-upload finishes it when it starts again',
    { timeout: 60_000 },
    async () => {
      const first = await host();
      const total = sizeOf(path.join(hostDir, ID2), files);
      proxy.whenUp(2 * MB, 'stall');
      await first.teacher.request('records.upload', { id: ID2 });
      const incoming = path.join(cloudDir, 'incoming');
      const partial = () =>
        readdirSync(incoming)
          .filter((n) => !n.endsWith('.json'))
          .reduce((max, n) => Math.max(max, statSync(path.join(incoming, n)).size), 0);
      await until(() => proxy.counts.stall === 1 && partial() > 1.5 * MB, 'a partial upload');
      // The host stops (its relay too); the upload is left half done.
      await first.recorder.library.uploads!.close();
      await first.t.stop();
      relays.splice(relays.indexOf(first.t), 1);
      assert.ok(!statSync(path.join(cloudFolder(ID2)), { throwIfNoEntry: false }));

      const up0 = proxy.counts.bytesUp;
      const second = await host();
      await until(
        () =>
          statSync(path.join(cloudFolder(ID2), 'manifest.json'), { throwIfNoEntry: false }) !==
          undefined,
        'the resumed upload',
        30_000,
      );
      const sent = proxy.counts.bytesUp - up0;
      console.log(
        `upload resumed after a host restart: ${(sent / MB).toFixed(2)} MB of ` +
          `${(total / MB).toFixed(1)} MB sent again`,
      );
      assert.ok(sent < total - 1.4 * MB, `went on from the partial file: ${sent} of ${total}`);
      for (const name of files) {
        assert.equal(
          sha(path.join(cloudFolder(ID2), name)),
          sha(path.join(hostDir, ID2, name)),
          name,
        );
      }
      const listed = await second.teacher.request('records.list', {});
      assert.equal(listed.records.find((r) => r.id === ID2)?.upload?.state, 'done');
    },
  );

  it(
    'during a class uploads keep to the class rate; between classes they go at once',
    {
      timeout: 90_000,
    },
    async () => {
      const [ID3, ID4] = ['2026-12-03-17-00-00-Up3_', '2026-12-03-18-00-00-Up4_'];
      await makeRecord(hostDir, ID3);
      await makeRecord(hostDir, ID4);
      const rate = 2 * MB;
      const inClass = await host(rate);
      const total = sizeOf(path.join(hostDir, ID3), files);
      const done = inClass.teacher.waitFor(
        'recordUpload',
        (p) => p.id === ID3 && p.upload.state === 'done',
        60_000,
      );
      let began = Date.now();
      await inClass.teacher.request('records.upload', { id: ID3 });
      await done;
      const paced = Date.now() - began;
      // The first megabyte goes at once, every one after it waits its turn.
      const floor = ((total - MB) / rate) * 1000;
      console.log(
        `upload during a class at ${rate / MB} MB/s: ${(total / MB).toFixed(1)} MB in ${paced} ms ` +
          `(${(total / MB / (paced / 1000)).toFixed(2)} MB/s)`,
      );
      assert.ok(paced >= floor * 0.95, `kept to the rate: ${paced} ms for ${total} bytes`);

      // Nobody in the room: no class, no cap.
      const idle = await host(rate, false);
      const uploads = idle.recorder.library.uploads!;
      began = Date.now();
      await uploads.start(ID4);
      await until(
        () => existsSync(path.join(cloudFolder(ID4), 'manifest.json')),
        'the idle upload',
      );
      const free = Date.now() - began;
      console.log(`the same upload with no class on: ${free} ms`);
      assert.ok(free < paced / 2, `between classes it goes at once: ${free} ms vs ${paced} ms`);
    },
  );

  it('the console lists records with signed links that seek; delete removes one', async () => {
    const list = await cloud.api<{ records: CloudRecord[]; uploads: boolean }>(
      'GET',
      `/api/rooms/${roomA.id}/records`,
    );
    assert.equal(list.status, 200);
    assert.equal(list.body.uploads, true);
    const ids = list.body.records.map((r) => r.id);
    const starts = list.body.records.map((r) => r.startedAt!);
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => b - a),
      'newest first',
    );
    assert.ok(ids.indexOf(ID2) < ids.indexOf(ID1) && ids.indexOf(ID1) >= 0);
    const r1 = list.body.records.find((r) => r.id === ID1)!;
    assert.equal(r1.complete, true);
    assert.equal(r1.title, 'Violin');
    assert.equal(r1.durationMs, 4000);
    assert.deepEqual(r1.sharers, ['Ms. Park']);
    assert.deepEqual(r1.files.map((f) => f.name).sort(), [...files].sort());
    const video = r1.files.find((f) => f.name === '01-video.webm')!;
    const ranged = await fetch(`${cloud.base}${video.url}`, {
      headers: { range: 'bytes=100-199' },
    });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get('content-type'), 'video/webm');
    assert.equal((await ranged.arrayBuffer()).byteLength, 100);
    const whole = await fetch(`${cloud.base}${video.url}&download`);
    assert.equal(whole.status, 200);
    assert.match(whole.headers.get('content-disposition') ?? '', /attachment/);
    assert.equal((await whole.arrayBuffer()).byteLength, video.bytes);
    // A link whose signature, file or expiry was changed opens nothing.
    const url = new URL(video.url, cloud.base);
    const tampered = [
      url.href.replace(/sig=./, (m) => (m.endsWith('A') ? 'sig=B' : 'sig=A')),
      url.href.replace('01-video.webm', '02-audio.webm'),
      url.href.replace(/exp=\d+/, `exp=${Date.now() + 9e9}`),
      url.href.replace(roomA.id, roomB.id),
    ];
    for (const href of tampered) assert.equal((await fetch(href)).status, 404, href);
    // Operators only.
    const anon = await fetch(`${cloud.base}/api/rooms/${roomA.id}/records`);
    assert.equal(anon.status, 401);

    const del = await cloud.api('DELETE', `/api/rooms/${roomA.id}/records`, { record: ID1 });
    assert.equal(del.status, 200);
    assert.equal((await fetch(`${cloud.base}${video.url}`)).status, 404);
    const gone = await cloud.api('DELETE', `/api/rooms/${roomA.id}/records`, { record: ID1 });
    assert.equal(gone.status, 404);
    const bad = await cloud.api('DELETE', `/api/rooms/${roomA.id}/records`, { record: '../x' });
    assert.equal(bad.status, 400);
  });

  it("a room's credential reaches only its own uploads, in its quota, inside the record", async () => {
    const auth = (room: { id: string; token: string }) => ({
      authorization: `Bearer ${room.token}`,
      'lectern-room': room.id,
    });
    const create = (room: { id: string; token: string }, length: number, m: string) =>
      tus(cloud.base, 'POST', '/uploads', {
        ...auth(room),
        'upload-length': String(length),
        'upload-metadata': m,
      });
    // No credential, a wrong one, another room's.
    assert.equal(
      (await create({ id: roomA.id, token: 'lct_nope' }, 10, meta(ID1, 'a.txt'))).status,
      401,
    );
    assert.equal(
      (await create({ id: roomA.id, token: roomB.token }, 10, meta(ID1, 'a.txt'))).status,
      401,
    );
    const none = await tus(cloud.base, 'POST', '/uploads', { 'upload-length': '10' });
    assert.equal(none.status, 401);
    assert.match(await none.text(), /^UNAUTHORIZED/);
    // Names that leave the record, records that are not ids, no metadata.
    for (const m of [meta(ID1, '../../evil'), meta(ID1, '.hidden'), meta('x/../y', 'a.txt'), '']) {
      const res = await create(roomA, 10, m);
      assert.equal(res.status, 400, m);
    }
    // Over the room's quota (40 MB; it keeps ~8 MB now).
    const big = await create(roomA, 35 * MB, meta(ID1, 'big.webm'));
    assert.equal(big.status, 413);
    assert.match(await big.text(), /^UPLOAD_QUOTA/);
    // Room B may not read, continue or delete room A's upload.
    const ok = await create(roomA, 4, meta(ID1, 'note.txt'));
    assert.equal(ok.status, 201);
    const location = ok.headers.get('location')!;
    assert.match(location, new RegExp(`^/uploads/${roomA.id}-[0-9a-f]{32}$`));
    const patch = (room: { id: string; token: string }) =>
      tus(
        cloud.base,
        'PATCH',
        location,
        { ...auth(room), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
        Buffer.from('evil'),
      );
    assert.equal((await patch(roomB)).status, 404);
    assert.equal((await tus(cloud.base, 'HEAD', location, auth(roomB))).status, 404);
    assert.equal((await tus(cloud.base, 'DELETE', location, auth(roomB))).status, 404);
    assert.equal((await tus(cloud.base, 'GET', location, auth(roomA))).status, 405);
    assert.equal((await patch(roomA)).status, 204);
    assert.equal(readFileSync(path.join(cloudFolder(ID1), 'note.txt'), 'utf8'), 'evil');
    // Paths that try to leave the uploads folder.
    for (const p of [`/uploads/${roomA.id}-..%2F..%2Fx`, `/uploads/../rooms`, '/uploads/x/y']) {
      assert.equal((await tus(cloud.base, 'HEAD', p, auth(roomA))).status, 404, p);
    }
  });

  it('a host with no cloud says so', async () => {
    const t = await startRelay();
    relays.push(t);
    new ClassRecorder(t.room, null, { dir: hostDir, ffmpeg: FFMPEG, minFreeBytes: 0 });
    const teacher = await t.teacher('Ms. Park');
    assert.equal((await teacher.request('records.list', {})).cloud, false);
    await rejectsWith(teacher.request('records.upload', { id: ID1 }), 'CLOUD_UNAVAILABLE');
  });
});
