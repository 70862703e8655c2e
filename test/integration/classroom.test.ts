import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { rejectsWith, startRelay, type TestRelay } from '../helpers/relay';

const offer = {
  kind: 'description' as const,
  description: { type: 'offer' as const, sdp: 'v=0\r\n' },
};

describe('classroom flows', () => {
  let t: TestRelay;
  beforeEach(async () => {
    t = await startRelay();
  });
  afterEach(() => t.stop());

  it('hand → invite → accept → share: the screen goes 2-up; off stage ends the share', async () => {
    const screen = await t.screen();
    const teacher = await t.teacher();
    const ana = await t.student('Ana');

    await ana.request('hand.set', { raised: true });
    const raised = await teacher.waitFor(
      'peerUpdated',
      (p) => p.peer.id === ana.peerId && p.peer.hand,
    );
    assert.equal(raised.peer.stage, 'off');

    await rejectsWith(
      ana.request('share.start', { kind: 'screen', label: 'Ana desktop', preset: 'auto' }),
      'NOT_ON_STAGE',
    );

    const { shareId: teacherShare } = await teacher.request('share.start', {
      kind: 'screen',
      label: 'Teacher desktop',
      preset: 'sharp',
    });
    const single = await screen.waitFor('layoutChanged');
    assert.deepEqual(single.layout, { mode: 'single', slots: [teacherShare] });

    await teacher.request('stage.invite', { peerId: ana.peerId });
    const invite = await ana.waitFor('stageInvited');
    assert.equal(invite.by, teacher.peerId);
    await ana.request('stage.respond', { accept: true });
    const onStage = await screen.waitFor(
      'peerUpdated',
      (p) => p.peer.id === ana.peerId && p.peer.stage === 'on',
    );
    assert.equal(onStage.peer.hand, false, 'going on stage lowers the hand');

    const { shareId: anaShare } = await ana.request('share.start', {
      kind: 'window',
      label: 'Ana slides',
      preset: 'smooth',
      audio: false,
    });
    const started = await screen.waitFor('shareStarted', (p) => p.share.id === anaShare);
    assert.deepEqual(started.share, {
      id: anaShare,
      peerId: ana.peerId,
      kind: 'window',
      label: 'Ana slides',
      preset: 'smooth',
      audio: false,
    });
    const twoUp = await screen.waitFor('layoutChanged', (p) => p.layout.mode === '2up');
    assert.deepEqual(twoUp.layout.slots, [teacherShare, anaShare]);

    await teacher.request('stage.remove', { peerId: ana.peerId });
    const stopped = await screen.waitFor('shareStopped', (p) => p.shareId === anaShare);
    assert.equal(stopped.reason, 'offStage');
    const back = await screen.waitFor('layoutChanged', (p) => p.layout.mode === 'single');
    assert.deepEqual(back.layout.slots, [teacherShare]);
    await rejectsWith(
      ana.request('share.start', { kind: 'screen', label: 'again', preset: 'auto' }),
      'NOT_ON_STAGE',
    );

    await teacher.request('share.stop', { shareId: teacherShare });
    const cleared = await screen.waitFor('layoutChanged', (p) =>
      p.layout.slots.every((s) => s === null),
    );
    assert.equal(cleared.layout.mode, 'single');
  });

  it('a declined invitation leaves the student off stage; respond without invite fails', async () => {
    const teacher = await t.teacher();
    const bo = await t.student('Bo');
    await rejectsWith(bo.request('stage.respond', { accept: true }), 'NO_INVITATION');
    await teacher.request('stage.invite', { peerId: bo.peerId });
    await bo.request('stage.respond', { accept: false });
    const snap = await teacher.request('snapshot', {});
    assert.equal(snap.peers.find((p) => p.id === bo.peerId)?.stage, 'off');
  });

  it('students and screens cannot moderate', async () => {
    const screen = await t.screen();
    const ana = await t.student('Ana');
    const bo = await t.student('Bo');
    for (const c of [ana, screen]) {
      await rejectsWith(c.request('room.lock', { locked: true }), 'NOT_TEACHER');
      await rejectsWith(c.request('stage.invite', { peerId: bo.peerId }), 'NOT_TEACHER');
      await rejectsWith(c.request('stage.remove', { peerId: bo.peerId }), 'NOT_TEACHER');
      await rejectsWith(c.request('peer.remove', { peerId: bo.peerId }), 'NOT_TEACHER');
      await rejectsWith(c.request('peer.mute', { peerId: bo.peerId, kind: 'all' }), 'NOT_TEACHER');
      await rejectsWith(c.request('layout.set', { mode: 'single', slots: [] }), 'NOT_TEACHER');
      await rejectsWith(c.request('class.end', {}), 'NOT_TEACHER');
      await rejectsWith(c.request('room.showCode', { shown: false }), 'NOT_TEACHER');
    }
    await rejectsWith(
      screen.request('share.start', { kind: 'screen', label: 's', preset: 'auto' }),
      'FORBIDDEN',
    );
    const snap = await bo.request('snapshot', {});
    assert.equal(snap.room.locked, false);
    assert.equal(snap.peers.length, 3);
  });

  it('signals carry the relay-stamped sender; a forged from is ignored', async () => {
    const teacher = await t.teacher();
    const screen = await t.screen();
    const ana = await t.student('Ana');
    // On stage, Ana has a media link to the screen (off stage she has none).
    await teacher.request('stage.invite', { peerId: ana.peerId });
    await ana.request('stage.respond', { accept: true });
    await ana.request('signal', {
      to: screen.peerId,
      session: 'share-1',
      signal: offer,
      from: teacher.peerId,
    } as never);
    const got = await screen.waitFor('signal');
    assert.equal(got.from, ana.peerId);
    assert.equal(got.session, 'share-1');
    assert.deepEqual(got.signal, offer);
    const candidate = {
      kind: 'candidate' as const,
      candidate: {
        candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host',
        sdpMid: '0',
        sdpMLineIndex: 0,
      },
    };
    screen.rpc.notify('signal', { to: ana.peerId, signal: candidate });
    assert.deepEqual((await ana.waitFor('signal')).signal, candidate);
    await rejectsWith(
      ana.request('signal', { to: 'nobody', signal: { kind: 'restart' } }),
      'PEER_NOT_FOUND',
    );
  });

  it('an offer sent right behind share.start reaches the screen after the announcement', async () => {
    // The page sends a share's P2P offer without waiting for share.start's answer
    // (controller/Shares.ts): the screen shows only announced streams, so the relay must hand
    // it the announcement first. A student on stage does the same as a teacher.
    const screen = await t.screen();
    const teacher = await t.teacher();
    const ana = await t.student('Ana');
    await teacher.request('stage.invite', { peerId: ana.peerId });
    await ana.request('stage.respond', { accept: true });
    // A few rounds each: starting shares is charged like other roster changes.
    const ROUNDS = 6;
    for (let i = 0; i < ROUNDS; i++) {
      const sender = i % 2 === 0 ? teacher : ana;
      const streamId = `stream-${i}`;
      const starting = sender.request('share.start', {
        kind: 'screen',
        label: `s${i}`,
        preset: 'auto',
        streamId,
      });
      sender.rpc.notify('signal', {
        to: screen.peerId,
        session: streamId,
        signal: { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } },
      });
      // Each pair replaces the last share of that sender (a student keeps few at once).
      const { shareId } = await starting;
      await sender.request('share.stop', { shareId });
    }
    for (let i = 0; i < ROUNDS; i++) {
      await screen.waitFor('signal', (p) => p.session === `stream-${i}`);
    }
    const at = (test: (n: (typeof screen.arrived)[number]) => boolean) =>
      screen.arrived.findIndex(test);
    for (let i = 0; i < ROUNDS; i++) {
      const announced = at(
        (n) => n.method === 'shareStarted' && n.params.share.streamId === `stream-${i}`,
      );
      const offered = at((n) => n.method === 'signal' && n.params.session === `stream-${i}`);
      assert.ok(announced >= 0 && announced < offered, `stream-${i}: announced before its offer`);
    }
  });

  it('signaling across rooms is refused and nothing reaches the other room', async () => {
    const other = t.relay.registry.createRoom('Room 102');
    const inA = await t.student('Ana');
    const inB = await t.student('Bo', other);
    await rejectsWith(inA.request('signal', { to: inB.peerId, signal: offer }), 'PEER_NOT_FOUND');
    await rejectsWith(inA.request('peer.mute', { peerId: inB.peerId, kind: 'all' }), 'NOT_TEACHER');
    const teacherA = await t.teacher();
    await rejectsWith(teacherA.request('stage.invite', { peerId: inB.peerId }), 'PEER_NOT_FOUND');
    await rejectsWith(teacherA.request('peer.remove', { peerId: inB.peerId }), 'PEER_NOT_FOUND');
    // Anything these calls sent Bo would have gone out before their answers, so before the
    // answer to a ping Bo sends now (one socket delivers in order).
    await inB.request('ping', {});
    assert.deepEqual(inB.received('signal'), []);
    assert.deepEqual(inB.received('stageInvited'), []);
  });

  it('chat and reactions reach everyone; chat history is in the snapshot', async () => {
    const teacher = await t.teacher();
    const screen = await t.screen();
    const ana = await t.student('Ana');
    const { id } = await ana.request('chat', { text: '  Can you zoom in?  ' });
    for (const c of [teacher, screen, ana]) {
      const { message } = await c.waitFor('chatPosted');
      assert.equal(message.id, id);
      assert.equal(message.text, 'Can you zoom in?');
      assert.equal(message.from, ana.peerId);
      assert.equal(message.name, 'Ana');
    }
    await teacher.request('react', { emoji: '👍' });
    for (const c of [teacher, screen, ana]) {
      assert.equal((await c.waitFor('reacted')).from, teacher.peerId);
    }
    await rejectsWith(ana.request('react', { emoji: '💩' as never }), 'INVALID_PARAMS');
    const bo = await t.student('Bo');
    const snap = await bo.request('snapshot', {});
    assert.deepEqual(
      snap.chat.map((m) => m.text),
      ['Can you zoom in?'],
    );
  });

  it('layout: the teacher arranges live shares; unknown shares and too many slots are refused', async () => {
    const teacher = await t.teacher();
    const screen = await t.screen();
    const { shareId } = await teacher.request('share.start', {
      kind: 'screen',
      label: 'A',
      preset: 'auto',
    });
    await teacher.request('layout.set', { mode: '2x2', slots: [null, shareId] });
    const changed = await screen.waitFor('layoutChanged', (p) => p.layout.mode === '2x2');
    assert.deepEqual(changed.layout.slots, [null, shareId, null, null]);
    await rejectsWith(
      teacher.request('layout.set', { mode: 'single', slots: ['nope'] }),
      'SHARE_NOT_FOUND',
    );
    await rejectsWith(
      teacher.request('layout.set', { mode: '2up', slots: [null, null, null] }),
      'INVALID_PARAMS',
    );
  });

  it("the screen's corner code: shown by default, a teacher hides and shows it", async () => {
    const screen = await t.screen();
    const teacher = await t.teacher();
    assert.equal((await screen.request('snapshot', {})).room.codeShown, true);
    await teacher.request('room.showCode', { shown: false });
    const hidden = await screen.waitFor('roomUpdated', (p) => p.room.codeShown === false);
    assert.equal(hidden.room.codeShown, false);
    await teacher.request('room.showCode', { shown: true });
    await screen.waitFor('roomUpdated', (p) => p.room.codeShown === true);
  });

  it("each device's connection quality, from its media report, reaches the teachers", async () => {
    const teacher = await t.teacher();
    const ana = await t.student('Ana');
    const stream = {
      id: 's1',
      direction: 'in' as const,
      path: 'sfu' as const,
      codec: 'VP8',
      width: 1280,
      height: 720,
      fps: 30,
      bitrateKbps: 1500,
      packetsLost: 40,
      lossRate: 0.12,
      jitterMs: 20,
      rttMs: 80,
    };
    await ana.request('metrics.report', { streams: [stream], iceFailures: 0, iceInterruptions: 0 });
    const poor = await teacher.waitFor('peerUpdated', (p) => p.peer.id === ana.peerId);
    assert.equal(poor.peer.quality, 'poor');
    await ana.request('metrics.report', {
      streams: [{ ...stream, lossRate: 0, packetsLost: 0 }],
      iceFailures: 0,
      iceInterruptions: 0,
    });
    const good = await teacher.waitFor(
      'peerUpdated',
      (p) => p.peer.id === ana.peerId && p.peer.quality === 'good',
    );
    assert.equal(good.peer.quality, 'good');
  });

  it('mute requests reach only their target', async () => {
    const teacher = await t.teacher();
    const ana = await t.student('Ana');
    const bo = await t.student('Bo');
    await teacher.request('peer.mute', { peerId: ana.peerId, kind: 'audio' });
    assert.deepEqual(await ana.waitFor('muteRequested'), { by: teacher.peerId, kind: 'audio' });
    // A mute for Bo would have reached him before the answer to his ping.
    await bo.request('ping', {});
    assert.deepEqual(bo.received('muteRequested'), []);
  });

  it('removing a device closes it with REMOVED and tells the others', async () => {
    const teacher = await t.teacher();
    const ana = await t.student('Ana');
    await teacher.request('peer.remove', { peerId: ana.peerId });
    assert.deepEqual(await ana.waitFor('removed'), { reason: 'removed' });
    assert.equal((await ana.closed).code, 4002);
    assert.deepEqual(await teacher.waitFor('peerLeft', (p) => p.peerId === ana.peerId), {
      peerId: ana.peerId,
      reason: 'removed',
    });
    const again = await t.connect();
    await rejectsWith(
      again.join({ role: 'student', name: 'Ana', resumeToken: ana.resumeToken }),
      'BAD_RESUME_TOKEN',
    );
    await rejectsWith(teacher.request('peer.remove', { peerId: teacher.peerId }), 'FORBIDDEN');
  });

  it('ending the class sends students home and rotates the code', async () => {
    const teacher = await t.teacher();
    const screen = await t.screen();
    const ana = await t.student('Ana');
    const oldCode = t.room.code;
    await teacher.request('share.start', { kind: 'screen', label: 'A', preset: 'auto' });
    await teacher.request('class.end', {});
    assert.equal((await ana.closed).code, 4003);
    const changed = await screen.waitFor('codeChanged');
    assert.equal(changed.reason, 'newClass');
    assert.notEqual(changed.code, oldCode);
    assert.equal((await teacher.waitFor('codeChanged')).code, changed.code);
    await screen.waitFor('classEnded');
    const late = await t.connect();
    await rejectsWith(late.join({ role: 'student', name: 'Late', code: oldCode }), 'BAD_CODE');
    const ack = await late.join({ role: 'student', name: 'Late', code: changed.code });
    assert.deepEqual(ack.snapshot.shares, []);
    assert.deepEqual(ack.snapshot.chat, []);
    assert.deepEqual(ack.snapshot.peers.map((p) => p.role).sort(), [
      'screen',
      'student',
      'teacher',
    ]);
  });
});
