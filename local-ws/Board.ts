import {
  BOARD_LIMITS,
  ErrorCode,
  ProtocolError,
  type BoardBackground,
  type BoardInfo,
  type BoardPoint,
  type BoardSnapshot,
  type BoardTarget,
  type ParsedClientParams,
  type Stroke,
  type ServerNotification,
} from '../protocol';
import type { Room } from './Room';

type DrawParams = ParsedClientParams<'board.draw'>;

/** One member's undoable step: a stroke drawn, or a stroke erased. */
type Action =
  | { kind: 'draw'; target: BoardTarget; by: string; id: string; stroke?: Stroke }
  | { kind: 'erase'; target: BoardTarget; stroke: Stroke };

/** Shapes keep their start and their latest end: a moving end replaces, it does not pile up. */
const SHAPES = new Set(['line', 'arrow', 'rect', 'ellipse']);
/** Undo steps kept per member. */
const HISTORY = 100;

/** Four decimals: 0.1 px on a 1920-wide page, and a third of the bytes of a full double. */
const q = (v: number) => Math.round(v * 10_000) / 10_000;
const quantise = (points: readonly BoardPoint[]): BoardPoint[] =>
  points.map(([x, y, p]) => [q(x), q(y), Math.round(p * 100) / 100]);

/**
 * The room's whiteboard (pages of strokes) and the annotations over its shares, with the rules
 * a drawer cannot get around: bounds on everything, strokes named by their drawer (relay
 * stamped), undo of one's own steps only, a laser that is never stored. Every change is
 * broadcast to the room as it happens; a late joiner gets `snapshot()`.
 */
export class Board {
  private info: BoardInfo | null = null;
  private pages: Stroke[][] = [];
  private readonly annotations = new Map<string, Stroke[]>();
  private points = 0;
  private readonly undo = new Map<string, Action[]>();
  /** Ink and laser moves of this turn of the event loop, sent together (see flushInk). */
  private ink: InkEvent[] = [];
  private inkScheduled = false;
  private inkSentAt = -Infinity;
  private readonly redo = new Map<string, Action[]>();

  constructor(private readonly room: Room) {
    room.events.on('shareEnded', (share) => this.dropShare(share.id));
  }

  get current(): BoardInfo | null {
    return this.info;
  }

  /** May this member draw now? Teachers always; students on stage, or all when opened to all. */
  mayDraw(role: string, onStage: boolean): boolean {
    if (role === 'teacher') return true;
    if (role !== 'student') return false;
    return onStage || this.info?.everyone === true;
  }

  open(background: BoardBackground): void {
    const opening = !this.info;
    if (opening && this.pages.length === 0) this.pages = [[]];
    this.info = {
      background,
      pages: this.pages.length,
      page: this.info?.page ?? 0,
      everyone: this.info?.everyone ?? false,
    };
    this.changed();
    if (opening) this.room.shares.relayout();
  }

  close(): void {
    if (!this.info) return;
    this.info = null;
    this.changed();
    this.room.shares.relayout();
  }

  set({ everyone, page }: { everyone?: boolean | undefined; page?: number | undefined }): void {
    const info = this.requireOpen();
    if (page !== undefined && page >= info.pages) {
      throw new ProtocolError(ErrorCode.INVALID_PARAMS, `the board has ${info.pages} pages`);
    }
    this.info = {
      ...info,
      ...(everyone !== undefined && { everyone }),
      ...(page !== undefined && { page }),
    };
    this.changed();
  }

  addPage(): number {
    const info = this.requireOpen();
    if (this.pages.length >= BOARD_LIMITS.pages) {
      throw new ProtocolError(ErrorCode.BOARD_FULL, `at most ${BOARD_LIMITS.pages} pages`);
    }
    this.pages.push([]);
    this.info = { ...info, pages: this.pages.length, page: this.pages.length - 1 };
    this.changed();
    return this.pages.length - 1;
  }

  /** A batch of `by`'s stroke: starts it, or appends to it while it is open. */
  draw(by: string, p: DrawParams): void {
    const list = this.strokes(p.target);
    const points = quantise(p.points);
    let stroke = list.find((s) => s.by === by && s.id === p.id);
    let from: number;
    if (!stroke) {
      const cap = 'page' in p.target ? BOARD_LIMITS.strokesPerPage : BOARD_LIMITS.strokesPerShare;
      if (list.length >= cap) {
        throw new ProtocolError(ErrorCode.BOARD_FULL, `at most ${cap} strokes here`);
      }
      // What is kept is what counts against the board's bound (a shape keeps two points).
      const kept = SHAPES.has(p.tool) ? [points[0]!, points.at(-1)!] : points;
      this.reserve(kept.length);
      stroke = {
        id: p.id,
        by,
        tool: p.tool,
        color: p.color,
        width: p.width,
        ...(p.text !== undefined && { text: p.text }),
        points: kept,
        done: p.done,
      };
      list.push(stroke);
      this.remember(by, { kind: 'draw', target: p.target, by, id: p.id });
      from = 0;
    } else {
      if (stroke.done) {
        throw new ProtocolError(ErrorCode.STROKE_NOT_FOUND, 'that stroke is finished');
      }
      if (SHAPES.has(stroke.tool)) {
        stroke.points[1] = points.at(-1)!;
        from = 1;
      } else {
        if (stroke.points.length + points.length > BOARD_LIMITS.pointsPerStroke) {
          throw new ProtocolError(
            ErrorCode.BOARD_FULL,
            `at most ${BOARD_LIMITS.pointsPerStroke} points a stroke`,
          );
        }
        this.reserve(points.length);
        from = stroke.points.length;
        stroke.points.push(...points);
      }
      stroke.done = p.done;
    }
    const { tool, color, width, text } = stroke;
    this.sendInk({
      method: 'boardDrawn',
      params: {
        target: p.target,
        id: stroke.id,
        by,
        tool,
        color,
        width,
        ...(text !== undefined && { text }),
        from,
        points: stroke.points.slice(from),
        done: stroke.done,
      },
    });
    if (stroke.done) this.room.events.emit('boardChanged');
  }

  /** Erases a stroke: `teacher` may erase anyone's, others only their own. */
  erase(who: string, teacher: boolean, target: BoardTarget, by: string, id: string): void {
    if (!teacher && by !== who) {
      throw new ProtocolError(ErrorCode.FORBIDDEN, 'only your own strokes (or a teacher)');
    }
    const stroke = this.remove(target, by, id);
    if (!stroke) throw new ProtocolError(ErrorCode.STROKE_NOT_FOUND, 'no such stroke');
    this.remember(who, { kind: 'erase', target, stroke });
  }

  /** Undoes `who`'s last step that still applies (a cleared stroke is skipped). */
  undoLast(who: string): void {
    const steps = this.undo.get(who) ?? [];
    for (let step = steps.pop(); step; step = steps.pop()) {
      if (step.kind === 'draw') {
        const stroke = this.remove(step.target, step.by, step.id);
        if (!stroke) continue;
        this.push(this.redo, who, { ...step, stroke });
        return;
      }
      if (!this.restore(step.target, step.stroke)) continue;
      this.push(this.redo, who, step);
      return;
    }
    throw new ProtocolError(ErrorCode.STROKE_NOT_FOUND, 'nothing to undo');
  }

  redoLast(who: string): void {
    const steps = this.redo.get(who) ?? [];
    for (let step = steps.pop(); step; step = steps.pop()) {
      if (step.kind === 'draw') {
        if (!step.stroke || !this.restore(step.target, step.stroke)) continue;
        this.push(this.undo, who, { kind: 'draw', target: step.target, by: step.by, id: step.id });
        return;
      }
      if (!this.remove(step.target, step.stroke.by, step.stroke.id)) continue;
      this.push(this.undo, who, step);
      return;
    }
    throw new ProtocolError(ErrorCode.STROKE_NOT_FOUND, 'nothing to redo');
  }

  clear(target: BoardTarget): void {
    const list = this.strokes(target);
    for (const s of list) this.points -= s.points.length;
    list.length = 0;
    this.send({ method: 'boardCleared', params: { target } });
    this.room.events.emit('boardChanged');
  }

  laser(by: string, target: BoardTarget, x: number, y: number): void {
    this.strokes(target);
    this.sendInk({ method: 'boardLaser', params: { target, by, x: q(x), y: q(y) } });
  }

  /** A share ended: its annotations go with it. */
  dropShare(shareId: string): void {
    const list = this.annotations.get(shareId);
    if (!list) return;
    for (const s of list) this.points -= s.points.length;
    this.annotations.delete(shareId);
    this.send({ method: 'boardCleared', params: { target: { share: shareId } } });
  }

  /** A new class: nothing drawn, no board. What the class drew is handed on to be kept. */
  reset(): void {
    const had = this.info !== null || this.points > 0;
    if (this.info && this.pages.some((p) => p.length > 0)) {
      this.room.events.emit('boardEnded', this.saved());
    }
    this.info = null;
    this.pages = [];
    this.annotations.clear();
    this.points = 0;
    this.undo.clear();
    this.redo.clear();
    if (had) this.changed();
  }

  /** Everything drawn, or undefined when there is nothing (most snapshots). */
  snapshot(): BoardSnapshot | undefined {
    if (!this.info && this.pages.length === 0 && this.annotations.size === 0) return undefined;
    return {
      info: this.info,
      pages: this.pages,
      annotations: Object.fromEntries(this.annotations),
    };
  }

  /** The board as the host keeps it across a restart (pages only: shares do not survive). */
  saved(): { info: BoardInfo | null; pages: Stroke[][] } {
    return { info: this.info, pages: this.pages };
  }

  restoreSaved(saved: { info: BoardInfo | null; pages: Stroke[][] }): void {
    this.info = saved.info;
    this.pages = saved.pages.slice(0, BOARD_LIMITS.pages);
    this.points = this.pages.reduce((n, p) => n + p.reduce((m, s) => m + s.points.length, 0), 0);
    this.room.shares.relayout();
  }

  /**
   * Sends the ink and laser moves queued since the last send: one as it is, several as one
   * `boardInk` message. Alone, a batch leaves at the end of the turn it arrived in (no added
   * wait); under load every device gets one message per INK_EVERY_MS for all the drawers.
   */
  flushInk(): void {
    this.inkScheduled = false;
    this.inkSentAt = performance.now();
    if (this.ink.length === 0) return;
    const events = this.ink;
    this.ink = [];
    if (events.length === 1) {
      this.room.broadcast(events[0]!);
      return;
    }
    for (let i = 0; i < events.length; i += INK_PER_MESSAGE) {
      this.room.broadcast({
        method: 'boardInk',
        params: { events: events.slice(i, i + INK_PER_MESSAGE) },
      });
    }
  }

  private sendInk(e: InkEvent): void {
    this.ink.push(e);
    if (this.inkScheduled) return;
    this.inkScheduled = true;
    const wait = INK_EVERY_MS - (performance.now() - this.inkSentAt);
    if (wait <= 0) setImmediate(() => this.flushInk());
    else setTimeout(() => this.flushInk(), wait);
  }

  /** Any other board change: after the ink before it, so everyone sees them in order. */
  private send(n: ServerNotification): void {
    this.flushInk();
    this.room.broadcast(n);
  }

  private requireOpen(): BoardInfo {
    if (!this.info) throw new ProtocolError(ErrorCode.BOARD_CLOSED, 'no board is open');
    return this.info;
  }

  /** The strokes of a target that exists (an open board's page, a live share). */
  private strokes(target: BoardTarget): Stroke[] {
    if ('page' in target) {
      const info = this.requireOpen();
      const page = this.pages[target.page];
      if (!page || target.page >= info.pages) {
        throw new ProtocolError(ErrorCode.INVALID_PARAMS, `the board has ${info.pages} pages`);
      }
      return page;
    }
    if (!this.room.shares.get(target.share)) {
      throw new ProtocolError(ErrorCode.SHARE_NOT_FOUND, 'no such share to annotate');
    }
    let list = this.annotations.get(target.share);
    if (!list) this.annotations.set(target.share, (list = []));
    return list;
  }

  private reserve(n: number): void {
    if (this.points + n > BOARD_LIMITS.pointsPerBoard) {
      throw new ProtocolError(ErrorCode.BOARD_FULL, 'the board is full: clear a page');
    }
    this.points += n;
  }

  private remove(target: BoardTarget, by: string, id: string): Stroke | undefined {
    const list = this.strokes(target);
    const at = list.findIndex((s) => s.by === by && s.id === id);
    if (at < 0) return undefined;
    const [stroke] = list.splice(at, 1);
    this.points -= stroke!.points.length;
    this.send({ method: 'boardErased', params: { target, by, id } });
    this.room.events.emit('boardChanged');
    return stroke;
  }

  private restore(target: BoardTarget, stroke: Stroke): boolean {
    let list: Stroke[];
    try {
      list = this.strokes(target);
    } catch {
      return false;
    }
    if (list.some((s) => s.by === stroke.by && s.id === stroke.id)) return false;
    this.reserve(stroke.points.length);
    list.push(stroke);
    this.send({ method: 'boardRestored', params: { target, stroke } });
    this.room.events.emit('boardChanged');
    return true;
  }

  private remember(who: string, action: Action): void {
    this.push(this.undo, who, action);
    this.redo.delete(who);
  }

  private push(stacks: Map<string, Action[]>, who: string, action: Action): void {
    let list = stacks.get(who);
    if (!list) stacks.set(who, (list = []));
    list.push(action);
    if (list.length > HISTORY) list.shift();
  }

  private changed(): void {
    this.send({ method: 'boardChanged', params: { info: this.info } });
    this.room.events.emit('boardChanged');
  }
}

/** The board as the journal keeps it, and as a class hands it on when it ends. */
export type SavedBoard = ReturnType<Board['saved']>;

type InkEvent = Extract<ServerNotification, { method: 'boardDrawn' | 'boardLaser' }>;
/** The schema's bound is 10,000; a message this size is ~150 KB. */
const INK_PER_MESSAGE = 1000;
/**
 * Ink leaves at most this often: a batch that finds the last send older goes at the end of its
 * turn; under load (30 drawers: ~800 batches a second) the batches of the next few ms go
 * together, which cuts what every device parses and paints from ~250 messages a second to ≤ 100.
 */
const INK_EVERY_MS = 10;
