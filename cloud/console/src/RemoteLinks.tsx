import QRCode from 'qrcode';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { RemoteLinkInfo, RemoteRole } from '../../../protocol';
import { api } from './api';
import { Copyable } from './ClassLink';
import { useT } from './i18n';
import { usePoll } from './usePoll';

/**
 * Links for people outside the room: made here (for a student or a teacher, until the class
 * ends or for a set time), shown once with a QR code, listed, revoked one by one or all at once.
 */
export function RemoteLinks({ roomId }: { roomId: string }) {
  const { t, lang } = useT();
  const load = useCallback(() => api.remoteLinks(roomId), [roomId]);
  const { data, refresh } = usePoll(load, 10_000);
  const [role, setRole] = useState<RemoteRole>('student');
  const [label, setLabel] = useState('');
  const [made, setMade] = useState<string | null>(null);
  const [problem, setProblem] = useState('');
  const fail = (e: unknown) => setProblem(e instanceof Error ? e.message : String(e));
  const create = (e: FormEvent) => {
    e.preventDefault();
    setProblem('');
    api.createRemoteLink(roomId, { role, label }).then((r) => {
      setMade(new URL(r.path, window.location.origin).href);
      setLabel('');
      refresh();
    }, fail);
  };
  const revoke = (link?: RemoteLinkInfo) => {
    api.revokeRemoteLink(roomId, link?.id).then(() => {
      setMade(null);
      refresh();
    }, fail);
  };
  const until = (at: number) =>
    new Date(at).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section className="panel remote-links" aria-labelledby="remote-title">
      <h2 id="remote-title">{t('remote.title')}</h2>
      <p className="muted">{t('remote.about')}</p>
      <form className="row" onSubmit={create} aria-label={t('remote.form')}>
        <label>
          {t('remote.role')}{' '}
          <select value={role} onChange={(e) => setRole(e.target.value as RemoteRole)}>
            <option value="student">{t('role.student')}</option>
            <option value="teacher">{t('role.teacher')}</option>
          </select>
        </label>
        <label>
          {t('remote.label')}{' '}
          <input value={label} maxLength={80} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <button type="submit">{t('remote.create')}</button>
      </form>
      {made && <MadeLink url={made} />}
      {data && data.links.length === 0 && <p className="muted">{t('remote.none')}</p>}
      {data && data.links.length > 0 && (
        <>
          <p>{t('remote.connected', { count: data.connected })}</p>
          <ul className="classes">
            {data.links.map((l) => (
              <li key={l.id} data-remote-link={l.id}>
                <strong>{l.label || t(`role.${l.role}`)}</strong>{' '}
                <span className="muted">
                  {t(`role.${l.role}`)} · {t('remote.until', { when: until(l.expiresAt) })}
                </span>{' '}
                <button className="danger" onClick={() => revoke(l)}>
                  {t('remote.revoke')}
                </button>
              </li>
            ))}
          </ul>
          <button className="danger" onClick={() => revoke()}>
            {t('remote.revokeAll')}
          </button>
        </>
      )}
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

/** The new link, shown once: copy it or show its QR code. */
function MadeLink({ url }: { url: string }) {
  const { t } = useT();
  const [qr, setQr] = useState('');
  useEffect(() => {
    void QRCode.toString(url, { type: 'svg', margin: 1 }).then(setQr);
  }, [url]);
  return (
    <div className="class-link" role="status">
      <div
        className="qr"
        role="img"
        aria-label={t('remote.qr')}
        dangerouslySetInnerHTML={{ __html: qr }}
      />
      <dl>
        <dt>{t('remote.link')}</dt>
        <dd>
          <Copyable text={url} />
        </dd>
        <dd className="muted">{t('remote.once')}</dd>
      </dl>
    </div>
  );
}
