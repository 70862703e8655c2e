import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { rejectsWith, startRelay, type TestRelay } from '../helpers/relay';

describe('resume', () => {
  let t: TestRelay;
  afterEach(() => t.stop());

  it('within the grace period keeps identity, role, stage and shares', async () => {
    t = await startRelay({ resumeGraceMs: 5000 });
    const teacher = await t.teacher();
    const ana = await t.student('Ana');
    await teacher.request('stage.invite', { peerId: ana.peerId });
    await ana.request('stage.respond', { accept: true });
    const { shareId } = await ana.request('share.start', {
      kind: 'screen',
      label: 'Ana',
      preset: 'auto',
    });

    await ana.drop();
    const away = await teacher.waitFor(
      'peerUpdated',
      (p) => p.peer.id === ana.peerId && !p.peer.online,
    );
    assert.equal(away.peer.stage, 'on');

    const back = await t.connect();
    const ack = await back.join({ role: 'student', name: 'ignored', resumeToken: ana.resumeToken });
    assert.equal(ack.resumed, true);
    assert.equal(ack.peerId, ana.peerId);
    assert.equal(ack.role, 'student');
    assert.notEqual(ack.resumeToken, ana.resumeToken, 'tokens rotate on every resume');
    const me = ack.snapshot.peers.find((p) => p.id === ana.peerId);
    assert.deepEqual(me, {
      id: ana.peerId,
      name: 'Ana',
      role: 'student',
      hand: false,
      stage: 'on',
      stageMedia: ['mic', 'camera', 'screen'],
      online: true,
    });
    assert.deepEqual(
      ack.snapshot.shares.map((s) => s.id),
      [shareId],
    );
    await teacher.waitFor('peerUpdated', (p) => p.peer.id === ana.peerId && p.peer.online);

    const replay = await t.connect();
    await rejectsWith(
      replay.join({ role: 'student', name: 'x', resumeToken: ana.resumeToken }),
      'BAD_RESUME_TOKEN',
    );
  });

  it('a resume on a second connection replaces the first', async () => {
    t = await startRelay();
    const teacher = await t.teacher();
    const first = await t.connect();
    await first.join({
      role: 'teacher',
      name: 'Laptop',
      code: t.room.code,
      credential: 'correct horse battery staple',
    });
    const second = await t.connect();
    const ack = await second.join({
      role: 'teacher',
      name: 'Laptop',
      resumeToken: first.resumeToken,
    });
    assert.equal(ack.peerId, first.peerId);
    assert.equal((await first.closed).code, 4004);
    const snap = await teacher.request('snapshot', {});
    assert.equal(snap.peers.find((p) => p.id === first.peerId)?.online, true);
  });

  it('after the grace period the peer is removed, its shares end and the token is dead', async () => {
    t = await startRelay({ resumeGraceMs: 150 });
    const screen = await t.screen();
    const teacher = await t.teacher();
    const { shareId } = await teacher.request('share.start', {
      kind: 'screen',
      label: 'T',
      preset: 'auto',
    });
    await teacher.drop();
    const stopped = await screen.waitFor('shareStopped');
    assert.deepEqual(stopped, { shareId, peerId: teacher.peerId, reason: 'left' });
    assert.deepEqual(await screen.waitFor('peerLeft'), {
      peerId: teacher.peerId,
      reason: 'timeout',
    });
    const late = await t.connect();
    await rejectsWith(
      late.join({ role: 'teacher', name: 'T', resumeToken: teacher.resumeToken }),
      'BAD_RESUME_TOKEN',
    );
  });

  it('leave removes the peer at once and closes the connection', async () => {
    t = await startRelay();
    const screen = await t.screen();
    const ana = await t.student('Ana');
    await ana.request('leave', {});
    assert.deepEqual(await screen.waitFor('peerLeft'), { peerId: ana.peerId, reason: 'left' });
    assert.equal((await ana.closed).code, 4005);
  });

  it('shutting down tells every client and closes with 1001', async () => {
    t = await startRelay();
    const ana = await t.student('Ana');
    await t.relay.close();
    await ana.waitFor('shuttingDown');
    assert.equal((await ana.closed).code, 1001);
    await t.relay.close();
  });
});
