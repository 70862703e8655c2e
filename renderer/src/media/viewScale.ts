/**
 * How much smaller than its source a share may be sent to one receiver: no larger than the
 * receiver shows it (a 2×2 slot on the room screen needs half the width and height; a single
 * slot all of it). Pure, so the policy is unit-tested.
 */
export interface Size {
  width: number;
  height: number;
}

/** Scales a sender switches between (few steps: each change costs the encoder a keyframe). */
export const SCALE_STEPS = [1, 1.5, 2, 3, 4] as const;

/**
 * The `scaleResolutionDownBy` for a source shown at `view` (device pixels, fitted whole into
 * it): the largest step that still gives the receiver at least the pixels it shows. No view
 * (0×0, hidden) keeps full size: the sender cannot know what is needed.
 */
export function viewScale(source: Size, view: Size): number {
  if (view.width <= 0 || view.height <= 0 || source.width <= 0 || source.height <= 0) return 1;
  // Fitted whole (object-fit: contain): the tighter side decides the size on screen.
  const needed = Math.max(source.width / view.width, source.height / view.height);
  let scale = 1;
  for (const step of SCALE_STEPS) if (step <= needed) scale = step;
  return scale;
}

/**
 * The largest of a stream's views, side by side (a thumbnail and a full view of the same
 * stream need the full view's pixels); 0×0 when it is shown nowhere.
 */
export function largestView(views: Iterable<Size>): Size {
  let width = 0;
  let height = 0;
  for (const v of views) {
    width = Math.max(width, v.width);
    height = Math.max(height, v.height);
  }
  return { width, height };
}
