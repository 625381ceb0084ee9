/**
 * Byte layouts that client and server must agree on. Every signed or authenticated message starts
 * with its own label, so a signature made for one purpose can never be replayed as another.
 */
export const PROTOCOL_LABELS = {
  accountKeys: 'meshwork/account-keys/v1',
  privateKeys: 'meshwork/private-keys/v1',
} as const;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** What an account's Ed25519 key signs to vouch for its own handle and X25519 key. */
export function accountKeysMessage(handle: string, boxPublicKey: Uint8Array, signPublicKey: Uint8Array): Uint8Array {
  return concat([utf8(`${PROTOCOL_LABELS.accountKeys}\n${handle}\n`), boxPublicKey, signPublicKey]);
}

/** Additional data for the wrapped private keys: binds them to the handle and to which key wrapped them. */
export function privateKeysAdditionalData(handle: string, wrappedBy: 'password' | 'recovery'): Uint8Array {
  return utf8(`${PROTOCOL_LABELS.privateKeys}\n${handle}\n${wrappedBy}`);
}

export { concat as concatBytes, utf8 as utf8Bytes };
