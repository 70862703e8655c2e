import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { LAYOUT_MODES, type LayoutMode } from '../../../protocol';
import { OperatorMessage } from '../components/Banners';
import { LanguagePicker } from '../components/LanguagePicker';
import { CloudBadge, ConnectionDot } from '../components/StatusBadges';
import { useApp, useRoom } from '../context';
import { selectRoster } from '../store';
import { ClassPanel } from './SharePanel';

/** Devices removed from this class, each with "let back in". */
function RemovedDevices() {
  const { t } = useTranslation();
  const { moderation } = useApp();
  const bans = useRoom((s) => s.bans);
  if (bans.length === 0) return null;
  return (
    <section aria-label={t('room.removedDevices')} className="removed">
      <h2>{t('room.removedDevices')}</h2>
      <ul>
        {bans.map((b) => (
          <li key={b.id}>
            {b.name}{' '}
            <button className="secondary" onClick={() => moderation.unban(b.id)}>
              {t('room.undoRemove')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Teacher: share, roster with hands first and stage controls, room controls, chat. */
export function TeacherView() {
  const { t } = useTranslation();
  const { moderation: app } = useApp();
  const room = useRoom((s) => s.room);
  const code = useRoom((s) => s.code);
  const peers = useRoom((s) => s.peers);
  const shares = useRoom((s) => s.shares);
  const layout = useRoom((s) => s.layout);
  const myId = useRoom((s) => s.me?.peerId);
  const roster = useMemo(() => selectRoster(peers), [peers]);
  return (
    <main className="room teacher">
      <header>
        <h1>{room?.name}</h1>
        <span className="code-chip" aria-label="join code">
          {code}
        </span>
        {room?.locked && <span className="chip">{t('room.locked')}</span>}
        <span className="grow" />
        <button onClick={() => app.lock(!room?.locked)}>
          {room?.locked ? t('room.unlock') : t('room.lock')}
        </button>
        <label>
          {t('room.layout')}{' '}
          <select
            value={layout.mode}
            onChange={(e) => app.setLayout(e.target.value as LayoutMode, Object.values(shares))}
          >
            {LAYOUT_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`room.layout.${m}`)}
              </option>
            ))}
          </select>
        </label>
        <button className="danger" onClick={app.endClass}>
          {t('room.endClass')}
        </button>
        <LanguagePicker />
        <CloudBadge />
        <ConnectionDot />
      </header>
      <OperatorMessage />
      <aside aria-label={t('room.roster')}>
        <ul className="roster">
          {roster.map((p) => (
            <li key={p.id} className={p.online ? '' : 'away'} data-peer={p.name}>
              <span>
                {p.hand ? '✋ ' : ''}
                {p.name} <small>{p.id === myId ? t('room.you') : t(`role.${p.role}`)}</small>
                {p.stage === 'on' && <small className="chip">{t('room.onStage')}</small>}
              </span>
              {p.role === 'student' && (
                <span className="actions">
                  {p.stage === 'off' && (
                    <button onClick={() => app.invite(p.id)}>{t('room.invite')}</button>
                  )}
                  {p.stage === 'invited' && <small>{t('room.invited')}</small>}
                  {p.stage === 'on' && (
                    <button onClick={() => app.takeOff(p.id)}>{t('room.takeOff')}</button>
                  )}
                  <button onClick={() => app.mute(p.id)}>{t('room.mute')}</button>
                  <button className="danger" onClick={() => app.remove(p.id)}>
                    {t('room.remove')}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
        <RemovedDevices />
      </aside>
      <section className="main">
        <ClassPanel shareLabel="room.share" />
      </section>
    </main>
  );
}
