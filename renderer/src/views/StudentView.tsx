import { useMemo, useState } from 'react';
import { hasVideo } from '../../../protocol';
import { useTranslation } from 'react-i18next';
import { BoardPanel } from '../board/BoardPanel';
import { ChatPanel } from '../components/ChatPanel';
import { EmptyState } from '../components/EmptyState';
import { ErrorLine } from '../components/ErrorLine';
import { LanguagePicker } from '../components/LanguagePicker';
import { ReactionsBar, ReactionsFeed } from '../components/Reactions';
import { SecurePageOffer } from '../components/SecurePage';
import { ConnectionDot, RecBadge } from '../components/StatusBadges';
import { SoundControls, AvControls } from '../components/AvControls';
import { ThemeToggle } from '../components/ThemeToggle';
import { VideoTile } from '../components/VideoTile';
import { useApp, useRoom } from '../context';
import { selectMe, selectTeacherShares } from '../store';
import { SharePanel } from './SharePanel';

/**
 * Student, phone first: the teacher's share across the whole width (zoom and pan into it), and
 * below it a bar with the hand, reactions and the chat, which opens as a bottom sheet on a
 * phone and is a side column on a laptop. Sending controls appear only on stage.
 */
export function StudentView() {
  const { t } = useTranslation();
  const room = useRoom((s) => s.room);
  const me = useRoom(selectMe);
  const peers = useRoom((s) => s.peers);
  const shares = useRoom((s) => s.shares);
  const boardOpen = useRoom((s) => s.board !== null);
  // Pictures only: a microphone is heard (RoomAudio), not shown.
  const teacherShares = useMemo(
    () => selectTeacherShares(shares, peers).filter((s) => hasVideo(s.kind)),
    [shares, peers],
  );
  return (
    <main className="room student">
      <header className="topbar">
        <h1>{room?.name}</h1>
        <RecBadge />
        <ConnectionDot />
        {me?.stage === 'on' && <span className="chip">{t('room.onStage')}</span>}
        <span className="grow" />
        <SoundControls />
        <LanguagePicker />
        <ThemeToggle />
      </header>
      <section className="viewer" aria-label={t('room.teacherShare')}>
        {teacherShares.map((s) => (
          <VideoTile key={s.id} share={s} zoomable />
        ))}
        {boardOpen && <BoardPanel />}
        {teacherShares.length === 0 && !boardOpen && (
          <EmptyState icon="🖥" title={t('room.waiting')} hint={t('room.waitingHint')} />
        )}
      </section>
      <StudentSide />
    </main>
  );
}

/** Invitation, stage controls, errors; the hand, reactions and chat. */
function StudentSide() {
  const { t } = useTranslation();
  const { moderation: app } = useApp();
  const me = useRoom(selectMe);
  const invitedBy = useRoom((s) => s.invitedBy);
  const chatCount = useRoom((s) => s.chat.length);
  // On plain http this page watches only: going on stage happens on the https page.
  const secure = useRoom((s) => s.secure || s.secureUrl === null);
  const [chatOpen, setChatOpen] = useState(false);
  const [seen, setSeen] = useState(0);
  const unread = chatOpen ? 0 : Math.max(0, chatCount - seen);
  const toggleChat = () => {
    setChatOpen(!chatOpen);
    setSeen(chatCount);
  };
  return (
    <section className="side" aria-label={t('room.class')}>
      {invitedBy && (
        <div className="invite" role="dialog" aria-label={t('room.invitation')}>
          <p>
            {me?.stageMedia
              ? t('room.invitationFor', {
                  media: me.stageMedia.map((m) => t(`media.${m}`)).join(', '),
                })
              : t('room.invitation')}
          </p>
          {secure ? (
            <button onClick={() => app.respond(true)}>{t('room.accept')}</button>
          ) : (
            <SecurePageOffer accept />
          )}
          <button className="secondary" onClick={() => app.respond(false)}>
            {t('room.decline')}
          </button>
        </div>
      )}
      {/* Off stage there is nothing to send: the controls come with the invitation. */}
      {me?.stage === 'on' && !secure && <SecurePageOffer accept={false} />}
      {me?.stage === 'on' && secure && (
        <section className="stage-controls" aria-label={t('room.onStage')}>
          <AvControls />
          <SharePanel label="room.shareToScreen" />
        </section>
      )}
      <ErrorLine />
      <ReactionsFeed />
      <div className="class-bar">
        <button
          className={`hand${me?.hand ? ' on' : ''}`}
          aria-pressed={me?.hand === true}
          onClick={() => app.setHand(!me?.hand)}
        >
          <span aria-hidden="true">✋ </span>
          {me?.hand ? t('room.lowerHand') : t('room.raiseHand')}
        </button>
        <button
          className="sheet-toggle secondary"
          aria-expanded={chatOpen}
          aria-controls="chat-sheet"
          onClick={toggleChat}
        >
          <span aria-hidden="true">💬 </span>
          {t('room.chat')}
          {unread > 0 && (
            <span className="badge" aria-label={t('room.unread', { count: unread })}>
              {unread}
            </span>
          )}
        </button>
      </div>
      <div id="chat-sheet" className={`sheet${chatOpen ? ' open' : ''}`}>
        <ReactionsBar />
        <ChatPanel />
      </div>
    </section>
  );
}
