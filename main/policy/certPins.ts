/**
 * Which room hosts the desktop app trusts, decided without Electron (main/index.ts feeds it
 * from `setCertificateVerifyProc`): a room's self-signed certificate is trusted only when its
 * key pin is the one the app remembers for that host, the one the room advertised (the mDNS
 * advert it chose, the QR link), or one the person confirmed on first use. A remembered pin that
 * changes is refused outright, like SSH's changed host key: a look-alike host on the Wi-Fi
 * gets nothing, no prompt to click through.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KEY_PIN_PATTERN, shortPin } from '../../protocol/tls';
import { spkiPin } from '../../server-kit/tlsPin';

export type PinVerdict =
  /** The remembered or the advertised pin: connect (and remember it). */
  | { kind: 'trusted'; pin: string; remember: boolean }
  /** Never seen and nothing advertised: ask the person, showing the short form. */
  | { kind: 'ask'; pin: string; short: string }
  /** Not the key the app remembers for this host: refuse and warn. */
  | { kind: 'changed'; pin: string; short: string; remembered: string }
  /** Not the key the room advertised: refuse and warn. */
  | { kind: 'mismatch'; pin: string; short: string; expected: string };

/**
 * The verdict for `certPem` presented by `host`, given the pin remembered for it and the pin
 * the room advertised (either may be absent).
 */
export function judgeCertificate(
  certPem: string,
  remembered: string | undefined,
  advertised: string | undefined,
): PinVerdict {
  const pin = spkiPin(certPem);
  const short = shortPin(pin);
  if (remembered !== undefined) {
    return pin === remembered
      ? { kind: 'trusted', pin, remember: false }
      : { kind: 'changed', pin, short, remembered: shortPin(remembered) };
  }
  if (advertised !== undefined) {
    return pin === advertised
      ? { kind: 'trusted', pin, remember: true }
      : { kind: 'mismatch', pin, short, expected: shortPin(advertised) };
  }
  return { kind: 'ask', pin, short };
}

const PinFile = z.object({
  version: z.literal(1),
  pins: z.record(z.string().max(300), z.string().regex(KEY_PIN_PATTERN)),
});

/** The pins the app remembers, per host (address or name), in `<userData>/room-pins.json`. */
export class PinStore {
  private constructor(
    private readonly file: string,
    private readonly pins: Map<string, string>,
  ) {}

  static async open(dir: string): Promise<PinStore> {
    const file = path.join(dir, 'room-pins.json');
    const text = await fs.readFile(file, 'utf8').catch(() => null);
    const parsed = text === null ? null : PinFile.safeParse(JSON.parse(text));
    return new PinStore(file, new Map(Object.entries(parsed?.success ? parsed.data.pins : {})));
  }

  get(host: string): string | undefined {
    return this.pins.get(host.toLowerCase());
  }

  async remember(host: string, pin: string): Promise<void> {
    if (!KEY_PIN_PATTERN.test(pin)) throw new Error('not a key pin');
    this.pins.set(host.toLowerCase(), pin);
    await this.save();
  }

  /** Forgets a host (the person trusts its new key after checking it on the room screen). */
  async forget(host: string): Promise<void> {
    this.pins.delete(host.toLowerCase());
    await this.save();
  }

  private async save(): Promise<void> {
    const body = { version: 1, pins: Object.fromEntries(this.pins) };
    const tmp = `${this.file}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 });
    await fs.rename(tmp, this.file);
  }
}
