/**
 * The review player's clock: one class time (ms from the record's start) drives every stream,
 * each placed where it began. Pure functions, so the sync rules are tested without a browser.
 */
import type { ReviewEvent, ReviewStream } from '../../../protocol';

/** How far a playing element may drift from the class clock before it is put back (s). */
export const DRIFT_S = 0.35;

/** Where in its own file a stream is at class time `t` (s), or null when it is not playing then. */
export function streamTime(s: ReviewStream, t: number, duration: number): number | null {
  const to = s.to ?? duration;
  if (t < s.from || t >= to) return null;
  return (t - s.from) / 1000;
}

/** Whether an element at `current` (s) must seek to `wanted` (s). */
export function needsSeek(current: number, wanted: number, playing: boolean): boolean {
  return Math.abs(current - wanted) > (playing ? DRIFT_S : 0.05);
}

/** How many of the events have happened by class time `t` (they are in time order). */
export function eventsBy(events: readonly ReviewEvent[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `4:05`, or `1:02:09` past an hour. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A size people read: `812 KB`, `1.4 GB`. */
export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i > 1 && v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
