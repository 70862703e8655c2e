import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RoomView } from '../../protocol';
import { newId } from '../ids';
import type {
  CloudStore,
  CommandEnvelope,
  ProcessMessage,
  RoomChange,
  RoomRecord,
} from './CloudStore';

/**
 * The single-process store: everything in memory, room credentials also in a JSON file (0600)
 * when a data folder is given, so a restart keeps the rooms but not their live state.
 */
export class MemoryStore implements CloudStore {
  readonly processId = newId(8);
  private readonly records = new Map<string, RoomRecord>();
  private readonly held = new Set<string>();
  private readonly viewsById = new Map<string, RoomView>();
  private commandHandler: ((e: CommandEnvelope) => boolean) | null = null;
  private revokedHandler: ((id: string) => void) | null = null;
  private scheduleHandler: ((id: string) => void) | null = null;
  private remoteLinksHandler: ((id: string) => void) | null = null;
  private readonly relayedHandlers: ((message: ProcessMessage) => void)[] = [];
  private readonly file: string | null;

  constructor(dataDir?: string) {
    this.file = dataDir ? path.join(dataDir, 'rooms.json') : null;
    if (this.file) {
      try {
        const list = JSON.parse(readFileSync(this.file, 'utf8')) as RoomRecord[];
        for (const r of list) this.records.set(r.id, r);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }

  async createRoom(record: RoomRecord): Promise<void> {
    this.records.set(record.id, record);
    this.save();
  }
  async room(id: string): Promise<RoomRecord | null> {
    return this.records.get(id) ?? null;
  }
  async rooms(): Promise<RoomRecord[]> {
    return [...this.records.values()];
  }
  async updateRoom(id: string, change: RoomChange): Promise<void> {
    const r = this.records.get(id);
    if (r) Object.assign(r, change);
    this.save();
  }

  async claim(roomId: string): Promise<void> {
    this.held.add(roomId);
  }
  async release(roomId: string): Promise<void> {
    this.held.delete(roomId);
  }
  async holder(roomId: string): Promise<string | null> {
    return this.held.has(roomId) ? this.processId : null;
  }
  async online(): Promise<Map<string, string>> {
    return new Map([...this.held].map((id) => [id, this.processId]));
  }

  async putView(view: RoomView): Promise<void> {
    this.viewsById.set(view.id, view);
  }
  async view(id: string): Promise<RoomView | null> {
    return this.viewsById.get(id) ?? null;
  }
  async views(): Promise<RoomView[]> {
    return [...this.viewsById.values()];
  }

  async sendCommand(envelope: CommandEnvelope): Promise<boolean> {
    return this.commandHandler?.(envelope) ?? false;
  }
  onCommand(handler: (e: CommandEnvelope) => boolean): void {
    this.commandHandler = handler;
  }
  async revoked(roomId: string): Promise<void> {
    this.revokedHandler?.(roomId);
  }
  onRevoked(handler: (id: string) => void): void {
    this.revokedHandler = handler;
  }

  async scheduleChanged(roomId: string): Promise<void> {
    this.scheduleHandler?.(roomId);
  }
  onScheduleChanged(handler: (id: string) => void): void {
    this.scheduleHandler = handler;
  }

  async remoteLinksChanged(roomId: string): Promise<void> {
    this.remoteLinksHandler?.(roomId);
  }
  onRemoteLinksChanged(handler: (id: string) => void): void {
    this.remoteLinksHandler = handler;
  }

  /** One process: only to itself. */
  async relay(processId: string, message: ProcessMessage): Promise<void> {
    if (processId !== this.processId) return;
    for (const h of this.relayedHandlers) h(message);
  }
  onRelayed(handler: (message: ProcessMessage) => void): void {
    this.relayedHandlers.push(handler);
  }

  async close(): Promise<void> {}

  private save(): void {
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify([...this.records.values()], null, 1), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
