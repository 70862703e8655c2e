import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../protocol';
import { ErrorLine } from '../components/ErrorLine';
import { LanguagePicker } from '../components/LanguagePicker';
import { PreJoinCheck } from '../components/PreJoinCheck';
import { RememberedRooms } from '../components/RememberedRooms';
import { useApp, useRoom } from '../context';
import { desktop } from '../desktop';
import { useDiscoveredRooms } from '../hooks/useDiscoveredRooms';
import { SettingsView } from './SettingsView';

/** Start: role, name, code (and credential for teachers, key for a room screen). */
export function JoinView({
  initialCode,
  initialAddress,
  remote = false,
}: {
  initialCode: string;
  initialAddress: string;
  /** Opened with a remote link: the link stands for the code (and a teacher's credential). */
  remote?: boolean;
}) {
  const { t } = useTranslation();
  const app = useApp();
  const [role, setRole] = useState<Role>('student');
  const [name, setName] = useState('');
  const [code, setCode] = useState(initialCode);
  const [secret, setSecret] = useState('');
  const [address, setAddress] = useState(initialAddress);
  // Remembering needs a page whose connection cannot be read on the Wi-Fi (the host refuses
  // otherwise): https, this machine, or the desktop app (which pins the host's key).
  const canRemember = !remote && (window.isSecureContext || desktop !== null);
  const [remember, setRemember] = useState(canRemember);
  const rooms = useDiscoveredRooms();
  const status = useRoom((s) => s.status);
  const waiting = useRoom((s) => s.waitingForTeacher && s.status === 'connecting');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const keep = remember && canRemember;
    if (remote) {
      void app.join({ role: role === 'teacher' ? 'teacher' : 'student', name });
    } else if (role === 'screen') {
      void app.join({ role, name: name || 'Room screen', credential: secret }, address);
    } else if (role === 'teacher') {
      void app.join({ role, name, code, credential: secret }, address, keep);
    } else void app.join({ role, name, code }, address, keep);
  };
  if (settingsOpen) return <SettingsView onClose={() => setSettingsOpen(false)} />;
  // A teacher on a plain http page of the LAN is refused: point at the same page over https.
  const secureHere =
    window.isSecureContext || window.location.protocol !== 'http:'
      ? null
      : `https://${window.location.host}${window.location.pathname}${window.location.search}`;
  return (
    <main className="center">
      {!remote && <RememberedRooms />}
      <form className="card" onSubmit={submit} aria-label={t('join.heading')}>
        <header className="row">
          <h1>{t('app.title')}</h1>
          <LanguagePicker />
          {desktop && (
            <button type="button" className="secondary" onClick={() => setSettingsOpen(true)}>
              {t('settings.open')}
            </button>
          )}
        </header>
        <fieldset className="roles">
          <legend>{t('join.role')}</legend>
          {(remote
            ? (['student', 'teacher'] as const)
            : (['student', 'teacher', 'screen'] as const)
          ).map((r) => (
            <label key={r}>
              <input type="radio" name="role" checked={role === r} onChange={() => setRole(r)} />{' '}
              {t(`join.role.${r}`)}
            </label>
          ))}
        </fieldset>
        {role !== 'screen' && (
          <>
            <label>
              {t('join.name')}
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={40}
                required
                autoFocus
              />
            </label>
            {remote ? (
              <p className="notice" role="note">
                🌐 {t('join.remote')}
              </p>
            ) : (
              <label>
                {t('join.code')}
                <input
                  value={code}
                  onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
                  inputMode="numeric"
                  pattern="\d{6}"
                  required
                />
              </label>
            )}
          </>
        )}
        {role !== 'student' && secureHere && !remote && (
          <p className="notice" role="note">
            {t('secure.teacher')} <a href={secureHere}>{secureHere}</a>
          </p>
        )}
        {role === 'screen' || (role === 'teacher' && !remote) ? (
          <label>
            {t(role === 'teacher' ? 'join.credential' : 'join.screenKey')}
            <input
              type="password"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              required
            />
          </label>
        ) : null}
        {desktop && !remote && (
          <fieldset className="rooms">
            <legend>{t('join.discovered')}</legend>
            {rooms.length === 0 && <small>{t('join.noRooms')}</small>}
            {rooms.map((r) => (
              <label key={r.id}>
                <input
                  type="radio"
                  name="room"
                  checked={address === r.address}
                  onChange={() => setAddress(r.address)}
                />{' '}
                {r.name} <small>{r.address}</small>
              </label>
            ))}
          </fieldset>
        )}
        <details open={desktop !== null || initialAddress !== ''} hidden={remote}>
          <summary>{t(desktop ? 'join.addressTyped' : 'join.address')}</summary>
          <input
            aria-label={t(desktop ? 'join.addressTyped' : 'join.address')}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder={desktop ? '192.168.1.20:47800' : window.location.host}
            required={desktop !== null}
            spellCheck={false}
          />
        </details>
        {canRemember && role !== 'screen' && (
          <label className="check">
            <input
              type="checkbox"
              checked={remember}
              onChange={(e) => setRemember(e.target.checked)}
            />{' '}
            {t('join.remember')}
          </label>
        )}
        <button type="submit" disabled={status === 'connecting'}>
          {status === 'connecting' ? t('join.joining') : t('join.submit')}
        </button>
        {waiting && <p role="status">{t('lobby.waiting')}</p>}
        {!remote && <small>{t('join.hint')}</small>}
        {role !== 'screen' && <PreJoinCheck address={address} />}
        <ErrorLine />
      </form>
    </main>
  );
}
