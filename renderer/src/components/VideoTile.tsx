import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Share } from '../../../protocol';
import { useApp, useRoom } from '../context';
import { createLog } from '../log';

const log = createLog('video');

/** A share's video, from the media engine by stream id. */
export function VideoTile({ share, label = true }: { share: Share; label?: boolean }) {
  const app = useApp();
  const ref = useRef<HTMLVideoElement>(null);
  const streams = useRoom((s) => s.streams);
  const stream = share.streamId ? app.engine.streamFor(share.streamId) : undefined;
  useEffect(() => {
    const video = ref.current;
    if (!video || video.srcObject === (stream ?? null)) return;
    video.srcObject = stream ?? null;
    // autoplay does not always start a stream that played in another element before.
    if (stream) void video.play().catch((err: unknown) => log.info('play() refused', err));
  }, [stream, streams]);
  const { t } = useTranslation();
  const owner = useRoom((s) => s.peers[share.peerId]);
  return (
    <figure className="tile" data-share-id={share.id} data-stream-id={share.streamId ?? ''}>
      <video ref={ref} autoPlay muted playsInline />
      {label && (
        <figcaption>
          {owner?.name}
          {owner && <small className="role-badge">{t(`role.${owner.role}`)}</small>}
          {share.label ? ` · ${share.label}` : ''}
        </figcaption>
      )}
    </figure>
  );
}
