/**
 * Strict base64url (no padding), as libsodium's `from_base64` reads it. A lax decoder (Node's Buffer)
 * accepts strings libsodium throws on: a length of 4n+1, or a last character whose unused low bits are
 * set ("...-EF" for 32 bytes). Checking this at the edge keeps such input a 400 instead of a throw deep in
 * domain code (the review's 500 on a team log `prevHash`). Pure, so the browser bundle can share it.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function isCanonicalBase64url(value: string): boolean {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) return false;
  const rest = value.length % 4;
  if (rest === 1) return false;
  if (rest === 0) return true;
  const last = ALPHABET.indexOf(value[value.length - 1]!);
  // 2 leftover characters carry 1 byte (4 unused bits); 3 carry 2 bytes (2 unused bits).
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/** How many bytes a canonical base64url string decodes to. */
export function base64urlDecodedLength(value: string): number {
  return Math.floor((value.length * 3) / 4);
}
