import { useEffect, useState, type FormEvent } from 'react';
import type { RoomSummary } from '../../../protocol';
import { api } from './api';
import { useT, type T } from './i18n';
import { LinkCommand } from './LinkCommand';
import { usePoll } from './usePoll';

/** Every room at a glance: online, class running, who shares, devices, health. */
export function RoomsGrid({ onUnauthorized }: { onUnauthorized: () => void }) {
  const { t } = useT();
  const { data: rooms, error, refresh } = usePoll(api.rooms, 2000);
  useEffect(() => {
    if (error?.code === 'UNAUTHORIZED') onUnauthorized();
  }, [error, onUnauthorized]);
  const online = rooms?.filter((r) => r.online).length ?? 0;
  return (
    <main>
      <div className="toolbar">
        <h1>{t('rooms.title')}</h1>
        <span className="muted">
          {rooms ? t('rooms.online', { online, total: rooms.length }) : t('loading')}
          {error && error.code !== 'UNAUTHORIZED' && ` · ${error.code}`}
        </span>
      </div>
      <ul className="grid" aria-label={t('rooms.list')}>
        {rooms?.map((r) => (
          <RoomCard key={r.id} room={r} />
        ))}
      </ul>
      {rooms?.length === 0 && <p className="muted">{t('rooms.none')}</p>}
      <AddRoom onAdded={refresh} />
    </main>
  );
}

function RoomCard({ room }: { room: RoomSummary }) {
  const { t } = useT();
  return (
    <li className={`card ${room.online ? 'online' : 'offline'}`} data-room={room.name}>
      <a href={`#/rooms/${room.id}`}>
        <div className="card-head">
          <span className={`dot ${room.online ? 'on' : 'off'}`} />
          <strong>{room.name}</strong>
          <span className={`health health-${room.health}`}>
            {room.online ? t(`health.${room.health}`) : t('room.offline')}
          </span>
        </div>
        <div className="card-body">
          <span>{roomState(t, room)}</span>
          <span>{t('room.devices', { count: room.devices })}</span>
          <span>
            {room.sharing.length > 0
              ? t('room.sharing', { names: room.sharing.join(', ') })
              : t('room.noOneSharing')}
          </span>
          {!room.hasCredential && <span className="warn">{t('room.credentialRevoked')}</span>}
        </div>
      </a>
    </li>
  );
}

/** Class running, idle, or not connected: what a room is doing now. */
export function roomState(t: T, room: { online: boolean; classRunning: boolean }): string {
  if (!room.online) return t('room.notConnected');
  return room.classRunning ? t('room.classRunning') : t('room.idle');
}

function AddRoom({ onAdded }: { onAdded: () => void }) {
  const { t } = useT();
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
      <h2>{t('add.title')}</h2>
      <form className="row" onSubmit={submit}>
        <input
          aria-label={t('add.name')}
          placeholder={t('add.placeholder')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={80}
        />
        <button type="submit">{t('add.submit')}</button>
      </form>
      {error && <p className="error">{error}</p>}
      {created && <LinkCommand roomId={created.id} token={created.token} name={created.name} />}
    </section>
  );
}
