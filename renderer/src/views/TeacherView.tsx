import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALL_STAGE_MEDIA, hasVideo, type StageMedia } from '../../../protocol';
import { BoardPanel } from '../board/BoardPanel';
import { AvButtons, AvSettings, SoundControls } from '../components/AvControls';
import { ClassEnding, OperatorMessage } from '../components/Banners';
import { ChatPanel } from '../components/ChatPanel';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorLine } from '../components/ErrorLine';
import { LanguagePicker } from '../components/LanguagePicker';
import { ReactionsBar, ReactionsFeed } from '../components/Reactions';
import { RoomKeys } from '../components/RoomKeys';
import { Roster } from '../components/Roster';
import { ShortcutHelp } from '../components/ShortcutHelp';
import { StagePanel } from '../components/StagePanel';
import { CloudBadge, ConnectionDot, RecBadge } from '../components/StatusBadges';
import { ThemeToggle } from '../components/ThemeToggle';
import { VideoTile } from '../components/VideoTile';
import { useApp, useRoom } from '../context';
import { nextHand, nextLayout, type ShortcutAction } from '../controller/shortcuts';
import { useShortcuts } from '../hooks/useShortcuts';
import { selectRoster } from '../store';
import { stageCandidates } from '../store/stageOrder';
import { Lobby, RemovedDevices, SavedBoard } from './TeacherPanels';
import { SharePanel } from './SharePanel';
import { RecordsDialog } from '../review/RecordsDialog';
import { ReviewView } from '../review/ReviewView';

/**
 * Teacher console: the class controls as one toolbar, the people (hands first) on the side,
 * and in the middle what the room screen shows, what students send, and the chat.
 */
export function TeacherView() {
  const { t } = useTranslation();
  const { moderation: app } = useApp();
  const room = useRoom((s) => s.room);
  const code = useRoom((s) => s.code);
  const peers = useRoom((s) => s.peers);
  const shares = useRoom((s) => s.shares);
  const layout = useRoom((s) => s.layout);
  const board = useRoom((s) => s.board);
  const { board: boardApp } = useApp();
  const myId = useRoom((s) => s.me?.peerId);
  // What students on stage send (their camera in a 1:1 lesson, their screen).
  const fromStudents = useMemo(
    () => Object.values(shares).filter((s) => s.peerId !== myId && hasVideo(s.kind)),
    [shares, myId],
  );
  const [inviteFor, setInviteFor] = useState<StageMedia[]>([...ALL_STAGE_MEDIA]);
  const toggleMedia = (m: StageMedia, on: boolean) =>
    setInviteFor((cur) => (on ? [...new Set([...cur, m])] : cur.filter((x) => x !== m)));
  const [help, setHelp] = useState(false);
  const [records, setRecords] = useState(false);
  const [reviewing, setReviewing] = useState<string | null>(null);
  const [ending, setEnding] = useState(false);
  const run = useCallback(
    (action: ShortcutAction) => {
      if (action === 'help') setHelp((h) => !h);
      if (action === 'layout') {
        app.setLayout(nextLayout(layout.mode), stageCandidates(shares, layout, board !== null));
      }
      if (action === 'nextHand') {
        const next = nextHand(selectRoster(peers));
        if (next && inviteFor.length > 0) app.invite(next.id, inviteFor);
      }
    },
    [app, layout, shares, peers, inviteFor, board],
  );
  useShortcuts(run);
  if (reviewing) return <ReviewView token={reviewing} onClose={() => setReviewing(null)} />;
  return (
    <main className="room teacher">
      <header className="topbar">
        <h1>{room?.name}</h1>
        <span className="code-chip" aria-label="join code">
          {code}
        </span>
        {room?.locked && <span className="chip">{t('room.locked')}</span>}
        <RecBadge />
        <span className="grow" />
        <CloudBadge />
        <ConnectionDot />
        <LanguagePicker />
        <ThemeToggle />
        <button
          className="icon"
          aria-label={t('shortcuts.title')}
          aria-keyshortcuts="?"
          onClick={() => setHelp(true)}
        >
          <span aria-hidden="true">?</span>
        </button>
      </header>
      <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
        <SharePanel label="room.share" />
        <AvButtons />
        <span className="sep" />
        <button
          className={`toggle${room?.locked ? ' on' : ''}`}
          aria-pressed={room?.locked === true}
          aria-keyshortcuts="K"
          data-shortcut="k"
          onClick={() => app.lock(!room?.locked)}
        >
          <span aria-hidden="true">{room?.locked ? '🔒 ' : '🔓 '}</span>
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
        <button
          className={`toggle${room?.codeShown === false ? '' : ' on'}`}
          aria-pressed={room?.codeShown !== false}
          onClick={() => app.showCode(room?.codeShown === false)}
        >
          {t('room.codeOnScreen')}
        </button>
        <button
          className={`toggle${board ? ' on' : ''}`}
          aria-pressed={board !== null}
          onClick={() => (board ? boardApp.close() : boardApp.open('grid'))}
        >
          <span aria-hidden="true">✎ </span>
          {t('board.open')}
        </button>
        <button className="secondary" onClick={app.muteAll}>
          {t('room.muteAll')}
        </button>
        <SoundControls />
        <button
          className={`toggle rec-toggle${room?.recording ? ' on' : ''}`}
          aria-pressed={room?.recording !== undefined}
          onClick={() => app.record(room?.recording === undefined)}
        >
          {room?.recording ? t('record.stop') : t('record.start')}
        </button>
        <button className="secondary" onClick={() => setRecords(true)}>
          {t('records.open')}
        </button>
        <span className="grow" />
        <button className="danger" onClick={() => setEnding(true)}>
          {t('room.endClass')}
        </button>
      </div>
      <OperatorMessage />
      <ClassEnding />
      <aside aria-label={t('room.roster')}>
        <h2 className="panel-title">{t('room.roster')}</h2>
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
        <Roster inviteFor={inviteFor} />
        <RemovedDevices />
        <RoomKeys />
      </aside>
      <section className="main" aria-label={t('room.class')}>
        <ErrorLine />
        <SavedBoard />
        <StagePanel />
        <BoardPanel />
        {fromStudents.length > 0 && (
          <section className="viewer" aria-label={t('room.fromStudents')}>
            {fromStudents.map((s) => (
              <VideoTile key={s.id} share={s} zoomable />
            ))}
          </section>
        )}
        <AvSettings />
        <ReactionsBar />
        <ReactionsFeed />
        <ChatPanel />
      </section>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      {records && (
        <RecordsDialog
          onClose={() => setRecords(false)}
          onPlay={(r) => {
            setRecords(false);
            setReviewing(new URL(r.view, window.location.href).searchParams.get('record'));
          }}
        />
      )}
      {ending && (
        <ConfirmDialog
          title={t('confirm.endTitle')}
          body={t('confirm.endBody')}
          confirm={t('room.endClass')}
          onCancel={() => setEnding(false)}
          onConfirm={() => {
            setEnding(false);
            app.endClass();
          }}
        />
      )}
    </main>
  );
}
