/** A token bucket refilled continuously; no timers. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now = performance.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes `cost` tokens if that many are available. */
  take(cost = 1, now = performance.now()): boolean {
    this.refill(now);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Milliseconds until `cost` tokens are available (costs above the burst: until it is full). */
  retryAfterMs(cost = 1): number {
    const needed = Math.min(cost, this.burst) - this.tokens;
    return needed <= 0 ? 0 : Math.ceil((needed * 1000) / this.ratePerSecond);
  }

  private refill(now: number): void {
    const elapsed = now - this.last;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
  }
}
