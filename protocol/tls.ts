/** The room host's TLS identity as every side names it: its key pin and its CA's address. */
/**
 * A room host's key pin: base64 SHA-256 of its certificate's SubjectPublicKeyInfo (44
 * characters), as the QR code, the mDNS advert and the desktop app's pin store carry it.
 */
export const KEY_PIN_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

/**
 * What people compare by eye (the idle room screen, the desktop app's prompt): the first 8 bytes
 * of a key pin in four groups of hex, e.g. `3F2A 91C0 7B1E 44D2`.
 */
export function shortPin(pin: string): string {
  const bytes = Array.from(atob(pin).slice(0, 8), (c) => c.charCodeAt(0));
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');
  return hex.match(/.{4}/g)?.join(' ') ?? '';
}

/** Where the room host serves its CA certificate (stable: the README and the page link here). */
export const CA_PATH = '/lectern-ca.crt';
