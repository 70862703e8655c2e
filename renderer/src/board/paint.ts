import type { BoardBackground, Stroke } from '../../../protocol';
import type { Laser } from '../store/board';
import { inkOf, type Ink } from '../../../protocol/ink';

/** The page's paper: blank, a grid, or ruled lines (in the theme's quiet colour). */
export function paintBackground(
  ctx: CanvasRenderingContext2D,
  background: BoardBackground | null,
  w: number,
  h: number,
  paper: string,
  rule: string,
): void {
  ctx.fillStyle = paper;
  ctx.fillRect(0, 0, w, h);
  if (!background || background === 'blank') return;
  ctx.strokeStyle = rule;
  ctx.lineWidth = Math.max(1, w / 1920);
  const step = w / 32;
  ctx.beginPath();
  for (let y = step; y < h; y += step) {
    ctx.moveTo(0, y);
    ctx.lineTo(w, y);
  }
  if (background === 'grid') {
    for (let x = step; x < w; x += step) {
      ctx.moveTo(x, 0);
      ctx.lineTo(x, h);
    }
  }
  ctx.stroke();
}

/**
 * A stroke's outline at a canvas size, kept while the stroke object lives: the store makes a
 * new object when points arrive, so a live stroke that got nothing new since the last frame
 * is not traced again (30 drawers: most frames change only some of them).
 */
const outlines = new WeakMap<Stroke, { w: number; h: number; ink: Ink }>();
function cachedInk(s: Stroke, w: number, h: number): Ink {
  const hit = outlines.get(s);
  if (hit && hit.w === w && hit.h === h) return hit.ink;
  const ink = inkOf(s, w, h);
  outlines.set(s, { w, h, ink });
  return ink;
}

/** Paints strokes in order (later ones on top). */
export function paintStrokes(
  ctx: CanvasRenderingContext2D,
  strokes: readonly Stroke[],
  w: number,
  h: number,
): void {
  for (const s of strokes) {
    const ink = cachedInk(s, w, h);
    ctx.globalAlpha = ink.alpha;
    ctx.fillStyle = ink.color;
    ctx.strokeStyle = ink.color;
    ctx.lineWidth = ink.lineWidth;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    if (ink.fill && ink.fill.length > 1) {
      ctx.beginPath();
      ctx.moveTo(ink.fill[0]![0], ink.fill[0]![1]);
      for (const [x, y] of ink.fill.slice(1)) ctx.lineTo(x, y);
      ctx.closePath();
      ctx.fill();
    }
    for (const line of ink.lines ?? []) {
      ctx.beginPath();
      ctx.moveTo(line[0]![0], line[0]![1]);
      for (const [x, y] of line.slice(1)) ctx.lineTo(x, y);
      ctx.stroke();
    }
    if (ink.ellipse) {
      const e = ink.ellipse;
      ctx.beginPath();
      ctx.ellipse(e.cx, e.cy, Math.max(1, e.rx), Math.max(1, e.ry), 0, 0, Math.PI * 2);
      ctx.stroke();
    }
    if (ink.text) {
      ctx.font = `${ink.text.size}px system-ui, sans-serif`;
      ctx.textBaseline = 'top';
      ctx.fillText(ink.text.value, ink.text.x, ink.text.y);
    }
  }
  ctx.globalAlpha = 1;
}

/** How long a laser dot stays after its last move (it is never stored). */
export const LASER_MS = 1500;

/** The laser dots (those on this canvas's target), fading; true while one is still visible. */
export function paintLasers(
  ctx: CanvasRenderingContext2D,
  lasers: readonly Laser[],
  w: number,
  h: number,
  now: number,
): boolean {
  let visible = false;
  const r = Math.max(4, w / 160);
  for (const laser of lasers) {
    const age = now - laser.at;
    if (age >= LASER_MS) continue;
    visible = true;
    ctx.globalAlpha = 1 - age / LASER_MS;
    ctx.fillStyle = 'rgba(239, 68, 68, 0.35)';
    ctx.beginPath();
    ctx.arc(laser.x * w, laser.y * h, r * 2, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#ef4444';
    ctx.beginPath();
    ctx.arc(laser.x * w, laser.y * h, r, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  return visible;
}
