import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { RecoveredNotice, ReconnectBanner } from './components/Banners';
import { RoomAudio } from './components/RoomAudio';
import { Toasts } from './components/Toasts';
import { useApp, useRoom } from './context';
import { REMOTE_LINK_PARAM } from '../../protocol/remote';
import { readHandoff } from './signaling/handoff';
import { JoinView } from './views/JoinView';
import { StatsOverlay } from './views/StatsOverlay';
import { StudentView } from './views/StudentView';

// A student's phone (the QR code's link) loads neither the room screen's view (its QR code
// maker) nor the teacher's panels: they come as their own files when a role needs them.
const ScreenView = lazy(() =>
  import('./views/ScreenView').then((m) => ({ default: m.ScreenView })),
);
// A class record's link plays without joining (students get one from their teacher).
const ReviewView = lazy(() =>
  import('./review/ReviewView').then((m) => ({ default: m.ReviewView })),
);
const TeacherView = lazy(() =>
  import('./views/TeacherView').then((m) => ({ default: m.TeacherView })),
);

/** One app; the role decides the view. */
export function App() {
  const { t } = useTranslation();
  const app = useApp();
  const joined = useRoom((s) => s.me !== null && s.status !== 'idle' && s.status !== 'connecting');
  const role = useRoom((s) => s.me?.role);
  const ended = useRoom((s) => s.endedReason);
  const params = new URLSearchParams(window.location.search);
  const screenKey = params.get('screen');
  const relay = params.get('relay') ?? '';
  const record = params.get('record');
  // Opened from the cloud's remote link: this page joins through the cloud, without a code.
  const remote = params.get(REMOTE_LINK_PARAM);
  if (remote && app.session.remoteLink !== remote) app.session.useRemoteLink(remote);
  useEffect(() => {
    if (record) return;
    if (screenKey) {
      void app.join({ role: 'screen', name: 'Room screen', credential: screenKey }, relay);
      return;
    }
    // Arrived from this room's http page as the same member (signaling/handoff.ts).
    const handoff = readHandoff(window.location.hash);
    if (handoff) {
      history.replaceState(null, '', window.location.pathname + window.location.search);
      void app.resumeHandoff(handoff, params.get('code') ?? '');
    }
    // Once, on load: the page's own URL does not change under it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [app, screenKey, relay]);
  if (record) {
    return (
      <Suspense fallback={<main className="center" aria-busy="true" />}>
        <ReviewView token={record} />
      </Suspense>
    );
  }
  if (ended) {
    return (
      <main className="center">
        <div className="card" role="alert">
          <p>{t(`room.ended.${ended}`)}</p>
          {ended === 'replaced' && (
            <button onClick={() => app.session.restart()}>{t('room.rejoin')}</button>
          )}
        </div>
      </main>
    );
  }
  const view = !joined ? (
    screenKey ? (
      <main className="center">…</main>
    ) : (
      <JoinView
        initialCode={params.get('code') ?? ''}
        initialAddress={relay}
        remote={remote !== null}
      />
    )
  ) : role === 'screen' ? (
    <ScreenView />
  ) : role === 'teacher' ? (
    <TeacherView />
  ) : (
    <StudentView />
  );
  return (
    <>
      <ReconnectBanner />
      <RecoveredNotice />
      <Suspense fallback={<main className="center" aria-busy="true" />}>{view}</Suspense>
      {joined && <RoomAudio />}
      {joined && role !== 'screen' && <Toasts />}
      <StatsOverlay />
    </>
  );
}
