/**
 * Trust on first use, and memory of what this device has already seen. The server is not trusted to hand out
 * the right keys, to keep the team log whole, or to serve the newest version of a document; this store lets the
 * client notice when it does not. Inject your own (the CLI keeps it in its state file; a web app in IndexedDB).
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
