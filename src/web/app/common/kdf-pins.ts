import type { KdfParams } from '../../../client';
import type { Sodium } from '../../../shared/sodium';

/**
 * The salt and argon2id parameters each handle signed in with on this device. They are not secret, but they are
 * the server's to give at every sign-in: a malicious server could answer a weaker salt/parameter set (within the
 * client's floor) or one prepared for a precomputed guess, and the typed password would be derived with it. With a
 * pin, a change is shown before anything is derived.
 *
 * One localStorage entry (synchronous, so quick exit erases it before the page is left) under an opaque name; the
 * handles are not kept, only a keyed BLAKE2b of each under a random key of this device, so the entry names neither
 * the app nor anyone. "Sign out on this device" clears the whole storage; quick exit removes the entry.
 */
export const KDF_PINS_STORAGE_KEY = 'mw.p';

interface Stored {
  /** this device's random key for the handle hashes (base64) */
  k: string;
  /** keyed hash of the handle -> the parameters it last signed in with */
  p: Record<string, KdfParams>;
}

function isKdf(value: unknown): value is KdfParams {
  if (!value || typeof value !== 'object') return false;
  const kdf = value as Record<string, unknown>;
  return kdf.algorithm === 'argon2id13' && typeof kdf.salt === 'string' && Number.isSafeInteger(kdf.opslimit) && Number.isSafeInteger(kdf.memlimit);
}

function read(): Stored | null {
  try {
    const raw = window.localStorage.getItem(KDF_PINS_STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Stored>;
    if (typeof parsed.k !== 'string' || !parsed.p || typeof parsed.p !== 'object') return null;
    const pins: Record<string, KdfParams> = {};
    for (const [id, kdf] of Object.entries(parsed.p)) if (isKdf(kdf)) pins[id] = kdf;
    return { k: parsed.k, p: pins };
  } catch {
    return null; // storage disabled or an unreadable entry: as on a new device
  }
}

function pinId(sodium: Sodium, key: string, handle: string): string {
  return sodium.to_base64(sodium.crypto_generichash(16, handle.trim().toLowerCase(), sodium.from_base64(key)));
}

/** The parameters this handle last signed in with on this device, if it did. */
export function pinnedKdf(sodium: Sodium, handle: string): KdfParams | undefined {
  const stored = read();
  if (!stored) return undefined;
  try {
    return stored.p[pinId(sodium, stored.k, handle)];
  } catch {
    return undefined;
  }
}

/** Records (or replaces, after a password change or recovery made here) the parameters of a successful sign-in. */
export function pinKdf(sodium: Sodium, handle: string, kdf: KdfParams): void {
  const stored = read() ?? { k: sodium.to_base64(sodium.randombytes_buf(32)), p: {} };
  stored.p[pinId(sodium, stored.k, handle)] = { algorithm: kdf.algorithm, opslimit: kdf.opslimit, memlimit: kdf.memlimit, salt: kdf.salt };
  try {
    window.localStorage.setItem(KDF_PINS_STORAGE_KEY, JSON.stringify(stored));
  } catch {
    // storage full or disabled: the next sign-in is unpinned, as on a new device
  }
}

export function sameKdf(a: KdfParams, b: KdfParams): boolean {
  return a.algorithm === b.algorithm && a.opslimit === b.opslimit && a.memlimit === b.memlimit && a.salt === b.salt;
}

export function eraseKdfPins(): void {
  try {
    window.localStorage.removeItem(KDF_PINS_STORAGE_KEY);
  } catch {
    // storage disabled: nothing kept
  }
}
