/** What the service tells the page (meta tags filled in by src/web/serve.ts); never read from storage. */
export interface WebConfig {
  quickExitUrl: string;
  autoLockMinutes: number;
  /** The service's SMS number (E.164) for checking in by text, or null when none is configured. */
  smsNumber: string | null;
  /** The installation's disguise name (tab title, top bar, in place of "Meshwork"), or null for none. */
  disguiseName: string | null;
}

const FALLBACK: WebConfig = { quickExitUrl: 'https://www.wikipedia.org/', autoLockMinutes: 5, smsNumber: null, disguiseName: null };

export function readWebConfig(doc: Document = document): WebConfig {
  const meta = (name: string) => doc.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';
  const url = meta('app-quick-exit-url');
  const minutes = Number(meta('app-auto-lock-minutes'));
  return {
    // Only http(s): a javascript: URL here would run in our origin at the worst moment.
    quickExitUrl: /^https?:\/\//i.test(url) ? url : FALLBACK.quickExitUrl,
    autoLockMinutes: Number.isInteger(minutes) && minutes > 0 ? minutes : FALLBACK.autoLockMinutes,
    smsNumber: /^\+[1-9]\d{6,14}$/.test(meta('app-sms-number')) ? meta('app-sms-number') : null,
    disguiseName: meta('app-disguise-name').trim() || null,
  };
}
