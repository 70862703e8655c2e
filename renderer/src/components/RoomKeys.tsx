import { type FormEvent, memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useRoom } from '../context';

/** Teacher: the devices this room remembers (forget one or all), and the teacher credential. */
function RoomKeysView() {
  const { t } = useTranslation();
  const { devices } = useApp();
  const list = useRoom((s) => s.rememberedDevices);
  return (
    <details
      className="room-keys"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) void devices.refresh();
      }}
    >
      <summary>{t('devices.title')}</summary>
      {list.length === 0 ? (
        <p className="hint">{t('devices.none')}</p>
      ) : (
        <ul aria-label={t('devices.title')}>
          {list.map((d) => (
            <li key={d.id} data-device={d.name}>
              <span>
                {d.name} <small>{t(`role.${d.role}`)}</small>{' '}
                <small>
                  {t('devices.lastSeen', { when: new Date(d.lastSeen).toLocaleString() })}
                </small>
              </span>
              <button className="danger" onClick={() => void devices.forget(d.id)}>
                {t('devices.forget')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {list.length > 1 && (
        <button className="danger" onClick={() => void devices.forget('all')}>
          {t('devices.forgetAll')}
        </button>
      )}
      <TeacherCredentialForm />
    </details>
  );
}

function TeacherCredentialForm() {
  const { t } = useTranslation();
  const { devices } = useApp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void devices.changeTeacherCredential(current, next).then((ok) => {
      setDone(ok);
      if (ok) {
        setCurrent('');
        setNext('');
      }
    });
  };
  return (
    <form className="credential" onSubmit={submit} aria-label={t('credential.title')}>
      <h3>{t('credential.title')}</h3>
      <label>
        {t('credential.current')}
        <input
          type="password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          required
        />
      </label>
      <label>
        {t('credential.next')}
        <input
          type="password"
          value={next}
          minLength={8}
          onChange={(e) => setNext(e.target.value)}
          required
        />
      </label>
      <button type="submit">{t('credential.change')}</button>
      {done && <p role="status">{t('credential.changed')}</p>}
    </form>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const RoomKeys = memo(RoomKeysView);
