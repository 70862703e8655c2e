import type { QualityPreset, Share } from '../../../protocol';
import { createLog } from '../log';
import type { CodecName } from '../media/encoding';
import type { MediaEngine } from '../media/MediaEngine';
import { shareTargets, sharesToReceive, shouldPublish, type Reach } from '../media/policy';
import { SfuSync, type Viewport } from '../media/SfuSync';
import { selectDevice, selectMe, selectPeerOfDevice, type RoomStore } from '../store';
import { codeOf, type Session } from './Session';

const log = createLog('shares');

interface MyShare {
  streamId: string;
  kind: Share['kind'];
  label: string;
  preset: QualityPreset;
  audio: boolean;
  music: boolean;
}

/** What a captured stream is, when the caller knows better than its tracks. */
export interface ShareOptions {
  kind?: Share['kind'];
  label?: string;
  music?: boolean;
}

/**
 * The share lifecycle and the media routes that carry shares: capture, announce, send each of
 * my shares to whoever the policy says (P2P to screens, the SFU for students), receive others'
 * through the SFU, and follow the room (peers coming and going, stage changes, SFU restarts).
 */
export class Shares {
  /** My share ids → what each carries. */
  private readonly mine = new Map<string, MyShare>();
  private readonly sfuSync: SfuSync;

  constructor(
    private readonly store: RoomStore,
    private readonly session: Session,
    private readonly engine: MediaEngine,
    viewport: Viewport,
    private readonly capture: (preset: QualityPreset, audio: boolean) => Promise<MediaStream>,
  ) {
    this.sfuSync = new SfuSync(engine.sfu, (streamId) => engine.localShare(streamId), viewport);
    const on = session.events;
    on.on('joined', (ack) => {
      // Links are keyed by the device ids the relay shows (derived from ours): mine too, so
      // both ends of a link agree who is polite.
      const me = ack.snapshot.peers.find((p) => p.id === ack.peerId);
      this.engine.setIdentity(me?.device ?? ack.peerId);
      // A fresh join means a new relay (or SFU): its transports and producers are new too.
      if (!ack.resumed) {
        this.sfuSync.reset();
        // The relay restarted and forgot my shares: announce them again. The media never
        // stopped; peers match it by stream id.
        void this.reannounce();
      }
      this.retarget();
      this.engine.resync();
    });
    on.on('signal', ({ from, session: s, signal }) =>
      this.engine.onSignal(this.device(from), s, signal),
    );
    on.on('peerLeft', ({ peerId }, before) => {
      this.engine.removePeer(selectDevice(before.peers, peerId));
      this.retarget();
    });
    on.on('peerJoined', ({ peer }) => {
      // A device came back (after a relay restart): finish any negotiation it missed.
      this.engine.resync(this.device(peer.id));
      this.retarget();
    });
    on.on('peerUpdated', () => this.retarget());
    // The teacher took me off stage (or the class ended): my capture ends with it.
    on.on('shareStopped', ({ shareId }) => this.endLocal(shareId));
    // The teacher muted me: a screen share goes on without its sound.
    on.on('shareUpdated', ({ share }) => {
      const mine = this.mine.get(share.id);
      if (mine && mine.audio && !share.audio) {
        mine.audio = false;
        this.engine.dropAudio(mine.streamId);
      }
    });
    on.on('removed', () => this.engine.close());
    on.on('sfuReset', () => this.sfuSync.reset());
    on.on('consumerClosed', ({ consumerId }) => this.engine.sfu.consumerClosed(consumerId));
    on.on('changed', () => this.syncSfu());
    // A lesson partner's link connected, dropped or failed: P2P or the SFU carries it now.
    engine.reach.onChange(() => {
      this.retarget();
      this.syncSfu();
    });
  }

  /** The engine's P2P reach, by peer id (the engine keys links by device). */
  private readonly reach: Reach = {
    failed: (peerId) => this.engine.reach.failed(this.device(peerId)),
    connected: (peerId) => this.engine.reach.connected(this.device(peerId)),
  };

  /** Share button: pick a source, announce it, send it. */
  async share(preset: QualityPreset, withSound = false): Promise<void> {
    const { me } = this.store.state;
    if (!me || !this.session.connected) return;
    this.store.set({ error: null });
    // The relay is the authority and refuses too; the page need not open a picker for nothing.
    if (me.role === 'student' && selectMe(this.store.state)?.stage !== 'on') {
      this.store.set({ error: 'NOT_ON_STAGE' });
      return;
    }
    let stream: MediaStream;
    try {
      stream = await this.capture(preset, withSound);
    } catch (err) {
      log.info('capture refused or cancelled', err);
      this.store.set({ error: 'CAPTURE' });
      return;
    }
    await this.shareStream(stream, preset);
  }

  /** How far this device zoomed into a received stream (1 = fit): its SFU layer follows. */
  setZoom(streamId: string, scale: number): void {
    this.sfuSync.setZoom(streamId, scale);
  }

  /**
   * Announces and sends an already captured stream (the picker's, or any other source such as
   * a canvas). Resolves with the share id, or null when the relay refused (error shown).
   */
  async shareStream(
    stream: MediaStream,
    preset: QualityPreset,
    opts: ShareOptions = {},
  ): Promise<string | null> {
    if (!this.session.connected) return null;
    const music = opts.music === true;
    const streamId = this.engine.startLocal(stream, preset, music);
    const video = stream.getVideoTracks()[0];
    const audio = stream.getAudioTracks()[0];
    const track = (video ?? audio)!;
    const surface = video?.getSettings().displaySurface;
    const kind =
      opts.kind ??
      (!video ? 'mic' : surface === 'window' ? 'window' : surface === 'browser' ? 'tab' : 'screen');
    try {
      const share: MyShare = {
        streamId,
        kind,
        label: (opts.label ?? track.label).slice(0, 120),
        preset,
        audio: audio !== undefined,
        music,
      };
      const starting = this.session.request('share.start', { ...share });
      // The relay takes a connection's frames in order: everyone has the share's announcement
      // before the offer that follows it, so the P2P links open now, not a round trip (and the
      // renders it brings) later. A refused share ends the capture and its links below.
      this.engine.setTargets(streamId, this.targets());
      if (this.publishing()) this.engine.sfu.prepareSend();
      const { shareId } = await starting;
      this.mine.set(shareId, share);
      // The browser's or the OS's own "Stop sharing" button ends the track.
      track.addEventListener('ended', () => {
        for (const [id, s] of this.mine) if (s.streamId === streamId) void this.stop(id);
      });
      this.retarget();
      this.syncSfu();
      return shareId;
    } catch (err) {
      this.engine.stopLocal(streamId);
      this.store.set({ error: codeOf(err) });
      return null;
    }
  }

  async stop(shareId: string): Promise<void> {
    this.endLocal(shareId);
    await this.session
      .request('share.stop', { shareId })
      .catch((err: unknown) => log.info(`share ${shareId} already ended on the relay`, err));
  }

  /** The codec my next share prefers. */
  get codec(): CodecName {
    return this.engine.codec;
  }

  setCodec(codec: CodecName): void {
    this.engine.codec = codec;
  }

  private device(peerId: string): string {
    return selectDevice(this.store.state.peers, peerId);
  }

  private endLocal(shareId: string): void {
    const share = this.mine.get(shareId);
    if (share === undefined) return;
    this.mine.delete(shareId);
    this.engine.sfu.stopProducing(shareId);
    this.engine.stopLocal(share.streamId);
  }

  /** Publishes and receives through the SFU what the policy says, now. */
  private syncSfu(): void {
    const { me, peers, shares, sfu } = this.store.state;
    if (!me) return;
    const mine = [...this.mine].map(([shareId, s]) => ({ shareId, streamId: s.streamId }));
    const publishing = this.publishing();
    // A share would go to the SFU: its device is ready before the first one starts.
    if (publishing) this.engine.sfu.prepareDevice();
    this.sfuSync.apply({
      publish: publishing ? mine : [],
      receive: sharesToReceive(me, peers, Object.values(shares), sfu, this.reach),
    });
  }

  /** Whether my shares go to the SFU now (someone receives them there, or the class records). */
  private publishing(): boolean {
    const { me, peers, sfu, room } = this.store.state;
    const recording = room?.recording !== undefined;
    return me !== null && shouldPublish(me, Object.values(peers), sfu, recording, this.reach);
  }

  /**
   * Sends each of my shares to whoever should see it now, and keeps a link ready to each room
   * screen a share of mine would reach (only while I may share: a teacher, a student on stage).
   */
  private retarget(): void {
    const targets = this.targets();
    for (const share of this.mine.values()) this.engine.setTargets(share.streamId, targets);
    const { me, peers } = this.store.state;
    const maySend = me?.role === 'teacher' || selectMe(this.store.state)?.stage === 'on';
    const screens = new Set(
      Object.values(peers).flatMap((p) => (p.role === 'screen' ? [this.device(p.id)] : [])),
    );
    this.engine.keepReady(maySend ? targets.filter((d) => screens.has(d)) : []);
  }

  /** The devices my shares go to P2P now. */
  private targets(): string[] {
    const { me, peers, sfu } = this.store.state;
    if (!me) return [];
    return shareTargets(me, Object.values(peers), sfu, this.reach).map((id) => this.device(id));
  }

  private async reannounce(): Promise<void> {
    const shares = [...this.mine.entries()];
    this.mine.clear();
    for (const [, share] of shares) {
      try {
        const { shareId } = await this.session.request('share.start', { ...share });
        this.mine.set(shareId, share);
      } catch (err) {
        // No longer allowed (e.g. no longer on stage after the restart): end the capture.
        log.info('a share could not be announced again; its capture ends', err);
        this.engine.stopLocal(share.streamId);
      }
    }
    this.retarget();
  }

  /** The signal's target: the current peer id of a device. */
  peerOf(device: string): string | undefined {
    return selectPeerOfDevice(this.store.state.peers, device);
  }
}
