import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Share } from '../../../protocol';
import { ANNOTATION_INKS, AnnotationTools } from '../board/AnnotationTools';
import type { Pen } from '../board/BoardCanvas';
import { WIDTHS } from '../board/PenTools';
import { ShareOverlay } from '../board/ShareOverlay';
import { useMayDraw } from '../board/useMayDraw';
import { useApp, useRoom } from '../context';
import { useViewSize } from '../hooks/useViewSize';
import { useZoomPan } from '../hooks/useZoomPan';
import { shareTitle } from '../i18n/labels';
import { createLog } from '../log';
import { Icon } from './Icon';

const log = createLog('video');

/** The longest my own new share's preview waits for its links to connect. */
const PREVIEW_WAIT_MS = 1000;

/**
 * The share's stream in a <video>, from the media engine by stream id. The preview of my own
 * new share starts once the share reaches the room (its links connected, at most a second):
 * starting a 1080p player costs the page's main thread right when the links' negotiation
 * needs it (the room saw the first frame ~40 ms later).
 */
function useShareVideo(share: Share) {
  const app = useApp();
  const ref = useRef<HTMLVideoElement>(null);
  const streams = useRoom((s) => s.mediaRevision);
  const stream = share.streamId ? app.engine.streamFor(share.streamId) : undefined;
  const held = share.streamId !== undefined && app.engine.connecting(share.streamId);
  useEffect(() => {
    const video = ref.current;
    if (!video || video.srcObject === (stream ?? null)) return;
    const attach = () => {
      video.srcObject = stream ?? null;
      // autoplay does not always start a stream that played in another element before.
      if (stream) void video.play().catch((err: unknown) => log.info('play() refused', err));
    };
    if (!held) return attach();
    const timer = setTimeout(attach, PREVIEW_WAIT_MS);
    return () => clearTimeout(timer);
  }, [stream, streams, held]);
  return ref;
}

/** A share's video with its owner's name; `zoomable` adds pinch/wheel zoom and its tools. */
export function VideoTile({
  share,
  label = true,
  className = '',
  zoomable = false,
}: {
  share: Share;
  label?: boolean;
  className?: string;
  zoomable?: boolean;
}) {
  const { t } = useTranslation();
  const owner = useRoom((s) => s.peers[share.peerId]);
  const speaking = useRoom(
    (s) => s.speaking.includes(share.peerId) || s.heard.includes(share.peerId),
  );
  const title = shareTitle(share, owner, t);
  return (
    <figure
      className={`tile ${className}${speaking ? ' speaking' : ''}`}
      data-share-id={share.id}
      data-stream-id={share.streamId ?? ''}
      data-kind={share.kind}
    >
      {zoomable ? (
        <ZoomableVideo share={share} title={title} />
      ) : (
        <PlainVideo share={share} title={title} />
      )}
      {label && (
        <figcaption>
          {title}
          {owner && owner.role !== 'student' && (
            <small className="role-badge">{t(`role.${owner.role}`)}</small>
          )}
          {speaking && <span className="speaking-dot" role="img" aria-label={t('av.speaking')} />}
        </figcaption>
      )}
    </figure>
  );
}

/** A share's video with its annotations over it, to look at (the room screen, thumbnails). */
function PlainVideo({ share, title }: { share: Share; title: string }) {
  const ref = useShareVideo(share);
  useViewSize(ref, share.streamId);
  // Always muted: sound plays through RoomAudio, on devices that play sound at all.
  return (
    <>
      <video ref={ref} autoPlay muted playsInline />
      <ShareOverlay share={share} video={ref} title={title} />
    </>
  );
}

/** The video in a box that zooms and pans; the SFU sends the layer the zoomed size needs. */
function ZoomableVideo({ share, title }: { share: Share; title: string }) {
  const { t } = useTranslation();
  const { shares } = useApp();
  const video = useShareVideo(share);
  const box = useRef<HTMLDivElement>(null);
  const streamId = share.streamId;
  const onScale = useCallback(
    (scale: number) => {
      if (streamId) shares.setZoom(streamId, scale);
    },
    [shares, streamId],
  );
  const { view, zoomIn, zoomOut, fit } = useZoomPan(box, onScale);
  // Whole steps of zoom: the sender re-encodes only when a step is crossed.
  useViewSize(video, streamId, Math.ceil(view.scale - 0.01));
  const mayDraw = useMayDraw();
  const [pen, setPen] = useState<Pen | null>(null);
  const annotating = mayDraw && pen !== null;
  const zoomed = view.scale > 1.01;
  const pip = typeof document !== 'undefined' && document.pictureInPictureEnabled;
  return (
    <>
      <div
        ref={box}
        className={`zoom-box${zoomed ? ' zoomed' : ''}`}
        tabIndex={0}
        role="group"
        aria-label={t('zoom.area', { title })}
        aria-describedby={`zoom-hint-${share.id}`}
        data-zoom={view.scale.toFixed(2)}
      >
        <div
          className="zoom-layer"
          style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}
        >
          <video ref={video} autoPlay muted playsInline />
          <ShareOverlay
            share={share}
            video={video}
            title={title}
            pen={annotating ? pen : undefined}
          />
        </div>
        <span id={`zoom-hint-${share.id}`} className="sr">
          {t('zoom.hint')}
        </span>
      </div>
      {annotating && <AnnotationTools share={share} pen={pen} onPen={setPen} />}
      <div className="tile-tools" role="toolbar" aria-label={t('zoom.tools')}>
        {mayDraw && (
          <button
            className={`tool${annotating ? ' chosen' : ''}`}
            aria-pressed={annotating}
            aria-label={t(annotating ? 'annotate.stop' : 'annotate.start')}
            title={t(annotating ? 'annotate.stop' : 'annotate.start')}
            onClick={() =>
              setPen(
                annotating ? null : { tool: 'pen', color: ANNOTATION_INKS[0]!, width: WIDTHS[1]! },
              )
            }
          >
            <span aria-hidden="true">✎</span>
          </button>
        )}
        <button className="tool" aria-label={t('zoom.out')} disabled={!zoomed} onClick={zoomOut}>
          −
        </button>
        <output className="zoom-level" aria-live="polite">
          {Math.round(view.scale * 100)}%
        </output>
        <button className="tool" aria-label={t('zoom.in')} onClick={zoomIn}>
          +
        </button>
        <button className="tool" aria-label={t('zoom.fit')} disabled={!zoomed} onClick={fit}>
          <Icon name="fit" />
        </button>
        {pip && (
          <button
            className="tool"
            aria-label={t('zoom.pip')}
            onClick={() =>
              void video.current
                ?.requestPictureInPicture()
                .catch((err: unknown) => log.info('picture-in-picture refused', err))
            }
          >
            <Icon name="pip" />
          </button>
        )}
        <button
          className="tool"
          aria-label={t('zoom.fullscreen')}
          onClick={() => {
            const figure = box.current?.parentElement;
            if (document.fullscreenElement) void document.exitFullscreen();
            else {
              void figure
                ?.requestFullscreen()
                .catch((err: unknown) => log.info('full screen refused', err));
            }
          }}
        >
          <Icon name="fullscreen" />
        </button>
      </div>
    </>
  );
}
