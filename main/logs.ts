/**
 * The desktop app's log: every logger of the process (the app's own, and the room host's relay,
 * SFU and cloud link running in it) writes JSON lines to `main.N.log` in Electron's logs folder,
 * rolled by size (pino-roll), the last few kept. Writes are synchronous so the last lines before
 * a crash are on disk. *Export diagnostics* reads these files.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pinoRoll from 'pino-roll';
import { setLogDestination } from '../server-kit/log';

export interface AppLog {
  /** The log files that exist, oldest first. */
  files(): Promise<string[]>;
  close(): void;
}

const BASE = 'main';
const EXTENSION = '.log';

export async function openAppLog(
  dir: string,
  opts: { maxBytes?: number; keep?: number; level?: string } = {},
): Promise<AppLog> {
  const stream = await pinoRoll({
    file: path.join(dir, BASE),
    extension: EXTENSION,
    size: `${Math.max(1, Math.round((opts.maxBytes ?? 1_000_000) / 1000))}k`,
    limit: { count: opts.keep ?? 3 },
    mkdir: true,
    sync: true,
  });
  setLogDestination(stream, opts.level ?? process.env['LECTERN_LOG'] ?? 'info');
  return {
    files: () => logFiles(dir),
    close: () => stream.end(),
  };
}

/** `main.N.log` files in `dir`, oldest (lowest N) first. */
export async function logFiles(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const numbered = names.flatMap((name) => {
    const m = /^main\.(\d+)\.log$/.exec(name);
    return m ? [{ name, n: Number(m[1]) }] : [];
  });
  return numbered.sort((a, b) => a.n - b.n).map((f) => path.join(dir, f.name));
}
