import type { HandlerTable } from './types';

/** Chat and reactions: everyone in the room may post, at a human rate. */
export const chatHandlers = {
  chat: {
    guard: 'member',
    run: (_ctx, m, { text }, conn) => {
      conn.budget.charge('chat');
      return { id: m.room.postChat(m, text, (bytes) => conn.budget.charge('fanout', bytes)) };
    },
  },
  'chat.history': {
    guard: 'member',
    run: (_ctx, m, { before, limit }, conn) => {
      conn.budget.charge('heavy');
      return m.room.chatHistory(before, limit);
    },
  },
  react: {
    guard: 'member',
    run: (_ctx, m, { emoji }, conn) => {
      conn.budget.charge('reaction');
      m.room.react(m, emoji, (bytes) => conn.budget.charge('fanout', bytes));
      return {};
    },
  },
} satisfies HandlerTable<'chat' | 'chat.history' | 'react'>;
