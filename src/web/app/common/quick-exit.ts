import { eraseDrafts } from './drafts';
import { eraseKdfPins } from './kdf-pins';
import { lockKeys } from './session';

let exitUrl = 'https://www.wikipedia.org/';

export function configureQuickExit(url: string): void {
  exitUrl = url;
}

/**
 * Leaves at once for a neutral site: keys wiped first, then location.replace() so the app's page is
 * not left in the back-button history (the app never pushes entries of its own either).
 */
export function quickExit(): void {
  // First, so the lock below has no open draft to seal: quick exit leaves no draft, not even sealed.
  eraseDrafts();
  // The pinned sign-in parameters would show that an account was used here: gone like the rest.
  eraseKdfPins();
  lockKeys();
  // A tab switcher or history shown while the neutral site loads reads that site's name, not the app's.
  document.title = neutralTitle(exitUrl);
  document.body.replaceChildren();
  window.location.replace(exitUrl);
}

/** "wikipedia.org" for https://www.wikipedia.org/: what the tab will show a moment later anyway. */
export function neutralTitle(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** Escape pressed twice within this window exits; once alone only closes dialogs. */
const DOUBLE_ESCAPE_MS = 1500;

export function installEscapeTwiceExit(target: Window = window): () => void {
  let lastEscapeAt = -Infinity;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    const now = performance.now();
    if (now - lastEscapeAt <= DOUBLE_ESCAPE_MS) quickExit();
    lastEscapeAt = now;
  };
  target.addEventListener('keydown', onKeyDown, { capture: true });
  return () => target.removeEventListener('keydown', onKeyDown, { capture: true });
}
