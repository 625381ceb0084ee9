import { KDF_MAX_MEMLIMIT, KDF_MAX_OPSLIMIT, KDF_MIN_MEMLIMIT, KDF_MIN_OPSLIMIT, accountKeysMessage, privateKeysAdditionalData } from '../../shared/protocol';
import type { Sodium } from '../../shared/sodium';

export interface KdfParams {
  algorithm: 'argon2id13';
  opslimit: number;
  memlimit: number;
  salt: string;
}

export interface AccountKeyPairs {
  box: { publicKey: Uint8Array; privateKey: Uint8Array };
  sign: { publicKey: Uint8Array; privateKey: Uint8Array };
}

export interface PublicKeys {
  boxPublicKey: string;
  signPublicKey: string;
  selfSignature: string;
}

export interface SealedBlob {
  nonce: string;
  ciphertext: string;
}

export class WeakKdfParametersError extends Error {
  constructor(params: KdfParams) {
    super(`The server offered weaker password hashing than Meshwork allows (opslimit ${params.opslimit}, memlimit ${params.memlimit}); refusing to send anything derived from the password.`);
    this.name = 'WeakKdfParametersError';
  }
}

/** The server asked for more password hashing than the client will run (a hostile server could hang the phone). */
export class ExcessiveKdfParametersError extends Error {
  constructor(params: KdfParams) {
    super(`The server asked for more password hashing than Meshwork runs (opslimit ${params.opslimit}, memlimit ${params.memlimit}; at most ${KDF_MAX_OPSLIMIT} and ${KDF_MAX_MEMLIMIT}); refusing.`);
    this.name = 'ExcessiveKdfParametersError';
  }
}

/**
 * A server that lowers the cost would make a stolen auth key cheap to brute-force; the client refuses. One that
 * raises it past the ceiling would only hang the device (argon2id's memory is allocated up front); refused too.
 */
export function assertStrongKdf(params: KdfParams): void {
  if (params.algorithm !== 'argon2id13' || params.opslimit < KDF_MIN_OPSLIMIT || params.memlimit < KDF_MIN_MEMLIMIT) {
    throw new WeakKdfParametersError(params);
  }
  if (!Number.isSafeInteger(params.opslimit) || !Number.isSafeInteger(params.memlimit) || params.opslimit > KDF_MAX_OPSLIMIT || params.memlimit > KDF_MAX_MEMLIMIT) {
    throw new ExcessiveKdfParametersError(params);
  }
}

const AUTH_KEY_ID = 1;
const WRAP_KEY_ID = 2;
const KDF_CONTEXT = 'mwpasswd';
const RECOVERY_CONTEXT = 'mwrecovr';

/** Password -> master key (argon2id) -> authentication key (sent) and key-encryption key (never sent). */
export function deriveFromPassword(sodium: Sodium, password: string, params: KdfParams): { authKey: Uint8Array; keyEncryptionKey: Uint8Array } {
  assertStrongKdf(params);
  const master = sodium.crypto_pwhash(32, password.normalize('NFKC'), sodium.from_base64(params.salt), params.opslimit, params.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
  const derived = {
    authKey: sodium.crypto_kdf_derive_from_key(32, AUTH_KEY_ID, KDF_CONTEXT, master),
    keyEncryptionKey: sodium.crypto_kdf_derive_from_key(32, WRAP_KEY_ID, KDF_CONTEXT, master),
  };
  sodium.memzero(master);
  return derived;
}

/** The recovery key is 32 random bytes: no slow hash needed, the same split into auth and wrapping keys. */
export function deriveFromRecoveryKey(sodium: Sodium, recoveryKey: Uint8Array): { authKey: Uint8Array; keyEncryptionKey: Uint8Array } {
  return {
    authKey: sodium.crypto_kdf_derive_from_key(32, AUTH_KEY_ID, RECOVERY_CONTEXT, recoveryKey),
    keyEncryptionKey: sodium.crypto_kdf_derive_from_key(32, WRAP_KEY_ID, RECOVERY_CONTEXT, recoveryKey),
  };
}

export function newKdfParams(sodium: Sodium): KdfParams {
  return { algorithm: 'argon2id13', opslimit: KDF_MIN_OPSLIMIT, memlimit: KDF_MIN_MEMLIMIT, salt: sodium.to_base64(sodium.randombytes_buf(16)) };
}

export function generateAccountKeys(sodium: Sodium): AccountKeyPairs {
  const box = sodium.crypto_box_keypair();
  const sign = sodium.crypto_sign_keypair();
  return { box: { publicKey: box.publicKey, privateKey: box.privateKey }, sign: { publicKey: sign.publicKey, privateKey: sign.privateKey } };
}

export function selfSignedPublicKeys(sodium: Sodium, handle: string, keys: AccountKeyPairs): PublicKeys {
  const signature = sodium.crypto_sign_detached(accountKeysMessage(handle, keys.box.publicKey, keys.sign.publicKey), keys.sign.privateKey);
  return { boxPublicKey: sodium.to_base64(keys.box.publicKey), signPublicKey: sodium.to_base64(keys.sign.publicKey), selfSignature: sodium.to_base64(signature) };
}

/** True when the public keys are signed by their own signing key for this handle. */
export function verifySelfSigned(sodium: Sodium, handle: string, publicKeys: PublicKeys): boolean {
  try {
    const box = sodium.from_base64(publicKeys.boxPublicKey);
    const sign = sodium.from_base64(publicKeys.signPublicKey);
    return sodium.crypto_sign_verify_detached(sodium.from_base64(publicKeys.selfSignature), accountKeysMessage(handle, box, sign), sign);
  } catch {
    return false;
  }
}

export function wrapPrivateKeys(sodium: Sodium, keys: AccountKeyPairs, wrappingKey: Uint8Array, handle: string, wrappedBy: 'password' | 'recovery'): SealedBlob {
  const plaintext = new Uint8Array([...keys.box.privateKey, ...keys.sign.privateKey]);
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, privateKeysAdditionalData(handle, wrappedBy), null, nonce, wrappingKey);
  sodium.memzero(plaintext);
  return { nonce: sodium.to_base64(nonce), ciphertext: sodium.to_base64(ciphertext) };
}

export class WrongKeyError extends Error {
  constructor() {
    super('Could not unlock the private keys: wrong password or recovery key, or the stored keys were tampered with.');
    this.name = 'WrongKeyError';
  }
}

export function unwrapPrivateKeys(sodium: Sodium, sealed: SealedBlob, wrappingKey: Uint8Array, handle: string, wrappedBy: 'password' | 'recovery', publicKeys: PublicKeys): AccountKeyPairs {
  let plaintext: Uint8Array;
  try {
    plaintext = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sodium.from_base64(sealed.ciphertext), privateKeysAdditionalData(handle, wrappedBy), sodium.from_base64(sealed.nonce), wrappingKey);
  } catch {
    throw new WrongKeyError();
  }
  const boxPrivate = plaintext.slice(0, sodium.crypto_box_SECRETKEYBYTES);
  const signPrivate = plaintext.slice(sodium.crypto_box_SECRETKEYBYTES);
  const keys = {
    box: { publicKey: sodium.crypto_scalarmult_base(boxPrivate), privateKey: boxPrivate },
    sign: { publicKey: signPrivate.slice(32), privateKey: signPrivate },
  };
  // The unwrapped keys must match the public keys the server returned; otherwise something was swapped.
  if (sodium.to_base64(keys.box.publicKey) !== publicKeys.boxPublicKey || sodium.to_base64(keys.sign.publicKey) !== publicKeys.signPublicKey) {
    throw new WrongKeyError();
  }
  return keys;
}
