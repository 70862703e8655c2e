/**
 * "Export diagnostics": one JSON file an IT admin can attach to a ticket: versions, settings
 * (no secrets live there), relay counters and the tail of the logs.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface DiagnosticsInput {
  versions: Record<string, string>;
  settings: unknown;
  relay: unknown;
  /** Oldest first. */
  logFiles: string[];
  /** Lines kept from the end of the logs. */
  tailLines?: number;
}

export async function writeDiagnostics(dir: string, input: DiagnosticsInput, now = new Date()) {
  const keep = input.tailLines ?? 2000;
  const lines: string[] = [];
  for (const file of input.logFiles) {
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    lines.push(...text.split('\n').filter((l) => l !== ''));
  }
  const report = {
    createdAt: now.toISOString(),
    versions: input.versions,
    settings: input.settings,
    relay: input.relay,
    log: lines.slice(-keep),
  };
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(
    dir,
    `lectern-diagnostics-${now.toISOString().replace(/[:.]/g, '-')}.json`,
  );
  await fs.writeFile(file, JSON.stringify(report, null, 2), { mode: 0o600 });
  return file;
}
