/**
 * Scheduled classes' codes, links and calendar feed, as `npm start` and the cloud run them: the
 * console hands out a class's code and link before it starts, the host opens the class with
 * exactly that code, edits keep the codes, and teachers' calendars read the room's `.ics` feed
 * (no admin token, a secret address that the console can replace).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import ICAL from 'ical.js';
import type { RoomView, ScheduledClass, ScheduleView } from '../../protocol';
import { startCloud } from '../helpers/cloud';
import { until } from '../helpers/media';
import { spawnHost, type HostChild } from '../helpers/spawnHost';
import { TestClient } from '../helpers/TestClient';

const MIN = 60_000;
const WEEK = 7 * 24 * 60 * MIN;

test('a scheduled class opens with the code and link the console handed out; calendars list it', async () => {
  const cloud = await startCloud();
  const { id, token } = await cloud.addRoom('Music room');
  // Whole seconds, as calendars keep them.
  const soon = Math.ceil((Date.now() + 4000) / 1000) * 1000;
  const later = soon + 3 * 3600_000;
  const classes: ScheduledClass[] = [
    {
      id: 'violin',
      title: 'Violin',
      teacher: 'Ms. Park',
      start: soon,
      end: soon + 30 * MIN,
      weekly: true,
      record: false,
    },
    {
      id: 'choir',
      title: 'Choir',
      teacher: '',
      start: later,
      end: later + 45 * MIN,
      weekly: false,
      record: true,
    },
  ];
  const put = (c: ScheduledClass[]) =>
    cloud.api('PUT', `/api/rooms/${id}/schedule`, { classes: c });
  const schedule = async () =>
    (await cloud.api<ScheduleView>('GET', `/api/rooms/${id}/schedule`)).body;
  assert.equal((await put(classes)).status, 200);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-host-'));
  let host: HostChild | null = await spawnHost([
    ...['--data-dir', dir, '--room', 'Music room', '--cloud', cloud.linkUrl],
    ...['--cloud-room', id, '--cloud-token', token],
  ]);
  try {
    const page = `http://127.0.0.1:${new URL(host.url).port}/`;
    const before = await until(
      'the console knows the host page',
      schedule,
      (s) => s.upcoming[0]?.link !== null,
      10_000,
      100,
    );
    assert.ok(
      before.classes.every((c) => c.key && c.key.length >= 22),
      'each class has a key',
    );
    const [violin, choir] = before.upcoming;
    assert.equal(violin?.id, 'violin');
    assert.equal(violin.start, soon);
    assert.match(violin.code, /^\d{6}$/);
    const { body: view } = await cloud.api<RoomView>('GET', `/api/rooms/${id}`);
    assert.ok(view.pin, 'the host told its key pin');
    const pinned = `?code=${violin.code}#pin=${encodeURIComponent(view.pin)}`;
    assert.equal(violin.link, `${page}${pinned}`, 'the http page, to watch');
    assert.equal(violin.secureLink, `${page.replace('http:', 'https:')}${pinned}`);
    assert.equal(choir?.id, 'choir');
    assert.notEqual(choir.code, violin.code);

    // An edit (a new title, the key not sent back) keeps the codes already handed out.
    const edited = classes.map((c) => (c.id === 'violin' ? { ...c, title: 'Violin I' } : c));
    await put(edited);
    const after = await schedule();
    assert.equal(after.upcoming[0]?.title, 'Violin I');
    assert.equal(after.upcoming[0]?.code, violin.code, 'same code after an edit');
    assert.equal(after.classes[0]?.key, before.classes[0]?.key);

    // At its start the host opens the class with that code: a student with the link gets in.
    const teacher = await TestClient.connect(host.url);
    await teacher.join({
      role: 'teacher',
      name: 'Ms. Park',
      code: host.code,
      credential: host.credential!,
    });
    const opened = await teacher.waitFor('codeChanged', undefined, 15_000);
    assert.equal(opened.code, violin.code);
    assert.equal(opened.reason, 'newClass');
    const ana = await TestClient.connect(host.url);
    const joined = await ana.join({ role: 'student', name: 'Ana', code: violin.code });
    assert.equal(joined.snapshot.room.scheduled?.title, 'Violin I');
    const nextWeek = await schedule();
    assert.equal(nextWeek.upcoming[0]?.code, violin.code, 'the running class keeps its code');
    assert.equal(nextWeek.upcoming[0]?.running, true);
    assert.equal(violin.running, false, 'not on before its start');
    ana.ws.terminate();
    teacher.ws.terminate();

    // The calendar feed: no admin token needed, a real iCalendar that a parser reads.
    const feed = await fetch(`${cloud.base}${after.calendar}`);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type') ?? '', /^text\/calendar/);
    const events = new ICAL.Component(ICAL.parse(await feed.text()))
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v));
    const violins = events.filter((e) => e.summary === 'Violin I');
    assert.ok(violins.length >= 12, `weekly: one event per week (${violins.length})`);
    assert.equal(violins[0]!.startDate.toJSDate().getTime(), soon);
    assert.equal(violins[1]!.startDate.toJSDate().getTime(), soon + WEEK);
    assert.equal(violins[0]!.endDate.toJSDate().getTime(), soon + 30 * MIN);
    assert.match(violins[0]!.description, new RegExp(`Join code: ${violin.code}`));
    assert.ok(violins[0]!.description.includes(violin.link!), 'the link is in the event');
    assert.ok(!violins[1]!.description.includes(violin.code), 'each week its own code');
    assert.equal(new Set(events.map((e) => e.uid)).size, events.length, 'unique ids');
    const choirs = events.filter((e) => e.summary === 'Choir');
    assert.equal(choirs.length, 1);
    assert.match(choirs[0]!.description, /recorded/);

    // Wrong secrets, other paths and other methods: 404, the same for all.
    const wrong = after.calendar.replace(/\/[^/]+\.ics$/, '/AAAAAAAAAAAAAAAAAAAAAA.ics');
    for (const p of [
      wrong,
      `/calendar/${id}`,
      `/calendar/${id}/..%2F..%2Fapi%2Frooms.ics`,
      `/calendar/x/${'a'.repeat(22)}.ics`,
    ]) {
      assert.equal((await fetch(`${cloud.base}${p}`)).status, 404, p);
    }
    assert.equal((await fetch(`${cloud.base}${after.calendar}`, { method: 'POST' })).status, 404);
    // The console replaces the address: the old one stops working.
    const fresh = await cloud.api<{ calendar: string }>('POST', `/api/rooms/${id}/calendar`);
    assert.equal(fresh.status, 200);
    assert.notEqual(fresh.body.calendar, after.calendar);
    assert.equal((await fetch(`${cloud.base}${after.calendar}`)).status, 404);
    assert.equal((await fetch(`${cloud.base}${fresh.body.calendar}`)).status, 200);
    assert.equal((await schedule()).calendar, fresh.body.calendar);
    // The API itself still wants the admin token.
    const anon = await fetch(`${cloud.base}/api/rooms/${id}/schedule`);
    assert.equal(anon.status, 401);
  } finally {
    await host?.kill('SIGKILL');
    host = null;
    await cloud.stop();
  }
});
