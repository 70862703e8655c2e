/**
 * Class records uploaded from a room host to the cloud. The host sends each file of a record
 * with the tus resumable-upload protocol (https://tus.io) to the cloud's `/uploads/`, next to
 * the room link and not through it, authenticated by the room's credential; `manifest.json`
 * goes last, so a record in the cloud is complete once its manifest is there. Operators list
 * a room's records in the console and download them over signed links.
 */
import { z } from 'zod';
import { RecordId } from './records';

/** Where the cloud takes uploads (tus creation endpoint). */
export const UPLOAD_PATH = '/uploads';
/** The room the credential in `Authorization: Bearer …` is for. */
export const UPLOAD_ROOM_HEADER = 'lectern-room';
/** A file's name inside a record: what hosts write (no folders, no leading dot). */
export const UPLOAD_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
export const MANIFEST_FILE = 'manifest.json';

/** The metadata each upload carries (tus `Upload-Metadata`). */
export const UploadMetadata = z.object({
  record: RecordId,
  name: z.string().regex(UPLOAD_FILE_NAME),
});
export type UploadMetadata = z.infer<typeof UploadMetadata>;

/** The cloud's upload endpoint for a room link's address: `wss://x/link` → `https://x/uploads`. */
export function uploadEndpoint(linkUrl: string): string {
  const url = new URL(linkUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = UPLOAD_PATH;
  url.search = '';
  return url.href;
}

/** What the cloud reads of a record's manifest (the host writes more; see local-ws/record). */
export const ManifestHead = z.object({
  room: z.string(),
  title: z.string().optional(),
  startedAt: z.number(),
  startedBy: z.string(),
  endedAt: z.number().nullable(),
  onStage: z.array(z.string()),
  streams: z.array(
    z.object({ peer: z.string(), file: z.string(), endedAt: z.number().nullable() }),
  ),
});
export type ManifestHead = z.infer<typeof ManifestHead>;

/** How long a record lasted: to its end, else to its last stream's end. */
export function recordDuration(m: ManifestHead): number {
  const ends = m.streams.map((s) => s.endedAt ?? 0);
  return Math.max(0, (m.endedAt ?? Math.max(m.startedAt, ...ends)) - m.startedAt);
}

/** One record of a room in the cloud, as the console lists it. */
export interface CloudRecord {
  id: string;
  /** False while files still arrive (its manifest is last). */
  complete: boolean;
  title: string | null;
  startedAt: number | null;
  durationMs: number | null;
  startedBy: string | null;
  sharers: string[];
  bytes: number;
  /** When its last file arrived. */
  uploadedAt: number;
  /** Each file with a download link (signed, valid for an hour). */
  files: { name: string; bytes: number; url: string }[];
}
