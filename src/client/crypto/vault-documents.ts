import { documentAdditionalData, documentSignatureMessage, documentVersionHashInput, utf8Bytes, type DocumentBinding, type SealedDocumentVersion } from '../../shared/protocol';
import type { Sodium } from '../../shared/sodium';
import { fromBase64Url, padIso7816, toBase64Url, unpadIso7816 } from './bytes';
import { teamSubkey } from './team-keys';

/** An encrypted version as the server stores and returns it. */
export type EncryptedVersion = SealedDocumentVersion;

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
    authorAccountId: v.authorAccountId, previousVersionHash: fromBase64Url(sodium, v.previousVersionHash),
    logSeq: v.logSeq, logHash: fromBase64Url(sodium, v.logHash),
  };
}

/** Pads, encrypts under the team key with the binding as additional data, and signs. */
export function encryptDocumentVersion(
  sodium: Sodium,
  input: DocumentBinding,
  plaintextJson: string,
  teamKey: Uint8Array,
  signPrivateKey: Uint8Array,
): EncryptedVersion {
  const plaintext = utf8Bytes(plaintextJson);
  // By hand in sodium.pad's exact format (sodium.pad copies byte by byte through the WebAssembly heap).
  const padded = padIso7816(plaintext, blockSizeFor(paddedSize(plaintext.length)));
  const additionalData = documentAdditionalData(input);
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, additionalData, null, nonce, teamSubkey(sodium, teamKey, 'documents'));
  const message = documentSignatureMessage(sodium.crypto_generichash(32, additionalData, null), nonce, ciphertext);
  const signature = sodium.crypto_sign_detached(message, signPrivateKey);
  // What sodium.memzero does (a JavaScript loop over the bytes), as one native fill.
  padded.fill(0);
  plaintext.fill(0);
  return {
    documentId: input.documentId, kind: input.kind, version: input.version, generation: input.generation, authorAccountId: input.authorAccountId,
    previousVersionHash: toBase64Url(sodium, input.previousVersionHash), logSeq: input.logSeq, logHash: toBase64Url(sodium, input.logHash), nonce: toBase64Url(sodium, nonce), ciphertext: toBase64Url(sodium, ciphertext), signature: toBase64Url(sodium, signature),
  };
}

/** A version's fields decoded from base64, once per read: verifying, decrypting and hashing all use these bytes. */
interface DecodedVersion {
  additionalData: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

function decodeVersion(sodium: Sodium, teamId: string, v: EncryptedVersion): DecodedVersion {
  return { additionalData: documentAdditionalData(bindingOf(sodium, teamId, v)), nonce: fromBase64Url(sodium, v.nonce), ciphertext: fromBase64Url(sodium, v.ciphertext) };
}

function decodeForReading(sodium: Sodium, teamId: string, v: EncryptedVersion): DecodedVersion {
  try {
    return decodeVersion(sodium, teamId, v);
  } catch {
    throw new DocumentVerificationError(v.documentId, 'malformed fields');
  }
}

function verifyAndDecrypt(sodium: Sodium, v: EncryptedVersion, decoded: DecodedVersion, teamKey: Uint8Array, authorSignPublicKey: string): string {
  const { additionalData, nonce, ciphertext } = decoded;
  let signed = false;
  try {
    const message = documentSignatureMessage(sodium.crypto_generichash(32, additionalData, null), nonce, ciphertext);
    signed = sodium.crypto_sign_verify_detached(fromBase64Url(sodium, v.signature), message, fromBase64Url(sodium, authorSignPublicKey));
  } catch {
    signed = false;
  }
  if (!signed) throw new DocumentVerificationError(v.documentId, "the author's signature does not verify");
  let padded: Uint8Array;
  try {
    padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, additionalData, nonce, teamSubkey(sodium, teamKey, 'documents'));
  } catch {
    throw new DocumentVerificationError(v.documentId, 'it does not decrypt under the team key with its additional data');
  }
  try {
    return sodium.to_string(unpadIso7816(padded, blockSizeFor(padded.length)));
  } catch {
    throw new DocumentVerificationError(v.documentId, 'bad padding');
  }
}

function hashOf(sodium: Sodium, v: EncryptedVersion, decoded: DecodedVersion): string {
  const input = documentVersionHashInput(decoded.additionalData, decoded.nonce, decoded.ciphertext, fromBase64Url(sodium, v.signature));
  return toBase64Url(sodium, sodium.crypto_generichash(32, input, null));
}

/** Verifies the author's signature over the binding, then decrypts; throws DocumentVerificationError on any mismatch. */
export function decryptDocumentVersion(sodium: Sodium, teamId: string, v: EncryptedVersion, teamKey: Uint8Array, authorSignPublicKey: string): string {
  return verifyAndDecrypt(sodium, v, decodeForReading(sodium, teamId, v), teamKey, authorSignPublicKey);
}

/** decryptDocumentVersion and versionHashOf together, decoding the ciphertext once: what a reader does with every version. */
export function openDocumentVersion(sodium: Sodium, teamId: string, v: EncryptedVersion, teamKey: Uint8Array, authorSignPublicKey: string): { json: string; hash: string } {
  const decoded = decodeForReading(sodium, teamId, v);
  const json = verifyAndDecrypt(sodium, v, decoded, teamKey, authorSignPublicKey);
  return { json, hash: hashOf(sodium, v, decoded) };
}

/** BLAKE2b-256 of a version: the next version's previousVersionHash, and what a reader remembers. */
export function versionHashOf(sodium: Sodium, teamId: string, v: EncryptedVersion): string {
  return hashOf(sodium, v, decodeVersion(sodium, teamId, v));
}
