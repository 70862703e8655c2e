import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import {
  FIT,
  pan,
  pinch,
  STEP,
  toggleAt,
  zoomAt,
  zoomKey,
  type Box,
  type Point,
  type ZoomState,
} from './zoomMath';

/** Two taps closer than this, in time (ms) and space (px), are a double tap. */
const DOUBLE_TAP_MS = 300;
const DOUBLE_TAP_PX = 30;

/**
 * Pinch and drag on touch, wheel and drag with a mouse, keys when focused, double tap to fit:
 * the zoom state of the box `ref` points at. Calls `onScale` when the scale settles on a new
 * value (the SFU layer follows it).
 */
export function useZoomPan(ref: RefObject<HTMLElement | null>, onScale?: (scale: number) => void) {
  const [view, setView] = useState<ZoomState>(FIT);
  const viewRef = useRef(view);
  const pointers = useRef(new Map<number, Point>());
  const lastTap = useRef<{ at: number; p: Point } | null>(null);
  /** Touch taps also make the browser fire dblclick: only a mouse's dblclick is ours. */
  const lastPointer = useRef<string>('mouse');

  const box = useCallback((): Box => {
    const el = ref.current;
    return { width: el?.clientWidth ?? 1, height: el?.clientHeight ?? 1 };
  }, [ref]);
  const update = useCallback((next: ZoomState) => {
    viewRef.current = next;
    setView(next);
  }, []);

  useEffect(() => {
    onScale?.(view.scale);
  }, [view.scale, onScale]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const local = (e: PointerEvent | WheelEvent | MouseEvent): Point => {
      const r = el.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const down = (e: PointerEvent) => {
      el.setPointerCapture?.(e.pointerId);
      lastPointer.current = e.pointerType;
      const p = local(e);
      pointers.current.set(e.pointerId, p);
      if (e.pointerType !== 'mouse' && pointers.current.size === 1) {
        const prev = lastTap.current;
        const now = performance.now();
        if (
          prev &&
          now - prev.at < DOUBLE_TAP_MS &&
          Math.hypot(prev.p.x - p.x, prev.p.y - p.y) < DOUBLE_TAP_PX
        ) {
          update(toggleAt(viewRef.current, p.x, p.y, box()));
          lastTap.current = null;
        } else {
          lastTap.current = { at: now, p };
        }
      }
    };
    const move = (e: PointerEvent) => {
      const before = pointers.current.get(e.pointerId);
      if (!before) return;
      const after = local(e);
      if (pointers.current.size >= 2) {
        const [first, second] = [...pointers.current.entries()];
        const other = first![0] === e.pointerId ? second![1] : first![1];
        const from: [Point, Point] = [before, other];
        const to: [Point, Point] = [after, other];
        update(pinch(viewRef.current, from, to, box()));
      } else if (viewRef.current.scale > 1 && (e.pointerType !== 'mouse' || e.buttons === 1)) {
        update(pan(viewRef.current, after.x - before.x, after.y - before.y, box()));
      }
      pointers.current.set(e.pointerId, after);
    };
    const up = (e: PointerEvent) => {
      pointers.current.delete(e.pointerId);
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const p = local(e);
      const factor = Math.exp(-e.deltaY * 0.002);
      update(zoomAt(viewRef.current, factor, p.x, p.y, box()));
    };
    const dbl = (e: MouseEvent) => {
      if (lastPointer.current !== 'mouse') return;
      const p = local(e);
      update(toggleAt(viewRef.current, p.x, p.y, box()));
    };
    const key = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const next = zoomKey(viewRef.current, e.key, box());
      if (!next) return;
      e.preventDefault();
      e.stopPropagation();
      update(next);
    };
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
    // Not passive: the wheel zooms the share, not the page.
    el.addEventListener('wheel', wheel, { passive: false });
    el.addEventListener('dblclick', dbl);
    el.addEventListener('keydown', key);
    return () => {
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
      el.removeEventListener('wheel', wheel);
      el.removeEventListener('dblclick', dbl);
      el.removeEventListener('keydown', key);
    };
  }, [ref, box, update]);

  const step = useCallback(
    (factor: number) => {
      const b = box();
      update(zoomAt(viewRef.current, factor, b.width / 2, b.height / 2, b));
    },
    [box, update],
  );
  return {
    view,
    zoomIn: () => step(STEP),
    zoomOut: () => step(1 / STEP),
    fit: () => update(FIT),
  };
}
