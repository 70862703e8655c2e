/**
 * The "export as one video" jobs of a host's records: one at a time (each is heavy), in the
 * order teachers asked; each job's state is told as it goes (about once a second) and kept
 * while the host runs. A record whose MP4 is on disk is done, across restarts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  EXPORT_FILE,
  ErrorCode,
  ProtocolError,
  type RecordExport,
  type Review,
} from '../../protocol';
import { createLogger } from '../../server-kit/log';
import { exportVideo } from './exportVideo';

const log = createLogger('record');
const TELL_EVERY_MS = 1000;

export interface ExportSource {
  readonly dir: string;
  review(id: string): Promise<Review | null>;
  /** The record being written now, if any. */
  active(): string | null;
}

export class RecordExports {
  private readonly jobs = new Map<string, RecordExport>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: ExportSource,
    private readonly ffmpeg: string | null,
    private readonly tell: (id: string, state: RecordExport) => void,
  ) {}

  /** The record's export as it stands: a job of this run, else the MP4 on disk, else none. */
  state(id: string): RecordExport | null {
    const job = this.jobs.get(id);
    if (job) return job;
    return existsSync(path.join(this.source.dir, id, EXPORT_FILE))
      ? { state: 'done', progress: 1, file: EXPORT_FILE }
      : null;
  }

  busy(id: string): boolean {
    const s = this.jobs.get(id)?.state;
    return s === 'queued' || s === 'running';
  }

  /** Queues the record's export (nothing new when one is queued, running or done). */
  async start(id: string): Promise<RecordExport> {
    if (!this.ffmpeg) {
      throw new ProtocolError(ErrorCode.RECORDING_UNAVAILABLE, 'no ffmpeg on this host');
    }
    if (this.source.active() === id) {
      throw new ProtocolError(ErrorCode.RECORD_BUSY, 'this record is being written: stop first');
    }
    const now = this.state(id);
    if (now && now.state !== 'failed') return now;
    const review = await this.source.review(id);
    if (!review) throw new ProtocolError(ErrorCode.RECORD_NOT_FOUND, 'no such record on this host');
    const queued: RecordExport = { state: 'queued', progress: 0 };
    this.set(id, queued);
    this.queue = this.queue.then(() => this.run(id, review, this.ffmpeg!));
    return queued;
  }

  private async run(id: string, review: Review, ffmpeg: string): Promise<void> {
    let told = 0;
    this.set(id, { state: 'running', progress: 0 });
    const began = Date.now();
    try {
      await exportVideo(ffmpeg, path.join(this.source.dir, id), review, (progress) => {
        const job = this.jobs.get(id);
        if (job) job.progress = Math.round(progress * 1000) / 1000;
        if (Date.now() - told >= TELL_EVERY_MS && job) {
          told = Date.now();
          this.tell(id, { ...job });
        }
      });
      this.set(id, { state: 'done', progress: 1, file: EXPORT_FILE });
      log.info(`record ${id} exported in ${Date.now() - began} ms`);
    } catch (err) {
      log.warn({ err }, `record ${id} not exported`);
      const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      this.set(id, { state: 'failed', progress: 0, error: message.slice(0, 200) });
    }
  }

  private set(id: string, state: RecordExport): void {
    this.jobs.set(id, state);
    this.tell(id, { ...state });
  }
}
