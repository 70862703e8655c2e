import type { ShareKind } from '../../../protocol';
import { micConstraints } from '../media/audio';
import { createLog } from '../log';
import type { RoomStore, RoomState } from '../store';
import type { Session } from './Session';
import type { Shares } from './Shares';

const log = createLog('av');

/** The browser's (or a test's) microphones, cameras and loudspeakers. */
export interface MediaDevicesLike {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  enumerateDevices(): Promise<{ deviceId: string; kind: string; label: string }[]>;
  /** Calls back on hot-plug (`devicechange`). */
  onDeviceChange(listener: () => void): void;
}

type Device = RoomState['devices'][number];
const KINDS = new Set(['audioinput', 'videoinput', 'audiooutput']);

/**
 * Voices and faces: this device's microphone and camera as shares (so the relay's stage and
 * mute rules hold for them exactly as for screens), music mode, the device choice with
 * hot-plug, and whether this device plays the class's sound.
 *
 * Sound rule: the room screen is the room's loudspeaker and plays by default; every other
 * device plays nothing until its person turns "sound on this device" on (headphones, or
 * someone outside the room). Nobody's own voice is ever played back to them: only received
 * streams are played, and a device never receives its own shares.
 */
export class Av {
  /** The local test's stream (microphone and camera, never sent). */
  private preview: MediaStream | null = null;

  constructor(
    private readonly store: RoomStore,
    private readonly session: Session,
    private readonly shares: Shares,
    private readonly media: MediaDevicesLike | null,
  ) {
    // The room screen is the room's loudspeaker; someone outside the room hears on their own
    // device. Everyone else in the room hears the screen (their own choice to change).
    session.events.on('joined', (ack) => {
      const remote = ack.snapshot.peers.find((p) => p.id === ack.peerId)?.remote === true;
      if ((ack.role === 'screen' || remote) && !ack.resumed) this.store.set({ soundOn: true });
    });
    // My microphone or camera share ended on the relay (muted, taken off stage, class over).
    session.events.on('shareStopped', ({ shareId }) => {
      const { mic, camera } = this.store.state;
      if (shareId === mic) this.store.set({ mic: null });
      if (shareId === camera) this.store.set({ camera: null });
    });
    media?.onDeviceChange(() => void this.refreshDevices());
  }

  /** Whether this page can capture at all (false on an http page that is not localhost). */
  get canCapture(): boolean {
    return this.media !== null;
  }

  async micOn(): Promise<void> {
    if (this.store.state.mic !== null) return;
    const { music, micDevice } = this.store.state;
    const id = await this.capture('mic', { audio: micConstraints(music, micDevice) }, music);
    if (id) this.store.set({ mic: id });
  }

  async micOff(): Promise<void> {
    const { mic } = this.store.state;
    if (mic === null) return;
    this.store.set({ mic: null });
    await this.shares.stop(mic);
  }

  async cameraOn(): Promise<void> {
    if (this.store.state.camera !== null) return;
    const { cameraDevice } = this.store.state;
    const video: MediaTrackConstraints = {
      width: { ideal: 1280 },
      height: { ideal: 720 },
      frameRate: { ideal: 30 },
      ...(cameraDevice && { deviceId: { exact: cameraDevice } }),
    };
    const id = await this.capture('camera', { video }, false);
    if (id) this.store.set({ camera: id });
  }

  async cameraOff(): Promise<void> {
    const { camera } = this.store.state;
    if (camera === null) return;
    this.store.set({ camera: null });
    await this.shares.stop(camera);
  }

  /** Music mode for the microphone; a running microphone is captured again with it. */
  async setMusic(music: boolean): Promise<void> {
    if (this.store.state.music === music) return;
    this.store.set({ music });
    if (this.store.state.mic !== null) {
      await this.micOff();
      await this.micOn();
    }
  }

  /** Picks a device ('' = system default); a running microphone / camera switches to it. */
  async choose(kind: 'mic' | 'camera' | 'speaker', deviceId: string): Promise<void> {
    if (kind === 'speaker') {
      this.store.set({ speakerDevice: deviceId });
      return;
    }
    if (kind === 'mic') {
      this.store.set({ micDevice: deviceId });
      if (this.store.state.mic !== null) {
        await this.micOff();
        await this.micOn();
      }
      return;
    }
    this.store.set({ cameraDevice: deviceId });
    if (this.store.state.camera !== null) {
      await this.cameraOff();
      await this.cameraOn();
    }
  }

  /** The test stream while previewing (for the self-view and the level meter). */
  get previewStream(): MediaStream | null {
    return this.preview;
  }

  /** Tests the chosen microphone and camera here, before anything is sent. */
  async startPreview(): Promise<void> {
    if (!this.media || this.preview) return;
    const { music, micDevice, cameraDevice } = this.store.state;
    try {
      this.preview = await this.media.getUserMedia({
        audio: micConstraints(music, micDevice),
        video: cameraDevice ? { deviceId: { exact: cameraDevice } } : true,
      });
    } catch (err) {
      log.info('preview refused', err);
      this.store.set({ error: 'CAPTURE' });
      return;
    }
    this.store.set({ previewing: true });
    void this.refreshDevices();
  }

  stopPreview(): void {
    for (const t of this.preview?.getTracks() ?? []) t.stop();
    this.preview = null;
    this.store.set({ previewing: false });
  }

  /** "Sound on this device". */
  setSound(on: boolean): void {
    this.store.set({ soundOn: on, soundBlocked: false });
  }

  /** The browser refused to play without a click (autoplay policy); the page shows a button. */
  playbackBlocked(): void {
    if (!this.store.state.soundBlocked) this.store.set({ soundBlocked: true });
  }

  /** After the click: players try again. */
  playbackAllowed(): void {
    this.store.set({ soundBlocked: false });
  }

  /** A muted student asks the teacher to be heard again. */
  askUnmute(): void {
    this.session.call('unmute.ask', {});
  }

  async refreshDevices(): Promise<void> {
    if (!this.media) return;
    try {
      const all = await this.media.enumerateDevices();
      const devices: Device[] = all
        .filter((d) => KINDS.has(d.kind))
        .map((d) => ({ id: d.deviceId, kind: d.kind as Device['kind'], label: d.label }));
      const patch: Partial<RoomState> = { devices };
      // An unplugged device falls back to the default.
      const has = (id: string) => id === '' || devices.some((d) => d.id === id);
      const { micDevice, cameraDevice, speakerDevice } = this.store.state;
      if (!has(micDevice)) patch.micDevice = '';
      if (!has(cameraDevice)) patch.cameraDevice = '';
      if (!has(speakerDevice)) patch.speakerDevice = '';
      this.store.set(patch);
    } catch (err) {
      log.info('devices not listed', err);
    }
  }

  private async capture(
    kind: Extract<ShareKind, 'mic' | 'camera'>,
    constraints: MediaStreamConstraints,
    music: boolean,
  ): Promise<string | null> {
    if (!this.media) {
      this.store.set({ error: 'INSECURE_CONTEXT' });
      return null;
    }
    this.store.set({ error: null });
    const me = this.store.state.me;
    const self = me ? this.store.state.peers[me.peerId] : undefined;
    // The relay refuses these too; the page need not ask for the device for nothing.
    if (self?.role === 'student' && self.stage !== 'on') {
      this.store.set({ error: 'NOT_ON_STAGE' });
      return null;
    }
    if (self?.muted?.[kind === 'mic' ? 'audio' : 'video']) {
      this.store.set({ error: 'MUTED' });
      return null;
    }
    let stream: MediaStream;
    try {
      stream = await this.media.getUserMedia(constraints);
    } catch (err) {
      log.info(`${kind} refused or missing`, err);
      this.store.set({ error: 'CAPTURE' });
      return null;
    }
    void this.refreshDevices(); // labels appear once a capture was allowed
    const label = kind === 'mic' ? (music ? 'microphone (music)' : 'microphone') : 'camera';
    const id = await this.shares.shareStream(stream, 'auto', { kind, label, music });
    if (id === null) for (const t of stream.getTracks()) t.stop();
    return id;
  }
}
