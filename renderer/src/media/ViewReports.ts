/**
 * The receiving side of "send me only what I show": each element that shows a remote stream
 * reports its size in device pixels; the largest goes to the stream's sender (a `view`
 * signal) when it changes, at most every REPORT_MS, and again when the stream arrives on a
 * new connection (its sender starts at full size).
 */
import { largestView, type Size } from './viewScale';

export const REPORT_MS = 250;

/** Sends one stream's view size to its sender; false when the stream has no sender (yet). */
export type SendView = (streamId: string, size: Size) => boolean;

export class ViewReports {
  private readonly views = new Map<string, Map<object, Size>>();
  /** What the sender of each stream was last told ("w×h"). */
  private readonly told = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly send: SendView) {}

  /** `viewer` (any object: one per element) shows `streamId` at `size` now. */
  set(streamId: string, viewer: object, size: Size): void {
    let views = this.views.get(streamId);
    if (!views) this.views.set(streamId, (views = new Map()));
    views.set(viewer, { width: Math.round(size.width), height: Math.round(size.height) });
    this.schedule();
  }

  /** `viewer` no longer shows `streamId`. */
  clear(streamId: string, viewer: object): void {
    const views = this.views.get(streamId);
    if (!views?.delete(viewer)) return;
    this.schedule();
  }

  /** The stream came on a new connection: its sender has not been told anything. */
  arrived(streamId: string): void {
    this.told.delete(streamId);
    if (this.views.has(streamId)) this.schedule();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, REPORT_MS);
  }

  private flush(): void {
    for (const [streamId, views] of this.views) {
      const size = largestView(views.values());
      const key = `${size.width}×${size.height}`;
      if (this.told.get(streamId) === key) continue;
      if (this.send(streamId, size)) this.told.set(streamId, key);
      if (views.size === 0) this.views.delete(streamId);
    }
  }
}
