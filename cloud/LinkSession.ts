import type { RawData, WebSocket } from 'ws';
import {
  decodeFrames,
  encodeFrames,
  Hello,
  LinkChannel,
  LinkClose,
  RecvStream,
  StreamError,
  UPSTREAM_VERSION,
  type CloudSfuFrame,
  type Msg,
  type RemoteFrame,
} from '../protocol';
import { closeSocket } from '../server-kit/closeSocket';
import { Heartbeat } from '../server-kit/heartbeat';
import { createLogger } from '../server-kit/log';
import { ReadTurns } from '../server-kit/readTurns';
import { rawLength, rawText } from '../server-kit/wsText';
import type { CloudRoom } from './CloudRoom';

const log = createLogger('link');

/** What a link session asks of the server that accepted it. */
export interface LinkHost {
  /** Checks the room's credential; the room (created if new to this process) or null. */
  authenticate(roomId: string, token: string, name: string): Promise<CloudRoom | null>;
  /** This session now holds the room's link (an older one is closed). */
  attached(room: CloudRoom, session: LinkSession): void;
  detached(room: CloudRoom, session: LinkSession): void;
  /** One message from the host, taken exactly once and in order (throws on a bad body). */
  applied(room: CloudRoom, msg: Msg): void;
  /** A remote participant's frame from the host (cloud/remote/RemoteGateway.ts). */
  remoteFrame(room: CloudRoom, frame: RemoteFrame): void;
  /** The host's call to the cloud SFU (cloud/sfu/CloudSfu.ts). */
  sfuFrame(room: CloudRoom, frame: CloudSfuFrame): void;
  readonly heartbeatMs: number;
  readonly helloTimeoutMs: number;
}

/**
 * The cloud's end of one room host's link: hello → credential check → welcome (where each side
 * stands in the other's stream), then the sequenced streams through a LinkChannel.
 */
export class LinkSession {
  room: CloudRoom | null = null;
  private channel: LinkChannel | null = null;
  private heartbeat: Heartbeat<WebSocket> | null = null;
  private readonly helloTimer: NodeJS.Timeout;
  private state: 'hello' | 'auth' | 'live' | 'closing' | 'closed' = 'hello';
  /** A host with a backlog is read a share per turn, between the other rooms' links. */
  private readonly turns: ReadTurns;

  constructor(
    readonly ws: WebSocket,
    private readonly host: LinkHost,
  ) {
    this.helloTimer = setTimeout(
      () => this.close(LinkClose.HELLO_TIMEOUT, 'no hello'),
      host.helloTimeoutMs,
    );
    this.turns = new ReadTurns(ws, () => this.state !== 'closed');
    ws.on('message', (data: RawData) => this.onData(data));
    ws.on('pong', () => this.heartbeat?.heard(ws));
    ws.on('ping', () => this.heartbeat?.heard(ws));
    ws.on('error', () => undefined);
    ws.on('close', () => this.onClose());
  }

  /** Closes the link; from now on nothing more is read from or written to it. */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    if (this.state === 'live') this.state = 'closing';
    this.channel?.close();
    closeSocket(this.ws, code, reason, 2000);
  }

  /** Past the handshake: frames flow both ways. */
  get live(): boolean {
    return this.state === 'live';
  }

  /** A remote participant's frame to the host, now; false when the link is not live. */
  sendRemote(frame: RemoteFrame): boolean {
    if (this.state !== 'live' || !this.channel) return false;
    this.channel.sendRemote(frame);
    return true;
  }

  /** A cloud SFU frame to the host, now; false when the link is not live. */
  sendSfu(frame: CloudSfuFrame): boolean {
    if (this.state !== 'live' || !this.channel) return false;
    this.channel.sendSfu(frame);
    return true;
  }

  /** Bytes the link's socket holds unsent. */
  get buffered(): number {
    return this.ws.bufferedAmount;
  }

  /** A command was queued for this room: send it now. */
  pump(): void {
    this.channel?.pump();
  }

  private onData(data: RawData): void {
    this.heartbeat?.heard(this.ws);
    const text = rawText(data);
    try {
      if (this.state === 'hello') void this.onHello(text);
      else if (this.state === 'live') this.channel!.receive(text);
      else if (this.state === 'auth') throw new StreamError('frame before welcome');
    } catch (err) {
      log.warn(`room ${this.room?.id ?? '?'}: ${err instanceof Error ? err.message : String(err)}`);
      this.close(LinkClose.PROTOCOL, 'protocol error');
    }
    this.turns.frame(rawLength(data));
  }

  private async onHello(text: string): Promise<void> {
    this.state = 'auth';
    clearTimeout(this.helloTimer);
    let hello: Hello;
    try {
      const [frame] = decodeFrames(text);
      hello = Hello.parse(frame);
    } catch {
      this.close(LinkClose.PROTOCOL, 'expected hello');
      return;
    }
    if (hello.v !== UPSTREAM_VERSION) {
      this.close(LinkClose.PROTOCOL, `cloud speaks link v${UPSTREAM_VERSION}`);
      return;
    }
    const room = await this.host.authenticate(hello.room, hello.token, hello.name);
    if (this.state !== 'auth') return; // closed while checking
    if (!room) {
      this.close(LinkClose.UNAUTHORIZED, 'bad room credential');
      return;
    }
    this.room = room;
    this.host.attached(room, this);
    // Where we stand in the host's stream: resume if we know its epoch, else it starts afresh.
    if (!room.recv.knows(hello.epoch)) room.recv = new RecvStream();
    const recv = room.recv.cursor;
    room.send.resume(hello.recv);
    this.ws.send(encodeFrames([{ t: 'welcome', epoch: room.send.epoch, recv }]));
    this.channel = new LinkChannel(this.ws, room.send, room.recv, (m) => this.deliver(m), {
      defer: setImmediate,
      remote: (f) => this.host.remoteFrame(room, f),
      sfu: (f) => this.host.sfuFrame(room, f),
    });
    this.state = 'live';
    this.channel.pump();
    this.heartbeat = new Heartbeat(this.host.heartbeatMs);
    this.heartbeat.watch(this.ws);
  }

  private deliver(msg: Msg): void {
    this.host.applied(this.room!, msg);
  }

  private onClose(): void {
    const was = this.state;
    this.state = 'closed';
    clearTimeout(this.helloTimer);
    this.heartbeat?.stop();
    this.channel?.close();
    if (this.room && (was === 'live' || was === 'closing')) this.host.detached(this.room, this);
  }
}
