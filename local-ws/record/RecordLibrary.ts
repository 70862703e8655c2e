/**
 * The class records on this host (`<data dir>/records/<id>/`) as teachers manage them: listed
 * newest first, shared by a link, revoked, deleted. A link is a 128-bit secret naming one
 * record: a teacher's own (one per record, while the host runs) or the one students were given
 * (kept in `links.json`, 0600, until revoked: it survives restarts).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  EXPORT_FILE,
  ErrorCode,
  EVENTS_FILE,
  MANIFEST_FILE,
  ProtocolError,
  RecordId,
  recordDuration,
  type Review,
  type RecordSummary,
} from '../../protocol';
import { randomToken } from '../../protocol/ids';
import { createLogger } from '../../server-kit/log';
import { writeFileAtomic } from '../../server-kit/atomicFile';
import { sameSecret } from '../../server-kit/secrets';
import type { Manifest } from './Recording';
import type { RecordExports } from './RecordExports';
import type { RecordUploads } from './RecordUploads';
import { parseEvents, reviewOf } from './review';

const log = createLogger('record');
const LINKS = 'links.json';

export class RecordLibrary {
  /** Record id → the token of its shared link. */
  private shared = new Map<string, string>();
  /** Record id → the teachers' token (never written down). */
  private readonly views = new Map<string, string>();
  private loaded: Promise<void> | null = null;
  private saving: Promise<void> = Promise.resolve();
  /** Its records' "export as one video" jobs (none: this host cannot export). */
  exports: RecordExports | null = null;
  /** Its records' uploads to the cloud (none: the host is not linked to one). */
  uploads: RecordUploads | null = null;

  constructor(
    readonly dir: string,
    /** The id of the record being written now, if any. */
    readonly active: () => string | null = () => null,
  ) {}

  async list(): Promise<RecordSummary[]> {
    await this.load();
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const out: RecordSummary[] = [];
    for (const id of names.filter((n) => RecordId.safeParse(n).success)) {
      const m = await this.manifest(id);
      if (m) out.push(await this.summary(id, m));
    }
    return out.sort((a, b) => b.startedAt - a.startedAt);
  }

  /** The record's shared link (made once; the same one until revoked). */
  async share(id: string): Promise<string> {
    await this.existing(id);
    let token = this.shared.get(id);
    if (!token) {
      token = randomToken(16);
      this.shared.set(id, token);
      await this.save();
      log.info(`record ${id} shared`);
    }
    return linkOf(token);
  }

  async unshare(id: string): Promise<void> {
    await this.existing(id);
    if (this.shared.delete(id)) {
      await this.save();
      log.info(`record ${id}: shared link revoked`);
    }
  }

  async delete(id: string): Promise<void> {
    await this.existing(id);
    if (this.active() === id || this.exports?.busy(id) || this.uploads?.busy(id)) {
      throw new ProtocolError(ErrorCode.RECORD_BUSY, 'this record is being written: stop first');
    }
    this.views.delete(id);
    if (this.shared.delete(id)) await this.save();
    await fs.rm(path.join(this.dir, id), { recursive: true, force: true });
    log.info(`record ${id} deleted`);
  }

  /** The record a link's token opens, or null (unknown, revoked, deleted). */
  async byToken(token: string): Promise<string | null> {
    await this.load();
    for (const map of [this.views, this.shared]) {
      for (const [id, t] of map) if (sameSecret(t, token)) return id;
    }
    return null;
  }

  /** What the review page plays, or null when the record is gone. */
  async review(id: string): Promise<Review | null> {
    const m = await this.manifest(id);
    if (!m) return null;
    const text = await fs.readFile(path.join(this.dir, id, EVENTS_FILE), 'utf8').catch(() => '');
    const video = this.exports?.state(id);
    return { ...reviewOf(m, parseEvents(text)), video: video?.file ?? null };
  }

  /** The files a copy of the record needs, in upload order (manifest last); null: no record. */
  async files(id: string): Promise<string[] | null> {
    const m = await this.manifest(id);
    if (!m) return null;
    const names = [...m.streams.map((s) => s.file), ...(m.boards ?? []).map((b) => b.file)];
    if (this.exports?.state(id)?.state === 'done') names.push(EXPORT_FILE);
    const present: string[] = [];
    for (const name of [...names, EVENTS_FILE]) {
      const stat = await fs.stat(path.join(this.dir, id, name)).catch(() => null);
      if (stat?.isFile()) present.push(name);
    }
    return [...present, MANIFEST_FILE];
  }

  /** A stream file of the record (only the files its manifest names), or null. */
  async file(id: string, name: string): Promise<string | null> {
    const m = await this.manifest(id);
    const exported = name === EXPORT_FILE && this.exports?.state(id)?.state === 'done';
    const named =
      m?.streams.some((s) => s.file === name) || m?.boards?.some((b) => b.file === name);
    if (!m || (!exported && !named)) return null;
    return path.join(this.dir, id, name);
  }

  private async summary(id: string, m: Manifest): Promise<RecordSummary> {
    let bytes = 0;
    for (const s of m.streams) {
      bytes += (await fs.stat(path.join(this.dir, id, s.file)).catch(() => null))?.size ?? 0;
    }
    let view = this.views.get(id);
    if (!view) {
      view = randomToken(16);
      this.views.set(id, view);
    }
    const shared = this.shared.get(id);
    return {
      id,
      title: m.title ?? m.room,
      startedAt: m.startedAt,
      endedAt: m.endedAt,
      durationMs: recordDuration(m),
      startedBy: m.startedBy,
      sharers: [...new Set(m.streams.map((s) => s.peer))],
      onStage: m.onStage,
      bytes,
      recording: this.active() === id,
      view: linkOf(view),
      shared: shared ? linkOf(shared) : null,
      export: this.exports?.state(id) ?? null,
      upload: (await this.uploads?.state(id)) ?? null,
    };
  }

  private async existing(id: string): Promise<void> {
    await this.load();
    if (!(await this.manifest(id))) {
      throw new ProtocolError(ErrorCode.RECORD_NOT_FOUND, 'no such record on this host');
    }
  }

  private async manifest(id: string): Promise<Manifest | null> {
    if (!RecordId.safeParse(id).success) return null;
    const text = await fs
      .readFile(path.join(this.dir, id, MANIFEST_FILE), 'utf8')
      .catch(() => null);
    if (text === null) return null;
    try {
      return JSON.parse(text) as Manifest;
    } catch {
      return null;
    }
  }

  private load(): Promise<void> {
    this.loaded ??= fs
      .readFile(path.join(this.dir, LINKS), 'utf8')
      .then((text) => {
        const links = JSON.parse(text) as Record<string, string>;
        this.shared = new Map(
          Object.entries(links).filter(([id]) => RecordId.safeParse(id).success),
        );
      })
      .catch(() => undefined);
    return this.loaded;
  }

  private save(): Promise<void> {
    const file = path.join(this.dir, LINKS);
    const text = JSON.stringify(Object.fromEntries(this.shared), null, 2);
    this.saving = this.saving.then(async () => {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, text);
    });
    return this.saving;
  }
}

/** The review page's address for a token (relative: the teacher's page adds its origin). */
function linkOf(token: string): string {
  return `/?record=${token}`;
}
