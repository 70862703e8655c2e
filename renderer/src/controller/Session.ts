import {
  CloseCode,
  RemoteClose,
  type ClientMethod,
  type ClientParams,
  type ClientResult,
  type JoinParams,
  type JoinResult,
  type ServerEvent,
  type ServerNotification,
  type ServerPayload,
} from '../../../protocol';
import { randomId } from '../../../protocol/ids';
import { Emitter } from '../../../protocol/util/Emitter';
import { createLog } from '../log';
import { relayUrl, remoteRelayUrl } from '../signaling/address';
import { SignalingClient, type SocketLike } from '../signaling/SignalingClient';
import type { RoomState, RoomStore } from '../store';

const log = createLog('session');

/** What the session tells the other controllers. */
export type SessionEvents = {
  /** A relay notification, after the store took it in; `before` is the state before it. */
  [E in ServerEvent]: [params: ServerPayload<E>, before: RoomState];
} & {
  /** A (re)join succeeded; the store holds the fresh snapshot. */
  joined: [ack: JoinResult];
  /** After every notification and join: the room may have changed. */
  changed: [];
};

export const codeOf = (err: unknown) => (err as { code?: string }).code ?? 'CONNECTION_CLOSED';

/**
 * The page's session with the relay: join, reconnect and resume (through SignalingClient), the
 * store kept in step with the room, and the room's notifications passed on, typed, to whoever
 * subscribed (`on`).
 */
export class Session {
  /** This page's device id: peers key media links by it, so links outlive peer ids. */
  private deviceId = randomId(16);
  readonly events = new Emitter<SessionEvents>((err) => log.error('listener failed', err));
  private signaling: SignalingClient | null = null;
  /** Joining from outside the room: the remote link the cloud's page was opened with. */
  private remote: string | null = null;

  constructor(
    private readonly store: RoomStore,
    private readonly location: { protocol: string; host: string },
    private readonly connect: (url: string) => SocketLike,
  ) {}

  get connected(): boolean {
    return this.signaling?.connected ?? false;
  }

  /** From now on, join through the cloud that served this page with a remote link. */
  useRemoteLink(link: string): void {
    this.remote = link;
  }

  get remoteLink(): string | null {
    return this.remote;
  }

  get device(): string {
    return this.deviceId;
  }

  /** What the https page needs to carry on as this member (see signaling/handoff.ts). */
  handoff(): { resumeToken: string; device: string } | null {
    const token = this.signaling?.resumeToken;
    return token ? { resumeToken: token, device: this.deviceId } : null;
  }

  /**
   * Joins a room (the page's own host, or a typed address); errors land in the store. A device
   * id in `params` (a handoff from the http page) becomes this page's.
   */
  async join(params: Omit<JoinParams, 'protocol'>, address = ''): Promise<void> {
    if (params.device !== undefined) this.deviceId = params.device;
    const url =
      this.remote !== null
        ? remoteRelayUrl(this.location, this.remote)
        : relayUrl(this.location, address);
    if (url === null) {
      this.store.set({ error: 'BAD_ADDRESS' });
      return;
    }
    this.signaling?.close();
    this.store.reset();
    const signaling = new SignalingClient(
      url,
      {
        notification: (n) => this.onNotification(n),
        status: (status, detail) => {
          this.store.set({ status });
          // Another connection took this device's place: say so, and let the person rejoin.
          if (status === 'closed' && detail === String(CloseCode.REPLACED)) {
            this.store.set({ endedReason: 'replaced' });
          }
          if (status === 'closed' && detail === String(RemoteClose.REMOTE_REVOKED)) {
            this.store.set({ endedReason: 'linkRevoked' });
          }
        },
        joined: (ack) => {
          this.store.applySnapshot({ peerId: ack.peerId, role: ack.role }, ack.snapshot);
          this.store.set({ secure: ack.secure });
          this.events.emit('joined', ack);
          this.events.emit('changed');
        },
      },
      { connect: this.connect },
    );
    this.signaling = signaling;
    try {
      await signaling.join({ ...params, device: this.deviceId });
    } catch (err) {
      this.store.set({ error: codeOf(err) });
    }
  }

  request<M extends ClientMethod>(method: M, params: ClientParams<M>): Promise<ClientResult<M>> {
    if (!this.signaling) return Promise.reject(new Error('not connected'));
    return this.signaling.request(method, params);
  }

  notify<M extends ClientMethod>(method: M, params: ClientParams<M>): void {
    this.signaling?.notify(method, params);
  }

  /** A request whose refusal is shown to the person (its code in the store). */
  call<M extends ClientMethod>(method: M, params: ClientParams<M>): void {
    if (!this.signaling) return;
    this.signaling
      .request(method, params)
      .catch((err: unknown) => this.store.set({ error: codeOf(err) }));
  }

  /** Leaves for good. */
  close(): void {
    this.signaling?.close();
    this.signaling = null;
  }

  /** Back to the start screen (after the session ended), to join again. */
  restart(): void {
    this.close();
    this.store.reset();
  }

  private onNotification(n: ServerNotification): void {
    const before = this.store.state;
    this.store.apply(n);
    // Emitted as the union it arrived as; each listener is typed by its event.
    (this.events.emit as (event: ServerEvent, ...args: unknown[]) => void)(
      n.method,
      n.params,
      before,
    );
    this.events.emit('changed');
  }
}
