import { RoomKeys } from '../components/RoomKeys';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ALL_STAGE_MEDIA,
  hasVideo,
  LAYOUT_MODES,
  type LayoutMode,
  type StageMedia,
} from '../../../protocol';
import { SoundControls } from '../components/AvControls';
import { OperatorMessage } from '../components/Banners';
import { LanguagePicker } from '../components/LanguagePicker';
import { CloudBadge, ConnectionDot } from '../components/StatusBadges';
import { useApp, useRoom } from '../context';
import { VideoTile } from '../components/VideoTile';
import { selectRoster } from '../store';
import { ClassPanel } from './SharePanel';

/** Devices waiting to be let in (approval on): name, what device it says it is, admit/refuse. */
function Lobby() {
  const { t } = useTranslation();
  const { moderation } = useApp();
  const waiting = useRoom((s) => s.lobby);
  if (waiting.length === 0) return null;
  return (
    <section aria-label={t('lobby.title')} className="lobby removed">
      <h2>{t('lobby.title')}</h2>
      <ul>
        {waiting.map((w) => (
          <li key={w.id} data-waiting={w.name}>
            {w.name} <small>{w.device}</small>{' '}
            <button onClick={() => moderation.admit(w.id)}>{t('lobby.admit')}</button>
            <button className="danger" onClick={() => moderation.refuse(w.id)}>
              {t('lobby.refuse')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

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
  // What students on stage send (their camera in a 1:1 lesson, their screen).
  const fromStudents = useMemo(
    () => Object.values(shares).filter((s) => s.peerId !== myId && hasVideo(s.kind)),
    [shares, myId],
  );
  const sfuSpeaking = useRoom((s) => s.speaking);
  const heard = useRoom((s) => s.heard);
  const speaking = useMemo(() => [...sfuSpeaking, ...heard], [sfuSpeaking, heard]);
  const [inviteFor, setInviteFor] = useState<StageMedia[]>([...ALL_STAGE_MEDIA]);
  const toggleMedia = (m: StageMedia, on: boolean) =>
    setInviteFor((cur) => (on ? [...new Set([...cur, m])] : cur.filter((x) => x !== m)));
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
        <label className="check">
          <input
            type="checkbox"
            checked={room?.approval === true}
            onChange={(e) => app.setApproval(e.target.checked)}
          />{' '}
          {t('lobby.approve')}
        </label>
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
        <button onClick={app.muteAll}>{t('room.muteAll')}</button>
        <SoundControls />
        <button className="danger" onClick={app.endClass}>
          {t('room.endClass')}
        </button>
        <LanguagePicker />
        <CloudBadge />
        <ConnectionDot />
      </header>
      <OperatorMessage />
      <aside aria-label={t('room.roster')}>
        <fieldset className="invite-for">
          <legend>{t('room.inviteFor')}</legend>
          {ALL_STAGE_MEDIA.map((m) => (
            <label key={m}>
              <input
                type="checkbox"
                checked={inviteFor.includes(m)}
                onChange={(e) => toggleMedia(m, e.target.checked)}
              />{' '}
              {t(`media.${m}`)}
            </label>
          ))}
        </fieldset>
        <Lobby />
        <ul className="roster">
          {roster.map((p) => (
            <li key={p.id} className={p.online ? '' : 'away'} data-peer={p.name}>
              <span>
                {p.hand ? '✋ ' : ''}
                {p.name} <small>{p.id === myId ? t('room.you') : t(`role.${p.role}`)}</small>
                {p.stage === 'on' && <small className="chip">{t('room.onStage')}</small>}
                {speaking.includes(p.id) && (
                  <small className="chip speaking">🔊 {t('av.speaking')}</small>
                )}
                {p.muted?.audio && <small className="chip">{t('room.mutedMic')}</small>}
                {p.unmuteAsked && <small className="chip ask">✋ {t('room.asksToSpeak')}</small>}
              </span>
              {p.role === 'student' && (
                <span className="actions">
                  {p.stage === 'off' && (
                    <button
                      disabled={inviteFor.length === 0}
                      onClick={() => app.invite(p.id, inviteFor)}
                    >
                      {t('room.invite')}
                    </button>
                  )}
                  {p.stage === 'invited' && <small>{t('room.invited')}</small>}
                  {p.stage === 'on' && (
                    <button onClick={() => app.takeOff(p.id)}>{t('room.takeOff')}</button>
                  )}
                  {p.muted ? (
                    <button onClick={() => app.allow(p.id)}>{t('room.allow')}</button>
                  ) : (
                    <>
                      <button onClick={() => app.mute(p.id, 'audio')}>{t('room.muteMic')}</button>
                      <button onClick={() => app.mute(p.id, 'video')}>
                        {t('room.muteCamera')}
                      </button>
                    </>
                  )}
                  <button className="danger" onClick={() => app.remove(p.id)}>
                    {t('room.remove')}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
        <RemovedDevices />
        <RoomKeys />
      </aside>
      <section className="main">
        {fromStudents.length > 0 && (
          <section className="viewer" aria-label={t('room.onStage')}>
            {fromStudents.map((s) => (
              <VideoTile key={s.id} share={s} />
            ))}
          </section>
        )}
        <ClassPanel shareLabel="room.share" />
      </section>
    </main>
  );
}
