import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Slow hash of the authentication keys the client derives. scrypt from node:crypto runs on the
 * libuv thread pool, so a burst of sign-ins does not freeze the event loop (and the scheduler).
 */
const PARAMS: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

function scryptAsync(secret: Buffer, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, PARAMS, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashKey(key: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(Buffer.from(key, 'base64url'), salt);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyKey(key: string, stored: string): Promise<boolean> {
  const [scheme, , , , salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const candidate = await scryptAsync(Buffer.from(key, 'base64url'), Buffer.from(salt, 'base64url'));
  const expected = Buffer.from(hash, 'base64url');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

// Verified against when the handle is unknown, so that answer takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;
export function dummyKeyHash(): Promise<string> {
  dummyHash ??= hashKey(randomBytes(32).toString('base64url'));
  return dummyHash;
}
