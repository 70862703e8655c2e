/**
 * Devices that may come back without the join code (and a teacher's device without the teacher
 * credential): the host issues each a random credential, keeps only its SHA-256 (a 32-byte random
 * token needs no slow hash), and forgets it when the teacher says so — at once, for every later
 * join. Issued and accepted over TLS or loopback only, so it never crosses the Wi-Fi in clear.
 */
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { randomToken } from '../protocol/ids';
import { createLogger } from '../server-kit/log';
import { writeFileAtomic } from '../server-kit/atomicFile';
import { hashToken } from '../server-kit/secrets';

const log = createLogger('devices');

/** The most devices a host remembers (then the teacher forgets some: none is pushed out). */
export const MAX_REMEMBERED = 500;

export const RememberedDevice = z.object({
  id: z.string().min(1).max(40),
  roomId: z.string().min(1),
  name: z.string().max(60),
  role: z.enum(['teacher', 'student']),
  /** SHA-256 of the credential (server-kit/secrets.ts hashToken). */
  hash: z.string().min(1),
  issuedAt: z.number(),
  lastSeen: z.number(),
});
export type RememberedDevice = z.infer<typeof RememberedDevice>;

const DeviceFile = z.object({ version: z.literal(1), devices: z.array(RememberedDevice) });

export class RememberedDevices {
  private readonly byHash = new Map<string, RememberedDevice>();
  private saving: Promise<void> = Promise.resolve();

  /** `file`: where they are kept (0600); absent: in memory only (tests, a host without a data dir). */
  constructor(private readonly file?: string) {}

  /** Loads the file, if any (an unreadable one is set aside with a warning, never trusted). */
  async load(): Promise<this> {
    if (!this.file) return this;
    const text = await fs.readFile(this.file, 'utf8').catch(() => null);
    if (text === null) return this;
    const parsed = DeviceFile.safeParse(JSON.parse(text));
    if (!parsed.success) {
      log.warn(`${this.file} is not a valid device list: starting with none`);
      return this;
    }
    for (const d of parsed.data.devices) this.byHash.set(d.hash, d);
    return this;
  }

  count(): number {
    return this.byHash.size;
  }

  /** A new credential for this device; returned once, kept only hashed. */
  issue(
    roomId: string,
    name: string,
    role: 'teacher' | 'student',
  ): { id: string; credential: string } {
    const credential = randomToken(32);
    const now = Date.now();
    const device: RememberedDevice = {
      id: randomToken(9),
      roomId,
      name,
      role,
      hash: hashToken(credential),
      issuedAt: now,
      lastSeen: now,
    };
    this.byHash.set(device.hash, device);
    this.save();
    return { id: device.id, credential };
  }

  /** The device this credential belongs to, or undefined (unknown or forgotten). */
  find(credential: string): RememberedDevice | undefined {
    // Looked up by the hash of a 256-bit random token: nothing to learn from the lookup's time.
    const d = this.byHash.get(hashToken(credential));
    if (!d) return undefined;
    d.lastSeen = Date.now();
    this.save();
    return d;
  }

  /** What a teacher sees: no hash, no credential. */
  list(roomId: string): Omit<RememberedDevice, 'hash' | 'roomId'>[] {
    return [...this.byHash.values()]
      .filter((d) => d.roomId === roomId)
      .sort((a, b) => b.lastSeen - a.lastSeen)
      .map(({ hash: _h, roomId: _r, ...rest }) => rest);
  }

  /** Forgets one device (by id) or every device of the room; returns how many. */
  forget(roomId: string, id?: string): number {
    let n = 0;
    for (const [hash, d] of this.byHash) {
      if (d.roomId === roomId && (id === undefined || d.id === id)) {
        this.byHash.delete(hash);
        n++;
      }
    }
    if (n > 0) this.save();
    return n;
  }

  /** Writes are chained: the file always ends as the last state. */
  private save(): void {
    const file = this.file;
    if (!file) return;
    const body = JSON.stringify({ version: 1, devices: [...this.byHash.values()] }) + '\n';
    this.saving = this.saving
      .then(async () => {
        await writeFileAtomic(file, body);
      })
      .catch((err: unknown) => log.error({ err }, `${file} not saved`));
  }

  /** Resolves once every change so far is on disk. */
  flushed(): Promise<void> {
    return this.saving;
  }
}
