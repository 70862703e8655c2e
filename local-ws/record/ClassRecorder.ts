/**
 * The room host's recorder: a teacher starts it (or a schedule will), every track the room's
 * SFU carries is recorded from then on (and every track published later), with the class's
 * events beside them. It refuses to start, and stops with a message, when the disk runs low;
 * a worker crash or a share that ends closes only those streams (republished tracks continue
 * in new files).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ErrorCode, ProtocolError, type Share } from '../../protocol';
import { randomToken } from '../../protocol/ids';
import { createLogger } from '../../server-kit/log';
import type { Member } from '../Member';
import type { Room } from '../Room';
import type { Recorder, RecordingEnd } from '../RoomRecording';
import type { Sfu } from '../sfu/Sfu';
import { freeBytes } from './diskSpace';
import { RecordExports } from './RecordExports';
import { RecordLibrary } from './RecordLibrary';
import { RecordUploads, type UploadSource, type UploadTarget } from './RecordUploads';
import { Recording } from './Recording';
import { repairRecords } from './repair';

const log = createLogger('record');

export interface ClassRecorderOptions {
  /** Where records are kept: `<data dir>/records`. */
  dir: string;
  /** The ffmpeg binary (null: recording unavailable on this host). */
  ffmpeg: string | null;
  /** Below this many free bytes a recording does not start, and one running stops. */
  minFreeBytes: number;
  /** How often the free space is looked at while recording. */
  diskCheckMs?: number;
  /** The cloud that keeps copies of the records (absent: records stay on this host). */
  upload?: UploadTarget;
}

/** 1 GB: about half an hour of four 1080p shares. */
export const DEFAULT_MIN_FREE_BYTES = 1024 ** 3;

export class ClassRecorder implements Recorder {
  private current: Recording | null = null;
  private timer: NodeJS.Timeout | null = null;
  private starting: Promise<void> | null = null;
  /** The record being written goes to the cloud when it ends (a scheduled class's). */
  private uploadWhenDone = false;
  /** Records an earlier run left unfinished, made playable before anything new is recorded. */
  readonly repaired: Promise<string[]>;
  /** The records in `dir`, as teachers list, share and delete them. */
  readonly library: RecordLibrary;

  constructor(
    private readonly room: Room,
    private readonly sfu: Sfu | null,
    private readonly opts: ClassRecorderOptions,
  ) {
    room.recording.recorder = this;
    this.library = new RecordLibrary(opts.dir, () => this.current?.name ?? null);
    room.recording.library = this.library;
    this.library.exports = new RecordExports(this.library, opts.ffmpeg, (id, state) =>
      room.sendTeachers({ method: 'recordExport', params: { id, export: state } }),
    );
    this.repaired = repairRecords(opts.dir, opts.ffmpeg);
    if (opts.upload) {
      const library = this.library;
      const source: UploadSource = {
        dir: library.dir,
        files: (id) => library.files(id),
        active: () => library.active(),
        // Anyone but room screens here: a class is on, and uploads keep to the class rate.
        inClass: () => [...room.members.values()].some((m) => m.role !== 'screen'),
      };
      const uploads = new RecordUploads(source, opts.upload, (id, state) =>
        room.sendTeachers({ method: 'recordUpload', params: { id, upload: state } }),
      );
      this.library.uploads = uploads;
      void this.repaired.then(() => uploads.resume());
    }
    room.events.on('producerAdded', (share, producerId) => void this.add(share, producerId));
    room.events.on('notified', (n) => this.current?.event(n));
    room.events.on('boardEnded', (board) => void this.current?.keepBoard(board));
    room.events.on('classEnded', () => void this.stop('classEnded'));
  }

  /** The record being written now, if any (its folder name is what teachers are told). */
  get active(): Recording | null {
    return this.current;
  }

  start(by: Pick<Member, 'name'>, opts: { upload?: boolean } = {}): Promise<void> {
    if (opts.upload) this.uploadWhenDone = true;
    if (this.current) return Promise.resolve();
    this.starting ??= this.begin(by).finally(() => (this.starting = null));
    return this.starting;
  }

  private async begin(by: Pick<Member, 'name'>): Promise<void> {
    if (!this.sfu?.available || !this.opts.ffmpeg) {
      throw new ProtocolError(
        ErrorCode.RECORDING_UNAVAILABLE,
        this.opts.ffmpeg ? 'this host runs no SFU to record from' : 'no recorder on this host',
      );
    }
    await this.repaired;
    await fs.mkdir(this.opts.dir, { recursive: true, mode: 0o700 });
    await this.checkDisk();
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    const folder = path.join(this.opts.dir, `${stamp}-${randomToken(3)}`);
    await fs.mkdir(folder, { mode: 0o700 });
    const recording = new Recording(this.room, folder, this.opts.ffmpeg, by.name);
    this.current = recording;
    // Announced once teachers can find it in their records.
    await recording.written();
    log.info(`recording ${this.room.name} into ${folder}`);
    this.room.recording.set({ since: recording.manifest.startedAt, by: by.name });
    for (const share of this.room.shares.list()) {
      if (share.producerId) void this.add(share, share.producerId);
      if (share.audioProducerId) void this.add(share, share.audioProducerId);
    }
    this.timer = setInterval(() => void this.watchDisk(), this.opts.diskCheckMs ?? 2000);
    this.timer.unref();
  }

  async stop(reason: RecordingEnd): Promise<void> {
    await this.starting?.catch(() => undefined);
    const recording = this.current;
    if (!recording) return;
    this.current = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.room.recording.set(null);
    const upload = this.uploadWhenDone;
    this.uploadWhenDone = false;
    await recording.close(reason);
    log.info(`recording ${recording.name} ended: ${reason}`);
    // Wanted on disk at once: a host that is stopping sends it when it starts again.
    if (upload) await this.library.uploads?.start(recording.name).catch(() => undefined);
    this.room.sendTeachers({
      method: 'recordingStopped',
      params: { reason, record: recording.name },
    });
  }

  private async add(share: Share, producerId: string): Promise<void> {
    const recording = this.current;
    const sfu = this.sfu?.forRoom(this.room);
    const producer = sfu?.producer(producerId);
    if (!recording || !sfu || !producer) return;
    await recording.add(await sfu.router(), share, producer);
  }

  private async checkDisk(): Promise<void> {
    const free = await freeBytes(this.opts.dir);
    if (free < this.opts.minFreeBytes) {
      const mb = (n: number) => `${Math.round(n / 1024 ** 2)} MB`;
      throw new ProtocolError(
        ErrorCode.DISK_LOW,
        `only ${mb(free)} free on the host's disk (recording needs ${mb(this.opts.minFreeBytes)})`,
      );
    }
  }

  private async watchDisk(): Promise<void> {
    try {
      await this.checkDisk();
    } catch (err) {
      log.warn(`recording stopped: ${err instanceof Error ? err.message : String(err)}`);
      await this.stop(err instanceof ProtocolError ? 'diskLow' : 'failed');
    }
  }
}
