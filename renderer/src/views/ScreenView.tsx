import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { BOARD_SLOT, joinLink, type Share } from '../../../protocol';
import { shortPin } from '../../../protocol/tls';
import { BoardCanvas } from '../board/BoardCanvas';
import { OperatorMessage } from '../components/Banners';
import { ReactionsFeed } from '../components/Reactions';
import { CloudBadge, ConnectionDot, RecBadge } from '../components/StatusBadges';
import { SoundBlocked } from '../components/AvControls';
import { VideoTile } from '../components/VideoTile';
import { useRoom } from '../context';

/** True after `ms` without mouse movement: the big screen hides the cursor then. */
function useIdleCursor(ms = 3000): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    let timer = setTimeout(() => setIdle(true), ms);
    const moved = () => {
      setIdle(false);
      clearTimeout(timer);
      timer = setTimeout(() => setIdle(true), ms);
    };
    window.addEventListener('mousemove', moved);
    return () => {
      window.removeEventListener('mousemove', moved);
      clearTimeout(timer);
    };
  }, [ms]);
  return idle;
}

/** The join link (with the room key's pin for the https page and the app) and its QR code. */
function useJoinLink() {
  const code = useRoom((s) => s.code);
  const joinUrl = useRoom((s) => s.joinUrl);
  const pin = useRoom((s) => s.pin);
  const [qr, setQr] = useState('');
  const page = joinUrl ?? `${window.location.origin}/`;
  const url = joinLink(page, code ?? '');
  const qrUrl = joinLink(page, code ?? '', pin);
  useEffect(() => {
    void QRCode.toString(qrUrl, { type: 'svg', margin: 1 }).then(setQr);
  }, [qrUrl]);
  return { code, url, qr, pin };
}

const spaced = (code: string | null) => (code ? `${code.slice(0, 3)} ${code.slice(3)}` : '');

/** Recording, connection, cloud: one calm corner, never over the middle of a share. */
function StatusCorner() {
  return (
    <div className="status-corner">
      <RecBadge />
      <CloudBadge />
      <ConnectionDot />
    </div>
  );
}

/** The big screen: code and QR while idle; the stage in the chosen layout while shares run. */
export function ScreenView() {
  const { t } = useTranslation();
  const room = useRoom((s) => s.room);
  const shares = useRoom((s) => s.shares);
  const layout = useRoom((s) => s.layout);
  const board = useRoom((s) => s.board);
  // The layout's slots in order: shares that still exist, and the board where it was placed.
  const slots = useMemo(
    () =>
      layout.slots.flatMap((id): (Share | typeof BOARD_SLOT)[] =>
        id === BOARD_SLOT
          ? board
            ? [BOARD_SLOT]
            : []
          : id !== null && shares[id]
            ? [shares[id]]
            : [],
      ),
    [layout, shares, board],
  );
  const blocked = useRoom((s) => s.soundBlocked);
  const { code, url, qr, pin } = useJoinLink();
  // A camera that rides on its owner's screen share (the relay leaves it out of the slots).
  const cornerOf = useMemo(() => {
    const placed = new Set(layout.slots);
    const byPeer = new Map<string, Share>();
    for (const s of Object.values(shares)) {
      if (s.kind === 'camera' && !placed.has(s.id)) byPeer.set(s.peerId, s);
    }
    return byPeer;
  }, [shares, layout]);
  const cursor = useIdleCursor() ? ' cursor-hidden' : '';
  if (slots.length > 0) {
    return (
      <main className={`stage stage-${layout.mode}${cursor}`} data-layout={layout.mode}>
        <h1 className="sr">{room?.name}</h1>
        {slots.map((share) => {
          if (share === BOARD_SLOT) {
            return (
              <figure key={BOARD_SLOT} className="tile board-tile" data-kind="board">
                <div className="board-sheet">
                  <BoardCanvas
                    page={board?.page ?? 0}
                    label={t('board.canvas', { page: (board?.page ?? 0) + 1 })}
                  />
                </div>
                <figcaption>
                  {t('board.title')} ·{' '}
                  {t('board.pageOf', { page: (board?.page ?? 0) + 1, pages: board?.pages ?? 1 })}
                </figcaption>
              </figure>
            );
          }
          const corner = share.kind !== 'camera' ? cornerOf.get(share.peerId) : undefined;
          return corner ? (
            <div key={share.id} className="with-corner">
              <VideoTile share={share} />
              <VideoTile share={corner} className="corner" />
            </div>
          ) : (
            <VideoTile key={share.id} share={share} />
          );
        })}
        {room?.codeShown !== false && (
          <aside className="corner-code" aria-label={t('screen.code')}>
            <div className="qr" dangerouslySetInnerHTML={{ __html: qr }} />
            <span>
              <small>{t('screen.code')}</small>
              <b>{spaced(code)}</b>
            </span>
          </aside>
        )}
        {blocked && <SoundBlocked />}
        <StatusCorner />
        <OperatorMessage />
        <ReactionsFeed />
      </main>
    );
  }
  return (
    <main className={`idle${cursor}`} data-layout="idle">
      <h1>{room?.name}</h1>
      <p className="code-label">{t('screen.code')}</p>
      <p className="code" aria-label="join code">
        {spaced(code)}
      </p>
      <div
        className="qr"
        role="img"
        aria-label={t('screen.qr')}
        dangerouslySetInnerHTML={{ __html: qr }}
      />
      {room?.next && (
        <p className="next-class">
          {t('screen.next', {
            title: room.next.title,
            time: new Date(room.next.start).toLocaleTimeString([], {
              hour: '2-digit',
              minute: '2-digit',
            }),
          })}
        </p>
      )}
      {blocked && <SoundBlocked />}
      <p className="url">
        {t('screen.joinAt')} {url}
      </p>
      {pin && (
        <p className="room-key" aria-label={t('screen.roomKey')}>
          {t('screen.roomKey')} <span>{shortPin(pin)}</span>
        </p>
      )}
      <StatusCorner />
      <OperatorMessage />
      <ReactionsFeed />
    </main>
  );
}
