/**
 * A small budget per source (a remote address): `burst` units, refilled by one every `refillMs`.
 * Bounded: past `maxSources` the oldest source is forgotten (it starts again with a full
 * budget, which costs an attacker nothing it did not have with a fresh address).
 */
export class SourceBudget {
  private readonly sources = new Map<string, { units: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly refillMs: number,
    private readonly maxSources = 4096,
  ) {}

  /** Takes one unit; false when the source has none left. */
  take(source: string, now = Date.now()): boolean {
    const s = this.state(source, now);
    if (s.units < 1) return false;
    s.units -= 1;
    return true;
  }

  /** Gives a unit back (the guess was right: only wrong ones cost). */
  refund(source: string, now = Date.now()): void {
    const s = this.state(source, now);
    s.units = Math.min(this.burst, s.units + 1);
  }

  /** Milliseconds until the source has a unit again. */
  retryAfterMs(source: string, now = Date.now()): number {
    const s = this.state(source, now);
    return s.units >= 1 ? 0 : Math.ceil((1 - s.units) * this.refillMs);
  }

  private state(source: string, now: number): { units: number; at: number } {
    let s = this.sources.get(source);
    if (!s) {
      if (this.sources.size >= this.maxSources) {
        this.sources.delete(this.sources.keys().next().value!);
      }
      s = { units: this.burst, at: now };
      this.sources.set(source, s);
      return s;
    }
    s.units = Math.min(this.burst, s.units + (now - s.at) / this.refillMs);
    s.at = now;
    return s;
  }
}
