import type { Reducers } from './reducer';

/** How many chat messages and reactions a page keeps. */
export const CHAT_KEPT = 100;
export const REACTIONS_KEPT = 20;

let reactionSeq = 0;

export const chatReducers = {
  chatPosted: (s, { message }) => ({ chat: [...s.chat, message].slice(-CHAT_KEPT) }),
  reacted: (s, params) => ({
    reactions: [...s.reactions, { id: ++reactionSeq, ...params }].slice(-REACTIONS_KEPT),
  }),
} satisfies Reducers<'chatPosted' | 'reacted'>;
