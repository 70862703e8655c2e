/**
 * Capped exponential backoff with jitter: the n-th retry waits a random time in [½·d, d] where
 * d = min(max, min·2ⁿ), so many clients (a class's pages, a school's rooms) do not all retry at
 * the same moment after an outage.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    readonly min: number,
    readonly max: number,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const d = Math.min(this.max, this.min * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return d / 2 + (this.random() * d) / 2;
  }

  /** A connection held: start again from the minimum. */
  reset(): void {
    this.attempt = 0;
  }
}
