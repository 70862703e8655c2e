/**
 * Desktop settings in the user data folder: a versioned schema, migration from older files,
 * atomic writes. Secrets are not here (the teacher credential is a hash in the host config).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const SettingsSchema = z.object({
  version: z.literal(2),
  roomName: z.string().trim().min(1).max(60),
  /** Electron display id for the room screen; null = primary. */
  displayId: z.string().max(40).nullable(),
  port: z.number().int().min(1024).max(65535),
  codec: z.enum(['auto', 'h264', 'vp9', 'vp8', 'av1']),
  language: z.enum(['en', 'zh-CN', 'ko']),
  startAtLogin: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: 2,
  roomName: 'Lectern room',
  displayId: null,
  port: 47800,
  codec: 'auto',
  language: 'en',
  startAtLogin: false,
};

/** Version 1 (0.0.x): `lang`, `display` as a number, codec names in upper case, no login item. */
const V1Schema = z.object({
  version: z.literal(1),
  roomName: z.string(),
  lang: z.string(),
  display: z.number().int().nullable(),
  port: z.number().int(),
  codec: z.string(),
});

export class SettingsError extends Error {
  override name = 'SettingsError';
  constructor(
    readonly code: 'SETTINGS_INVALID',
    message: string,
  ) {
    super(message);
  }
}

/** Any stored settings object → current settings. Unknown languages/codecs fall back. */
export function migrateSettings(raw: unknown): Settings {
  const v1 = V1Schema.safeParse(raw);
  const candidate = v1.success
    ? {
        version: 2,
        roomName: v1.data.roomName,
        displayId: v1.data.display === null ? null : String(v1.data.display),
        port: v1.data.port,
        codec: v1.data.codec.toLowerCase(),
        language: v1.data.lang === 'zh' ? 'zh-CN' : v1.data.lang,
        startAtLogin: false,
      }
    : raw;
  const parsed = SettingsSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  // Keep what is valid field by field: a bad codec must not reset the room name.
  if (typeof candidate !== 'object' || candidate === null)
    throw new SettingsError('SETTINGS_INVALID', 'settings file is not an object');
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [key, field] of Object.entries(SettingsSchema.shape)) {
    const value = (candidate as Record<string, unknown>)[key];
    if (field.safeParse(value).success) merged[key] = value;
  }
  return SettingsSchema.parse(merged);
}

/** Settings stored as JSON in one file; writes go through a temp file and a rename. */
export class SettingsStore {
  private current: Settings = DEFAULT_SETTINGS;
  constructor(private readonly file: string) {}

  static async open(dir: string): Promise<SettingsStore> {
    const store = new SettingsStore(path.join(dir, 'settings.json'));
    let text: string | null = null;
    try {
      text = await fs.readFile(store.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text !== null) {
      try {
        store.current = migrateSettings(JSON.parse(text));
      } catch {
        // A corrupt file is kept aside for diagnostics, and the app starts with defaults.
        await fs.rename(store.file, `${store.file}.corrupt`).catch(() => undefined);
      }
    }
    return store;
  }

  get(): Settings {
    return this.current;
  }

  async update(patch: Partial<Omit<Settings, 'version'>>): Promise<Settings> {
    const next = SettingsSchema.safeParse({ ...this.current, ...patch, version: 2 });
    if (!next.success) throw new SettingsError('SETTINGS_INVALID', next.error.issues[0]!.message);
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(next.data, null, 2) + '\n', { mode: 0o600 });
    await fs.rename(tmp, this.file);
    this.current = next.data;
    return this.current;
  }
}
