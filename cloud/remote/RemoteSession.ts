import type { RawData, WebSocket } from 'ws';
import {
  CloseCode,
  encodeError,
  ErrorCode,
  RemoteClose,
  type RemoteFrame,
  type RemoteOpen,
  type WireError,
} from '../../protocol';
import { randomToken } from '../../protocol/ids';
import { closeSocket } from '../../server-kit/closeSocket';
import { TokenBucket } from '../../server-kit/TokenBucket';
import { rawText } from '../../server-kit/wsText';
import type { RemoteLinkRecord } from '../store/CloudStore';

/** The room's link as a remote session uses it (the cloud's LinkSession). */
export interface RemoteCarrier {
  sendRemote(frame: RemoteFrame): boolean;
  readonly buffered: number;
}

/** What a session asks of the gateway that accepted it. */
export interface SessionHost {
  check(token: string): Promise<{ roomId: string; link: RemoteLinkRecord } | 'invalid'>;
  /** The room's link: here, or through the process that holds it (null: the room is offline). */
  carrier(roomId: string): Promise<RemoteCarrier | null>;
  live(session: RemoteSession): void;
  ended(session: RemoteSession): void;
}

/** Frames kept while the link is checked (a join, maybe a ping). */
const MAX_EARLY = 8;
/** Above this the room's link is backed up: this browser is not read until it drains. */
const LINK_HIGH_WATER = 4 * 1024 * 1024;
/** A browser that does not take what the room sends is closed past this. */
const MAX_BUFFERED = 8 * 1024 * 1024;
/** How long a refused browser has to send its join (and get the reason) before it is closed. */
const REFUSE_WAIT_MS = 5000;

/**
 * One remote participant's WebSocket to the cloud: checked against its remote link, then
 * carried as a channel of the room's one upstream link. Refusals answer the browser's join
 * with a stable code (LINK_INVALID, ROOM_OFFLINE) so its page can say why.
 */
export class RemoteSession {
  readonly channel = randomToken(12);
  roomId: string | null = null;
  link: RemoteLinkRecord | null = null;
  private carrier: RemoteCarrier | null = null;
  private state: 'auth' | 'live' | 'refused' | 'closed' = 'auth';
  private early: string[] = [];
  private refusal: WireError | null = null;
  private readonly bucket = new TokenBucket(100, 200);
  private paused = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly who: Omit<RemoteOpen, 'role' | 'link'>,
    token: string,
    private readonly host: SessionHost,
  ) {
    ws.on('message', (data: RawData, binary: boolean) => this.onData(data, binary));
    ws.on('error', () => undefined);
    ws.on('close', () => this.onClose());
    void this.authorize(token);
  }

  /** A frame of the room host's for this browser. */
  fromHost(frame: RemoteFrame): void {
    if (this.state !== 'live') return;
    if (frame.op === 'data' && frame.text !== undefined) {
      if (this.ws.bufferedAmount > MAX_BUFFERED) this.close(CloseCode.SLOW_CONSUMER);
      else this.ws.send(frame.text);
    } else if (frame.op === 'close') {
      this.state = 'closed';
      closeSocket(this.ws, frame.code ?? 1000, 'closed by the room');
    }
  }

  /** Ends the session; the room host is told (REMOTE_REVOKED makes the member leave). */
  close(code: number): void {
    if (this.state === 'closed') return;
    if (this.state === 'live') {
      this.carrier?.sendRemote({ t: 'x', c: this.channel, op: 'close', code });
    }
    this.state = 'closed';
    closeSocket(this.ws, code, code === RemoteClose.REMOTE_REVOKED ? 'link revoked' : 'closed');
  }

  private async authorize(token: string): Promise<void> {
    const checked = await this.host.check(token).catch(() => 'invalid' as const);
    if (this.state !== 'auth') return;
    if (checked === 'invalid') {
      this.refuse({
        code: ErrorCode.LINK_INVALID,
        message: 'this link is not valid: it may have expired or been revoked',
      });
      return;
    }
    const carrier = await this.host.carrier(checked.roomId).catch(() => null);
    if (this.state !== 'auth') return;
    if (!carrier) {
      this.refuse({
        code: ErrorCode.ROOM_OFFLINE,
        message: 'the class has not started: the room is not connected yet',
      });
      return;
    }
    this.roomId = checked.roomId;
    this.link = checked.link;
    this.carrier = carrier;
    this.state = 'live';
    this.host.live(this);
    const open: RemoteOpen = { ...this.who, role: checked.link.role, link: checked.link.id };
    carrier.sendRemote({ t: 'x', c: this.channel, op: 'open', open });
    for (const text of this.early.splice(0)) this.toHost(text);
  }

  private onData(data: RawData, binary: boolean): void {
    if (this.state === 'closed') return;
    if (binary) return this.close(1003);
    if (!this.bucket.take()) return this.close(CloseCode.RATE_LIMITED);
    const text = rawText(data);
    if (this.state === 'live') this.toHost(text);
    else if (this.state === 'refused') this.answerRefusal(text);
    else if (this.early.push(text) > MAX_EARLY) this.close(1008);
  }

  private toHost(text: string): void {
    const carrier = this.carrier;
    if (!carrier?.sendRemote({ t: 'x', c: this.channel, op: 'data', text })) {
      this.close(RemoteClose.ROOM_UNREACHABLE);
      return;
    }
    if (carrier.buffered > LINK_HIGH_WATER && !this.paused) this.wait(carrier);
  }

  private wait(carrier: RemoteCarrier): void {
    this.paused = true;
    this.ws.pause();
    const check = (): void => {
      if (this.state !== 'live') return;
      if (carrier.buffered > LINK_HIGH_WATER / 2) {
        setTimeout(check, 5);
        return;
      }
      this.paused = false;
      this.ws.resume();
    };
    setTimeout(check, 5);
  }

  /** Answers the join (sent already, or still to come) with the reason, then closes. */
  private refuse(error: WireError): void {
    this.state = 'refused';
    this.refusal = error;
    const first = this.early.shift();
    this.early = [];
    if (first !== undefined) this.answerRefusal(first);
    else setTimeout(() => this.close(1000), REFUSE_WAIT_MS).unref();
  }

  private answerRefusal(text: string): void {
    this.ws.send(encodeError(requestId(text), this.refusal!));
    this.close(1000);
  }

  private onClose(): void {
    const was = this.state;
    this.state = 'closed';
    if (was === 'live') this.carrier?.sendRemote({ t: 'x', c: this.channel, op: 'close' });
    this.host.ended(this);
  }
}

/** The id of a JSON-RPC request frame (null for anything else). */
function requestId(text: string): number | null {
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return Number.isSafeInteger(id) && (id as number) >= 0 ? (id as number) : null;
  } catch {
    return null;
  }
}
