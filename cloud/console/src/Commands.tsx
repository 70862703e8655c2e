import { useState, type FormEvent } from 'react';
import {
  LAYOUT_MODES,
  LAYOUT_SLOTS,
  type CommandInput,
  type LayoutMode,
  type RoomView,
} from '../../../protocol';
import { api } from './api';
import { time, useT, type T } from './i18n';

/** Message, layout, end class, new join code, reload; and what became of each. */
export function Commands({ room, onSent }: { room: RoomView; onSent: () => void }) {
  const { t, lang } = useT();
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
        setProblem(e.code === 'ROOM_OFFLINE' ? t('command.offline') : e.message),
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
          aria-label={t('command.message')}
          placeholder={t('command.message')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={500}
          required
        />
        <input
          aria-label={t('command.seconds')}
          type="number"
          min={1}
          max={3600}
          value={seconds}
          onChange={(e) => setSeconds(Number(e.target.value))}
        />
        <button type="submit" disabled={disabled}>
          {t('command.show')}
        </button>
      </form>
      <div className="row">
        <span>{t('command.layout')}</span>
        {LAYOUT_MODES.map((m) => (
          <button
            key={m}
            disabled={disabled}
            onClick={() => layout(m)}
            aria-pressed={room.layout?.mode === m}
          >
            {t(`layout.${m}`)}
          </button>
        ))}
      </div>
      <div className="row">
        <button disabled={disabled} onClick={() => void send({ type: 'rotateCode' })}>
          {t('command.newCode')}
        </button>
        <button disabled={disabled} onClick={() => void send({ type: 'reload' })}>
          {t('command.reload')}
        </button>
        <button
          className="danger"
          disabled={disabled}
          onClick={() => window.confirm(t('command.endConfirm')) && void send({ type: 'endClass' })}
        >
          {t('command.endClass')}
        </button>
      </div>
      {problem && <p className="error">{problem}</p>}
      <ol className="history" aria-label={t('command.history')}>
        {[...room.commands].reverse().map((c) => (
          <li key={c.id} className={`cmd-${c.state}`}>
            <time>{time(c.at, lang)}</time> {describe(t, c.command)} —{' '}
            {t(`command.state.${c.state}`)}
            {c.error && ` (${c.error})`}
          </li>
        ))}
      </ol>
    </div>
  );
}

function describe(t: T, c: RoomView['commands'][number]['command']): string {
  switch (c.type) {
    case 'message':
      return t('command.was.message', { text: c.text });
    case 'layout':
      return t('command.was.layout', { mode: t(`layout.${c.layout.mode}`) });
    default:
      return t(`command.was.${c.type}`);
  }
}
