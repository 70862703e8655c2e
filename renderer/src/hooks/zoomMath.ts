/**
 * Zoom and pan of a video inside its box, as pure functions (unit-tested): the view is
 * `translate(x, y) scale(scale)` from the box's top-left corner, and the picture never leaves a
 * gap at an edge of the box.
 */

export interface ZoomState {
  scale: number;
  x: number;
  y: number;
}

export interface Box {
  width: number;
  height: number;
}

export const FIT: ZoomState = { scale: 1, x: 0, y: 0 };
/** Beyond 6× a 1080p share shows fewer source pixels than a phone has: nothing left to see. */
export const MAX_SCALE = 6;
/** One step of the keys, the buttons and a wheel notch. */
export const STEP = 1.25;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Keeps the scale in range and the picture over the whole box. */
export function bounded(s: ZoomState, box: Box): ZoomState {
  const scale = clamp(s.scale, 1, MAX_SCALE);
  return {
    scale,
    x: clamp(s.x, box.width - box.width * scale, 0),
    y: clamp(s.y, box.height - box.height * scale, 0),
  };
}

/** Zooms by `factor` keeping the point (px, py) of the box where it is (a pinch, the cursor). */
export function zoomAt(s: ZoomState, factor: number, px: number, py: number, box: Box): ZoomState {
  const scale = clamp(s.scale * factor, 1, MAX_SCALE);
  const cx = (px - s.x) / s.scale;
  const cy = (py - s.y) / s.scale;
  return bounded({ scale, x: px - cx * scale, y: py - cy * scale }, box);
}

/** Moves the picture by (dx, dy) box pixels. */
export function pan(s: ZoomState, dx: number, dy: number, box: Box): ZoomState {
  return bounded({ scale: s.scale, x: s.x + dx, y: s.y + dy }, box);
}

/** Double tap: back to fit when zoomed, else 2.5× around the tapped point. */
export function toggleAt(s: ZoomState, px: number, py: number, box: Box): ZoomState {
  return s.scale > 1.01 ? FIT : zoomAt(FIT, 2.5, px, py, box);
}

/** One pinch step: the two fingers moved from `before` to `after` (scale and drag at once). */
export function pinch(
  s: ZoomState,
  before: [Point, Point],
  after: [Point, Point],
  box: Box,
): ZoomState {
  const d0 = distance(before);
  const d1 = distance(after);
  if (d0 < 1) return s;
  const m0 = middle(before);
  const m1 = middle(after);
  const zoomed = zoomAt(s, d1 / d0, m0.x, m0.y, box);
  return pan(zoomed, m1.x - m0.x, m1.y - m0.y, box);
}

export interface Point {
  x: number;
  y: number;
}

const distance = ([a, b]: [Point, Point]) => Math.hypot(a.x - b.x, a.y - b.y);
const middle = ([a, b]: [Point, Point]): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/** What a key does to the view, or null if the key is not a zoom key. */
export function zoomKey(s: ZoomState, key: string, box: Box): ZoomState | null {
  const cx = box.width / 2;
  const cy = box.height / 2;
  const stepX = box.width / 10;
  const stepY = box.height / 10;
  switch (key) {
    case '+':
    case '=':
      return zoomAt(s, STEP, cx, cy, box);
    case '-':
      return zoomAt(s, 1 / STEP, cx, cy, box);
    case '0':
      return FIT;
    case 'ArrowLeft':
      return s.scale > 1 ? pan(s, stepX, 0, box) : null;
    case 'ArrowRight':
      return s.scale > 1 ? pan(s, -stepX, 0, box) : null;
    case 'ArrowUp':
      return s.scale > 1 ? pan(s, 0, stepY, box) : null;
    case 'ArrowDown':
      return s.scale > 1 ? pan(s, 0, -stepY, box) : null;
    default:
      return null;
  }
}
