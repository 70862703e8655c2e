/**
 * A timetable from the cloud's API to the room host, as `npm start` runs it: kept by the cloud
 * while the host is away and sent when it links, sent at once when it changes, kept by the host
 * through a restart while the cloud is down; bad timetables refused by the API with codes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { ScheduledClass } from '../../protocol';
import { startCloud } from '../helpers/cloud';
import { until } from '../helpers/media';
import { spawnHost, type HostChild } from '../helpers/spawnHost';
import { TestClient } from '../helpers/TestClient';

const H = 3600_000;

test('the console schedules a class: the host gets it when it links, on change, and keeps it offline', async () => {
  const cloud = await startCloud();
  const { id, token } = await cloud.addRoom('Music room');
  const at = Date.now() + 2 * H;
  const lesson = (cid: string, title: string, start: number): ScheduledClass => ({
    id: cid,
    title,
    teacher: 'Ms. Park',
    start,
    end: start + H,
    weekly: true,
    record: true,
  });
  const put = (classes: ScheduledClass[]) =>
    cloud.api<{ classes?: number; delivered?: boolean; error?: { code: string } }>(
      'PUT',
      `/api/rooms/${id}/schedule`,
      { classes },
    );
  // Refused with codes, whole.
  const overlap = await put([lesson('a', 'Theory', at), lesson('b', 'Choir', at + H / 2)]);
  assert.equal(overlap.status, 400);
  assert.equal(overlap.body.error?.code, 'SCHEDULE_OVERLAP');
  const bad = await put([{ ...lesson('a', 'Theory', at), end: at - 1 }]);
  assert.equal(bad.body.error?.code, 'SCHEDULE_INVALID');
  const many = await put(
    Array.from({ length: 10_000 }, (_, i) => lesson(`c${i}`, 'Theory', at + i * 2 * H)),
  );
  assert.ok(many.status === 400 || many.status === 413, `refused: ${many.status}`);
  // The host is not linked yet: kept for it.
  const first = await put([lesson('violin', 'Violin', at)]);
  assert.equal(first.status, 200);
  assert.deepEqual(first.body, { classes: 1, delivered: false });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'lectern-host-'));
  const args = ['--data-dir', dir, '--room', 'Music room', '--cloud', cloud.linkUrl];
  const linked = [...args, '--cloud-room', id, '--cloud-token', token];
  let host: HostChild | null = await spawnHost(linked);
  try {
    const credential = host.credential!;
    const teacherOf = async (h: HostChild) => {
      const c = await TestClient.connect(h.url);
      await c.join({ role: 'teacher', name: 'Ms. Park', code: h.code, credential });
      return c;
    };
    let teacher = await teacherOf(host);
    const next = await until(
      'the timetable arrived with the link',
      async () => (await teacher.request('snapshot', {})).room.next,
      (n) => n?.title === 'Violin',
      10_000,
      100,
    );
    assert.equal(next?.start, at);

    // Changed while linked: at once.
    const changed = teacher.waitFor('roomUpdated', (p) => p.room.next?.title === 'Piano');
    const second = await put([lesson('piano', 'Piano', at - H), lesson('violin', 'Violin', at)]);
    assert.deepEqual(second.body, { classes: 2, delivered: true });
    assert.equal((await changed).room.next?.start, at - H);

    // The cloud goes away and the host restarts: it still knows its timetable.
    teacher.ws.terminate();
    await cloud.stop();
    await host.kill('SIGTERM');
    host = await spawnHost(linked);
    teacher = await teacherOf(host);
    const { room } = await teacher.request('snapshot', {});
    assert.equal(room.next?.title, 'Piano', 'kept through a restart with the cloud down');
    teacher.ws.terminate();
  } finally {
    await host?.kill('SIGKILL');
    await cloud.stop().catch(() => undefined);
  }
});
