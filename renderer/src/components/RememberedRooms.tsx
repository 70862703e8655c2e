import { useTranslation } from 'react-i18next';
import { useApp, useRoom } from '../context';

/** The start screen's remembered rooms: back in with one tap, without the code. */
export function RememberedRooms() {
  const { t } = useTranslation();
  const app = useApp();
  const rooms = useRoom((s) => s.rememberedRooms);
  const status = useRoom((s) => s.status);
  if (rooms.length === 0) return null;
  return (
    <section className="remembered" aria-label={t('join.remembered')}>
      <h2>{t('join.remembered')}</h2>
      <ul>
        {rooms.map((r) => (
          <li key={`${r.address}|${r.role}`}>
            <span>
              {r.roomName}{' '}
              <small>
                {t('join.rememberedAs', { name: r.name, role: t(`role.${r.role}`) })}
                {r.address !== '' && ` · ${r.address}`}
              </small>
            </span>
            <button disabled={status === 'connecting'} onClick={() => void app.rejoin(r)}>
              {t('join.rejoin')}
            </button>
            <button className="secondary" onClick={() => app.devices.forgetHere(r)}>
              {t('join.forgetHere')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
