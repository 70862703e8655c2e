import { ErrorCode, ProtocolError, type BoardTarget } from '../../protocol';
import type { Connection } from '../Connection';
import type { Member } from '../Member';
import type { HandlerTable } from './types';

/** Draw, annotate or point only when the board's rules say so (the relay's check, not the UI's). */
function mayDraw(m: Member, target: BoardTarget): void {
  if (!m.room.board.mayDraw(m.role, m.stage === 'on')) {
    throw new ProtocolError(
      ErrorCode.BOARD_NOT_ALLOWED,
      `${'page' in target ? 'drawing' : 'annotating'}: teachers, students on stage, or everyone when the teacher opens the board`,
    );
  }
}

/** A board message costs its sender: one step of its board budget, and its bytes × the room. */
function charge(m: Member, conn: Connection, bytes: number, kind: 'board' | 'laser' = 'board') {
  conn.budget.charge(kind);
  m.room.refuseIfPrivilegedBusy();
  conn.budget.charge('fanout', m.room.fanoutCost(bytes));
}

/** The whiteboard and annotations: the relay keeps them, checks every step and broadcasts it. */
export const boardHandlers = {
  'board.open': {
    guard: 'teacher',
    run: (_ctx, m, { background }, conn) => {
      charge(m, conn, 120);
      m.room.board.open(background);
      return {};
    },
  },
  'board.close': {
    guard: 'teacher',
    run: (_ctx, m, _p, conn) => {
      charge(m, conn, 60);
      m.room.board.close();
      return {};
    },
  },
  'board.set': {
    guard: 'teacher',
    run: (_ctx, m, params, conn) => {
      charge(m, conn, 120);
      m.room.board.set(params);
      return {};
    },
  },
  'board.addPage': {
    guard: 'teacher',
    run: (_ctx, m, _p, conn) => {
      charge(m, conn, 120);
      return { page: m.room.board.addPage() };
    },
  },
  'board.draw': {
    guard: 'member',
    run: (_ctx, m, params, conn) => {
      mayDraw(m, params.target);
      // ~22 bytes a point as JSON, plus the stroke's style.
      charge(m, conn, params.points.length * 22 + (params.text?.length ?? 0) + 200);
      m.room.board.draw(m.id, params);
      return {};
    },
  },
  'board.erase': {
    guard: 'member',
    run: (_ctx, m, { target, by, id }, conn) => {
      mayDraw(m, target);
      charge(m, conn, 160);
      m.room.board.erase(m.id, m.role === 'teacher', target, by, id);
      return {};
    },
  },
  'board.undo': {
    guard: 'member',
    run: (_ctx, m, _p, conn) => {
      charge(m, conn, 400);
      m.room.board.undoLast(m.id);
      return {};
    },
  },
  'board.redo': {
    guard: 'member',
    run: (_ctx, m, _p, conn) => {
      charge(m, conn, 400);
      m.room.board.redoLast(m.id);
      return {};
    },
  },
  'board.clear': {
    guard: 'teacher',
    run: (_ctx, m, { target }, conn) => {
      charge(m, conn, 100);
      m.room.board.clear(target);
      return {};
    },
  },
  'board.laser': {
    guard: 'member',
    run: (_ctx, m, { target, x, y }, conn) => {
      mayDraw(m, target);
      charge(m, conn, 120, 'laser');
      m.room.board.laser(m.id, target, x, y);
      return {};
    },
  },
} satisfies HandlerTable<
  | 'board.open'
  | 'board.close'
  | 'board.set'
  | 'board.addPage'
  | 'board.draw'
  | 'board.erase'
  | 'board.undo'
  | 'board.redo'
  | 'board.clear'
  | 'board.laser'
>;
