/**
 * The source the user picked in the app's own picker, held for the renderer's next
 * getDisplayMedia call. One-shot and short-lived, so a stale pick never shares the wrong screen.
 */
export interface Pick {
  sourceId: string;
  withAudio: boolean;
}

export class CapturePick {
  private pending: (Pick & { at: number }) | null = null;

  constructor(private readonly ttlMs = 10_000) {}

  set(pick: Pick, now: number): void {
    this.pending = { ...pick, at: now };
  }

  /** The pick, once; null when none was made or it expired. */
  take(now: number): Pick | null {
    const p = this.pending;
    this.pending = null;
    if (!p || now - p.at > this.ttlMs) return null;
    return { sourceId: p.sourceId, withAudio: p.withAudio };
  }
}

/** Source ids from desktopCapturer look like `screen:0:0` or `window:1234:0`. */
export function isSourceId(id: unknown): id is string {
  return typeof id === 'string' && /^(screen|window):\d+:\d+$/.test(id);
}
