/** Credentials on the server side: hashing, verifying, comparing. Random ids: protocol/ids.ts. */
import { createHash, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { randomToken } from '../protocol/ids';

export { randomToken };

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

/** Hashes a human-chosen credential for storage: `scrypt$N$r$p$salt$hash`. */
export function hashCredential(secret: string): string {
  const salt = Buffer.from(randomToken(16), 'base64url');
  return storedForm(salt, scryptSync(secret, salt, SCRYPT.keylen, SCRYPT));
}

/** The same, on the thread pool (a teacher changing the credential must not stall the relay). */
export function hashCredentialAsync(secret: string): Promise<string> {
  const salt = Buffer.from(randomToken(16), 'base64url');
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, SCRYPT.keylen, SCRYPT, (err, hash) => {
      if (err) reject(err);
      else resolve(storedForm(salt, hash));
    });
  });
}

function storedForm(salt: Buffer, hash: Buffer): string {
  return [
    'scrypt',
    SCRYPT.N,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

interface StoredHash {
  salt: Buffer;
  hash: Buffer;
  options: { N: number; r: number; p: number };
}

/** Parses `scrypt$N$r$p$salt$hash`; null for anything else. */
function parseStored(stored: string): StoredHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(options).every((v) => Number.isSafeInteger(v) && v > 0)) return null;
  const parsed = {
    salt: Buffer.from(salt, 'base64url'),
    hash: Buffer.from(hash, 'base64url'),
    options,
  };
  return parsed.hash.length > 0 ? parsed : null;
}

/**
 * Constant-time check of a credential against a stored hash, false on a malformed hash.
 * Hashing runs on the thread pool, not the event loop.
 */
export function verifyCredential(secret: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) return Promise.resolve(false);
  const { salt, hash, options } = parsed;
  return new Promise((resolve) => {
    scrypt(secret, salt, hash.length, options, (err, actual) => {
      resolve(!err && timingSafeEqual(actual, hash));
    });
  });
}

/** Constant-time string comparison for secrets that are not hashed (screen keys, tokens). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A machine-made token's storage form. Such tokens are 256-bit random, so a plain SHA-256 is
 * enough (no password stretching needed).
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenMatches(token: string, hash: string): boolean {
  return sameSecret(hashToken(token), hash);
}
