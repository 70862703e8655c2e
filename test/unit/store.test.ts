import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { serverNotifications, type ServerEvent, type ServerNotification } from '../../protocol';
import { RoomStore, selectRoster, selectStage } from '../../renderer/src/store';

const peer = (id: string, name: string, hand = false) => ({
  id,
  name,
  role: 'student' as const,
  hand,
  stage: 'off' as const,
  online: true,
});

/** A room whose only member is Ana (peer a). */
const snapshotWithAna = () => ({
  room: { id: 'r', name: 'R', locked: false, classId: 'c' },
  peers: [peer('a', 'Ana')],
  shares: [],
  layout: { mode: 'single' as const, slots: [null] },
  chat: [],
});

describe('renderer store', () => {
  let store: RoomStore;
  beforeEach(() => {
    store = new RoomStore();
  });

  it('folds a snapshot and deltas into normalized state', () => {
    store.applySnapshot({ peerId: 'a', role: 'student' }, snapshotWithAna());
    store.apply({ method: 'peerJoined', params: { peer: peer('b', 'Bo') } });
    store.apply({
      method: 'shareStarted',
      params: {
        share: { id: 's', peerId: 'b', kind: 'screen', label: 'B', preset: 'auto', audio: false },
      },
    });
    store.apply({ method: 'peerLeft', params: { peerId: 'a', reason: 'left' } });
    const s = store.state;
    assert.deepEqual(Object.keys(s.peers), ['b']);
    assert.equal(s.shares['s']?.label, 'B');
    store.apply({
      method: 'shareStopped',
      params: { shareId: 's', peerId: 'b', reason: 'stopped' },
    });
    assert.deepEqual(store.state.shares, {});
  });

  it('roster puts raised hands first, then names, and leaves screens out', () => {
    const peers = {
      a: peer('a', 'Zed'),
      b: peer('b', 'Ann'),
      c: peer('c', 'Max', true),
      s: { ...peer('s', 'Screen'), role: 'screen' as const },
    };
    assert.deepEqual(
      selectRoster(peers).map((p) => p.name),
      ['Max', 'Ann', 'Zed'],
    );
  });

  it('stage lists live shares in slot order and skips empty or stale slots', () => {
    const share = (id: string) => ({
      id,
      peerId: 'p',
      kind: 'screen' as const,
      label: id,
      preset: 'auto' as const,
      audio: false,
    });
    const shares = { a: share('a'), b: share('b') };
    assert.deepEqual(
      selectStage(shares, { mode: '2x2', slots: ['b', null, 'gone', 'a'] }).map((s) => s.id),
      ['b', 'a'],
    );
  });

  it('an invitation shows until my stage state moves on', () => {
    store.applySnapshot({ peerId: 'a', role: 'student' }, snapshotWithAna());
    store.apply({ method: 'stageInvited', params: { by: 't' } });
    assert.equal(store.state.invitedBy, 't');
    store.apply({
      method: 'peerUpdated',
      params: { peer: { ...peer('a', 'Ana'), stage: 'on' } },
    });
    assert.equal(store.state.invitedBy, null);
  });

  it('takes every relay notification the protocol has (none falls through)', () => {
    store.applySnapshot({ peerId: 'a', role: 'student' }, snapshotWithAna());
    const samples: { [E in ServerEvent]?: unknown } = {
      chatPosted: {
        message: { id: 'c.1', from: 'a', name: 'Ana', role: 'student', text: 'hi', at: 1 },
      },
      codeChanged: { code: '123456', reason: 'operator' },
      muteRequested: { by: 't', kind: 'audio' },
      screenMessage: { text: 'Fire drill', seconds: 30 },
      removed: { reason: 'classEnded' },
    };
    for (const [event, params] of Object.entries(samples)) {
      const method = event as ServerEvent;
      const parsed = serverNotifications[method].parse(params);
      store.apply({ method, params: parsed } as ServerNotification);
    }
    const s = store.state;
    assert.deepEqual(
      s.chat.map((m) => m.text),
      ['hi'],
    );
    assert.equal(s.code, '123456');
    assert.equal(s.muteRequested, 'audio');
    assert.deepEqual(s.operatorMessage, { text: 'Fire drill' });
    assert.equal(s.endedReason, 'classEnded');
  });
});
