import { useState, type FormEvent } from 'react';
import {
  LAYOUT_MODES,
  LAYOUT_SLOTS,
  type CommandInput,
  type LayoutMode,
  type RoomView,
} from '../../../protocol';
import { api } from './api';

/** Message, layout, end class, new join code, reload; and what became of each. */
export function Commands({ room, onSent }: { room: RoomView; onSent: () => void }) {
  const [text, setText] = useState('');
  const [seconds, setSeconds] = useState(30);
  const [problem, setProblem] = useState('');
  const send = (command: CommandInput) =>
    api.command(room.id, command).then(
      () => {
        setProblem('');
        onSent();
      },
      (e: Error & { code?: string }) =>
        setProblem(e.code === 'ROOM_OFFLINE' ? 'The room is offline.' : e.message),
    );
  const message = (e: FormEvent) => {
    e.preventDefault();
    void send({ type: 'message', text, seconds }).then(() => setText(''));
  };
  const layout = (mode: LayoutMode) => {
    const slots = room.shares.slice(0, LAYOUT_SLOTS[mode]).map((s) => s.id);
    void send({ type: 'layout', layout: { mode, slots } });
  };
  const disabled = !room.online;
  return (
    <div className="commands">
      <form className="row" onSubmit={message}>
        <input
          aria-label="Message for the room screen"
          placeholder="Message for the room screen"
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={500}
          required
        />
        <input
          aria-label="Seconds"
          type="number"
          min={1}
          max={3600}
          value={seconds}
          onChange={(e) => setSeconds(Number(e.target.value))}
        />
        <button type="submit" disabled={disabled}>
          Show
        </button>
      </form>
      <div className="row">
        <span>Layout</span>
        {LAYOUT_MODES.map((m) => (
          <button
            key={m}
            disabled={disabled}
            onClick={() => layout(m)}
            aria-pressed={room.layout?.mode === m}
          >
            {m}
          </button>
        ))}
      </div>
      <div className="row">
        <button disabled={disabled} onClick={() => void send({ type: 'rotateCode' })}>
          New join code
        </button>
        <button disabled={disabled} onClick={() => void send({ type: 'reload' })}>
          Reload screen
        </button>
        <button
          className="danger"
          disabled={disabled}
          onClick={() =>
            window.confirm('End the class? Students are sent out.') &&
            void send({ type: 'endClass' })
          }
        >
          End class
        </button>
      </div>
      {problem && <p className="error">{problem}</p>}
      <ol className="history" aria-label="command history">
        {[...room.commands].reverse().map((c) => (
          <li key={c.id} className={`cmd-${c.state}`}>
            <time>{new Date(c.at).toLocaleTimeString()}</time> {describe(c.command)} — {c.state}
            {c.error && ` (${c.error})`}
          </li>
        ))}
      </ol>
    </div>
  );
}

function describe(c: RoomView['commands'][number]['command']): string {
  switch (c.type) {
    case 'message':
      return `message “${c.text}”`;
    case 'layout':
      return `layout ${c.layout.mode}`;
    case 'endClass':
      return 'end class';
    case 'rotateCode':
      return 'new join code';
    case 'reload':
      return 'reload screen';
  }
}
