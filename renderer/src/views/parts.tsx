import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { REACTIONS, type Share } from '../../../protocol';
import { app } from '../controller';
import { desktop } from '../desktop';
import { i18next, LANGUAGES, type Language } from '../i18n';
import { useRoom } from '../store';

/** A share's video, from the media engine by stream id. */
export function VideoTile({ share, label = true }: { share: Share; label?: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  const streams = useRoom((s) => s.streams);
  const stream = share.streamId ? app.engine.streamFor(share.streamId) : undefined;
  useEffect(() => {
    const video = ref.current;
    if (!video || video.srcObject === (stream ?? null)) return;
    video.srcObject = stream ?? null;
    // autoplay does not always start a stream that played in another element before.
    if (stream) void video.play().catch(() => {});
  }, [stream, streams]);
  const owner = useRoom((s) => s.peers[share.peerId]?.name ?? '');
  return (
    <figure className="tile" data-share-id={share.id} data-stream-id={share.streamId ?? ''}>
      <video ref={ref} autoPlay muted playsInline />
      {label && (
        <figcaption>
          {owner}
          {share.label ? ` · ${share.label}` : ''}
        </figcaption>
      )}
    </figure>
  );
}

/** The last error code, translated. */
export function ErrorLine() {
  const { t } = useTranslation();
  const error = useRoom((s) => s.error);
  if (!error) return null;
  const key = `error.${error}`;
  return (
    <p role="alert" className="error" data-code={error}>
      {i18next.exists(key) ? t(key) : t('error.other', { code: error })}
    </p>
  );
}

export function ReconnectBanner() {
  const { t } = useTranslation();
  const status = useRoom((s) => s.status);
  const role = useRoom((s) => s.me?.role);
  // The room screen has its small indicator instead; a red bar on the big screen alarms a class.
  if (status !== 'reconnecting' || role === 'screen') return null;
  return (
    <div className="banner" role="status">
      {t('status.reconnecting')}
    </div>
  );
}

/** After the desktop app reloaded a crashed or hung screen: a short notice, then nothing. */
export function RecoveredNotice() {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!desktop) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = desktop.onNotice(() => {
      setShown(true);
      clearTimeout(timer);
      timer = setTimeout(() => setShown(false), 6000);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, []);
  if (!shown) return null;
  return (
    <div className="banner notice" role="status">
      {t('screen.recovered')}
    </div>
  );
}

export function ConnectionDot() {
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
export function CloudBadge() {
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

/** An operator's message across the top, for as long as they asked. */
export function OperatorMessage() {
  const { t } = useTranslation();
  const message = useRoom((s) => s.operatorMessage);
  if (!message) return null;
  return (
    <div className="operator-message" role="alert">
      <small>{t('cloud.message')}</small>
      <p>{message.text}</p>
    </div>
  );
}

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <label className="lang">
      <span className="sr">{t('language')}</span>
      <select
        value={i18n.language}
        onChange={(e) => void i18n.changeLanguage(e.target.value as Language)}
      >
        {Object.entries(LANGUAGES).map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ChatPanel() {
  const { t } = useTranslation();
  const chat = useRoom((s) => s.chat);
  const [text, setText] = useState('');
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) app.chat(text);
    setText('');
  };
  return (
    <section aria-label={t('room.chat')} className="chat">
      <ol>
        {chat.map((m) => (
          <li key={m.id}>
            <b>{m.name}</b> {m.text}
          </li>
        ))}
      </ol>
      <form onSubmit={send}>
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('room.chatPlaceholder')}
          maxLength={2000}
        />
        <button type="submit">{t('room.send')}</button>
      </form>
    </section>
  );
}

export function ReactionsBar() {
  const { t } = useTranslation();
  return (
    <div className="reactions" role="group" aria-label={t('room.reactions')}>
      {REACTIONS.map((emoji) => (
        <button key={emoji} className="icon" onClick={() => app.react(emoji)} aria-label={emoji}>
          {emoji}
        </button>
      ))}
    </div>
  );
}

/** Reactions float up for a few seconds wherever they are shown. */
export function ReactionsFeed() {
  const reactions = useRoom((s) => s.reactions);
  const peers = useRoom((s) => s.peers);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  void now;
  return (
    <ul className="feed" aria-live="polite">
      {reactions.slice(-5).map((r) => (
        <li key={r.id} data-emoji={r.emoji}>
          {r.emoji} {peers[r.from]?.name}
        </li>
      ))}
    </ul>
  );
}
