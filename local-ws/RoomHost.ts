/**
 * A room host's lifecycle, shared by the headless CLI and the desktop app's screen mode: load
 * the host config (teacher credential hash, the open room's keys), start the relay with the
 * browser client, bring the room back with the same code and screen key, keep its keys saved.
 */
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../server-kit/log';
import { shortPin } from '../server-kit/tlsPin';
import { uploadEndpoint } from '../protocol/recordUploads';
import { CA_PATH } from '../protocol/tls';
import type { RelayTls } from './config';
import { BoardExport } from './BoardExport';
import { BoardJournal } from './BoardJournal';
import { loadHostConfig, saveHostConfig } from './hostConfig';
import { lanAddresses } from './lan';
import { RelayServer } from './RelayServer';
import { RememberedDevices } from './RememberedDevices';
import type { Room } from './Room';
import type { CodeChange } from './RoomRegistry';
import type { SfuOptions } from '../server-kit/sfuConfig';
import { RoomFeed, type CloudOptions } from './upstream/RoomFeed';
import type { UpstreamLink } from './upstream/UpstreamLink';
import { loadRoomTls } from './tls/RoomTls';
import { ClassRecorder, DEFAULT_MIN_FREE_BYTES } from './record/ClassRecorder';
import { ffmpegPath } from './record/ffmpeg';
import { serveRecords } from './record/recordRoutes';
import { ClassScheduler } from './schedule/ClassScheduler';

const log = createLogger('host');

/** Names this host answers to: its own, `<name>.local` (mDNS), the public one and any given. */
function hostNamesOf(publicHost: string | undefined, extra: string[] = []): string[] {
  const name = os.hostname().toLowerCase();
  return [...new Set([name, `${name}.local`, ...(publicHost ? [publicHost] : []), ...extra])].map(
    (n) => n.toLowerCase(),
  );
}

/** How often the host looks whether its LAN addresses changed (its certificate must name them). */
const ADDRESS_CHECK_MS = 60_000;

export interface RoomHostOptions {
  dataDir: string;
  roomName: string;
  staticDir: string;
  host?: string;
  port?: number;
  /** The address other devices use; the join URL and QR code point here. */
  publicHost?: string;
  /** More names devices may use for this host (a school's DNS name); see RelayOptions.hostNames. */
  hostNames?: string[];
  /** Run the SFU for fan-out to students (when a mediasoup worker can start here). */
  sfu?: SfuOptions;
  /** Link the room to a cloud control server (absent: the room works on the LAN alone). */
  cloud?: Omit<CloudOptions, 'journalFile'> & { persist?: boolean };
  /**
   * https/wss beside http on the same port: the room's own CA (default), a school's certificate
   * and key files, or false for plain http only (then only this machine may share or teach).
   */
  tls?: false | { certFile: string; keyFile: string };
  /** Recording: below `minFreeBytes` free (default 1 GB) it does not start, or stops. */
  record?: {
    minFreeBytes?: number;
    diskCheckMs?: number;
    uploadRetryDelays?: number[];
    /** Uploads to the cloud while a class is on, at most (default 1 MB/s). */
    uploadBytesPerSecond?: number;
  };
}

/** The room's TLS identity as people see it. */
export interface HostTlsInfo {
  pin: string;
  /** `3F2A 91C0 7B1E 44D2`: what the room screen shows. */
  shortPin: string;
  /** Where browsers download the room CA (null with a school's certificate). */
  caPath: string | null;
  notAfter: Date;
}

export interface RoomHostInfo {
  room: Room;
  port: number;
  /** Whether the SFU runs (false: no worker here, students get P2P). */
  sfu: boolean;
  /** Set only on the first run: the teacher credential, shown once. */
  newCredential: string | null;
  configFile: string;
  tls: HostTlsInfo | null;
}

export class RoomHost {
  private relayServer: RelayServer | null = null;
  private feed: RoomFeed | null = null;
  private board: BoardJournal | null = null;
  private boardImages: BoardExport | null = null;
  private recorder: ClassRecorder | null = null;
  private scheduler: ClassScheduler | null = null;
  private stopping: Promise<void> | null = null;
  private addressTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: RoomHostOptions) {}

  get relay(): RelayServer | null {
    return this.relayServer;
  }

  /** The room's cloud link, when a cloud is configured. */
  get upstream(): UpstreamLink | null {
    return this.feed?.link ?? null;
  }

  async start(onCodeChanged?: (change: CodeChange) => void): Promise<RoomHostInfo> {
    if (this.relayServer) throw new Error('room host already started');
    const { config, newCredential, file } = await loadHostConfig(
      this.opts.dataDir,
      this.opts.roomName,
    );
    const tls = await this.loadTls();
    const devices = await new RememberedDevices(
      path.join(this.opts.dataDir, 'devices.json'),
    ).load();
    const relay = new RelayServer({
      ...(tls && { tls }),
      devices,
      ...(this.opts.host !== undefined && { host: this.opts.host }),
      ...(this.opts.port !== undefined && { port: this.opts.port }),
      teacherCredentialHash: config.teacherCredentialHash,
      staticDir: this.opts.staticDir,
      routes: (req, res) =>
        (this.boardImages?.serve(req, res) ?? false) ||
        (this.recorder ? serveRecords(this.recorder.library, req, res) : false),
      publicHost: this.opts.publicHost ?? 'localhost',
      hostNames: hostNamesOf(this.opts.publicHost, this.opts.hostNames),
      ...(this.opts.sfu && { sfu: this.opts.sfu }),
    });
    const port = await relay.listen();
    const sfu = await relay.startSfu();
    this.relayServer = relay;
    // Same room, code and screen key as before a restart: devices rejoin by themselves.
    const room = relay.registry.createRoom(config.roomName, config.room);
    this.board = new BoardJournal(room, path.join(this.opts.dataDir, 'board.json'));
    await this.board.start();
    this.boardImages = new BoardExport(room, path.join(this.opts.dataDir, 'boards'));
    this.recorder = new ClassRecorder(room, relay.sfu, {
      dir: path.join(this.opts.dataDir, 'records'),
      ffmpeg: ffmpegPath(),
      minFreeBytes: this.opts.record?.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES,
      ...(this.opts.record?.diskCheckMs !== undefined && {
        diskCheckMs: this.opts.record.diskCheckMs,
      }),
      ...(this.opts.cloud && {
        upload: {
          endpoint: uploadEndpoint(this.opts.cloud.url),
          roomId: this.opts.cloud.roomId,
          token: this.opts.cloud.token,
          ...(this.opts.record?.uploadRetryDelays && {
            retryDelays: this.opts.record.uploadRetryDelays,
          }),
          ...(this.opts.record?.uploadBytesPerSecond && {
            classBytesPerSecond: this.opts.record.uploadBytesPerSecond,
          }),
        },
      }),
    });
    this.scheduler = new ClassScheduler(room, relay.registry, {
      file: path.join(this.opts.dataDir, 'schedule.json'),
    });
    await this.scheduler.start();
    let teacherCredentialHash = config.teacherCredentialHash;
    const save = () =>
      saveHostConfig(file, {
        ...config,
        teacherCredentialHash,
        room: { id: room.id, code: room.code, screenKey: room.screenKey },
      }).catch((err: unknown) => log.error({ err }, `${file} not saved`));
    await save();
    relay.registry.onCodeChanged((change) => {
      void save();
      onCodeChanged?.(change);
    });
    relay.onTeacherCredentialChanged((hash) => {
      teacherCredentialHash = hash;
      log.info('teacher credential changed by a teacher');
      void save();
    });
    const cloud = this.opts.cloud;
    if (cloud) {
      const { persist = true, ...rest } = cloud;
      const journalFile = path.join(this.opts.dataDir, 'upstream-outbox.jsonl');
      const scheduler = this.scheduler;
      this.feed = new RoomFeed(relay, room, { ...rest, ...(persist && { journalFile }) }, (t) =>
        scheduler.set(t),
      );
      this.feed.start();
    }
    if (tls && this.opts.tls === undefined) this.watchAddresses(relay, tls.pin);
    return {
      room,
      port,
      sfu,
      newCredential: newCredential ?? null,
      configFile: file,
      tls: tls && {
        pin: tls.pin,
        shortPin: shortPin(tls.pin),
        caPath: tls.ca === null ? null : CA_PATH,
        notAfter: tls.notAfter,
      },
    };
  }

  /** The IP addresses the certificate must name: the bound one, or every LAN address. */
  private addresses(): string[] {
    const bound = this.opts.host;
    const ips = bound && bound !== '0.0.0.0' && bound !== '::' ? [bound] : lanAddresses();
    return [...ips, '127.0.0.1'];
  }

  private async loadTls(): Promise<(RelayTls & { notAfter: Date }) | null> {
    if (this.opts.tls === false) return null;
    const names = [
      ...hostNamesOf(this.opts.publicHost, this.opts.hostNames),
      'localhost',
      ...this.addresses(),
    ];
    const tls = await loadRoomTls({
      dataDir: this.opts.dataDir,
      roomName: this.opts.roomName,
      names,
      ...this.opts.tls,
    });
    return { cert: tls.cert, key: tls.key, pin: tls.pin, ca: tls.ca, notAfter: tls.notAfter };
  }

  /** A laptop host that moves to another network gets a certificate for its new address. */
  private watchAddresses(relay: RelayServer, pin: string): void {
    let known = this.addresses().join();
    this.addressTimer = setInterval(() => {
      const now = this.addresses().join();
      if (now === known) return;
      known = now;
      void this.loadTls()
        .then((tls) => {
          if (!tls) return;
          relay.setCertificate(tls.cert, tls.key);
          if (tls.pin !== pin) log.error('the room key changed: devices will refuse this host');
          log.info(`certificate reissued for ${now}`);
        })
        .catch((err: unknown) => log.error({ err }, 'certificate not reissued'));
    }, ADDRESS_CHECK_MS);
    this.addressTimer.unref();
  }

  /** Tells clients and closes the relay. Safe to call twice. */
  stop(): Promise<void> {
    if (this.addressTimer) clearInterval(this.addressTimer);
    this.feed?.close();
    // The recording's files are finished before the SFU they come from goes.
    this.stopping ??= Promise.all([
      this.recorder?.stop('stopped'),
      this.recorder?.library.uploads?.close(),
    ])
      .catch((err: unknown) => log.error({ err }, 'recording not finished'))
      .then(() =>
        Promise.all([
          this.board?.flush(),
          this.scheduler?.stop(),
          this.boardImages?.settled(),
          this.relayServer?.close() ?? Promise.resolve(),
        ]),
      )
      .then(() => undefined);
    return this.stopping;
  }
}
