import { drawnStroke, type BoardInfo, type BoardTarget, type Stroke } from '../../../protocol';
import type { Reducers } from './reducer';
import type { RoomState } from './state';

/** The whiteboard as this page knows it: pages of strokes, annotations by share, lasers. */
export interface BoardState {
  board: BoardInfo | null;
  boardPages: Stroke[][];
  annotations: Record<string, Stroke[]>;
  /** Laser pointers by drawer: where, and when it last moved (they fade). */
  lasers: Record<string, Laser>;
  /** The pages of the last class's board, kept by the host (teachers download them). */
  boardSaved: { page: number; url: string }[] | null;
}

export const initialBoard: BoardState = {
  board: null,
  boardPages: [],
  annotations: {},
  lasers: {},
  boardSaved: null,
};

/** A laser pointer: where, and when it last moved (it fades). */
export interface Laser {
  target: BoardTarget;
  x: number;
  y: number;
  at: number;
}

const sameTarget = (a: BoardTarget, b: BoardTarget) =>
  'page' in a ? 'page' in b && a.page === b.page : 'share' in b && a.share === b.share;

/**
 * The lasers on one target (compare with `useShallow`: a laser on the board does not repaint
 * every share's annotation canvas).
 */
export function lasersOn(s: BoardState, target: BoardTarget): Laser[] {
  return Object.values(s.lasers).filter((l) => sameTarget(l.target, target));
}

/** One empty list for every target without strokes: selectors must return stable values. */
const NONE: Stroke[] = [];

/** The strokes of a target, as the page holds them. */
export function strokesOf(s: BoardState, target: BoardTarget): Stroke[] {
  return 'page' in target
    ? (s.boardPages[target.page] ?? NONE)
    : (s.annotations[target.share] ?? NONE);
}

/** The state with a target's strokes replaced (new arrays, so React sees the change). */
function withStrokes(s: BoardState, target: BoardTarget, list: Stroke[]): Partial<RoomState> {
  if ('share' in target) return { annotations: { ...s.annotations, [target.share]: list } };
  const pages = [...s.boardPages];
  while (pages.length <= target.page) pages.push([]);
  pages[target.page] = list;
  return { boardPages: pages };
}

const same = (s: Stroke, by: string, id: string) => s.by === by && s.id === id;

export const boardReducers = {
  boardChanged: (s, { info }) => {
    const pages = [...s.boardPages];
    while (info && pages.length < info.pages) pages.push([]);
    return { board: info, boardPages: info ? pages : s.boardPages };
  },
  boardDrawn: (s, p) => {
    const list = strokesOf(s, p.target);
    const at = list.findIndex((x) => same(x, p.by, p.id));
    const stroke = drawnStroke(at >= 0 ? list[at] : undefined, p);
    const next = at >= 0 ? list.map((x, i) => (i === at ? stroke : x)) : [...list, stroke];
    return withStrokes(s, p.target, next);
  },
  boardErased: (s, { target, by, id }) =>
    withStrokes(
      s,
      target,
      strokesOf(s, target).filter((x) => !same(x, by, id)),
    ),
  boardRestored: (s, { target, stroke }) =>
    withStrokes(s, target, [
      ...strokesOf(s, target).filter((x) => !same(x, stroke.by, stroke.id)),
      stroke,
    ]),
  boardCleared: (s, { target }) => {
    if ('share' in target) {
      const { [target.share]: _gone, ...rest } = s.annotations;
      return { annotations: rest };
    }
    return withStrokes(s, target, []);
  },
  boardLaser: (s, { by, target, x, y }) => ({
    lasers: { ...s.lasers, [by]: { target, x, y, at: Date.now() } },
  }),
} satisfies Reducers<
  'boardChanged' | 'boardDrawn' | 'boardErased' | 'boardRestored' | 'boardCleared' | 'boardLaser'
>;

export const boardSavedReducers = {
  boardSaved: (_s, { pages }) => ({ boardSaved: pages }),
} satisfies Reducers<'boardSaved'>;

/** Many batches in one message: folded in order into one change (one render). */
export const boardInkReducers = {
  boardInk: (s, { events }) => {
    let state = s;
    let patch: Partial<RoomState> = {};
    for (const e of events) {
      const step =
        e.method === 'boardDrawn'
          ? boardReducers.boardDrawn(state, e.params)
          : boardReducers.boardLaser(state, e.params);
      state = { ...state, ...step };
      patch = { ...patch, ...step };
    }
    return patch;
  },
} satisfies Reducers<'boardInk'>;
