/**
 * Byte layouts that client and server must agree on. Every signed or authenticated message starts
 * with its own label, so a signature made for one purpose can never be replayed as another.
 */
/** Argon2id floor the server accepts and the reference client demands: 3 passes, 64 MiB. */
export const KDF_MIN_OPSLIMIT = 3;
export const KDF_MIN_MEMLIMIT = 64 * 1024 * 1024;
/** Ceiling the reference client accepts from a server: higher costs would only let a hostile server hang the phone. */
export const KDF_MAX_OPSLIMIT = 10;
export const KDF_MAX_MEMLIMIT = 256 * 1024 * 1024;

export const PROTOCOL_LABELS = {
  accountKeys: 'meshwork/account-keys/v1',
  privateKeys: 'meshwork/private-keys/v1',
  teamLogEntry: 'meshwork/team-log-entry/v1',
  teamKey: 'meshwork/team-key/v1',
  teamKeyCheck: 'meshwork/team-key-check/v1',
  previousTeamKey: 'meshwork/previous-team-key/v1',
  teamName: 'meshwork/team-name/v1',
  documentAd: 'meshwork/document-ad/v2',
  documentSignature: 'meshwork/document-signature/v1',
  documentVersion: 'meshwork/document-version/v1',
  safetyNumber: 'meshwork/safety-number/v1',
  localTrustStore: 'meshwork/local-trust-store/v1',
  teamSubkey: 'meshwork/team-subkey/v1',
  teamAcceptance: 'meshwork/team-acceptance/v1',
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

/**
 * The one framing for everything the vault signs, hashes or authenticates: the label, then each field as a
 * 4-byte big-endian length followed by its bytes. Strings are UTF-8; integers are their decimal ASCII digits.
 * Length prefixes make the encoding injective: no two field lists produce the same bytes.
 */
export type Field = string | number | Uint8Array;

export function lengthPrefixed(label: string, fields: Field[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const field of [label, ...fields]) {
    const bytes = typeof field === 'string' ? utf8(field) : typeof field === 'number' ? utf8(integerText(field)) : field;
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, bytes.length, false);
    parts.push(length, bytes);
  }
  return concat(parts);
}

function integerText(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`protocol integers are non-negative safe integers, got ${value}`);
  return String(value);
}

/**
 * Canonical JSON for team-log payloads: object keys sorted by UTF-16 code unit, no whitespace, integers only.
 * Payload strings are ASCII (ids, handles, base64url) by schema, so JSON.stringify's escaping is unambiguous.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return integerText(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  throw new Error(`canonicalJson cannot encode ${typeof value}`);
}

/** What a team-log entry's author signs, and what its hash (BLAKE2b-256) is taken over. */
export function teamLogEntryBytes(entry: { teamId: string; seq: number; prevHash: Uint8Array; kind: string; authorAccountId: string; payload: unknown }): Uint8Array {
  return lengthPrefixed(PROTOCOL_LABELS.teamLogEntry, [entry.teamId, entry.seq, entry.prevHash, entry.kind, entry.authorAccountId, canonicalJson(entry.payload)]);
}

/**
 * What an invitee signs to accept an invitation: the team, the invite entry's seq and its hash. The coordinator's
 * add entry carries this signature, so a server (or a coordinator) cannot make someone a member who never said yes.
 */
export function teamAcceptanceMessage(teamId: string, inviteSeq: number, inviteHash: Uint8Array): Uint8Array {
  return lengthPrefixed(PROTOCOL_LABELS.teamAcceptance, [teamId, inviteSeq, inviteHash]);
}

/** The plaintext sealed (crypto_box_seal) to each member: the key says which team and generation it is for. */
export function teamKeyEnvelopePlaintext(teamId: string, generation: number, teamKey: Uint8Array): Uint8Array {
  return lengthPrefixed(PROTOCOL_LABELS.teamKey, [teamId, generation, teamKey]);
}

/** Message for the keyed BLAKE2b (key = the team key) that the log records so every member can check they hold the same key. */
export function teamKeyCheckMessage(teamId: string, generation: number): Uint8Array {
  return lengthPrefixed(PROTOCOL_LABELS.teamKeyCheck, [teamId, generation]);
}

/** AEAD additional data for generation g-1's key, encrypted under generation g's key. */
export function previousTeamKeyAdditionalData(teamId: string, generation: number): Uint8Array {
  return lengthPrefixed(PROTOCOL_LABELS.previousTeamKey, [teamId, generation]);
}

export function teamNameAdditionalData(teamId: string, generation: number): Uint8Array {
  return lengthPrefixed(PROTOCOL_LABELS.teamName, [teamId, generation]);
}

/** What a document version is bound to, with its hashes as bytes (`Hash`) or in their base64url wire form. */
interface DocumentHeader<Hash> {
  teamId: string;
  documentId: string;
  kind: string;
  version: number;
  generation: number;
  authorAccountId: string;
  /** BLAKE2b-256 of the previous version (32 zero bytes for version 1). */
  previousVersionHash: Hash;
  /**
   * The head of the team log the writer had verified when writing (seq and BLAKE2b-256 of that entry). A server that
   * shows one member a frozen or forked log cannot hide it from the others: their logs must contain this exact entry.
   */
  logSeq: number;
  logHash: Hash;
}

export type DocumentBinding = DocumentHeader<Uint8Array>;

/**
 * An encrypted version as the server stores and returns it, all bytes base64url: the one shape the reference
 * client verifies and the server's model extends, so neither can add or rename a bound field alone.
 */
export interface SealedDocumentVersion extends Omit<DocumentHeader<string>, 'teamId'> {
  nonce: string;
  ciphertext: string;
  signature: string;
}

/**
 * AEAD additional data of a document version: a ciphertext cannot move to another team, document, kind, version or
 * author, nor claim a different team log than the one its author verified (v2 added the log head; no v1 data exists).
 */
export function documentAdditionalData(binding: DocumentBinding): Uint8Array {
  const b = binding;
  return lengthPrefixed(PROTOCOL_LABELS.documentAd, [b.teamId, b.documentId, b.kind, b.version, b.generation, b.authorAccountId, b.previousVersionHash, b.logSeq, b.logHash]);
}

/** What the author signs: the hash of the additional data, the nonce and the ciphertext. */
export function documentSignatureMessage(additionalDataHash: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return lengthPrefixed(PROTOCOL_LABELS.documentSignature, [additionalDataHash, nonce, ciphertext]);
}

/** The bytes whose BLAKE2b-256 is a version's hash, chained into the next version's additional data. */
export function documentVersionHashInput(additionalData: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, signature: Uint8Array): Uint8Array {
  return lengthPrefixed(PROTOCOL_LABELS.documentVersion, [additionalData, nonce, ciphertext, signature]);
}

/** One party's half of a safety number: hashed with its handle and both public keys. */
export function safetyNumberInput(handle: string, signPublicKey: Uint8Array, boxPublicKey: Uint8Array): Uint8Array {
  return lengthPrefixed(PROTOCOL_LABELS.safetyNumber, [handle, signPublicKey, boxPublicKey]);
}

/** What keyed BLAKE2b (key = the team key) hashes to derive the subkey for one purpose: the team key itself encrypts nothing. */
export function teamSubkeyContext(purpose: 'documents' | 'name' | 'key-check' | 'previous-key'): Uint8Array {
  return lengthPrefixed(PROTOCOL_LABELS.teamSubkey, [purpose]);
}

/** AEAD additional data of one record in a device's encrypted trust store: a record cannot move to another name. */
export function localTrustRecordAdditionalData(recordId: string): Uint8Array {
  return lengthPrefixed(PROTOCOL_LABELS.localTrustStore, ['record', recordId]);
}

export { concat as concatBytes, utf8 as utf8Bytes };
