import type {
  JoinParams,
  QualityPreset,
  REACTIONS,
  ServerNotification,
  Share,
} from '../../protocol';
import { MediaEngine } from './media/MediaEngine';
import type { CodecName } from './media/encoding';
import { shareTargets, sharesToReceive, shouldPublish } from './media/policy';
import { MetricsReporter } from './media/report';
import { SfuSync } from './media/SfuSync';
import { relayUrl } from './signaling/address';
import { SignalingClient } from './signaling/SignalingClient';
import { applyNotification, applySnapshot, applyStats, initialState, useRoom } from './store';

const codeOf = (err: unknown) => (err as { code?: string }).code ?? 'CONNECTION_CLOSED';

/** This page's device id: peers key media links by it, so links outlive peer ids. */
const DEVICE = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) =>
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.charAt(b & 63),
).join('');

interface MyShare {
  streamId: string;
  kind: Share['kind'];
  label: string;
  preset: QualityPreset;
}

/** A peer's media key: its device id when it sent one, else its peer id. */
function deviceOf(peerId: string): string {
  return useRoom.getState().peers[peerId]?.device ?? peerId;
}

/** The current peer id of a device (peer ids change when the relay restarts). */
function peerOf(device: string): string | undefined {
  const peers = Object.values(useRoom.getState().peers);
  return (peers.find((p) => p.device === device && p.online) ?? peers.find((p) => p.id === device))
    ?.id;
}

/** Optional capture size for diagnostics and tests, e.g. ?capture=1920x1080 (default: native). */
function captureSize(): { width: number; height: number } | null {
  const m = /^(\d{3,4})x(\d{3,4})$/.exec(
    new URLSearchParams(window.location.search).get('capture') ?? '',
  );
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
}

/**
 * The page's one controller: signaling ↔ store ↔ media engine. Components call these methods
 * and read the store; they never touch sockets, peer connections or streams.
 */
class AppController {
  private signaling: SignalingClient | null = null;
  readonly engine = new MediaEngine({
    sendSignal: (device, signal, session) => {
      const to = peerOf(device);
      if (to) this.signaling?.notify('signal', { to, session, signal });
    },
    request: (method, params) =>
      this.signaling
        ? this.signaling.request(method, params)
        : Promise.reject(new Error('not connected')),
  });
  private readonly sfuSync = new SfuSync(this.engine.sfu, (streamId) =>
    this.engine.localShare(streamId),
  );
  /** My share ids → what each carries. */
  private readonly myShares = new Map<string, MyShare>();
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private samples = 0;
  private readonly reporter = new MetricsReporter();

  constructor() {
    this.engine.subscribe(() => useRoom.setState({ streams: this.streamIds() }));
  }

  async join(params: Omit<JoinParams, 'protocol'>, address = ''): Promise<void> {
    const url = relayUrl(window.location, address);
    if (url === null) {
      useRoom.setState({ error: 'BAD_ADDRESS' });
      return;
    }
    this.signaling?.close();
    useRoom.setState({ ...initialState });
    this.engine.setIdentity(DEVICE);
    const signaling = new SignalingClient(url, {
      notification: (n) => this.onNotification(n),
      status: (status) => useRoom.setState({ status }),
      joined: (ack) => {
        applySnapshot({ peerId: ack.peerId, role: ack.role }, ack.snapshot);
        // A fresh join means a new relay (or SFU): its transports and producers are new too.
        if (!ack.resumed) this.sfuSync.reset();
        // A fresh join while sharing means the relay restarted and forgot my shares: announce
        // them again. The media never stopped; peers match it by stream id.
        if (!ack.resumed) void this.reannounce();
        this.retarget();
        this.engine.resync();
        this.syncSfu();
      },
    });
    this.signaling = signaling;
    try {
      await signaling.join({ ...params, device: DEVICE });
      this.statsTimer ??= setInterval(() => void this.sampleStats(), 1000);
    } catch (err) {
      useRoom.setState({ error: codeOf(err) });
    }
  }

  private onNotification(n: ServerNotification): void {
    // Read before the store forgets the peer.
    const leaving = n.method === 'peerLeft' ? deviceOf(n.params.peerId) : null;
    applyNotification(n);
    switch (n.method) {
      case 'signal':
        this.engine.onSignal(deviceOf(n.params.from), n.params.session, n.params.signal);
        break;
      case 'peerLeft':
        this.engine.removePeer(leaving!);
        this.retarget();
        break;
      case 'peerJoined':
        // A device came back (after a relay restart): finish any negotiation it missed.
        this.engine.resync(deviceOf(n.params.peer.id));
        this.retarget();
        break;
      case 'peerUpdated':
        this.retarget();
        break;
      case 'shareStopped':
        // The teacher took me off stage (or the class ended): my capture ends with it.
        this.endLocal(n.params.shareId);
        break;
      case 'removed':
        this.engine.close();
        break;
      case 'sfuReset':
        this.sfuSync.reset();
        break;
      case 'consumerClosed':
        this.engine.sfu.consumerClosed(n.params.consumerId);
        break;
      case 'screenMessage': {
        const shown = useRoom.getState().operatorMessage;
        setTimeout(() => {
          if (useRoom.getState().operatorMessage === shown)
            useRoom.setState({ operatorMessage: null });
        }, n.params.seconds * 1000);
        break;
      }
      case 'reloadRequested':
        // The operator asked the room screen to reload (e.g. after an update).
        window.location.reload();
        break;
      default:
        break;
    }
    this.syncSfu();
  }

  /** Publishes and receives through the SFU what the policy says, now. */
  private syncSfu(): void {
    const { me, peers, shares, sfu } = useRoom.getState();
    if (!me) return;
    const mine = [...this.myShares].map(([shareId, s]) => ({ shareId, streamId: s.streamId }));
    this.sfuSync.apply({
      publish: shouldPublish(me, Object.values(peers), sfu) ? mine : [],
      receive: sharesToReceive(me, peers, Object.values(shares), sfu),
    });
  }

  /** Sends each of my shares to whoever should see it now. */
  private retarget(): void {
    const { me, peers } = useRoom.getState();
    if (!me) return;
    const targets = shareTargets(me, Object.values(peers), useRoom.getState().sfu).map(deviceOf);
    for (const share of this.myShares.values()) this.engine.setTargets(share.streamId, targets);
  }

  private async reannounce(): Promise<void> {
    const shares = [...this.myShares.entries()];
    this.myShares.clear();
    for (const [, share] of shares) {
      try {
        const { shareId } = await this.signaling!.request('share.start', { ...share });
        this.myShares.set(shareId, share);
      } catch {
        // No longer allowed (e.g. no longer on stage after the restart): end the capture.
        this.engine.stopLocal(share.streamId);
      }
    }
    this.retarget();
  }

  /** Share button: pick a source (getDisplayMedia), announce it, send it. */
  async share(preset: QualityPreset): Promise<void> {
    const { me, peers } = useRoom.getState();
    if (!me || !this.signaling) return;
    useRoom.setState({ error: null });
    if (me.role === 'student' && peers[me.peerId]?.stage !== 'on') {
      // Ask the relay (the authority) before opening the picker: it answers NOT_ON_STAGE.
      try {
        const { shareId } = await this.signaling.request('share.start', {
          kind: 'screen',
          label: '',
          preset,
        });
        await this.signaling.request('share.stop', { shareId });
      } catch (err) {
        useRoom.setState({ error: codeOf(err) });
        return;
      }
    }
    let stream: MediaStream;
    try {
      const size = captureSize();
      const frameRate = preset === 'smooth' ? 60 : 30;
      stream = await navigator.mediaDevices.getDisplayMedia({
        video: size ? { ...size, frameRate } : { frameRate },
        audio: false,
      });
    } catch {
      useRoom.setState({ error: 'CAPTURE' });
      return;
    }
    await this.shareStream(stream, preset);
  }

  /**
   * Announces and sends an already captured stream (the picker's, or any other source such as
   * a canvas). Resolves with the share id, or null when the relay refused (error shown).
   */
  async shareStream(stream: MediaStream, preset: QualityPreset): Promise<string | null> {
    if (!this.signaling) return null;
    const streamId = this.engine.startLocal(stream, preset);
    const track = stream.getVideoTracks()[0]!;
    const kind = track.getSettings().displaySurface === 'window' ? 'window' : 'screen';
    try {
      const share: MyShare = { streamId, kind, label: track.label.slice(0, 120), preset };
      const { shareId } = await this.signaling.request('share.start', { ...share });
      this.myShares.set(shareId, share);
      // The browser's or the OS's own "Stop sharing" button ends the track.
      track.addEventListener('ended', () => {
        for (const [id, s] of this.myShares) if (s.streamId === streamId) void this.stopShare(id);
      });
      this.retarget();
      this.syncSfu();
      return shareId;
    } catch (err) {
      this.engine.stopLocal(streamId);
      useRoom.setState({ error: codeOf(err) });
      return null;
    }
  }

  async stopShare(shareId: string): Promise<void> {
    this.endLocal(shareId);
    await this.signaling?.request('share.stop', { shareId }).catch(() => {});
  }

  private endLocal(shareId: string): void {
    const share = this.myShares.get(shareId);
    if (share === undefined) return;
    this.myShares.delete(shareId);
    this.engine.sfu.stopProducing(shareId);
    this.engine.stopLocal(share.streamId);
  }

  setCodec(codec: CodecName): void {
    this.engine.codec = codec;
  }

  /** Fire-and-forget calls; a refusal shows its code. */
  private call(run: (s: SignalingClient) => Promise<unknown>): void {
    if (!this.signaling) return;
    run(this.signaling).catch((err: unknown) => useRoom.setState({ error: codeOf(err) }));
  }

  chat = (text: string) => this.call((s) => s.request('chat', { text }));
  setHand = (raised: boolean) => this.call((s) => s.request('hand.set', { raised }));
  react = (emoji: (typeof REACTIONS)[number]) => this.call((s) => s.request('react', { emoji }));
  invite = (peerId: string) => this.call((s) => s.request('stage.invite', { peerId }));
  respond = (accept: boolean) => this.call((s) => s.request('stage.respond', { accept }));
  takeOff = (peerId: string) => this.call((s) => s.request('stage.remove', { peerId }));
  lock = (locked: boolean) => this.call((s) => s.request('room.lock', { locked }));
  remove = (peerId: string) => this.call((s) => s.request('peer.remove', { peerId }));
  mute = (peerId: string) => this.call((s) => s.request('peer.mute', { peerId, kind: 'all' }));
  endClass = () => this.call((s) => s.request('class.end', {}));
  setLayout = (mode: 'single' | '2up' | '2x2', shares: Share[]) =>
    this.call((s) =>
      s.request('layout.set', {
        mode,
        slots: shares.slice(0, mode === 'single' ? 1 : mode === '2up' ? 2 : 4).map((x) => x.id),
      }),
    );

  private streamIds(): string[] {
    const { shares } = useRoom.getState();
    return Object.values(shares)
      .map((s) => s.streamId)
      .filter((id): id is string => id !== undefined && this.engine.streamFor(id) !== undefined);
  }

  private async sampleStats(): Promise<void> {
    const stats = await this.engine.sample();
    applyStats(stats);
    useRoom.setState({ streams: this.streamIds() });
    // Every 10 s the figures go to the relay, which forwards them to the school's cloud.
    if (++this.samples % 10 === 0) {
      this.signaling?.notify(
        'metrics.report',
        this.reporter.report(stats, this.engine.takeIceCounts()),
      );
    }
  }
}

export const app = new AppController();
