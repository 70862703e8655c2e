import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguagePicker } from '../components/LanguagePicker';
import { ConnectionDot } from '../components/StatusBadges';
import { VideoTile } from '../components/VideoTile';
import { useApp, useRoom } from '../context';
import { selectMe, selectTeacherShares } from '../store';
import { ClassPanel } from './SharePanel';

/** Student: the teacher's share, hand, reactions, chat; stage invitation and sharing. */
export function StudentView() {
  const { t } = useTranslation();
  const { moderation: app } = useApp();
  const room = useRoom((s) => s.room);
  const me = useRoom(selectMe);
  const peers = useRoom((s) => s.peers);
  const shares = useRoom((s) => s.shares);
  const invitedBy = useRoom((s) => s.invitedBy);
  const muteRequested = useRoom((s) => s.muteRequested);
  const teacherShares = useMemo(() => selectTeacherShares(shares, peers), [shares, peers]);
  return (
    <main className="room student">
      <header>
        <h1>{room?.name}</h1>
        {me?.stage === 'on' && <span className="chip">{t('room.onStage')}</span>}
        <span className="grow" />
        <button onClick={() => app.setHand(!me?.hand)}>
          {me?.hand ? t('room.lowerHand') : t('room.raiseHand')}
        </button>
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
            <p>{t('room.invitation')}</p>
            <button onClick={() => app.respond(true)}>{t('room.accept')}</button>
            <button onClick={() => app.respond(false)}>{t('room.decline')}</button>
          </div>
        )}
        {muteRequested && <p className="notice">{t('room.muteRequested')}</p>}
        <ClassPanel shareLabel="room.shareToScreen" />
      </section>
    </main>
  );
}
