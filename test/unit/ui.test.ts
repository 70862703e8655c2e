import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TFunction } from 'i18next';
import { judgeQuality, type PeerInfo, type Share, type StreamMetrics } from '../../protocol';
import {
  nextHand,
  nextLayout,
  shortcutOf,
  isTyping,
} from '../../renderer/src/controller/shortcuts';
import { FIT, pan, pinch, toggleAt, zoomAt, zoomKey } from '../../renderer/src/hooks/zoomMath';
import { en } from '../../renderer/src/i18n/en';
import { machineLabel, shareTitle } from '../../renderer/src/i18n/labels';
import { moved, stageCandidates } from '../../renderer/src/store/stageOrder';
import { roomToasts } from '../../renderer/src/store/toasts';
import { initialState } from '../../renderer/src/store';
import { pickTheme } from '../../renderer/src/theme/pick';

const box = { width: 400, height: 225 };

describe('zoom and pan', () => {
  it('zooms around the point under the fingers and keeps it there', () => {
    const z = zoomAt(FIT, 2, 100, 50, box);
    assert.equal(z.scale, 2);
    // The content point under (100, 50) is still under it.
    assert.equal((100 - z.x) / z.scale, 100 / 1);
    assert.equal((50 - z.y) / z.scale, 50 / 1);
  });
  it('never leaves a gap at an edge, never zooms out past fit or in past 6×', () => {
    const z = pan(zoomAt(FIT, 2, 0, 0, box), 500, 500, box);
    assert.deepEqual(z, { scale: 2, x: 0, y: 0 });
    const far = pan(zoomAt(FIT, 2, 0, 0, box), -5000, -5000, box);
    assert.deepEqual(far, { scale: 2, x: -400, y: -225 });
    assert.equal(zoomAt(FIT, 0.5, 10, 10, box).scale, 1);
    assert.equal(zoomAt(FIT, 100, 10, 10, box).scale, 6);
  });
  it('a pinch that spreads fingers zooms in; double tap toggles fit', () => {
    const p = pinch(
      FIT,
      [
        { x: 180, y: 100 },
        { x: 220, y: 100 },
      ],
      [
        { x: 120, y: 100 },
        { x: 280, y: 100 },
      ],
      box,
    );
    assert.equal(p.scale, 4);
    assert.deepEqual(toggleAt(p, 0, 0, box), FIT);
    assert.equal(toggleAt(FIT, 200, 100, box).scale, 2.5);
  });
  it('keys: + − 0, and arrows only when zoomed', () => {
    const zin = zoomKey(FIT, '+', box)!;
    assert.ok(zin.scale > 1);
    assert.ok(zoomKey(zin, '-', box)!.scale < zin.scale);
    assert.deepEqual(zoomKey(zin, '0', box), FIT);
    assert.equal(zoomKey(FIT, 'ArrowLeft', box), null);
    assert.ok(zoomKey(zin, 'ArrowRight', box)!.x < zin.x);
    assert.equal(zoomKey(FIT, 'a', box), null);
  });
});

const peer = (id: string, over: Partial<PeerInfo> = {}): PeerInfo => ({
  id,
  name: id,
  role: 'student',
  hand: false,
  stage: 'off',
  online: true,
  ...over,
});

describe('teacher shortcuts', () => {
  const key = (k: string, target: { tagName?: string; type?: string } | null = null) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    target,
  });
  it('maps keys to actions, not while typing or with a modifier', () => {
    assert.equal(shortcutOf(key('s')), 'share');
    assert.equal(shortcutOf(key('S')), 'share');
    assert.equal(shortcutOf(key('?')), 'help');
    assert.equal(shortcutOf(key('s', { tagName: 'INPUT', type: 'text' })), null);
    assert.equal(shortcutOf(key('s', { tagName: 'INPUT', type: 'checkbox' })), 'share');
    assert.equal(shortcutOf({ ...key('s'), ctrlKey: true }), null);
    assert.equal(isTyping({ tagName: 'TEXTAREA' }), true);
    assert.equal(shortcutOf(key('x')), null);
  });
  it('cycles layouts and finds the first raised hand off stage', () => {
    assert.equal(nextLayout('single'), '2up');
    assert.equal(nextLayout('2x2'), 'single');
    const roster = [
      peer('t', { role: 'teacher', hand: true }),
      peer('a', { hand: true, stage: 'on' }),
      peer('b', { hand: true, online: false }),
      peer('c', { hand: true }),
    ];
    assert.equal(nextHand(roster)?.id, 'c');
    assert.equal(nextHand([peer('d')]), undefined);
  });
});

const share = (id: string, kind: Share['kind'], label = ''): Share => ({
  id,
  peerId: 'p',
  kind,
  label,
  preset: 'auto',
  audio: false,
});

describe('the stage panel', () => {
  it('lists placed shares in slot order, then the others; no microphones', () => {
    const shares = { a: share('a', 'screen'), b: share('b', 'camera'), m: share('m', 'mic') };
    const order = stageCandidates(shares, { mode: 'single', slots: ['b'] }).map((s) => s.id);
    assert.deepEqual(order, ['b', 'a']);
    assert.deepEqual(moved(['a', 'b', 'c'], 0, 2), ['b', 'c', 'a']);
    assert.deepEqual(moved(['a', 'b'], 0, 5), ['a', 'b']);
  });
});

describe('human labels', () => {
  const t = ((k: string) => (en as Record<string, string>)[k] ?? k) as unknown as TFunction;
  it('names the person and what they share; never a browser track label', () => {
    const owner = peer('x', { name: 'Ms. Park', role: 'teacher' });
    assert.equal(
      shareTitle(share('1', 'screen', 'screen:-3:0'), owner, t),
      'Ms. Park — entire screen',
    );
    assert.equal(
      shareTitle(share('2', 'window', 'Slides'), peer('y', { name: 'Ana' }), t),
      'Ana — window: Slides',
    );
    assert.equal(
      shareTitle(share('3', 'camera', 'Integrated Camera'), owner, t),
      'Ms. Park — camera',
    );
    assert.equal(machineLabel('web-contents-media-stream://1:2'), true);
    assert.equal(machineLabel('Lesson 4 — slides.pdf'), false);
    assert.equal(machineLabel('KuzXjssYSnlsL78wjtTBAjjlhIcXdozhekNBW/Yh8czJl+Ni2/V1Wu=='), true);
    assert.equal(machineLabel('Quarterly_report_final_version_2'), false, 'a file name');
    assert.equal(machineLabel('Photosynthesis2023Overview'), false, 'a title in one word');
  });
});

describe('toasts', () => {
  const teacherState = {
    ...initialState,
    me: { peerId: 't', role: 'teacher' as const },
    status: 'joined' as const,
    peers: { t: peer('t', { role: 'teacher' }), a: peer('a') },
  };
  it('tells a teacher of a raised hand and a knock, once', () => {
    const raised = {
      ...teacherState,
      peers: { ...teacherState.peers, a: peer('a', { hand: true }) },
    };
    assert.deepEqual(roomToasts(teacherState, raised), [{ key: 'toast.hand', name: 'a' }]);
    assert.deepEqual(roomToasts(raised, raised), []);
    const knock = { ...teacherState, lobby: [{ id: 'w', name: 'Cy', device: 'Linux · Chrome' }] };
    assert.deepEqual(roomToasts(teacherState, knock), [{ key: 'toast.lobby', name: 'Cy' }]);
  });
  it('tells a student of an invitation and everyone of a lost connection', () => {
    const student = { ...teacherState, me: { peerId: 'a', role: 'student' as const } };
    const invited = { ...student, invitedBy: 't' };
    assert.deepEqual(roomToasts(student, invited), [{ key: 'toast.invited' }]);
    const lost = { ...student, status: 'reconnecting' as const };
    assert.deepEqual(roomToasts(student, lost), [{ key: 'toast.reconnecting' }]);
    assert.deepEqual(roomToasts(lost, student), [{ key: 'toast.reconnected' }]);
  });
});

describe('connection quality', () => {
  const stream = (over: Partial<StreamMetrics>): StreamMetrics => ({
    id: 's',
    direction: 'in',
    path: 'sfu',
    codec: 'VP8',
    width: 1920,
    height: 1080,
    fps: 30,
    bitrateKbps: 2000,
    packetsLost: 0,
    lossRate: 0,
    jitterMs: 2,
    rttMs: 10,
    ...over,
  });
  const m = (streams: StreamMetrics[], iceFailures = 0) => ({
    streams,
    iceFailures,
    iceInterruptions: 0,
  });
  it('is the worst of the streams', () => {
    assert.equal(judgeQuality(m([stream({})])), 'good');
    assert.equal(judgeQuality(m([stream({}), stream({ lossRate: 0.05 })])), 'fair');
    assert.equal(judgeQuality(m([stream({ rttMs: 900 })])), 'poor');
    assert.equal(judgeQuality(m([], 1)), 'poor');
    assert.equal(judgeQuality(m([])), null);
  });
});

describe('themes', () => {
  it('the room screen is dark by default; a choice or ?theme= wins', () => {
    assert.equal(pickTheme({ search: '?screen=k', stored: null, prefersDark: false }), 'dark');
    assert.equal(pickTheme({ search: '', stored: null, prefersDark: false }), 'light');
    assert.equal(pickTheme({ search: '', stored: null, prefersDark: true }), 'dark');
    assert.equal(pickTheme({ search: '', stored: 'light', prefersDark: true }), 'light');
    assert.equal(pickTheme({ search: '?theme=dark', stored: 'light', prefersDark: false }), 'dark');
  });
});
