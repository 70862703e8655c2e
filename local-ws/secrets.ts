import { randomBytes, randomInt, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

/** A uniformly random 6-digit join code that differs from every code in `avoid`. */
export function newJoinCode(avoid: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    if (!avoid.has(code)) return code;
  }
}

export function newToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

/** Hashes a credential for storage: `scrypt$N$r$p$salt$hash`. */
export function hashCredential(secret: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(secret, salt, SCRYPT.keylen, SCRYPT);
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

/** Constant-time string comparison for tokens that are not hashed (screen keys). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
