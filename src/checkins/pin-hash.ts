import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Check-in PINs are stored as HMAC-SHA256 under a key derived from SERVER_SECRET (a pepper), over a
 * per-PIN salt and the PIN. A PIN has too little entropy for any slow hash to protect it offline
 * (there are 10,000 four-digit PINs), so a slow hash would only burn CPU on every check-in. What
 * protects a PIN is: offline, the key the database does not hold; online, the attempt limit in
 * check-in-pins.ts. Whoever holds both the database and SERVER_SECRET can recover PINs, as they can
 * read phone numbers (SECURITY.md).
 */
const SCHEME = 'hmac-sha256';

function macOf(key: Uint8Array, salt: Buffer, pin: string): Buffer {
  // The 0x00 separator keeps (salt, pin) pairs unambiguous.
  return createHmac('sha256', key).update(salt).update(Buffer.from([0])).update(pin, 'utf8').digest();
}

export function hashPin(key: Uint8Array, pin: string): string {
  const salt = randomBytes(16);
  return `${SCHEME}$${salt.toString('base64url')}$${macOf(key, salt, pin).toString('base64url')}`;
}

export function verifyPin(key: Uint8Array, pin: string, stored: string): boolean {
  const [scheme, salt, mac] = stored.split('$');
  if (scheme !== SCHEME || !salt || !mac) return false;
  const expected = Buffer.from(mac, 'base64url');
  const candidate = macOf(key, Buffer.from(salt, 'base64url'), pin);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}
