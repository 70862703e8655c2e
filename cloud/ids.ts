import { createHash, randomBytes } from 'node:crypto';
import { sameSecret } from '../local-ws/secrets';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random id of `length` letters and digits (no '-': ids are pasted into command lines, where
 * a leading dash reads as an option).
 */
export function newId(length = 16): string {
  return Array.from(randomBytes(length), (b) => ALPHABET.charAt(b % ALPHABET.length)).join('');
}

/** A room credential: shown once in the console, only its hash is kept. */
export function newRoomToken(): string {
  return `lct_${randomBytes(32).toString('base64url')}`;
}

/** Tokens are 256-bit random, so a plain SHA-256 is enough (no password stretching needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenMatches(token: string, hash: string): boolean {
  return sameSecret(hashToken(token), hash);
}
