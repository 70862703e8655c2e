/**
 * Counts wrong join codes across all rooms and addresses in a fixed window. When the limit is
 * reached the caller rotates every code, and no code is checked again until the window ends: an
 * attacker gets at most `limit` guesses per window however many addresses it uses.
 */
export class CodeGuard {
  private windowStart = Number.NEGATIVE_INFINITY;
  private wrong = 0;
  private frozenUntil = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until codes are checked again, or 0. */
  frozenFor(now = Date.now()): number {
    return Math.max(0, this.frozenUntil - now);
  }

  /** Records a wrong guess; true when this guess tripped the limit (rotate now). */
  recordWrong(now = Date.now()): boolean {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.wrong = 0;
    }
    this.wrong++;
    if (this.wrong < this.limit) return false;
    this.frozenUntil = this.windowStart + this.windowMs;
    this.wrong = 0;
    this.windowStart = this.frozenUntil;
    return true;
  }
}
