/**
 * One record on disk: `<records>/<when>-<class>/` (0700) with one file per stream (as the SFU
 * received it), `events.jsonl` (chat, stage, layout, board: one line per event, with its time
 * from the start) and `manifest.json` (who, what, when; rewritten at each change, atomically).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { types } from 'mediasoup';
import { EVENTS_FILE, MANIFEST_FILE, type ServerNotification, type Share } from '../../protocol';
import { createLogger } from '../../server-kit/log';
import { writeFileAtomic } from '../../server-kit/atomicFile';
import type { Room } from '../Room';
import type { RecordingEnd } from '../RoomRecording';
import type { SavedBoard } from '../Board';
import { boardPages, type BoardPage } from './boardPages';
import { StreamRecorder, type StreamFile } from './StreamRecorder';

const log = createLogger('record');

/** Broadcasts that are not part of the class's record (transient, or media plumbing). */
const NOT_RECORDED = new Set<string>(['speaking', 'boardLaser', 'producerAdded', 'cloudStatus']);

export interface StreamEntry extends StreamFile {
  peer: string;
  role: string;
  share: { id: string; kind: Share['kind']; label: string };
}

export interface Manifest {
  version: 1;
  room: string;
  /** The scheduled class it recorded (absent: none was scheduled; the room's name stands). */
  title?: string;
  classId: string;
  startedAt: number;
  startedBy: string;
  endedAt: number | null;
  endReason: RecordingEnd | null;
  /** Everyone who was on stage while it recorded. */
  onStage: string[];
  streams: StreamEntry[];
  /** The board's pages as images: when the board closed, and as it stood at the end. */
  boards?: BoardPage[];
}

export class Recording {
  readonly manifest: Manifest;
  private readonly streams = new Map<string, StreamRecorder>();
  /** Each stream's file (its times fill in as it records) and whose it is. */
  private readonly entries: { who: Omit<StreamEntry, keyof StreamFile>; info: StreamFile }[] = [];
  private readonly events: WriteStream;
  private saving: Promise<void> = Promise.resolve();
  private closed = false;
  private boardWrites: Promise<void> = Promise.resolve();
  private segment = 0;

  constructor(
    private readonly room: Room,
    readonly folder: string,
    private readonly ffmpeg: string,
    startedBy: string,
  ) {
    const { scheduled } = room.timetable.state;
    this.manifest = {
      version: 1,
      room: room.name,
      ...(scheduled && { title: scheduled.title }),
      classId: room.classId,
      startedAt: Date.now(),
      startedBy,
      endedAt: null,
      endReason: null,
      onStage: [],
      streams: [],
    };
    for (const m of room.members.values()) if (m.stage === 'on') this.onStage(m.name);
    this.events = createWriteStream(path.join(folder, EVENTS_FILE), { flags: 'a', mode: 0o600 });
    // Who was there when it began (the review names them, and sees them leave), and the board
    // as it stood (the export replays its ink from there).
    const begin = (n: ServerNotification) =>
      this.events.write(`${JSON.stringify({ t: 0, method: n.method, params: n.params })}\n`);
    for (const m of room.members.values()) {
      begin({ method: 'peerJoined', params: { peer: m.info() } });
    }
    const board = room.board.saved();
    if (board.info) {
      begin({ method: 'boardChanged', params: { info: board.info } });
      board.pages.forEach((strokes, page) => {
        for (const stroke of strokes) {
          begin({ method: 'boardRestored', params: { target: { page }, stroke } });
        }
      });
    }
    this.save();
  }

  get name(): string {
    return path.basename(this.folder);
  }

  /** Records a share's track from the SFU (once per producer). */
  async add(router: types.Router, share: Share, producer: types.Producer): Promise<void> {
    if (this.closed || this.streams.has(producer.id)) return;
    if (!StreamRecorder.recordable(producer)) {
      log.warn(`not recorded: ${producer.rtpParameters.codecs[0]?.mimeType ?? '?'} share`);
      return;
    }
    const owner = this.room.members.get(share.peerId);
    const base = `${String(++this.segment).padStart(2, '0')}-${producer.kind}`;
    const who = {
      peer: owner?.name ?? '?',
      role: owner?.role ?? '?',
      share: { id: share.id, kind: share.kind, label: share.label },
    };
    try {
      const stream = await StreamRecorder.start(
        router,
        producer,
        this.ffmpeg,
        this.folder,
        base,
        () => this.save(),
      );
      this.streams.set(producer.id, stream);
      this.entries.push({ who, info: stream.info });
      this.save();
      if (this.closed) await stream.finish();
    } catch (err) {
      log.error({ err }, `stream ${base} not recorded`);
    }
  }

  /** A room event for the record's timeline. */
  event(n: ServerNotification): void {
    if (this.closed || NOT_RECORDED.has(n.method)) return;
    if (n.method === 'peerUpdated' && n.params.peer.stage === 'on') {
      this.onStage(n.params.peer.name);
    }
    const t = Date.now() - this.manifest.startedAt;
    this.events.write(`${JSON.stringify({ t, method: n.method, params: n.params })}\n`);
  }

  /** Keeps the board's pages (those with ink) as images in the record, at this moment. */
  keepBoard(board: SavedBoard): Promise<void> {
    if (this.closed || !board.pages.some((p) => p.length > 0)) return this.boardWrites;
    const t = Date.now() - this.manifest.startedAt;
    const shot = (this.manifest.boards ?? []).reduce((n, b) => Math.max(n, b.shot), 0) + 1;
    this.boardWrites = this.boardWrites.then(async () => {
      try {
        const pages = await boardPages(board, this.folder, shot, t);
        this.manifest.boards = [...(this.manifest.boards ?? []), ...pages];
        this.save();
      } catch (err) {
        log.warn({ err }, `board images not kept in ${this.folder}`);
      }
    });
    return this.boardWrites;
  }

  async close(reason: RecordingEnd): Promise<void> {
    if (this.closed) return;
    await this.keepBoard(this.room.board.saved());
    this.closed = true;
    await Promise.all([...this.streams.values()].map((s) => s.finish()));
    this.manifest.endedAt = Date.now();
    this.manifest.endReason = reason;
    await new Promise<void>((resolve) => this.events.end(resolve));
    this.save();
    await this.saving;
  }

  private onStage(name: string): void {
    if (!this.manifest.onStage.includes(name)) this.manifest.onStage.push(name);
  }

  /** Resolves once the manifest, as it stands now, is on disk (the record is listed). */
  written(): Promise<void> {
    return this.saving;
  }

  private save(): void {
    const file = path.join(this.folder, MANIFEST_FILE);
    this.manifest.streams = this.entries.map(({ who, info }) => ({ ...info, ...who }));
    const text = JSON.stringify(this.manifest, null, 2);
    this.saving = this.saving.then(async () => {
      try {
        await writeFileAtomic(file, text);
      } catch (err) {
        log.error({ err }, `${file} not written`);
      }
    });
  }
}
