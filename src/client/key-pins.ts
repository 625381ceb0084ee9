import { lengthPrefixed, localTrustRecordAdditionalData, PROTOCOL_LABELS } from '../shared/protocol';
import type { Sodium } from '../shared/sodium';

/**
 * Trust on first use, and memory of what this device has already seen. The server is not trusted to hand out
 * the right keys, to keep the team log whole, or to serve the newest version of a document; this store lets the
 * client notice when it does not. Inject a persistent one: the CLI keeps it in its state file, the web app in
 * IndexedDB through EncryptedTrustStore. MemoryTrustStore forgets everything when the process (or page) ends.
 */
export interface PinnedKeys {
  accountId: string;
  boxPublicKey: string;
  signPublicKey: string;
  firstSeenAt: string;
}

/** The furthest point seen in an append-only sequence (a team log's seq, a document's version) and its hash. */
export interface Mark {
  position: number;
  hash: string;
}

export interface TrustStore {
  getPin(handle: string): Promise<PinnedKeys | undefined>;
  setPin(handle: string, keys: PinnedKeys): Promise<void>;
  getMark(key: string): Promise<Mark | undefined>;
  setMark(key: string, mark: Mark): Promise<void>;
}

/** The default: remembers for the life of the process. */
export class MemoryTrustStore implements TrustStore {
  readonly pins = new Map<string, PinnedKeys>();
  readonly marks = new Map<string, Mark>();
  async getPin(handle: string) {
    return this.pins.get(handle);
  }
  async setPin(handle: string, keys: PinnedKeys) {
    this.pins.set(handle, keys);
  }
  async getMark(key: string) {
    return this.marks.get(key);
  }
  async setMark(key: string, mark: Mark) {
    this.marks.set(key, mark);
  }
}

/**
 * The server returned different keys for an account this device has seen before. Either the person reset
 * their account (ask them, face to face, and compare safety numbers) or the server is substituting keys.
 */
export class KeyChangedError extends Error {
  constructor(
    readonly handle: string,
    readonly pinned: PinnedKeys,
    readonly seen: { accountId: string; boxPublicKey: string; signPublicKey: string },
  ) {
    super(
      `WARNING: the keys for "${handle}" are not the ones this device saw on ${pinned.firstSeenAt}. ` +
        'The server may be trying to read your team\'s documents. Do not add or trust this account until you have compared safety numbers in person.',
    );
    this.name = 'KeyChangedError';
  }
}

/** Pins keys the first time a handle is seen; throws KeyChangedError if they ever differ afterwards. */
export async function checkPinnedKeys(trust: TrustStore, handle: string, seen: { accountId: string; boxPublicKey: string; signPublicKey: string }, now: Date): Promise<void> {
  const pinned = await trust.getPin(handle);
  if (!pinned) {
    await trust.setPin(handle, { ...seen, firstSeenAt: now.toISOString() });
    return;
  }
  if (pinned.accountId !== seen.accountId || pinned.boxPublicKey !== seen.boxPublicKey || pinned.signPublicKey !== seen.signPublicKey) {
    throw new KeyChangedError(handle, pinned, seen);
  }
}

/**
 * Records that the person compared safety numbers with this account's current keys (before admitting them, or before
 * accepting their invitation). Kept as a mark so every TrustStore (the CLI's state file too) holds it unchanged.
 */
export async function recordCompared(trust: TrustStore, handle: string, keys: { boxPublicKey: string; signPublicKey: string }): Promise<void> {
  await trust.setMark(`compared:${handle}`, { position: 1, hash: `${keys.signPublicKey}.${keys.boxPublicKey}` });
}

/** Whether safety numbers were compared on this device with exactly these keys. */
export async function wasCompared(trust: TrustStore, handle: string, keys: { boxPublicKey: string; signPublicKey: string }): Promise<boolean> {
  return (await trust.getMark(`compared:${handle}`))?.hash === `${keys.signPublicKey}.${keys.boxPublicKey}`;
}

/** Opaque strings by opaque id: all a persistent trust store needs from its device (IndexedDB in the browser). */
export interface TrustRecords {
  get(id: string): Promise<string | undefined>;
  put(id: string, value: string): Promise<void>;
}

/** A record of this device's trust store does not decrypt: someone with access to the device altered or swapped it. */
export class TrustStoreTamperedError extends Error {
  constructor() {
    super('WARNING: what this device remembers about keys and team logs was altered. Someone with access to this device may have tampered with it.');
    this.name = 'TrustStoreTamperedError';
  }
}

/**
 * The same pins and marks as the CLI's state file, kept in records a device stores (IndexedDB) but cannot read: each
 * record's id is a keyed hash of its name (handles and team ids do not show) and its value is XChaCha20-Poly1305 under
 * a key derived from the account's X25519 private key. That key exists only while the account is unlocked with its
 * password (or recovery words), so a locked app, a quick exit or a seized phone leave nothing readable, and a
 * password change keeps the memory. Subkeys are per purpose (record ids, record contents).
 */
export class EncryptedTrustStore implements TrustStore {
  constructor(
    private readonly sodium: Sodium,
    /** The account's X25519 private key itself (not a copy): lock() zeroes it, and this store then refuses to work. */
    private readonly accountPrivateKey: Uint8Array,
    private readonly records: TrustRecords,
  ) {}

  async getPin(handle: string) {
    return this.read<PinnedKeys>(`pin\n${handle}`);
  }
  async setPin(handle: string, keys: PinnedKeys) {
    await this.write(`pin\n${handle}`, keys);
  }
  async getMark(key: string) {
    return this.read<Mark>(`mark\n${key}`);
  }
  async setMark(key: string, mark: Mark) {
    await this.write(`mark\n${key}`, mark);
  }

  private subkey(purpose: string): Uint8Array {
    // A zeroed key means the account was locked: never read or write under a key anyone could compute.
    if (this.accountPrivateKey.every((b) => b === 0)) throw new Error('The account is locked.');
    return this.sodium.crypto_generichash(32, lengthPrefixed(PROTOCOL_LABELS.localTrustStore, [purpose]), this.accountPrivateKey);
  }

  private recordId(name: string): string {
    const key = this.subkey('record-id');
    try {
      return this.sodium.to_base64(this.sodium.crypto_generichash(32, lengthPrefixed(PROTOCOL_LABELS.localTrustStore, [name]), key));
    } finally {
      this.sodium.memzero(key);
    }
  }

  private async read<T>(name: string): Promise<T | undefined> {
    const id = this.recordId(name);
    const stored = await this.records.get(id);
    if (stored === undefined) return undefined;
    const key = this.subkey('record-content');
    try {
      const [nonce, ciphertext] = stored.split('.');
      const plaintext = this.sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, this.sodium.from_base64(ciphertext ?? ''), localTrustRecordAdditionalData(id), this.sodium.from_base64(nonce ?? ''), key);
      return JSON.parse(this.sodium.to_string(plaintext)) as T;
    } catch {
      throw new TrustStoreTamperedError();
    } finally {
      this.sodium.memzero(key);
    }
  }

  private async write(name: string, value: unknown): Promise<void> {
    const id = this.recordId(name);
    const key = this.subkey('record-content');
    try {
      const nonce = this.sodium.randombytes_buf(this.sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
      const ciphertext = this.sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(JSON.stringify(value), localTrustRecordAdditionalData(id), null, nonce, key);
      await this.records.put(id, `${this.sodium.to_base64(nonce)}.${this.sodium.to_base64(ciphertext)}`);
    } finally {
      this.sodium.memzero(key);
    }
  }
}
