/**
 * Records a host did not finish (killed, crashed, lost power): on the next start each file is
 * remuxed so it gets the index and duration its recorder never wrote, and the manifest says
 * when and how it ended ('failed', at the last write it saw).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EVENTS_FILE, MANIFEST_FILE } from '../../protocol';
import { createLogger } from '../../server-kit/log';
import { writeFileAtomic } from '../../server-kit/atomicFile';
import { remux } from './ffmpeg';
import type { Manifest } from './Recording';

const log = createLogger('record');

/** Repairs every unfinished record in `dir`; returns the folders it repaired. */
export async function repairRecords(dir: string, ffmpeg: string | null): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const repaired: string[] = [];
  for (const name of names.sort()) {
    try {
      // What an export stopped by the host's end left half made.
      await fs.rm(path.join(dir, name, '.export'), { recursive: true, force: true });
      if (await repairRecord(path.join(dir, name), ffmpeg)) repaired.push(name);
    } catch (err) {
      log.warn({ err }, `record ${name} not repaired`);
    }
  }
  return repaired;
}

async function repairRecord(folder: string, ffmpeg: string | null): Promise<boolean> {
  const file = path.join(folder, MANIFEST_FILE);
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  if (text === null) return false;
  const manifest = JSON.parse(text) as Manifest;
  if (manifest.endedAt !== null) return false;
  let last = manifest.startedAt;
  for (const stream of manifest.streams) {
    const media = path.join(folder, stream.file);
    const stat = await fs.stat(media).catch(() => null);
    if (!stat) continue;
    if (stat.size > 0 && ffmpeg) {
      await remux(ffmpeg, media).catch((err: unknown) =>
        log.warn({ err }, `${stream.file} kept as it was`),
      );
    }
    stream.endedAt ??= Math.round(stat.mtimeMs);
    last = Math.max(last, stream.endedAt);
  }
  const events = await fs.stat(path.join(folder, EVENTS_FILE)).catch(() => null);
  manifest.endedAt = Math.max(last, Math.round(events?.mtimeMs ?? 0));
  manifest.endReason = 'failed';
  await writeFileAtomic(file, JSON.stringify(manifest, null, 2));
  log.info(`record ${path.basename(folder)} was not finished: repaired`);
  return true;
}
