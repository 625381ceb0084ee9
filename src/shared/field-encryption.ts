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

/**
 * A small JSON value sealed with the field cipher, padded with trailing spaces (which JSON.parse
 * ignores) to a multiple of `block` characters: a ciphertext's length would otherwise tell a copy
 * of the database which value it holds ("true" vs "false", a duress event vs a missed one, one
 * daily time vs twelve). Choose `block` larger than any value the field holds.
 */
export function sealJson(cipher: FieldCipher, value: unknown, block: number): string {
  const text = JSON.stringify(value);
  return cipher.encrypt(text.padEnd(Math.ceil((text.length + 1) / block) * block, ' '));
}

export function openJson<T>(cipher: FieldCipher, stored: string): T {
  return JSON.parse(cipher.decrypt(stored)) as T;
}
