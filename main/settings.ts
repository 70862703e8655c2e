/**
 * Desktop settings in the user data folder: a versioned schema, migration from older files,
 * atomic writes. The room's cloud credential is kept beside them in its own file (0600), so it is
 * never shown to the page nor written into a diagnostics export.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CODECS, CodecPreference } from '../protocol/codecs';
import { Language } from '../protocol/languages';
import type { DesktopSettings } from '../protocol/desktop';
import { Id } from '../protocol/model';

const CloudLink = z.object({
  url: z
    .string()
    .max(300)
    .regex(/^wss?:\/\/[^\s]+$/, 'a ws:// or wss:// address'),
  roomId: Id,
  chat: z.boolean(),
});

const SchoolTls = z.object({
  certFile: z.string().trim().min(1).max(1000),
  keyFile: z.string().trim().min(1).max(1000),
});

export const SettingsSchema = z.object({
  version: z.literal(3),
  roomName: z.string().trim().min(1).max(60),
  /** Electron display id for the room screen; null = primary. */
  displayId: z.string().max(40).nullable(),
  port: z.number().int().min(1024).max(65535),
  codec: CodecPreference,
  language: Language,
  startAtLogin: z.boolean(),
  cloud: CloudLink.nullable(),
  /** A school's own certificate and key files for the room host (null: the room's own CA). */
  tls: SchoolTls.nullable().default(null),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** What the settings screen may change (the credential is write-only). */
export const SettingsPatch = SettingsSchema.omit({ version: true })
  .partial()
  .extend({ cloudToken: z.string().trim().min(1).max(256).nullable().optional() })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const DEFAULT_SETTINGS: Settings = {
  version: 3,
  roomName: 'Lectern room',
  displayId: null,
  port: 47800,
  codec: 'auto',
  language: 'en',
  startAtLogin: false,
  cloud: null,
  tls: null,
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

/** Version 2: codec names in lower case, no cloud link. */
const V2Schema = z.object({ version: z.literal(2), codec: z.string().optional() }).loose();

export class SettingsError extends Error {
  override name = 'SettingsError';
  constructor(
    readonly code: 'SETTINGS_INVALID',
    message: string,
  ) {
    super(message);
  }
}

/** A codec name in any case → the protocol's (`vp9` → `VP9`); unknown ones stay as they are. */
function codecName(name: string): string {
  return CODECS.find((c) => c.toLowerCase() === name.toLowerCase()) ?? name.toLowerCase();
}

/** Any stored settings object → current settings. Unknown languages/codecs fall back. */
export function migrateSettings(raw: unknown): Settings {
  const v1 = V1Schema.safeParse(raw);
  const v2 = V2Schema.safeParse(raw);
  const candidate = v1.success
    ? {
        version: 3,
        roomName: v1.data.roomName,
        displayId: v1.data.display === null ? null : String(v1.data.display),
        port: v1.data.port,
        codec: codecName(v1.data.codec),
        language: v1.data.lang === 'zh' ? 'zh-CN' : v1.data.lang,
        startAtLogin: false,
        cloud: null,
      }
    : v2.success
      ? { ...v2.data, version: 3, codec: codecName(v2.data.codec ?? 'auto'), cloud: null }
      : raw;
  const parsed = SettingsSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  // Keep what is valid field by field: a bad codec must not reset the room name.
  if (typeof candidate !== 'object' || candidate === null) {
    throw new SettingsError('SETTINGS_INVALID', 'settings file is not an object');
  }
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [key, field] of Object.entries(SettingsSchema.shape)) {
    const value = (candidate as Record<string, unknown>)[key];
    if (field.safeParse(value).success) merged[key] = value;
  }
  return SettingsSchema.parse(merged);
}

async function writeAtomic(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, text, { mode: 0o600 });
  await fs.rename(tmp, file);
}

/** Settings stored as JSON in one file; writes go through a temp file and a rename. */
export class SettingsStore {
  private current: Settings = DEFAULT_SETTINGS;
  private token: string | null = null;

  constructor(
    private readonly file: string,
    private readonly tokenFile: string,
  ) {}

  static async open(dir: string): Promise<SettingsStore> {
    const store = new SettingsStore(path.join(dir, 'settings.json'), path.join(dir, 'cloud-token'));
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
    const token = await fs.readFile(store.tokenFile, 'utf8').catch(() => '');
    store.token = token.trim() || null;
    return store;
  }

  get(): Settings {
    return this.current;
  }

  /** The room's cloud credential, for the room host only. */
  cloudToken(): string | null {
    return this.token;
  }

  /** What the settings screen shows. */
  forPage(): DesktopSettings {
    const { version: _v, ...shown } = this.current;
    return { ...shown, cloudTokenSet: this.token !== null };
  }

  /** Applies a change (validated here: it may come from the page). */
  async update(patch: unknown): Promise<Settings> {
    const parsed = SettingsPatch.safeParse(patch);
    if (!parsed.success) {
      throw new SettingsError('SETTINGS_INVALID', parsed.error.issues[0]?.message ?? 'invalid');
    }
    const { cloudToken, ...fields } = parsed.data;
    const next = SettingsSchema.safeParse({ ...this.current, ...fields, version: 3 });
    if (!next.success) throw new SettingsError('SETTINGS_INVALID', next.error.issues[0]!.message);
    await writeAtomic(this.file, JSON.stringify(next.data, null, 2) + '\n');
    this.current = next.data;
    if (cloudToken !== undefined) {
      if (cloudToken === null) await fs.rm(this.tokenFile, { force: true });
      else await writeAtomic(this.tokenFile, cloudToken + '\n');
      this.token = cloudToken;
    }
    return this.current;
  }
}
