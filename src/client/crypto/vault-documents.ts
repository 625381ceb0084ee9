import { documentAdditionalData, documentSignatureMessage, documentVersionHashInput, utf8Bytes, type DocumentBinding } from '../../shared/protocol';
import type { Sodium } from '../../shared/sodium';

/** An encrypted version as the server stores and returns it. */
export interface EncryptedVersion {
  documentId: string;
  kind: string;
  version: number;
  generation: number;
  authorAccountId: string;
  previousVersionHash: string;
  nonce: string;
  ciphertext: string;
  signature: string;
}

export class DocumentVerificationError extends Error {
  constructor(
    readonly documentId: string,
    reason: string,
  ) {
    super(`Document ${documentId} failed verification: ${reason}. It may have been tampered with; do not rely on it.`);
    this.name = 'DocumentVerificationError';
  }
}

const SMALLEST_BUCKET = 1024;
const LARGEST_POWER_BUCKET = 64 * 1024;

/**
 * Padded size: powers of two from 1 KiB to 64 KiB, then whole multiples of 64 KiB. The server learns only the bucket
 * (a risk map of 3 threats and one of 9 usually look the same), never the exact length.
 */
export function paddedSize(length: number): number {
  if (length >= LARGEST_POWER_BUCKET) return Math.ceil((length + 1) / LARGEST_POWER_BUCKET) * LARGEST_POWER_BUCKET;
  let bucket = SMALLEST_BUCKET;
  while (bucket <= length) bucket *= 2;
  return bucket;
}

function blockSizeFor(paddedLength: number): number {
  return paddedLength <= LARGEST_POWER_BUCKET ? paddedLength : LARGEST_POWER_BUCKET;
}

export function bindingOf(sodium: Sodium, teamId: string, v: EncryptedVersion): DocumentBinding {
  return {
    teamId, documentId: v.documentId, kind: v.kind, version: v.version, generation: v.generation,
    authorAccountId: v.authorAccountId, previousVersionHash: sodium.from_base64(v.previousVersionHash),
  };
}

/** Pads, encrypts under the team key with the binding as additional data, and signs. */
export function encryptDocumentVersion(
  sodium: Sodium,
  input: { teamId: string; documentId: string; kind: string; version: number; generation: number; authorAccountId: string; previousVersionHash: Uint8Array },
  plaintextJson: string,
  teamKey: Uint8Array,
  signPrivateKey: Uint8Array,
): EncryptedVersion {
  const plaintext = utf8Bytes(plaintextJson);
  const padded = sodium.pad(plaintext, blockSizeFor(paddedSize(plaintext.length)));
  const additionalData = documentAdditionalData(input);
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, additionalData, null, nonce, teamKey);
  const message = documentSignatureMessage(sodium.crypto_generichash(32, additionalData, null), nonce, ciphertext);
  const signature = sodium.crypto_sign_detached(message, signPrivateKey);
  sodium.memzero(padded);
  return {
    documentId: input.documentId, kind: input.kind, version: input.version, generation: input.generation, authorAccountId: input.authorAccountId,
    previousVersionHash: sodium.to_base64(input.previousVersionHash), nonce: sodium.to_base64(nonce), ciphertext: sodium.to_base64(ciphertext), signature: sodium.to_base64(signature),
  };
}

/** Verifies the author's signature over the binding, then decrypts; throws DocumentVerificationError on any mismatch. */
export function decryptDocumentVersion(sodium: Sodium, teamId: string, v: EncryptedVersion, teamKey: Uint8Array, authorSignPublicKey: string): string {
  let additionalData: Uint8Array;
  let nonce: Uint8Array;
  let ciphertext: Uint8Array;
  try {
    additionalData = documentAdditionalData(bindingOf(sodium, teamId, v));
    nonce = sodium.from_base64(v.nonce);
    ciphertext = sodium.from_base64(v.ciphertext);
  } catch {
    throw new DocumentVerificationError(v.documentId, 'malformed fields');
  }
  let signed = false;
  try {
    const message = documentSignatureMessage(sodium.crypto_generichash(32, additionalData, null), nonce, ciphertext);
    signed = sodium.crypto_sign_verify_detached(sodium.from_base64(v.signature), message, sodium.from_base64(authorSignPublicKey));
  } catch {
    signed = false;
  }
  if (!signed) throw new DocumentVerificationError(v.documentId, "the author's signature does not verify");
  let padded: Uint8Array;
  try {
    padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, additionalData, nonce, teamKey);
  } catch {
    throw new DocumentVerificationError(v.documentId, 'it does not decrypt under the team key with its additional data');
  }
  try {
    return sodium.to_string(sodium.unpad(padded, blockSizeFor(padded.length)));
  } catch {
    throw new DocumentVerificationError(v.documentId, 'bad padding');
  }
}

/** BLAKE2b-256 of a version: the next version's previousVersionHash, and what a reader remembers. */
export function versionHashOf(sodium: Sodium, teamId: string, v: EncryptedVersion): string {
  const input = documentVersionHashInput(documentAdditionalData(bindingOf(sodium, teamId, v)), sodium.from_base64(v.nonce), sodium.from_base64(v.ciphertext), sodium.from_base64(v.signature));
  return sodium.to_base64(sodium.crypto_generichash(32, input, null));
}
