import type { CheckResult } from '../../../protocol';
import { MetricsReporter } from '../media/report';
import type { MediaEngine } from '../media/MediaEngine';
import { p2pSpeakers } from '../media/stats';
import { selectPeerOfDevice, type RoomStore } from '../store';
import type { Session } from './Session';

/** Samples of the media engine's stats a report to the relay is made of (every 10 s). */
export const SAMPLES_PER_REPORT = 10;

/**
 * Samples every link's stats once a second for the overlay, and every ten samples reports the
 * figures to the relay, which forwards them to the school's cloud.
 */
export class Stats {
  private timer: ReturnType<typeof setInterval> | null = null;
  private samples = 0;
  private readonly reporter = new MetricsReporter();

  constructor(
    private readonly store: RoomStore,
    private readonly session: Session,
    private readonly engine: MediaEngine,
    private readonly intervalMs = 1000,
    /** The last pre-join check, reported with the figures. */
    private readonly check: () => CheckResult | null = () => null,
  ) {
    engine.subscribe(() => this.store.set({ mediaRevision: this.store.state.mediaRevision + 1 }));
  }

  /** Starts sampling (once joined); safe to call again. */
  start(): void {
    this.timer ??= setInterval(() => void this.sample(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async sample(): Promise<void> {
    const stats = await this.engine.sample();
    this.store.applyStats(stats);
    const heard = p2pSpeakers(stats).flatMap(
      (device) => selectPeerOfDevice(this.store.state.peers, device) ?? [],
    );
    if (heard.join() !== this.store.state.heard.join()) this.store.set({ heard });
    if (++this.samples % SAMPLES_PER_REPORT === 0) {
      const check = this.check();
      this.session.notify('metrics.report', {
        ...this.reporter.report(stats, this.engine.takeIceCounts()),
        ...(check && { check }),
      });
    }
  }
}
