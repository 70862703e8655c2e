import type { BoardBackground, BoardPoint, BoardTarget, StrokeStyle } from '../../../protocol';
import { BOARD_LIMITS } from '../../../protocol';
import type { Session } from './Session';

/** A batch leaves this often while the pen moves: others see the stroke grow. */
const BATCH_MS = 30;

/**
 * The whiteboard as calls to the relay, and the pen: a stroke's points go out in small batches
 * while it is drawn, the last one marked done. The relay's notifications change the store.
 */
export class BoardController {
  private seq = 0;
  private pending: {
    target: BoardTarget;
    id: string;
    style: StrokeStyle;
    points: BoardPoint[];
    sent: number;
  } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly session: Session) {}

  open = (background: BoardBackground) => this.session.call('board.open', { background });
  close = () => this.session.call('board.close', {});
  setEveryone = (everyone: boolean) => this.session.call('board.set', { everyone });
  showPage = (page: number) => this.session.call('board.set', { page });
  addPage = () => this.session.call('board.addPage', {});
  undo = () => this.session.call('board.undo', {});
  redo = () => this.session.call('board.redo', {});
  clear = (target: BoardTarget) => this.session.call('board.clear', { target });
  erase = (target: BoardTarget, by: string, id: string) =>
    this.session.call('board.erase', { target, by, id });
  laser = (target: BoardTarget, x: number, y: number) =>
    this.session.call('board.laser', { target, x, y });

  /** Words placed at a point: a stroke of one point, sent whole. */
  text(target: BoardTarget, style: StrokeStyle, at: { x: number; y: number }, text: string): void {
    this.end();
    this.session.call('board.draw', {
      target,
      id: `s${Date.now().toString(36)}${++this.seq}`,
      ...style,
      points: [[at.x, at.y, 0.5]],
      text,
      done: true,
    });
  }

  /** The pen touches down: a new stroke. */
  begin(target: BoardTarget, style: StrokeStyle, point: BoardPoint): void {
    this.end();
    this.pending = {
      target,
      id: `s${Date.now().toString(36)}${++this.seq}`,
      style,
      points: [point],
      sent: 0,
    };
    this.flush(false);
  }

  /** The pen moves. */
  move(point: BoardPoint): void {
    const p = this.pending;
    if (!p || p.points.length >= BOARD_LIMITS.pointsPerStroke) return;
    p.points.push(point);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush(false);
    }, BATCH_MS);
  }

  /** The pen lifts. */
  end(): void {
    if (!this.pending) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush(true);
    this.pending = null;
  }

  private flush(done: boolean): void {
    const p = this.pending;
    if (!p) return;
    let batch = p.points.slice(p.sent);
    // A shape's end moves: send the latest point; the relay keeps start and end.
    if (batch.length === 0) batch = [p.points.at(-1)!];
    for (let i = 0; i < batch.length; i += BOARD_LIMITS.pointsPerBatch) {
      const chunk = batch.slice(i, i + BOARD_LIMITS.pointsPerBatch);
      const last = i + BOARD_LIMITS.pointsPerBatch >= batch.length;
      this.session.call('board.draw', {
        target: p.target,
        id: p.id,
        ...p.style,
        points: chunk,
        done: done && last,
      });
    }
    p.sent = p.points.length;
  }
}
