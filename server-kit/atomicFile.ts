import { promises as fs } from 'node:fs';

/**
 * Replaces `file` with `text` (mode 0600) in one step: written beside it, then renamed over it,
 * so a crash leaves the old file or the new one, never half of one.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await fs.writeFile(`${file}.tmp`, text, { mode: 0o600 });
  await fs.rename(`${file}.tmp`, file);
}
