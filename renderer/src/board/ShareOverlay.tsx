import { useEffect, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { Share } from '../../../protocol';
import { BoardCanvas, type Pen } from './BoardCanvas';
import { containRect, type Rect } from './contentRect';

/** The rectangle the video's picture fills inside its element's parent (bars excluded). */
function usePictureRect(video: RefObject<HTMLVideoElement | null>): Rect | null {
  const [rect, setRect] = useState<Rect | null>(null);
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    const measure = () => {
      if (!el.videoWidth || !el.videoHeight) return setRect(null);
      const r = containRect(el.clientWidth, el.clientHeight, el.videoWidth, el.videoHeight);
      const next = { ...r, left: r.left + el.offsetLeft, top: r.top + el.offsetTop };
      setRect((old) =>
        old &&
        Math.abs(old.left - next.left) < 0.5 &&
        Math.abs(old.top - next.top) < 0.5 &&
        Math.abs(old.width - next.width) < 0.5 &&
        Math.abs(old.height - next.height) < 0.5
          ? old
          : next,
      );
    };
    measure();
    const resized = new ResizeObserver(measure);
    resized.observe(el);
    // `resize` fires when the frame size changes (a window resized, another simulcast layer).
    el.addEventListener('resize', measure);
    el.addEventListener('loadedmetadata', measure);
    return () => {
      resized.disconnect();
      el.removeEventListener('resize', measure);
      el.removeEventListener('loadedmetadata', measure);
    };
  }, [video]);
  return rect;
}

/**
 * A share's annotations, laid exactly over the picture of its video: coordinates are the shared
 * frame's own (0–1 across the picture, not the window), so a mark lands on the same spot of the
 * content on the room screen, a phone and the teacher's laptop, whatever the letterboxing.
 */
export function ShareOverlay({
  share,
  video,
  title,
  pen,
}: {
  share: Share;
  video: RefObject<HTMLVideoElement | null>;
  title: string;
  pen?: Pen | undefined;
}) {
  const { t } = useTranslation();
  const rect = usePictureRect(video);
  if (!rect) return null;
  return (
    <div
      className={`annot-layer${pen ? ' drawing' : ''}`}
      data-annotations={share.id}
      style={{ left: rect.left, top: rect.top, width: rect.width, height: rect.height }}
    >
      <BoardCanvas share={share.id} pen={pen} label={t('annotate.canvas', { title })} />
    </div>
  );
}
