import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { randomToken } from '../protocol/ids';
import { hashCredential } from '../server-kit/secrets';

/** What a room host keeps between runs. Only the hash of the teacher credential is stored. */
export const HostConfig = z.object({
  version: z.literal(1),
  roomName: z.string().min(1).max(60),
  teacherCredentialHash: z.string().startsWith('scrypt$'),
  /** The open room, so a restarted host brings it back with the same code and screen key. */
  room: z
    .object({
      id: z.string().min(1),
      code: z.string().regex(/^\d{6}$/),
      screenKey: z.string().min(16),
    })
    .optional(),
});
export type HostConfig = z.infer<typeof HostConfig>;

export function defaultDataDir(): string {
  const base = process.env['XDG_CONFIG_HOME'] ?? path.join(os.homedir(), '.config');
  return path.join(base, 'lectern');
}

/** Writes host.json (mode 0600). */
export async function saveHostConfig(file: string, config: HostConfig): Promise<void> {
  await fs.writeFile(file, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
}

export interface LoadedConfig {
  config: HostConfig;
  /** Set on first run only: the generated credential, shown once and never stored. */
  newCredential?: string;
  file: string;
}

/**
 * Reads host.json, or on first run creates it: the teacher credential comes from
 * LECTERN_TEACHER_CREDENTIAL or is generated, and is stored hashed (file mode 0600).
 */
export async function loadHostConfig(dataDir: string, roomName: string): Promise<LoadedConfig> {
  const file = path.join(dataDir, 'host.json');
  const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (text !== null) {
    const parsed = HostConfig.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new Error(`${file} is not a valid Lectern host config; move it away to start fresh`);
    }
    return { config: parsed.data, file };
  }
  const fromEnv = process.env['LECTERN_TEACHER_CREDENTIAL'];
  const credential = fromEnv && fromEnv.length >= 8 ? fromEnv : randomToken(9);
  const config: HostConfig = {
    version: 1,
    roomName,
    teacherCredentialHash: hashCredential(credential),
  };
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  await saveHostConfig(file, config);
  return fromEnv ? { config, file } : { config, newCredential: credential, file };
}
