export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where a video's picture sits in its box under `object-fit: contain`: the frame scaled to fit,
 * centred, with bars on two sides. Annotations are drawn in this rectangle, so a mark made at a
 * point of the shared frame lands on that point on every receiver, whatever its box.
 */
export function containRect(boxW: number, boxH: number, frameW: number, frameH: number): Rect {
  if (boxW <= 0 || boxH <= 0 || frameW <= 0 || frameH <= 0) {
    return { left: 0, top: 0, width: Math.max(0, boxW), height: Math.max(0, boxH) };
  }
  const scale = Math.min(boxW / frameW, boxH / frameH);
  const width = frameW * scale;
  const height = frameH * scale;
  return { left: (boxW - width) / 2, top: (boxH - height) / 2, width, height };
}
