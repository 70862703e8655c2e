import { useCallback, useEffect, useState } from 'react';
import type { RoomView } from '../../../protocol';
import { api } from './api';
import { Commands } from './Commands';
import { LinkCommand } from './LinkCommand';
import { Metrics } from './Metrics';
import { usePoll } from './usePoll';

const time = (at: number) => new Date(at).toLocaleTimeString();

/** One room: roster, stage, recent events, commands to its screen, metrics, credential. */
export function RoomDetail({ id, onUnauthorized }: { id: string; onUnauthorized: () => void }) {
  const load = useCallback(() => api.room(id), [id]);
  const { data: room, error, refresh } = usePoll(load, 2000);
  useEffect(() => {
    if (error?.code === 'UNAUTHORIZED') onUnauthorized();
  }, [error, onUnauthorized]);
  if (error?.code === 'NOT_FOUND') return <main className="muted">No such room.</main>;
  if (!room) return <main className="muted">Loading…</main>;
  return (
    <main className="detail">
      <div className="toolbar">
        <a href="#/">← Rooms</a>
        <h1>{room.name}</h1>
        <span className={`dot ${room.online ? 'on' : 'off'}`} />
        <span className="muted">
          {room.online ? (room.classRunning ? 'Class running' : 'Idle') : 'Offline'} ·{' '}
          {room.devices} devices · health{' '}
          <span className={`health health-${room.health}`}>{room.health}</span>
        </span>
      </div>
      <div className="columns">
        <section className="panel">
          <h2>Roster</h2>
          <Roster room={room} />
          <h2>Stage</h2>
          {room.shares.length === 0 ? (
            <p className="muted">Nothing on the room screen.</p>
          ) : (
            <ul className="plain">
              {room.shares.map((s) => (
                <li key={s.id}>
                  {s.by} — {s.kind} “{s.label}” ({s.preset})
                </li>
              ))}
            </ul>
          )}
          <p className="muted">Layout: {room.layout?.mode ?? '–'}</p>
        </section>
        <section className="panel">
          <h2>Commands to the room screen</h2>
          <Commands room={room} onSent={refresh} />
          <Credential room={room} />
        </section>
        <section className="panel">
          <h2>Recent events</h2>
          <ol className="events" aria-label="recent events">
            {[...room.events].reverse().map((e, i) => (
              <li key={`${e.at}-${i}`}>
                <time>{time(e.at)}</time> {e.text}
              </li>
            ))}
          </ol>
          <p className="muted">
            Link: {room.link.connects} connects, {room.link.resyncs} snapshot resyncs,{' '}
            {room.link.received} messages
            {room.link.duplicates > 0 && `, ${room.link.duplicates} resends ignored`}
          </p>
        </section>
      </div>
      <Metrics room={room} />
    </main>
  );
}

function Roster({ room }: { room: RoomView }) {
  const people = [...room.peers].sort(
    (a, b) => a.role.localeCompare(b.role) || a.name.localeCompare(b.name),
  );
  if (people.length === 0) return <p className="muted">No one in the room.</p>;
  return (
    <table className="roster" aria-label="roster">
      <thead>
        <tr>
          <th>Name</th>
          <th>Role</th>
          <th>Stage</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {people.map((p) => (
          <tr key={p.id} className={p.online ? '' : 'away'}>
            <td>{p.name}</td>
            <td>{p.role}</td>
            <td>{p.stage === 'off' ? '' : p.stage}</td>
            <td>{p.hand ? '✋' : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Credential({ room }: { room: RoomView }) {
  const [issued, setIssued] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const rotate = () =>
    api.newToken(room.id).then(
      (r) => setIssued(r.token),
      (e: Error) => setNote(e.message),
    );
  const revoke = () => {
    if (
      !window.confirm(
        `Revoke ${room.name}'s credential? Its host is disconnected until given a new one.`,
      )
    ) {
      return;
    }
    api.revoke(room.id).then(
      () => setNote('Revoked. The room is disconnected.'),
      (e: Error) => setNote(e.message),
    );
  };
  return (
    <>
      <h2>Room credential</h2>
      <div className="row">
        <button onClick={() => void rotate()}>Issue a new credential</button>
        <button className="danger" onClick={revoke}>
          Revoke
        </button>
      </div>
      {note && <p className="muted">{note}</p>}
      {issued && <LinkCommand roomId={room.id} token={issued} name={room.name} />}
    </>
  );
}
