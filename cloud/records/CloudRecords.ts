/**
 * The class records room hosts uploaded, on the cloud's disk: `<dir>/rooms/<room>/<record>/`
 * holds a record's files as they arrive (uploads in progress wait in `<dir>/incoming/`). A
 * record is complete once its manifest has arrived (hosts send it last). Downloads are links
 * signed with the server's key, valid for an hour, so a browser can fetch them without the
 * admin token.
 */
import { createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  MANIFEST_FILE,
  ManifestHead,
  RecordId,
  recordDuration,
  UPLOAD_FILE_NAME,
  type CloudRecord,
  type UploadMetadata,
} from '../../protocol';
import { sameSecret } from '../../server-kit/secrets';

const ROOM_ID = /^[A-Za-z0-9]{1,64}$/;
const LINK_TTL_MS = 60 * 60 * 1000;

export interface CloudRecordsOptions {
  dir: string;
  /** Signs download links (derive it from a secret every process of the cloud shares). */
  signingKey: string;
  /** Most bytes one room may keep (uploads beyond it are refused). */
  quotaBytes: number;
}

export class CloudRecords {
  readonly incoming: string;
  private readonly rooms: string;

  constructor(private readonly opts: CloudRecordsOptions) {
    this.incoming = path.join(opts.dir, 'incoming');
    this.rooms = path.join(opts.dir, 'rooms');
  }

  get quotaBytes(): number {
    return this.opts.quotaBytes;
  }

  /** The room's records, newest first, each file with a fresh download link. */
  async list(room: string, now = Date.now()): Promise<CloudRecord[]> {
    if (!ROOM_ID.test(room)) return [];
    const ids = await fs.readdir(path.join(this.rooms, room)).catch(() => [] as string[]);
    const out: CloudRecord[] = [];
    for (const id of ids.filter((n) => RecordId.safeParse(n).success)) {
      out.push(await this.summary(room, id, now));
    }
    return out.sort((a, b) => (b.startedAt ?? b.uploadedAt) - (a.startedAt ?? a.uploadedAt));
  }

  /** Bytes the room keeps now. */
  async roomBytes(room: string): Promise<number> {
    if (!ROOM_ID.test(room)) return 0;
    const base = path.join(this.rooms, room);
    let total = 0;
    for (const id of await fs.readdir(base).catch(() => [] as string[])) {
      if (!RecordId.safeParse(id).success) continue;
      for (const { bytes } of await this.files(path.join(base, id))) total += bytes;
    }
    return total;
  }

  /** A record folder's files (the names hosts may write) with their sizes and times. */
  private async files(folder: string): Promise<{ name: string; bytes: number; mtimeMs: number }[]> {
    const names = (await fs.readdir(folder).catch(() => [] as string[])).filter((n) =>
      UPLOAD_FILE_NAME.test(n),
    );
    const out: { name: string; bytes: number; mtimeMs: number }[] = [];
    for (const name of names.sort()) {
      const stat = await fs.stat(path.join(folder, name)).catch(() => null);
      if (stat?.isFile()) out.push({ name, bytes: stat.size, mtimeMs: stat.mtimeMs });
    }
    return out;
  }

  /** Moves an upload that finished into its record (replacing an earlier copy of the file). */
  async accept(room: string, meta: UploadMetadata, uploaded: string): Promise<void> {
    const folder = this.folder(room, meta.record);
    if (!folder || !UPLOAD_FILE_NAME.test(meta.name)) throw new Error('bad record file');
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
    await fs.rename(uploaded, path.join(folder, meta.name));
  }

  /** Deletes a record; false when there was none. */
  async remove(room: string, id: string): Promise<boolean> {
    const folder = this.folder(room, id);
    if (!folder || !(await fs.stat(folder).catch(() => null))) return false;
    await fs.rm(folder, { recursive: true, force: true });
    return true;
  }

  /** The file a signed link names, or null (bad signature, expired, no such file). */
  fileFor(url: URL, now = Date.now()): { file: string; name: string; record: string } | null {
    const m = /^\/records\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!m) return null;
    const [, room = '', record = '', name = ''] = m;
    const exp = Number(url.searchParams.get('exp'));
    const sig = url.searchParams.get('sig') ?? '';
    const folder = this.folder(room, record);
    if (!folder || !UPLOAD_FILE_NAME.test(name) || !Number.isSafeInteger(exp) || exp < now) {
      return null;
    }
    if (!sameSecret(sig, this.sign(room, record, name, exp))) return null;
    return { file: path.join(folder, name), name, record };
  }

  private async summary(room: string, id: string, now: number): Promise<CloudRecord> {
    const folder = path.join(this.rooms, room, id);
    const files: CloudRecord['files'] = [];
    let uploadedAt = 0;
    for (const f of await this.files(folder)) {
      uploadedAt = Math.max(uploadedAt, f.mtimeMs);
      files.push({
        name: f.name,
        bytes: f.bytes,
        url: this.link(room, id, f.name, now + LINK_TTL_MS),
      });
    }
    const manifest = await fs
      .readFile(path.join(folder, MANIFEST_FILE), 'utf8')
      .then((text) => ManifestHead.safeParse(JSON.parse(text)))
      .catch(() => null);
    const m = manifest?.success ? manifest.data : null;
    return {
      id,
      complete: m !== null,
      title: m ? (m.title ?? m.room) : null,
      startedAt: m?.startedAt ?? null,
      durationMs: m ? recordDuration(m) : null,
      startedBy: m?.startedBy ?? null,
      sharers: m ? [...new Set(m.streams.map((s) => s.peer))] : [],
      bytes: files.reduce((sum, f) => sum + f.bytes, 0),
      uploadedAt: Math.round(uploadedAt),
      files,
    };
  }

  private folder(room: string, record: string): string | null {
    if (!ROOM_ID.test(room) || !RecordId.safeParse(record).success) return null;
    return path.join(this.rooms, room, record);
  }

  private link(room: string, record: string, name: string, exp: number): string {
    const sig = this.sign(room, record, name, exp);
    return `/records/${room}/${record}/${encodeURIComponent(name)}?exp=${exp}&sig=${sig}`;
  }

  private sign(room: string, record: string, name: string, exp: number): string {
    return createHmac('sha256', this.opts.signingKey)
      .update(`${room}/${record}/${name}/${exp}`)
      .digest('base64url');
  }
}
