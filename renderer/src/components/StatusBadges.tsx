import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { useRoom } from '../context';

/** The relay link's state as a coloured dot. */
function ConnectionDotView() {
  const { t } = useTranslation();
  const status = useRoom((s) => s.status);
  return (
    <span
      className={`dot dot-${status}`}
      title={status === 'joined' ? t('status.online') : status}
    />
  );
}

/** A small cloud mark: whether the room host reaches the school's cloud (hidden if none). */
function CloudBadgeView() {
  const { t } = useTranslation();
  const cloud = useRoom((s) => s.cloud);
  if (!cloud || cloud.state === 'off') return null;
  return (
    <span className={`cloud cloud-${cloud.state}`} role="status" title={t(`cloud.${cloud.state}`)}>
      <span aria-hidden="true">☁</span>
      <span className="cloud-label">{t(`cloud.${cloud.state}`)}</span>
    </span>
  );
}

/** "● REC" while the class is being recorded: every client and the room screen show it. */
function RecBadgeView() {
  const { t } = useTranslation();
  const recording = useRoom((s) => s.room?.recording);
  if (!recording) return null;
  const time = new Date(recording.since).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
  });
  const since = t('record.since', { time, name: recording.by });
  return (
    <span className="rec-badge" role="status" title={since} aria-label={since}>
      <span className="rec-dot" aria-hidden="true" />
      {t('record.badge')}
    </span>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const RecBadge = memo(RecBadgeView);
export const CloudBadge = memo(CloudBadgeView);
export const ConnectionDot = memo(ConnectionDotView);
