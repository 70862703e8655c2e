import { useEffect, useState, type FormEvent } from 'react';
import type { RoomSummary } from '../../../protocol';
import { api } from './api';
import { LinkCommand } from './LinkCommand';
import { usePoll } from './usePoll';

/** Every room at a glance: online, class running, who shares, devices, health. */
export function RoomsGrid({ onUnauthorized }: { onUnauthorized: () => void }) {
  const { data: rooms, error, refresh } = usePoll(api.rooms, 2000);
  useEffect(() => {
    if (error?.code === 'UNAUTHORIZED') onUnauthorized();
  }, [error, onUnauthorized]);
  const online = rooms?.filter((r) => r.online).length ?? 0;
  return (
    <main>
      <div className="toolbar">
        <h1>Rooms</h1>
        <span className="muted">
          {rooms ? `${online} of ${rooms.length} online` : 'Loading…'}
          {error && error.code !== 'UNAUTHORIZED' && ` · ${error.code}`}
        </span>
      </div>
      <ul className="grid" aria-label="rooms">
        {rooms?.map((r) => (
          <RoomCard key={r.id} room={r} />
        ))}
      </ul>
      {rooms?.length === 0 && <p className="muted">No rooms yet. Add the first one below.</p>}
      <AddRoom onAdded={refresh} />
    </main>
  );
}

function RoomCard({ room }: { room: RoomSummary }) {
  return (
    <li className={`card ${room.online ? 'online' : 'offline'}`} data-room={room.name}>
      <a href={`#/rooms/${room.id}`}>
        <div className="card-head">
          <span className={`dot ${room.online ? 'on' : 'off'}`} />
          <strong>{room.name}</strong>
          <span className={`health health-${room.health}`}>
            {!room.online ? 'offline' : room.health === 'unknown' ? 'no metrics yet' : room.health}
          </span>
        </div>
        <div className="card-body">
          <span>
            {room.classRunning ? 'Class running' : room.online ? 'Idle' : 'Not connected'}
          </span>
          <span>{room.devices} devices</span>
          <span>
            {room.sharing.length > 0 ? `Sharing: ${room.sharing.join(', ')}` : 'No one sharing'}
          </span>
          {!room.hasCredential && <span className="warn">Credential revoked</span>}
        </div>
      </a>
    </li>
  );
}

function AddRoom({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ id: string; name: string; token: string } | null>(null);
  const [error, setError] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    api.addRoom(name).then(
      (r) => {
        setCreated(r);
        setName('');
        onAdded();
      },
      (err: Error) => setError(err.message),
    );
  };
  return (
    <section className="panel">
      <h2>Add a room</h2>
      <form className="row" onSubmit={submit}>
        <input
          aria-label="Room name"
          placeholder="Room 204"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={80}
        />
        <button type="submit">Add room</button>
      </form>
      {error && <p className="error">{error}</p>}
      {created && <LinkCommand roomId={created.id} token={created.token} name={created.name} />}
    </section>
  );
}
