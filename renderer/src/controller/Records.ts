import type { RecordSummary } from '../../../protocol';
import type { RoomStore } from '../store';
import { codeOf, type Session } from './Session';

/**
 * The class records on the room host, as a teacher manages them: list, share a link with the
 * students, revoke it, delete a record. Refusals show their code like every other call.
 */
export class Records {
  constructor(
    private readonly store: RoomStore,
    private readonly session: Session,
  ) {}

  /** The host's records, newest first, into the store. */
  async refresh(): Promise<void> {
    try {
      const { records, cloud } = await this.session.request('records.list', {});
      this.store.set({ records, recordsCloud: cloud });
    } catch (err) {
      this.store.set({ error: codeOf(err) });
    }
  }

  /** The record's link for students (the same one until revoked). */
  async share(record: RecordSummary): Promise<void> {
    await this.run(() => this.session.request('records.share', { id: record.id }));
  }

  async unshare(record: RecordSummary): Promise<void> {
    await this.run(() => this.session.request('records.unshare', { id: record.id }));
  }

  /** Renders the record into one MP4 on the host (its progress arrives as `recordExport`). */
  async exportVideo(record: RecordSummary): Promise<void> {
    await this.run(() => this.session.request('records.export', { id: record.id }));
  }

  /** Sends the record's files to the cloud (its progress arrives as `recordUpload`). */
  async upload(record: RecordSummary): Promise<void> {
    await this.run(() => this.session.request('records.upload', { id: record.id }));
  }

  async remove(record: RecordSummary): Promise<void> {
    await this.run(() => this.session.request('records.delete', { id: record.id }));
  }

  private async run(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (err) {
      this.store.set({ error: codeOf(err) });
    }
    await this.refresh();
  }
}
