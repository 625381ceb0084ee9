/**
 * The client library (and libsodium's ~1 MB of WebAssembly) loads after the first screen is painted,
 * so a slow connection shows the sign-in form at once and fetches the crypto while the person types.
 */
type CryptoModule = typeof import('./crypto-impl');

let pending: Promise<CryptoModule> | undefined;

export function loadCrypto(): Promise<CryptoModule> {
  pending ??= import('./crypto-impl').catch((error: unknown) => {
    pending = undefined; // a dropped connection must not poison every later attempt
    throw error;
  });
  return pending;
}

/** Starts the download when the browser is idle after first paint. */
export function preloadCryptoWhenIdle(): void {
  const start = () => void loadCrypto().catch(() => undefined);
  if ('requestIdleCallback' in window) window.requestIdleCallback(start, { timeout: 2000 });
  else setTimeout(start, 500);
}
