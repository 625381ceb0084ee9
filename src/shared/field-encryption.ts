import type { Sodium } from './sodium';

/**
 * The one helper for fields the server must read but must not keep in clear (phone numbers,
 * alert texts, last-known places). Stored as `v1.<nonce>.<secretbox>`; schema fields holding
 * them are named `encrypted*`. Decrypt only where the value is used (e.g. just before sending).
 */
export interface FieldCipher {
  encrypt(plaintext: string): string;
  decrypt(stored: string): string;
}

export function createFieldCipher(sodium: Sodium, key: Uint8Array): FieldCipher {
  return {
    encrypt(plaintext) {
      const nonce = sodium.randombytes_buf(sodium.crypto_secretbox_NONCEBYTES);
      const box = sodium.crypto_secretbox_easy(sodium.from_string(plaintext), nonce, key);
      return `v1.${sodium.to_base64(nonce)}.${sodium.to_base64(box)}`;
    },
    decrypt(stored) {
      const [version, nonce, box] = stored.split('.');
      if (version !== 'v1' || !nonce || !box) throw new Error('unrecognised encrypted field');
      return sodium.to_string(sodium.crypto_secretbox_open_easy(sodium.from_base64(box), sodium.from_base64(nonce), key));
    },
  };
}
