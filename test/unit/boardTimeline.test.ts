/** The board replayed from a record's log into frames for the exported video. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boardTimeline } from '../../local-ws/record/boardTimeline';
import type { LoggedEvent } from '../../local-ws/record/review';

const info = (page: number, pages = 2, background = 'grid') => ({
  info: { background, pages, page, everyone: false },
});
const drawn = (id: string, page: number, points: number[][], from = 0, done = true) => ({
  target: { page },
  id,
  by: 'p1',
  tool: 'pen',
  color: '#e03131',
  width: 10,
  from,
  points,
  done,
});
const ev = (t: number, method: string, params: unknown) => ({ t, method, params }) as LoggedEvent;

describe('board timeline', () => {
  it('opens, draws at most a frame a second, follows pages, closes and reopens', () => {
    const log = [
      ev(0, 'peerJoined', {}),
      ev(1000, 'boardChanged', info(0)),
      ev(1200, 'boardDrawn', drawn('a', 0, [[0.1, 0.1, 0.5]], 0, false)),
      ev(1700, 'boardDrawn', drawn('a', 0, [[0.2, 0.2, 0.5]], 1)),
      ev(2500, 'boardInk', {
        events: [{ method: 'boardDrawn', params: drawn('b', 0, [[0.5, 0.5, 0.5]]) }],
      }),
      ev(4000, 'boardChanged', info(1)),
      ev(4500, 'boardDrawn', drawn('c', 1, [[0.3, 0.3, 0.5]])),
      ev(4600, 'boardLaser', { target: { page: 1 }, by: 'p1', x: 0.5, y: 0.5 }),
      ev(6000, 'boardChanged', { info: null }),
      ev(8000, 'boardChanged', info(0, 2, 'blank')),
      ev(8100, 'boardErased', { target: { page: 0 }, by: 'p1', id: 'a' }),
      ev(8200, 'boardDrawn', { nonsense: true }),
    ];
    const stretches = boardTimeline(log, 9000);
    assert.deepEqual(
      stretches.map((s) => [s.fromMs, s.toMs]),
      [
        [1000, 6000],
        [8000, 9000],
      ],
    );
    const [first, second] = stretches;
    const ids = (f: { strokes: { id: string }[] }) => f.strokes.map((s) => s.id).join('');
    assert.deepEqual(
      first!.frames.map((f) => [f.fromMs, f.toMs, ids(f)]),
      [
        [1000, 2000, 'a'],
        [2000, 4000, 'ab'],
        [4000, 6000, 'c'],
      ],
    );
    // The stroke drawn in two batches is whole: points from `from` on were appended.
    assert.deepEqual(first!.frames[0]!.strokes[0]!.points, [
      [0.1, 0.1, 0.5],
      [0.2, 0.2, 0.5],
    ]);
    assert.equal(first!.frames[0]!.background, 'grid');
    // Reopened blank with stroke "a" erased; the malformed event is ignored.
    assert.deepEqual(
      second!.frames.map((f) => [f.fromMs, f.toMs, f.background, ids(f)]),
      [[8000, 9000, 'blank', 'b']],
    );
  });

  it('a board open when recording began starts at 0 with its strokes; no board: nothing', () => {
    const log = [
      ev(0, 'boardChanged', info(0)),
      ev(0, 'boardRestored', {
        target: { page: 0 },
        stroke: { ...drawn('x', 0, [[0.1, 0.1, 0.5]]) },
      }),
    ];
    const [only] = boardTimeline(log, 2500);
    assert.deepEqual(
      only!.frames.map((f) => [f.fromMs, f.toMs, f.strokes.length]),
      [[0, 2500, 1]],
    );
    assert.deepEqual(boardTimeline([ev(0, 'peerJoined', {})], 5000), []);
  });
});
