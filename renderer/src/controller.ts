import type {
  JoinParams,
  QualityPreset,
  REACTIONS,
  ServerNotification,
  Share,
} from '../../protocol';
import { MediaEngine } from './media/MediaEngine';
import type { CodecName } from './media/encoding';
import { shareTargets } from './media/policy';
import { SignalingClient } from './signaling/SignalingClient';
import { applyNotification, applySnapshot, applyStats, initialState, useRoom } from './store';

/** The relay's WebSocket endpoint for a page served by the room host. */
export function relayUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

const codeOf = (err: unknown) => (err as { code?: string }).code ?? 'CONNECTION_CLOSED';

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
    sendSignal: (to, signal) => this.signaling?.notify('signal', { to, signal }),
  });
  /** My share ids → the local stream carrying each. */
  private readonly myShares = new Map<string, string>();
  private statsTimer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    this.engine.subscribe(() => useRoom.setState({ streams: this.streamIds() }));
  }

  async join(params: Omit<JoinParams, 'protocol'>): Promise<void> {
    this.signaling?.close();
    useRoom.setState({ ...initialState });
    const signaling = new SignalingClient(relayUrl(window.location), {
      notification: (n) => this.onNotification(n),
      status: (status) => useRoom.setState({ status }),
      joined: (ack) => {
        this.engine.setIdentity(ack.peerId);
        applySnapshot({ peerId: ack.peerId, role: ack.role }, ack.snapshot);
        this.retarget();
      },
    });
    this.signaling = signaling;
    try {
      await signaling.join(params);
      this.statsTimer ??= setInterval(() => void this.sampleStats(), 1000);
    } catch (err) {
      useRoom.setState({ error: codeOf(err) });
    }
  }

  private onNotification(n: ServerNotification): void {
    applyNotification(n);
    switch (n.method) {
      case 'signal':
        this.engine.onSignal(n.params.from, n.params.signal);
        break;
      case 'peerLeft':
        this.engine.removePeer(n.params.peerId);
        this.retarget();
        break;
      case 'peerJoined':
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
      default:
        break;
    }
  }

  /** Sends each of my shares to whoever should see it now. */
  private retarget(): void {
    const { me, peers } = useRoom.getState();
    if (!me) return;
    const targets = shareTargets(me, Object.values(peers));
    for (const streamId of this.myShares.values()) this.engine.setTargets(streamId, targets);
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
    const streamId = this.engine.startLocal(stream, preset);
    const track = stream.getVideoTracks()[0]!;
    const kind = track.getSettings().displaySurface === 'window' ? 'window' : 'screen';
    try {
      const { shareId } = await this.signaling.request('share.start', {
        kind,
        label: track.label.slice(0, 120),
        preset,
        streamId,
      });
      this.myShares.set(shareId, streamId);
      // The browser's or the OS's own "Stop sharing" button ends the track.
      track.addEventListener('ended', () => void this.stopShare(shareId));
      this.retarget();
    } catch (err) {
      this.engine.stopLocal(streamId);
      useRoom.setState({ error: codeOf(err) });
    }
  }

  async stopShare(shareId: string): Promise<void> {
    this.endLocal(shareId);
    await this.signaling?.request('share.stop', { shareId }).catch(() => {});
  }

  private endLocal(shareId: string): void {
    const streamId = this.myShares.get(shareId);
    if (streamId === undefined) return;
    this.myShares.delete(shareId);
    this.engine.stopLocal(streamId);
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
    applyStats(await this.engine.sample());
    useRoom.setState({ streams: this.streamIds() });
  }
}

export const app = new AppController();
