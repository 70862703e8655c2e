import { type FormEvent, memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../protocol';
import { useApp, useRoom } from '../context';

function ChatPanelView() {
  const { t } = useTranslation();
  const app = useApp();
  const chat = useRoom((s) => s.chat);
  const [text, setText] = useState('');
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) app.moderation.chat(text);
    setText('');
  };
  return (
    <section aria-label={t('room.chat')} className="chat">
      <ol>
        {chat.map((m) => (
          <li key={m.id} data-role={m.role}>
            <b>{m.name}</b>
            {m.role !== 'student' && (
              <small className="role-badge">{t(`role.${m.role}`)}</small>
            )}{' '}
            {m.text}
          </li>
        ))}
      </ol>
      <form onSubmit={send}>
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('room.chatPlaceholder')}
          maxLength={LIMITS.chatMax}
        />
        <button type="submit">{t('room.send')}</button>
      </form>
    </section>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const ChatPanel = memo(ChatPanelView);
