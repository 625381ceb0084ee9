import { currentAccount, lockKeys } from './session';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input'] as const;

/**
 * Locks after `minutes` without a touch or a key press. Checked on a short interval and whenever the
 * page becomes visible again, because phones freeze timers of background tabs: a phone put down with
 * the app open must be locked when it is picked up, whatever the timers did meanwhile.
 */
export function installAutoLock(getMinutes: () => number, onLocked: () => void): () => void {
  let lastActivity = Date.now();
  const markActive = () => {
    lastActivity = Date.now();
  };
  const check = () => {
    if (!currentAccount()) {
      lastActivity = Date.now();
      return;
    }
    if (Date.now() - lastActivity >= getMinutes() * 60_000) {
      lockKeys();
      onLocked();
    }
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') check();
  };
  ACTIVITY_EVENTS.forEach((type) => window.addEventListener(type, markActive, { capture: true, passive: true }));
  document.addEventListener('visibilitychange', onVisibility);
  const interval = window.setInterval(check, 5_000);
  return () => {
    ACTIVITY_EVENTS.forEach((type) => window.removeEventListener(type, markActive, { capture: true }));
    document.removeEventListener('visibilitychange', onVisibility);
    window.clearInterval(interval);
  };
}
