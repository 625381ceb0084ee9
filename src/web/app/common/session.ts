import type { UnlockedAccount } from '../../../client';
import { eraseDrafts, sealOpenDraft } from './drafts';

/**
 * The only place the unlocked account lives: module memory, never storage. Locking wipes the private
 * keys (memzero), revokes the server session and drops every reference, so what remains in the tab
 * after a lock is the handle the person typed, nothing that opens anything.
 */
type Listener = (account: UnlockedAccount | null) => void;

let current: UnlockedAccount | null = null;
const listeners = new Set<Listener>();

export function currentAccount(): UnlockedAccount | null {
  return current;
}

export function onAccountChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setAccount(account: UnlockedAccount): void {
  if (current && current !== account) wipe(current);
  current = account;
  listeners.forEach((listener) => listener(current));
}

/** Wipes keys and revokes the session; returns at once (the revocation survives a page change). */
export function lockKeys(options: { sessionAlreadyRevoked?: boolean } = {}): void {
  const account = current;
  if (!account) return;
  current = null;
  // A lock must not destroy her work: the open draft is sealed while the keys are still here.
  try {
    sealOpenDraft(account);
  } catch {
    // never let keeping a draft stop the lock
  }
  if (!options.sessionAlreadyRevoked) revokeSessionInBackground(account.token);
  wipe(account);
  listeners.forEach((listener) => listener(null));
}

function wipe(account: UnlockedAccount): void {
  try {
    account.lock();
  } catch {
    // already wiped
  }
}

/** keepalive lets the request finish after location.replace() has left the page (quick exit). */
function revokeSessionInBackground(token: string): void {
  if (!token) return;
  void fetch('/v1/sessions/current', { method: 'DELETE', keepalive: true, headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
}

/**
 * "Sign out on this device": besides the session, the service answers with Clear-Site-Data so the
 * browser drops its cache and any storage for this origin (we keep nothing there, but a cached copy
 * of the app is itself a sign that Meshwork was used on this phone).
 */
export async function forgetThisDevice(): Promise<void> {
  eraseDrafts();
  lockKeys();
  try {
    window.localStorage.clear();
    window.sessionStorage.clear();
  } catch {
    // storage disabled: nothing to clear
  }
  await fetch('/web/forget-device', { method: 'POST', keepalive: true }).catch(() => undefined);
}
