import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { app } from '../controller';
import { useRoom } from '../store';
import { ConnectionDot, LanguagePicker, VideoTile } from './parts';
import { ClassPanel } from './SharePanel';

/** Student: the teacher's share, hand, reactions, chat; stage invitation and sharing. */
export function StudentView() {
  const { t } = useTranslation();
  const room = useRoom((s) => s.room);
  const me = useRoom((s) => (s.me ? s.peers[s.me.peerId] : undefined));
  const peers = useRoom((s) => s.peers);
  const shares = useRoom((s) => s.shares);
  const invitedBy = useRoom((s) => s.invitedBy);
  const muteRequested = useRoom((s) => s.muteRequested);
  const teacherShares = useMemo(
    () => Object.values(shares).filter((s) => peers[s.peerId]?.role === 'teacher'),
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
