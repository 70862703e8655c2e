import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOARD_LIMITS, boardMethods } from '../../protocol';
import { initialState } from '../../renderer/src/store';
import { boardReducers } from '../../renderer/src/store/board';

const style = { tool: 'pen' as const, color: '#000000', width: 2 };

describe('board schemas', () => {
  const draw = boardMethods['board.draw'].params;
  const ok = { target: { page: 0 }, id: 's', ...style, points: [[0.5, 0.5, 0.5]], done: false };
  it('takes finite coordinates in 0–1 only, bounded batches, known tools', () => {
    assert.equal(draw.safeParse(ok).success, true);
    for (const bad of [Infinity, -Infinity, NaN, 1.0001, -0.0001]) {
      assert.equal(
        draw.safeParse({ ...ok, points: [[bad, 0.5, 0.5]] }).success,
        false,
        String(bad),
      );
    }
    const many = Array.from({ length: BOARD_LIMITS.pointsPerBatch + 1 }, () => [0, 0, 0]);
    assert.equal(draw.safeParse({ ...ok, points: many }).success, false);
    assert.equal(draw.safeParse({ ...ok, tool: 'spray' }).success, false);
    assert.equal(draw.safeParse({ ...ok, target: { page: 0, share: 'x' } }).success, false);
    assert.equal(draw.safeParse({ ...ok, target: { page: BOARD_LIMITS.pages } }).success, false);
  });
});

describe('the page’s board', () => {
  it('appends streamed batches, replaces a shape’s end, erases and restores', () => {
    let s = {
      ...initialState,
      ...boardReducers.boardChanged(initialState, {
        info: { background: 'blank', pages: 1, page: 0, everyone: false },
      }),
    };
    const drawn = (from: number, points: [number, number, number][], done = false) =>
      boardReducers.boardDrawn(s, {
        target: { page: 0 },
        id: 'a',
        by: 'p',
        ...style,
        from,
        points,
        done,
      });
    s = { ...s, ...drawn(0, [[0, 0, 0.5]]) };
    s = {
      ...s,
      ...drawn(1, [
        [0.1, 0.1, 0.5],
        [0.2, 0.2, 0.5],
      ]),
    };
    assert.equal(s.boardPages[0]![0]!.points.length, 3);
    s = { ...s, ...drawn(1, [[0.9, 0.9, 0.5]], true) };
    assert.deepEqual(s.boardPages[0]![0]!.points, [
      [0, 0, 0.5],
      [0.9, 0.9, 0.5],
    ]);
    const stroke = s.boardPages[0]![0]!;
    s = { ...s, ...boardReducers.boardErased(s, { target: { page: 0 }, by: 'p', id: 'a' }) };
    assert.equal(s.boardPages[0]!.length, 0);
    s = { ...s, ...boardReducers.boardRestored(s, { target: { page: 0 }, stroke }) };
    assert.equal(s.boardPages[0]!.length, 1);
    s = { ...s, ...boardReducers.boardCleared(s, { target: { page: 0 } }) };
    assert.equal(s.boardPages[0]!.length, 0);
  });
});
