import type { HandlerTable } from './types';

/** Hands and the stage (上麦): students ask, the teacher invites and takes off. */
export const stageHandlers = {
  'hand.set': {
    guard: 'member',
    run: (_ctx, m, { raised }, conn) => {
      conn.budget.charge('roster');
      m.room.stage.setHand(m, raised);
      return {};
    },
  },
  'stage.invite': {
    guard: 'teacher',
    run: (_ctx, m, { peerId, media }) => {
      m.room.stage.invite(m.room.member(peerId), m, media);
      return {};
    },
  },
  'stage.respond': {
    guard: 'member',
    run: (_ctx, m, { accept }, conn) => {
      conn.budget.charge('roster');
      m.room.stage.respond(m, accept);
      return {};
    },
  },
  'stage.remove': {
    guard: 'teacher',
    run: (_ctx, m, { peerId }) => {
      m.room.stage.takeOffStage(m.room.member(peerId));
      return {};
    },
  },
} satisfies HandlerTable<'hand.set' | 'stage.invite' | 'stage.respond' | 'stage.remove'>;
