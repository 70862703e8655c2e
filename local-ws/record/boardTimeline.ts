/**
 * The board on a record's timeline, for "export as one video": the board's events in the
 * record's log replayed into frames — while the board is open, the page on the room screen as
 * it stood, a new frame when the page or background changes and, while people draw, at most
 * one a second (a frame shows its second's ink from its start). Pure: exportVideo.ts renders
 * each frame to an image.
 */
import {
  drawnStroke,
  serverNotifications,
  type BoardBackground,
  type BoardInfo,
  type BoardTarget,
  type Stroke,
} from '../../protocol';
import type { LoggedEvent } from './review';

export interface BoardFrame {
  fromMs: number;
  toMs: number;
  background: BoardBackground;
  strokes: Stroke[];
}

/** One open stretch of the board: from when it opened until it closed (or the record ended). */
export interface BoardStretch {
  fromMs: number;
  toMs: number;
  frames: BoardFrame[];
}

const STEP_MS = 1000;

/** What the room screen shows of the board after an event (null: closed). */
interface Shown {
  background: BoardBackground;
  page: number;
  /** The page's strokes (a new array whenever they change). */
  strokes: Stroke[];
}

/** The board after each of its events, in order. */
function replay(logged: readonly LoggedEvent[]): { t: number; shown: Shown | null }[] {
  let info: BoardInfo | null = null;
  let pages: Stroke[][] = [];
  const same = (s: Stroke, by: string, id: string) => s.by === by && s.id === id;
  const onPage = (target: BoardTarget, change: (list: Stroke[]) => Stroke[]) => {
    if (!('page' in target)) return;
    pages = [...pages];
    while (pages.length <= target.page) pages.push([]);
    pages[target.page] = change(pages[target.page]!);
  };
  const apply = (method: string, params: unknown): void => {
    switch (method) {
      case 'boardChanged': {
        const p = serverNotifications.boardChanged.safeParse(params);
        if (!p.success) return;
        info = p.data.info;
        while (info && pages.length < info.pages) pages = [...pages, []];
        return;
      }
      case 'boardInk': {
        const p = serverNotifications.boardInk.safeParse(params);
        if (p.success) for (const e of p.data.events) apply(e.method, e.params);
        return;
      }
      case 'boardDrawn': {
        const p = serverNotifications.boardDrawn.safeParse(params);
        if (!p.success) return;
        const d = p.data;
        onPage(d.target, (list) => {
          const at = list.findIndex((s) => same(s, d.by, d.id));
          const stroke = drawnStroke(at >= 0 ? list[at] : undefined, d);
          return at >= 0 ? list.map((s, i) => (i === at ? stroke : s)) : [...list, stroke];
        });
        return;
      }
      case 'boardErased': {
        const p = serverNotifications.boardErased.safeParse(params);
        if (!p.success) return;
        const { by, id } = p.data;
        onPage(p.data.target, (list) => list.filter((s) => !same(s, by, id)));
        return;
      }
      case 'boardRestored': {
        const p = serverNotifications.boardRestored.safeParse(params);
        if (!p.success) return;
        const { stroke } = p.data;
        onPage(p.data.target, (l) => [...l.filter((s) => !same(s, stroke.by, stroke.id)), stroke]);
        return;
      }
      case 'boardCleared': {
        const p = serverNotifications.boardCleared.safeParse(params);
        if (p.success) onPage(p.data.target, () => []);
        return;
      }
    }
  };
  const out: { t: number; shown: Shown | null }[] = [];
  const events = logged.filter((e) => e.method.startsWith('board') && Number.isFinite(e.t));
  for (const e of [...events].sort((a, b) => a.t - b.t)) {
    apply(e.method, e.params);
    const now = info as BoardInfo | null;
    out.push({
      t: e.t,
      shown: now && {
        background: now.background,
        page: now.page,
        strokes: pages[now.page] ?? [],
      },
    });
  }
  return out;
}

/** Replays the board's events; its open stretches in order, each with its frames. */
export function boardTimeline(logged: readonly LoggedEvent[], durationMs: number): BoardStretch[] {
  const points = replay(logged).filter((p) => p.t < durationMs);
  // The board as it stood just before `t` (events at `t` not yet). The walk below asks in
  // time order, so a cursor moves forward through the events once (back to the start if not).
  let cursor = 0;
  let asked = -Infinity;
  let shownBefore: Shown | null = null;
  const before = (t: number): Shown | null => {
    if (t < asked) [cursor, shownBefore] = [0, null];
    asked = t;
    while (cursor < points.length && points[cursor]!.t < t) shownBefore = points[cursor++]!.shown;
    return shownBefore;
  };
  // Where the picture changes shape: it opens or closes, or shows another page or background.
  const bounds = [durationMs];
  let last: Shown | null = null;
  for (const p of points) {
    const a = last;
    const b = p.shown;
    if (!a !== !b || (a && b && (a.page !== b.page || a.background !== b.background))) {
      bounds.push(p.t);
    }
    last = b;
  }
  const cuts = [...new Set(bounds)].sort((x, y) => x - y);
  const stretches: BoardStretch[] = [];
  let open: BoardStretch | null = null;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [from, to] = [cuts[i]!, cuts[i + 1]!];
    // The board between two cuts: open (on one page and background) or closed throughout.
    if (!before(Math.min(to, from + 1))) {
      open = null;
      continue;
    }
    if (!open) {
      open = { fromMs: from, toMs: to, frames: [] };
      stretches.push(open);
    }
    open.toMs = to;
    for (let at = from; at < to; at += STEP_MS) {
      const end = Math.min(at + STEP_MS, to);
      // A step shows its own ink from its start (at the stretch's end: all of it).
      const shown = before(end === to ? to : end)!;
      const prev = open.frames.at(-1);
      if (
        prev &&
        prev.toMs === at &&
        prev.strokes === shown.strokes &&
        prev.background === shown.background
      ) {
        prev.toMs = end;
      } else {
        open.frames.push({
          fromMs: at,
          toMs: end,
          background: shown.background,
          strokes: shown.strokes,
        });
      }
    }
  }
  return stretches;
}
