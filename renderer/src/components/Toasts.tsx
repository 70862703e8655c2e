import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../context';
import { roomToasts, type ToastSpec } from '../store/toasts';

const SHOWN_MS = 5000;
const AT_MOST = 3;

/** Events of the class as short messages in a corner, read out by screen readers. */
export function Toasts() {
  const { t } = useTranslation();
  const app = useApp();
  const [toasts, setToasts] = useState<(ToastSpec & { id: number })[]>([]);
  useEffect(() => {
    let next = 0;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const off = app.store.api.subscribe((state, prev) => {
      const fresh = roomToasts(prev, state).map((toast) => ({ ...toast, id: next++ }));
      if (fresh.length === 0) return;
      setToasts((cur) => [...cur, ...fresh].slice(-AT_MOST));
      const timer = setTimeout(() => {
        timers.delete(timer);
        setToasts((cur) => cur.filter((x) => !fresh.includes(x)));
      }, SHOWN_MS);
      timers.add(timer);
    });
    return () => {
      off();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [app]);
  return (
    <ol className="toasts" aria-live="polite" aria-label={t('toast.region')}>
      {toasts.map((toast) => (
        <li key={toast.id} className="toast" data-toast={toast.key}>
          {t(toast.key, { name: toast.name ?? '' })}
        </li>
      ))}
    </ol>
  );
}
