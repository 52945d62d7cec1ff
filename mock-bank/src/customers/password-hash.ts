import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/*
 * scrypt cost of new hashes. OWASP suggests N=2^17 for production; 2^14 (16 MiB, tens of
 * milliseconds) keeps seeding and logins quick in a sandbox. Every stored hash records its own
 * parameters, so raising them later leaves old hashes verifiable.
 */
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(
  password: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
  keyLength: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N: n, r, p, maxmem: 256 * n * r * p }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes `password` with scrypt into `scrypt$N$r$p$salt$hash` (salt and hash base64url). The
 * salt is the caller's so the seed can draw it from its PRNG and stay deterministic.
 */
export async function hashPassword(password: string, salt: Buffer): Promise<string> {
  const key = await derive(password, salt, N, R, P, KEY_LENGTH);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const STORED = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/**
 * True when `password` matches `stored`. The comparison is constant-time; a malformed stored
 * value never matches.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = STORED.exec(stored);
  if (!match) return false;
  const [, n, r, p, salt, hash] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    Number(n),
    Number(r),
    Number(p),
    expected.length,
  );
  return timingSafeEqual(key, expected);
}

/**
 * A hash of a random password with the current parameters. Checking a login for an unknown user
 * against it costs the same time as a real check, so response timing does not reveal which
 * usernames exist.
 */
export function createDummyHash(): Promise<string> {
  return hashPassword(randomBytes(16).toString('base64url'), randomBytes(16));
}
