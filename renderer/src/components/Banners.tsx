import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRoom } from '../context';
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
