import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { StageMedia } from '../../protocol';
import { rejectsWith, startRelay, type TestRelay } from '../helpers/relay';
import type { TestClient } from '../helpers/TestClient';

const mic = { kind: 'mic', label: 'microphone', preset: 'auto' } as const;
const camera = { kind: 'camera', label: 'camera', preset: 'auto' } as const;
const screenWithSound = { kind: 'tab', label: 'video', preset: 'auto', audio: true } as const;

async function onStage(teacher: TestClient, student: TestClient, media?: StageMedia[]) {
  await teacher.request('stage.invite', { peerId: student.peerId, ...(media && { media }) });
  await student.waitFor('stageInvited');
  await student.request('stage.respond', { accept: true });
}

/** Microphones and cameras follow the stage and the teacher's mutes, enforced by the relay. */
describe('voices and faces: who may send sound and pictures', () => {
  let t: TestRelay;
  beforeEach(async () => {
    // Production limits, but room for a test that toggles more than a person would per second.
    t = await startRelay({ rosterChangesBurst: 30 });
  });
  afterEach(() => t.stop());

  it('off stage a student publishes no microphone, camera or sound at all', async () => {
    await t.teacher();
    const ana = await t.student('Ana');
    for (const params of [mic, camera, screenWithSound]) {
      await rejectsWith(ana.request('share.start', params), 'NOT_ON_STAGE');
    }
    assert.equal(t.room.shares.size, 0);
  });

  it('an invitation for voice only: the microphone goes, a camera or screen does not', async () => {
    const teacher = await t.teacher();
    const screen = await t.screen();
    const ana = await t.student('Ana');
    await onStage(teacher, ana, ['mic']);
    const seen = await screen.waitFor(
      'peerUpdated',
      (p) => p.peer.id === ana.peerId && p.peer.stage === 'on',
    );
    assert.deepEqual(seen.peer.stageMedia, ['mic'], 'the roster shows what she was invited for');
    const { shareId } = await ana.request('share.start', mic);
    const started = await screen.waitFor('shareStarted', (p) => p.share.id === shareId);
    assert.equal(started.share.audio, true, 'a microphone share carries sound');
    assert.equal(started.share.music, undefined, 'voice mode');
    await rejectsWith(ana.request('share.start', camera), 'NOT_INVITED_FOR');
    await rejectsWith(
      ana.request('share.start', { kind: 'screen', label: 's', preset: 'auto' }),
      'NOT_INVITED_FOR',
    );
    // A microphone has no picture: it takes no slot on the screen.
    await teacher.request('ping', {});
    assert.deepEqual(t.room.shares.layout.slots, [null]);
    await rejectsWith(
      teacher.request('layout.set', { mode: 'single', slots: [shareId] }),
      'INVALID_PARAMS',
    );
  });

  it('a mute holds: the microphone ends, screen sound is cut, and only the teacher lifts it', async () => {
    const teacher = await t.teacher();
    const screen = await t.screen();
    const ana = await t.student('Ana');
    await onStage(teacher, ana);
    const { shareId: micShare } = await ana.request('share.start', { ...mic, music: true });
    const { shareId: tab } = await ana.request('share.start', screenWithSound);
    const { shareId: cam } = await ana.request('share.start', camera);

    await teacher.request('peer.mute', { peerId: ana.peerId, kind: 'audio' });
    const stopped = await screen.waitFor('shareStopped', (p) => p.shareId === micShare);
    assert.equal(stopped.reason, 'muted');
    const cut = await screen.waitFor('shareUpdated', (p) => p.share.id === tab);
    assert.equal(cut.share.audio, false, 'the tab goes on without its sound');
    assert.ok(t.room.shares.get(cam), 'the camera stays (only the microphone was muted)');
    assert.deepEqual(await ana.waitFor('muteRequested'), { by: teacher.peerId, kind: 'audio' });
    const muted = await screen.waitFor(
      'peerUpdated',
      (p) => p.peer.id === ana.peerId && p.peer.muted !== undefined,
    );
    assert.deepEqual(muted.peer.muted, { audio: true, video: false });

    // Ana cannot switch herself back on, by any route.
    await rejectsWith(ana.request('share.start', mic), 'MUTED');
    await rejectsWith(ana.request('share.start', screenWithSound), 'MUTED');
    await rejectsWith(
      ana.request('peer.allow', { peerId: ana.peerId, kind: 'all' }),
      'NOT_TEACHER',
    );
    // A resume keeps the mute (it is the member's, not the connection's).
    assert.equal(t.room.members.get(ana.peerId)?.muted.audio, true);

    // She asks; the teacher sees it and allows.
    await ana.request('unmute.ask', {});
    await teacher.waitFor('peerUpdated', (p) => p.peer.id === ana.peerId && !!p.peer.unmuteAsked);
    await teacher.request('peer.allow', { peerId: ana.peerId, kind: 'audio' });
    const allowed = await ana.waitFor('muteRequested', (p) => p.allowed === true);
    assert.equal(allowed.kind, 'audio');
    const free = await screen.waitFor(
      'peerUpdated',
      (p) => p.peer.id === ana.peerId && p.peer.muted === undefined,
    );
    assert.equal(free.peer.unmuteAsked, undefined);
    await ana.request('share.start', mic);

    // Camera off: the camera share ends, the microphone stays.
    await teacher.request('peer.mute', { peerId: ana.peerId, kind: 'video' });
    const camStopped = await screen.waitFor('shareStopped', (p) => p.shareId === cam);
    assert.equal(camStopped.reason, 'muted');
    await rejectsWith(ana.request('share.start', camera), 'MUTED');
  });

  it('a hostile student flooding "ask to speak" costs only herself: one roster change, then RATE_LIMITED', async () => {
    const hostile = await startRelay(); // production limits
    try {
      const teacher = await hostile.teacher();
      const mallory = await hostile.student('Mallory');
      const bo = await hostile.student('Bo');
      await rejectsWith(mallory.request('unmute.ask', {}), 'FORBIDDEN'); // not muted
      await teacher.request('peer.mute', { peerId: mallory.peerId, kind: 'all' });
      await mallory.waitFor('muteRequested');
      const answers = await Promise.all(
        Array.from({ length: 300 }, () =>
          mallory.request('unmute.ask', {}).then(
            () => 'OK',
            (err: { code?: string }) => err.code ?? 'ERR',
          ),
        ),
      );
      const counts = answers.reduce<Record<string, number>>(
        (acc, a) => ({ ...acc, [a]: (acc[a] ?? 0) + 1 }),
        {},
      );
      assert.ok((counts['RATE_LIMITED'] ?? 0) > 250, JSON.stringify(counts));
      await teacher.request('ping', {});
      await bo.request('ping', {});
      const asked = bo
        .received('peerUpdated')
        .filter((p) => p.peer.id === mallory.peerId && p.peer.unmuteAsked);
      assert.equal(asked.length, 1, 'the class saw one change, not 300');
      console.log(`unmute.ask flood of 300: ${JSON.stringify(counts)}`);
    } finally {
      await hostile.stop();
    }
  });

  it('mute all students: every student, never a teacher; a teacher cannot be muted', async () => {
    const teacher = await t.teacher();
    const other = await t.teacher('Mr. Lee');
    const ana = await t.student('Ana');
    const bo = await t.student('Bo');
    await onStage(teacher, ana);
    const { shareId } = await ana.request('share.start', mic);
    await other.request('share.start', mic);
    await teacher.request('peer.muteAll', { kind: 'audio' });
    await bo.waitFor('shareStopped', (p) => p.shareId === shareId);
    for (const s of [ana, bo]) assert.equal(t.room.members.get(s.peerId)?.muted.audio, true);
    assert.equal(t.room.members.get(other.peerId)?.muted.audio, false);
    await rejectsWith(
      teacher.request('peer.mute', { peerId: other.peerId, kind: 'audio' }),
      'FORBIDDEN',
    );
    await rejectsWith(bo.request('peer.muteAll', { kind: 'audio' }), 'NOT_TEACHER');
  });

  it('a student on stage may offer media to the teacher (a 1:1 lesson); off stage not', async () => {
    const teacher = await t.teacher();
    const ana = await t.student('Ana');
    const offer = {
      kind: 'description' as const,
      description: { type: 'offer' as const, sdp: 'v=0\r\n' },
    };
    await rejectsWith(ana.request('signal', { to: teacher.peerId, signal: offer }), 'FORBIDDEN');
    await onStage(teacher, ana);
    await ana.request('signal', { to: teacher.peerId, signal: offer });
    const got = await teacher.waitFor('signal');
    assert.equal(got.from, ana.peerId, 'stamped with the sender');
    // And the teacher may still offer to her (both directions on one link).
    await teacher.request('signal', { to: ana.peerId, signal: offer });
    await ana.waitFor('signal');
  });
});

/** Opus and VP8 parameters a browser would send (one SSRC each). */
const opus = {
  mid: '0',
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 111,
      clockRate: 48000,
      channels: 2,
      parameters: { useinbandfec: 1 },
      rtcpFeedback: [],
    },
  ],
  headerExtensions: [],
  encodings: [{ ssrc: 11111111 }],
  rtcp: { cname: 'ana', reducedSize: true },
};
const vp8 = {
  mid: '1',
  codecs: [
    { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [] },
  ],
  headerExtensions: [],
  encodings: [{ ssrc: 22222222 }],
  rtcp: { cname: 'ana', reducedSize: true },
};

describe('voices through the SFU (real worker): the SFU holds the same rules', () => {
  let r: TestRelay;
  before(async () => {
    r = await startRelay({ rosterChangesBurst: 30 }, { sfu: { listenIp: '127.0.0.1' } });
    assert.equal(await r.relay.startSfu(), true);
  });
  after(() => r.stop());

  it('publishes a voice once, only as sound; a mute closes it server-side and consumers are told', async () => {
    const teacher = await r.teacher();
    const ana = await r.student('Ana');
    const bo = await r.student('Bo');
    await onStage(teacher, ana);
    const { shareId } = await ana.request('share.start', mic);
    const send = await ana.request('sfu.createTransport', { direction: 'send' });
    const produce = (kind: 'audio' | 'video', rtpParameters: object) =>
      ana.request('sfu.produce', {
        transportId: send.id,
        shareId,
        kind,
        rtpParameters: rtpParameters as Record<string, unknown>,
      });
    await rejectsWith(produce('video', vp8), 'FORBIDDEN'); // a microphone has no picture
    const { producerId } = await produce('audio', opus);
    const added = await bo.waitFor('producerAdded', (p) => p.producerId === producerId);
    assert.equal(added.kind, 'audio');
    await rejectsWith(produce('audio', { ...opus, encodings: [{ ssrc: 3333 }] }), 'FORBIDDEN');

    const { rtpCapabilities } = await bo.request('sfu.capabilities', {});
    const recv = await bo.request('sfu.createTransport', { direction: 'recv' });
    const consumer = await bo.request('sfu.consume', {
      transportId: recv.id,
      producerId,
      rtpCapabilities,
    });
    assert.equal(consumer.kind, 'audio');

    await teacher.request('peer.mute', { peerId: ana.peerId, kind: 'audio' });
    const closed = await bo.waitFor('consumerClosed');
    assert.equal(closed.consumerId, consumer.consumerId, 'the SFU closed her voice for Bo');
    await rejectsWith(
      bo.request('sfu.consume', { transportId: recv.id, producerId, rtpCapabilities }),
      'SFU_REJECTED',
    );

    // A screen share with sound: the mute closes only its audio producer.
    await teacher.request('peer.allow', { peerId: ana.peerId, kind: 'audio' });
    const { shareId: tab } = await ana.request('share.start', screenWithSound);
    const tabProduce = (kind: 'audio' | 'video', p: object) =>
      ana.request('sfu.produce', {
        transportId: send.id,
        shareId: tab,
        kind,
        rtpParameters: p as Record<string, unknown>,
      });
    const video = await tabProduce('video', { ...vp8, encodings: [{ ssrc: 4444 }] });
    const sound = await tabProduce('audio', { ...opus, mid: '2', encodings: [{ ssrc: 5555 }] });
    const v = await bo.request('sfu.consume', {
      transportId: recv.id,
      producerId: video.producerId,
      rtpCapabilities,
    });
    const a = await bo.request('sfu.consume', {
      transportId: recv.id,
      producerId: sound.producerId,
      rtpCapabilities,
    });
    await teacher.request('peer.mute', { peerId: ana.peerId, kind: 'audio' });
    const gone = await bo.waitFor('consumerClosed', (p) => p.consumerId === a.consumerId);
    assert.equal(gone.consumerId, a.consumerId);
    await bo.request('sfu.resume', { consumerId: v.consumerId }); // the picture is still there
    await rejectsWith(
      tabProduce('audio', { ...opus, mid: '3', encodings: [{ ssrc: 6666 }] }),
      'MUTED',
    );
  });
});
