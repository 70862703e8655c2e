/**
 * Random ids and tokens, one implementation for every side (relay, cloud, browser pages): Web
 * Crypto's `getRandomValues`, present in browsers and in Node alike.
 */

/** 64 characters that need no escaping in URLs, file names or JSON. */
export const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Letters and digits only: ids pasted into command lines, where a leading dash reads as an option. */
export const ALPHANUMERIC = URL_SAFE.slice(0, 62);

/** `length` characters drawn uniformly from `alphabet` (rejection sampling: no modulo bias). */
export function randomId(length: number, alphabet: string = URL_SAFE): string {
  const n = alphabet.length;
  if (n < 2 || n > 256) throw new RangeError('alphabet must have 2 to 256 characters');
  const limit = 256 - (256 % n);
  // Characters collected and joined once: `+=` in a loop would leave a rope of one-character
  // pieces behind every id the relay keeps (a member id, a resume token…).
  const out: string[] = [];
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil((length - out.length) * 1.25)));
    for (const b of bytes) {
      if (b >= limit) continue;
      out.push(alphabet.charAt(b % n));
      if (out.length === length) break;
    }
  }
  return out.join('');
}

/** A secret or id carrying `bytes` bytes of entropy, URL-safe (as long as base64url of them). */
export function randomToken(bytes = 24): string {
  return randomId(Math.ceil((bytes * 4) / 3));
}
