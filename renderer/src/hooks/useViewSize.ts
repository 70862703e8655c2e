import { useEffect, type RefObject } from 'react';
import { useApp } from '../context';

/**
 * Tells the media engine how large this <video> shows a remote stream (device pixels, times
 * the zoom), so its sender encodes no larger: a 2×2 slot on the room screen needs a quarter of
 * the pixels of the single layout. Follows resizes; the view goes away with the element.
 */
export function useViewSize(
  ref: RefObject<HTMLVideoElement | null>,
  streamId: string | undefined,
  zoom = 1,
): void {
  const { engine } = useApp();
  useEffect(() => {
    const video = ref.current;
    if (!video || !streamId || typeof ResizeObserver === 'undefined') return;
    const viewer = {};
    const report = () => {
      const k = (window.devicePixelRatio || 1) * Math.max(1, zoom);
      engine.setViewSize(streamId, viewer, {
        width: video.clientWidth * k,
        height: video.clientHeight * k,
      });
    };
    const observer = new ResizeObserver(report);
    observer.observe(video);
    report();
    return () => {
      observer.disconnect();
      engine.clearViewSize(streamId, viewer);
    };
  }, [ref, streamId, zoom, engine]);
}
