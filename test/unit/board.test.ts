import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOARD_LIMITS, boardMethods, type BoardPoint, type Stroke } from '../../protocol';
import { boardSvg, svgToPng } from '../../local-ws/boardImage';
import { containRect } from '../../renderer/src/board/contentRect';
import { inkOf, strokeAt } from '../../protocol/ink';
import { initialState } from '../../renderer/src/store';
import { boardInkReducers, boardReducers } from '../../renderer/src/store/board';

const style = { tool: 'pen' as const, color: '#000000', width: 2 };

/** A finished stroke of `tool` through `points`; `more` changes any other field. */
const stroke = (
  tool: Stroke['tool'],
  points: BoardPoint[],
  more: Partial<Stroke> = {},
): Stroke => ({
  id: 'i',
  by: 'p',
  tool,
  color: '#111827',
  width: 4,
  points,
  done: true,
  ...more,
});

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

describe('many batches in one message (boardInk)', () => {
  it('folds them in order into one change, as if they came one by one', () => {
    const open = {
      ...initialState,
      ...boardReducers.boardChanged(initialState, {
        info: { background: 'blank', pages: 1, page: 0, everyone: false },
      }),
    };
    const drawn = (from: number, points: BoardPoint[], done: boolean) => ({
      method: 'boardDrawn' as const,
      params: { target: { page: 0 }, id: 'a', by: 'p', ...style, from, points, done },
    });
    const events = [
      drawn(0, [[0.1, 0.1, 0.5]], false),
      { method: 'boardLaser' as const, params: { target: { page: 0 }, by: 'q', x: 0.5, y: 0.5 } },
      drawn(
        1,
        [
          [0.2, 0.2, 0.5],
          [0.3, 0.3, 0.5],
        ],
        true,
      ),
    ];
    const folded = { ...open, ...boardInkReducers.boardInk(open, { events }) };
    let oneByOne = open;
    for (const e of events) {
      const step =
        e.method === 'boardDrawn'
          ? boardReducers.boardDrawn(oneByOne, e.params)
          : boardReducers.boardLaser(oneByOne, e.params);
      oneByOne = { ...oneByOne, ...step };
    }
    assert.deepEqual(folded.boardPages, oneByOne.boardPages);
    assert.equal(folded.boardPages[0]![0]!.points.length, 3);
    assert.equal(folded.boardPages[0]![0]!.done, true);
    assert.deepEqual(Object.keys(folded.lasers), ['q']);
  });
});

describe('ink', () => {
  it('a pen stroke is a filled outline around its points, in pixels', () => {
    const ink = inkOf(
      stroke('pen', [
        [0.25, 0.5, 0.5],
        [0.5, 0.5, 0.5],
        [0.75, 0.5, 0.5],
      ]),
      1600,
      900,
    );
    assert.ok(ink.fill && ink.fill.length > 6);
    const xs = ink.fill.map(([x]) => x);
    assert.ok(Math.min(...xs) > 380 && Math.max(...xs) < 1220, 'around 400–1200 px');
    assert.equal(ink.alpha, 1);
    assert.ok(
      inkOf(
        stroke('highlighter', [
          [0, 0, 0.5],
          [1, 1, 0.5],
        ]),
        100,
        100,
      ).alpha < 1,
    );
  });
  it('shapes come from their start and end', () => {
    const arrow = inkOf(
      stroke('arrow', [
        [0, 0, 0.5],
        [0.5, 0, 0.5],
      ]),
      1000,
      500,
    );
    assert.deepEqual(arrow.lines![0], [
      [0, 0],
      [500, 0],
    ]);
    assert.equal(arrow.lines![1]!.length, 3, 'a head with two wings');
    const e = inkOf(
      stroke('ellipse', [
        [0.2, 0.2, 0.5],
        [0.4, 0.6, 0.5],
      ]),
      100,
      100,
    ).ellipse!;
    assert.deepEqual([e.cx, e.cy, e.rx, e.ry].map(Math.round), [30, 40, 10, 20]);
  });
  it('the eraser finds the last stroke under the point', () => {
    const a = { ...stroke('pen', [[0.5, 0.5, 0.5]]), id: 'a' };
    const b = {
      ...stroke('rect', [
        [0.4, 0.4, 0.5],
        [0.6, 0.6, 0.5],
      ]),
      id: 'b',
    };
    assert.equal(strokeAt([a, b], 0.5, 0.5)?.id, 'b');
    assert.equal(strokeAt([a], 0.5, 0.505)?.id, 'a');
    assert.equal(strokeAt([a, b], 0.9, 0.9), undefined);
  });
});

describe('where a share’s picture sits in its box (annotations are laid over it)', () => {
  it('fits the frame, centred, with bars on two sides', () => {
    // 1920×1080 on a 390×844 phone: full width, bars above and below.
    const phone = containRect(390, 844, 1920, 1080);
    assert.equal(phone.width, 390);
    assert.ok(Math.abs(phone.height - 219.375) < 1e-9);
    assert.ok(Math.abs(phone.top - (844 - 219.375) / 2) < 1e-9);
    assert.equal(phone.left, 0);
    // 4:3 on a 16:9 screen: bars left and right.
    const screen = containRect(1920, 1080, 1024, 768);
    assert.deepEqual(screen, { left: 240, top: 0, width: 1440, height: 1080 });
    // Before the first frame there is no picture size: the whole box.
    assert.deepEqual(containRect(300, 200, 0, 0), { left: 0, top: 0, width: 300, height: 200 });
  });
});

describe('a board page as a PNG (records and exports)', () => {
  const line: BoardPoint[] = [
    [0.2, 0.4, 0.5],
    [0.6, 0.5, 0.5],
  ];
  it('draws ink, and text with the system’s fonts (read only when a page has text)', async () => {
    const blank = await svgToPng(boardSvg([], 'grid'));
    const pen = stroke('pen', line, { id: 'pen', width: 8 });
    const ink = await svgToPng(boardSvg([pen], 'grid'));
    assert.ok(!ink.equals(blank), 'the pen stroke is drawn');
    const words = await svgToPng(
      boardSvg(
        [pen, stroke('text', line, { id: 'text', text: 'Photosynthesis 光合作用' })],
        'grid',
      ),
    );
    assert.ok(!words.equals(ink), 'the text is drawn, so its fonts were read');
  });
});
