import type { Signal } from '../../../protocol';
import { createLog } from '../log';

const log = createLog('media');

/** What a remote stream arrives on: a link to one device. */
interface Link {
  readonly pc: RTCPeerConnection;
  readonly isClosed: boolean;
}

/**
 * The streams this page receives P2P, keyed by their share's stream id, and the link each came
 * on (they go with it). Only a stream its sender announced as its own share is taken: a device
 * cannot put pictures up under another's share.
 */
export class RemoteStreams<L extends Link> {
  private readonly byId = new Map<string, MediaStream>();
  private readonly ofLink = new Map<L, Set<string>>();

  constructor(
    /** Whether `streamId` is an announced share of that device. */
    private readonly owns: (device: string, streamId: string) => boolean,
    /** A stream arrived (view reports start). */
    private readonly arrived: (streamId: string) => void,
    /** A stream came or went. */
    private readonly changed: () => void,
  ) {}

  get(streamId: string): MediaStream | undefined {
    return this.byId.get(streamId);
  }

  /** Whether a received track belongs to a share's stream (else it is no share, not yet). */
  carries(trackId: string): boolean {
    for (const stream of this.byId.values()) if (stream.getTrackById(trackId)) return true;
    return false;
  }

  /** The open link a stream arrived on (where its view reports go). */
  linkOf(streamId: string): L | undefined {
    for (const [link, ids] of this.ofLink) if (ids.has(streamId) && !link.isClosed) return link;
    return undefined;
  }

  /** Tracks arrived with the streams the sender put them in (its offer's msid). */
  tracked(device: string, link: L, streams: readonly MediaStream[]): void {
    for (const stream of streams) {
      if (this.byId.has(stream.id) || !this.owned(device, stream.id)) continue;
      this.add(link, stream.id, stream);
      stream.addEventListener('removetrack', () => {
        if (stream.getTracks().length === 0) this.drop(stream.id, stream);
      });
    }
    this.changed();
  }

  /**
   * The sender put a share's tracks on transceivers negotiated before it (a ready link): the
   * share's stream is made of their receivers' tracks. It goes when they stop receiving (the
   * sender took its tracks off) or with the link.
   */
  adopt(device: string, link: L, signal: Extract<Signal, { kind: 'tracks' }>): void {
    const { streamId, mids } = signal;
    if (!this.owned(device, streamId)) return;
    const receiving = (t: RTCRtpTransceiver | undefined): t is RTCRtpTransceiver =>
      t?.currentDirection === 'recvonly' || t?.currentDirection === 'sendrecv';
    const transceivers = mids.map((mid) => link.pc.getTransceivers().find((t) => t.mid === mid));
    const tracks = transceivers.filter(receiving).map((t) => t.receiver.track);
    const taken = [...this.byId.values()].some((s) => tracks.some((t) => s.getTrackById(t.id)));
    if (this.byId.has(streamId) || tracks.length !== mids.length || taken) {
      log.warn(`tracks of ${streamId} from ${device} are not free on our link: ignored`);
      return;
    }
    const stream = new MediaStream(tracks);
    this.add(link, streamId, stream);
    const gone = () => {
      if (!transceivers.every(receiving)) this.drop(streamId, stream);
    };
    for (const track of tracks) {
      track.addEventListener('mute', gone);
      track.addEventListener('ended', gone);
    }
    this.changed();
  }

  /** The link closed: its streams go. */
  closed(link: L): void {
    for (const id of this.ofLink.get(link) ?? []) this.byId.delete(id);
    this.ofLink.delete(link);
  }

  private owned(device: string, streamId: string): boolean {
    if (this.owns(device, streamId)) return true;
    log.warn(`stream ${streamId} from ${device} is no share of theirs: ignored`);
    return false;
  }

  private add(link: L, streamId: string, stream: MediaStream): void {
    this.byId.set(streamId, stream);
    this.ofLink.set(link, (this.ofLink.get(link) ?? new Set()).add(streamId));
    this.arrived(streamId);
  }

  private drop(streamId: string, stream: MediaStream): void {
    if (this.byId.get(streamId) !== stream) return;
    this.byId.delete(streamId);
    this.changed();
  }
}
