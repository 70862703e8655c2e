import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RoomHost } from '../../local-ws';
import { startCloud } from '../helpers/cloud';
import { rejectsWith } from '../helpers/relay';
import { TestClient } from '../helpers/TestClient';

const TEACHER = 'teacher-credential-1';

describe('remembered devices', () => {
  it('come back without the code after it rotated; a forgotten credential stops at once; no credential leaks', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lectern-devices-'));
    process.env['LECTERN_TEACHER_CREDENTIAL'] = TEACHER;
    const cloud = await startCloud();
    const linked = await cloud.addRoom('Room 7');
    const options = {
      dataDir,
      roomName: 'Room 7',
      staticDir: '',
      host: '127.0.0.1',
      port: 0,
      cloud: { url: cloud.linkUrl, roomId: linked.id, token: linked.token, persist: false },
    };
    let host = new RoomHost(options);
    let { room, port } = await host.start();
    const url = () => `ws://127.0.0.1:${port}/ws`;
    const clients: TestClient[] = [];
    const connect = async () => {
      const c = await TestClient.connect(url());
      clients.push(c);
      return c;
    };
    /** A new connection joining with a remembered device's credential, no code. */
    const comeBack = async (role: 'teacher' | 'student', name: string, deviceCredential: string) =>
      (await connect()).join({ role, name, deviceCredential });
    try {
      const teacher = await connect();
      await teacher.join({
        role: 'teacher',
        name: 'Ms. Park',
        code: room.code,
        credential: TEACHER,
      });
      const ana = await connect();
      await ana.join({ role: 'student', name: 'Ana', code: room.code });
      const anaDevice = await ana.request('device.remember', {});
      const teacherDevice = await teacher.request('device.remember', {});
      await rejectsWith(ana.request('device.remember', {}), 'FORBIDDEN');
      await rejectsWith(ana.request('device.list', {}), 'NOT_TEACHER');
      const secrets = [anaDevice.credential, teacherDevice.credential];

      // A new class: a new code. Ana and the teacher come back without it (and the teacher
      // without the teacher credential), even after the host restarts.
      const oldCode = room.code;
      room.endClass();
      for (const c of clients) await c.close();
      clients.length = 0;
      await host.stop();
      host = new RoomHost(options);
      ({ room, port } = await host.start());
      assert.notEqual(room.code, oldCode);
      const back = await comeBack('student', 'Ana', anaDevice.credential);
      assert.equal(back.role, 'student');
      const teacher2 = await connect();
      const t = await teacher2.join({
        role: 'teacher',
        name: 'Ms. Park',
        deviceCredential: teacherDevice.credential,
      });
      assert.equal(t.role, 'teacher');
      // A student's credential does not make a teacher; a made-up one is refused.
      await rejectsWith(comeBack('teacher', 'Ana', anaDevice.credential), 'BAD_DEVICE_CREDENTIAL');
      await rejectsWith(comeBack('student', 'Eve', 'x'.repeat(43)), 'BAD_DEVICE_CREDENTIAL');

      const { devices } = await teacher2.request('device.list', {});
      assert.deepEqual(devices.map((d) => [d.name, d.role]).sort(), [
        ['Ana', 'student'],
        ['Ms. Park', 'teacher'],
      ]);
      // The teacher forgets Ana's device: her credential stops working at once.
      assert.deepEqual(await teacher2.request('device.forget', { id: anaDevice.id }), {
        forgotten: 1,
      });
      await rejectsWith(comeBack('student', 'Ana', anaDevice.credential), 'BAD_DEVICE_CREDENTIAL');

      // Nowhere to be read: snapshots, the host's file, its log, what the cloud holds.
      const snap = await teacher2.request('snapshot', {});
      await sleep(500);
      const cloudView = await cloud.api('GET', `/api/rooms/${linked.id}`);
      assert.equal(cloudView.status, 200);
      const stored = await fs.readFile(path.join(dataDir, 'devices.json'), 'utf8');
      assert.match(stored, /Ms\. Park/);
      assert.equal(
        ((await fs.stat(path.join(dataDir, 'devices.json'))).mode & 0o777).toString(8),
        '600',
      );
      for (const secret of secrets) {
        for (const [where, text] of [
          ['snapshot', JSON.stringify(snap)],
          ['device list', JSON.stringify(devices)],
          ['devices.json', stored],
          ['cloud', JSON.stringify(cloudView.body)],
        ] as const) {
          assert.ok(!text.includes(secret), `credential visible in ${where}`);
        }
      }
      assert.deepEqual(await teacher2.request('device.forget', { all: true }), { forgotten: 1 });
      await rejectsWith(
        comeBack('teacher', 'Ms. Park', teacherDevice.credential),
        'BAD_DEVICE_CREDENTIAL',
      );
    } finally {
      for (const c of clients) await c.close().catch(() => undefined);
      await host.stop();
      await cloud.stop();
      delete process.env['LECTERN_TEACHER_CREDENTIAL'];
    }
  });

  it('wrong device credentials are charged like wrong teacher credentials', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lectern-devices-'));
    const host = new RoomHost({
      dataDir,
      roomName: 'R',
      staticDir: '',
      host: '127.0.0.1',
      port: 0,
    });
    const { port } = await host.start();
    try {
      const codes: string[] = [];
      for (let i = 0; i < 8; i++) {
        const c = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
        try {
          await c.join({ role: 'student', name: `G${i}`, deviceCredential: `guess-${i}` });
        } catch (err) {
          codes.push((err as { code: string }).code);
        }
        await c.close();
      }
      assert.deepEqual(codes.slice(0, 5), Array(5).fill('BAD_DEVICE_CREDENTIAL'));
      assert.ok(
        codes.slice(5).every((c) => c === 'RATE_LIMITED'),
        codes.join(),
      );
    } finally {
      await host.stop();
    }
  });
});
