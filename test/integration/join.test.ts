import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROTOCOL_VERSION } from '../../protocol';
import { rejectsWith, startRelay, TEACHER_SECRET, type TestRelay } from '../helpers/relay';

describe('join', () => {
  let t: TestRelay;
  before(async () => {
    t = await startRelay();
  });
  after(() => t.stop());

  it('acks a student with peer id, resume token and a snapshot without the code', async () => {
    const c = await t.connect();
    const ack = await c.join({ role: 'student', name: 'Ana', code: t.room.code });
    assert.equal(ack.resumed, false);
    assert.equal(ack.role, 'student');
    assert.ok(ack.resumeToken.length >= 16);
    assert.equal(ack.snapshot.room.name, 'Room 101');
    assert.equal(ack.snapshot.code, undefined, 'students never see the join code');
    assert.deepEqual(
      ack.snapshot.peers.find((p) => p.id === ack.peerId),
      { id: ack.peerId, name: 'Ana', role: 'student', hand: false, stage: 'off', online: true },
    );
  });

  it('gives teachers and screens the code, and tells the room who joined', async () => {
    const screen = await t.screen();
    const teacher = await t.connect();
    const ack = await teacher.join({
      role: 'teacher',
      name: 'Mr. Li',
      code: t.room.code,
      credential: TEACHER_SECRET,
    });
    assert.equal(ack.snapshot.code, t.room.code);
    const joined = await screen.waitFor('peerJoined', (p) => p.peer.id === ack.peerId);
    assert.equal(joined.peer.role, 'teacher');
    assert.equal(joined.peer.name, 'Mr. Li');
  });

  it('refuses wrong codes, credentials, screen keys and versions with stable codes', async () => {
    // A socket that has not joined gets a few frames: each attempt on a fresh one.
    let last: Awaited<ReturnType<typeof t.connect>> | undefined;
    const fresh = async () => {
      await last?.close();
      last = await t.connect();
      return last;
    };
    const wrong = t.room.code === '000000' ? '000001' : '000000';
    await rejectsWith(
      (await fresh()).join({ role: 'student', name: 'Eve', code: wrong }),
      'BAD_CODE',
    );
    await rejectsWith((await fresh()).join({ role: 'student', name: 'Eve' }), 'BAD_CODE');
    await rejectsWith(
      (await fresh()).join({
        role: 'teacher',
        name: 'Eve',
        code: t.room.code,
        credential: 'guess',
      }),
      'BAD_CREDENTIAL',
    );
    await rejectsWith(
      (await fresh()).join({ role: 'teacher', name: 'Eve', code: t.room.code }),
      'BAD_CREDENTIAL',
    );
    await rejectsWith(
      (await fresh()).join({ role: 'screen', name: 'Eve', credential: 'x'.repeat(32) }),
      'BAD_CREDENTIAL',
    );
    await rejectsWith(
      (await fresh()).request('join', {
        protocol: PROTOCOL_VERSION + 1,
        role: 'student',
        name: 'Eve',
        code: t.room.code,
      }),
      'VERSION_MISMATCH',
    );
    await rejectsWith(
      (await fresh()).join({ role: 'student', name: '   ', code: t.room.code }),
      'INVALID_PARAMS',
    );
    await rejectsWith((await fresh()).request('chat', { text: 'hi' }), 'NOT_JOINED');
  });

  it('takes frames in the order sent, even behind a join that is still verifying', async () => {
    const c = await t.connect();
    const join = c.request('join', {
      protocol: PROTOCOL_VERSION,
      role: 'teacher',
      name: 'Quick',
      code: t.room.code,
      credential: TEACHER_SECRET,
    });
    const chat = c.request('chat', { text: 'sent before the join ack' });
    const [ack, posted] = await Promise.all([join, chat]);
    assert.ok(ack.peerId);
    assert.ok(posted.id, 'the chat ran after the join, not NOT_JOINED');
  });

  it('refuses a second join on the same connection', async () => {
    const c = await t.student('Bo');
    await rejectsWith(c.join({ role: 'student', name: 'Bo', code: t.room.code }), 'ALREADY_JOINED');
  });

  it('a locked room refuses new students but admits teachers; unlock reopens it', async () => {
    const teacher = await t.teacher();
    await teacher.request('room.lock', { locked: true });
    const late = await t.connect();
    await rejectsWith(
      late.join({ role: 'student', name: 'Late', code: t.room.code }),
      'ROOM_LOCKED',
    );
    const teacher2 = await t.teacher('Co-teacher');
    assert.ok(teacher2.peerId);
    await teacher.request('room.lock', { locked: false });
    const ack = await late.join({ role: 'student', name: 'Late', code: t.room.code });
    assert.equal(ack.snapshot.room.locked, false);
  });
});

describe('join: host without a teacher credential', () => {
  it('refuses every teacher join', async () => {
    const { RelayServer } = await import('../../local-ws');
    const relay = new RelayServer({ host: '127.0.0.1', port: 0 });
    const room = relay.registry.createRoom('No teacher');
    const port = await relay.listen();
    const { TestClient } = await import('../helpers/TestClient');
    const c = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
    await rejectsWith(
      c.join({ role: 'teacher', name: 'T', code: room.code, credential: 'any' }),
      'BAD_CREDENTIAL',
    );
    c.ws.terminate();
    await relay.close();
  });
});

describe('surviving a host restart', () => {
  it('a restored room keeps its id, code and screen key; device ids are in the roster', async () => {
    const first = await startRelay();
    const keys = { id: first.room.id, code: first.room.code, screenKey: first.room.screenKey };
    await first.stop();

    const { RelayServer } = await import('../../local-ws');
    const { TestClient } = await import('../helpers/TestClient');
    const relay = new RelayServer({ host: '127.0.0.1', port: 0 });
    const room = relay.registry.createRoom('Room 101', keys);
    assert.deepEqual({ id: room.id, code: room.code, screenKey: room.screenKey }, keys);
    const url = `ws://127.0.0.1:${await relay.listen()}/ws`;
    const screen = await TestClient.connect(url);
    await screen.join({
      role: 'screen',
      name: 'Screen',
      credential: keys.screenKey,
      device: 'screen-device-1',
    });
    const student = await TestClient.connect(url);
    const ack = await student.join({
      role: 'student',
      name: 'Ana',
      code: keys.code,
      device: 'ana-laptop-42',
    });
    // Others see the device's handle: the same on any relay holding this room's keys.
    assert.equal(
      ack.snapshot.peers.find((p) => p.role === 'screen')?.device,
      room.deviceHandle('screen-device-1'),
    );
    assert.notEqual(room.deviceHandle('screen-device-1'), 'screen-device-1');
    assert.equal(
      (await screen.waitFor('peerJoined')).peer.device,
      room.deviceHandle('ana-laptop-42'),
    );
    const bad = await TestClient.connect(url);
    await rejectsWith(
      bad.join({ role: 'student', name: 'Eve', code: keys.code, device: 'no spaces!' }),
      'INVALID_PARAMS',
    );
    for (const c of [screen, student, bad]) c.ws.terminate();
    await relay.close();
  });
});
