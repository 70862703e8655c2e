import { BoardController } from './Board';
import type { JoinParams } from '../../../protocol';
import { MediaEngine } from '../media/MediaEngine';
import { handoffUrl, type Handoff } from '../signaling/handoff';
import { RoomStore, selectMe } from '../store';
import { Av } from './Av';
import { Check } from './Check';
import { Devices } from './Devices';
import { Records } from './Records';
import type { ControllerDeps } from './deps';
import type { RememberedRoom } from './rememberedRooms';
import { Moderation } from './Moderation';
import { Notices } from './Notices';
import { Session } from './Session';
import { Shares } from './Shares';
import { Stats } from './Stats';

/**
 * One page's controller: the store and the pieces that change it. Components read the store and
 * call these; they never touch sockets, peer connections or streams.
 */
export class AppController {
  readonly store = new RoomStore();
  readonly session: Session;
  readonly engine: MediaEngine;
  readonly shares: Shares;
  readonly stats: Stats;
  readonly moderation: Moderation;
  readonly board: BoardController;
  readonly av: Av;
  readonly devices: Devices;
  readonly records: Records;
  /** The pre-join check (network, and with `av` the microphone, camera and speaker). */
  readonly check: Check;

  constructor(deps: ControllerDeps) {
    this.session = new Session(this.store, deps.location, deps.connect);
    this.engine = new MediaEngine({
      sendSignal: (device, signal, session) => {
        const to = this.shares.peerOf(device);
        if (to) this.session.notify('signal', { to, session, signal });
      },
      request: (method, params) => this.session.request(method, params),
      iceServers: () =>
        (this.store.state.ice?.iceServers ?? []).map(({ urls, username, credential }) => ({
          urls,
          ...(username !== undefined && { username }),
          ...(credential !== undefined && { credential }),
        })),
      mayOffer: (device) => {
        const peer = this.store.state.peers[this.shares.peerOf(device) ?? ''];
        return peer?.role === 'teacher' || (peer?.role === 'student' && peer.stage === 'on');
      },
      musicStreams: () =>
        new Set(
          Object.values(this.store.state.shares).flatMap((s) =>
            s.music && s.streamId ? [s.streamId] : [],
          ),
        ),
      expectedCapture: () => deps.screenSize?.(),
      ownsStream: (device, streamId) => {
        const peerId = this.shares.peerOf(device);
        return Object.values(this.store.state.shares).some(
          (s) => s.streamId === streamId && s.peerId === peerId,
        );
      },
    });
    this.shares = new Shares(
      this.store,
      this.session,
      this.engine,
      deps.viewport,
      (preset, audio) => deps.captureScreen(preset, audio),
    );
    this.av = new Av(this.store, this.session, this.shares, deps.media ?? null);
    this.check = new Check(this.session, deps.location);
    this.stats = new Stats(
      this.store,
      this.session,
      this.engine,
      deps.statsIntervalMs,
      () => this.check.result,
    );
    this.moderation = new Moderation(this.session);
    this.board = new BoardController(this.session);
    this.devices = new Devices(this.store, this.session, deps.storage ?? null);
    this.records = new Records(this.store, this.session);
    new Notices(this.store, this.session, deps.reload);
  }

  /** Joins; with `remember`, asks the host to remember this device (secure pages only). */
  async join(params: Omit<JoinParams, 'protocol'>, address = '', remember = false): Promise<void> {
    await this.session.join(params, address);
    if (!this.store.state.me) return;
    this.stats.start();
    if (remember && params.deviceCredential === undefined) await this.devices.remember(address);
  }

  /** Back in a remembered room, without the code. */
  rejoin(entry: RememberedRoom): Promise<void> {
    return this.devices.rejoin(entry, (address) =>
      this.join(
        { role: entry.role, name: entry.name, deviceCredential: entry.credential },
        address,
      ),
    );
  }

  /**
   * Carries on as the member an http page handed over (signaling/handoff.ts): resume it here,
   * and accept its stage invitation if that is why it came.
   */
  async resumeHandoff(h: Handoff, code: string): Promise<void> {
    await this.join({
      role: 'student',
      name: h.name,
      device: h.device,
      resumeToken: h.resumeToken,
      ...(code !== '' && { code }),
    });
    if (h.accept && this.store.state.invitedBy) this.moderation.respond(true);
  }

  /**
   * The https page that carries on as this member (a viewer on plain http), or null when the
   * host has none or this page is not joined.
   */
  secureHandoffUrl(search: string, accept: boolean): string | null {
    const { secureUrl } = this.store.state;
    const name = selectMe(this.store.state)?.name;
    const h = this.session.handoff();
    if (!secureUrl || !name || !h) return null;
    return handoffUrl(secureUrl, search, { ...h, name, accept });
  }

  /** Leaves and lets go of every live object (tests; a page simply unloads). */
  close(): void {
    this.stats.stop();
    this.session.close();
    this.engine.close();
  }
}
