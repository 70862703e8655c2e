import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import type { CloudRecord, ScheduledClass } from '../../protocol';
import { ClassRecorder } from '../../local-ws/record/ClassRecorder';
import type { UploadTarget } from '../../local-ws/record/RecordUploads';
import { startCloud } from '../helpers/cloud';
import { ffmpegPath } from '../../local-ws/record/ffmpeg';
import { ClassScheduler } from '../../local-ws/schedule/ClassScheduler';
import { classCode } from '../../server-kit/classCode';
import { rejectsWith, startRelay, type TestRelay } from '../helpers/relay';

const MIN = 60_000;
const VIOLIN_KEY = 'violin-secret-key-0123456789ab';

/**
 * Scheduled classes on a real relay: the host opens each with a fresh code, warns the
 * teachers, ends it by itself (or later, when extended), records the ones that ask for it, keeps
 * its timetable through a restart, and refuses bad timetables with codes.
 */
describe('scheduled classes', () => {
  let t: TestRelay | null = null;
  let scheduler: ClassScheduler | null = null;
  afterEach(async () => {
    await scheduler?.stop();
    await t?.stop();
  });

  /** A host whose records go to `upload` (a real cloud), when given. */
  async function hostWith(
    file: string,
    restore?: Parameters<typeof startRelay>[2],
    upload?: UploadTarget,
  ) {
    t = await startRelay({}, { sfu: { listenIp: '127.0.0.1' } }, restore);
    new ClassRecorder(t.room, t.relay.sfu, {
      dir: mkdtempSync(path.join(os.tmpdir(), 'lectern-rec-')),
      ffmpeg: ffmpegPath(),
      minFreeBytes: 0,
      ...(upload && { upload }),
    });
    scheduler = new ClassScheduler(t.room, t.relay.registry, { file, tickMs: 100, warnMs: 2000 });
    await scheduler.start();
    return t;
  }

  it('opens a class with a new code, warns, ends it by itself; the next one opens, records, extends', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lectern-sched-')), 'schedule.json');
    const cloudDir = mkdtempSync(path.join(os.tmpdir(), 'lectern-sched-cloud-'));
    const cloud = await startCloud({ records: { dir: cloudDir } });
    after(() => cloud.stop());
    const room = await cloud.addRoom('Room 101');
    const upload = { endpoint: `${cloud.base}/uploads`, roomId: room.id, token: room.token };
    const t = await hostWith(file, undefined, upload);
    const teacher = await t.teacher('Ms. Park');
    const ana = await t.student('Ana');
    const now = Date.now();
    // Scales: one class that ends 3 s from now, one 4 s from now for 5 minutes, one after it.
    const classes: ScheduledClass[] = [
      {
        id: 'theory',
        title: 'Theory',
        teacher: 'Ms. Park',
        start: now + 3000 - 5 * MIN,
        end: now + 3000,
        weekly: false,
        record: false,
      },
      {
        id: 'violin',
        title: 'Violin',
        teacher: 'Ms. Park',
        start: now + 4000,
        end: now + 4000 + 5 * MIN,
        weekly: true,
        record: true,
        key: VIOLIN_KEY,
      },
      {
        id: 'piano',
        title: 'Piano',
        teacher: 'Mr. Kim',
        start: now + 4000 + 10 * MIN,
        end: now + 4000 + 20 * MIN,
        weekly: false,
        record: false,
      },
    ];
    const codeBefore = t.room.code;
    const opened = teacher.waitFor('codeChanged');
    scheduler!.set({ classes });
    assert.equal((await opened).reason, 'newClass', 'a fresh code for the scheduled class');
    assert.notEqual(t.room.code, codeBefore);
    assert.equal(t.room.info().scheduled?.title, 'Theory');
    assert.equal(t.room.info().next?.title, 'Violin');
    const { room: seen } = await ana.waitFor(
      'roomUpdated',
      (p) => p.room.scheduled?.title === 'Theory',
    );
    assert.equal(seen.next?.title, 'Violin', 'everyone sees what is next');

    const warned = await teacher.waitFor('classEnding');
    assert.equal(warned.title, 'Theory');
    assert.equal(ana.received('classEnding').length, 0, 'only teachers are warned');
    await rejectsWith(ana.request('class.extend', { minutes: 10 }), 'NOT_TEACHER');

    // It ends by itself: students leave, a new code.
    const ended = await ana.waitFor('removed');
    assert.equal(ended.reason, 'classEnded');
    assert.ok(Date.now() >= now + 3000);
    // Then Violin opens by itself, with a code of its own, and records.
    const violin = await teacher.waitFor(
      'roomUpdated',
      (p) => p.room.scheduled?.title === 'Violin',
    );
    assert.equal(violin.room.next?.title, 'Piano');
    assert.equal(
      t.room.code,
      classCode(VIOLIN_KEY, { id: 'violin', start: now + 4000 }),
      'the code the console handed out for this class',
    );
    await teacher.waitFor('roomUpdated', (p) => p.room.recording !== undefined);
    assert.equal(t.room.recording.state?.by, 'Ms. Park');
    const [record] = await t.room.recording.library!.list();
    assert.equal(record?.title, 'Violin', 'the record is named after the class');

    // Extended: the end moves; not into Piano.
    const { end } = await teacher.request('class.extend', { minutes: 5 });
    assert.equal(end, classes[1]!.end + 5 * MIN);
    assert.equal(t.room.info().scheduled?.end, end);
    await rejectsWith(teacher.request('class.extend', { minutes: 10 }), 'SCHEDULE_OVERLAP');

    // Kept on disk (0600) as it stands, extension included.
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { running: { end: number } };
    assert.equal(saved.running.end, end);

    // The host restarts mid-class: Violin goes on, same code, same end; no new code.
    const keys = { id: t.room.id, code: t.room.code, screenKey: t.room.screenKey };
    await scheduler!.stop();
    await t.stop();
    const again = await hostWith(file, keys, upload);
    assert.equal(again.room.code, keys.code, 'no new code on a restart mid-class');
    assert.equal(again.room.info().scheduled?.title, 'Violin');
    assert.equal(again.room.info().scheduled?.end, end);

    // A teacher ends it early: it stays ended.
    const t2 = await again.teacher('Ms. Park');
    await t2.request('class.end', {});
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(again.room.info().scheduled, undefined, 'not reopened');
    assert.equal(again.room.info().next?.title, 'Piano');
    await rejectsWith(t2.request('class.extend', { minutes: 5 }), 'NOT_SCHEDULED');

    // A scheduled recording goes to the cloud by itself once it ends (here: the teacher ended
    // the class), nobody pressing anything.
    const listed = async () =>
      (
        await cloud.api<{ records: CloudRecord[] }>('GET', `/api/rooms/${room.id}/records`)
      ).body.records.filter((r) => r.complete);
    const deadline = Date.now() + 20_000;
    while ((await listed()).length < 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const inCloud = await listed();
    assert.deepEqual(
      inCloud.map((r) => [r.title, r.startedBy]),
      [['Violin', 'Ms. Park']],
    );
  });

  it('refuses bad timetables with codes and keeps the one it had', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lectern-sched-')), 'schedule.json');
    await hostWith(file);
    const now = Date.now() + 3600_000;
    const one = (id: string, start: number, end: number): ScheduledClass => ({
      id,
      title: id,
      teacher: '',
      start,
      end,
      weekly: false,
      record: false,
    });
    const good = [one('a', now, now + 10 * MIN)];
    scheduler!.set({ classes: good });
    const refused = (classes: ScheduledClass[]) => {
      try {
        scheduler!.set({ classes });
        return null;
      } catch (err) {
        return (err as { code?: string }).code ?? String(err);
      }
    };
    assert.equal(refused([one('b', now, now - MIN)]), 'SCHEDULE_INVALID', 'ends before it starts');
    assert.equal(
      refused([one('a', now, now + 10 * MIN), one('b', now + 5 * MIN, now + 15 * MIN)]),
      'SCHEDULE_OVERLAP',
    );
    const many = Array.from({ length: 10_000 }, (_, i) =>
      one(`c${i}`, now + i * 20 * MIN, now + i * 20 * MIN + 10 * MIN),
    );
    assert.equal(refused(many), 'SCHEDULE_FULL');
    assert.equal(t!.room.info().next?.title, 'a', 'the good timetable stands');
    await scheduler!.stop();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { classes: unknown[] };
    assert.equal(saved.classes.length, 1);
  });
});
