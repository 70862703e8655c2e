import { SourceBudget } from './SourceBudget';

export interface GuessLimits {
  /** Wrong guesses one source may make at once, then one more every `sourceRefillMs`. */
  sourceBurst: number;
  sourceRefillMs: number;
  /** Wrong guesses, across every source, per window before the global reaction. */
  globalLimit: number;
  globalWindowMs: number;
}

/** A guess admitted to be checked: say how it went. */
export interface Reservation {
  /** Right: the source's unit is given back. */
  right(now?: number): void;
  /** Wrong: it stays spent, and counts toward the global limit. */
  wrong(now?: number): void;
}

export type Admission =
  { ok: true; reservation: Reservation } | { ok: false; retryAfterMs: number };

/**
 * Guesses of a secret (join codes, the teacher credential). A guess takes its unit from the
 * source's budget *before* it is checked, so guesses in flight (a credential is verified off
 * the event loop) can never exceed the budget. Wrong guesses also count globally: over the
 * limit, `globalLimitReached` reacts (join codes rotate; credentials turn to clean sources).
 */
export class GuessGuard {
  private readonly budget: SourceBudget;
  private windowStart = Number.NEGATIVE_INFINITY;
  private wrongInWindow = 0;
  /** Sources with a wrong guess in the current window. */
  private readonly failed = new Set<string>();

  constructor(
    private readonly limits: GuessLimits,
    private readonly globalLimitReached: (now: number) => void = () => undefined,
    /** Over the global limit, only sources without a wrong guess in the window are checked. */
    private readonly cleanSourcesOnlyOverLimit = false,
  ) {
    this.budget = new SourceBudget(limits.sourceBurst, limits.sourceRefillMs);
  }

  admit(source: string, now = Date.now()): Admission {
    this.roll(now);
    const overLimit = this.wrongInWindow >= this.limits.globalLimit;
    if (this.cleanSourcesOnlyOverLimit && overLimit && this.failed.has(source)) {
      return { ok: false, retryAfterMs: this.windowStart + this.limits.globalWindowMs - now };
    }
    if (!this.budget.take(source, now)) {
      return { ok: false, retryAfterMs: this.budget.retryAfterMs(source, now) };
    }
    let settled = false;
    return {
      ok: true,
      reservation: {
        right: (at = Date.now()) => {
          if (settled) return;
          settled = true;
          this.budget.refund(source, at);
        },
        wrong: (at = Date.now()) => {
          if (settled) return;
          settled = true;
          this.roll(at);
          this.failed.add(source);
          if (++this.wrongInWindow >= this.limits.globalLimit) this.globalLimitReached(at);
        },
      },
    };
  }

  /** Wrong guesses in the current window (for tests and stats). */
  get wrong(): number {
    return this.wrongInWindow;
  }

  /** The global reaction happened (codes rotated): the count starts again. */
  resetCount(): void {
    this.wrongInWindow = 0;
  }

  private roll(now: number): void {
    if (now - this.windowStart < this.limits.globalWindowMs) return;
    this.windowStart = now;
    this.wrongInWindow = 0;
    this.failed.clear();
  }
}
