import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PeerInfo, ReviewStream } from '../../protocol';
import { parseEvents, reviewEvents, type LoggedEvent } from '../../local-ws/record/review';
import { bytes, clock, eventsBy, needsSeek, streamTime } from '../../renderer/src/review/timeline';

const peer = (id: string, name: string, stage: PeerInfo['stage'] = 'off'): PeerInfo => ({
  id,
  name,
  role: 'student',
  hand: false,
  stage,
  online: true,
});

describe('a record as the review shows it', () => {
  it('names who did what, and leaves out what only teachers saw', () => {
    const logged: LoggedEvent[] = [
      { t: 0, method: 'peerJoined', params: { peer: peer('p1', 'Ana') } },
      { t: 500, method: 'peerJoined', params: { peer: peer('p2', 'Ben') } },
      { t: 600, method: 'codeChanged', params: { code: '123456', reason: 'operator' } },
      { t: 700, method: 'lobbyChanged', params: { waiting: [] } },
      { t: 800, method: 'peerUpdated', params: { peer: peer('p2', 'Ben', 'on') } },
      { t: 900, method: 'peerUpdated', params: { peer: peer('p2', 'Ben', 'on') } },
      {
        t: 1000,
        method: 'shareStarted',
        params: {
          share: {
            id: 's1',
            peerId: 'p2',
            kind: 'screen',
            label: 'Slides',
            preset: 'auto',
            audio: false,
          },
        },
      },
      {
        t: 1100,
        method: 'chatPosted',
        params: {
          message: { id: 'm1', from: 'p1', name: 'Ana', role: 'student', text: 'hi', at: 1 },
        },
      },
      {
        t: 1200,
        method: 'shareStopped',
        params: { shareId: 's1', peerId: 'p2', reason: 'stopped' },
      },
      { t: 1300, method: 'peerUpdated', params: { peer: peer('p2', 'Ben', 'off') } },
      { t: 1400, method: 'peerLeft', params: { peerId: 'p1', reason: 'left' } },
      { t: 1500, method: 'peerLeft', params: { peerId: 'nobody', reason: 'left' } },
    ];
    assert.deepEqual(reviewEvents(logged), [
      { t: 500, kind: 'joined', name: 'Ben' },
      { t: 800, kind: 'onStage', name: 'Ben' },
      { t: 1000, kind: 'shareStarted', name: 'Ben', text: 'Slides' },
      { t: 1100, kind: 'chat', name: 'Ana', text: 'hi' },
      { t: 1200, kind: 'shareStopped', name: 'Ben' },
      { t: 1300, kind: 'offStage', name: 'Ben' },
      { t: 1400, kind: 'left', name: 'Ana' },
    ]);
  });

  it('keeps every whole line of a log its host was killed in the middle of', () => {
    const text = '{"t":1,"method":"peerLeft","params":{}}\n{"t":2,"meth';
    assert.deepEqual(
      parseEvents(text).map((e) => e.t),
      [1],
    );
  });
});

describe('the review clock', () => {
  const s: ReviewStream = {
    file: '01-video.webm',
    kind: 'video',
    codec: 'video/VP8',
    peer: 'Ms. Park',
    role: 'teacher',
    label: 'Screen',
    shareKind: 'screen',
    from: 2000,
    to: 5000,
  };
  it('places each stream where it began, and nowhere outside it', () => {
    assert.equal(streamTime(s, 1999, 9000), null);
    assert.equal(streamTime(s, 2000, 9000), 0);
    assert.equal(streamTime(s, 3500, 9000), 1.5);
    assert.equal(streamTime(s, 5000, 9000), null);
    assert.equal(streamTime({ ...s, to: null }, 8999, 9000), 6.999, 'unfinished: to the end');
  });
  it('lets a playing element drift a little, a paused one hardly', () => {
    assert.equal(needsSeek(1.0, 1.2, true), false);
    assert.equal(needsSeek(1.0, 1.5, true), true);
    assert.equal(needsSeek(1.0, 1.2, false), true);
  });
  it('counts the events by a time, and writes times and sizes as people read them', () => {
    const events = [100, 200, 200, 900].map((t) => ({ t, kind: 'chat' as const, name: 'a' }));
    assert.deepEqual(
      [0, 100, 199, 200, 1000].map((t) => eventsBy(events, t)),
      [0, 1, 1, 3, 4],
    );
    assert.deepEqual([0, 65_000, 3_725_000].map(clock), ['0:00', '1:05', '1:02:05']);
    assert.deepEqual([512, 2048, 1.5 * 1024 ** 3].map(bytes), ['512 B', '2 KB', '1.5 GB']);
  });
});
