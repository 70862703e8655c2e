import { ALPHANUMERIC, randomId, randomToken } from '../protocol/ids';

/**
 * A random id of `length` letters and digits (no '-': ids are pasted into command lines, where
 * a leading dash reads as an option).
 */
export function newId(length = 16): string {
  return randomId(length, ALPHANUMERIC);
}

/** A room credential: shown once in the console, only its hash is kept. */
export function newRoomToken(): string {
  return `lct_${randomToken(32)}`;
}
