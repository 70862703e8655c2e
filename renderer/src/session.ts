import type { JoinParams, RpcClient } from '../../protocol';
import { connectAndJoin, relayUrl } from './connection';
import { applyNotification, applySnapshot, initialState, useRoom } from './store';

/** The page's one relay session; components call these, never touch the socket. */
let rpc: RpcClient | null = null;

export async function join(params: Omit<JoinParams, 'protocol'>): Promise<void> {
  useRoom.setState({ ...initialState, status: 'connecting' });
  try {
    const session = await connectAndJoin(relayUrl(window.location), params);
    rpc = session.rpc;
    rpc.onNotification(applyNotification);
    applySnapshot({ peerId: session.ack.peerId, role: session.ack.role }, session.ack.snapshot);
    void session.closed.then((ev) =>
      useRoom.setState({ status: 'closed', error: `connection closed (${ev.code})` }),
    );
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'CONNECTION_CLOSED';
    useRoom.setState({ status: 'idle', error: code });
  }
}

export function sendChat(text: string): void {
  void rpc?.request('chat', { text }).catch(() => {});
}

export function setHand(raised: boolean): void {
  void rpc?.request('hand.set', { raised }).catch(() => {});
}
