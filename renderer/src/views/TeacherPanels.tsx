import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useRoom } from '../context';

/** Devices waiting to be let in (approval on): name, what device it says it is, admit/refuse. */
function LobbyView() {
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
function RemovedDevicesView() {
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

/** The board of the class that just ended, kept by the host: one download a page. */
function SavedBoardView() {
  const { t } = useTranslation();
  const pages = useRoom((s) => s.boardSaved);
  if (!pages || pages.length === 0) return null;
  return (
    <section aria-labelledby="board-saved-title" className="board-panel board-saved">
      <h2 id="board-saved-title" className="panel-title">
        {t('board.saved.title')}
      </h2>
      <p className="muted-text">{t('board.saved.hint')}</p>
      <ul>
        {pages.map((p) => (
          <li key={p.url}>
            <a href={p.url} download>
              {t('board.saved.page', { page: p.page })}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const Lobby = memo(LobbyView);
export const RemovedDevices = memo(RemovedDevicesView);
export const SavedBoard = memo(SavedBoardView);
