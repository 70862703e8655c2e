import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionQuality, PeerInfo, StageMedia } from '../../../protocol';
import { useApp, useRoom } from '../context';
import { selectRoster } from '../store';
import { ConfirmDialog } from './ConfirmDialog';
import { Menu, type MenuItem } from './Menu';

/** Three bars and a word for screen readers: how well this person's media gets through. */
export function QualityBars({ quality }: { quality: ConnectionQuality | undefined }) {
  const { t } = useTranslation();
  if (!quality) return null;
  return (
    <span
      className={`quality quality-${quality}`}
      role="img"
      aria-label={t(`quality.${quality}`)}
      title={t(`quality.${quality}`)}
    >
      <i />
      <i />
      <i />
    </span>
  );
}

/**
 * The class, hands first: each person's state at a glance (hand, on stage, speaking, mic off,
 * connection), the stage action beside the name, everything else in the person's menu.
 */
function RosterView({ inviteFor }: { inviteFor: StageMedia[] }) {
  const { t } = useTranslation();
  const peers = useRoom((s) => s.peers);
  const roster = useMemo(() => selectRoster(peers), [peers]);
  const [removing, setRemoving] = useState<PeerInfo | null>(null);
  const { moderation } = useApp();
  if (roster.length <= 1) {
    return <p className="empty-hint roster-empty">{t('roster.empty')}</p>;
  }
  return (
    <>
      <ul className="roster">
        {roster.map((p) => (
          <PersonRow key={p.id} p={p} inviteFor={inviteFor} onRemove={() => setRemoving(p)} />
        ))}
      </ul>
      {removing && (
        <ConfirmDialog
          title={t('confirm.removeTitle', { name: removing.name })}
          body={t('confirm.removeBody')}
          confirm={t('room.remove')}
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            moderation.remove(removing.id);
            setRemoving(null);
          }}
        />
      )}
    </>
  );
}

function PersonRow({
  p,
  inviteFor,
  onRemove,
}: {
  p: PeerInfo;
  inviteFor: StageMedia[];
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const { moderation: app } = useApp();
  const myId = useRoom((s) => s.me?.peerId);
  const speaking = useRoom((s) => s.speaking.includes(p.id) || s.heard.includes(p.id));
  const items: MenuItem[] = [];
  if (p.role === 'student') {
    if (!p.muted) {
      items.push({ label: t('room.muteMic'), onSelect: () => app.mute(p.id, 'audio') });
      items.push({ label: t('room.muteCamera'), onSelect: () => app.mute(p.id, 'video') });
    }
    items.push({ label: t('room.remove'), onSelect: onRemove, danger: true });
  }
  return (
    <li
      className={`person${p.online ? '' : ' away'}${p.hand ? ' hand-up' : ''}`}
      data-peer={p.name}
    >
      <span className="who">
        {p.hand && (
          <span className="hand-mark" role="img" aria-label={t('room.handUp')}>
            ✋
          </span>
        )}
        <span className="name">{p.name}</span>{' '}
        <small className="muted-text">
          {p.id === myId ? t('room.you') : t(`role.${p.role}`)}
          {!p.online && ` · ${t('roster.away')}`}
        </small>
        <QualityBars quality={p.quality} />
      </span>
      <span className="states">
        {p.remote && (
          <small className="chip" title={t('room.remoteHint')}>
            🌐 {t('room.remote')}
          </small>
        )}
        {p.stage === 'on' && <small className="chip">{t('room.onStage')}</small>}
        {p.stage === 'invited' && <small className="chip">{t('room.invited')}</small>}
        {speaking && <small className="chip speaking">🔊 {t('av.speaking')}</small>}
        {p.muted?.audio && <small className="chip">{t('room.mutedMic')}</small>}
        {p.unmuteAsked && <small className="chip ask">✋ {t('room.asksToSpeak')}</small>}
      </span>
      {p.role === 'student' && (
        <span className="actions">
          {p.stage === 'off' && (
            <button
              className="secondary"
              disabled={inviteFor.length === 0}
              onClick={() => app.invite(p.id, inviteFor)}
            >
              {t('room.invite')}
            </button>
          )}
          {p.stage === 'on' && (
            <button className="secondary" onClick={() => app.takeOff(p.id)}>
              {t('room.takeOff')}
            </button>
          )}
          {p.muted && (
            <button className="secondary" onClick={() => app.allow(p.id)}>
              {t('room.allow')}
            </button>
          )}
          <Menu label={t('roster.actionsFor', { name: p.name })} items={items} />
        </span>
      )}
    </li>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const Roster = memo(RosterView);
