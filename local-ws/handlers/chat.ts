import type { HandlerTable } from './types';

/** Chat and reactions: everyone in the room may post. */
export const chatHandlers = {
  chat: { guard: 'member', run: (_ctx, m, { text }) => ({ id: m.room.postChat(m, text) }) },
  react: {
    guard: 'member',
    run: (_ctx, m, { emoji }) => {
      m.room.react(m, emoji);
      return {};
    },
  },
} satisfies HandlerTable<'chat' | 'react'>;
