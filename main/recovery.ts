/**
 * What the room screen does when its renderer crashes or hangs: reload after a short notice,
 * and back off when it keeps crashing so a broken build does not spin the CPU.
 */
export type RendererFailure = 'crashed' | 'killed' | 'oom' | 'unresponsive' | 'launch-failed';

/** Electron's render-process-gone reason as a failure (a clean exit is none). */
export function failureOf(reason: string): RendererFailure | 'clean-exit' {
  if (reason === 'clean-exit' || reason === 'killed' || reason === 'oom') return reason;
  return reason === 'launch-failed' ? 'launch-failed' : 'crashed';
}

export interface RecoveryDecision {
  action: 'reload' | 'ignore';
  /** Wait this long before reloading (the notice shows meanwhile). */
  delayMs: number;
}

export interface RecoveryOptions {
  /** Normal delay before a reload. */
  noticeMs?: number;
  /** Failures within this window count as a streak. */
  windowMs?: number;
  /** From this many failures in the window on, wait `backoffMs`. */
  streak?: number;
  backoffMs?: number;
}

export class RecoveryPolicy {
  private failures: number[] = [];
  private readonly noticeMs: number;
  private readonly windowMs: number;
  private readonly streak: number;
  private readonly backoffMs: number;

  constructor(opts: RecoveryOptions = {}) {
    this.noticeMs = opts.noticeMs ?? 1500;
    this.windowMs = opts.windowMs ?? 60_000;
    this.streak = opts.streak ?? 3;
    this.backoffMs = opts.backoffMs ?? 30_000;
  }

  /** A renderer failure at `now` (ms). A clean exit is not a failure. */
  onFailure(reason: RendererFailure | 'clean-exit', now: number): RecoveryDecision {
    if (reason === 'clean-exit') return { action: 'ignore', delayMs: 0 };
    this.failures = this.failures.filter((t) => now - t < this.windowMs);
    this.failures.push(now);
    const delayMs = this.failures.length >= this.streak ? this.backoffMs : this.noticeMs;
    return { action: 'reload', delayMs };
  }
}
