import WebSocket from 'ws';
import { PROTOCOL_VERSION, type JoinParams, type ServerNotification } from '../../protocol';

/**
 * A lightweight device on the relay for load tests: a real `ws` socket speaking the protocol by
 * hand, keeping only what the test asks for (no inbox growing with every broadcast).
 */
export class LanDevice {
  private nextId = 1;
  private readonly pending = new Map<number, (ok: boolean) => void>();
  /** Notifications of the methods given to `keep`, in arrival order. */
  readonly kept: ServerNotification[] = [];

  private constructor(
    readonly ws: WebSocket,
    private readonly keep: ReadonlySet<string>,
  ) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as
        | { type: 'response'; id: number; ok: boolean }
        | (ServerNotification & { type: 'notification' });
      if (msg.type === 'response') {
        this.pending.get(msg.id)?.(msg.ok);
        this.pending.delete(msg.id);
      } else if (this.keep.has(msg.method)) this.kept.push(msg);
    });
    ws.on('error', () => undefined);
  }

  static async join(
    url: string,
    params: Omit<JoinParams, 'protocol'>,
    keep: string[] = [],
  ): Promise<LanDevice> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const device = new LanDevice(ws, new Set(keep));
    if (!(await device.request('join', { protocol: PROTOCOL_VERSION, ...params }))) {
      throw new Error('join refused');
    }
    return device;
  }

  /** Sends a request; resolves true when the relay answered ok. */
  request(method: string, params: unknown): Promise<boolean> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ type: 'request', id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}
