import type { QualityPreset, Signal } from '../../../protocol';
import { DEFAULT_CODEC, planEncoding, type CodecName } from './encoding';
import { audioMidsOf, midsOfStreams, withMusicOpus } from './audio';
import { preferCodec, sendOnSpare, sendShare, type LocalShare } from './senders';
import { PeerLink } from './PeerLink';
import { P2pReach } from './P2pReach';
import { SfuPath, type SfuRequest } from './SfuPath';
import { StatsSampler, type StreamStats } from './stats';
import { fitShareToView } from './fitToView';
import type { Size } from './viewScale';
import { ViewReports } from './ViewReports';
import { RemoteStreams } from './RemoteStreams';
import { placeholderRtp, primedFor } from './primer';
import { createLog } from '../log';

const log = createLog('media');

export interface MediaEngineHost {
  sendSignal(to: string, signal: Signal, session: string): void;
  /** Relay requests, for the SFU path. */
  request: SfuRequest;
  /** TURN/STUN servers from the cloud, for links beyond the LAN (empty on a LAN-only room). */
  iceServers(): RTCIceServer[];
  /** Whether a device may send media to this page now (a teacher, a student on stage). */
  mayOffer(device: string): boolean;
  /** Whether `streamId` is an announced share of that device (else its track is refused). */
  ownsStream(device: string, streamId: string): boolean;
  /** Stream ids of the room's music-mode shares (received in stereo at a music bitrate). */
  musicStreams(): ReadonlySet<string>;
  /** The size a screen share from this page is expected to have (ready links prime for it). */
  expectedCapture?(): Size | undefined;
}

/** What the SFU path publishes of a local share. */
export interface LocalTracks {
  video: MediaStreamTrack | undefined;
  audio: MediaStreamTrack | undefined;
  maxBitrate: number;
  music: boolean;
}

/**
 * Owns every live media object of the page: one PeerLink per remote device, the local shares
 * (captured tracks) and the remote streams, keyed by id. React never holds these; it asks
 * `streamFor(streamId)` and subscribes to changes.
 */
export class MediaEngine {
  private readonly links = new Map<string, PeerLink>();
  private readonly local = new Map<string, LocalShare>();
  private readonly remote: RemoteStreams<PeerLink>;
  private readonly listeners = new Set<() => void>();
  private readonly stats = new StatsSampler();
  private myId = '';
  /** Devices my next share goes to P2P, with a link kept connected to each (see keepReady). */
  private ready = new Set<string>();
  /** Which devices' P2P links failed (then the SFU carries what we exchange). */
  readonly reach = new P2pReach();
  private preferred: CodecName = DEFAULT_CODEC;

  /** Fan-out through the room host's SFU; its streams show through `streamFor` like P2P ones. */
  readonly sfu: SfuPath;
  /** How large this page shows each remote P2P stream, told to its sender. */
  private readonly views = new ViewReports((streamId, size) => this.tellView(streamId, size));

  constructor(private readonly host: MediaEngineHost) {
    this.sfu = new SfuPath(host.request, () => this.changed());
    this.remote = new RemoteStreams(
      (device, streamId) => host.ownsStream(device, streamId),
      (streamId) => this.views.arrived(streamId),
      () => this.changed(),
    );
  }

  /**
   * An element (`viewer`) shows a remote stream at `size` device pixels (0×0: hidden); its
   * sender encodes no larger than the largest view. Received through the SFU, the layer is
   * picked from the window instead.
   */
  setViewSize(streamId: string, viewer: object, size: Size): void {
    this.views.set(streamId, viewer, size);
  }

  clearViewSize(streamId: string, viewer: object): void {
    this.views.clear(streamId, viewer);
  }

  private tellView(streamId: string, size: Size): boolean {
    const link = this.remote.linkOf(streamId);
    if (!link) return false;
    this.host.sendSignal(link.remoteId, { kind: 'view', streamId, ...size }, link.session);
    return true;
  }

  /** The codec my next share prefers. */
  get codec(): CodecName {
    return this.preferred;
  }

  /** Prefers `codec` for my next share, on the spare transceivers of ready links too. */
  set codec(codec: CodecName) {
    if (codec === this.preferred) return;
    this.preferred = codec;
    for (const link of this.links.values()) {
      if (!link.spareVideo) continue;
      preferCodec(link.spareVideo, codec);
      link.negotiate();
    }
  }

  /** This device's id; links are keyed by the remote device's id (stable across reconnects). */
  setIdentity(device: string): void {
    this.myId = device;
  }

  /**
   * Applies a signal from a remote device. An offer for a session this side does not have opens
   * a new link (replacing an older one); other signals of unknown sessions are stale and dropped.
   */
  onSignal(from: string, session: string | undefined, signal: Signal): void {
    let link = this.links.get(from);
    if (signal.kind === 'view') {
      if (link && link.session === session) {
        fitShareToView(this.local.get(signal.streamId), from, signal).catch((err: unknown) =>
          log.info('encoding not fitted to the receiver', err),
        );
      }
      return;
    }
    if (signal.kind === 'tracks') {
      if (link && link.session === session) this.remote.adopt(from, link, signal);
      return;
    }
    const isOffer = signal.kind === 'description' && signal.description.type === 'offer';
    let resend = false;
    if (link && session !== undefined && link.session !== session) {
      if (!isOffer) return;
      // Both sides send (a 1:1 lesson) and each opened its own session: the impolite side's
      // session wins; the polite side moves its own tracks onto it.
      const polite = this.myId > from;
      if (link.sending && !polite) return;
      resend = link.sending;
      log.info(`${from} opened its own session as we did: moving to theirs`);
      this.closeLink(from);
      link = undefined;
    }
    if (!link) {
      if (!isOffer) return;
      // The relay refuses offers from devices that may not send here; so does the page.
      if (!this.host.mayOffer(from)) {
        log.warn(`offer from ${from}, who may not send media here: ignored`);
        return;
      }
      link = this.link(from, session);
    }
    void link.handle(signal).catch((err: unknown) => log.warn(`signal from ${from} failed`, err));
    if (resend) this.resend(from, link);
  }

  /** My shares that were on a replaced link to `device`, sent again on its new link. */
  private resend(device: string, link: PeerLink): void {
    for (const share of this.local.values()) {
      if (!share.senders.has(device)) continue;
      share.senders.set(device, sendShare(link.pc, share, this.codec));
    }
  }

  /**
   * Begins a local share of a stream's picture and/or sound: sets the content hint from the
   * preset when it has one (and 'music' or 'speech' for the sound). Returns the stream id.
   */
  startLocal(stream: MediaStream, preset: QualityPreset, music = false): string {
    const video = stream.getVideoTracks()[0];
    const audio = stream.getAudioTracks()[0];
    if (!video && !audio) throw new Error('nothing to send');
    const { width = 1920, height = 1080 } = video?.getSettings() ?? {};
    const plan = planEncoding(preset, width, height);
    // 'auto' keeps the source's own hint: none for a capture (Chromium then encodes a screen
    // as screen content, a camera as motion), or one its maker set (a canvas standing for a
    // screen).
    if (video && plan.contentHint) video.contentHint = plan.contentHint;
    if (audio) audio.contentHint = music ? 'music' : video ? '' : 'speech';
    this.local.set(stream.id, { stream, video, audio, plan, preset, music, senders: new Map() });
    this.changed();
    return stream.id;
  }

  /** Sends the local share to exactly these peers (adding and removing tracks as needed). */
  setTargets(streamId: string, peerIds: readonly string[]): void {
    const share = this.local.get(streamId);
    if (!share) return;
    const wanted = new Set(peerIds);
    for (const [peerId, senders] of share.senders) {
      if (wanted.has(peerId)) continue;
      const link = this.links.get(peerId);
      for (const sender of senders) link?.pc.removeTrack(sender);
      share.senders.delete(peerId);
      // Nothing flows any more: the next share gets a fresh connection (bandwidth estimate
      // starting high, no leftover transceivers) instead of inheriting this one's state. A
      // failed link with nothing left to send is dead too (only a sender restarts ICE), as
      // when it fails after its last share left: its received streams must go with it, or the
      // page keeps playing them in place of the same shares through the SFU.
      if (link && (link.idle || (link.pc.connectionState === 'failed' && !link.sending))) {
        this.closeLink(peerId);
        this.warm(peerId);
      }
    }
    for (const peerId of wanted) {
      if (share.senders.has(peerId)) continue;
      const link = this.link(peerId);
      // On a ready link, a picture goes on its spare and the receiver is told its mid: no
      // offer, so the encoder starts at once. Otherwise new transceivers and an offer.
      const spare = sendOnSpare(link, share);
      if (spare) {
        const tracks = { kind: 'tracks' as const, streamId, mids: [spare.mid] };
        this.host.sendSignal(peerId, tracks, link.session);
        share.senders.set(peerId, [spare.sender]);
        continue;
      }
      share.senders.set(peerId, sendShare(link.pc, share, this.codec));
      link.negotiate();
    }
  }

  /**
   * Keeps a connected link to each of these devices (the room screens my shares go to) before
   * any share: a share then starts on a link whose ICE and DTLS are done, and its offer only
   * adds the tracks. Spare links to other devices close. A link that fails is not made again
   * until its device leaves (its shares then connect as they go, and the reach decides).
   */
  keepReady(peerIds: readonly string[]): void {
    this.ready = new Set(peerIds);
    for (const [peerId, link] of [...this.links]) {
      if (!this.ready.has(peerId) && link.unused) this.closeLink(peerId);
    }
    for (const peerId of this.ready) this.warm(peerId);
  }

  private warm(peerId: string): void {
    if (!this.ready.has(peerId) || this.links.has(peerId) || this.reach.failed(peerId)) return;
    const size = this.host.expectedCapture?.();
    this.link(peerId).prepare(
      (video) => preferCodec(video, this.codec),
      size ? primedFor(size) : undefined,
    );
  }

  /** Whether a local share is still on its way to someone: a link carrying it not connected yet. */
  connecting(streamId: string): boolean {
    const share = this.local.get(streamId);
    if (!share) return false;
    return [...share.senders.keys()].some((peerId) => {
      const state = this.links.get(peerId)?.pc.connectionState;
      return state === 'new' || state === 'connecting';
    });
  }

  /** A share loses its sound (the teacher muted its owner): the track stops, its senders go. */
  dropAudio(streamId: string): void {
    const share = this.local.get(streamId);
    if (!share?.audio) return;
    const audio = share.audio;
    audio.stop();
    for (const [device, senders] of share.senders) {
      const link = this.links.get(device);
      const kept = senders.filter((s) => {
        if (s.track !== audio) return true;
        link?.pc.removeTrack(s);
        return false;
      });
      share.senders.set(device, kept);
    }
    share.audio = undefined;
    share.music = false;
    this.changed();
  }

  stopLocal(streamId: string): void {
    const share = this.local.get(streamId);
    if (!share) return;
    this.setTargets(streamId, []);
    for (const t of share.stream.getTracks()) t.stop();
    this.local.delete(streamId);
    this.changed();
  }

  /** Signaling is back (resume or fresh join): finish what the outage interrupted. */
  resync(device?: string): void {
    if (device !== undefined) this.links.get(device)?.resync();
    else for (const link of this.links.values()) link.resync();
  }

  /** Connection state per remote device (diagnostics). */
  linkStates(): Record<string, RTCPeerConnectionState> {
    return Object.fromEntries([...this.links].map(([id, l]) => [id, l.pc.connectionState]));
  }

  /** A remote or local stream by id, for a <video>. */
  streamFor(streamId: string): MediaStream | undefined {
    return (
      this.remote.get(streamId) ?? this.sfu.streamFor(streamId) ?? this.local.get(streamId)?.stream
    );
  }

  /** A local share's tracks and encoding plan (to publish it on the SFU too). */
  localShare(streamId: string): LocalTracks | undefined {
    const share = this.local.get(streamId);
    return (
      share && {
        video: share.video,
        audio: share.audio,
        maxBitrate: share.plan.maxBitrate,
        music: share.music,
      }
    );
  }

  /** The audio sections on a link that carry one of my music shares (see withMusicOpus). */
  private musicMids(device: string): Set<string> {
    const link = this.links.get(device);
    const music = [...this.local.values()].filter((share) => share.music);
    return link
      ? audioMidsOf(
          link.pc,
          music.flatMap((share) => share.senders.get(device) ?? []),
        )
      : new Set();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  removePeer(peerId: string): void {
    this.ready.delete(peerId);
    this.closeLink(peerId);
    this.reach.forget(peerId);
    for (const share of this.local.values()) share.senders.delete(peerId);
  }

  private closeLink(device: string): void {
    const link = this.links.get(device);
    if (!link) return;
    link.close();
    this.links.delete(device);
    this.reach.closed(device);
    this.stats.forget({ path: 'p2p', id: device });
    this.remote.closed(link);
    this.changed();
  }

  /** One stats sample over every link (call once a second). */
  async sample(): Promise<StreamStats[]> {
    const out: StreamStats[] = [];
    for (const [device, link] of this.links) {
      const spare = (r: Record<string, unknown>) =>
        placeholderRtp(r, link.placeholderMid, this.remote);
      out.push(...this.stats.link({ path: 'p2p', id: device }, await link.pc.getStats(), spare));
    }
    for (const transport of await this.sfu.transports()) {
      out.push(
        ...this.stats.link({ path: 'sfu', id: transport.direction }, await transport.getStats()),
      );
    }
    return out;
  }

  /** ICE failures and interruptions since the last call (for the 10 s report). */
  takeIceCounts(): { failures: number; interruptions: number } {
    return this.stats.takeIceCounts();
  }

  close(): void {
    this.ready.clear();
    for (const id of [...this.local.keys()]) this.stopLocal(id);
    for (const id of [...this.links.keys()]) this.removePeer(id);
    this.sfu.close();
    this.views.close();
  }

  private link(peerId: string, session?: string): PeerLink {
    const existing = this.links.get(peerId);
    if (existing) return existing;
    const link: PeerLink = new PeerLink(
      peerId,
      this.myId > peerId,
      {
        signal: (signal, s) => this.host.sendSignal(peerId, signal, s),
        mungeRemote: (sdp) => withMusicOpus(sdp, this.musicMids(peerId)),
        mungeAnswer: (sdp, remote) =>
          withMusicOpus(sdp, midsOfStreams(remote, this.host.musicStreams())),
        track: (_track, streams) => this.remote.tracked(peerId, link, streams),
        state: (state) => {
          this.stats.connectionState(state);
          // A receive-only link that failed is dead: the sender opens a new session if it still
          // has something to send.
          // (Only while it is still this device's link: a replaced one must not close its
          // successor.)
          if (this.links.get(peerId) !== link) return;
          this.reach.state(peerId, link.pc, state);
          if ((state === 'failed' || state === 'closed') && !link.sending) this.closeLink(peerId);
          else this.changed();
        },
      },
      session,
      { iceServers: this.host.iceServers() },
    );
    this.links.set(peerId, link);
    this.reach.opened(peerId, link.pc);
    return link;
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
