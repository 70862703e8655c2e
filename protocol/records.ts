/**
 * The class records a room host keeps (local-ws/record): what a teacher lists, shares and
 * deletes over the relay, and what a review page reads over HTTP from a record's link
 * (`/records/<token>/review.json`, then its files).
 */
import { z } from 'zod';

/** A record's folder name on the host: `2026-12-03-10-27-11-Ab3_`. */
export const RecordId = z.string().regex(/^\d{4}(-\d{2}){5}-[A-Za-z0-9_-]{4}$/);

/** A link's secret: 128 bits, base64url. */
export const RECORD_TOKEN = /^[A-Za-z0-9_-]{22}$/;

/** "Export as one video": the composition rendered into one MP4, as a background job. */
export const RecordExport = z.object({
  state: z.enum(['queued', 'running', 'done', 'failed']),
  /** 0–1. */
  progress: z.number(),
  /** The MP4's file name in the record's link, once done. */
  file: z.string().optional(),
  error: z.string().optional(),
});
export type RecordExport = z.infer<typeof RecordExport>;

/** Upload to the cloud: every file of the record, resumable (protocol/recordUploads.ts). */
export const RecordUpload = z.object({
  state: z.enum(['queued', 'uploading', 'done', 'failed']),
  /** 0–1, by bytes. */
  progress: z.number(),
  error: z.string().optional(),
});
export type RecordUpload = z.infer<typeof RecordUpload>;

/** The exported video's file name inside a record. */
export const EXPORT_FILE = 'class.mp4';
/** The class's events beside the streams, one JSON line each. */
export const EVENTS_FILE = 'events.jsonl';

/** A record file's content type, by its name. */
export function recordFileType(name: string): string {
  if (name.endsWith('.png')) return 'image/png';
  if (name.endsWith('.mp4')) return 'video/mp4';
  if (name.endsWith('.mkv')) return 'video/x-matroska';
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.jsonl')) return 'application/x-ndjson';
  if (name.endsWith('.webm')) return name.includes('-audio.') ? 'audio/webm' : 'video/webm';
  return 'application/octet-stream';
}

export const RecordSummary = z.object({
  id: RecordId,
  /** The room's name (a scheduled class's title once schedules exist). */
  title: z.string(),
  startedAt: z.number(),
  /** Null while it records, and for a record its host never finished. */
  endedAt: z.number().nullable(),
  durationMs: z.number(),
  startedBy: z.string(),
  /** Whose shares, cameras and voices it holds. */
  sharers: z.array(z.string()),
  onStage: z.array(z.string()),
  bytes: z.number(),
  recording: z.boolean(),
  /** The teacher's own way in (`/?record=<token>`), valid while the host runs. */
  view: z.string(),
  /** The link students were given, or null (not shared, or revoked). */
  shared: z.string().nullable(),
  /** Its export as one video, if one was asked for (or is on disk). */
  export: RecordExport.nullable(),
  /** Its upload to the cloud, if one was asked for (done: every file is there now). */
  upload: RecordUpload.nullable(),
});
export type RecordSummary = z.infer<typeof RecordSummary>;

const RecordRef = z.object({ id: RecordId });

export const recordMethods = {
  /** The host's class records, newest first (teachers). */
  'records.list': {
    params: z.object({}),
    /** `cloud`: this host is linked to a cloud that takes uploads. */
    result: z.object({ records: z.array(RecordSummary), cloud: z.boolean() }),
  },
  /** A link students can open (unguessable; the same one until it is revoked). */
  'records.share': { params: RecordRef, result: z.object({ link: z.string() }) },
  /** The shared link stops working at once. */
  'records.unshare': { params: RecordRef, result: z.object({}) },
  /** The record's files are removed from the host (refused while it records). */
  'records.delete': { params: RecordRef, result: z.object({}) },
  /** Renders the record into one MP4 in the background (`recordExport` tells how it goes). */
  'records.export': { params: RecordRef, result: z.object({ export: RecordExport }) },
  /** Sends the record's files to the cloud in the background (`recordUpload` tells how). */
  'records.upload': { params: RecordRef, result: z.object({ upload: RecordUpload }) },
} as const;

/** One stream of a record as the review page plays it. */
export const ReviewStream = z.object({
  /** File name inside the record's link: `<link>/<file>`. */
  file: z.string(),
  kind: z.enum(['audio', 'video']),
  codec: z.string(),
  peer: z.string(),
  role: z.string(),
  label: z.string(),
  shareKind: z.string(),
  /** Milliseconds from the record's start to the stream's first frame, and to its end. */
  from: z.number(),
  to: z.number().nullable(),
});
export type ReviewStream = z.infer<typeof ReviewStream>;

/** What happened in the class, as the review page shows it beside the videos. */
export const ReviewEvent = z.object({
  /** Milliseconds from the record's start. */
  t: z.number(),
  kind: z.enum(['chat', 'joined', 'left', 'onStage', 'offStage', 'shareStarted', 'shareStopped']),
  name: z.string(),
  text: z.string().optional(),
});
export type ReviewEvent = z.infer<typeof ReviewEvent>;

export const Review = z.object({
  title: z.string(),
  startedAt: z.number(),
  durationMs: z.number(),
  startedBy: z.string(),
  onStage: z.array(z.string()),
  streams: z.array(ReviewStream),
  events: z.array(ReviewEvent),
  /** The board's pages as images, each with when it was taken (ms from the start). */
  boards: z.array(z.object({ t: z.number(), page: z.number(), file: z.string() })).optional(),
  /** The record as one MP4 (its file name in the link), when a teacher exported it. */
  video: z.string().nullable().optional(),
});
export type Review = z.infer<typeof Review>;
