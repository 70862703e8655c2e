import { memo, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REACTIONS } from '../../../protocol';
import { useApp, useRoom } from '../context';

function ReactionsBarView() {
  const { t } = useTranslation();
  const app = useApp();
  return (
    <div className="reactions" role="group" aria-label={t('room.reactions')}>
      {REACTIONS.map((emoji) => (
        <button
          key={emoji}
          className="icon"
          onClick={() => app.moderation.react(emoji)}
          aria-label={emoji}
        >
          {emoji}
        </button>
      ))}
    </div>
  );
}

/** Reactions float up for a few seconds wherever they are shown. */
function ReactionsFeedView() {
  const reactions = useRoom((s) => s.reactions);
  const peers = useRoom((s) => s.peers);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  void now;
  return (
    <ul className="feed" aria-live="polite">
      {reactions.slice(-5).map((r) => (
        <li key={r.id} data-emoji={r.emoji}>
          {r.emoji} {peers[r.from]?.name}
        </li>
      ))}
    </ul>
  );
}

/** Renders again only when what it reads changes, not with its parent view. */
export const ReactionsBar = memo(ReactionsBarView);
export const ReactionsFeed = memo(ReactionsFeedView);
