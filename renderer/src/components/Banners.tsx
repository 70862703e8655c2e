import { memo, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useRoom } from '../context';
import { desktop } from '../desktop';

/** "Reconnecting…" across the top while the relay is away (not on the big screen). */
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

/** An operator's message across the top, for as long as they asked. */
function OperatorMessageView() {
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

/** Teachers: the scheduled class ends soon by itself; one tap lets it run 10 minutes longer. */
function ClassEndingView() {
  const { t } = useTranslation();
  const { moderation } = useApp();
  const scheduled = useRoom((s) => s.room?.scheduled);
  if (!scheduled?.ending) return null;
  const time = new Date(scheduled.end).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
  });
  return (
    <div className="banner warning class-ending" role="alert">
      <span>{t('schedule.ending', { title: scheduled.title, time })}</span>
      <button onClick={() => moderation.extend(10)}>{t('schedule.extend', { minutes: 10 })}</button>
    </div>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const OperatorMessage = memo(OperatorMessageView);
export const ClassEnding = memo(ClassEndingView);
