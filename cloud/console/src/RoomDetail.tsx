import { useCallback, useEffect, useState } from 'react';
import {
  machineLabel,
  type DevicePath,
  type Role,
  type RoomView,
  type ServerPayload,
} from '../../../protocol';

type LeaveReason = ServerPayload<'peerLeft'>['reason'];
import { api } from './api';
import { time, useT, type T } from './i18n';
import { Commands } from './Commands';
import { LinkCommand } from './LinkCommand';
import { Metrics } from './Metrics';
import { roomState } from './RoomsGrid';
import { Records } from './Records';
import { RemoteLinks } from './RemoteLinks';
import { Schedule } from './Schedule';
import { usePoll } from './usePoll';

/** One room: roster, stage, recent events, commands to its screen, metrics, credential. */
export function RoomDetail({ id, onUnauthorized }: { id: string; onUnauthorized: () => void }) {
  const { t, lang } = useT();
  const load = useCallback(() => api.room(id), [id]);
  const { data: room, error, refresh } = usePoll(load, 2000);
  useEffect(() => {
    if (error?.code === 'UNAUTHORIZED') onUnauthorized();
  }, [error, onUnauthorized]);
  if (error?.code === 'NOT_FOUND') return <main className="muted">{t('detail.none')}</main>;
  if (!room) return <main className="muted">{t('loading')}</main>;
  return (
    <main className="detail">
      <div className="toolbar">
        <a href="#/">{t('detail.back')}</a>
        <h1>{room.name}</h1>
        <span className={`dot ${room.online ? 'on' : 'off'}`} />
        <span className="muted">
          {room.online ? roomState(t, room) : t('room.offline')} ·{' '}
          {t('room.devices', { count: room.devices })} · {t('health.label')}{' '}
          <span className={`health health-${room.health}`}>{t(`health.${room.health}`)}</span>
        </span>
      </div>
      <div className="columns">
        <section className="panel">
          <h2>{t('detail.roster')}</h2>
          <Roster room={room} />
          <h2>{t('detail.stage')}</h2>
          {room.shares.length === 0 ? (
            <p className="muted">{t('detail.nothingShown')}</p>
          ) : (
            <ul className="plain">
              {room.shares.map((s) => (
                <li key={s.id}>
                  {s.by} — {t(`share.${s.kind}`)}
                  {!machineLabel(s.label) && `: ${s.label}`} ({t(`preset.${s.preset}`)})
                </li>
              ))}
            </ul>
          )}
          <p className="muted">
            {t('detail.layout', { mode: room.layout ? t(`layout.${room.layout.mode}`) : '–' })}
          </p>
        </section>
        <section className="panel">
          <h2>{t('detail.commands')}</h2>
          <Commands room={room} onSent={refresh} />
          <Credential room={room} />
        </section>
        <section className="panel">
          <h2>{t('detail.events')}</h2>
          <ol className="events" aria-label={t('detail.events')}>
            {[...room.events].reverse().map((e, i) => (
              <li key={`${e.at}-${i}`}>
                <time>{time(e.at, lang)}</time> {eventText(t, e)}
              </li>
            ))}
          </ol>
          <p className="muted">
            {t('detail.link', room.link)}
            {room.link.duplicates > 0 && t('detail.duplicates', { count: room.link.duplicates })}
          </p>
        </section>
      </div>
      <Schedule roomId={room.id} />
      <RemoteLinks roomId={room.id} />
      <Records roomId={room.id} />
      <Metrics room={room} />
    </main>
  );
}

/** An event in the operator's language (an event from an older cloud has only English). */
function eventText(t: T, e: RoomView['events'][number]): string {
  if (!e.kind) return e.text;
  const v = e.vars;
  switch (e.kind) {
    case 'joined':
      return t('event.joined', { ...v, role: t(`role.${v['role'] as Role}`) });
    case 'left':
      return t('event.left', { ...v, reason: t(`leave.${v['reason'] as LeaveReason}`) });
    default:
      return t(`event.${e.kind}`, v);
  }
}

function Roster({ room }: { room: RoomView }) {
  const { t } = useT();
  const people = [...room.peers].sort(
    (a, b) => a.role.localeCompare(b.role) || a.name.localeCompare(b.name),
  );
  if (people.length === 0) return <p className="muted">{t('roster.empty')}</p>;
  return (
    <table className="roster" aria-label={t('roster.table')}>
      <thead>
        <tr>
          <th>{t('roster.name')}</th>
          <th>{t('roster.role')}</th>
          <th>{t('roster.stage')}</th>
          <th>{t('roster.path')}</th>
          <th>
            <span className="sr">{t('roster.hand')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {people.map((p) => (
          <tr key={p.id} className={p.online ? '' : 'away'}>
            <td>{p.name}</td>
            <td>{t(`role.${p.role}`)}</td>
            <td>{p.stage === 'off' ? '' : t(`stage.${p.stage}`)}</td>
            <td>
              <PathCell path={room.paths?.[p.id]} remote={p.remote === true} />
            </td>
            <td>{p.hand && <span aria-label={t('roster.handUp')}>✋</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where someone joined from, what carries their media, and their pre-join check. */
function PathCell({ path, remote }: { path: DevicePath | undefined; remote: boolean }) {
  const { t } = useT();
  const parts = [t(remote ? 'roster.remote' : 'roster.lan')];
  if (path?.media) {
    parts.push(t(path.media === 'sfu' && remote ? 'path.sfuCloud' : `path.${path.media}`));
  }
  if (path?.tcp) parts.push(t('path.tcp'));
  const check = path?.check;
  return (
    <>
      {parts.join(' · ')}
      {check && (
        <small className="muted path-check">
          {t('path.check', {
            verdict: t(`verdict.${check.verdict}`),
            rtt: check.rttMs ?? '—',
            down: (check.downKbps / 1000).toFixed(1),
          })}
        </small>
      )}
    </>
  );
}

function Credential({ room }: { room: RoomView }) {
  const { t } = useT();
  const [issued, setIssued] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const rotate = () =>
    api.newToken(room.id).then(
      (r) => setIssued(r.token),
      (e: Error) => setNote(e.message),
    );
  const revoke = () => {
    if (!window.confirm(t('credential.confirm', { name: room.name }))) return;
    api.revoke(room.id).then(
      () => setNote(t('credential.revoked')),
      (e: Error) => setNote(e.message),
    );
  };
  return (
    <>
      <h2>{t('credential.title')}</h2>
      <div className="row">
        <button onClick={() => void rotate()}>{t('credential.issue')}</button>
        <button className="danger" onClick={revoke}>
          {t('credential.revoke')}
        </button>
      </div>
      {note && <p className="muted">{note}</p>}
      {issued && <LinkCommand roomId={room.id} token={issued} name={room.name} />}
    </>
  );
}
