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

/** Constant-time check of a credential against a stored hash; false on a malformed hash. */
export function verifyCredential(secret: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltText, hashText] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hashText, 'base64url');
  if (expected.length === 0) return false;
  const actual = scryptSync(secret, Buffer.from(saltText, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/** Constant-time string comparison for tokens that are not hashed (screen keys). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Async form of verifyCredential: hashing runs on the thread pool, not the event loop. */
export function verifyCredentialAsync(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return Promise.resolve(false);
  const [, n, r, p, saltText, hashText] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hashText, 'base64url');
  if (expected.length === 0) return Promise.resolve(false);
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  return new Promise((resolve) => {
    scrypt(secret, Buffer.from(saltText, 'base64url'), expected.length, options, (err, actual) => {
      resolve(!err && timingSafeEqual(actual, expected));
    });
  });
}
