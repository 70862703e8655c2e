import { CloseCode, ErrorCode, ProtocolError, type ClientCall } from '../protocol';
import { join, type JoinContext } from './join';
import type { Member } from './Member';
import type { Peer } from './Peer';
import { handleSfuCall } from './sfu/handlers';

function assertNever(x: never): never {
  throw new Error(`unhandled ${String(x)}`);
}

function joined(peer: Peer): Member {
  if (!peer.member) throw new ProtocolError(ErrorCode.NOT_JOINED, 'join a room first');
  return peer.member;
}

function teacher(peer: Peer): Member {
  const m = joined(peer);
  if (m.role !== 'teacher') throw new ProtocolError(ErrorCode.NOT_TEACHER, 'teachers only');
  return m;
}

/**
 * Executes one validated call for a connection. Identity (`from`) always comes from the
 * connection's member, never from the message; targets are looked up in the caller's own room.
 */
export function handleCall(ctx: JoinContext, peer: Peer, call: ClientCall): unknown {
  switch (call.method) {
    case 'join':
      return join(ctx, peer, call.params);
    case 'ping':
      return { t: call.params.t ?? Date.now() };
    case 'leave': {
      const m = joined(peer);
      m.room.remove(m, 'left');
      peer.member = null;
      setImmediate(() => peer.close(CloseCode.LEFT, 'left'));
      return {};
    }
    case 'snapshot': {
      const m = joined(peer);
      return m.room.snapshotFor(m);
    }
    case 'signal': {
      const m = joined(peer);
      const target = m.room.member(call.params.to);
      if (!target.peer) throw new ProtocolError(ErrorCode.PEER_NOT_FOUND, 'peer is offline');
      const { session, signal } = call.params;
      target.peer.notify(
        'signal',
        session === undefined ? { from: m.id, signal } : { from: m.id, session, signal },
      );
      return {};
    }
    case 'chat': {
      const m = joined(peer);
      return { id: m.room.postChat(m, call.params.text).id };
    }
    case 'hand.set': {
      const m = joined(peer);
      m.room.setHand(m, call.params.raised);
      return {};
    }
    case 'react': {
      const m = joined(peer);
      m.room.broadcast('reacted', { from: m.id, emoji: call.params.emoji });
      return {};
    }
    case 'stage.invite': {
      const m = teacher(peer);
      m.room.invite(m.room.member(call.params.peerId), m);
      return {};
    }
    case 'stage.respond': {
      const m = joined(peer);
      m.room.respond(m, call.params.accept);
      return {};
    }
    case 'stage.remove': {
      const m = teacher(peer);
      m.room.takeOffStage(m.room.member(call.params.peerId));
      return {};
    }
    case 'share.start': {
      const m = joined(peer);
      return { shareId: m.room.startShare(m, call.params).id };
    }
    case 'share.stop': {
      const m = joined(peer);
      m.room.stopShare(m, call.params.shareId);
      return {};
    }
    case 'layout.set': {
      teacher(peer).room.setLayout(call.params);
      return {};
    }
    case 'room.lock': {
      teacher(peer).room.setLocked(call.params.locked);
      return {};
    }
    case 'peer.remove': {
      const m = teacher(peer);
      m.room.removeDevice(m.room.member(call.params.peerId), m);
      return {};
    }
    case 'peer.mute': {
      const m = teacher(peer);
      const target = m.room.member(call.params.peerId);
      target.peer?.notify('muteRequested', { by: m.id, kind: call.params.kind });
      return {};
    }
    case 'class.end': {
      teacher(peer).room.endClass();
      return {};
    }
    case 'metrics.report': {
      const m = joined(peer);
      ctx.registry.feed?.metrics(m, call.params);
      return {};
    }
    case 'sfu.capabilities':
    case 'sfu.createTransport':
    case 'sfu.connectTransport':
    case 'sfu.produce':
    case 'sfu.closeProducer':
    case 'sfu.consume':
    case 'sfu.resume':
    case 'sfu.setLayers':
    case 'sfu.restartIce':
      return handleSfuCall(ctx.sfu, joined(peer), call);
    default:
      return assertNever(call);
  }
}
