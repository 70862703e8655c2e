/**
 * How a stroke looks, as plain geometry (unit-tested): the pages' canvas and the relay's saved
 * images both draw what this returns, so they look alike. Pen and highlighter are ink outlines
 * from perfect-freehand; shapes are made from their start and end. Coordinates in, pixels out.
 */
import { getStroke } from 'perfect-freehand';
import type { Stroke } from './board';

export type Xy = [number, number];

export interface Ink {
  /** A filled outline (pen, highlighter). */
  fill?: Xy[];
  /** Lines to stroke (shapes), each a polyline. */
  lines?: Xy[][];
  /** An ellipse's centre and radii. */
  ellipse?: { cx: number; cy: number; rx: number; ry: number };
  text?: { x: number; y: number; size: number; value: string };
  color: string;
  /** 1 for ink, see-through for the highlighter. */
  alpha: number;
  /** Line width in pixels (shapes). */
  lineWidth: number;
}

/** The pen's width in pixels on a page `w` wide (widths are thousandths of the width). */
export const penSize = (width: number, w: number) => Math.max(1, (width / 1000) * w);

export function inkOf(s: Stroke, w: number, h: number): Ink {
  const px = s.points.map(([x, y, p]) => [x * w, y * h, p] as [number, number, number]);
  const size = penSize(s.width, w);
  const base = { color: s.color, alpha: 1, lineWidth: size };
  const [a, b] = [px[0], px.at(-1)];
  if (!a || !b) return base;
  switch (s.tool) {
    case 'pen':
    case 'highlighter': {
      const highlighter = s.tool === 'highlighter';
      const outline = getStroke(px, {
        size: highlighter ? size * 3 : size,
        thinning: highlighter ? 0 : 0.6,
        smoothing: 0.5,
        streamline: 0.4,
        simulatePressure: px.every(([, , p]) => p === 0.5),
        last: s.done,
      });
      return { ...base, alpha: highlighter ? 0.35 : 1, fill: outline as Xy[] };
    }
    case 'line':
      return {
        ...base,
        lines: [
          [
            [a[0], a[1]],
            [b[0], b[1]],
          ],
        ],
      };
    case 'arrow': {
      const angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
      const head = Math.max(size * 4, 12);
      const wing = (d: number): Xy => [
        b[0] - head * Math.cos(angle + d),
        b[1] - head * Math.sin(angle + d),
      ];
      return {
        ...base,
        lines: [
          [
            [a[0], a[1]],
            [b[0], b[1]],
          ],
          [wing(0.45), [b[0], b[1]], wing(-0.45)],
        ],
      };
    }
    case 'rect':
      return {
        ...base,
        lines: [
          [
            [a[0], a[1]],
            [b[0], a[1]],
            [b[0], b[1]],
            [a[0], b[1]],
            [a[0], a[1]],
          ],
        ],
      };
    case 'ellipse':
      return {
        ...base,
        ellipse: {
          cx: (a[0] + b[0]) / 2,
          cy: (a[1] + b[1]) / 2,
          rx: Math.abs(b[0] - a[0]) / 2,
          ry: Math.abs(b[1] - a[1]) / 2,
        },
      };
    case 'text':
      return { ...base, text: { x: a[0], y: a[1], size: size * 6, value: s.text ?? '' } };
  }
}

/** The stroke under a point (x, y in 0–1), the last drawn first: what the eraser takes. */
export function strokeAt(
  strokes: readonly Stroke[],
  x: number,
  y: number,
  radius = 0.012,
): Stroke | undefined {
  for (let i = strokes.length - 1; i >= 0; i--) {
    const s = strokes[i]!;
    const near = (px: number, py: number) => Math.hypot(px - x, py - y) <= radius + s.width / 2000;
    if (s.tool === 'rect' || s.tool === 'ellipse' || s.tool === 'line' || s.tool === 'arrow') {
      const [a, b] = [s.points[0], s.points.at(-1)];
      if (
        a &&
        b &&
        x >= Math.min(a[0], b[0]) - radius &&
        x <= Math.max(a[0], b[0]) + radius &&
        y >= Math.min(a[1], b[1]) - radius &&
        y <= Math.max(a[1], b[1]) + radius
      ) {
        return s;
      }
      continue;
    }
    if (s.points.some(([px, py]) => near(px, py))) return s;
  }
  return undefined;
}
