import type { DeviceMetrics, StreamMetrics } from '../../../protocol';
import type { StreamStats } from './stats';

/**
 * Turns the latest stats sample into the 10 s report the relay forwards to the cloud: per stream
 * codec, resolution, fps, bitrate, loss (and its rate since the last report), jitter and RTT.
 */
export class MetricsReporter {
  private readonly last = new Map<string, { lost: number; packets: number }>();

  report(stats: StreamStats[], ice: { failures: number; interruptions: number }): DeviceMetrics {
    const streams: StreamMetrics[] = stats.slice(0, 16).map((s) => {
      const prev = this.last.get(s.id);
      const dLost = Math.max(0, s.packetsLost - (prev?.lost ?? 0));
      const dPackets = Math.max(0, s.packets - (prev?.packets ?? 0));
      this.last.set(s.id, { lost: s.packetsLost, packets: s.packets });
      return {
        id: s.id.slice(0, 64),
        kind: s.kind,
        direction: s.direction,
        path: s.path,
        codec: s.codec.slice(0, 32),
        width: s.width,
        height: s.height,
        fps: Math.round(s.fps * 10) / 10,
        bitrateKbps: Math.round(s.bitrate / 1000),
        packetsLost: Math.max(0, Math.round(s.packetsLost)),
        lossRate: dLost + dPackets > 0 ? Math.min(1, dLost / (dLost + dPackets)) : 0,
        jitterMs: s.jitterMs,
        rttMs: s.rttMs,
        audioLevel: s.audioLevel === null ? null : Math.round(s.audioLevel * 1000) / 1000,
        concealedRatio:
          s.concealedRatio === null ? null : Math.round(s.concealedRatio * 10000) / 10000,
        ...(s.route && { route: s.route.candidate, transport: s.route.protocol }),
      };
    });
    return { streams, iceFailures: ice.failures, iceInterruptions: ice.interruptions };
  }
}
