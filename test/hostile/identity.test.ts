import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCode } from '../../protocol';
import { connectFrom } from '../helpers/hostile';
import { rejectsWith } from '../helpers/relay';
import { spawnRelay, type RelayChild } from '../helpers/spawnRelay';
import type { TestClient } from '../helpers/TestClient';

const TEACHER = 'teacher';
const offer = {
  kind: 'description' as const,
  description: { type: 'offer' as const, sdp: 'v=0\r\n' },
};
const answer = {
  kind: 'description' as const,
  description: { type: 'answer' as const, sdp: 'v=0\r\n' },
};

/** Lying about who one is: other members' devices, streams, names, roles and sessions. */
describe('hostile classmates: identity and provenance', () => {
  let relay: RelayChild;
  let code: string;
  let screenKey: string;
  let n = 10;
  const clients: TestClient[] = [];
  const join = async (params: Record<string, unknown>) => {
    const c = await connectFrom(relay.url, n++);
    clients.push(c);
    await c.join({ code, ...params } as never);
    return c;
  };
  before(async () => {
    relay = await spawnRelay({}, { teacher: TEACHER });
    ({ code, screenKey } = relay.rooms[0]!);
  });
  after(async () => {
    for (const c of clients) c.ws.terminate();
    await relay.stop();
  });

  it('signals only where the media policy has a link, offers only from its sending side', async () => {
    const screen = await join({ role: 'screen', name: 'Screen', credential: screenKey });
    const teacher = await join({ role: 'teacher', name: 'Ms. Park', credential: TEACHER });
    const ana = await join({ role: 'student', name: 'Ana' });
    const bo = await join({ role: 'student', name: 'Bo' });
    await rejectsWith(ana.request('signal', { to: bo.peerId, signal: offer }), 'FORBIDDEN');
    await rejectsWith(ana.request('signal', { to: screen.peerId, signal: offer }), 'NOT_ON_STAGE');
    await rejectsWith(screen.request('signal', { to: teacher.peerId, signal: offer }), 'FORBIDDEN');
    await rejectsWith(ana.request('signal', { to: teacher.peerId, signal: offer }), 'FORBIDDEN');
    // Naming the tracks a share goes on is sending too: a screen cannot.
    const tracks = { kind: 'tracks' as const, streamId: 'any-stream', mids: ['0', '1'] };
    await rejectsWith(
      screen.request('signal', { to: teacher.peerId, signal: tracks }),
      'FORBIDDEN',
    );
    await rejectsWith(
      teacher.request('signal', { to: screen.peerId, signal: { ...tracks, mids: [] } }),
      'INVALID_PARAMS',
    );
    await teacher.request('signal', { to: screen.peerId, signal: tracks });
    // The links that exist: teacher → screen and → students (answers come back).
    await teacher.request('signal', { to: screen.peerId, signal: offer });
    await screen.request('signal', { to: teacher.peerId, signal: answer });
    await teacher.request('signal', { to: ana.peerId, signal: offer });
    await ana.request('signal', { to: teacher.peerId, signal: answer });
    // On stage, a student sends to the screen.
    await teacher.request('stage.invite', { peerId: ana.peerId });
    await ana.request('stage.respond', { accept: true });
    await ana.request('signal', { to: screen.peerId, signal: offer });
    await bo.request('ping', {});
    assert.deepEqual(bo.received('signal'), [], 'nothing reached Bo');
  });

  it('stream ids are one share’s: nobody announces the teacher’s stream as theirs', async () => {
    const teacher = await join({ role: 'teacher', name: 'Mr. Kim', credential: TEACHER });
    const eve = await join({ role: 'student', name: 'Eve' });
    await teacher.request('share.start', {
      kind: 'screen',
      label: 'Slides',
      preset: 'sharp',
      streamId: '{0b1c2d3e-aaaa}',
    });
    await teacher.request('stage.invite', { peerId: eve.peerId });
    await eve.request('stage.respond', { accept: true });
    await rejectsWith(
      eve.request('share.start', {
        kind: 'screen',
        label: 'x',
        preset: 'auto',
        streamId: '{0b1c2d3e-aaaa}',
      }),
      'FORBIDDEN',
    );
    await rejectsWith(
      eve.request('share.start', {
        kind: 'screen',
        label: 'x',
        preset: 'auto',
        streamId: '../../etc',
      }),
      'INVALID_PARAMS',
    );
  });

  it('device ids are bound: nobody takes another member’s, and a resume needs the same device', async () => {
    const ana = await join({ role: 'student', name: 'Ana two', device: 'ana-laptop-000001' });
    const shown = (await ana.request('snapshot', {})).peers.find(
      (p) => p.id === ana.peerId,
    )!.device!;
    assert.notEqual(shown, 'ana-laptop-000001', 'others see a handle, not the device id');
    const thief = await connectFrom(relay.url, n++);
    clients.push(thief);
    // The handle everyone can read does not let anyone in as that device…
    await thief.join({ role: 'student', name: 'Thief', code, device: shown });
    assert.notEqual(
      (await thief.request('snapshot', {})).peers.find((p) => p.id === thief.peerId)!.device,
      shown,
    );
    // …and the device id itself, if it leaked, is refused while its owner is in the room.
    const twin = await connectFrom(relay.url, n++);
    clients.push(twin);
    await rejectsWith(
      twin.join({ role: 'student', name: 'Twin', code, device: 'ana-laptop-000001' }),
      'DEVICE_TAKEN',
    );
    // A stolen resume token from another device takes over nobody.
    const stolen = await connectFrom(relay.url, n++);
    clients.push(stolen);
    await rejectsWith(
      stolen.join({
        role: 'student',
        name: 'x',
        resumeToken: ana.resumeToken,
        device: 'other-device-0001',
      }),
      'BAD_RESUME_TOKEN',
    );
    assert.deepEqual(await ana.request('ping', { t: 1 }), { t: 1 }, 'Ana is still connected');
    // The same device may resume (its page reconnecting); the old socket is told it was replaced.
    const again = await connectFrom(relay.url, n++);
    clients.push(again);
    await again.join({
      role: 'student',
      name: 'x',
      resumeToken: ana.resumeToken,
      device: 'ana-laptop-000001',
    });
    assert.equal((await ana.closed).code, CloseCode.REPLACED);
  });

  it('names: no hidden or direction-changing characters; role words and the teacher’s name are the teacher’s', async () => {
    await join({ role: 'teacher', name: 'Ms. Lee', credential: TEACHER });
    for (const name of [
      'Ana\u202Egnp.exe',
      'A\u200Bna',
      'Ana\u2066x',
      '\u0085Bo',
      'Bo\u2028Li',
      'x\u061Cy',
      '\u00A0\u00A0',
    ]) {
      const c = await connectFrom(relay.url, n++);
      clients.push(c);
      await rejectsWith(
        c.join({ role: 'student', name, code }),
        name.trim() === '' ? 'INVALID_PARAMS' : 'BAD_NAME',
      );
    }
    for (const name of [
      'Ms. Lee',
      'MS LEE',
      'Мs. Lее',
      'Teacher',
      '老师',
      '선생님',
      'ａｄｍｉｎ',
    ]) {
      const c = await connectFrom(relay.url, n++);
      clients.push(c);
      await rejectsWith(c.join({ role: 'student', name, code }), 'NAME_RESERVED');
    }
    const li = await join({ role: 'student', name: '  Li   Wei  ' });
    const me = (await li.request('snapshot', {})).peers.find((p) => p.id === li.peerId)!;
    assert.equal(me.name, 'Li Wei', 'spaces collapsed');
    await rejectsWith(li.request('chat', { text: 'hi \u202Eevil' }), 'BAD_TEXT');
    const { id } = await li.request('chat', { text: 'hello 👋🏽' });
    const { messages } = await li.request('chat.history', { limit: 5 });
    const posted = messages.find((m) => m.id === id)!;
    assert.equal(posted.role, 'student', 'chat carries the sender’s role');
  });
});
