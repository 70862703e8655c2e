/**
 * The upstream outbox on disk, so a host restart loses nothing the cloud has not acked. An
 * append-only file of JSON lines, each written before the change it records takes effect
 * (write, not fsync: it survives the process dying, not the machine losing power):
 *
 *   {"e":epoch,"f":firstSeq}   a stream (epoch) starts; entries below are its seqs from firstSeq
 *   {"p":id,"k":kind,"d":device,"b":body}   pushed
 *   {"x":id}                   shed (lossy, or state replaced by a snapshot) before it was sent
 *   {"a":seq}                  the cloud acked up to seq
 *   {"r":{"epoch","seq"}}      how far the host has applied the cloud's stream
 *
 * Entries are sent in push order and only unsent ones are ever shed, so an entry's seq is
 * firstSeq + its index among the entries not shed: the file need not record sends. When the file
 * grows, it is rewritten (atomically) to the live entries only.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Cursor, Entry, SendJournal } from '../../protocol';
import { createLogger } from '../../server-kit/log';

const log = createLogger('journal');

export interface SavedOutbox {
  epoch: string;
  firstSeq: number;
  entries: { kind: string; device: string; body: unknown }[];
  recv: Cursor | null;
}

export interface Journal extends SendJournal {
  /** What the file held when opened (null: nothing, or a fresh file). */
  readonly saved: SavedOutbox | null;
  received(cursor: Cursor): void;
  /** The file has grown enough to be worth rewriting. */
  readonly needsCompaction: boolean;
  /** Rewrites the file to `live` (the stream's unacked + unsent entries, from `firstSeq`). */
  compact(epoch: string, firstSeq: number, live: readonly Entry[]): void;
  close(): void;
}

type Line =
  | { e: string; f?: number }
  | { p: number; k: string; d: string; b: unknown }
  | { x: number }
  | { a: number }
  | { r: Cursor };

const REWRITE_AFTER_LINES = 10_000;

export function openJournal(file: string): Journal {
  mkdirSync(path.dirname(file), { recursive: true });
  const saved = existsSync(file) ? load(file) : null;
  let fd = openSync(file, 'a', 0o600);
  let lines = 0;
  let recv: Cursor | null = saved?.recv ?? null;
  const write = (line: Line) => {
    writeSync(fd, JSON.stringify(line) + '\n');
    lines++;
  };
  if (saved) {
    // Start the file afresh from what was loaded; the seqs it implies stay the same.
    const ids = saved.entries.map((e, i) => ({ ...e, id: i + 1 }));
    fd = rewrite(file, fd, saved.epoch, saved.firstSeq, ids, recv);
  }
  return {
    saved,
    pushed: (e) => write({ p: e.id, k: e.kind, d: e.device, b: e.body }),
    dropped: (id) => write({ x: id }),
    acked: (seq) => write({ a: seq }),
    reset: (epoch) => write({ e: epoch, f: 1 }),
    received: (cursor) => {
      recv = { ...cursor };
      write({ r: recv });
    },
    get needsCompaction() {
      return lines >= REWRITE_AFTER_LINES;
    },
    compact(epoch, firstSeq, live) {
      fd = rewrite(file, fd, epoch, firstSeq, live, recv);
      lines = 0;
    },
    close: () => closeSync(fd),
  };
}

function rewrite(
  file: string,
  fd: number,
  epoch: string,
  firstSeq: number,
  entries: readonly { id: number; kind: string; device: string; body: unknown }[],
  recv: Cursor | null,
): number {
  const tmp = `${file}.tmp`;
  const out: Line[] = [{ e: epoch, f: firstSeq }];
  for (const e of entries) out.push({ p: e.id, k: e.kind, d: e.device, b: e.body });
  if (recv) out.push({ r: recv });
  const tfd = openSync(tmp, 'w', 0o600);
  writeSync(tfd, out.map((l) => JSON.stringify(l)).join('\n') + '\n');
  closeSync(tfd);
  renameSync(tmp, file);
  closeSync(fd);
  return openSync(file, 'a', 0o600);
}

function load(file: string): SavedOutbox | null {
  let epoch: string | null = null;
  let firstSeq = 1;
  let acked = 0;
  let recv: Cursor | null = null;
  let entries = new Map<number, { kind: string; device: string; body: unknown }>();
  const text = readFileSync(file, 'utf8');
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      log.warn(`${file}: skipping a torn line (the host stopped mid-write)`);
      continue;
    }
    if ('e' in line) {
      epoch = line.e;
      firstSeq = line.f && line.f > 0 ? line.f : 1;
      acked = firstSeq - 1;
      entries = new Map();
    } else if ('p' in line) entries.set(line.p, { kind: line.k, device: line.d, body: line.b });
    else if ('x' in line) entries.delete(line.x);
    else if ('a' in line) acked = Math.max(acked, line.a);
    else if ('r' in line) recv = line.r;
  }
  if (epoch === null) return null;
  const ordered = [...entries.values()];
  const skip = Math.max(0, acked - firstSeq + 1);
  return { epoch, firstSeq: firstSeq + skip, entries: ordered.slice(skip), recv };
}
