import { WebSocket, type RawData } from 'ws';
import {
  encodeNotification,
  REMOTE_FRAME_MAX,
  RemoteClose,
  type RemoteFrame,
  type RemoteOpen,
} from '../../protocol';
import { createLogger } from '../../server-kit/log';
import { rawText } from '../../server-kit/wsText';
import { BRIDGE_HEADER, encodeIdentity, REMOTE_HEADER } from './remoteIdentity';

const log = createLogger('remote');

/** What the bridge needs of the link that carries its channels. */
export interface BridgeLink {
  /** Sends now; false when the link is down (the channel is closed then). */
  sendRemote(frame: RemoteFrame): boolean;
  /** Bytes the link's socket holds unsent. */
  readonly buffered: number;
}

export interface BridgeOptions {
  /** The relay as this process dials it, and the secret its loopback connections show. */
  relayUrl: () => string;
  secret: string;
  /** The room whose link carries the channels. */
  roomId: string;
  /** The link itself is encrypted (wss, or to this machine). */
  linkSecure: boolean;
  /** Channels open at once (remote participants and their reconnects). */
  maxChannels?: number;
}

/** One remote participant's loopback connection, and what came before it opened. */
interface Channel {
  ws: WebSocket;
  early: string[];
}

/** Frames a channel keeps while its loopback connection opens. */
const MAX_EARLY = 64;
/** Above this the link is backed up: channels stop reading the relay until it drains. */
const LINK_HIGH_WATER = 4 * 1024 * 1024;

/**
 * The room host's end of remote participants: each channel the cloud opens on the room's link
 * becomes one loopback WebSocket into this host's own relay, which sees a device like any other
 * (its rate limits, budgets, lobby, stage rules and moderation all apply) except that the cloud
 * vouched for it (a remote link) instead of a join code. Frames go both ways unchanged.
 */
export class RemoteBridge {
  private readonly channels = new Map<string, Channel>();
  private readonly maxChannels: number;

  constructor(
    private readonly opts: BridgeOptions,
    private readonly link: BridgeLink,
  ) {
    this.maxChannels = opts.maxChannels ?? 500;
  }

  get size(): number {
    return this.channels.size;
  }

  receive(frame: RemoteFrame): void {
    if (frame.op === 'open') this.open(frame.c, frame.open);
    else if (frame.op === 'data') this.forward(frame.c, frame.text ?? '');
    else this.end(frame.c, frame.code);
  }

  /** The link went down: every channel ends (the browsers reconnect and resume). */
  closeAll(): void {
    for (const ch of this.channels.values()) ch.ws.terminate();
    this.channels.clear();
  }

  private open(c: string, who: RemoteOpen | undefined): void {
    if (this.channels.has(c)) return;
    if (!who || this.channels.size >= this.maxChannels) {
      this.link.sendRemote({ t: 'x', c, op: 'close', code: 1013 });
      return;
    }
    const ws = new WebSocket(this.opts.relayUrl(), {
      perMessageDeflate: false,
      maxPayload: REMOTE_FRAME_MAX * 16,
      headers: {
        [BRIDGE_HEADER]: this.opts.secret,
        [REMOTE_HEADER]: encodeIdentity({
          ...who,
          secure: who.secure && this.opts.linkSecure,
          room: this.opts.roomId,
          channel: c,
        }),
      },
    });
    const channel: Channel = { ws, early: [] };
    const early = channel.early;
    this.channels.set(c, channel);
    ws.on('open', () => {
      for (const text of early.splice(0)) ws.send(text);
    });
    ws.on('message', (data: RawData) => {
      if (!this.link.sendRemote({ t: 'x', c, op: 'data', text: rawText(data) })) {
        ws.terminate();
        return;
      }
      if (this.link.buffered > LINK_HIGH_WATER) this.wait(ws);
    });
    ws.on('error', (err) => log.debug(`channel ${c}: ${err.message}`));
    ws.on('close', (code) => {
      if (this.channels.get(c) !== channel) return;
      this.channels.delete(c);
      this.link.sendRemote({ t: 'x', c, op: 'close', code: browserCode(code) });
    });
  }

  private forward(c: string, text: string): void {
    const channel = this.channels.get(c);
    if (!channel) return;
    if (channel.ws.readyState === WebSocket.OPEN) {
      channel.ws.send(text);
      return;
    }
    // A device that floods before its channel opens is cut off, as the relay would cut it.
    if (channel.early.push(text) > MAX_EARLY) this.end(c, 1008);
  }

  /** The cloud ended the channel (the browser left, or its link was revoked). */
  private end(c: string, code: number | undefined): void {
    const ws = this.channels.get(c)?.ws;
    if (!ws) return;
    this.channels.delete(c);
    if (code === RemoteClose.REMOTE_REVOKED && ws.readyState === WebSocket.OPEN) {
      // Its link is revoked: the participant leaves the class now, not after the resume grace.
      ws.send(encodeNotification('leave', {}));
    }
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(1000);
  }

  /** Stops reading the relay for this channel until the link has drained. */
  private wait(ws: WebSocket): void {
    ws.pause();
    const check = (): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (this.link.buffered > LINK_HIGH_WATER / 2) setTimeout(check, 5);
      else ws.resume();
    };
    setTimeout(check, 5);
  }
}

/** The code a browser may be closed with (`ws` refuses 1005/1006 and other reserved ones). */
function browserCode(code: number): number {
  return code === 1000 || code === 1001 || (code >= 3000 && code <= 4999) ? code : 1011;
}
