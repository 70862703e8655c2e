/**
 * A device's connection quality, judged from the media figures it reports every 10 s: what a
 * teacher sees beside each name. Pure, so the relay and tests agree on the thresholds.
 */
import { z } from 'zod';
import type { DeviceMetrics } from './metrics';

export const ConnectionQuality = z.enum(['good', 'fair', 'poor']);
export type ConnectionQuality = z.infer<typeof ConnectionQuality>;

/**
 * Worst of its streams: loss above 2 % or a round trip above 250 ms is fair; above 8 % or
 * 600 ms, or ICE failures since the last report, is poor. No streams: null (nothing measured).
 */
export function judgeQuality(m: DeviceMetrics): ConnectionQuality | null {
  if (m.iceFailures > 0) return 'poor';
  if (m.streams.length === 0) return m.iceInterruptions > 0 ? 'fair' : null;
  let worst: ConnectionQuality = m.iceInterruptions > 0 ? 'fair' : 'good';
  for (const s of m.streams) {
    const rtt = s.rttMs ?? 0;
    if (s.lossRate > 0.08 || rtt > 600) return 'poor';
    if (s.lossRate > 0.02 || rtt > 250) worst = 'fair';
  }
  return worst;
}
