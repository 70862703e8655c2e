import { useEffect, useMemo, useState, type FormEvent } from 'react';
import QRCode from 'qrcode';
import type { Role } from '../../protocol';
import { join, sendChat, setHand } from './session';
import { selectRoster, useRoom } from './store';

const ERRORS: Record<string, string> = {
  BAD_CODE: 'That join code is not right. Check the room screen.',
  ROOM_LOCKED: 'The teacher has locked the room.',
  BAD_CREDENTIAL: 'Wrong teacher credential.',
  RATE_LIMITED: 'Too many wrong codes were tried. Wait a minute and use the new code.',
  VERSION_MISMATCH: 'This app and the room host are different versions.',
  CONNECTION_CLOSED: 'Cannot reach the room host.',
};

export function App() {
  const status = useRoom((s) => s.status);
  const role = useRoom((s) => s.me?.role);
  const params = new URLSearchParams(window.location.search);
  const screenKey = params.get('screen');
  useEffect(() => {
    if (screenKey) void join({ role: 'screen', name: 'Room screen', credential: screenKey });
  }, [screenKey]);
  if (status === 'joined' && role === 'screen') return <ScreenView />;
  if (status === 'joined') return <RoomView />;
  if (screenKey) return <main className="center">Connecting the room screen…</main>;
  return <JoinForm initialCode={params.get('code') ?? ''} />;
}

function JoinForm({ initialCode }: { initialCode: string }) {
  const [role, setRole] = useState<Role>('student');
  const [name, setName] = useState('');
  const [code, setCode] = useState(initialCode);
  const [credential, setCredential] = useState('');
  const status = useRoom((s) => s.status);
  const error = useRoom((s) => s.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void join(role === 'teacher' ? { role, name, code, credential } : { role, name, code });
  };
  return (
    <main className="center">
      <form className="card" onSubmit={submit} aria-label="Join a room">
        <h1>Lectern</h1>
        <fieldset className="roles">
          {(['student', 'teacher'] as const).map((r) => (
            <label key={r}>
              <input type="radio" name="role" checked={role === r} onChange={() => setRole(r)} />{' '}
              {r === 'student' ? 'Student' : 'Teacher'}
            </label>
          ))}
        </fieldset>
        <label>
          Your name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={40}
            required
            autoFocus
          />
        </label>
        <label>
          Join code
          <input
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
            inputMode="numeric"
            pattern="\d{6}"
            required
          />
        </label>
        {role === 'teacher' && (
          <label>
            Teacher credential
            <input
              type="password"
              value={credential}
              onChange={(e) => setCredential(e.target.value)}
              required
            />
          </label>
        )}
        <button type="submit" disabled={status === 'connecting'}>
          {status === 'connecting' ? 'Joining…' : 'Join'}
        </button>
        {error && (
          <p role="alert" className="error" data-code={error}>
            {ERRORS[error] ?? error}
          </p>
        )}
      </form>
    </main>
  );
}

function ScreenView() {
  const room = useRoom((s) => s.room);
  const code = useRoom((s) => s.code);
  const shares = useRoom((s) => s.shares);
  const layout = useRoom((s) => s.layout);
  const joinUrl = useRoom((s) => s.joinUrl);
  const [qr, setQr] = useState('');
  const url = `${joinUrl ?? `${window.location.origin}/`}?code=${code ?? ''}`;
  useEffect(() => {
    void QRCode.toString(url, { type: 'svg', margin: 1 }).then(setQr);
  }, [url]);
  const live = layout.slots.filter((id): id is string => id !== null && id in shares);
  if (live.length > 0) {
    return (
      <main className={`stage stage-${layout.mode}`}>
        {live.map((id) => (
          <section key={id} className="slot">
            <span className="label">{shares[id]?.label}</span>
          </section>
        ))}
      </main>
    );
  }
  return (
    <main className="idle">
      <h1>{room?.name}</h1>
      <p className="code" aria-label="join code">
        {code ? `${code.slice(0, 3)} ${code.slice(3)}` : ''}
      </p>
      <div className="qr" dangerouslySetInnerHTML={{ __html: qr }} />
      <p className="url">{url}</p>
    </main>
  );
}

function RoomView() {
  const room = useRoom((s) => s.room);
  const me = useRoom((s) => s.me);
  const peers = useRoom((s) => s.peers);
  const roster = useMemo(() => selectRoster(peers), [peers]);
  const chat = useRoom((s) => s.chat);
  const mine = useRoom((s) => (s.me ? s.peers[s.me.peerId] : undefined));
  const [text, setText] = useState('');
  return (
    <main className="room">
      <header>
        <h1>{room?.name}</h1>
        {me?.role === 'student' && (
          <button onClick={() => setHand(!mine?.hand)}>
            {mine?.hand ? 'Lower hand' : 'Raise hand'}
          </button>
        )}
      </header>
      <aside aria-label="roster">
        <ul>
          {roster.map((p) => (
            <li key={p.id} className={p.online ? '' : 'away'}>
              {p.hand ? '✋ ' : ''}
              {p.name} <small>{p.role}</small>
            </li>
          ))}
        </ul>
      </aside>
      <section aria-label="chat" className="chat">
        <ol>
          {chat.map((m) => (
            <li key={m.id}>
              <b>{m.name}</b> {m.text}
            </li>
          ))}
        </ol>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) sendChat(text);
            setText('');
          }}
        >
          <input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Message"
            maxLength={2000}
          />
          <button type="submit">Send</button>
        </form>
      </section>
    </main>
  );
}
