import { useMemo } from 'react';
import { hasVideo } from '../../../protocol';
import { useTranslation } from 'react-i18next';
import { LanguagePicker } from '../components/LanguagePicker';
import { SecurePageOffer } from '../components/SecurePage';
import { ConnectionDot } from '../components/StatusBadges';
import { SoundControls } from '../components/AvControls';
import { VideoTile } from '../components/VideoTile';
import { useApp, useRoom } from '../context';
import { selectMe, selectTeacherShares } from '../store';
import { ClassPanel, ClassPanelWithoutSending } from './SharePanel';

/** Student: the teacher's share, hand, reactions, chat; stage invitation and sharing. */
export function StudentView() {
  const { t } = useTranslation();
  const { moderation: app } = useApp();
  const room = useRoom((s) => s.room);
  const me = useRoom(selectMe);
  const peers = useRoom((s) => s.peers);
  const shares = useRoom((s) => s.shares);
  const invitedBy = useRoom((s) => s.invitedBy);
  // On plain http this page watches only: going on stage happens on the https page.
  const secure = useRoom((s) => s.secure || s.secureUrl === null);
  // Pictures only: a microphone is heard (RoomAudio), not shown.
  const teacherShares = useMemo(
    () => selectTeacherShares(shares, peers).filter((s) => hasVideo(s.kind)),
    [shares, peers],
  );
  return (
    <main className="room student">
      <header>
        <h1>{room?.name}</h1>
        {me?.stage === 'on' && <span className="chip">{t('room.onStage')}</span>}
        <span className="grow" />
        <button onClick={() => app.setHand(!me?.hand)}>
          {me?.hand ? t('room.lowerHand') : t('room.raiseHand')}
        </button>
        <SoundControls />
        <LanguagePicker />
        <ConnectionDot />
      </header>
      <section className="viewer">
        {teacherShares.length > 0 ? (
          teacherShares.map((s) => <VideoTile key={s.id} share={s} />)
        ) : (
          <p className="waiting">{t('room.waiting')}</p>
        )}
      </section>
      <section className="main">
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
            <button onClick={() => app.respond(false)}>{t('room.decline')}</button>
          </div>
        )}
        {/* Off stage there is nothing to send: the controls come with the invitation. */}
        {me?.stage === 'on' && !secure && <SecurePageOffer accept={false} />}
        {me?.stage === 'on' && secure ? (
          <ClassPanel shareLabel="room.shareToScreen" />
        ) : (
          <ClassPanelWithoutSending />
        )}
      </section>
    </main>
  );
}
