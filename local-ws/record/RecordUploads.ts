/**
 * Uploads of this host's class records to the cloud (protocol/recordUploads.ts): one record at
 * a time, each file with the tus protocol so an interrupted upload goes on from where it
 * stopped — after a dropped connection (retried with back-off), and after a host restart (the
 * upload addresses are kept in the record's `.upload.json`; unfinished uploads resume when the
 * host starts). `manifest.json` goes last. A record is "in the cloud" while every file it has
 * now is there; a file that is new since (an exported video) is sent by the next upload.
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { defaultOptions, Upload } from 'tus-js-client';
import {
  ErrorCode,
  ProtocolError,
  RecordId,
  UPLOAD_ROOM_HEADER,
  type RecordUpload,
} from '../../protocol';
import { writeFileAtomic } from '../../server-kit/atomicFile';
import { createLogger } from '../../server-kit/log';

const log = createLogger('record');
const STATE_FILE = '.upload.json';
const TELL_EVERY_MS = 1000;
/** One PATCH request: small enough to finish within the cloud's request timeout on a slow line. */
const CHUNK_BYTES = 1024 * 1024;

/** Where records go: the cloud's tus endpoint and the room's credential. */
export interface UploadTarget {
  endpoint: string;
  roomId: string;
  token: string;
  /** Waits between retries of a failed request (tus-js-client's `retryDelays`). */
  retryDelays?: number[];
  /** Most bytes a second while a class is on (default 1 MB/s: 8 Mbit/s of the school's line). */
  classBytesPerSecond?: number;
}

/** 8 Mbit/s. */
export const CLASS_UPLOAD_RATE = 1024 * 1024;

export interface UploadSource {
  readonly dir: string;
  /** A class is on in the room now (uploads then keep to the class rate). */
  inClass?(): boolean;
  /** The record's files in upload order (manifest last), or null when there is no record. */
  files(id: string): Promise<string[] | null>;
  /** The record being written now, if any. */
  active(): string | null;
}

/** What `.upload.json` keeps: each file's upload address, and whether it arrived. */
interface Saved {
  wanted: boolean;
  files: Record<string, { bytes: number; url?: string; done?: boolean }>;
}

export class RecordUploads {
  private readonly jobs = new Map<string, RecordUpload>();
  private queue: Promise<void> = Promise.resolve();
  private current: Upload | null = null;
  private closed = false;
  /** `.upload.json` writes, one after another. */
  private writes: Promise<void> = Promise.resolve();
  /** When the next chunk may go, under the class rate. */
  private nextChunkAt = 0;

  constructor(
    private readonly source: UploadSource,
    private readonly target: UploadTarget,
    private readonly tell: (id: string, state: RecordUpload) => void,
  ) {}

  /** The record's upload: a job of this run, else done when every file it has is uploaded. */
  async state(id: string): Promise<RecordUpload | null> {
    const job = this.jobs.get(id);
    if (job) return job;
    const saved = await this.saved(id);
    if (!saved.wanted) return null;
    const names = (await this.source.files(id)) ?? [];
    const sizes = await this.sizes(id, names);
    const all = names.every((n) => saved.files[n]?.done && saved.files[n].bytes === sizes.get(n));
    return all ? { state: 'done', progress: 1 } : null;
  }

  busy(id: string): boolean {
    const s = this.jobs.get(id)?.state;
    return s === 'queued' || s === 'uploading';
  }

  /** Queues the record's upload (nothing new while one is queued or running). */
  async start(id: string): Promise<RecordUpload> {
    if (this.source.active() === id) {
      throw new ProtocolError(ErrorCode.RECORD_BUSY, 'this record is being written: stop first');
    }
    if (this.busy(id)) return this.jobs.get(id)!;
    if (!(await this.source.files(id))) {
      throw new ProtocolError(ErrorCode.RECORD_NOT_FOUND, 'no such record on this host');
    }
    const queued: RecordUpload = { state: 'queued', progress: 0 };
    this.set(id, queued);
    // Wanted from now on: if this host stops first, its next start sends it.
    const saved = await this.saved(id);
    if (!saved.wanted) await this.save(id, { ...saved, wanted: true });
    this.queue = this.queue.then(() => this.run(id));
    return queued;
  }

  /** Queues every upload an earlier run did not finish. */
  async resume(): Promise<void> {
    const names = await fs.readdir(this.source.dir).catch(() => [] as string[]);
    for (const id of names.filter((n) => RecordId.safeParse(n).success).sort()) {
      const saved = await this.saved(id);
      if (saved.wanted && !(await this.state(id))) {
        log.info(`record ${id}: resuming its upload`);
        await this.start(id).catch(() => undefined);
      }
    }
  }

  /** Stops the upload under way (it resumes on the next start) and takes no more. */
  async close(): Promise<void> {
    this.closed = true;
    await this.current?.abort().catch(() => undefined);
  }

  private async run(id: string): Promise<void> {
    if (this.closed) return;
    const began = Date.now();
    try {
      const names = (await this.source.files(id)) ?? [];
      const sizes = await this.sizes(id, names);
      // start() has marked it wanted on disk already.
      const saved = await this.saved(id);
      const total = [...sizes.values()].reduce((a, b) => a + b, 0) || 1;
      let sent = 0;
      let told = 0;
      this.set(id, { state: 'uploading', progress: 0 });
      for (const name of names) {
        const bytes = sizes.get(name) ?? 0;
        const entry = saved.files[name];
        if (!(entry?.done && entry.bytes === bytes)) {
          await this.send(id, name, bytes, saved, (done) => {
            const job = this.jobs.get(id);
            if (!job) return;
            job.progress = Math.round(((sent + done) / total) * 1000) / 1000;
            if (Date.now() - told >= TELL_EVERY_MS) {
              told = Date.now();
              this.tell(id, { ...job });
            }
          });
          saved.files[name] = { bytes, done: true };
          await this.save(id, saved);
        }
        sent += bytes;
      }
      this.set(id, { state: 'done', progress: 1 });
      log.info(`record ${id} uploaded (${names.length} files) in ${Date.now() - began} ms`);
    } catch (err) {
      const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      if (this.closed) return;
      log.warn(`record ${id} not uploaded: ${message}`);
      this.set(id, { state: 'failed', progress: 0, error: message.slice(0, 200) });
    }
  }

  /** One file, resumed from its saved address when it has one. */
  private send(
    id: string,
    name: string,
    bytes: number,
    saved: Saved,
    progress: (sent: number) => void,
  ): Promise<void> {
    const entry = saved.files[name];
    const resumeFrom = entry && !entry.done && entry.bytes === bytes ? entry.url : undefined;
    return new Promise<void>((resolve, reject) => {
      const upload = new Upload(createReadStream(path.join(this.source.dir, id, name)), {
        endpoint: this.target.endpoint,
        ...(resumeFrom && { uploadUrl: resumeFrom }),
        uploadSize: bytes,
        chunkSize: CHUNK_BYTES,
        metadata: { record: id, name },
        headers: {
          authorization: `Bearer ${this.target.token}`,
          [UPLOAD_ROOM_HEADER]: this.target.roomId,
        },
        retryDelays: this.target.retryDelays ?? [0, 1000, 3000, 5000, 10_000, 20_000, 30_000],
        storeFingerprintForResuming: false,
        fileReader: this.pacedReader(),
        onUploadUrlAvailable: () => {
          if (!upload.url) return;
          saved.files[name] = { bytes, url: upload.url };
          void this.save(id, saved);
        },
        onProgress: (sent) => progress(sent),
        onSuccess: () => resolve(),
        onError: (err) => reject(err),
      });
      this.current = upload;
      upload.start();
    }).finally(() => {
      this.current = null;
    });
  }

  /**
   * The file reader tus-js-client reads chunks with, holding each chunk back while a class is
   * on so the uploads average at most the class rate.
   */
  private pacedReader(): typeof defaultOptions.fileReader {
    const base = defaultOptions.fileReader;
    const rate = this.target.classBytesPerSecond ?? CLASS_UPLOAD_RATE;
    return {
      openFile: async (input: unknown, chunkSize: number) => {
        const source = await base.openFile(input, chunkSize);
        return {
          size: source.size,
          close: () => source.close(),
          slice: async (start: number, end: number) => {
            if (this.source.inClass?.()) {
              const now = Date.now();
              const wait = this.nextChunkAt - now;
              if (wait > 0) await new Promise((r) => setTimeout(r, wait));
              this.nextChunkAt = Math.max(now, this.nextChunkAt) + ((end - start) / rate) * 1000;
            }
            return source.slice(start, end);
          },
        };
      },
    };
  }

  private async sizes(id: string, names: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const n of names) {
      const stat = await fs.stat(path.join(this.source.dir, id, n)).catch(() => null);
      if (stat?.isFile()) out.set(n, stat.size);
    }
    return out;
  }

  private async saved(id: string): Promise<Saved> {
    const text = await fs
      .readFile(path.join(this.source.dir, id, STATE_FILE), 'utf8')
      .catch(() => null);
    try {
      const s = text ? (JSON.parse(text) as Saved) : null;
      if (s && typeof s.files === 'object') return { wanted: s.wanted === true, files: s.files };
    } catch {
      // A torn file: start over (the cloud replaces what it already has).
    }
    return { wanted: false, files: {} };
  }

  private save(id: string, saved: Saved): Promise<void> {
    const text = JSON.stringify(saved);
    const file = path.join(this.source.dir, id, STATE_FILE);
    this.writes = this.writes
      .then(() => writeFileAtomic(file, text))
      .catch((err: unknown) => {
        log.warn({ err }, `${file} not saved`);
      });
    return this.writes;
  }

  private set(id: string, state: RecordUpload): void {
    this.jobs.set(id, state);
    this.tell(id, { ...state });
  }
}
