import type { HandlerTable } from './types';

/** What only teachers do: the screen's layout, lock, remove, mute, end the class. */
export const moderationHandlers = {
  'layout.set': {
    guard: 'teacher',
    run: (_ctx, m, layout) => {
      m.room.shares.setLayout(layout);
      return {};
    },
  },
  'room.lock': {
    guard: 'teacher',
    run: (_ctx, m, { locked }) => {
      m.room.setLocked(locked);
      return {};
    },
  },
  'room.approval': {
    guard: 'teacher',
    run: (_ctx, m, { on }) => {
      m.room.setApproval(on);
      return {};
    },
  },
  'room.showCode': {
    guard: 'teacher',
    run: (_ctx, m, { shown }) => {
      m.room.setCodeShown(shown);
      return {};
    },
  },
  'lobby.admit': {
    guard: 'teacher',
    run: (_ctx, m, { id }) => {
      m.room.lobby.answer(id, true);
      return {};
    },
  },
  'lobby.refuse': {
    guard: 'teacher',
    run: (_ctx, m, { id }) => {
      m.room.lobby.answer(id, false);
      return {};
    },
  },
  'peer.remove': {
    guard: 'teacher',
    run: (_ctx, m, { peerId }) => {
      m.room.removeDevice(m.room.member(peerId), m);
      return {};
    },
  },
  'peer.unban': {
    guard: 'teacher',
    run: (_ctx, m, { banId }) => {
      m.room.unban(banId);
      return {};
    },
  },
  'peer.mute': {
    guard: 'teacher',
    run: (_ctx, m, { peerId, kind }) => {
      m.room.mutes.mute(m.room.member(peerId), m, kind);
      return {};
    },
  },
  'peer.muteAll': {
    guard: 'teacher',
    run: (_ctx, m, { kind }) => {
      m.room.mutes.muteAll(m, kind);
      return {};
    },
  },
  'peer.allow': {
    guard: 'teacher',
    run: (_ctx, m, { peerId, kind }) => {
      m.room.mutes.allow(m.room.member(peerId), m, kind);
      return {};
    },
  },
  'unmute.ask': {
    guard: 'member',
    run: (_ctx, m, _params, conn) => {
      conn.budget.charge('roster');
      m.room.mutes.ask(m);
      return {};
    },
  },
  'class.end': {
    guard: 'teacher',
    run: (_ctx, m) => {
      m.room.endClass();
      return {};
    },
  },
} satisfies HandlerTable<
  | 'layout.set'
  | 'room.lock'
  | 'room.approval'
  | 'room.showCode'
  | 'lobby.admit'
  | 'lobby.refuse'
  | 'peer.remove'
  | 'peer.unban'
  | 'peer.mute'
  | 'peer.muteAll'
  | 'peer.allow'
  | 'unmute.ask'
  | 'class.end'
>;
