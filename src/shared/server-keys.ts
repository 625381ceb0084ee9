import { createHmac } from 'node:crypto';
import type { Sodium } from './sodium';

/**
 * Keys the server itself holds, all derived from SERVER_SECRET with crypto_kdf so one secret
 * never serves two purposes. None of them can read team content: that is never encrypted to the server.
 */
export interface ServerKeys {
  /** Deterministic fake KDF salt for unknown handles, so pre-login does not reveal which handles exist. */
  fakeSaltFor(handle: string): Uint8Array;
  /** Keyed hash for throttle counters: the database never holds handles or addresses of failed sign-ins in clear. */
  throttleKeyFor(kind: string, value: string): string;
  /** secretbox key for fields the server must read but must not keep in clear (phone numbers, alert texts). */
  fieldEncryptionKey: Uint8Array;
  /** Pepper for check-in PIN hashes: a stolen database alone cannot test PIN guesses. */
  pinKey: Uint8Array;
  /** HMAC key for anything else that needs a server-side keyed hash (e.g. phone-number lookup keys). */
  lookupKey: Uint8Array;
}

export function deriveServerKeys(sodium: Sodium, secret: Uint8Array): ServerKeys {
  if (secret.length !== 32) throw new Error('SERVER_SECRET must be 32 bytes');
  const subkey = (id: number, context: string) => sodium.crypto_kdf_derive_from_key(32, id, context, secret);
  const fakeSaltKey = subkey(1, 'mwfksalt');
  const throttleKey = subkey(2, 'mwthrotl');
  const fieldEncryptionKey = subkey(3, 'mwfields');
  const lookupKey = subkey(4, 'mwlookup');
  const pinKey = subkey(5, 'mwpinkey');
  return {
    fakeSaltFor: (handle) => new Uint8Array(createHmac('sha256', fakeSaltKey).update(handle).digest().subarray(0, 16)),
    throttleKeyFor: (kind, value) => `${kind}:${createHmac('sha256', throttleKey).update(value).digest('base64url')}`,
    fieldEncryptionKey,
    lookupKey,
    pinKey,
  };
}
