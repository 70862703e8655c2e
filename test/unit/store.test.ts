import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import {
  applyNotification,
  applySnapshot,
  initialState,
  selectRoster,
  selectStage,
  useRoom,
} from '../../renderer/src/store';

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
  beforeEach(() => useRoom.setState(initialState, true));

  it('folds a snapshot and deltas into normalized state', () => {
    applySnapshot({ peerId: 'a', role: 'student' }, snapshotWithAna());
    applyNotification({ method: 'peerJoined', params: { peer: peer('b', 'Bo') } });
    applyNotification({
      method: 'shareStarted',
      params: {
        share: { id: 's', peerId: 'b', kind: 'screen', label: 'B', preset: 'auto', audio: false },
      },
    });
    applyNotification({ method: 'peerLeft', params: { peerId: 'a', reason: 'left' } });
    const s = useRoom.getState();
    assert.deepEqual(Object.keys(s.peers), ['b']);
    assert.equal(s.shares['s']?.label, 'B');
    applyNotification({
      method: 'shareStopped',
      params: { shareId: 's', peerId: 'b', reason: 'stopped' },
    });
    assert.deepEqual(useRoom.getState().shares, {});
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
    applySnapshot({ peerId: 'a', role: 'student' }, snapshotWithAna());
    applyNotification({ method: 'stageInvited', params: { by: 't' } });
    assert.equal(useRoom.getState().invitedBy, 't');
    applyNotification({
      method: 'peerUpdated',
      params: { peer: { ...peer('a', 'Ana'), stage: 'on' } },
    });
    assert.equal(useRoom.getState().invitedBy, null);
  });
});
