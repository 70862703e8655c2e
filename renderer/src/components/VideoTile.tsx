import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Share } from '../../../protocol';
import { useApp, useRoom } from '../context';
import { createLog } from '../log';

const log = createLog('video');

/** A track label that is a browser's internal name ("screen:-3:0"), not a person's words. */
const machineLabel = (label: string) =>
  /^[a-z-]+:[-\d:]+$/i.test(label) || /^[\w-]+:\/\//.test(label);

/** A share's video, from the media engine by stream id. */
export function VideoTile({
  share,
  label = true,
  className = '',
}: {
  share: Share;
  label?: boolean;
  className?: string;
}) {
  const app = useApp();
  const ref = useRef<HTMLVideoElement>(null);
  const streams = useRoom((s) => s.mediaRevision);
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
  const speaking = useRoom(
    (s) => s.speaking.includes(share.peerId) || s.heard.includes(share.peerId),
  );
  const detail = share.label && !machineLabel(share.label) ? ` (${share.label})` : '';
  return (
    <figure
      className={`tile ${className}${speaking ? ' speaking' : ''}`}
      data-share-id={share.id}
      data-stream-id={share.streamId ?? ''}
      data-kind={share.kind}
    >
      {/* Always muted: sound plays through RoomAudio, on devices that play sound at all. */}
      <video ref={ref} autoPlay muted playsInline />
      {label && (
        <figcaption>
          {owner?.name}
          {owner && <small className="role-badge">{t(`role.${owner.role}`)}</small>}
          {` — ${t(`kind.${share.kind}`)}${detail}`}
          {speaking && <span className="speaking-dot" aria-label={t('av.speaking')} />}
        </figcaption>
      )}
    </figure>
  );
}
