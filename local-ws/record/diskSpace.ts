/** Bytes free for an unprivileged writer on the filesystem holding `dir`. */
import { promises as fs } from 'node:fs';

export async function freeBytes(dir: string): Promise<number> {
  const s = await fs.statfs(dir);
  return s.bavail * s.bsize;
}
