import {
  ErrorCode,
  PROTOCOL_VERSION,
  ProtocolError,
  RpcClient,
  type JoinParams,
} from '../../protocol';

/** The relay's WebSocket endpoint for a page served by the room host. */
export function relayUrl(location: Location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

/** Opens a browser WebSocket to the relay and joins; resolves with the client and the ACK. */
export async function connectAndJoin(url: string, params: Omit<JoinParams, 'protocol'>) {
  const ws = new WebSocket(url);
  const rpc = new RpcClient({ send: (d) => ws.send(d), close: (c) => ws.close(c) });
  ws.addEventListener('message', (ev) => {
    if (typeof ev.data === 'string') rpc.receive(ev.data);
  });
  const closed = new Promise<CloseEvent>((resolve) =>
    ws.addEventListener('close', (ev) => {
      rpc.closed();
      resolve(ev);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener(
      'error',
      () => reject(new ProtocolError(ErrorCode.CONNECTION_CLOSED, 'host unreachable')),
      { once: true },
    );
  });
  const ack = await rpc.request('join', { protocol: PROTOCOL_VERSION, ...params });
  return { rpc, ack, closed };
}
