import {
  concatBytes, previousTeamKeyAdditionalData, safetyNumberInput, teamKeyCheckMessage, teamKeyEnvelopePlaintext, teamNameAdditionalData, teamSubkeyContext, utf8Bytes, lengthPrefixed, PROTOCOL_LABELS,
} from '../../shared/protocol';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import type { Sodium } from '../../shared/sodium';

export const TEAM_KEY_BYTES = 32;

export function newTeamKey(sodium: Sodium): Uint8Array {
  return sodium.randombytes_buf(TEAM_KEY_BYTES);
}

/**
 * One subkey per purpose (documents, the team name, the key check, the previous key), so no two purposes ever use
 * the same key: a weakness or misuse in one cannot spill into another.
 */
export function teamSubkey(sodium: Sodium, teamKey: Uint8Array, purpose: Parameters<typeof teamSubkeyContext>[0]): Uint8Array {
  return sodium.crypto_generichash(32, teamSubkeyContext(purpose), teamKey);
}

/** Keyed BLAKE2b of (team, generation) under the key: recorded in the signed log so every member can check they got the same key. */
export function teamKeyCheck(sodium: Sodium, teamId: string, generation: number, teamKey: Uint8Array): string {
  return sodium.to_base64(sodium.crypto_generichash(32, teamKeyCheckMessage(teamId, generation), teamSubkey(sodium, teamKey, 'key-check')));
}

/** Seals the team key of one generation to a member's X25519 key (anonymous sealed box). */
export function sealTeamKeyFor(sodium: Sodium, teamId: string, generation: number, teamKey: Uint8Array, boxPublicKey: string): string {
  return sodium.to_base64(sodium.crypto_box_seal(teamKeyEnvelopePlaintext(teamId, generation, teamKey), sodium.from_base64(boxPublicKey)));
}

/** Opens an envelope sealed to me; null unless it opens and names this team and generation. */
export function openTeamKey(sodium: Sodium, teamId: string, generation: number, sealed: string, box: { publicKey: Uint8Array; privateKey: Uint8Array }): Uint8Array | null {
  try {
    const plaintext = sodium.crypto_box_seal_open(sodium.from_base64(sealed), box.publicKey, box.privateKey);
    const key = plaintext.slice(plaintext.length - TEAM_KEY_BYTES);
    const expected = teamKeyEnvelopePlaintext(teamId, generation, key);
    return expected.length === plaintext.length && sodium.memcmp(expected, plaintext) ? key : null;
  } catch {
    return null;
  }
}

/** Generation g-1's key, encrypted under generation g's, so members who join later can read older versions. */
export function encryptPreviousKey(sodium: Sodium, teamId: string, generation: number, previousKey: Uint8Array, newKey: Uint8Array) {
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(previousKey, previousTeamKeyAdditionalData(teamId, generation), null, nonce, teamSubkey(sodium, newKey, 'previous-key'));
  return { nonce: sodium.to_base64(nonce), ciphertext: sodium.to_base64(ciphertext) };
}

export function decryptPreviousKey(sodium: Sodium, teamId: string, generation: number, sealed: { nonce: string; ciphertext: string }, key: Uint8Array): Uint8Array | null {
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sodium.from_base64(sealed.ciphertext), previousTeamKeyAdditionalData(teamId, generation), sodium.from_base64(sealed.nonce), teamSubkey(sodium, key, 'previous-key'));
  } catch {
    return null;
  }
}

export function encryptTeamName(sodium: Sodium, teamId: string, generation: number, name: string, key: Uint8Array) {
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  // Padded to 64 bytes so the length of a short name does not show.
  const padded = sodium.pad(utf8Bytes(name), 64);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, teamNameAdditionalData(teamId, generation), null, nonce, teamSubkey(sodium, key, 'name'));
  return { generation, nonce: sodium.to_base64(nonce), ciphertext: sodium.to_base64(ciphertext) };
}

export function decryptTeamName(sodium: Sodium, teamId: string, sealed: { generation: number; nonce: string; ciphertext: string }, key: Uint8Array): string | null {
  try {
    const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sodium.from_base64(sealed.ciphertext), teamNameAdditionalData(teamId, sealed.generation), sodium.from_base64(sealed.nonce), teamSubkey(sodium, key, 'name'));
    return sodium.to_string(sodium.unpad(padded, 64));
  } catch {
    return null;
  }
}

const SAFETY_ITERATIONS = 5200;

/** 30 digits from one party's handle and keys (iterated BLAKE2b-512, as Signal iterates SHA-512). */
export function fingerprintDigits(sodium: Sodium, handle: string, signPublicKey: string, boxPublicKey: string): string {
  const input = safetyNumberInput(handle, sodium.from_base64(signPublicKey), sodium.from_base64(boxPublicKey));
  let hash = sodium.crypto_generichash(64, lengthPrefixed(PROTOCOL_LABELS.safetyNumber, [input]), null);
  for (let i = 1; i < SAFETY_ITERATIONS; i += 1) hash = sodium.crypto_generichash(64, concatBytes([hash, input]), null);
  let digits = '';
  for (let chunk = 0; chunk < 6; chunk += 1) {
    let value = 0;
    for (let i = 0; i < 5; i += 1) value = value * 256 + (hash[chunk * 5 + i] ?? 0);
    digits += String(value % 100000).padStart(5, '0');
  }
  return digits;
}

export interface KeyOwner {
  handle: string;
  signPublicKey: string;
  boxPublicKey: string;
}

/**
 * The safety number two people compare face to face: both halves sorted, so both see the same 60 digits,
 * shown as 12 groups of 5. A different number means one of them is not talking to the keys they think.
 */
export function safetyNumber(sodium: Sodium, a: KeyOwner, b: KeyOwner): string {
  const halves = [fingerprintDigits(sodium, a.handle, a.signPublicKey, a.boxPublicKey), fingerprintDigits(sodium, b.handle, b.signPublicKey, b.boxPublicKey)].sort();
  return halves.join('').match(/.{5}/g)!.join(' ');
}

/** Cells of the safety picture, and how many colours each can take: 30 x 2 bits = 60 bits. */
export const SAFETY_PICTURE_CELLS = 30;
export const SAFETY_PICTURE_COLOURS = 4;

/** BLAKE2b-256 of the whole 60-digit number: every word and every cell depends on both people's keys. */
function safetyCodeHash(sodium: Sodium, safetyNumber: string): Uint8Array {
  return sodium.crypto_generichash(32, lengthPrefixed(PROTOCOL_LABELS.safetyNumber, ['words-and-picture', safetyNumber.replace(/\D/g, '')]), null);
}

function bitsOf(hash: Uint8Array, from: number, count: number): number {
  let value = 0;
  for (let bit = from; bit < from + count; bit += 1) value = value * 2 + (((hash[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1);
  return value;
}

/**
 * The safety number as twelve BIP-39 words (132 bits of a hash of the whole number). Derived from the whole number,
 * not from each half: with sorted halves, a substituted key left the other person's six words unchanged.
 */
export function safetyWords(sodium: Sodium, safetyNumber: string): string[] {
  const hash = safetyCodeHash(sodium, safetyNumber);
  return Array.from({ length: 12 }, (_, i) => wordlist[bitsOf(hash, i * 11, 11)]!);
}

/** The safety picture: 30 cells, each one of 4 colours (60 bits of the same hash, after the words' 132). */
export function safetyPicture(sodium: Sodium, safetyNumber: string): number[] {
  const hash = safetyCodeHash(sodium, safetyNumber);
  return Array.from({ length: SAFETY_PICTURE_CELLS }, (_, i) => bitsOf(hash, 132 + i * 2, 2));
}
