import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RoomHost } from '../../local-ws';
import { rejectsWith } from '../helpers/relay';
import { TestClient } from '../helpers/TestClient';

const FIRST = 'first-credential-123';
const NEXT = 'a brand new credential';

describe('teacher credential change', () => {
  it('a teacher replaces it; the old one stops working, the new one survives a host restart', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lectern-cred-'));
    process.env['LECTERN_TEACHER_CREDENTIAL'] = FIRST;
    const options = { dataDir, roomName: 'Room 9', staticDir: '', host: '127.0.0.1', port: 0 };
    let host = new RoomHost(options);
    let { room, port } = await host.start();
    const url = () => `ws://127.0.0.1:${port}/ws`;
    const teacherJoin = async (credential: string) => {
      const c = await TestClient.connect(url());
      return { c, ack: c.join({ role: 'teacher', name: 'T', code: room.code, credential }) };
    };
    try {
      const { c: teacher, ack } = await teacherJoin(FIRST);
      await ack;
      const student = await TestClient.connect(url());
      await student.join({ role: 'student', name: 'S', code: room.code });
      await rejectsWith(
        student.request('teacher.setCredential', { current: FIRST, next: NEXT }),
        'NOT_TEACHER',
      );
      await rejectsWith(
        teacher.request('teacher.setCredential', { current: 'not it', next: NEXT }),
        'BAD_CREDENTIAL',
      );
      await rejectsWith(
        teacher.request('teacher.setCredential', { current: FIRST, next: 'short' }),
        'INVALID_PARAMS',
      );
      assert.deepEqual(
        await teacher.request('teacher.setCredential', { current: FIRST, next: NEXT }),
        {},
      );
      await rejectsWith((await teacherJoin(FIRST)).ack, 'BAD_CREDENTIAL');
      await (
        await teacherJoin(NEXT)
      ).ack;

      await host.stop();
      host = new RoomHost(options);
      ({ room, port } = await host.start());
      await rejectsWith((await teacherJoin(FIRST)).ack, 'BAD_CREDENTIAL');
      await (
        await teacherJoin(NEXT)
      ).ack;
      const stored = await fs.readFile(path.join(dataDir, 'host.json'), 'utf8');
      assert.ok(!stored.includes(NEXT) && !stored.includes(FIRST), 'only hashes are stored');
    } finally {
      delete process.env['LECTERN_TEACHER_CREDENTIAL'];
      await host.stop();
    }
  });
});
